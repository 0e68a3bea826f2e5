"""What a fresh-eyes user test of the whole day found: an overflow to a pool that does not exist (refused
before any worker starts, in the analysis too), an InputError raised in a worker (shown as itself),
plain `staff` on a menu staffed by the hour, and `staff --by-hour` hours left undecided when the rounds ran out."""

from __future__ import annotations

import argparse
import copy
import re

import pytest
from conftest import MENUS, run_cli

from ivrlint.analysis import analyze_menu
from ivrlint.cli.staff import _day_conclusion
from ivrlint.common.processes import START_METHOD
from ivrlint.errors import InputError, UsageError
from ivrlint.location import Location
from ivrlint.menu.loader import load_menu
from ivrlint.sim import run_simulation, runner
from ivrlint.whatif.staffing import parse_target, staff
from ivrlint.whatif.staffing_hourly import HourStaffing, PoolDayStaffing, _judge, days_to_decide

#: Two pools; sales overflows to a pool spelt wrong (the `to:` value starts at line 14, column 41).
MISSPELT = """\
ivr: two
start: main
nodes:
  main:
    type: menu
    prompt: For sales press 1. For support press 2.
    options: {1: sales_q, 2: support_q}
    on_failure: support_q
  sales_q: {type: queue, queue: sales}
  support_q: {type: queue, queue: support}
queues:
  sales:
    agents: 2
    handle_time: 300
    overflow: {after: 60s, to: suport}
  support: {agents: 4, handle_time: 200}
traffic:
  calls_per_hour: 50
  patience: 10m
  intents:
    buy: {share: 0.6, goal: sales_q}
    fix: {share: 0.4, goal: support_q}
"""
WHERE = "misspelt.yaml:15:32: error: queue 'sales' overflows to 'suport', which is not another queue; name one of support"


def whole_day():
    return load_menu(str(MENUS / "whole-day.yaml"))


@pytest.fixture
def misspelt(tmp_path):
    path = tmp_path / "misspelt.yaml"
    path.write_text(MISSPELT)
    return path


def test_the_overflow_to_a_missing_pool_is_refused_before_any_worker_starts(misspelt):
    model = load_menu(str(misspelt))
    with pytest.raises(InputError) as raised:
        run_simulation(model, hours=1, replications=4, jobs=2, keep_records=False)
    assert str(raised.value).endswith(WHERE)


def test_the_analysis_refuses_the_overflow_to_a_missing_pool_as_the_simulation_does(misspelt):
    with pytest.raises(InputError) as raised:
        analyze_menu(load_menu(str(misspelt)))
    assert str(raised.value).endswith(WHERE)


@pytest.mark.parametrize("command", [
    ["simulate", "--replications", "2", "--hours", "1"],
    ["analyze"],
    ["staff", "--target", "service_level>=0.8", "--replications", "2", "--hours", "1"],
    ["staff", "--by-hour", "--target", "service_level>=0.8", "--replications", "2"],
    ["sweep", "--vary", "traffic.calls_per_hour=40,50", "--replications", "2", "--hours", "1", "--no-plots", "--quiet"],
])
def test_every_command_gives_the_one_line_at_to_with_exit_2(misspelt, tmp_path, command):
    extra = ["--out", str(tmp_path / "out")] if command[0] == "sweep" else []
    result = run_cli(command[0], misspelt.name, *command[1:], *extra, cwd=tmp_path)
    assert result.code == 2, (result.out, result.err)
    assert result.err.strip().splitlines() == [WHERE]
    assert "worker" not in result.err


@pytest.mark.skipif(START_METHOD != "fork", reason="the patched replication reaches workers that fork")
def test_an_input_error_raised_in_a_worker_reaches_the_user_as_itself(monkeypatch, misspelt):
    def refuse(self, replication, seed):
        raise InputError.at(Location("menu.yaml", 7, 3), "something the file says cannot be simulated")

    monkeypatch.setattr(runner._Plan, "replicate", refuse)
    model = load_menu(str(misspelt))
    model.queues["sales"].overflow = None
    with pytest.raises(InputError, match=r"^menu\.yaml:7:3: error: something the file says cannot be simulated$"):
        run_simulation(model, hours=1, replications=4, jobs=2, keep_records=False)


# -- plain `staff` on a day that varies by the hour ------------------------------------------------------
def test_plain_staff_refuses_a_menu_staffed_by_the_hour_and_points_at_by_hour():
    with pytest.raises(UsageError, match=r"pools 'general', 'billing' are staffed by the hour.*use staff --by-hour"):
        staff(whole_day(), ["service_level>=0.8"])


def test_plain_staff_refuses_calls_that_vary_by_the_hour_even_with_constant_agents():
    model = whole_day()
    for queue in model.queues.values():
        queue.agents_by_hour = None
    with pytest.raises(UsageError, match=r"the calls vary by the hour \(calls_per_hour has 24 values\); "):
        staff(model, ["service_level>=0.8"])


