"""Structural rules: each fires where it must, at the right line, and is silent on good menus."""

from __future__ import annotations

import re
import textwrap

import pytest
from conftest import BAD_MENUS, GOOD_MENUS, findings

from ivrlint.importers import read_any
from ivrlint.lint.rules import all_rules
from ivrlint.lint.run import lint_document
from ivrlint.menu.loader import read_menu, read_text

STRUCTURAL = [r for r in all_rules() if r.code.startswith("S")]


def snippets(doc: str) -> dict[str, str]:
    """The 'Fails::' and 'Passes::' menus of a rule's page."""
    out = {}
    for name in ("Fails", "Passes"):
        match = re.search(rf"^{name}::\n\n((?:    .*\n|\n)+)", doc + "\n", re.M)
        assert match, f"rule page has no {name}:: snippet"
        out[name] = textwrap.dedent(match.group(1))
    return out


#: Import rules (I4xx) show a platform's file; the suffix its importer reads, by the file's first character.
PLATFORM_SUFFIXES = {"<": ".xml", "{": ".json", "[": ".conf", ";": ".conf"}


def read_example(rule, text: str, name: str, folder):
    """A rule page's snippet as a Document: YAML, or for I4xx rules a platform's file read by its importer."""
    if not rule.code.startswith("I"):
        return read_text(text, f"{name}.yaml")
    (folder / name).mkdir()  # a directory of its own: the files beside a platform file are one phone line
    path = folder / name / f"{name}{PLATFORM_SUFFIXES[text.lstrip()[:1]]}"
    path.write_text(text, encoding="utf-8")
    return read_any(str(path))


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.slug)
def test_rule_page_examples_fail_and_pass(rule, tmp_path):
    examples = snippets(rule.doc)
    failing = [f for f in lint_document(read_example(rule, examples["Fails"], "fails", tmp_path)) if f.rule == rule.slug]
    passing = [f for f in lint_document(read_example(rule, examples["Passes"], "passes", tmp_path)) if f.rule == rule.slug]
    assert failing, f"{rule.slug} does not fire on its own failing example"
    assert not passing, f"{rule.slug} fires on its own passing example: {passing}"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.slug)
def test_rule_page_has_every_section(rule):
    for section in ("What it checks", "Why it matters", "Options", "Fails::", "Passes::"):
        assert section in rule.doc, f"{rule.slug} page lacks '{section}'"
    assert re.fullmatch(r"[SUTIL]\d{3}", rule.code)


@pytest.mark.parametrize("path", GOOD_MENUS, ids=lambda p: p.name)
def test_good_menus_have_no_findings(path):
    assert lint_document(read_menu(str(path))) == []


# file, rule, line, column of the finding each bad menu exists to show
EXPECTED_BAD = {
    "unknown-target.yaml": ("unknown-target", 9, 10),
    "unknown-queue.yaml": ("unknown-queue", 12, 12),
    "dead-end.yaml": ("dead-end", 10, 3),
    "unreachable.yaml": ("unreachable", 10, 3),
    "trap-loop.yaml": ("trap-loop", 6, 3),
    "no-human-path.yaml": ("no-human-path", 3, 8),
    "duplicate-key.yaml": ("duplicate-key", 11, 7),
    "invalid-key.yaml": ("invalid-key", 10, 7),
}


def test_every_structural_rule_has_a_bad_menu():
    shown = {rule for rule, _, _ in EXPECTED_BAD.values()}
    assert {r.slug for r in STRUCTURAL} <= shown
    assert set(EXPECTED_BAD) <= {p.name for p in BAD_MENUS}


@pytest.mark.parametrize("name", sorted(EXPECTED_BAD))
def test_bad_menu_shows_its_rule_at_the_right_place(name):
    rule, line, column = EXPECTED_BAD[name]
    found = [(f.rule, f.line, f.column) for f in lint_document(read_menu(f"menus/bad/{name}"))]
    assert (rule, line, column) in found


