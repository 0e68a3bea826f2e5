"""unreachable-goal is an error only when no goal of an intent can be reached;
a goal lost while another still serves the intent is a warning naming both
(issue 12, item 7)."""

from __future__ import annotations

import textwrap

from conftest import findings, run_cli

from ivrlint.lint.settings import Settings

CARDS = """
ivr: bank
start: main
nodes:
  main:
    type: menu
    prompt: To block a card, press 1. For an agent, press 0.
    options: {1: block_card, ZERO}
    on_failure: cards_team
  block_card: {type: self_service, duration: 60, success: 0.8, next: bye, on_failure: cards_team}
  cards_team: {type: queue, queue: cards}
  bye: {type: hangup}
queues:
  cards: {agents: 5, handle_time: 300}
traffic:
  calls_per_hour: 40
  patience: 2m
  intents:
    lost_card: {share: 1, goal: GOALS}
"""


def cards(zero: str = "0: cards_team", goals: str = "[cards_team, block_card]") -> str:
    return textwrap.dedent(CARDS).replace("ZERO", zero).replace("GOALS", goals)


def test_a_lost_goal_of_an_intent_still_served_elsewhere_is_a_warning_naming_both():
    text = cards(zero="9: {action: repeat}")
    [f] = findings(text, "unreachable-goal")
    assert f.severity == "warning" and f.node == "cards_team"
    assert (f.line, f.column) == (19, 34)  # the lost goal, as written in the intent
    assert f.message == ("no keys lead from the start to 'cards_team', a goal of intent 'lost_card' (still served at "
                         "'block_card'); add an option that leads to 'cards_team', or drop it from the goals")


def test_an_intent_with_no_goal_reachable_is_still_an_error_for_each_goal():
    text = cards(zero="9: {action: repeat}", goals="[cards_team, block_card]").replace("1: block_card", "1: {action: repeat}")
    found = findings(text, "unreachable-goal")
    assert {(f.node, f.severity) for f in found} == {("cards_team", "error"), ("block_card", "error")}
    assert all("the goal of intent 'lost_card'; add an option that leads there" in f.message for f in found)


def test_an_intent_with_every_goal_reachable_has_no_finding():
    assert findings(cards(), "unreachable-goal") == []


def test_a_single_unreachable_goal_is_an_error():
    [f] = findings(cards(zero="9: {action: repeat}", goals="cards_team"), "unreachable-goal")
    assert f.severity == "error"


def test_the_warning_does_not_fail_the_default_gate_and_the_error_does(write):
    warned = write("warned.yaml", cards(zero="9: {action: repeat}"))
    assert run_cli("check", "--no-config", "--select", "unreachable-goal", warned).code == 0
    failed = write("failed.yaml", cards(zero="9: {action: repeat}", goals="cards_team"))
    assert run_cli("check", "--no-config", "--select", "unreachable-goal", failed).code == 1


def test_a_configured_severity_still_wins():
    strict = Settings(severity={"unreachable-goal": "error"})
    [f] = findings(cards(zero="9: {action: repeat}"), "unreachable-goal", settings=strict)
    assert f.severity == "error"


def test_an_unknown_goal_is_left_to_unknown_target_and_does_not_count_as_reached():
    text = cards(zero="9: {action: repeat}", goals="[cards_team, nowhere]")
    [f] = findings(text, "unreachable-goal")
    assert f.node == "cards_team" and f.severity == "error"
