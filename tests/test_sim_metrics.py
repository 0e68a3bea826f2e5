"""Metrics from records: per intent, queue, path and overall, with 95% intervals."""

from __future__ import annotations

import pickle

import pytest

from ivrlint.sim import records as R
from ivrlint.sim.metrics import mean_ci, replication_metrics, summarise, t975
from ivrlint.sim.records import CallRecord, Step
from ivrlint.sim.table import CallTable


def call(call_id, intent, outcome, arrival=0.0, end=100.0, queue=None, wait=None, talk=None, enter=None, keys=1,
         goal=True, person=False, steps=(("main", "1"), ("billing", None))):
    record = CallRecord(call_id, 0, arrival, intent, "en", outcome=outcome, keypresses=keys, reached_goal=goal,
                        reached_person=person, queue=queue, queue_wait=wait, talk_time=talk, queue_enter=enter, end=end)
    record.steps = [Step(node, arrival, arrival, key, "key") for node, key in steps]
    return record


CALLS = [
    call(0, "bill", R.SERVED, queue="q", wait=0.0, talk=60.0, enter=20.0, end=80.0, person=True),
    call(1, "bill", R.SERVED, queue="q", wait=30.0, talk=60.0, enter=20.0, end=110.0, person=True),
    call(2, "bill", R.ABANDONED, queue="q", wait=50.0, enter=20.0, end=70.0),
    call(3, "info", R.CONTAINED, end=40.0, keys=2, steps=(("main", "2"), ("info", None))),
]


def test_figures_per_intent_come_from_that_intents_calls():
    bill = replication_metrics(CALLS, ["bill", "info"], {"q": 2}, 3600.0)["intents"]["bill"]
    assert bill["calls"] == 3 and bill["ivr_seconds"] == pytest.approx(20.0)
    assert bill["p_abandon"] == pytest.approx(1 / 3) and bill["p_person"] == pytest.approx(2 / 3)
    assert bill["mean_wait"] == pytest.approx(80 / 3) and bill["median_wait"] == pytest.approx(30.0)
    assert bill["service_level"] == pytest.approx(1 / 3)  # waited 0 s: yes; 30 s: no; abandoned: no
    assert bill["time_to_resolution"] == pytest.approx((80 + 110) / 2)


def test_queue_figures_count_waits_abandonment_and_occupancy():
    q = replication_metrics(CALLS, ["bill", "info"], {"q": 2}, 3600.0)["queues"]["q"]
    assert q["calls"] == 3 and q["p_wait"] == pytest.approx(2 / 3) and q["p_abandon"] == pytest.approx(1 / 3)
    assert q["occupancy"] == pytest.approx(120 / (2 * 3600)) and q["p90_wait"] == pytest.approx(46.0)


def test_paths_and_overall_cover_every_call():
    figures = replication_metrics(CALLS, ["bill", "info"], {"q": 2}, 3600.0)
    assert figures["paths"]["main>1>billing"]["share"] == pytest.approx(0.75)
    assert figures["paths"]["main>2>info"]["calls"] == 1
    assert figures["overall"]["calls"] == 4 and figures["overall"]["containment"] == pytest.approx(0.25)
    assert figures["overall"]["keypresses"] == pytest.approx(5 / 4)


def test_a_single_replication_has_a_zero_width_interval():
    assert mean_ci([3.5]) == {"mean": 3.5, "ci95": [3.5, 3.5]}
    assert mean_ci([]) == {"mean": None, "ci95": [None, None]}


def test_intervals_use_students_t():
    assert t975(1) == pytest.approx(12.706) and t975(9) == pytest.approx(2.262)
    assert t975(60) == pytest.approx(2.000, abs=2e-3) and t975(1000) == pytest.approx(1.962, abs=2e-3)
    low, high = mean_ci([1.0, 2.0, 3.0], lower=None)["ci95"]
    assert (high - low) / 2 == pytest.approx(4.303 * 1.0 / 3 ** 0.5, rel=1e-4)


def test_a_path_missing_from_a_replication_counts_zero_calls_there():
    one = replication_metrics(CALLS, ["bill", "info"], {"q": 2}, 3600.0)
    two = replication_metrics(CALLS[:3], ["bill", "info"], {"q": 2}, 3600.0)
    summary = summarise([one, two])
    assert summary["paths"]["main>2>info"]["calls"]["mean"] == pytest.approx(0.5)
    assert summary["paths"]["main>2>info"]["ivr_seconds"]["mean"] == pytest.approx(40.0)
    assert summary["intents"]["info"]["calls"]["mean"] == pytest.approx(0.5)


def test_records_survive_the_trip_through_columns_and_between_processes():
    table = pickle.loads(pickle.dumps(CallTable.from_records(CALLS)))
    assert table.records() == CALLS
    assert replication_metrics(table, ["bill", "info"], {"q": 2}, 3600.0) == replication_metrics(CALLS, ["bill", "info"], {"q": 2}, 3600.0)


def test_intervals_stay_within_what_the_metric_can_take():
    waits = mean_ci([0.0, 0.0, 0.0, 12.0])  # t interval would reach below zero
    assert waits["ci95"][0] == 0.0 and waits["ci95"][1] > 12.0 / 4
    share = mean_ci([1.0, 1.0, 0.9], upper=1.0)
    assert share["ci95"][1] == 1.0 and share["ci95"][0] < 0.9667
    summary = summarise([{"overall": {"calls": 10, "p_goal": p, "mean_wait": w}, "intents": {}, "queues": {}, "paths": {}}
                         for p, w in ((1.0, 0.0), (1.0, 0.0), (0.8, 30.0))])["overall"]
    assert summary["p_goal"]["ci95"][1] == 1.0
    assert summary["mean_wait"]["ci95"][0] == 0.0


def test_a_lopsided_interval_is_shown_as_its_ends_not_plus_minus():
    from ivrlint.report.summary import cell

    assert cell({"mean": 4.0, "ci95": [0.0, 12.5]}, "s") == "4.0 (0.0-12.5)"
    assert "±" in cell({"mean": 4.0, "ci95": [2.0, 6.0]}, "s")
