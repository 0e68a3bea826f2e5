"""Every error and warning is one line, whatever the input holds (issue 17).

Messages quote values, names and file names from untrusted files. A value
holding ``"\\n::error::X"`` printed as is would put ``::error::X`` at the
start of a line of stderr, which a CI runner reads as a workflow command;
an escape sequence would reach the terminal. They are written as escapes.
"""

from __future__ import annotations

import pytest
from conftest import run_cli

from ivrlint.errors import InputError, UsageError, one_line
from ivrlint.location import Location


@pytest.mark.parametrize("raw, shown", [
    ("a\nb", "a\\nb"), ("a\rb", "a\\rb"), ("a\tb", "a\\tb"), ("\x1b[31mred", "\\x1b[31mred"), ("a\x85b", "a\\x85b"),
    ("a\u2028b\u2029c", "a\\u2028b\\u2029c"), ("a\x00b\x7f", "a\\x00b\\x7f"), ("plain 'text' ü €", "plain 'text' ü €"),
])
def test_one_line_escapes_what_could_break_or_rewrite_a_line(raw, shown):
    assert one_line(raw) == shown


def test_an_input_error_is_one_line_per_problem_with_its_place_and_value_escaped():
    error = InputError([(Location("we\nird.yaml", 3, 4), "unknown node type 'x\n::error::X'"), (None, "second\rproblem")], "f.yaml")
    assert error.lines() == ["we\\nird.yaml:3:4: error: unknown node type 'x\\n::error::X'", "f.yaml: error: second\\rproblem"]
    assert str(error).count("\n") == 1  # one line per problem


def test_a_usage_error_is_one_line():
    assert str(UsageError("cannot write out\n::error::X.json: denied")) == "cannot write out\\n::error::X.json: denied"


def test_a_value_with_a_workflow_command_stays_on_the_error_line(write):
    path = write("menu.yaml", 'ivr: t\nstart: main\nnodes:\n  main: {type: "x\\n::error::X"}\n')
    result = run_cli("check", "--no-config", path)
    assert result.code == 2
    assert not any(line.startswith("::") for line in result.err.splitlines())
    [line] = [line for line in result.err.splitlines() if "unknown node type" in line]
    assert line.startswith(f"{path}:4:16: error: unknown node type 'x\\n::error::X'")


def test_a_file_named_with_a_newline_stays_on_its_finding_line(tmp_path):
    folder = tmp_path / "menus"
    folder.mkdir()
    (folder / "a\n::error::X.yaml").write_text(
        "ivr: t\nstart: main\nnodes:\n  main:\n    type: menu\n    prompt: For billing, press 1.\n"
        "    options: {1: bye}\n  bye: {type: hangup}\n", encoding="utf-8")
    result = run_cli("check", "--no-config", folder)
    assert result.code == 1
    assert not any(line.startswith("::") for line in result.out.splitlines())
    assert all("a\\n::error::X.yaml:" in line for line in result.out.splitlines()[:-1])


def test_import_warnings_are_one_line(write):
    path = write("ivr.xml", '<include>\n  <X-PRE-PROCESS cmd="include" data="gone&#10;::error::X/*.xml"/>\n'
                 '  <menu name="main" greet-long="say:For an agent, press 0.">\n'
                 '    <entry action="menu-exec-app" digits="0" param="transfer 1000 XML default"/>\n  </menu>\n</include>\n')
    result = run_cli("import", "freeswitch", path)
    assert result.code == 0
    assert not any(line.startswith("::") for line in result.err.splitlines())
    assert "include 'gone\\n::error::X/*.xml' matches no file" in result.err
