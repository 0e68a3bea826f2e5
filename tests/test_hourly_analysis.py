"""The analysis through the day (analysis/hourly.py): each hour a stationary queue at its rate lagged by
the mean talk time (Lag-SIPP) and its agents on duty, the day weighted by the calls; and pools with a
callback offer, announcements or overflow (analysis/features.py), approximate and said so."""

from __future__ import annotations

import doctest

import pytest
from conftest import menu, run_cli

import ivrlint.analysis.hourly as hourly_module
from ivrlint.analysis import analyze_menu
from ivrlint.analysis.hourly import lagged
from ivrlint.analysis.queueing import erlang_a_metrics

RATES = [10, 8, 6, 5, 5, 6, 20, 60, 120, 150, 160, 150, 140, 140, 150, 140, 120, 90, 60, 40, 30, 20, 15, 12]
AGENTS = [2, 2, 2, 2, 2, 2, 3, 6, 10, 12, 12, 12, 11, 11, 12, 12, 10, 8, 6, 4, 3, 2, 2, 2]

DAY = """
ivr: day
start: agent
nodes:
  agent: {type: queue, queue: general}
queues:
  general: {agents: AGENTS, handle_time: {mean: TALK, distribution: exponential}}
traffic:
  calls_per_hour: RATES
  patience: {mean: 2m, distribution: exponential}
  intents: {any: {share: 1, goal: agent}}
"""


def day(rates=RATES, agents=AGENTS, talk: str = "4m") -> dict:
    text = DAY.replace("AGENTS", str(agents)).replace("RATES", str(rates)).replace("TALK", talk)
    return analyze_menu(menu(text), paths=False)


def test_the_doctests_hold():
    assert doctest.testmod(hourly_module).failed == 0


def test_lagging_keeps_the_days_calls_and_moves_them_by_the_lag():
    lag = 0.4
    out = lagged([float(r) for r in RATES], lag)
    assert sum(out) == pytest.approx(sum(RATES))
    assert out[8] == pytest.approx(0.6 * 120 + 0.4 * 60)
    assert out[0] == pytest.approx(0.6 * 10 + 0.4 * 12)  # the day repeats: hour 0 follows hour 23
    assert lagged([float(r) for r in RATES], 2.0)[5] == pytest.approx(RATES[3])


def test_each_hour_is_erlang_a_at_its_lagged_rate_with_its_agents_on_duty():
    figures = day()
    talk = 240.0
    rates = lagged([float(r) for r in RATES], talk / 3600)
    for h in (3, 9, 15):
        pool = figures["hours"][h]["queues"]["general"]
        exact = erlang_a_metrics(rates[h] / 3600, talk, 120.0, AGENTS[h])
        assert pool["agents"] == AGENTS[h]
        assert pool["p_abandon"] == pytest.approx(exact["p_abandon"], rel=1e-9)
        assert pool["mean_wait"] == pytest.approx(exact["mean_wait"], rel=1e-9)
        assert pool["offered_load"] == pytest.approx(rates[h] * talk / 3600, rel=1e-12)
        assert pool["calls"] == pytest.approx(RATES[h])  # the hour's own calls weigh its figures


def test_the_day_is_the_hours_weighted_by_their_calls_and_occupancy_by_the_agents_on_duty():
    figures = day()
    hours = [h["queues"]["general"] for h in figures["hours"]]
    general = figures["queues"]["general"]
    calls = sum(h["calls"] for h in hours)
    assert general["p_abandon"] == pytest.approx(sum(h["calls"] * h["p_abandon"] for h in hours) / calls, rel=1e-9)
    assert general["mean_wait"] == pytest.approx(sum(h["calls"] * h["mean_wait"] for h in hours) / calls, rel=1e-9)
    assert general["occupancy"] == pytest.approx(sum(a * h["occupancy"] for a, h in zip(AGENTS, hours, strict=True))
                                                 / sum(AGENTS), rel=1e-9)
    assert general["agents"] == 12 and general["agents_by_hour"] == AGENTS
    assert figures["overall"]["p_abandon"] == pytest.approx(general["p_abandon"], rel=1e-9)
    assert [h["calls"] for h in figures["hours"]] == RATES


def test_figures_by_the_hour_are_approximate_and_say_so(write):
    figures = day()
    general = figures["queues"]["general"]
    assert general["exact"] is False and "stationary per hour" in general["approximation"]
    assert all(h["exact"] is False for h in figures["hours"])
    assert any("figures by the hour are approximate" in note for note in figures["notes"])
    path = write("day.yaml", DAY.replace("AGENTS", str(AGENTS)).replace("RATES", str(RATES)).replace("TALK", "4m"))
    result = run_cli("analyze", str(path))
    assert result.code == 0, result.err
    assert "pool general by the hour" in result.out and "figures by the hour are approximate" in result.out


def test_an_hour_short_of_agents_makes_the_pool_overloaded_though_its_busiest_hour_is_not():
    short = list(AGENTS)
    short[10] = 8  # 160 calls an hour of 4 minutes: 10.7 Erlangs, lagged
    figures = day(agents=short)
    general = figures["queues"]["general"]
    assert general["peak_load"] < general["agents"]
    assert general["overloaded"] is True
    assert day()["queues"]["general"]["overloaded"] is False


