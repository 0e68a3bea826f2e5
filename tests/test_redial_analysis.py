"""The analysis of callers who redial (analysis/redials.py): the fixed point, the per-attempt
figures by hand where nothing depends on the load, and what is marked approximate and why."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import menu, run_cli

from ivrlint.analysis import analyze_menu
from ivrlint.analysis.laws import Law
from ivrlint.analysis.redials import TOLERANCE, delay_shift

#: Every probability is zero unless a test sets it (as test_analysis.STILL): callers do what the menu says.
STILL = "{think_median: 2, think_sigma: 0, wrong_key: 0, wrong_key_per_option: 0, silence: 0, zero_out: 0, " \
        "menu_hangup: 0, retry_hangup: 0, lost_back: 0, lost_zero: 0, lost_hangup: 1}"

#: No queue at all: 30% of calls are cut off before the goal (disconnected: unmet), 70% self-served.
NO_QUEUE = f"""
ivr: fork
start: fork
nodes:
  fork: {{type: branch, branches: [{{goto: cut, share: 0.3}}, {{goto: done, share: 0.7}}]}}
  cut: {{type: hangup, prompt: Goodbye.}}
  done: {{type: message, prompt: Your balance is fine.}}
traffic:
  calls_per_hour: 100
  patience: 2m
  behaviour: {STILL}
  redial: {{share: SHARE, after: 20m, max_attempts: TRIES}}
  intents: {{balance: {{share: 1, goal: done}}}}
"""

#: One Erlang A pool: abandonment is the only way a call goes unmet, and it grows with the load.
POOL = f"""
ivr: pool
start: agent
nodes:
  agent: {{type: queue, queue: general}}
queues:
  general: {{agents: 10, handle_time: {{mean: 3m, distribution: exponential}}}}
traffic:
  calls_per_hour: 200
  patience: {{mean: 2m, distribution: exponential}}
  behaviour: {STILL}
  redial: {{share: SHARE, after: 20m, max_attempts: 3}}
  intents: {{any: {{share: 1, goal: agent}}}}
