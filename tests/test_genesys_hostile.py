"""Genesys Cloud Archy YAML that is not a flow, or is built to hurt: one clear error with its place, exit 2."""

from __future__ import annotations

import pytest
from conftest import run_cli

from ivrlint.errors import InputError
from ivrlint.importers import read_any
from ivrlint.importers.genesys import read
from ivrlint.lint.run import lint_document

HEAD = "inboundCall:\n  name: Line\n  startUpRef: /inboundCall/menus/menu[m]\n"


def refused(path, *words: str) -> str:
    """The one error line `check --from genesys` gives for `path` (exit 2, no traceback)."""
    result = run_cli("check", "--from", "genesys", path)
    assert result.code == 2, result.out + result.err
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1, result.err
    line = result.err.strip()
    assert all(word in line for word in words), line
    return line


@pytest.mark.parametrize("text, place, words", [
    (HEAD + "  menus:\n    main: {}\n", ":5:5:", "'menus' must be a list"),
    (HEAD + "  menus:\n    - just a string\n", ":5:7:", "each item of 'menus' is one construct"),
    (HEAD + "  menus:\n    - task:\n        name: T\n", ":5:7:", "'menus' holds '- menu:' items; got 'task'"),
    (HEAD + "  menus:\n    - menu:\n        name: M\n        choices: 12\n", ":7:18:", "must be a list"),
    (HEAD + "  menus:\n    - menu:\n        name: M\n        choices:\n          - menuDisconnect: [1, 2]\n", ":8:29:",
     "'menuDisconnect' must be a mapping of its settings"),
    (HEAD + "  menus:\n    - menu:\n        name: M\n        choices:\n          - {a: 1, b: 2}\n", ":8:13:",
     "each item of 'choices' is one construct"),
    ("inboundCall: [1, 2]\n", ":1:14:", "'inboundCall' must be a mapping"),
    ("inboundCall:\n  name: x\n  tasks: {t: 1}\n", ":3:10:", "'tasks' must be a list"),
])
def test_a_wrong_shape_is_one_error_at_its_place(write, text, place, words):
    path = write("line/flow.yaml", text)
    line = refused(path, words)
    assert line.startswith(f"{path}{place} error: "), line


def test_a_yaml_syntax_error_is_one_error_with_line_and_column(write):
    path = write("line/flow.yaml", HEAD + "  menus:\n    - menu: {name: M\n")
    assert refused(path, "invalid YAML").startswith(f"{path}:6:1: error: ")


def test_a_template_that_is_not_yaml_says_it_is_a_template(write):
    path = write("line/flow.yaml", HEAD + "  tasks:\n    - task:\n        name: T\n        actions:\n          - callData:\n"
                 "              category:\n                {{prefix}}-Lambda:\n                  dataAction: x\n")
    assert "template placeholder ({{...}})" in refused(path, "invalid YAML", "render it")


def test_deep_nesting_is_refused_at_the_depth_limit(write):
    path = write("line/flow.yaml", HEAD + "  menus: " + "[" * 5000 + "]" * 5000 + "\n")
    assert refused(path, "nest").startswith(f"{path}:4:")


def test_files_over_the_size_limit_are_refused_before_parsing(write, monkeypatch):
    from ivrlint.importers import textfile

    monkeypatch.setattr(textfile, "MAX_BYTES", 100)
    path = write("line/flow.yaml", HEAD + "  description: " + "x" * 200 + "\n")
    with pytest.raises(InputError, match="larger than .* Archy flows are far smaller"):
        read([str(path)])


def test_text_that_is_not_utf8_is_an_error_at_its_place(write):
    path = write("line/flow.yaml", b"inboundCall:\n  name: Caf\xe9\n")
    assert refused(path, "is not UTF-8").startswith(f"{path}:2:12: error: ")


@pytest.mark.parametrize("text, words", [
    ("", "the file is empty"),
    ("# only a comment\n", "the file is empty"),
    ("name: x\nmenus: []\n", "not an Archy flow"),
    ("- inboundCall:\n    name: x\n", "an Archy flow is a mapping"),
])
def test_a_file_that_is_no_flow_says_so_when_read_as_one(write, text, words):
    refused(write("line/flow.yaml", text), words)


def test_an_alias_bomb_is_refused_without_expanding_it(write):
    lines = [HEAD.replace("menus/menu[m]", "tasks/task[t]"), '  x0: &a0 [{playAudio: {name: p, audio: {tts: hi}}}]']
    for i in range(1, 40):
        lines.append(f"  x{i}: &a{i} [{{decision: {{name: d{i}, outputs: {{'yes': {{actions: *a{i - 1}}}, "
                     f"'no': {{actions: *a{i - 1}}}}}}}}}]")
    lines.append("  tasks:\n    - task:\n        name: T\n        refId: t\n        actions: *a39\n")
    path = write("line/flow.yaml", "\n".join(lines))
    refused(path, "aliases expand this flow far beyond its size")


def test_a_key_written_twice_is_reported_at_the_second_not_silently_last_wins(write):
    path = write("line/flow.yaml", "inboundCall:\n  name: First\n  name: Second\n  startUpRef: /inboundCall/tasks/task[t]\n"
                 "  tasks:\n    - task:\n        name: T\n        refId: t\n        actions:\n"
                 "          - disconnect:\n              name: Bye\n")
    document = read_any(str(path))
    assert document.menu.ivr == "First"
    [duplicate] = [f for f in lint_document(document) if f.rule == "duplicate-key"]
    assert (duplicate.line, duplicate.column) == (3, 3)
    assert duplicate.message.startswith("'name' appears twice in inboundCall 'First' (first at line 2)")


def test_a_circle_of_jumps_with_nothing_in_it_is_a_broken_entry_not_a_hang(write):
    path = write("line/flow.yaml", "inboundCall:\n  name: Loop\n  startUpRef: /inboundCall/tasks/task[a]\n  tasks:\n"
                 "    - task:\n        name: A\n        refId: a\n        actions:\n          - jumpToTask:\n"
                 "              name: To B\n              targetTaskRef: /inboundCall/tasks/task[b]\n"
                 "    - task:\n        name: B\n        refId: b\n        actions:\n          - jumpToTask:\n"
                 "              name: To A\n              targetTaskRef: /inboundCall/tasks/task[a]\n")
    document = read_any(str(path))
    assert document.menu.nodes[document.menu.start].type == "hangup"
    assert [f.message.split(":")[0] for f in lint_document(document) if f.rule == "broken-entry"] == [
        "tasks jump to each other in a circle with no action in between"]
