"""`ivrlint staff --by-hour`: Lag-SIPP agents per hour, confirmed by simulating whole days, hours that miss
a target given an agent more (whatif/staffing_hourly.py)."""

from __future__ import annotations

import json

import pytest
from conftest import menu, run_cli

from ivrlint.analysis.hourly import PoolModel, lagged
from ivrlint.errors import UsageError
from ivrlint.menu.loader import load_menu
from ivrlint.whatif.staffing import fewest_agents, parse_target
from ivrlint.whatif.staffing_hourly import HourStaffing, PoolDayStaffing, _judge, confirm_by_hour, days_to_decide, staff_by_hour

#: A small line with a morning peak and a quiet night; short talk times keep the simulated days quick.
RATES = [4, 3, 2, 2, 2, 3, 10, 60, 150, 180, 160, 120, 100, 100, 110, 100, 80, 60, 40, 25, 15, 10, 6, 5]
DAY = f"""
ivr: day
start: agent
nodes:
  agent: {{type: queue, queue: general}}
queues:
  general: {{agents: 4, handle_time: {{mean: TALK, distribution: exponential}}}}
traffic:
  calls_per_hour: {RATES}
  patience: {{mean: 2m, distribution: exponential}}
  intents: {{any: {{share: 1, goal: agent}}}}
"""
TARGETS = ["service_level>=0.8", "p_abandon<=0.05"]


def day(talk: str = "90s"):
    return menu(DAY.replace("TALK", talk))


def test_lag_sipp_gives_24_counts_more_at_the_morning_peak_than_at_night():
    [general] = staff_by_hour(day(), TARGETS)
    counts = general.agents_by_hour
    assert len(counts) == 24 and all(isinstance(n, int) and n >= 1 for n in counts)
    assert counts[9] == max(counts) and counts[9] >= 3 * counts[3]
    assert counts[3] == 1 and counts[8] > counts[6] > counts[4]
    for hour in general.hours:  # each hour meets every target in the analysis
        assert all(parse_target(t).met(hour.analysed) for t in TARGETS), hour
    assert general.agents_now == [4] * 24


def test_each_hour_is_the_stationary_search_at_its_rate_lagged_by_the_mean_talk_time():
    model = day("20m")  # a long talk time, so the lag moves the rate a third of an hour
    [general] = staff_by_hour(model, TARGETS)
    pool = PoolModel(model, "general", 1.0)
    rates = lagged([float(r) for r in RATES], 20 / 60)
    goals = [parse_target(t) for t in TARGETS]
    for h in (7, 8, 12, 20):
        expected = fewest_agents(lambda n, h=h: pool.solve(rates[h] / 3600, n), goals)
        assert general.hours[h].agents == expected
        assert general.hours[h].offered_load == pytest.approx(rates[h] * 20 / 60, rel=1e-9)
    # lagged, the first peak hour is staffed for less than its own calls need
    own = fewest_agents(lambda n: pool.solve(RATES[8] / 3600, n), goals)
    assert general.hours[8].agents < own


def test_each_hour_is_confirmed_by_simulating_whole_days():
    model = day()
    staffing = staff_by_hour(model, TARGETS)
    confirm_by_hour(model, staffing, TARGETS, replications=6, seed=3, jobs=1, rounds=2)
    [general] = staffing
    assert 1 <= general.rounds <= 2
    for hour in general.hours:
        assert set(hour.checks) == set(TARGETS)
        assert hour.verdict in ("confirmed", "borderline", "not confirmed")
        assert set(hour.simulated) >= {"service_level", "p_abandon", "mean_wait", "occupancy"}
        low, high = hour.simulated["service_level"]["ci95"]
        assert 0 <= low <= hour.simulated["service_level"]["mean"] <= high <= 1
    peak = general.hours[9].simulated["service_level"]["mean"]
    assert peak >= 0.7  # the peak, at its Lag-SIPP staffing, is served about as the target says


