"""The loader: positions, normalisation, validation, and hostile input."""

from __future__ import annotations

import tracemalloc

import pytest
from conftest import menu, within_cpu

from ivrlint.errors import InputError
from ivrlint.menu.loader import load_menu, load_text, read_text

SMALL = """\
ivr: t
start: main
nodes:
  main:
    type: menu
    prompt: For sales, press 1.
    options:
      1: agent
      "2": {goto: agent, label: Two}
      "*": {action: back}
    on_failure: agent
  agent: {type: queue, queue: q}
queues:
  q: {agents: 2, handle_time: 3m}
"""


def error_lines(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_text(text, "m.yaml")
    return info.value.lines()


def test_every_element_keeps_its_line_and_column():
    m = menu(SMALL)
    main = m.nodes["main"]
    assert (main.loc.line, main.loc.column) == (4, 3)
    assert (main.options["1"].loc.line, main.options["1"].loc.column) == (8, 7)
    assert main.options["1"].target_loc.column == 10
    assert main.where("on_failure").line == 11
    assert m.queues["q"].loc.line == 14


def test_bare_and_quoted_keys_are_the_same_key():
    m = menu(SMALL)
    assert list(m.nodes["main"].options) == ["1", "2", "*"]
    assert m.nodes["main"].options["2"].label == "Two"
    assert m.nodes["main"].options["*"].action == "back"


def test_durations_accept_units():
    assert menu(SMALL).queues["q"].handle_time.mean == 180
    text = SMALL.replace("3m", "{mean: 1.5h, distribution: lognormal, cv: 0.5}")
    d = menu(text).queues["q"].handle_time
    assert (d.mean, d.distribution, d.cv) == (5400, "lognormal", 0.5)
    assert menu(SMALL.replace("3m", "500ms")).queues["q"].handle_time.mean == 0.5


def test_defaults_apply_to_nodes_without_their_own():
    text = "defaults: {timeout: 7, retries: 2}\n" + SMALL
    main = menu(text).nodes["main"]
    assert (main.timeout, main.retries) == (7, 2)
    assert menu(SMALL).nodes["main"].timeout == 5


def test_a_label_or_prompt_that_says_unlimited_is_text_and_leaves_retries_alone():
    m = load_text(
        "ivr: x\nstart: main\nnodes:\n"
        "  main: {type: menu, retries: 2, label: unlimited, prompt: For hours press 1., options: {1: bye}}\n"
        "  bye: {type: hangup, prompt: unlimited}\n"
    )
    assert m.nodes["main"].label == "unlimited"
    assert m.nodes["main"].retries == 2
    assert m.nodes["bye"].prompt == {"en": "unlimited"}


def test_norwegian_language_key_stays_text():
    text = SMALL.replace("prompt: For sales, press 1.", "prompt: {no: Trykk 1, en: Press 1}")
    assert menu(text).nodes["main"].prompt == {"no": "Trykk 1", "en": "Press 1"}


def test_plain_prompt_is_stored_under_the_default_language():
    text = "language: lt\n" + SMALL
    assert menu(text).nodes["main"].prompt == {"lt": "For sales, press 1."}


def test_duplicate_keys_are_kept_aside_not_lost():
    text = SMALL.replace('      "2": {goto: agent, label: Two}', '      "2": {goto: agent, label: Two}\n      2: main')
    document = read_text(text, "menu.yaml")
    assert document.menu.nodes["main"].options["2"].goto == "agent"  # the first one wins
    [dup] = document.duplicates
    assert (dup.key, dup.loc.line, dup.first.line) == ("2", 10, 9)


def test_merge_keys_are_applied():
    text = SMALL.replace("queues:\n  q: {agents: 2, handle_time: 3m}",
                         "queues:\n  q: &base {agents: 2, handle_time: 3m}\n  r: {<<: *base, agents: 5}")
    m = menu(text)
    assert (m.queues["r"].agents, m.queues["r"].handle_time.mean) == (5, 180)


@pytest.mark.parametrize("text, expected", [
    ("ivr: [1, 2", "m.yaml:2:1: error: invalid YAML: did not find expected ',' or ']'"),
    ("- a\n- b\n", "m.yaml:1:1: error: a menu file must be a mapping"),
    ("ivr: t\nstart: a\n", "m.yaml:1:1: error: the menu has no 'nodes'"),
    (SMALL.replace("type: menu", "type: menu\n    promt: x"), "m.yaml:6:5: error: 'promt' does not belong in a menu node; did you mean 'prompt'?"),
    (SMALL.replace("agents: 2", "agents: two"), "m.yaml:14:15: error: the agents of queue 'q' must be a number; got 'two'"),
    (SMALL.replace("3m", "3 weeks"), "error: the handle time of queue 'q' must be a duration like 40, 40s, 2m or 1.5h"),
    (SMALL.replace("type: queue", "type: qeueu"), "error: unknown node type 'qeueu'; did you mean 'queue'?"),
    (SMALL.replace("{action: back}", "{action: home}"), "error: unknown action 'home'; use repeat, back or top"),
    (SMALL.replace("1: agent", "1:"), "m.yaml:8:9: error: option 1 of node 'main' has no target"),
    (SMALL.replace('"*": {action: back}', "*: {action: back}"), "quote the keys * and #"),
    (SMALL.replace("{type: queue, queue: q}", "{type: queue}"), "error: node 'agent' is a queue node and needs 'queue'"),
    ("ivr: t\nstart: a\nnodes:\n  a: {type: hangup}\n---\nivr: u\n", "m.yaml:5:1: error: invalid YAML: a menu file holds one YAML document; remove the second '---'"),
])
def test_format_errors_name_the_place_and_the_fix(text, expected):
    lines = error_lines(text)
    assert any(expected in line for line in lines), lines


def test_all_problems_of_a_file_are_reported_together():
    text = SMALL.replace("agents: 2", "agents: -1").replace("type: menu", "type: menu\n    colour: red")
    assert len(error_lines(text)) == 2


def test_empty_file(write):
    path = write("empty.yaml", "")
    with pytest.raises(InputError, match="empty.yaml:1:1: error: the file is empty"):
        load_menu(str(path))


def test_comment_only_file_is_empty(write):
    with pytest.raises(InputError, match="the file is empty"):
        load_menu(str(write("c.yaml", "# nothing yet\n")))


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="nope.yaml: error: no such file"):
        load_menu(str(tmp_path / "nope.yaml"))


