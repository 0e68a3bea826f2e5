"""The measures of a whole day (issue 14): per caller, a pool's redials, callbacks, announcements and
overflow, and hour by hour; read from calls built by hand, and from the engine's calls of a day.

A menu without those features keeps every figure it had (tests/test_golden_outputs.py pins the
output); here its per-caller figures are the per-call ones: 1 call per caller.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from conftest import MENUS, menu, run_cli

from ivrlint.menu.loader import load_menu
from ivrlint.report.figures import binned_mean
from ivrlint.sim import records as R
from ivrlint.sim import run_simulation
from ivrlint.sim.callers import Features
from ivrlint.sim.columns import MET, Columns
from ivrlint.sim.hourly import Clock, Setting, hour_figures, pool_hours, summarise_hours
from ivrlint.sim.metrics import mean_ci, replication_metrics, summarise
from ivrlint.sim.records import CallRecord, Step
from ivrlint.sim.table import COUNTS, TIMES, CallTable

INTENTS = ["bill", "info"]


def call(call_id, intent="bill", outcome=R.SERVED, arrival=0.0, end=100.0, queue=None, wait=None, talk=None,
         enter=None, **day):
    """A call as the engine records it; `day` holds the whole-day fields (caller, attempt, answered_by...)."""
    person = outcome in (R.SERVED, R.MISROUTED) and talk is not None
    record = CallRecord(call_id, 0, arrival, intent, "en", outcome=outcome, reached_person=person, queue=queue,
                        queue_enter=enter, queue_wait=wait, talk_time=talk, end=end, **day)
    record.steps = [Step("main", arrival, arrival, "1", "key")]
    return record


def served(call_id, arrival, wait, talk, queue="q", intent="bill", menu_s=10.0, **day):
    """A call that waited `wait` s in `queue` after `menu_s` s in the menu, then talked `talk` s."""
    enter = arrival + menu_s
    return call(call_id, intent, R.SERVED, arrival, enter + wait + talk + day.pop("ring", 0.0), queue, wait, talk,
                enter, **day)


def abandoned(call_id, arrival, wait, queue="q", intent="bill", menu_s=10.0, **day):
    enter = arrival + menu_s
    return call(call_id, intent, R.ABANDONED, arrival, enter + wait, queue, wait, None, enter, **day)


#: Three callers: 0 abandons, then is served on their redial; 1 is served at once; 2 hangs up twice.
#: (info) 3 is contained.
REDIALS = [
    abandoned(0, 0.0, 60.0),
    served(1, 100.0, 0.0, 200.0),
    call(2, "bill", R.HUNG_UP, 150.0, 180.0),
    call(3, "info", R.CONTAINED, 200.0, 260.0),
    served(4, 1300.0, 0.0, 300.0, caller=0, attempt=2),
    call(5, "bill", R.HUNG_UP, 1500.0, 1520.0, caller=2, attempt=2),
]


NO_FEATURES = Features()


def figures(records, features=NO_FEATURES, pools=None, window=3600.0, **setting):
    pools = pools or {"q": 2}
    day = Setting(end=window, agents={p: (n,) * 24 for p, n in pools.items()}, features=features, **setting)
    return replication_metrics(records, INTENTS, pools, window, setting=day)


def test_per_caller_figures_follow_each_caller_through_their_redials():
    f = figures(REDIALS, Features(redial=True))
    bill = f["intents"]["bill"]
    assert bill["calls"] == 5 and bill["callers"] == 3
    assert bill["calls_per_caller"] == pytest.approx(5 / 3)
    assert bill["first_contact_resolution"] == pytest.approx(1 / 3)  # only caller 1's first call met the need
    assert bill["callers_never_served"] == pytest.approx(1 / 3)  # caller 2
    overall = f["overall"]
    assert overall["callers"] == 4 and overall["calls_per_caller"] == pytest.approx(6 / 4)
    assert overall["first_contact_resolution"] == pytest.approx(2 / 4) and overall["callers_never_served"] == pytest.approx(1 / 4)
    assert overall["redial_calls"] == 2


def test_redials_per_pool_count_the_redials_in_line_and_the_agent_time_they_took():
    q = figures(REDIALS, Features(redial=True), window=7200.0)["queues"]["q"]
    assert q["redial_calls"] == 1  # call 5 hung up in the menu: it never reached the pool
    assert q["redial_load"] == pytest.approx(300.0 / 7200.0)


def test_without_redials_each_call_is_its_caller_and_no_new_pool_figure_appears():
    plain = [r for r in REDIALS if r.attempt == 1]
    f = figures(plain)
    overall = f["overall"]
    assert overall["callers"] == overall["calls"] == 4 and overall["calls_per_caller"] == 1.0
    met = sum(r.outcome in MET for r in plain) / len(plain)
    assert overall["first_contact_resolution"] == pytest.approx(met)
    assert overall["callers_never_served"] == pytest.approx(1 - met)
    assert "redial_calls" not in overall and "p_callback" not in overall
    assert set(f["queues"]["q"]) == {"calls", "closed", "p_closed", "p_wait", "p_abandon", "mean_wait", "median_wait",
                                     "p90_wait", "service_level", "occupancy", "mean_talk"}


def test_a_table_without_the_whole_day_columns_gives_the_same_figures_as_its_records():
    plain = [r for r in REDIALS if r.attempt == 1]
    table = CallTable.from_records(plain, INTENTS)
    names = {"intents": table.intents, "languages": table.languages, "queues": table.queues}
    bare = CallTable(table.replication, table.first_id, names, table.paths,
                     {k: v for k, v in table.columns().items() if k in (*TIMES, *COUNTS)})
    assert not bare.whole_day and table.whole_day
    assert figures(bare) == figures(table)


CALLBACKS = [
    served(0, 0.0, 0.0, 100.0),
    served(1, 10.0, 400.0, 100.0, callback=2, ring=20.0, ring_back=20.0, avoided=True),
    served(2, 20.0, 300.0, 100.0, callback=2, ring=15.0, ring_back=15.0),
    served(3, 30.0, 200.0, 100.0, callback=1),
    abandoned(4, 40.0, 150.0, callback=1),
]


def test_callback_figures_count_offers_takers_their_wait_and_abandonment_avoided():
    q = figures(CALLBACKS, Features(callback=frozenset({"q"})))["queues"]["q"]
    assert (q["callbacks_offered"], q["callbacks_taken"]) == (4, 2)
    assert q["p_callback"] == pytest.approx(2 / 5) and q["callback_wait"] == pytest.approx(350.0)
    assert q["abandonment_avoided"] == pytest.approx(1 / 5)
    # an agent's time is the ring-back and the talk
    assert q["occupancy"] == pytest.approx((4 * 100 + 20 + 15) / (2 * 3600.0))
    assert q["mean_talk"] == pytest.approx(100.0)


def test_callback_figures_only_for_pools_that_offer_one():
    f = figures(CALLBACKS, Features(callback=frozenset({"q"})), pools={"q": 2, "other": 1})
    assert "p_callback" in f["queues"]["q"] and "p_callback" not in f["queues"]["other"]
    assert f["overall"]["p_callback"] == pytest.approx(2 / 5)


def test_overflowed_callers_count_where_they_waited_and_their_talk_where_they_were_answered():
    calls = [served(0, 0.0, 70.0, 300.0, queue="a", answered_by="b", overflowed=True),
             served(1, 5.0, 10.0, 200.0, queue="a"),
             abandoned(2, 8.0, 90.0, queue="a", overflowed=True),
             served(3, 9.0, 0.0, 100.0, queue="b")]
    f = figures(calls, Features(overflow=frozenset({"a"}), overflow_to=frozenset({"b"})), pools={"a": 1, "b": 1})
    a, b = f["queues"]["a"], f["queues"]["b"]
    assert a["calls"] == 3 and a["p_overflow"] == pytest.approx(2 / 3) and "p_overflow" not in b
    assert b["overflow_answered"] == 1 and "overflow_answered" not in a
    assert a["occupancy"] == pytest.approx(200 / 3600) and b["occupancy"] == pytest.approx(400 / 3600)


def test_a_pool_that_only_takes_overflow_still_has_its_occupancy():
    calls = [served(0, 0.0, 70.0, 300.0, queue="a", answered_by="b", overflowed=True)]
    b = figures(calls, Features(overflow=frozenset({"a"}), overflow_to=frozenset({"b"})), pools={"a": 1, "b": 1})["queues"]["b"]
    assert b["calls"] == 0 and b["occupancy"] == pytest.approx(300 / 3600)


def test_left_at_announcement_is_a_share_of_the_pools_calls():
    calls = [abandoned(0, 0.0, 45.0, left_at_announcement=True), served(1, 1.0, 10.0, 60.0), abandoned(2, 2.0, 30.0)]
    q = figures(calls, Features(announce=frozenset({"q"})))["queues"]["q"]
    assert q["p_left_at_announcement"] == pytest.approx(1 / 3) and q["p_abandon"] == pytest.approx(2 / 3)


# -- hour by hour ---------------------------------------------------------------

def test_the_window_covers_the_clock_hours_it_reaches_from_its_clock():
    clock = Clock(Setting(clock=8.5, start=1800.0, end=1800.0 + 3 * 3600.0))  # 09:00 after a half-hour warm-up, 3 h
    assert [h for h, seconds in enumerate(clock.covered()) if seconds] == [9, 10, 11]
    assert clock.hour_of(np.array([1799.0, 1800.0, 5399.0, 5400.0, 12600.0])).tolist() == [-1, 9, 9, 10, -1]
    late = Clock(Setting(clock=22.0, end=4 * 3600.0 + 900.0)).covered()  # 22:00 to 02:15: over midnight
    assert {h: s for h, s in enumerate(late) if s} == {22: 3600.0, 23: 3600.0, 0: 3600.0, 1: 3600.0, 2: 900.0}
    year = Clock(Setting(clock=6.0, end=365 * 24 * 3600.0 + 1800.0)).covered()  # 06:00 on: a year and half an hour
    assert year[6] == 366 * 3600.0 - 1800.0 and year[5] == 365 * 3600.0 and year[7] == 365 * 3600.0


def test_agent_time_is_split_across_the_hours_it_falls_in():
    clock = Clock(Setting(end=4 * 3600.0))
    since = np.array([3000.0, 100.0, 3500.0, 14000.0])
    until = np.array([4000.0, 200.0, 3500.0 + 2 * 3600.0 + 50.0, 15000.0])  # the third spans three hour edges
    split = clock.split(since, until, np.array([0, 1, 0, 1]), 2)
    assert split[:4, 0].tolist() == pytest.approx([600.0 + 100.0, 400.0 + 3600.0, 3550.0, 0.0])
    assert split[:4, 1].tolist() == pytest.approx([100.0, 0.0, 0.0, 400.0])  # the last one stops at the horizon
    assert split.sum() == pytest.approx(1000.0 + 100.0 + 2 * 3600.0 + 50.0 + 400.0)


def test_a_span_of_days_adds_whole_days_to_every_hour():
    clock = Clock(Setting(end=10 * 24 * 3600.0))
    split = clock.split(np.array([1800.0]), np.array([1800.0 + 3 * 24 * 3600.0 + 2 * 3600.0]), np.array([0]), 1)[:, 0]
    # 00:30 on day 1 to 02:30 on day 4
    assert split[:4].tolist() == [3 * 3600.0 + 1800.0, 4 * 3600.0, 3 * 3600.0 + 1800.0, 3 * 3600.0]
    assert split.sum() == pytest.approx(3 * 24 * 3600.0 + 2 * 3600.0)


def test_hours_give_calls_waits_service_and_occupancy_against_agents_on_duty():
    calls = [served(0, 100.0, 0.0, 3600.0 - 110.0 + 600.0),  # 00:00, talks into 01:00 for 10 min
             served(1, 3700.0, 30.0, 60.0),
             abandoned(2, 3800.0, 50.0),
             served(3, 3 * 3600.0 + 10.0, 5.0, 100.0)]
    setting = Setting(end=4 * 3600.0, agents={"q": (1, 2, 3, 4) + (1,) * 20}, hourly=frozenset({"q"}))
    hours = hour_figures(CallTable.from_records(calls, INTENTS), setting)
    assert len(hours) == 24 and [h["covered"] for h in hours] == [True] * 4 + [False] * 20
    assert hours[4] == {"hour": 4, "covered": False}
    one = hours[1]
    assert one["calls"] == 2 and one["mean_wait"] == pytest.approx(40.0) and one["p_abandon"] == pytest.approx(0.5)
    assert one["service_level"] == 0.0  # 30 s and abandoned: neither within 20 s
    q = [h["queues"]["q"] for h in hours[:4]]
    assert [x["agents"] for x in q] == [1, 2, 3, 4]
    assert q[0]["occupancy"] == pytest.approx((3600 - 110) / 3600)
    assert q[1]["occupancy"] == pytest.approx((600 + 60) / (2 * 3600))
    assert q[2]["occupancy"] == 0.0 and q[2]["calls"] == 0 and q[2]["mean_wait"] is None
    assert q[3]["service_level"] == 1.0


def test_the_whole_days_occupancy_of_a_pool_staffed_by_the_hour_is_over_the_agents_on_duty():
    calls = [served(0, 0.0, 0.0, 1800.0, menu_s=0.0), served(1, 3600.0, 0.0, 1800.0, menu_s=0.0)]
    setting = Setting(end=2 * 3600.0, agents={"q": (1, 3) + (0,) * 22}, hourly=frozenset({"q"}))
    q = replication_metrics(calls, INTENTS, {"q": 3}, 7200.0, setting=setting)["queues"]["q"]
    assert q["occupancy"] == pytest.approx(3600 / (4 * 3600))  # not over 3 agents for 2 hours


def test_calls_after_the_horizon_count_in_the_day_but_in_no_hour():
    calls = [served(0, 100.0, 0.0, 60.0), served(1, 3700.0, 0.0, 60.0, caller=0, attempt=2)]
    f = figures(calls, Features(redial=True), window=3600.0)
    assert f["overall"]["calls"] == 2 and f["hours"][0]["calls"] == 1 and f["hours"][1]["covered"] is False


def test_a_pool_shut_for_an_hour_has_no_agents_on_duty_in_it():
    setting = Setting(end=3 * 3600.0, agents={"q": (2,) * 24}, open_hours={"q": (1.0, 2.5)})
    hours = hour_figures(CallTable.from_records([served(0, 3700.0, 0.0, 60.0)], INTENTS), setting)
    assert [h["queues"]["q"]["agents"] for h in hours[:3]] == [0, 2, 2]
    assert hours[0]["queues"]["q"]["occupancy"] is None
    assert hours[2]["queues"]["q"]["occupancy"] == 0.0  # on duty for half of the hour, and idle
    assert hours[1]["queues"]["q"]["occupancy"] == pytest.approx(60 / 7200)


def test_hours_are_summarised_over_replications_and_read_per_pool():
    day = Setting(end=3600.0, agents={"q": (2,) * 24})
    reps = [hour_figures(CallTable.from_records([served(0, 10.0, w, 60.0)], INTENTS), day) for w in (0.0, 40.0)]
    summary = summarise_hours(reps, mean_ci)
    assert summary[0]["mean_wait"]["mean"] == pytest.approx(20.0) and summary[0]["queues"]["q"]["agents"]["ci95"] == [2.0, 2.0]
    assert summary[0]["service_level"]["ci95"][1] <= 1.0 and summary[5] == {"hour": 5, "covered": False}
    per_pool = pool_hours(summary, "q")
    assert len(per_pool) == 24 and per_pool[1] is None and per_pool[0]["calls"]["mean"] == 1.0
    assert summarise([{**replication_metrics([served(0, 10.0, 0.0, 60.0)], INTENTS, {"q": 2}, 3600.0)}])["hours"][0]["covered"]


# -- the engine's calls of a day ----------------------------------------------

@pytest.fixture(scope="module")
def day_run():
    whole_day = load_menu(MENUS / "whole-day.yaml")
    return whole_day, run_simulation(whole_day, hours=24, replications=1, seed=3, jobs=1, keep_records=True)


def test_agent_time_by_the_hour_is_what_the_engine_had_busy(day_run):
    """Busy agents by the hour from the calls equal the integral of the pools' own busy counts over each hour."""
    whole_day, result = day_run
    setting = Setting.of(whole_day, 0.0, 0.0, 24.0)
    hours = hour_figures(result.calls[0], setting)
    edges = np.arange(25) * 3600.0
    for pool, samples in result.samples.items():
        times, busy = np.array([s.time for s in samples]), np.array([s.busy for s in samples], dtype=float)
        engine = binned_mean(times, busy, edges) * 3600.0
        ours = np.array([h["queues"][pool]["occupancy"] * setting.agents[pool][h["hour"]] * 3600.0 for h in hours])
        assert ours == pytest.approx(engine, abs=1e-6), pool
        assert ours.sum() > 0


