"""Fix hints for Studio flows name Studio's constructs (widgets, transitions,
properties), never ivrlint YAML, and never a node id the import made up."""

from __future__ import annotations

import re

from test_twilio_import import BAD, MENU, flex, flow_text, gather, split

from ivrlint.importers import read_any
from ivrlint.importers.twilio.phrases import StudioPhrases
from ivrlint.lint.run import lint_document

#: What a YAML fix hint looks like; none of it belongs in a hint for a flow.
YAML_ADVICE = re.compile(r"`on_failure:|\{action: repeat\}|`retries: |`timeout: |`'\d'|defaults: \{")


def document_of(write, *states):
    return read_any(str(write("flow.json", flow_text(*states))))


def test_each_phrase_names_the_widgets_and_properties_to_change(write):
    document = document_of(write, gather(timeout="agent"), split(no_match="agent", keys=[("1", "agent")]), flex())
    phrases, node = document.phrases, document.menu.nodes["gather_main"]
    assert isinstance(phrases, StudioPhrases) and phrases.platform == "Twilio Studio flow JSON"
    assert phrases.node(node) == "gather-input-on-call 'gather_main'"
    assert phrases.add_option(node, "0", "agent") == (
        "add a `split-based-on` transition for Digits equal to 0 to 'split_main', leading to send-to-flex 'agent'")
    assert phrases.add_option(node, "0", None).endswith("leading to a `send-to-flex` or `connect-call-to` widget")
    assert phrases.add_repeat(node, "9") == "add a transition for Digits equal to 9 to 'split_main' that leads back to 'gather_main'"
    assert phrases.add_failure(node, "agent") == (
        "connect the 'gather_main' widget's timeout transition and the noMatch transition of 'split_main' to send-to-flex 'agent'")
    assert phrases.set_timeout(node, 5) == "set `\"timeout\": 5` (seconds) in the properties of 'gather_main'"
    assert phrases.set_timeout(None, 5) == "set `\"timeout\": 5` (seconds) in the properties of each gather-input-on-call"
    assert phrases.set_retries(node, 2).startswith("set `\"loop\": 3` in 'gather_main'")


def test_a_gather_with_no_split_is_told_to_add_one(write):
    document = document_of(write, gather(keypress="agent", timeout="agent"), flex())
    node = document.menu.nodes["gather_main"]
    assert node.type == "input"
    assert document.phrases.add_option(node, "0", "agent").startswith(
        "add a `split-based-on` on {{widgets.gather_main.Digits}} after 'gather_main'")
    assert document.phrases.add_failure(node, None) == (
        "connect the 'gather_main' widget's timeout transition to a `send-to-flex` or `connect-call-to` widget")


def test_unbounded_retries_are_told_to_lead_the_failures_on(write):
    document = document_of(write, gather(timeout="gather_main"), split(no_match="agent", keys=[("0", "agent")]), flex())
    node = document.menu.nodes["gather_main"]
    assert node.retries is None
    assert document.phrases.set_retries(node, 2).endswith("and lead its timeout and noMatch transitions on, not back to it")


def test_a_made_up_node_is_named_by_the_transition_it_stands_for(write):
    document = document_of(write, gather(timeout="agent", loop=0), split(keys=[("0", "agent")]), flex())
    made = document.menu.nodes["split_main.noMatch"]
    assert document.phrases.node(made) == "the end of the call at the 'noMatch' transition of widget 'split_main'"
    assert document.phrases.part_of("split_main.noMatch") == "gather_main"  # the split is part of the gather's menu
    assert document.phrases.part_of("gather_main") is None


def test_findings_on_a_flow_give_studio_fixes_and_no_yaml_or_made_up_ids():
    findings = lint_document(read_any(str(BAD)))
    by_rule = {f.rule: f.message for f in findings}
    assert "add a `split-based-on` transition for Digits equal to 0 to 'split_main'" in by_rule["no-zero-out"]
    assert "connect the 'gather_main' widget's timeout transition and the noMatch transition of 'split_main'" in by_rule[
        "hangup-on-failure"]
    assert "`\"loop\": 3`" in by_rule["retries"]
    assert "leads back to 'gather_main'" in by_rule["no-repeat"]
    for finding in findings:
        assert not YAML_ADVICE.search(finding.message), finding.message
        assert "split_main.noMatch" not in finding.message and "gather_main.timeout" not in finding.message


def test_doing_what_the_repeat_hint_says_silences_it(write):
    """The hint's "transition for Digits equal to 9 ... back to 'gather_main'", written in the flow, is a repeat key."""
    before = document_of(write, *MENU)
    assert "no-repeat" in {f.rule for f in lint_document(before)}
    states = list(MENU)
    states[1] = split(no_match="agent", keys=[("1", "sales"), ("0", "agent"), ("9", "gather_main")])
    after = read_any(str(write("fixed.json", flow_text(*states))))
    assert "no-repeat" not in {f.rule for f in lint_document(after)}
