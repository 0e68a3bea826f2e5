"""Misrouted means the wrong person: a caller who talks to people that cannot
serve their intent (sim/serving.py). The simulation and the analysis read
the same definition from the caller model's chains."""

from __future__ import annotations

import pytest
from conftest import menu

from ivrlint.analysis import analyze_menu
from ivrlint.sim import records as R
from ivrlint.sim import run_simulation
from ivrlint.sim.serving import serving_people

#: One team serves every intent; callers press 0 at once, press wrong keys
#: and stay silent (the default behaviour), so many reach it before their goal.
ONE_TEAM = """
ivr: one-team
start: main
nodes:
  main:
    type: menu
    prompt: For your balance, press 1. To pay, press 2. For opening hours, press 3. For an agent, press 0.
    options: {1: balance, 2: pay, 3: hours, 0: agent}
    on_failure: agent
  balance: {type: self_service, duration: 30, success: 0.8, next: bye, on_failure: agent}
  pay: {type: self_service, duration: 60, success: 0.7, next: bye}
  hours: {type: message, prompt: We are open from eight to six., next: bye}
  agent: {type: queue, queue: general}
  bye: {type: hangup}
queues:
  general: {agents: 6, handle_time: 180}
traffic:
  calls_per_hour: 120
  patience: 2m
  intents:
    balance: {share: 0.5, goal: balance}
    pay: {share: 0.3, goal: pay}
    hours: {share: 0.1, goal: hours}
    other: {share: 0.1, goal: agent}
"""

#: Callers do only what a test says: no wrong keys, no zeroing out, no hang-ups.
STILL = "{think_median: 2, think_sigma: 0, wrong_key: 0, wrong_key_per_option: 0, silence: 0.5, zero_out: 0, " \
        "menu_hangup: 0, retry_hangup: 0, lost_back: 0, lost_zero: 0, lost_hangup: 1}"

#: Two specialised pools. Half of the callers at `main` stay silent each time;
#: after two silences its on_failure sends them to the technical team.
TWO_TEAMS = f"""
ivr: two-teams
start: main
defaults: {{timeout: 5, retries: 1}}
nodes:
  main:
    type: menu
    prompt: For billing, press 1. To reset your password, press 2.
    prompt_seconds: 10
    options: {{1: billing, 2: reset}}
    on_failure: tech
  billing: {{type: queue, queue: billing}}
  reset: {{type: self_service, duration: 30, success: 0.5, next: bye, on_failure: tech}}
  tech: {{type: queue, queue: technical}}
  bye: {{type: hangup}}
queues:
  billing: {{agents: 50, handle_time: 60}}
  technical: {{agents: 50, handle_time: 60}}
traffic:
  calls_per_hour: 100
  patience: 10h
  behaviour: {STILL}
  intents:
    bill: {{share: 0.5, goal: billing}}
    password: {{share: 0.5, goal: reset}}
"""


def simulate(text: str, hours: float = 8, replications: int = 4):
    return run_simulation(menu(text), hours=hours, replications=replications, seed=3, jobs=1)


def test_a_one_team_line_shows_no_misrouting_in_the_analysis():
    figures = analyze_menu(menu(ONE_TEAM))
    assert figures["overall"]["p_misrouted"] == 0
    for name, intent in figures["intents"].items():
        assert intent["p_misrouted"] == 0, name
    # callers did reach the team without entering their goal (zeroing out, failing the menu)
    assert figures["intents"]["pay"]["p_person"] > 0.03
    assert figures["intents"]["hours"]["p_person"] > 0.03


def test_a_one_team_line_shows_no_misrouting_in_the_simulation():
    result = simulate(ONE_TEAM)
    assert result.metrics["overall"]["p_misrouted"]["mean"] == 0
    calls = result.records
    before_goal = [c for c in calls if c.reached_person and not c.reached_goal]
    assert before_goal and all(c.outcome == R.SERVED for c in before_goal)
    assert not [c for c in calls if c.outcome == R.MISROUTED]