def test_the_hours_calls_add_up_to_the_calls_that_arrived_in_the_day(day_run):
    whole_day, result = day_run
    table = result.calls[0]
    hours = hour_figures(table, Setting.of(whole_day, 0.0, 0.0, 24.0))
    assert sum(h["calls"] for h in hours) == int((table.arrival < 86400.0).sum())
    for pool in whole_day.queues:
        entered = Columns(table).queued & (np.array(table.queues + [""])[table.queue] == pool)
        assert sum(h["queues"][pool]["calls"] for h in hours) == int((entered & (table.arrival < 86400.0)).sum())


DAY_MENU = """
ivr: day
start: agent
nodes:
  agent: {type: queue, queue: general}
queues:
  general:
    agents: [1, 1, 1, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1]
    handle_time: {mean: 240, distribution: exponential}
    callback: {offer_after: 60s, accept: 0.5}
traffic:
  calls_per_hour: 30
  patience: {mean: 120, distribution: exponential}
  redial: {share: 0.6, after: 10m}
  intents: {any: {share: 1, goal: agent}}
"""


def test_simulate_json_has_every_measure_of_the_day(write):
    path = write("day.yaml", DAY_MENU)
    out = run_cli("simulate", path, "--replications", "3", "--jobs", "1", "--quiet", "--format", "json")
    assert out.code == 0, out.err
    data = json.loads(out.out)
    overall, general = data["overall"], data["queues"]["general"]
    assert overall["first_contact_resolution"]["mean"] < 1 and overall["calls_per_caller"]["mean"] > 1
    assert general["callbacks_taken"]["mean"] > 0 and general["redial_load"]["mean"] > 0
    hours = data["hours"]
    assert [h["hour"] for h in hours] == list(range(24)) and all(h["covered"] for h in hours)
    assert [h["queues"]["general"]["agents"]["mean"] for h in hours] == [1] * 7 + [2] + [3] * 9 + [2, 2] + [1] * 5
    night, day = hours[3]["queues"]["general"], hours[10]["queues"]["general"]
    assert night["service_level"]["mean"] < day["service_level"]["mean"]  # the same calls, a third of the agents


