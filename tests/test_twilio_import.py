"""Twilio Studio flows as a menu: every widget mapping, retries from the
flow's shape, positions in the original JSON or Terraform file, the REST
API's and Terraform's forms, recognition from content, and the bundled
examples."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, menu_shape, run_cli

from ivrlint.analysis import analyze_menu
from ivrlint.errors import InputError
from ivrlint.importers import detect, read_any
from ivrlint.importers.yaml_out import menu_to_yaml
from ivrlint.lint.run import lint_document
from ivrlint.menu.loader import load_text
from ivrlint.menu.model import Duration, Intent, Traffic

GOOD = ROOT / "menus" / "platforms" / "twilio" / "acme-support.json"
BAD = ROOT / "menus" / "bad" / "platforms" / "twilio" / "helpdesk.json"
PROMPT = "For sales, press 1. For an agent, press 0."


# -- writing flows in tests ---------------------------------------------------

def go(event, next_=None, conditions=None):
    out = {"event": event}
    if next_:
        out["next"] = next_
    if conditions is not None:
        out["conditions"] = conditions
    return out


def key(gather, value, next_, kind="equal_to"):
    condition = {"friendly_name": f"If value {kind} {value}", "arguments": [f"{{{{widgets.{gather}.Digits}}}}"],
                 "type": kind, "value": value}
    return go("match", next_, [condition])


def widget(name, kind, transitions=(), **properties):
    properties.setdefault("offset", {"x": 0, "y": 0})
    return {"name": name, "type": kind, "transitions": list(transitions), "properties": properties}


def gather(name="gather_main", keypress="split_main", timeout=None, say=PROMPT, **properties):
    return widget(name, "gather-input-on-call", [go("keypress", keypress), go("speech"), go("timeout", timeout)],
                  say=say, **properties)


def split(name="split_main", of="gather_main", no_match=None, keys=()):
    return widget(name, "split-based-on", [go("noMatch", no_match)] + [key(of, k, t) for k, t in keys],
                  input=f"{{{{widgets.{of}.Digits}}}}")


def flex(name="agent", workflow="WW0123456789abcdef0123456789abcdef"):
    return widget(name, "send-to-flex", [go("callComplete"), go("failedToEnqueue"), go("callFailure")],
                  workflow=workflow, channel="TC0123")


def flow_text(*states, start="gather_main", description="Acme"):
    trigger = widget("Trigger", "trigger", [go("incomingMessage"), go("incomingCall", start), go("incomingRequest")])
    return json.dumps({"description": description, "states": [trigger, *states], "initial_state": "Trigger",
                       "flags": {"allow_concurrent_calls": True}}, indent=2) + "\n"


def one_flow(write, *states, name="flow.json", **kw):
    return write(name, flow_text(*states, **kw))


def line_of(path, marker, nth=0) -> int:
    lines = [i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if marker in text]
    return lines[nth]


def found(path) -> set[tuple[str, int]]:
    return {(f.rule, f.line) for f in lint_document(read_any(str(path)))}


MENU = (gather(timeout="agent"), split(no_match="agent", keys=[("1", "sales"), ("0", "agent")]),
        widget("sales", "enqueue-call", [go("callComplete")], queue_name="sales"), flex())


# -- the case and the examples ------------------------------------------

def test_a_gather_with_no_timeout_or_no_match_path_loads_and_is_reported_at_the_gather(write):
    path = one_flow(write, gather(), split(keys=[("1", "sales")]), widget("sales", "enqueue-call", queue_name="sales"))
    result = run_cli("check", path)
    assert result.code == 1, result.out + result.err
    row = line_of(path, '"name": "gather_main"')
    assert {("hangup-on-failure", row), ("no-zero-out", row)} <= found(path)


def test_with_a_timeout_and_a_no_match_path_to_a_person_neither_fires(write):
    path = one_flow(write, *MENU)
    assert not {rule for rule, _ in found(path)} & {"hangup-on-failure", "no-zero-out"}


def test_the_good_example_lints_clean_and_the_bad_one_is_pinned_at_its_lines():
    assert run_cli("check", "menus/platforms/twilio", cwd=ROOT).out.strip() == "no problems in 1 file"
    row = line_of(BAD, '"name": "gather_main"')
    assert {("hangup-on-failure", row), ("no-zero-out", row),
            ("unknown-target", line_of(BAD, '"next": "ticket_status"')),
            ("broken-entry", line_of(BAD, '"value": "#"')),
            ("opaque-step", line_of(BAD, '"name": "lookup_account"')),
            ("unreachable", line_of(BAD, '"name": "old_voicemail"'))} <= found(BAD)


def test_the_good_example_imports_as_menus_queues_and_a_transfer():
    menu = read_any(str(GOOD)).menu
    assert (menu.ivr, menu.start, menu.language) == ("Acme Support", "gather_main", "en")
    main = menu.nodes["gather_main"]
    assert {k: (o.goto, o.action) for k, o in main.options.items()} == {
        "1": ("gather_billing", None), "2": ("to_technical", None), "0": ("to_agent", None), "9": (None, "repeat")}
    assert (main.retries, main.on_failure, main.on_invalid, main.timeout) == (2, "to_agent", "to_agent", 5.0)
    assert (menu.nodes["to_payments"].type, menu.nodes["to_payments"].destination) == ("transfer", "+15550100200")
    assert menu.nodes["to_technical"].queue == "technical"
    assert "set_language" not in menu.nodes  # set-variables: callers do not notice it


def test_the_yaml_it_writes_reads_back_as_the_same_menu():
    document = read_any(str(GOOD))
    assert menu_shape(load_text(menu_to_yaml(document.menu, document.notes), "line.yaml")) == menu_shape(document.menu)


def test_the_import_command_writes_yaml_with_the_source_lines(tmp_path):
    out = tmp_path / "line.yaml"
    result = run_cli("import", "twilio", GOOD, "-o", out)
    assert result.code == 0, result.err
    row = line_of(GOOD, '"name": "gather_main"')
    assert f"# from acme-support.json:{row}" in out.read_text(encoding="utf-8")


def test_the_imported_line_analyses_once_traffic_is_added():
    menu = read_any(str(GOOD)).menu
    menu.traffic = Traffic([60.0], Duration(120.0), {"tech": Intent("tech", 1.0, ["to_technical"])})
    assert 0 < analyze_menu(menu, paths=False)["intents"]["tech"]["p_goal"] <= 1


# -- gathers and splits -----------------------------------------------------------

def test_keys_come_from_equal_to_and_matches_any_of_at_their_value_and_next(write):
    path = one_flow(write, gather(timeout="agent"),
                    widget("split_main", "split-based-on", [go("noMatch", "agent"), key("gather_main", "1, 2", "sales", "matches_any_of"),
                                                            key("gather_main", "0", "agent")], input="{{widgets.gather_main.Digits}}"),
                    widget("sales", "enqueue-call", queue_name="sales"), flex())
    node = read_any(str(path)).menu.nodes["gather_main"]
    assert {k: o.goto for k, o in node.options.items()} == {"1": "sales", "2": "sales", "0": "agent"}
    zero = node.options["0"]
    text = path.read_text().splitlines()
    assert (zero.loc.line, zero.loc.column) == (line_of(path, '"value": "0"'), text[zero.loc.line - 1].index('"0"') + 1)
    value_row = line_of(path, '"value": "0"')
    assert zero.target_loc.line == max(row for row in range(value_row) if '"next": "agent"' in text[row - 1])
    assert node.loc.line == line_of(path, '"name": "gather_main"')


def test_a_key_back_to_the_gather_repeats_it(write):
    path = one_flow(write, gather(timeout="agent"), split(no_match="agent", keys=[("0", "agent"), ("9", "gather_main")]), flex())
    option = read_any(str(path)).menu.nodes["gather_main"].options["9"]
    assert (option.goto, option.action) == (None, "repeat")


def test_the_same_key_twice_is_a_duplicate_key_and_the_first_wins(write):
    path = one_flow(write, gather(timeout="agent"), split(no_match="agent", keys=[("0", "agent"), ("0", "sales")]),
                    widget("sales", "enqueue-call", queue_name="sales"), flex())
    document = read_any(str(path))
    assert document.menu.nodes["gather_main"].options["0"].goto == "agent"
    assert [f.line for f in lint_document(document) if f.rule == "duplicate-key"] == [line_of(path, '"value": "0"', 1)]


def test_timeout_is_seconds_and_defaults_to_studios_five(write):
    path = one_flow(write, gather(timeout="agent"), split(no_match="agent", keys=[("0", "agent")]), flex())
    assert read_any(str(path)).menu.nodes["gather_main"].timeout == 5.0
    path = one_flow(write, {**gather(timeout="agent"), "properties": {"say": PROMPT, "timeout": 8}},
                    split(no_match="agent", keys=[("0", "agent")]), flex(), name="eight.json")
    node = read_any(str(path)).menu.nodes["gather_main"]
    assert node.timeout == 8.0 and node.locs["timeout"].line == line_of(path, '"timeout": 8')


def test_one_play_gives_one_try_with_no_match_as_failure_and_a_timeout_elsewhere_as_no_input(write):
    path = one_flow(write, gather(timeout="bye"), split(no_match="agent", keys=[("0", "agent")]),
                    widget("bye", "say-play", [go("audioComplete")], say="Goodbye."), flex())
    node = read_any(str(path)).menu.nodes["gather_main"]
    assert (node.retries, node.on_failure, node.on_no_input, node.on_invalid) == (0, "agent", "bye", None)
    assert read_any(str(path)).menu.nodes["bye"].type == "hangup"  # a say-play with nothing after it ends the call


def test_loop_gives_retries_the_timeout_after_the_last_play_and_no_match_on_invalid(write):
    path = one_flow(write, gather(timeout="agent", loop=3), split(no_match="sorry", keys=[("0", "agent")]),
                    widget("sorry", "say-play", [go("audioComplete", "agent")], say="Sorry, that is not an option."), flex())
    node = read_any(str(path)).menu.nodes["gather_main"]
    assert (node.retries, node.on_failure, node.on_invalid) == (2, "agent", "sorry")
    assert node.locs["retries"].line == line_of(path, '"loop": 3')


def test_failures_that_come_back_to_the_gather_are_unbounded_retries(write):
    path = one_flow(write, gather(timeout="sorry"), split(no_match="sorry", keys=[("0", "agent")]),
                    widget("sorry", "say-play", [go("audioComplete", "gather_main")], say="Sorry, I did not get that."), flex())
    document = read_any(str(path))
    node = document.menu.nodes["gather_main"]
    assert node.retries is None and "sorry" not in document.menu.nodes  # the apology is part of the retry
    assert ("retries", line_of(path, '"next": "sorry"')) in found(path)


def test_loop_zero_plays_until_a_key_comes_and_no_match_elsewhere_is_a_handler(write):
    path = one_flow(write, gather(timeout="agent", loop=0), split(keys=[("0", "agent")]), flex())
    document = read_any(str(path))
    node = document.menu.nodes["gather_main"]
    assert node.retries is None and node.locs["retries"].line == line_of(path, '"loop": 0')
    assert node.on_invalid == "split_main.noMatch" and document.menu.nodes["split_main.noMatch"].type == "hangup"


def test_the_finish_key_never_reaches_the_split(write):
    path = one_flow(write, gather(timeout="agent"), split(no_match="agent", keys=[("0", "agent"), ("#", "agent")]), flex())
    document = read_any(str(path))
    assert list(document.menu.nodes["gather_main"].options) == ["0"]
    assert ("broken-entry", line_of(path, '"value": "#"')) in found(path)
    path = one_flow(write, gather(timeout="agent", finish_on_key=""), split(no_match="agent", keys=[("0", "agent"), ("#", "agent")]),
                    flex(), name="no-finish.json")
    assert list(read_any(str(path)).menu.nodes["gather_main"].options) == ["0", "#"]
    assert "broken-entry" not in {rule for rule, _ in found(path)}


def test_conditions_that_are_no_single_key_are_opaque(write):
    path = one_flow(write, gather(timeout="agent"),
                    widget("split_main", "split-based-on", [go("noMatch", "agent"), key("gather_main", "0", "agent"),
                                                            key("gather_main", "5", "agent", "greater_than"),
                                                            key("gather_main", "12", "agent")], input="{{widgets.gather_main.Digits}}"),
                    flex())
    document = read_any(str(path))
    assert list(document.menu.nodes["gather_main"].options) == ["0"]
    assert sorted(n.loc.line for n in document.notes if n.rule == "opaque-step") == [
        line_of(path, '"value": "5"'), line_of(path, '"value": "12"')]


def test_a_gather_of_several_digits_is_an_input_and_its_split_a_branch(write):
    path = one_flow(write, gather(keypress="check", timeout="agent", number_of_digits=4),
                    widget("check", "split-based-on", [go("noMatch", "agent"), key("gather_main", "1234", "welcome")],
                           input="{{widgets.gather_main.Digits}}"),
                    widget("welcome", "say-play", [go("audioComplete", "agent")], say="Welcome back."), flex())
    menu = read_any(str(path)).menu
    node = menu.nodes["gather_main"]
    assert (node.type, node.digits, node.next, node.on_failure) == ("input", 4, "check", "agent")
    assert [(b.goto, b.when) for b in menu.nodes["check"].branches] == [("agent", "no condition matches"), ("welcome", "equal_to 1234")]


def test_a_condition_that_leads_nowhere_ends_the_call_and_is_named_by_its_transition(write):
    path = one_flow(write, gather(timeout="agent"), split(no_match="agent", keys=[("0", "agent"), ("1", None)]), flex())
    document = read_any(str(path))
    goto = document.menu.nodes["gather_main"].options["1"].goto
    assert document.menu.nodes[goto].type == "hangup"
    assert document.phrases.node(document.menu.nodes[goto]) == "the end of the call at the 'match' transition (equal_to 1) of widget 'split_main'"
    assert document.phrases.part_of(goto) == "gather_main"
    assert ("platform-warning", line_of(path, '"event": "match"', 1)) in found(path)


def test_a_gather_that_also_takes_speech_says_speech_is_not_modelled(write):
    states = list(MENU)
    states[0] = {**states[0], "transitions": [go("keypress", "split_main"), go("speech", "agent"), go("timeout", "agent")]}
    path = one_flow(write, *states)
    assert ("opaque-step", line_of(path, '"next": "agent"')) in found(path)


# -- the other widgets -----------------------------------------------------------

def test_queues_are_named_by_queue_name_workflow_sid_or_flex_workflow(write):
    path = one_flow(write, gather(timeout="agent"),
                    split(no_match="agent", keys=[("1", "q"), ("2", "tr"), ("0", "agent")]),
                    widget("q", "enqueue-call", queue_name="billing"), widget("tr", "enqueue-call", workflow_sid="WW1111"), flex())
    document = read_any(str(path))
    nodes = document.menu.nodes
    assert [(nodes[n].type, nodes[n].queue) for n in ("q", "tr", "agent")] == [
        ("queue", "billing"), ("queue", "WW1111"), ("queue", "WW0123456789abcdef0123456789abcdef")]
    assert set(document.menu.queues) == {"billing", "WW1111", "WW0123456789abcdef0123456789abcdef"}
    assert not document.notes


def test_a_queue_widget_with_no_queue_is_a_broken_entry(write):
    path = one_flow(write, widget("q", "enqueue-call", [go("callComplete")]), start="q")
    document = read_any(str(path))
    assert document.menu.nodes["q"].type == "hangup"
    assert [(n.rule, n.loc.line) for n in document.notes] == [("broken-entry", line_of(path, '"name": "q"'))]


def test_connect_call_to_is_a_transfer_to_a_person(write):
    path = one_flow(write, widget("call", "connect-call-to", [go("callCompleted"), go("hangup")], noun="number", to="+15550100"),
                    widget("sip", "connect-call-to", noun="sip", sip_endpoint="sip:desk@pbx.example.com"),
                    widget("none", "connect-call-to", noun="client"), start="call")
    document = read_any(str(path))
    nodes = document.menu.nodes
    assert (nodes["call"].type, nodes["call"].destination, nodes["call"].human) == ("transfer", "+15550100", True)
    assert nodes["sip"].destination == "sip:desk@pbx.example.com"
    assert ("broken-entry", line_of(path, '"name": "none"')) in {(n.rule, n.loc.line) for n in document.notes}


def test_record_voicemail_is_a_voicemail_then_its_recording_complete(write):
    path = one_flow(write, widget("vm", "record-voicemail", [go("recordingComplete", "thanks"), go("noAudio"), go("hangup")]),
                    widget("thanks", "say-play", [go("audioComplete")], say="Thank you, we will call you back."), start="vm")
    nodes = read_any(str(path)).menu.nodes
    assert (nodes["vm"].type, nodes["vm"].next) == ("voicemail", "thanks")
    assert (nodes["thanks"].type, nodes["thanks"].prompt) == ("hangup", {"en": "Thank you, we will call you back."})


def test_say_play_is_a_message_in_its_language_and_a_recording_is_named(write):
    path = one_flow(write, widget("hello", "say-play", [go("audioComplete", "tune")], say="Sveiki!", language="lt-LT"),
                    widget("tune", "say-play", [go("audioComplete", "bye")], play="https://example.com/audio/hold.mp3?x=1"),
                    widget("bye", "say-play", [go("audioComplete", "tschuess")], say="Goodbye.", voice="Polly.Tatyana"),
                    widget("tschuess", "say-play", [go("audioComplete")], say="Tschüss.", voice="Google.de-DE-Standard-A"),
                    start="hello")
    menu = read_any(str(path)).menu
    assert menu.language == "lt"
    assert (menu.nodes["hello"].type, menu.nodes["hello"].prompt, menu.nodes["hello"].next) == ("message", {"lt": "Sveiki!"}, "tune")
    assert (menu.nodes["tune"].prompt, menu.nodes["tune"].label) == ({}, "recording: hold.mp3")
    assert menu.nodes["bye"].prompt == {"ru": "Goodbye."} and menu.nodes["tschuess"].prompt == {"de": "Tschüss."}


def test_a_prompt_that_is_only_liquid_has_no_text(write):
    path = one_flow(write, widget("hi", "say-play", [go("audioComplete")], say="{{flow.variables.greeting}}"), start="hi")
    node = read_any(str(path)).menu.nodes["hi"]
    assert (node.prompt, node.label) == ({}, "prompt from {{flow.variables.greeting}}")


def test_functions_and_http_requests_are_opaque_and_their_failures_not_followed(write):
    path = one_flow(write, widget("fn", "run-function", [go("success", "http"), go("fail", "oops")], url="https://x.twil.io/f"),
                    widget("http", "make-http-request", [go("success", "agent"), go("failed", "oops")], url="https://example.com"),
                    widget("oops", "say-play", [go("audioComplete")], say="Sorry, something went wrong."), flex(), start="fn")
    document = read_any(str(path))
    nodes = document.menu.nodes
    assert (nodes["fn"].label, nodes["fn"].next, nodes["http"].next) == ("opaque: run-function", "http", "agent")
    assert "oops" not in nodes  # only a system failure leads there
    assert sorted((n.rule, n.loc.line) for n in document.notes) == [
        ("opaque-step", line_of(path, '"name": "fn"')), ("opaque-step", line_of(path, '"name": "http"'))]


def test_widget_types_ivrlint_does_not_know_are_opaque_steps(write):
    path = one_flow(write, widget("bot", "some-future-widget", [go("done", "agent")]), flex(), start="bot")
    document = read_any(str(path))
    assert (document.menu.nodes["bot"].next, document.notes[0].rule) == ("agent", "opaque-step")
    assert "some-future-widget" in document.notes[0].message


def test_silent_widgets_are_passed_through_and_end_the_call_when_nothing_follows(write):
    path = one_flow(write, widget("vars", "set-variables", [go("next", "log")], variables=[]),
                    widget("log", "send-message", [go("sent", "agent"), go("failed")], body="A call."),
                    widget("last", "set-variables", [go("next")]), flex(), start="vars")
    menu = read_any(str(path)).menu
    assert menu.start == "agent" and "vars" not in menu.nodes and "log" not in menu.nodes
    assert menu.nodes["last"].type == "hangup"  # left unconnected, and nothing after it


def test_a_split_on_something_else_is_a_branch(write):
    hours = widget("hours", "split-based-on", [go("noMatch", "closed"), go("match", "agent", [
        {"friendly_name": "open", "arguments": ["{{widgets.fn.parsed.open}}"], "type": "equal_to", "value": "true"}])],
        input="{{widgets.fn.parsed.open}}")
    path = one_flow(write, hours, widget("closed", "say-play", [go("audioComplete")], say="We are closed."), flex(), start="hours")
    node = read_any(str(path)).menu.nodes["hours"]
    assert node.type == "branch" and node.label == "split on {{widgets.fn.parsed.open}}"
    assert [(b.goto, b.share, b.when) for b in node.branches] == [("closed", None, "no condition matches"), ("agent", None, "equal_to true")]


# -- the flow as a whole ---------------------------------------------------------

def test_a_next_to_no_widget_is_an_unknown_target_at_the_next(write):
    path = one_flow(write, gather(timeout="agent"), split(no_match="agent", keys=[("0", "agnet")]), flex())
    assert ("unknown-target", line_of(path, '"next": "agnet"')) in found(path)


def test_widgets_left_unconnected_are_unreachable_at_their_line(write):
    path = one_flow(write, *MENU, widget("old", "say-play", [go("audioComplete")], say="Old news."))
    assert ("unreachable", line_of(path, '"name": "old"')) in found(path)


def test_two_widgets_with_one_name_are_a_broken_entry(write):
    path = one_flow(write, *MENU, flex())
    assert ("broken-entry", line_of(path, '"name": "agent"', 1)) in found(path)


def test_a_flow_that_takes_no_calls_ends_them_at_the_trigger(write):
    path = write("sms.json", flow_text(start=None))
    document = read_any(str(path))
    assert document.menu.start == "Trigger" and document.menu.nodes["Trigger"].type == "hangup"
    assert [(n.rule, n.loc.line) for n in document.notes] == [("platform-warning", line_of(path, '"event": "incomingCall"'))]


def test_in_a_directory_the_first_flow_taking_calls_is_the_line(write):
    write("a-sms.json", flow_text(start=None, description="Texts"))
    write("b-main.json", flow_text(*MENU, description="Main"))
    other = write("c-other.json", flow_text(widget("hi", "say-play", [go("audioComplete")], say="Hi."), start="hi", description="Other"))
    document = read_any(str(other.parent))
    assert document.menu.ivr == "Main"
    assert [(n.rule, n.loc.file) for n in document.notes] == [("unreachable", str(other))]


def test_the_rest_api_wrapper_and_a_list_of_flows_are_read(write):
    definition = json.loads(flow_text(*MENU))
    path = write("api.json", json.dumps({"sid": "FW0123", "friendly_name": "Main line", "definition": definition}, indent=2))
    assert read_any(str(path)).menu.ivr == "Main line"
    path = write("cli.json", json.dumps([{"sid": "FW0123", "friendly_name": "From the CLI", "definition": definition}], indent=2))
    menu = read_any(str(path)).menu
    assert menu.ivr == "From the CLI" and menu.nodes["gather_main"].loc.line == line_of(path, '"name": "gather_main"')


def test_a_definition_written_as_a_string_says_how_to_save_it(write):
    path = write("api.json", json.dumps({"sid": "FW0123", "definition": flow_text(*MENU)}))
    with pytest.raises(InputError, match="fromjson"):
        read_any(str(path))


def test_a_flow_without_initial_state_is_a_broken_entry_yet_starts_at_its_trigger(write):
    flow = json.loads(flow_text(*MENU))
    del flow["initial_state"]
    path = write("flow.json", json.dumps(flow, indent=2))
    document = read_any(str(path))
    assert document.menu.start == "gather_main"
    assert [n.rule for n in document.notes] == ["broken-entry"]


def test_the_studio_default_description_does_not_name_the_line(write):
    path = one_flow(write, *MENU, name="support-line.json", description="A New Flow")
    assert read_any(str(path)).menu.ivr == "support-line"


# -- Terraform ---------------------------------------------------------------------

TERRAFORM = '''\
# the phone line, deployed with the twilio provider
resource "twilio_studio_flows_v2" "ivr" {
  friendly_name = "IVR"
  status        = "published"
  definition = jsonencode({
    "description" : "Support line",   // quoted names and a colon, as JSON pasted in
    states = [
      {
        name = "Trigger", type = "trigger"
        transitions = [
          { event = "incomingMessage" },
          { next = "gather_main", event = "incomingCall" },
        ]
        properties = { offset = { x = 0, y = 0 } }
      },
      {
        name = "gather_main"
        type = "gather-input-on-call"
        transitions = [
          { next = "split_main", event = "keypress" },
          { next = "agent", event = "timeout" },
        ]
        properties = {
          say = <<-EOT
            For sales, press 1.
            For an agent, press 0.
          EOT
          /* plays twice */ loop = 2
          timeout = 5
        }
      },
      {
        name = "split_main", type = "split-based-on"
        transitions = [
          { event = "noMatch", next = "agent" },
          { event = "match", next = "sales", conditions = [{ type = "equal_to", value = "1", arguments = ["{{widgets.gather_main.Digits}}"] }] },
          { event = "match", next = "agent", conditions = [{ type = "equal_to", value = "0", arguments = ["{{widgets.gather_main.Digits}}"] }] },
        ]
        properties = { input = "{{widgets.gather_main.Digits}}" }
      },
      {
        name = "sales", type = "enqueue-call", transitions = [], properties = { queue_name = "sales-${var.env}" }
      },
      {
        name = "agent", type = "send-to-flex", transitions = []
        properties = {
          workflow   = twilio_taskrouter_workspaces_workflows_v1.support.sid
          attributes = jsonencode({ type = "inbound", name = "{{trigger.call.From}}" })
        }
      },
    ]
    initial_state = "Trigger"
    flags = { allow_concurrent_calls = true }
  })
}
'''


def test_a_terraform_jsonencode_flow_is_read_with_positions_in_the_tf_file(write):
    path = write("main.tf", TERRAFORM)
    assert detect(str(path)) == "twilio"
    document = read_any(str(path))
    menu = document.menu
    node = menu.nodes["gather_main"]
    assert menu.ivr == "Support line" and node.loc.line == line_of(path, 'name = "gather_main"')
    assert node.prompt == {"en": "For sales, press 1. For an agent, press 0."}
    assert (node.retries, node.locs["retries"].line) == (1, line_of(path, "loop = 2"))
    assert {k: o.goto for k, o in node.options.items()} == {"1": "sales", "0": "agent"}
    assert menu.nodes["agent"].queue == "${twilio_taskrouter_workspaces_workflows_v1.support.sid}"
    assert menu.nodes["sales"].queue == "sales-${var.env}"
    assert not document.notes  # Terraform's values name one queue per deployment


def test_a_tf_file_with_no_inline_flow_is_not_a_studio_flow(write):
    path = write("main.tf", 'resource "twilio_studio_flows_v2" "ivr" {\n  definition = file("flow.json")\n}\n')
    assert detect(str(path)) is None
    with pytest.raises(InputError, match="no Studio flow here"):
        read_any(str(path), "twilio")


def test_a_name_written_twice_in_terraform_is_a_duplicate_key(write):
    path = write("main.tf", TERRAFORM.replace('timeout = 5', 'timeout = 5\n          timeout = 9'))
    document = read_any(str(path))
    assert document.menu.nodes["gather_main"].timeout == 5.0
    assert [(d.key, d.loc.line, d.first.line) for d in document.duplicates] == [
        ("timeout", line_of(path, "timeout = 9"), line_of(path, "timeout = 5"))]


# -- recognising the files -----------------------------------------------------------

def test_studio_json_is_recognised_from_its_content_not_its_name(write):
    studio = write("anything.json", flow_text(*MENU))
    connect = write("connect.json", json.dumps({"Version": "2019-10-30", "StartAction": "a", "Actions": [
        {"Identifier": "a", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}]}))
    other = write("package.json", json.dumps({"name": "x", "states": ["a"], "type": "module"}))
    assert (detect(str(studio)), detect(str(connect)), detect(str(other))) == ("twilio", "connect", None)
    api_order = write("sorted.json", json.dumps(json.loads(flow_text(*MENU)), indent=2, sort_keys=True))
    assert detect(str(api_order)) == "twilio"  # the REST API writes keys in alphabetical order


def test_a_json_member_written_twice_is_a_duplicate_key_at_the_second(write):
    text = flow_text(*MENU).replace('"next": "sales",', '"next": "sales",\n          "next": "agent",', 1)
    path = write("flow.json", text)
    document = read_any(str(path))
    assert document.menu.nodes["gather_main"].options["1"].goto == "sales"  # the first is kept, as for YAML
    [dup] = document.duplicates
    assert (dup.key, dup.where, dup.loc.line) == ("next", "widget 'split_main'", line_of(path, '"next": "agent",'))
    assert ("duplicate-key", dup.loc.line) in found(path)


# -- compare ---------------------------------------------------------------------------

def test_compare_of_two_layout_only_variants_reports_no_change(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    flow = json.loads(GOOD.read_text(encoding="utf-8"))
    (old / "flow.json").write_text(json.dumps(flow, indent=2), encoding="utf-8")
    for state in flow["states"]:
        state["properties"]["offset"] = {"x": state["properties"]["offset"]["x"] + 250, "y": -state["properties"]["offset"]["y"]}
    (new / "flow.json").write_text(json.dumps(flow, indent=4, sort_keys=True).replace("\n", "\r\n"), encoding="utf-8")
    result = run_cli("compare", "--format", "json", old / "flow.json", new / "flow.json")
    report = json.loads(result.out)
    assert (result.code, report["changes"], report["findings"]) == (0, [], {"new": [], "fixed": []})


def test_compare_reports_a_key_that_goes_elsewhere(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    text = GOOD.read_text(encoding="utf-8")
    (old / "flow.json").write_text(text, encoding="utf-8")
    (new / "flow.json").write_text(text.replace('"next": "to_technical"', '"next": "to_agent"'), encoding="utf-8")
    report = json.loads(run_cli("compare", "--format", "json", old / "flow.json", new / "flow.json").out)
    assert [(c["kind"], c["where"], c["what"], c["after"]) for c in report["changes"]] == [
        ("option-repointed", "gather_main", "2", "to_agent")]


# -- suppression: per-file and per-node ignores in the configuration --------------------

def test_per_file_and_per_node_ignores_silence_findings_in_a_flow(write):
    path = one_flow(write, gather(timeout="agent"), split(no_match="agent", keys=[("0", "agent"), ("1", None)]), flex(),
                    widget("fn", "run-function", [go("success", "agent")]))
    before = run_cli("check", path).out
    assert "platform-warning" in before and "opaque-step" in before
    write(".ivrlint.yaml", '''\
        per-file-ignores:
          "flow.json": [opaque-step]
          "flow.json#gather_main": [platform-warning]
        ''')
    after = run_cli("check", path).out
    assert "platform-warning" not in after and "opaque-step" not in after  # the split's warning is the gather's node
    assert "unreachable" in after  # what no entry names is still reported