def test_a_flat_day_with_steady_staff_has_no_hours_and_stays_exact():
    figures = day(rates=100, agents=10)
    assert "hours" not in figures
    assert figures["queues"]["general"]["exact"] is True


def test_staff_by_the_hour_with_a_flat_rate_is_solved_hour_by_hour():
    figures = day(rates=100, agents=[8] * 8 + [10] * 16)
    assert figures["hours"][3]["queues"]["general"]["agents"] == 8
    assert figures["hours"][3]["queues"]["general"]["p_abandon"] > figures["hours"][12]["queues"]["general"]["p_abandon"]


# -- callbacks, announcements, overflow ---------------------------------------------------------------------------

ONE = """
ivr: line
start: agent
nodes:
  agent: {type: queue, queue: general}
queues:
  general: {agents: 5, handle_time: {mean: 4m, distribution: exponential}FEATURES}
traffic:
  calls_per_hour: 75
  patience: {mean: 3m, distribution: exponential}
  intents: {any: {share: 1, goal: agent}}
"""


def line(features: str = "") -> dict:
    return analyze_menu(menu(ONE.replace("FEATURES", features)), paths=False)["queues"]["general"]


def test_a_callback_offer_takes_callers_out_of_abandoning_approximately():
    plain, offered = line(), line(", callback: {offer_after: 60s, accept: 0.5}")
    assert plain["exact"] is True
    assert offered["exact"] is False and "callbacks approximated" in offered["approximation"]
    assert 0 < offered["p_callback"] < offered["p_callback_offered"] < 1
    assert offered["p_callback"] == pytest.approx(0.5 * offered["p_callback_offered"], rel=1e-9)
    assert 0 < offered["abandonment_avoided"] < offered["p_callback"]
    assert offered["p_abandon"] < plain["p_abandon"]
    assert offered["callback_wait"] > 60
    # an offer nobody's wait reaches changes nothing
    never = line(", callback: {offer_after: 10h, accept: 0.5}")
    assert never["p_abandon"] == pytest.approx(plain["p_abandon"], rel=1e-4)
    assert never["p_callback"] == pytest.approx(0.0, abs=1e-6)


def test_a_callback_line_with_more_takers_than_agents_grows_without_end():
    pool = analyze_menu(menu(ONE.replace("FEATURES", ", callback: {offer_after: 0s, accept: 1}")
                             .replace("calls_per_hour: 75", "calls_per_hour: 90")), paths=False)["queues"]["general"]
    assert pool["mean_wait"] == float("inf") and pool["p_abandon"] == pytest.approx(0.0)


def test_announcing_the_wait_makes_those_who_would_give_up_leave_early():
    plain, told = line(), line(", announce: {every: 45s, wait_time: true}")
    assert told["exact"] is False and "announcements approximated" in told["approximation"]
    # the wait said overstates what is left (it counts nobody ahead giving up): a few more leave
    assert plain["p_abandon"] < told["p_abandon"] < 1.1 * plain["p_abandon"]
    assert told["mean_wait"] < plain["mean_wait"]
    assert 0 < told["p_left_at_announcement"] < told["p_abandon"]
    place = line(", announce: {every: 45s, wait_time: false, position: true}")  # the caller works it out alike
    assert place == told


def test_please_hold_announcements_change_nothing():
    plain, hold = line(), line(", announce: {every: 45s, wait_time: false, position: false}")
    assert hold == plain


TWO = """
ivr: two
start: split
nodes:
  split: {type: branch, branches: [{goto: a, share: 0.5}, {goto: b, share: 0.5}]}
  a: {type: queue, queue: first}
  b: {type: queue, queue: second}
queues:
  first: {agents: 5, handle_time: {mean: 4m, distribution: exponential}, overflow: {after: 60s, to: second}}
  second: {agents: 5, handle_time: {mean: 4m, distribution: exponential}}
traffic:
  calls_per_hour: 150
  patience: {mean: 3m, distribution: exponential}
  intents: {any: {share: 1, goal: a}}
"""


def test_overflow_adds_the_callers_still_waiting_to_the_other_pool_pessimistically():
    figures = analyze_menu(menu(TWO), paths=False)["queues"]
    plain = analyze_menu(menu(TWO.replace(", overflow: {after: 60s, to: second}", "")), paths=False)["queues"]
    first, second = figures["first"], figures["second"]
    assert 0 < first["p_overflow"] < first["p_wait"]
    assert first["p_abandon"] == pytest.approx(plain["first"]["p_abandon"], rel=1e-4)  # as if nobody left for B
    extra = 75 * first["p_overflow"] * 240 / 3600
    assert second["offered_load"] == pytest.approx(plain["second"]["offered_load"] + extra, rel=1e-6)
    assert second["p_abandon"] > plain["second"]["p_abandon"]
    assert "pessimistic" in first["approximation"] and "'first'" in second["approximation"]
    assert first["exact"] is False and second["exact"] is False
