"""Amazon Connect flows read as far as they go, findings named as the flow designer names blocks.

A block that breaks the flow language's shape, or a transition to a block
the flow does not hold, would make Connect refuse the flow; ivrlint
reports each at its place and reads the rest. Member names written twice
are reported (JSON readers keep the last one without a word).
"""

from __future__ import annotations

import json

import pytest
from conftest import run_cli
from test_import_connect import QUEUE, TO_QUEUE, block, flow_text, line_of, one_flow

from ivrlint.importers import read_any
from ivrlint.importers.connect import flows, jsonpos
from ivrlint.importers.connect.phrases import Block, ConnectPhrases
from ivrlint.lint.run import lint_document
from ivrlint.lint.settings import Settings
from ivrlint.menu.model import Node

#: A menu with a way to an agent, a repeat key and its failures handled: clean but for what a test adds.
AGENT_MENU = block("menu", "GetParticipantInput", {"Text": "For an agent, press 0. To hear this again, press 9."}, None,
                   [("0", "set-queue"), ("9", "menu")], [("InputTimeLimitExceeded", "set-queue"), ("NoMatchingCondition", "set-queue")])


def found(path, rule=None):
    findings = lint_document(read_any(str(path)), Settings(ignore=["unannounced-option", "phantom-option", "retries"]))
    return [(f.rule, f.line, f.message) for f in findings if rule is None or f.rule == rule]


def test_a_member_name_written_twice_is_reported_at_the_second_and_the_last_is_kept(write):
    said = "For an agent, press 0. To hear this again, press 9."
    text = flow_text("menu", AGENT_MENU, QUEUE, TO_QUEUE).replace(f'"Text": "{said}"', f'"Text": "Press 1.",\n        "Text": "{said}"')
    path = write("line.json", text)
    [(_, line_no, message)] = found(path, "platform-warning")
    assert line_no == line_of(path, '"Text": "For an agent') and f"(first at line {line_no - 1})" in message
    assert message.startswith('"Text" is written twice in this object')
    assert read_any(str(path)).menu.nodes["line/menu"].prompt == {"en": said}


def test_a_hostile_file_of_repeated_names_keeps_a_bounded_record(write):
    path = write("line.json", '{"StartAction": "a", "Actions": [], "x": {' + ", ".join(['"a": 1'] * 5000) + "}}")
    source = jsonpos.Source(path.read_text(), str(path))
    jsonpos.parse(source)
    assert (len(source.duplicates), source.more_duplicates) == (jsonpos.MAX_DUPLICATES, 4999 - jsonpos.MAX_DUPLICATES)


@pytest.mark.parametrize("bad, words", [
    ('"not a block"', "this item of Actions is not a block"),
    ('{"Type": "DisconnectParticipant", "Transitions": {}}', 'this block has no "Identifier"'),
    ('{"Identifier": "odd", "Parameters": [], "Type": "DisconnectParticipant"}', '"Parameters" of block \'odd\' is not an object'),
])
def test_a_block_of_the_wrong_shape_is_reported_and_the_others_are_read(write, bad, words):
    text = flow_text("menu", AGENT_MENU, QUEUE, TO_QUEUE).replace('"Actions": [', f'"Actions": [\n    {bad},', 1)
    path = write("line.json", text)
    [(_, line_no, message)] = found(path, "broken-entry")
    assert line_no == line_of(path, bad)  # the item is written on a line of its own
    assert words in message and "Connect refuses" in message
    assert "line/menu" in read_any(str(path)).menu.nodes
    assert run_cli("check", "--no-config", path).code == 1  # read and reported, not refused


def test_a_flow_of_endless_broken_blocks_keeps_a_bounded_record(write):
    text = flow_text("menu", AGENT_MENU, QUEUE, TO_QUEUE).replace('"Actions": [', '"Actions": [' + '"x", ' * 5000, 1)
    path = write("line.json", text)
    notes = [note.message for note in read_any(str(path)).notes if note.rule == "broken-entry"]
    assert len(notes) == flows.MAX_SHAPE_PROBLEMS + 2
    assert notes[-2].startswith(f"and the {5003 - flows.MAX_SHAPE_PROBLEMS} blocks from here on are not read")
    assert notes[-1].startswith("StartAction names block 'menu'")  # its block came after the ones not read