def test_no_redials_means_one_call_per_caller_exactly(write):
    path = write("day.yaml", DAY_MENU)
    out = run_cli("simulate", path, "--replications", "2", "--jobs", "1", "--quiet", "--format", "json",
                  "--set", "traffic.redial.share=0")
    assert out.code == 0, out.err
    overall = json.loads(out.out)["overall"]
    assert overall["calls_per_caller"] == {"mean": 1.0, "ci95": [1.0, 1.0]} and overall["redial_calls"]["mean"] == 0
    assert overall["callers"] == overall["calls"]


def test_figures_of_a_menu_without_the_features_stay_what_they_were():
    bank = load_menu(MENUS / "bank.yaml")
    metrics = run_simulation(bank, hours=2, replications=2, seed=1, jobs=1, keep_records=False).metrics
    for name, pool in metrics["queues"].items():
        assert not set(pool) - {"calls", "closed", "p_closed", "p_wait", "p_abandon", "mean_wait", "median_wait",
                                "p90_wait", "service_level", "occupancy", "mean_talk"}, name
    assert metrics["overall"]["calls_per_caller"]["mean"] == 1.0
    assert math.isclose(metrics["overall"]["callers"]["mean"], metrics["overall"]["calls"]["mean"])


def test_an_hour_a_menu_staffs_with_nobody_has_no_occupancy():
    quiet = menu(DAY_MENU.replace("agents: [1, 1, 1,", "agents: [0, 1, 1,"))
    hours = run_simulation(quiet, replications=1, seed=2, jobs=1, keep_records=False).metrics["hours"]
    assert hours[0]["queues"]["general"]["agents"]["mean"] == 0 and hours[0]["queues"]["general"]["occupancy"]["mean"] is None