def test_the_wrong_specialised_pool_misroutes_and_the_right_one_serves():
    figures = analyze_menu(menu(TWO_TEAMS))["intents"]
    # billing callers: a quarter fail the menu into the technical team, the wrong people
    assert figures["bill"]["p_misrouted"] == pytest.approx(0.25, abs=1e-6)
    assert figures["bill"]["p_person"] == pytest.approx(1.0, abs=1e-6)
    # password callers sent to the technical team by the same failure never entered their
    # goal, but the goal's own failure leads to that team: they talk to the right people
    assert figures["password"]["p_goal"] == pytest.approx(0.75)
    assert figures["password"]["p_misrouted"] == 0
    assert figures["password"]["p_person"] == pytest.approx(0.25 + 0.75 * 0.5, abs=1e-6)


def test_the_simulation_counts_the_specialised_pools_as_the_analysis_does():
    result = simulate(TWO_TEAMS, hours=10, replications=5)
    bill, password = result.metrics["intents"]["bill"], result.metrics["intents"]["password"]
    low, high = bill["p_misrouted"]["ci95"]
    assert abs(bill["p_misrouted"]["mean"] - 0.25) <= 1.5 * (high - low) / 2 + 0.01  # the analysis' 0.25, as the agreement tests judge it
    assert password["p_misrouted"]["mean"] == 0
    wrong = [c for c in result.records if c.outcome == R.MISROUTED]
    assert wrong and all(c.intent == "bill" and c.queue == "technical" for c in wrong)
    right = [c for c in result.records if c.intent == "password" and c.queue == "technical" and not c.reached_goal]
    assert right and all(c.outcome == R.SERVED for c in right)


def test_served_by_widens_who_serves_an_intent():
    wider = TWO_TEAMS.replace("bill: {share: 0.5, goal: billing}", "bill: {share: 0.5, goal: billing, served_by: [technical]}")
    assert wider != TWO_TEAMS
    figures = analyze_menu(menu(wider))["intents"]["bill"]
    assert figures["p_misrouted"] == 0 and figures["p_person"] == pytest.approx(1.0, abs=1e-6)
    result = simulate(wider, hours=4, replications=2)
    assert result.metrics["intents"]["bill"]["p_misrouted"]["mean"] == 0


def test_who_serves_follows_goals_failure_paths_and_served_by_by_pool():
    model = menu(TWO_TEAMS)
    intents = model.traffic.intents
    assert serving_people(model, intents["bill"]) == {"billing"}
    assert serving_people(model, intents["password"]) == {"tech"}  # reset fails over to the technical team
    intents["bill"].served_by = ["technical"]
    assert serving_people(model, intents["bill"]) == {"billing", "tech"}


def test_a_failure_path_is_followed_through_messages_and_branches_but_not_menus():
    model = menu("""
    ivr: t
    start: main
    nodes:
      main:
        type: menu
        prompt: For orders, press 1. For refunds, press 2.
        options: {1: orders, 2: refunds}
      orders: {type: self_service, duration: 30, next: bye, on_failure: sorry}
      sorry: {type: message, prompt: Sorry., next: split}
      split: {type: branch, branches: [{goto: sales_q, share: 0.5}, {goto: desk}]}
      desk: {type: transfer, destination: "+3715550000"}
      refunds: {type: self_service, duration: 30, next: bye, on_failure: help}
      help:
        type: menu
        prompt: For sales, press 1.
        options: {1: sales_q}
      sales_q: {type: queue, queue: sales}
      refunds_q: {type: queue, queue: refunds}
      bye: {type: hangup}
    queues:
      sales: {agents: 2, handle_time: 60}
      refunds: {agents: 2, handle_time: 60}
    traffic:
      calls_per_hour: 10
      patience: 1m
      intents:
        order: {share: 0.5, goal: orders}
        refund: {share: 0.5, goal: refunds}
    """)
    intents = model.traffic.intents
    assert serving_people(model, intents["order"]) == {"sales_q", "desk"}
    # refunds' failure leads to a menu, where the caller chooses: the menu names nobody for it,
    # so no person counts as the wrong one ...
    assert serving_people(model, intents["refund"]) == {"sales_q", "refunds_q", "desk"}
    # ... until served_by says who serves it
    intents["refund"].served_by = ["refunds"]
    assert serving_people(model, intents["refund"]) == {"refunds_q"}