"""


def fork(share: float, tries: int = 3) -> dict:
    return analyze_menu(menu(NO_QUEUE.replace("SHARE", str(share)).replace("TRIES", str(tries))))


@pytest.mark.parametrize("share, tries", [(0.6, 3), (1.0, 3), (0.5, 1), (0.85, 5)])
def test_where_nothing_depends_on_the_load_the_per_attempt_sums_are_exact(share, tries):
    figures = fork(share, tries)
    u, q = 0.3, share * 0.3
    expected_calls = sum(q ** k for k in range(tries))
    never = u * (1 - share) * sum(q ** k for k in range(tries - 1)) + u * q ** (tries - 1)
    for scope in (figures["overall"], figures["intents"]["balance"]):
        assert scope["first_contact_resolution"] == pytest.approx(0.7, abs=1e-12)
        assert scope["calls_per_caller"] == pytest.approx(expected_calls, abs=1e-12)
        assert scope["callers_never_served"] == pytest.approx(never, abs=1e-12)
        assert scope["exact"] is True
    assert figures["redials"]["exact"] is True and "approximation" not in figures["redials"]
    # per call, a redial is a call like any other: the outcome shares do not change
    assert figures["overall"]["p_disconnected"] == pytest.approx(0.3, abs=1e-12)


def test_with_share_zero_every_caller_makes_exactly_one_call():
    figures = fork(0.0)
    assert figures["overall"]["calls_per_caller"] == 1.0
    assert figures["overall"]["callers_never_served"] == pytest.approx(0.3, abs=1e-12)
    assert figures["redials"] == {"share": 0.0, "after": 1200.0, "max_attempts": 3, "rounds": 1, "settled": True,
                                  "exact": True}


def pool(share: float) -> dict:
    return analyze_menu(menu(POOL.replace("SHARE", str(share))), paths=False)


def test_the_fixed_point_feeds_the_redials_back_into_the_pool_until_they_agree():
    figures = pool(0.6)
    general, overall = figures["queues"]["general"], figures["overall"]
    u = general["p_abandon"]  # the only unmet outcome
    assert overall["first_contact_resolution"] == pytest.approx(1 - u, abs=1e-9)
    assert overall["calls_per_caller"] == pytest.approx(1 + 0.6 * u + (0.6 * u) ** 2, abs=1e-9)
    settled = 10 * TOLERANCE  # the fixed point stops once a round moves the calls by less than TOLERANCE
    # the pool's calls are the first calls times the calls per caller, and the redials are the difference
    assert general["calls_per_hour"] == pytest.approx(200 * overall["calls_per_caller"], rel=settled)
    assert general["redial_calls_per_hour"] == pytest.approx(general["calls_per_hour"] - 200, rel=settled)
    assert general["redial_load"] == pytest.approx(general["redial_calls_per_hour"] * (1 - u) * 180 / 3600, rel=settled)
    assert figures["redials"]["settled"] is True and figures["redials"]["rounds"] < 30


def test_more_redials_mean_more_load_and_more_abandonment():
    low, high = pool(0.3)["queues"]["general"], pool(0.9)["queues"]["general"]
    plain = analyze_menu(menu(POOL.replace("  redial: {share: SHARE, after: 20m, max_attempts: 3}\n", "")))
    assert plain["queues"]["general"]["calls_per_hour"] == pytest.approx(200)
    assert plain["queues"]["general"]["p_abandon"] < low["p_abandon"] < high["p_abandon"]
    assert 200 < low["calls_per_hour"] < high["calls_per_hour"]


def test_redials_through_a_queue_that_abandons_are_approximate_and_say_why():
    figures = pool(0.6)
    general = figures["queues"]["general"]
    assert general["exact"] is False
    assert "redials taken as Poisson arrivals" in general["approximation"]
    assert "call this pool again" in general["approximation"]
    assert figures["overall"]["exact"] is False and figures["intents"]["any"]["exact"] is False
    assert "Poisson" in figures["redials"]["approximation"]
    assert any("per-caller figures" in note and "approximate" in note for note in figures["notes"])


def test_callers_shut_out_at_night_come_back_in_the_morning():
    text = POOL.replace("exponential}}\n", 'exponential}, hours: "08:00-18:00"}\n', 1).replace("SHARE", "0.8")
    figures = analyze_menu(menu(text), paths=False)
    hours = figures["hours"]
    assert len(hours) == 24 and [h["hour"] for h in hours] == list(range(24))
    calls = [h["calls"] for h in hours]
    assert calls[8] > calls[12] > 200  # the night's redials land in the first open hours
    assert calls[3] > 200  # at night too: shut out, they call again (and are shut out again)
    assert hours[3]["queues"]["general"]["calls"] == 0 and hours[3]["queues"]["general"]["mean_wait"] is None
    assert figures["queues"]["general"]["p_closed"] > 0
    assert "varies over the day" in figures["redials"]["approximation"]


def test_a_redial_lands_in_the_hour_its_delay_takes_it_to():
    shift = delay_shift(Law("exponential", 1200.0), 24)
    assert shift.shape == (24, 24) and np.allclose(shift.sum(axis=1), 1.0)
    # from a uniform point of the hour, an exponential delay of mean 1/3 h stays in it with chance
    # 1 - (1/3)(1 - e^-3)
    assert shift[5, 5] == pytest.approx(1 - (1 - np.exp(-3)) / 3, abs=1e-3)
    assert shift[23, 0] == pytest.approx(shift[5, 6])  # the day repeats
    fixed = delay_shift(Law("fixed", 5400.0), 24)  # 1.5 h: half next hour, half the one after
    assert fixed[2, 3] == pytest.approx(0.5, abs=0.02) and fixed[2, 4] == pytest.approx(0.5, abs=0.02)


def test_analyze_shows_the_figures_per_caller_marked_approximate(write):
    path = write("pool.yaml", POOL.replace("SHARE", "0.6"))
    result = run_cli("analyze", str(path))
    assert result.code == 0, result.err
    table = result.out[result.out.index("per caller"):]
    assert "first-contact resolution" in table and "all callers" in table and "approximate" in table
    assert "redials: 60% of callers whose need was not met call again" in table
    data = json.loads(run_cli("analyze", "--format", "json", str(path)).out)
    assert set(data["redials"]) >= {"share", "after", "max_attempts", "rounds", "exact", "approximation"}
    assert 1 < data["overall"]["calls_per_caller"] < 2


def test_set_share_zero_makes_one_call_per_caller_on_the_command_line(write):
    path = write("pool.yaml", POOL.replace("SHARE", "0.6"))
    data = json.loads(run_cli("analyze", "--format", "json", "--set", "traffic.redial.share=0", str(path)).out)
    assert data["overall"]["calls_per_caller"] == 1.0
    assert data["queues"]["general"]["redial_calls_per_hour"] == 0.0