def test_a_block_with_no_type_ends_the_call_there(write):
    path = one_flow(write, block("menu", "GetParticipantInput", {"Text": "For an agent, press 0."}, None, [("0", "odd")]),
                    {"Identifier": "odd", "Parameters": {}, "Transitions": {}})
    [(_, line_no, message)] = found(path, "broken-entry")
    assert "block 'odd' has no \"Type\"" in message and line_no == line_of(path, '"Identifier": "odd"')
    document = read_any(str(path))
    assert document.menu.nodes["line/odd"].type == "hangup"


def test_a_start_action_that_names_no_block_is_reported_at_it(write):
    path = one_flow(write, AGENT_MENU, QUEUE, TO_QUEUE, start="welcome")
    reported = found(path)
    [(_, line_no, message), *_] = [r for r in reported if r[0] == "broken-entry"]
    assert line_no == line_of(path, '"StartAction"') and message.startswith("StartAction names block 'welcome'")
    assert "unknown-target" not in {rule for rule, _, _ in reported}


def test_flows_that_only_run_beside_the_caller_are_known_by_their_blocks(write):
    main = json.loads(flow_text("menu", AGENT_MENU, QUEUE, TO_QUEUE))
    del main["Metadata"]["type"]
    write("main.json", json.dumps(main, indent=2))
    whisper = json.loads(flow_text("hi", block("hi", "MessageParticipant", {"Text": "Caller from the line."}, "end"),
                                   block("end", "EndFlowExecution")))
    del whisper["Metadata"]["type"]  # DescribeContactFlow's Content carries no type
    write("whisper.json", json.dumps(whisper, indent=2))
    document = read_any(str(write("main.json", json.dumps(main, indent=2)).parent))
    assert document.menu.start == "main/menu" and not [n for n in document.notes if n.rule == "unreachable"]


def test_fix_hints_name_blocks_and_branches_as_the_flow_designer_does(write):
    path = one_flow(write, block("menu", "GetParticipantInput", {"Text": "For billing, press 1.", "InputTimeLimitSeconds": "20"},
                                 None, [("1", "set-queue")]), QUEUE, TO_QUEUE)
    messages = {rule: message for rule, _, message in found(path)}
    assert messages["no-repeat"] == ("the Get customer input block 'menu' gives no way to hear its options again; add a condition "
                                     "\"9\" to the Get customer input block 'menu' whose branch leads back to that block and say "
                                     "so at the end of the prompt")
    assert "add a condition \"0\" to the Get customer input block 'menu' whose branch leads to the Transfer to queue block " \
           "'to-queue'" in messages["no-zero-out"]
    assert "set Timeout to 5 seconds in the Get customer input block 'menu'" in messages["timeout-range"]
    assert not [m for m in messages.values() if "line/" in m]  # the importer's node ids never show


def test_unnamed_blocks_are_named_by_what_they_say_and_loops_by_their_block():
    phrases = ConnectPhrases({
        "main/menu_3f2a9c": Block("Get customer input", None, None, "For billing, press 1. For the status of a...",
                                  loop="the Loop block 'retry'"),
        "main/to-q": Block("Transfer to queue", "to-q", "Main"),
    })
    menu = Node("main/menu_3f2a9c", "menu")
    assert phrases.node(menu) == 'the Get customer input block "For billing, press 1. For the status of a..."'
    assert phrases.add_failure(menu, "main/to-q") == \
        "connect the Complete branch of the Loop block 'retry' to the Transfer to queue block 'to-q' in flow 'Main'"
    assert phrases.set_retries(menu, 2) == "set Loop count to 2 in the Loop block 'retry'"
    plain = Node("x", "menu")
    assert phrases.node(plain) == "menu 'x'"  # a node no block stands for (none in an import) keeps the default words
