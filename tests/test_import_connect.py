"""Amazon Connect flow language JSON as a menu: blocks, retries, queues,
links between flow files, prompts in any language, positions in the
original file, and malformed files."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, menu_shape, run_cli, within_cpu

from ivrlint.analysis import analyze_menu
from ivrlint.errors import InputError
from ivrlint.importers import detect, load_any, read_any
from ivrlint.importers.connect import jsonpos
from ivrlint.importers.connect.flows import read_flow
from ivrlint.importers.yaml_out import menu_to_yaml
from ivrlint.lint.run import lint_document
from ivrlint.menu.loader import load_text
from ivrlint.menu.model import Duration, Intent, Traffic
from ivrlint.sim import run_simulation

FIXTURE = ROOT / "tests" / "fixtures" / "connect" / "line"
MAIN, BILLING = FIXTURE / "Main IVR.json", FIXTURE / "Billing.json"
OUTAGES = FIXTURE / "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a.json"
ARN = "arn:aws:connect:eu-west-1:111122223333:instance/4a4a4a4a-1111-4222-8333-444455556666"


def block(ident, kind, params=None, next_=None, keys=(), errors=()):
    """One action as the flow language writes it; keys and errors are (operand or type, target) pairs."""
    transitions = {}
    if next_:
        transitions["NextAction"] = next_
    if keys:
        transitions["Conditions"] = [{"NextAction": t, "Condition": {"Operator": "Equals", "Operands": [k]}} for k, t in keys]
    if errors:
        transitions["Errors"] = [{"NextAction": t, "ErrorType": e} for e, t in errors]
    return {"Parameters": params or {}, "Identifier": ident, "Type": kind, "Transitions": transitions}


def flow_text(start, *actions, name=None, meta=None, kind="contactFlow"):
    metadata = {"ActionMetadata": meta or {}, "type": kind}
    if name:
        metadata["name"] = name
    return json.dumps({"Version": "2019-10-30", "StartAction": start, "Metadata": metadata, "Actions": list(actions)},
                      indent=2, ensure_ascii=False) + "\n"


def line_of(path, marker, nth=0) -> int:
    """The line (from 1) of the nth line of the file that contains `marker`."""
    lines = [i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if marker in text]
    return lines[nth]


QUEUE = block("set-queue", "UpdateContactTargetQueue", {"QueueId": f"{ARN}/queue/9f9f9f9f-0000-4000-8000-000000000001"},
              "to-queue")
TO_QUEUE = block("to-queue", "TransferContactToQueue")
MENU_KEYS = [("1", "set-queue"), ("0", "set-queue")]


def one_flow(write, *actions, start="menu", name="line.json", **kw):
    return write(name, flow_text(start, *actions, **kw))


# -- the fixture phone line: three files linked by TransferToFlow ------------

@pytest.fixture(scope="module")
def line_document():
    return read_any(str(FIXTURE))


@pytest.fixture(scope="module")
def line(line_document):
    return line_document.menu


def test_a_directory_is_one_line_entered_at_the_flow_no_other_flow_leads_to(line):
    assert line.ivr == "Main IVR" and line.file == str(MAIN)
    assert line.start == "Main_IVR/menu_c0ffee"
    assert {n.split("/")[0] for n in line.nodes} == {"Main_IVR", "Billing", "Outages"}


def test_transfer_to_flow_resolves_by_the_name_in_metadata_and_by_the_arn_id(line, line_document):
    main = line.nodes[line.start]
    assert main.options["1"].goto == "Billing/hours"  # displayName 'Billing' = Metadata.name of Billing.json
    assert main.options["2"].goto == "Outages/message_00000a"  # ARN id = the file's name
    assert line.nodes["Billing/billing-menu"].options["*"].goto == line.start  # back to the main menu
    assert not line_document.notes


def test_prompts_keep_their_words_in_any_language_and_ssml_loses_its_tags(line):
    main = line.nodes[line.start]
    assert line.language == "lt"
    assert main.prompt == {"lt": "Sveiki, čia Baltijos energija. Dėl sąskaitų spauskite 1. Dėl gedimų spauskite 2. "
                                 "Norėdami kalbėti su konsultantu, spauskite 0."}
    billing = line.nodes["Billing/billing-menu"]  # SSML with <break/>, voice Tatyana
    assert billing.prompt["ru"].startswith("Чтобы узнать баланс, нажмите 1. Чтобы поговорить")
    assert "<" not in billing.prompt["ru"]


def test_a_loop_back_to_the_menu_gives_its_retries_and_its_complete_branch_the_failure(line):
    main = line.nodes[line.start]
    assert (main.retries, main.on_failure, main.on_no_input, main.on_invalid) == (2, "Main_IVR/queue_f00dba", None, None)
    assert main.locs["retries"].line == line_of(MAIN, '"LoopCount": "2"')
    assert "Main_IVR/message_d15a0b" not in line.nodes  # the apology on the retry path is part of the retry
    assert line.nodes["Billing/billing-menu"].retries == 3


def test_queue_pools_take_the_queue_name_from_metadata_old_and_new(line):
    assert set(line.queues) == {"Pagalba", "Gedimai", "Saskaitos"}
    assert line.nodes["Billing/to-billing-queue"].queue == "Saskaitos"  # "queue": {"text": ...} of older exports
    assert line.queues["Pagalba"].agents == 1  # pools.py default: the flow does not say


def test_queue_at_capacity_is_a_branch_the_simulation_does_not_take_until_told(line):
    gate = line.nodes["Main_IVR/queue_f00dba"]
    assert gate.type == "branch"
    assert [(b.goto, b.share) for b in gate.branches] == [("Main_IVR/queue_f00dba-queue", None), ("Main_IVR/hangup_a1b2c3", 0.0)]
    assert line.nodes["Main_IVR/queue_f00dba-queue"].queue == "Pagalba"


def test_stored_input_is_an_input_node_with_its_digits_and_timeout(line):
    account = line.nodes["Billing/account"]
    assert (account.type, account.digits, account.timeout, account.retries) == ("input", 10, 8.0, 0)
    assert account.next == "Billing/found"  # past the Lambda call, which callers do not hear
    assert line.nodes["Billing/found"].type == "branch"


def test_hours_check_is_a_branch_with_both_ways(line):
    hours = line.nodes["Billing/hours"]
    assert [(b.goto, b.when) for b in hours.branches] == [("Billing/billing-menu", "yes"), ("Billing/closed", "no")]
    assert hours.label == "in hours (Darbo valandos)?"


def test_findings_point_at_the_lines_of_the_original_files(line_document):
    found = {(f.rule, f.file, f.line) for f in lint_document(line_document)}
    assert ("retries", str(BILLING), line_of(BILLING, '"Identifier": "account"')) in found
    assert ("no-repeat", str(MAIN), line_of(MAIN, '"Identifier": "c0ffee01')) in found


def test_options_point_at_their_key_and_their_next_action(line):
    key = line.nodes[line.start].options["2"]
    row = line_of(MAIN, '"Operands": ["2"]')
    assert (key.loc.line, key.loc.column) == (row, MAIN.read_text(encoding="utf-8").splitlines()[row - 1].index('"2"') + 1)
    assert key.target_loc.line == line_of(MAIN, '"NextAction": "3c4d5e6f')
    assert line.nodes[line.start].loc.line == line_of(MAIN, '"Identifier": "c0ffee01')


def test_the_yaml_it_writes_reads_back_as_the_same_menu(line, line_document):
    assert menu_shape(load_text(menu_to_yaml(line, line_document.notes), "line.yaml")) == menu_shape(line)


def test_the_imported_line_analyses_and_simulates_once_traffic_is_added():
    menu = load_any(str(FIXTURE))
    intents = {"balance": Intent("balance", 0.5, ["Billing/balance"]), "outage": Intent("outage", 0.3, ["Outages/queue_00000c"]),
               "agent": Intent("agent", 0.2, ["Main_IVR/queue_f00dba-queue"])}
    menu.traffic = Traffic([60.0], Duration(120.0), intents, languages={"lt": 0.7, "ru": 0.3})
    exact = analyze_menu(menu, paths=False)
    assert 0 < exact["intents"]["outage"]["p_goal"] <= 1
    result = run_simulation(menu, hours=2, replications=2, seed=3, jobs=1)
    assert result.metrics["overall"]["calls"]["mean"] > 0


# -- blocks one at a time --------------------------------------------------

def test_a_menu_with_no_loop_gives_one_try_and_splits_timeout_from_default(write):
    path = one_flow(write, block("menu", "GetParticipantInput", {"Text": "For sales, press 1. For an agent, press 0."}, "set-queue",
                                 MENU_KEYS, [("InputTimeLimitExceeded", "again"), ("NoMatchingCondition", "set-queue")]),
                    block("again", "MessageParticipant", {"Text": "Please try later."}, "bye"),
                    block("bye", "DisconnectParticipant"), QUEUE, TO_QUEUE)
    menu = load_any(str(path)).nodes["line/menu"]
    assert (menu.retries, menu.on_failure, menu.on_no_input) == (0, "line/to-queue", "line/again")
    assert menu.locs["on_no_input"].line == line_of(path, '"NextAction": "again"')


def test_failures_that_come_straight_back_are_unbounded_retries(write):
    path = one_flow(write, block("menu", "GetParticipantInput", {"Text": "For an agent, press 0."}, "sorry",
                                 [("0", "set-queue")], [("InputTimeLimitExceeded", "sorry"), ("NoMatchingCondition", "menu")]),
                    block("sorry", "MessageParticipant", {"Text": "Sorry."}, "menu"), QUEUE, TO_QUEUE)
    document = read_any(str(path))
    menu = document.menu
    assert menu.nodes["line/menu"].retries is None and "line/sorry" not in menu.nodes
    assert "retries" in {f.rule for f in lint_document(document)}


def test_a_key_that_leads_back_to_its_menu_repeats_it(write):
    path = one_flow(write, block("menu", "GetParticipantInput", {"Text": "For an agent, press 0. To hear this again, press 9."},
                                 "set-queue", [("0", "set-queue"), ("9", "log-it")]),
                    block("log-it", "UpdateContactAttributes", {"Attributes": {"repeat": "yes"}}, "menu"), QUEUE, TO_QUEUE)
    option = load_any(str(path)).nodes["line/menu"].options["9"]
    assert (option.goto, option.action) == (None, "repeat")


def test_a_loop_that_is_not_a_retry_is_a_branch_with_the_mean_number_of_loops(write):
    path = one_flow(write, block("news", "MessageParticipant", {"Text": "Our news."}, "loop"),
                    block("loop", "Loop", {"LoopCount": "3"}, "set-queue",
                          [("ContinueLooping", "news"), ("DoneLooping", "set-queue")]), QUEUE, TO_QUEUE, start="news")
    loop = load_any(str(path)).nodes["line/loop"]
    assert [(b.goto, b.share) for b in loop.branches] == [("line/news", 0.75), ("line/to-queue", 0.25)]


def test_distribute_by_percentage_gives_branch_shares(write):
    split = block("split", "DistributeByPercentage", {}, None, [], [("NoMatchingCondition", "b")])
    split["Transitions"]["Conditions"] = [{"NextAction": "a", "Condition": {"Operator": "NumberLessThan", "Operands": ["30"]}}]
    path = one_flow(write, split, block("a", "DisconnectParticipant"), block("b", "DisconnectParticipant"), start="split")
    assert [(b.goto, b.share) for b in load_any(str(path)).nodes["line/split"].branches] == [("line/a", 0.3), ("line/b", 0.7)]


def test_one_transfer_block_fed_by_two_working_queues_is_two_queue_nodes(write):
    path = one_flow(write, block("menu", "GetParticipantInput", {"Text": "For sales, press 1. For an agent, press 0."}, "q-general",
                                 [("1", "q-sales"), ("0", "q-general")], [("NoMatchingCondition", "q-general")]),
                    block("q-sales", "UpdateContactTargetQueue", {"QueueId": f"{ARN}/queue/aaaa0000-0000-4000-8000-000000000001"}, "to-queue"),
                    block("q-general", "UpdateContactTargetQueue", {"QueueId": f"{ARN}/queue/bbbb0000-0000-4000-8000-000000000002"}, "to-queue"),
                    TO_QUEUE, meta={"q-sales": {"parameters": {"QueueId": {"displayName": "Sales"}}}})
    menu = load_any(str(path))
    options = menu.nodes["line/menu"].options
    assert options["1"].goto == "line/to-queue@Sales" and menu.nodes["line/to-queue@Sales"].queue == "Sales"
    assert menu.nodes[options["0"].goto].queue == "bbbb0000-0000-4000-8000-000000000002"  # no name shown: the ARN's id


def test_transfer_to_queue_with_no_working_queue_is_a_broken_entry(write):
    path = one_flow(write, block("menu", "GetParticipantInput", {"Text": "For an agent, press 0."}, "to-queue",
                                 [("0", "to-queue")]), TO_QUEUE)
    document = read_any(str(path))
    [note] = document.notes
    assert note.rule == "broken-entry" and note.loc.line == line_of(path, '"Identifier": "to-queue"')
    assert document.menu.nodes["line/to-queue"].type == "hangup"


def test_a_sub_flow_that_is_not_given_is_a_broken_entry_at_its_block(write):
    path = one_flow(write, block("go", "TransferToFlow", {"ContactFlowId": f"{ARN}/contact-flow/5555aaaa-0000-4000-8000-000000000009"}),
                    start="go")
    found = [(f.rule, f.line) for f in lint_document(read_any(str(path)))]
    assert ("broken-entry", line_of(path, '"ContactFlowId"')) in found


def test_a_sub_flow_is_found_by_its_file_name_when_metadata_has_no_name(write):
    write("Sales.json", flow_text("hello", block("hello", "MessageParticipant", {"Text": "Sales here."}, "bye"),
                                  block("bye", "DisconnectParticipant")))
    main = write("Main.json", flow_text("go", block("go", "TransferToFlow", {"ContactFlowId": "Sales"})))
    document = read_any(str(main.parent))
    assert document.menu.start == "Sales/hello" and not document.notes


def test_unknown_blocks_are_kept_as_opaque_steps_never_dropped(write):
    path = one_flow(write, block("wait", "Wait", {"TimeLimitSeconds": "30"}, "bye"), block("bye", "DisconnectParticipant"),
                    block("lex", "ConnectParticipantWithLexBot", {"Text": "Hi"}), start="wait")
    document = read_any(str(path))
    menu = document.menu
    wait = menu.nodes["line/wait"]
    assert (wait.type, wait.label, wait.next, wait.prompt) == ("message", "opaque: block Wait", "line/bye", {})
    assert menu.nodes["line/lex"].type == "hangup"  # no way out written: the call ends there as far as we know
    findings = {(f.rule, f.severity, f.line) for f in lint_document(document)}
    assert {("opaque-step", "warning", line_of(path, '"Identifier": "wait"')),
            ("opaque-step", "warning", line_of(path, '"Identifier": "lex"')),
            ("unreachable", "error", line_of(path, '"Identifier": "lex"'))} <= findings  # left unconnected on the canvas


def test_speech_input_and_conditions_other_than_a_key_are_opaque(write):
    lex = block("lex", "GetParticipantInput", {"Text": "How can I help?", "LexV2Bot": {"AliasArn": "arn:aws:lex:x"}},
                "bye", [("Billing", "bye")])
    menu_ = block("menu", "GetParticipantInput", {"Text": "Press 1.", "InputTimeLimitSeconds": "$.Attributes.wait"},
                  "lex", [("1", "lex")])
    menu_["Transitions"]["Conditions"].append({"NextAction": "bye", "Condition": {"Operator": "NumberGreaterThan", "Operands": ["5"]}})
    path = one_flow(write, menu_, lex, block("bye", "DisconnectParticipant"))
    document = read_any(str(path))
    menu = document.menu
    assert menu.nodes["line/lex"].label == "opaque: block GetParticipantInput"
    assert list(menu.nodes["line/menu"].options) == ["1"] and menu.nodes["line/menu"].timeout == 5.0
    assert sorted((note.rule, note.loc.line) for note in document.notes) == sorted([
        ("opaque-step", line_of(path, '"Identifier": "lex"')),
        ("opaque-step", line_of(path, '"InputTimeLimitSeconds"')),
        ("opaque-step", line_of(path, '"NextAction": "bye"', 0)),
    ])


def test_recorded_prompts_have_no_text_and_name_the_recording(write):
    path = one_flow(write, block("hi", "MessageParticipant", {"PromptId": f"{ARN}/prompt/77770000-0000-4000-8000-000000000001"}, "s3"),
                    block("s3", "MessageParticipant", {"Media": {"Uri": "s3://acme-prompts/lt/sveiki.wav", "SourceType": "S3"}}, "bye"),
                    block("bye", "DisconnectParticipant"), start="hi",
                    meta={"hi": {"parameters": {"PromptId": {"displayName": "Welcome.wav"}}}})
    nodes = load_any(str(path)).nodes
    assert (nodes["line/hi"].prompt, nodes["line/hi"].label) == ({}, "recording: Welcome.wav")
    assert nodes["line/s3"].label == "recording: sveiki.wav"


def test_ssml_lang_and_the_voice_name_the_prompt_language(write):
    path = one_flow(write, block("voice", "UpdateContactTextToSpeechVoice", {"TextToSpeechVoice": "Tatyana"}, "hi"),
                    block("hi", "MessageParticipant", {"SSML": '<speak><lang xml:lang="lv-LV">Labdien &amp; sveiki!</lang></speak>'}, "ru"),
                    block("ru", "MessageParticipant", {"Text": "Здравствуйте."}, "bye"), block("bye", "DisconnectParticipant"),
                    start="voice")
    menu = load_any(str(path))
    assert menu.language == "ru"
    assert menu.nodes["line/hi"].prompt == {"lv": "Labdien & sveiki!"}
    assert menu.nodes["line/ru"].prompt == {"ru": "Здравствуйте."}


def test_a_transition_to_no_block_is_a_broken_entry_at_it_and_ends_the_call(write):
    path = one_flow(write, block("menu", "GetParticipantInput", {"Text": "For an agent, press 0."}, None, [("0", "gone")]))
    document = read_any(str(path))
    found = lint_document(document)
    [finding] = [f for f in found if f.rule == "broken-entry"]
    assert finding.line == line_of(path, '"NextAction": "gone"')
    assert finding.message.startswith("the branch for key 0 of the Get customer input block 'menu' leads to block 'gone', "
                                      "which is not in the flow; Connect refuses")
    assert "unknown-target" not in {f.rule for f in found}  # one finding for one defect
    stand_in = document.menu.nodes[document.menu.nodes["line/menu"].options["0"].goto]
    assert stand_in.type == "hangup"


def test_the_same_key_twice_is_a_duplicate_key(write):
    path = one_flow(write, block("menu", "GetParticipantInput", {"Text": "For an agent, press 0."}, "set-queue",
                                 [("0", "set-queue"), ("0", "set-queue")], [("NoMatchingCondition", "set-queue")]), QUEUE, TO_QUEUE)
    assert [f.line for f in lint_document(read_any(str(path))) if f.rule == "duplicate-key"] == [line_of(path, '"Operands": [', 1) + 1]


def test_silent_blocks_in_a_circle_end_instead_of_hanging(write):
    path = one_flow(write, block("a", "UpdateContactAttributes", {}, "b"), block("b", "UpdateContactAttributes", {}, "a"), start="a")
    document = read_any(str(path))
    menu = document.menu
    assert menu.nodes[menu.start].label == "step: UpdateContactAttributes"
    assert "trap-loop" in {f.rule for f in lint_document(document)}


def test_flows_the_entry_never_reaches_are_reported_once_and_side_flows_skipped(write):
    write("a.json", flow_text("bye", block("bye", "DisconnectParticipant")))
    write("b.json", flow_text("bye", block("bye", "DisconnectParticipant"), name="Other line"))
    write("queue music.json", flow_text("bye", block("bye", "DisconnectParticipant"), kind="customerQueue"))
    document = read_any(str(write("c.txt", "").parent))
    assert list(document.menu.nodes) == ["a/bye"]
    assert [(note.rule, note.loc.file.endswith("b.json")) for note in document.notes] == [("unreachable", True)]


def test_in_a_circle_of_flows_the_hub_is_the_entry(write):
    main = write("z-main.json", flow_text("m", block("m", "GetParticipantInput", {"Text": "Press 1 or 2."}, None,
                                                     [("1", "to-a"), ("2", "to-b")]),
                                          block("to-a", "TransferToFlow", {"ContactFlowId": "a"}),
                                          block("to-b", "TransferToFlow", {"ContactFlowId": "b"})))
    for name in ("a", "b"):
        write(f"{name}.json", flow_text("back", block("back", "TransferToFlow", {"ContactFlowId": "z-main"})))
    assert load_any(str(main.parent)).start == "z-main/m"


# -- recognising and rejecting files ------------------------------------------

def test_only_flow_files_are_taken_for_connect(write):
    flow = one_flow(write, block("bye", "DisconnectParticipant"), start="bye")
    other = write("package.json", '{"name": "x", "version": "1.0.0", "scripts": {"Actions": "none"}}')
    assert detect(str(flow)) == "connect" and detect(str(other)) is None
    assert list(load_any(str(flow.parent)).nodes) == ["line/bye"]


@pytest.mark.parametrize("text, line, column, words", [
    ('{\n  "StartAction": "a"\n  "Actions": []\n}', 3, 3, "expected ',' or '}'"),
    ('{\n  "StartAction": "a",\n  "Actions": [1, 2,]\n}', 3, 20, "no trailing comma"),
    ('{\n  "StartAction": "a",\n  "Actions": [\n', 4, 1, "cut short"),
    ("{'StartAction': 'a'}", 1, 2, "double quotes"),
    ("\n  \n", 3, 1, "the file is empty"),
    ('{"StartAction": "a\nb", "Actions": []}', 1, 19, "line break"),
    ('{"StartAction": "a", "Actions": []} // done', 1, 37, "no comments"),
])
def test_malformed_json_is_one_error_with_file_line_and_column(write, text, line, column, words):
    path = write("flow.json", text)
    result = run_cli("check", "--from", "connect", path)
    assert result.code == 2
    assert result.err.startswith(f"{path}:{line}:{column}: error: invalid JSON: ") and words in result.err, result.err
    assert "Traceback" not in result.err


def test_deep_nesting_is_refused_at_the_depth_limit(write):
    path = write("flow.json", '{"StartAction": "a", "Actions": ' + "[" * 5000 + "]" * 5000 + "}")
    with pytest.raises(InputError, match=f"deeper than {jsonpos.MAX_DEPTH} levels"):
        read_flow(str(path))


def test_files_over_the_size_limit_are_refused_before_parsing(write, monkeypatch):
    from ivrlint.importers import textfile
    monkeypatch.setattr(textfile, "MAX_BYTES", 100)
    path = one_flow(write, block("bye", "DisconnectParticipant", {"Text": "x" * 200}), start="bye")
    with pytest.raises(InputError, match="larger than"):
        read_flow(str(path))


@pytest.mark.parametrize("text, words", [
    ('[1, 2]', "a JSON object"),
    ('{"StartAction": "a"}', '"Actions"'),
    ('{"Actions": []}', '"StartAction"'),
    ('{"StartAction": "a", "modules": []}', "old export format"),
])
def test_a_json_file_that_is_not_a_flow_says_what_is_missing(write, text, words):
    with pytest.raises(InputError, match=words):
        read_flow(str(write("flow.json", text)))


def test_text_that_is_not_utf8_is_an_error_at_its_place(write):
    path = write("flow.json", b'{"StartAction": "a",\n "Actions": ["\xff"]}')
    with pytest.raises(InputError) as caught:
        read_flow(str(path))
    assert str(caught.value).startswith(f"{path}:2:15: error: is not UTF-8")


def test_a_large_flow_imports_in_bounded_time(write):
    actions = [block(f"m{i}", "MessageParticipant", {"Text": f"Pranešimas numeris {i}."}, f"m{i + 1}") for i in range(5000)]
    path = one_flow(write, *actions, block("m5000", "DisconnectParticipant"), start="m0")
    assert within_cpu(lambda: len(load_any(str(path)).nodes), seconds=5) == 5001


# -- the examples and the command line -----------------------------------------

def test_the_good_example_lints_clean_and_the_bad_one_is_pinned_at_its_lines():
    assert run_cli("check", "menus/platforms/connect", cwd=ROOT).out.strip() == "no problems in 2 files"
    bad = ROOT / "menus" / "bad" / "platforms" / "connect" / "Helpdesk.json"
    found = {(f.rule, f.line) for f in lint_document(read_any(str(bad)))}
    assert {("broken-entry", line_of(bad, '"ContactFlowId": "arn')),
            ("broken-entry", line_of(bad, '"Identifier": "to-helpdesk"')),
            ("opaque-step", line_of(bad, '"Identifier": "assistant"')),
            ("broken-entry", line_of(bad, '"NextAction": "printers"')),
            ("retries", line_of(bad, '"NextAction": "sorry"', 1))} <= found


def test_import_command_writes_yaml_with_the_source_lines(tmp_path):
    out = tmp_path / "line.yaml"
    result = run_cli("import", "connect", MAIN, BILLING, OUTAGES, "-o", out)
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    row = line_of(MAIN, '"Identifier": "c0ffee01')
    assert f"# from Main IVR.json:{row}" in text
    assert "Сейчас мы не работаем" in text