def test_binary_file(write):
    path = write("x.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match=r"x.yaml:3:1: error: the file is binary, not YAML text"):
        load_menu(str(path))


def test_invalid_utf8_names_line_and_column(write):
    path = write("x.yaml", b"ivr: t\nstart: \xff\n")
    with pytest.raises(InputError, match=r"x.yaml:2:8: error: the file is not valid UTF-8 text; save the menu as UTF-8"):
        load_menu(str(path))


def test_very_deep_nesting_is_refused_without_crashing():
    text = "ivr: " + "[" * 100_000 + "]" * 100_000 + "\n"
    lines = error_lines(text)
    assert "nesting" in lines[0] and "a menu never nests that deep" in lines[0]
    assert lines[0].startswith("m.yaml:1:")


def test_huge_file_is_refused_before_reading_it_all(write, monkeypatch):
    from ivrlint.menu import yamlsource
    monkeypatch.setattr(yamlsource, "MAX_BYTES", 1000)
    path = write("big.yaml", "ivr: t\n" + "# padding\n" * 200)
    with pytest.raises(InputError, match="error: the file is larger than"):
        load_menu(str(path))


def test_alias_bomb_is_refused_fast_and_small():
    lines = ["ivr: t", "start: a", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        refs = ",".join([f"*a{i-1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    bomb = "\n".join(lines[:2]) + "\nnodes:\n  a:\n    type: menu\n    options:\n      <<: [" + ",".join(["*m"] * 9) + "]\n"
    # a bomb through merge keys (expanded by naive loaders), and one of plain aliases
    merge_bomb = "m0: &m0 {1: a, 2: a}\n"
    for i in range(1, 25):
        merge_bomb += f"m{i}: &m{i} {{<<: [*m{i-1}, *m{i-1}], k{i}: a}}\n"
    merge_bomb += "ivr: t\nstart: a\nnodes:\n  a:\n    type: menu\n    options: *m24\n"
    texts = ("\n".join(lines) + "\nnodes: {a: {type: menu, options: {1: *a11}}}\n", merge_bomb, bomb.replace("*m", "*a11"))

    def refuse_all() -> int:
        tracemalloc.start()
        for text in texts:
            with pytest.raises(InputError):
                load_text(text, "bomb.yaml")
        return tracemalloc.get_traced_memory()[1]

    peak = within_cpu(refuse_all, seconds=5)  # fast: a bound on CPU time, which a busy machine cannot fail
    assert peak < 50 * 1024 * 1024


def test_merge_bomb_message_names_the_cause():
    text = "m0: &m0 {1: a, 2: a}\n"
    for i in range(1, 25):
        text += f"m{i}: &m{i} {{<<: [*m{i-1}, *m{i-1}], k{i}: a}}\n"
    text += "ivr: t\nstart: a\nnodes:\n  a:\n    type: menu\n    options: *m24\n"
    lines = error_lines(text)
    assert any("alias bomb" in line for line in lines), lines
