"""Traffic rules (T3xx): they read the exact analysis, point at the line to
change, and stay silent on menus without traffic and on the bundled menus."""

from __future__ import annotations

import pytest
from conftest import GOOD_MENUS, findings, menu, run_cli

from ivrlint.lint.run import lint_document
from ivrlint.lint.settings import Settings
from ivrlint.menu.document import Document
from ivrlint.menu.loader import read_menu

TRAFFIC_RULES = ("intent-shares", "unreachable-goal", "no-agents", "overloaded-queue", "long-wait-no-callback",
                 "behaviour")

SHOP = """
ivr: shop
start: main
nodes:
  main:
    type: menu
    prompt: For orders, press 1. For an agent, press 0.
    options: {1: orders, 0: agent}
    on_failure: agent
  orders: {type: self_service, duration: 60, success: 0.7, next: bye, on_failure: agent}
  refunds: {type: self_service, duration: 60, on_failure: agent}
  agent: {type: queue, queue: general}
  bye: {type: hangup}
queues:
  general: {agents: AGENTS, handle_time: 300}
traffic:
  calls_per_hour: 40
  patience: PATIENCE
  intents:
    order: {share: 0.7, goal: orders}
    other: {share: OTHER, goal: agent}
"""


def shop(agents=6, patience="90s", other=0.3):
    return SHOP.replace("AGENTS", str(agents)).replace("PATIENCE", patience).replace("OTHER", str(other))


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_a_well_staffed_shop_has_no_traffic_findings():
    assert [f for f in findings(shop()) if f.rule in TRAFFIC_RULES] == []


def test_menus_without_traffic_are_left_alone():
    text = shop(agents=0).split("traffic:")[0]
    assert [f for f in findings(text) if f.code.startswith("T")] == []


@pytest.mark.parametrize("path", GOOD_MENUS, ids=lambda p: p.name)
def test_bundled_menus_meet_their_traffic(path):
    assert [f for f in lint_document(read_menu(str(path))) if f.code.startswith("T")] == []


def test_intent_shares_that_miss_one_are_an_error_at_the_intents():
    text = shop(other=0.2)
    [f] = findings(text, "intent-shares")
    assert f.severity == "error" and "sum to 0.9, not 1" in f.message
    assert f.line == line_of(text, "order: {share") and f.column == 5


def test_language_shares_are_checked_too():
    text = shop().replace("  patience:", "  languages: {en: 0.5, lt: 0.4}\n  patience:")
    [f] = findings(text, "intent-shares")
    assert "traffic.languages sum to 0.9" in f.message


def test_a_goal_no_key_leads_to_is_an_error_at_the_goal():
    text = shop().replace("goal: agent}", "goal: refunds}")
    [f] = findings(text, "unreachable-goal")
    assert f.line == line_of(text, "goal: refunds}") and f.node == "refunds"
    assert "no keys lead from the start to 'refunds', the goal of intent 'other'" in f.message


def test_a_goal_reached_only_by_failing_is_still_unreachable():
    text = shop().replace("0: agent}", "2: orders}").replace("For an agent, press 0.", "Orders again, press 2.")
    [f] = findings(text, "unreachable-goal")
    assert f.node == "agent"


def test_a_pool_without_agents_is_an_error_at_the_pool():
    text = shop(agents=0)
    [f] = findings(text, "no-agents")
    assert f.line == line_of(text, "general: {agents") and "'agent'" in f.message


def test_an_overloaded_pool_is_a_warning_with_its_figures():
    text = shop(agents=2)
    [f] = findings(text, "overloaded-queue")
    assert f.severity == "warning" and f.line == line_of(text, "general: {agents")
    assert "pool 'general' with 2 agents" in f.message and "abandoning" in f.message


def test_the_abandonment_limit_is_an_option():
    text = shop(agents=4)
    assert findings(text, "overloaded-queue") == []
    strict = Settings(options={"overloaded-queue": {"max_abandonment": 0.001, "min_service_level": 0.999}})
    [f] = findings(text, "overloaded-queue", settings=strict)
    assert "limit 0.1%" in f.message