MENU_WITH_AGENT = """
ivr: t
start: main
nodes:
  main:
    type: menu
    prompt: For a, press 1. For an agent, press 0.
    options: {{1: {one}, 0: agent}}
    on_failure: agent
  agent: {{type: queue, queue: q}}
  {extra}
queues:
  q: {{agents: 1, handle_time: 60}}
"""


def with_agent(one="agent", extra=""):
    return MENU_WITH_AGENT.format(one=one, extra=extra)


def test_unknown_target_covers_next_failure_branch_goal_and_start():
    text = """
    ivr: t
    start: nowhere
    nodes:
      m: {type: message, next: gone, prompt: hi}
      b: {type: branch, branches: [{goto: lost}]}
      s: {type: self_service, on_failure: missing, next: m}
    traffic:
      calls_per_hour: 10
      patience: 60
      intents: {x: {share: 1, goal: absent}}
    """
    messages = [f.message for f in findings(text, "unknown-target")]
    for name in ("nowhere", "gone", "lost", "missing", "absent"):
        assert any(f"'{name}'" in m for m in messages), (name, messages)


def test_unknown_target_suggests_the_near_name():
    [f] = findings(with_agent(one="agnet"), "unknown-target")
    assert "did you mean 'agent'?" in f.message


def test_dead_end_silent_for_nodes_that_end_by_design():
    extra = "v: {type: voicemail}\n  h: {type: hangup}\n  t: {type: transfer, destination: x}\n  s: {type: self_service, duration: 5}"
    assert findings(with_agent(extra=extra), "dead-end") == []


def test_dead_end_fires_for_menu_without_options_and_empty_branch():
    extra = "e: {type: menu, prompt: hi}\n  b: {type: branch, branches: []}\n  i: {type: input, digits: 4}"
    found = {f.node for f in findings(with_agent(extra=extra), "dead-end")}
    assert found == {"e", "b", "i"}


def test_trap_loop_names_every_node_of_one_region():
    text = with_agent(one="a", extra="a: {type: message, prompt: x, next: b}\n  b: {type: message, prompt: y, next: a}")
    [f] = findings(text, "trap-loop")
    assert "'a', 'b'" in f.message and f.node == "a"


def test_trap_loop_silent_when_a_failure_counter_leads_out():
    text = """
    ivr: t
    start: main
    nodes:
      main:
        type: menu
        prompt: For hours, press 1.
        options: {1: hours}
      hours: {type: message, prompt: Nine to five., next: main}
    """
    # main has no on_failure: the platform disconnects after the retries
    assert findings(text, "trap-loop") == []


def test_repeat_back_and_top_do_not_count_as_ways_out():
    text = """
    ivr: t
    start: main
    nodes:
      main:
        type: menu
        prompt: For more, press 1.
        options: {1: sub, 9: {action: repeat}}
        on_failure: main
      sub:
        type: menu
        prompt: To go back, press star.
        options: {"*": {action: back}, 8: {action: top}}
        on_failure: sub
    """
    [f] = findings(text, "trap-loop")
    assert "'main', 'sub'" in f.message


def test_no_human_path_reports_each_menu_without_a_way_to_a_person():
    extra = "info: {type: menu, prompt: For hours press 1., options: {1: bye}}\n  bye: {type: hangup}"
    text = with_agent(one="info", extra=extra)
    assert [f.node for f in findings(text, "no-human-path")] == ["info"]


def test_transfer_to_a_machine_is_not_a_person():
    text = """
    ivr: t
    start: main
    nodes:
      main:
        type: menu
        prompt: For the fax line, press 1.
        options: {1: fax}
      fax: {type: transfer, destination: "+1555", human: false}
    """
    assert [f.rule for f in findings(text, "no-human-path")] == ["no-human-path"]


def test_duplicate_node_ids_are_reported():
    text = with_agent(extra="agent: {type: hangup}")
    [f] = findings(text, "duplicate-key")
    assert "'agent' appears twice in 'nodes'" in f.message


def test_invalid_key_reports_letters_and_multi_digit_keys():
    text = with_agent().replace("0: agent}", "0: agent, A: agent, 12: agent}")
    assert sorted(f.message.split("'")[1] for f in findings(text, "invalid-key")) == ["12", "A"]