def test_plain_staff_cli_is_one_line_with_exit_2():
    result = run_cli("staff", str(MENUS / "whole-day.yaml"), "--target", "service_level>=0.8", "--no-confirm")
    assert result.code == 2 and result.out == ""
    [line] = result.err.strip().splitlines()
    assert "use staff --by-hour" in line and "average load" in line


def test_a_day_whose_rate_and_agents_are_the_same_every_hour_is_staffed_as_before():
    model = whole_day()
    model.traffic.calls_per_hour = [60.0] * 24
    for queue in model.queues.values():
        queue.agents_by_hour = [queue.agents] * 24 if queue.agents_by_hour is not None else None
    flat = copy.deepcopy(model)
    flat.traffic.calls_per_hour = [60.0]
    for queue in flat.queues.values():
        queue.agents_by_hour = None
    assert [(s.pool, s.agents) for s in staff(model, ["service_level>=0.8"])] == \
        [(s.pool, s.agents) for s in staff(flat, ["service_level>=0.8"])]


# -- staff --by-hour: the rounds ran out -----------------------------------------------------------------
GOALS = ["service_level>=0.8", "p_abandon<=0.05"]


def evening(may_add: bool) -> HourStaffing:
    """General at 18:00 as the user test saw it: both means just miss, both intervals straddle."""
    hour = HourStaffing(18, 4, 3.0)
    _judge(hour, {"service_level": {"mean": 0.7997, "ci95": [0.76, 0.84]},
                  "p_abandon": {"mean": 0.061, "ci95": [0.03, 0.09]}, "calls": {"mean": 40.0, "ci95": [30.0, 50.0]}},
           [parse_target(t) for t in GOALS], None, may_add, days=40)  # 1,600 calls: the mean decides
    return hour


def test_an_hour_whose_mean_misses_after_the_last_round_is_missed_not_undecided():
    hour = evening(may_add=False)
    assert hour.agents == 4 and hour.added == 0  # the staffing shown is the one simulated
    assert hour.verdict == "not confirmed"
    assert hour.checks == {"service_level>=0.8": "missed", "p_abandon<=0.05": "missed"}


def summary(hours: list[HourStaffing], rounds: int = 3, replications: int = 40) -> str:
    entry = PoolDayStaffing("general", [4] * 24, hours, rounds=rounds)
    args = argparse.Namespace(confirm=True, target=GOALS, replications=replications, rounds=rounds)
    return _day_conclusion(entry, args)


def quiet(hour: int, mean: float) -> HourStaffing:
    """An hour whose service level meets 0.8 by its mean but whose interval straddles it."""
    out = HourStaffing(hour, 1, 0.2)
    _judge(out, {"service_level": {"mean": mean, "ci95": [mean - 0.1, min(mean + 0.1, 1.0)]},
                 "p_abandon": {"mean": 0.01, "ci95": [0.0, 0.03]}}, [parse_target(t) for t in GOALS], None, False)
    assert out.verdict == "borderline"
    return out


def test_the_summary_says_the_rounds_ran_out_and_names_the_hours():
    said = summary([evening(may_add=False), quiet(3, 0.88)])
    assert said.startswith("not confirmed: the rounds ran out: 1 hour still misses a target")
    assert "after 3 rounds (18:00); raise --rounds" in said
    assert "in 1 hour the interval straddles a target" in said


def test_days_to_decide_names_the_hour_that_needs_the_most():
    # 0.1 / 0.05 = 2, squared 4 x 40 days; 0.1 / 0.02 = 5, squared 25 x 40 days, at 04:00
    said = summary([quiet(3, 0.85), quiet(4, 0.82)])
    assert re.search(r"\(about --replications 100[01] would decide them; 04:00 needs the most\)", said), said


def test_a_mean_almost_on_the_target_is_too_close_for_more_days_to_decide():
    hours = [quiet(3, 0.85), quiet(2, 0.8001)]  # (0.1 / 0.0001)^2 = a million times the days
    decide = days_to_decide(PoolDayStaffing("general", [1] * 24, hours), [parse_target(t) for t in GOALS], 40)
    assert decide is not None and decide.too_close and decide.hour == 2
    said = summary(hours)
    assert "(an hour's mean sits too close to its target for more days to decide it: 02:00)" in said
    assert "--replications 4" not in said


def test_an_input_error_pickles_as_itself():
    """What a worker process sends its parent: the problems and the file, every line as it was."""
    import pickle

    from ivrlint.errors import InputError
    from ivrlint.location import Location

    error = InputError([(Location("day.yaml", 75, 32), "queue 'billing' overflows to 'receptoin'"), (None, "and more")],
                       "day.yaml")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is InputError and again.lines() == error.lines() and again.file == "day.yaml"