def test_long_waits_without_a_callback_are_a_warning():
    text = shop(agents=1, patience="40m")
    [f] = findings(text, "long-wait-no-callback")
    assert "minutes on average" in f.message and "voicemail" in f.message


def test_a_voicemail_callers_can_reach_silences_the_callback_rule():
    text = shop(agents=1, patience="40m").replace("0: agent}", "0: agent, 8: message}")
    text = text.replace("  bye: {type: hangup}", "  bye: {type: hangup}\n  message: {type: voicemail}")
    assert findings(text, "long-wait-no-callback") == []


# bad example menus: rule, line, column of the finding each exists to show
TRAFFIC_BAD = {
    "intent-shares.yaml": ("intent-shares", 21, 5),
    "unreachable-goal.yaml": ("unreachable-goal", 22, 30),
    "no-agents.yaml": ("no-agents", 17, 3),
    "overloaded-queue.yaml": ("overloaded-queue", 15, 3),
    "long-wait-no-callback.yaml": ("long-wait-no-callback", 16, 3),
    "behaviour.yaml": ("behaviour", 24, 14),
}


def test_every_traffic_rule_has_a_bad_menu():
    assert {rule for rule, _, _ in TRAFFIC_BAD.values()} == set(TRAFFIC_RULES)


@pytest.mark.parametrize("name", sorted(TRAFFIC_BAD))
def test_bad_traffic_menu_shows_its_rule_at_the_right_place(name):
    rule, line, column = TRAFFIC_BAD[name]
    found = [(f.rule, f.line, f.column) for f in lint_document(read_menu(f"menus/bad/{name}"))]
    assert (rule, line, column) in found
    structural = [f for f in lint_document(read_menu(f"menus/bad/{name}")) if f.code.startswith("S")]
    assert structural == [], "a traffic example should be sound in structure"


def test_behaviour_unknown_parameter_is_an_error_at_its_name_with_a_suggestion():
    text = shop().replace("  patience: 90s\n", "  patience: 90s\n  behaviour: {zero_outt: 0.1}\n")
    [f] = findings(text, "behaviour")
    assert f.severity == "error" and f.code == "T306"
    assert (f.line, f.column) == (line_of(text, "behaviour:"), 15)
    assert "unknown behaviour parameter 'zero_outt'; did you mean 'zero_out'?" in f.message


def test_behaviour_value_out_of_range_is_an_error_at_the_value():
    text = shop().replace("  patience: 90s\n", "  patience: 90s\n  behaviour:\n    silence: 2\n    think_median: 0\n")
    found = findings(text, "behaviour")
    assert [(f.line, f.column) for f in found] == [(line_of(text, "silence: 2"), 14),
                                                   (line_of(text, "think_median: 0"), 19)]
    assert "'silence' is a chance and must be between 0 and 1; got 2" in found[0].message
    assert "'think_median' must be above 0 seconds" in found[1].message


def test_behaviour_within_range_is_clean():
    text = shop().replace("  patience: 90s\n", "  patience: 90s\n  behaviour: {zero_out: 0.1, think_median: 3}\n")
    assert findings(text, "behaviour") == []


def test_check_fails_on_a_behaviour_that_simulate_rejects(write):
    path = write("shop.yaml", shop().replace("  patience: 90s\n", "  patience: 90s\n  behaviour: {zero_outt: 0.1, silence: 2}\n"))
    linted = run_cli("check", "--no-config", "--select", "behaviour", path)
    simulated = run_cli("simulate", path, "--hours", "1", "--replications", "1", "--jobs", "1")
    assert linted.code == 1 and simulated.code == 2
    # the first problem simulate stops at is among check's findings, at the same place
    assert simulated.err.strip().replace(": error: ", ": error behaviour ") in linted.out


def test_behaviour_value_given_with_set_is_reported_at_the_set_option():
    from ivrlint.menu.overrides import apply_overrides

    text = shop().replace("  patience: 90s\n", "  patience: 90s\n  behaviour: {silence: 0.1}\n")
    changed = apply_overrides(menu(text), ["traffic.behaviour.silence=2"])
    [f] = [f for f in lint_document(Document(changed)) if f.rule == "behaviour"]  # a menu changed in memory
    assert f.file == "--set traffic.behaviour.silence" and "got 2" in f.message
