"""Messages a user reads: they name the right thing, in plain grammar, once."""

from __future__ import annotations

from conftest import MENUS, findings, run_cli
from test_traffic_rules import shop


def test_importing_a_folder_without_the_format_asked_for_names_that_format_and_what_is_there():
    folder = MENUS / "platforms" / "freeswitch"
    result = run_cli("import", "connect", folder)
    assert result.code == 2
    assert result.err == (f"{folder}: error: no Amazon Connect flow JSON files here; "
                          "the files here are FreeSWITCH IVR XML (format 'freeswitch')\n")


def test_importing_a_folder_with_no_platform_files_names_the_format_asked_for(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing to import")
    result = run_cli("import", "connect", tmp_path)
    assert result.code == 2
    assert result.err.startswith(f"{tmp_path}: error: no Amazon Connect flow JSON files here; ")


def test_a_pool_of_one_agent_is_one_agent():
    [f] = findings(shop(agents=1), "overloaded-queue")
    assert "pool 'general' with 1 agent can expect" in f.message


def test_a_zero_key_that_repeats_says_so_in_a_sentence():
    [f] = findings("""
        ivr: t
        start: main
        nodes:
          main:
            type: menu
            prompt: For sales, press 1. To hear this again, press 0.
            options: {1: sales, 0: {action: repeat}}
            on_failure: sales
          sales: {type: queue, queue: q}
        queues:
          q: {agents: 1, handle_time: 60}
        """, "no-zero-out")
    assert f.message.startswith("0 in menu 'main' does 'repeat' instead of reaching a person; callers press 0")


def test_text_that_is_not_utf8_is_said_of_the_file(write):
    path = write("binary.yaml", b"ivr: caf\xe9\n")
    result = run_cli("check", path)
    assert result.code == 2
    assert result.err == f"{path}:1:9: error: the file is not valid UTF-8 text; save the menu as UTF-8\n"


LONG_MENU = """
    ivr: t
    start: main
    nodes:
      main:
        type: menu
        prompt: For sales, press 1. For an agent, press 0.
        prompt_seconds: SECONDS
        options: {1: agent, 0: agent}
        on_failure: agent
      agent: {type: queue, queue: q}
    queues:
      q: {agents: 1, handle_time: 60}
    """


def test_a_prompt_just_over_the_limit_shows_the_tenth_that_puts_it_over():
    [f] = findings(LONG_MENU.replace("SECONDS", "20.4"), "long-prompt")
    assert "lasts about 20.4 s" in f.message and "keep it under 20 s" in f.message


def test_a_prompt_well_over_the_limit_is_in_whole_seconds():
    [f] = findings(LONG_MENU.replace("SECONDS", "26.3"), "long-prompt")
    assert "lasts about 26 s" in f.message


def test_a_prompt_over_the_limit_by_less_than_a_tenth_is_no_finding():
    assert findings(LONG_MENU.replace("SECONDS", "20.04"), "long-prompt") == []


def test_when_no_file_could_be_read_the_summary_says_only_that(write):
    result = run_cli("check", write("broken.yaml", "ivr: ["))
    assert result.code == 2
    assert result.out == "1 file could not be read\n"


def test_a_files_errors_are_printed_by_line_and_column(write):
    path = write("types.yaml", """\
        ivr: t
        start: main
        nodes:
          main:
            type: menu
            prompt: For sales, press 1.
            options: {1: agent}
            timeout: soon
          agent: {type: queue, queue: q}
        queues:
          q: {agents: many, handle_time: 60}
        defaults: {timeout: never}
        """)
    result = run_cli("check", path)
    assert result.code == 2
    places = [line.split(": error:")[0].rsplit(":", 2)[1:] for line in result.err.splitlines()]
    assert places == [["8", "14"], ["11", "15"], ["12", "21"]]


def test_a_yaml_file_that_is_not_a_menu_gets_one_line(write):
    path = write("docker-compose.yml", """\
        version: "3"
        services:
          web: {image: nginx}
        ivrlint: not a menu key
        """)
    result = run_cli("check", path)
    assert result.code == 2
    assert result.err == (f"{path}:1:1: error: not an ivrlint menu (no 'ivr', 'start' or 'nodes'); a menu starts "
                          "with them (see MENU_FORMAT.md, 'Top level'), and the configuration's 'exclude' skips "
                          "other YAML files\n")


def test_a_menu_missing_one_top_key_still_hears_which(write):
    result = run_cli("check", write("m.yaml", "ivr: t\nnodes: {bye: {type: hangup}}\n"))
    assert result.code == 2
    assert "the menu has no 'start'; add it at the top level" in result.err