def test_an_hour_that_misses_a_target_gets_one_more_agent_and_an_undecided_one_does_not():
    goals = [parse_target(t) for t in TARGETS]
    missed = HourStaffing(9, 5, 4.0)
    assert _judge(missed, {"service_level": {"mean": 0.6, "ci95": [0.55, 0.65]},
                           "p_abandon": {"mean": 0.02, "ci95": [0.01, 0.03]}}, goals, None, may_add=True) is True
    assert (missed.agents, missed.added, missed.verdict) == (6, 1, "not confirmed")
    behind = HourStaffing(9, 5, 4.0)  # the interval straddles, but the mean misses: the best estimate falls short
    assert _judge(behind, {"service_level": {"mean": 0.79, "ci95": [0.7, 0.88]},
                           "p_abandon": {"mean": 0.02, "ci95": [0.01, 0.03]}, "calls": {"mean": 60.0, "ci95": [50.0, 70.0]}},
                  goals, None, may_add=True, days=40) is True
    assert (behind.agents, behind.added, behind.verdict) == (6, 1, "not confirmed")
    assert behind.checks == {"service_level>=0.8": "missed", "p_abandon<=0.05": "met"}
    straddling = HourStaffing(9, 5, 4.0)  # the mean meets it: more days decide it, not more agents
    assert _judge(straddling, {"service_level": {"mean": 0.81, "ci95": [0.72, 0.90]},
                               "p_abandon": {"mean": 0.02, "ci95": [0.01, 0.03]}}, goals, None, may_add=True) is False
    assert (straddling.agents, straddling.verdict) == (5, "borderline")
    # its half-width 0.09 must shrink below the mean's 0.03 from the target: (0.09 / 0.03)^2 = 9 times the days
    nearly = HourStaffing(9, 5, 4.0)
    _judge(nearly, {"service_level": {"mean": 0.83, "ci95": [0.74, 0.92]},
                    "p_abandon": {"mean": 0.02, "ci95": [0.01, 0.03]}}, goals, None, may_add=True)
    decide = days_to_decide(PoolDayStaffing("general", [5] * 24, [nearly]), goals, 10)
    assert decide is not None and decide.hour == 9 and decide.days in (90, 91)  # 90, give or take rounding
    # 0.01 from the target it would take 81 times the days: too close for more days to decide it
    decide = days_to_decide(PoolDayStaffing("general", [5] * 24, [straddling]), goals, 10)
    assert decide is not None and decide.too_close and decide.hour == 9
    last = HourStaffing(9, 5, 4.0)  # in the last round nothing is added: the staffing shown is the one simulated
    assert _judge(last, {"service_level": {"mean": 0.6, "ci95": [0.55, 0.65]}}, goals, None, may_add=False) is False
    assert last.agents == 5


def test_the_cli_gives_the_hours_table_json_and_writes_the_staffed_menu(write, tmp_path):
    path = write("day.yaml", DAY.replace("TALK", "90s"))
    out = tmp_path / "staffed.yaml"
    args = ["staff", str(path), "--by-hour", *(a for t in TARGETS for a in ("--target", t)),
            "--replications", "4", "--rounds", "1", "--jobs", "1"]
    result = run_cli(*args, "--format", "json", "--write-menu", str(out))
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    general = doc["pools"]["general"]
    assert len(general["agents_by_hour"]) == 24 and all(isinstance(n, int) for n in general["agents_by_hour"])
    assert general["exact"] is False and "stationary per hour" in general["approximation"]
    hour = general["hours"][9]
    assert hour["agents"] == general["agents_by_hour"][9]
    assert set(hour["analysed"]) >= {"service_level", "p_abandon"} and set(hour["simulated"]) >= {"service_level"}
    assert doc["by_hour"] is True and doc["simulation"]["hours"] == 24.0
    written = load_menu(str(out))
    assert written.queues["general"].agents_by_hour == general["agents_by_hour"]
    text = run_cli(*args)
    assert text.code == 0, text.err
    assert "general:" in text.out and "09:00" in text.out and "simulated [95% CI]" in text.out
    assert "approximate: stationary per hour" in text.out


def test_without_simulation_the_table_has_the_analysis_only(write):
    path = write("day.yaml", DAY.replace("TALK", "90s"))
    result = run_cli("staff", str(path), "--by-hour", "--target", "service_level>=0.8", "--no-confirm")
    assert result.code == 0, result.err
    assert "simulated" not in result.out and "analysis only, approximate" in result.out


def test_an_unknown_pool_is_a_usage_error():
    with pytest.raises(UsageError, match="--pool nowhere"):
        staff_by_hour(day(), TARGETS, pools=["nowhere"])


def test_a_pool_that_offers_callbacks_is_staffed_with_its_line_and_says_it_is_approximate():
    from ivrlint.whatif.staffing import staff

    text = DAY.replace("TALK", "4m").replace("calls_per_hour: " + str(RATES), "calls_per_hour: 75").replace(
        "distribution: exponential}}", "distribution: exponential}, callback: {offer_after: 60s, accept: 0.5}}", 1)
    model = menu(text)
    assert model.queues["general"].callback is not None
    [general] = staff(model, ["p_abandon<=0.1"])
    plain = staff(menu(DAY.replace("TALK", "4m").replace("calls_per_hour: " + str(RATES), "calls_per_hour: 75")),
                  ["p_abandon<=0.1"])[0]
    assert general.exact is False and "callbacks approximated" in general.approximation
    assert "p_callback" in general.analysed
    assert general.agents <= plain.agents  # takers never abandon: the offer can only help this target


def test_a_quiet_hour_s_mean_alone_adds_nobody():
    """One or two calls an hour: one caller who waited moves the mean past any target, so only the interval
    decides there (the fresh-eyes review saw nine agents added to night hours from three days)."""
    goals = [parse_target(t) for t in TARGETS]
    quiet = {"service_level": {"mean": 0.75, "ci95": [0.2, 1.0]}, "p_abandon": {"mean": 0.0, "ci95": [0.0, 0.0]},
             "calls": {"mean": 1.5, "ci95": [0.0, 4.0]}}
    night = HourStaffing(3, 1, 0.05)
    assert _judge(night, quiet, goals, None, may_add=True, days=40) is False  # 60 calls in all: too few
    assert (night.agents, night.verdict) == (1, "borderline")
    busy = HourStaffing(9, 5, 4.0)
    assert _judge(busy, {**quiet, "calls": {"mean": 60.0, "ci95": [50.0, 70.0]}}, goals, None, may_add=True, days=40)
    assert (busy.agents, busy.added) == (6, 1)
