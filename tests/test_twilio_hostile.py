"""Hostile and broken Studio flows: each is one clear error line naming
file:line:col and what to fix, exit 2, no traceback; memory and time stay
bounded; names written twice are findings, not silently one of them."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli
from test_twilio_import import MENU, flow_text, go, line_of, widget

from ivrlint.errors import InputError
from ivrlint.importers import read_any, textfile
from ivrlint.importers.connect.jsonpos import MAX_DEPTH


def one_error(path, *args) -> str:
    """The one line `check` prints for a file it cannot read (exit 2, nothing else)."""
    result = run_cli("check", *args, path)
    assert result.code == 2, result.out + result.err
    assert "Traceback" not in result.err and "Traceback" not in result.out
    assert result.out.strip() in ("", "1 file could not be read"), result.out  # the summary, when check prints one
    [line] = result.err.strip().splitlines()
    return line


def test_json_nested_deeper_than_the_limit_is_an_error_not_a_crash(write):
    text = '{"states": [' + "[" * (MAX_DEPTH + 50) + "]" * (MAX_DEPTH + 50) + '], "initial_state": "Trigger", "transitions": []}'
    path = write("deep.json", text)
    assert one_error(path, "--from", "twilio").startswith(f"{path}:1:")
    assert "deeper than" in one_error(path, "--from", "twilio")


def test_terraform_nested_deeper_than_the_limit_is_an_error(write):
    path = write("deep.tf", "locals {\n  f = jsonencode({ states = " + "[" * 500 + "]" * 500 + " })\n}\n")
    assert f"{path}:2:" in one_error(path, "--from", "twilio") and "deeper than" in one_error(path, "--from", "twilio")


def test_strings_nested_in_interpolations_without_end_are_an_error(write):
    bomb = '"${' * 2000 + "x" + '}"' * 2000
    path = write("bomb.tf", "locals {\n  f = jsonencode({ states = [], description = " + bomb + " })\n}\n")
    assert "nest inside interpolations" in one_error(path, "--from", "twilio")


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(write, monkeypatch):
    monkeypatch.setattr(textfile, "MAX_BYTES", 100)
    path = write("big.json", flow_text(*MENU))
    with pytest.raises(InputError, match="larger than"):
        read_any(str(path), "twilio")


@pytest.mark.parametrize("name", ["flow.json", "flow.tf"])
def test_text_that_is_not_utf8_is_an_error_at_its_byte(write, name):
    head = flow_text(*MENU).encode("utf-8") if name.endswith(".json") else b"locals {\n  f = jsonencode({ states = [] })\n}\n"
    path = write(name, head.replace(b"Acme", b"Ac\xffme") if b"Acme" in head else head + b"# \xff\n")
    line = one_error(path, "--from", "twilio")
    assert "is not UTF-8" in line and line.startswith(str(path) + ":")


WRONG_SHAPES = [
    ("[1, 2]", "a JSON object with \"states\""),
    ('{"states": {"name": "x"}, "initial_state": "Trigger"}', '"states": [...]'),
    ('{"states": ["Trigger"], "initial_state": "Trigger"}', "each of \"states\" is an object"),
    ('{"states": [{"type": "trigger", "transitions": []}], "initial_state": "Trigger"}', 'no "name"'),
    ('{"states": [{"name": "Trigger", "type": "trigger", "transitions": {"event": "incomingCall"}}], "initial_state": "Trigger"}',
     "a list of"),
    ('{"states": [{"name": "Trigger", "type": "trigger", "transitions": [{"next": "x"}]}], "initial_state": "Trigger"}',
     'an "event"'),
    ('{"states": [{"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingCall", "next": 7}]}], '
     '"initial_state": "Trigger"}', 'names a widget, as a string'),
    ('{"states": [{"name": "T", "type": "trigger", "transitions": [], "properties": []}], "initial_state": "T"}',
     '"properties" is an object'),
    ('{"states": [{"name": "T", "type": "trigger", "transitions": [{"event": "x", "conditions": {}}]}], "initial_state": "T"}',
     '"conditions" is a list'),
    ('{"states": [], "initial_state": 3}', '"initial_state" names'),
    ('{"states": [],}', "trailing comma"),
    ('{"states": [], "initial_state": "Trigger", "flags": ${FLAGS}}', "Terraform placeholder outside a string"),
    ('{"states": [] // a comment\n}', "no comments"),
    ('{"states": [], "initial_state": "Trigger"', "ends in the middle"),
    ("   \n", "the file is empty"),
]


@pytest.mark.parametrize(("text", "message"), WRONG_SHAPES, ids=[m for _, m in WRONG_SHAPES])
def test_a_flow_of_the_wrong_shape_is_one_error_at_its_place(write, text, message):
    path = write("flow.json", text)
    line = one_error(path, "--from", "twilio")
    assert message in line, line
    assert line.startswith(f"{path}:") and line.split(":")[1].isdigit() and line.split(":")[2].isdigit()


@pytest.mark.parametrize(("text", "message"), [
    ('locals {\n  f = jsonencode({ states = [ { name = "x } ] })\n}\n', "not closed"),
    ('locals {\n  f = jsonencode({ states = [ { name "x" } ] })\n}\n', "expected '=' or ':'"),
    ('locals {\n  f = jsonencode({ states = [ 1\n 2 ] })\n}\n', "a comma is missing"),
    ('locals {\n  f = jsonencode({ states = [ { name = "\\q" } ] })\n}\n', "not an escape"),
    ('locals {\n  f = jsonencode({ states = [ { say = <<EOT\nno end\n} ] })\n}\n', "no closing line"),
    ('locals {\n  f = jsonencode({ states = [', "ends in the middle"),
])
def test_terraform_that_cannot_be_read_is_one_error_at_its_place(write, text, message):
    path = write("main.tf", text)
    line = one_error(path, "--from", "twilio")
    assert message in line and line.startswith(f"{path}:"), line


def test_binary_junk_read_as_studio_json_is_one_error(write):
    path = write("flow.json", bytes(range(1, 200)))
    assert "invalid JSON" in one_error(path, "--from", "twilio") or "UTF-8" in one_error(path, "--from", "twilio")


def test_a_member_written_twice_is_a_finding_and_the_file_still_loads(write):
    text = flow_text(*MENU).replace('"description": "Acme",', '"description": "Acme",\n  "description": "Other",')
    path = write("flow.json", text)
    result = run_cli("check", path)
    assert result.code == 1 and f"{path}:{line_of(path, 'Other')}:3: error duplicate-key 'description'" in result.out


def test_a_long_flow_and_circles_of_silent_widgets_import_without_recursion(write):
    chain = [widget(f"m{i}", "say-play", [go("audioComplete", f"m{i + 1}")], say=f"Message {i}.") for i in range(3000)]
    circle = [widget("a", "set-variables", [go("next", "b")]), widget("b", "set-variables", [go("next", "a")])]
    path = write("long.json", flow_text(*chain, widget("m3000", "say-play", [go("audioComplete", "a")], say="Last."), *circle,
                                        start="m0"))
    menu = read_any(str(path)).menu
    assert len([n for n in menu.nodes if n.startswith("m")]) == 3001
    assert menu.nodes["m3000"].next in ("a", "b") and menu.nodes[menu.nodes["m3000"].next].label == "step: set-variables"


def test_a_transition_with_no_next_at_every_place_still_loads(write):
    states = [widget("gather_main", "gather-input-on-call", [go("keypress"), go("timeout")], say="Press 1.")]
    document = read_any(str(write("flow.json", flow_text(*states))))
    node = document.menu.nodes["gather_main"]
    assert node.type == "input" and document.menu.nodes[node.next].type == "hangup"
    assert [n.rule for n in document.notes] == ["platform-warning"]  # any key ends the call


def test_json_null_and_odd_values_are_read_as_studio_does_not_crash(write):
    states = [widget("gather_main", "gather-input-on-call", [go("keypress", "s"), go("timeout")], say=None, timeout="soon",
                     loop="twice", number_of_digits=True),
              {"name": "s", "type": "split-based-on", "transitions": [go("noMatch"), {"event": "match", "next": "s",
                                                                                     "conditions": ["bad", {"type": None}]}],
               "properties": {"input": ["not", "text"]}}]
    document = read_any(str(write("flow.json", json.dumps(json.loads(flow_text(*states)), indent=1))))
    assert {n.rule for n in document.notes} >= {"broken-entry"}
