"""Calls as columns (sim/table.py): the same numbers with or without records, few events and bytes per
call, workers that send back metrics, and `simulate --records FILE` for analysts."""

from __future__ import annotations

import csv
import math
import os
from dataclasses import replace

import pytest
import simpy
from conftest import MENUS, menu, run_cli
from test_sim_agreement import MULTI_LEVEL

from ivrlint.errors import UsageError
from ivrlint.menu.loader import load_menu
from ivrlint.menu.model import Duration
from ivrlint.sim import engine, run_simulation
from ivrlint.sim.runner import MAX_CALLS, MAX_RECORDED_CALLS, _check_size

QUEUE_ONLY = """
ivr: erlang-a
start: agent
nodes:
  agent: {type: queue, queue: general}
queues:
  general: {agents: 13, handle_time: {mean: 180, distribution: exponential}}
traffic:
  calls_per_hour: 200
  patience: {mean: 300, distribution: exponential}
  intents: {any: {share: 1, goal: agent}}
"""


@pytest.fixture(scope="module")
def bank():
    return load_menu(str(MENUS / "bank.yaml"))


def test_a_run_without_records_has_the_same_metrics_and_keeps_no_calls(bank):
    kept = run_simulation(bank, hours=2, replications=3, seed=5, jobs=1)
    lean = run_simulation(bank, hours=2, replications=3, seed=5, jobs=1, keep_records=False)
    assert lean.metrics == kept.metrics and lean.replications == kept.replications
    assert lean.records == [] and lean.calls == [] and lean.samples == {}
    assert kept.records and kept.samples["general"]


def test_workers_send_metrics_and_give_the_serial_numbers(bank):
    serial = run_simulation(bank, hours=2, replications=3, seed=5, jobs=1, keep_records=False)
    parallel = run_simulation(bank, hours=2, replications=3, seed=5, jobs=2, keep_records=False)
    assert parallel.metrics == serial.metrics and parallel.params["jobs"] == 2


def test_each_replications_calls_come_in_order_and_match_the_kept_records(bank):
    seen = []
    streamed = run_simulation(bank, hours=1, replications=4, seed=2, jobs=2, keep_records=False, on_calls=seen.append)
    kept = run_simulation(bank, hours=1, replications=4, seed=2, jobs=1)
    assert [t.replication for t in seen] == [0, 1, 2, 3]
    assert [t.without_trace() for t in kept.calls] == seen
    assert streamed.metrics == kept.metrics and streamed.calls == []  # handed over, not kept


def test_the_table_gives_back_every_record_with_its_steps(bank):
    result = run_simulation(bank, hours=1, replications=2, seed=4, jobs=1)
    tables, records = result.calls, result.records
    assert [len(t) for t in tables] == [sum(r.replication == k for r in records) for k in (0, 1)]
    assert [r for t in tables for r in t.records()] == records
    first = tables[0]
    assert first.path_names[first.path[0]] == records[0].path  # paths by code, in order of first appearance
    assert first.path_names == list(dict.fromkeys(r.path for r in records if r.replication == 0))
    untraced = first.without_trace().records()[0]
    assert [(s.node, s.key) for s in untraced.steps] == [(s.node, s.key) for s in records[0].steps]
    assert math.isnan(untraced.steps[0].enter)  # no trace, no times: the steps say so rather than guess


def test_a_call_costs_under_64_bytes_of_columns():
    sizes: list[float] = []
    result = run_simulation(menu(MULTI_LEVEL), hours=4, replications=1, seed=1, jobs=1, keep_records=False,
                            on_calls=lambda table: sizes.append(table.nbytes() / len(table)))
    assert result.metrics["overall"]["calls"]["mean"] > 100 and 40 < sizes[0] < 64


class Counting(simpy.Environment):
    scheduled = 0

    def schedule(self, event, priority=simpy.core.NORMAL, delay=0):
        Counting.scheduled += 1
        super().schedule(event, priority, delay)


def events_per_call(model, monkeypatch) -> float:
    monkeypatch.setattr(engine.simpy, "Environment", Counting)
    Counting.scheduled = 0
    result = run_simulation(model, hours=50, replications=1, seed=1, jobs=1, keep_records=False)
    return Counting.scheduled / result.metrics["overall"]["calls"]["mean"]


def test_a_queued_call_costs_its_arrival_its_talk_and_its_patience_and_no_more(monkeypatch):
    per_call = events_per_call(menu(QUEUE_ONLY), monkeypatch)
    metrics = run_simulation(menu(QUEUE_ONLY), hours=50, replications=1, seed=1, jobs=1, keep_records=False).metrics
    p_wait, p_abandon = metrics["queues"]["general"]["p_wait"]["mean"], metrics["overall"]["p_abandon"]["mean"]
    # arrival + talk for those answered + one patience event for each who waited
    assert per_call == pytest.approx(1 + (1 - p_abandon) + p_wait, abs=0.01)
    assert per_call < 2.5  # a process, a Resource and a patience timer took six


def test_callers_who_never_give_up_need_no_patience_event(monkeypatch):
    """As `staff --model erlang-c` confirms a staffing: patience that never runs out."""
    text = QUEUE_ONLY.replace("agents: 13", "agents: 11").replace(
        "patience: {mean: 300, distribution: exponential}", "patience: {mean: 1000000000000, distribution: fixed}")
    patient = run_simulation(menu(text), hours=50, replications=1, seed=1, jobs=1, keep_records=False)
    assert patient.metrics["overall"]["p_abandon"]["mean"] == 0.0 and patient.metrics["queues"]["general"]["p_wait"]["mean"] > 0.2
    model = menu(text)
    model = replace(model, traffic=replace(model.traffic, patience=Duration(math.inf, "fixed")))
    assert events_per_call(model, monkeypatch) == pytest.approx(2.0)  # the arrival and the talk
    monkeypatch.undo()
    assert run_simulation(model, hours=50, replications=1, seed=1, jobs=1, keep_records=False).metrics == patient.metrics


def test_the_cap_is_per_replication_without_records_and_on_the_whole_run_with_them(bank):
    rate = bank.traffic.calls_per_hour[0]
    _check_size(bank, MAX_CALLS / rate * 0.99, 100, keep_records=False)  # a billion calls: allowed, one at a time
    with pytest.raises(UsageError, match=f"more than {MAX_CALLS:,}"):
        _check_size(bank, MAX_CALLS / rate * 1.01, 1, keep_records=False)
    _check_size(bank, MAX_RECORDED_CALLS / rate / 10 * 0.99, 10, keep_records=True)
    with pytest.raises(UsageError, match=f"more than {MAX_RECORDED_CALLS:,}.*leave out --report"):
        _check_size(bank, MAX_RECORDED_CALLS / rate / 10 * 1.01, 10, keep_records=True)


def test_simulate_records_writes_every_call_as_the_report_does(tmp_path):
    out = tmp_path / "calls.csv"
    result = run_cli("simulate", MENUS / "bank.yaml", "--hours", "1", "--replications", "3", "--jobs", "2", "--quiet",
                     "--records", out, "--report", tmp_path / "report", "--format", "json")
    assert result.code == 0, result.err
    assert out.read_bytes() == (tmp_path / "report" / "records.csv").read_bytes()
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["replication"] for r in rows} == {"0", "1", "2"} and rows[0]["path"].startswith("welcome>main")
    lean = run_cli("simulate", MENUS / "bank.yaml", "--hours", "1", "--replications", "3", "--jobs", "1", "--quiet",
                   "--records", tmp_path / "again.csv", "--format", "json")
    assert lean.out == result.out.replace('"jobs": 2', '"jobs": 1') and (tmp_path / "again.csv").read_bytes() == out.read_bytes()
    assert sorted(os.listdir(tmp_path)) == ["again.csv", "calls.csv", "report"]  # no hidden partial file left


def test_simulate_records_refuses_a_folder_or_a_missing_one_before_simulating(tmp_path):
    folder = run_cli("simulate", MENUS / "bank.yaml", "--hours", "1", "--records", tmp_path)
    assert folder.code == 2 and folder.err.count("\n") == 1 and "that is a folder; name a file" in folder.err
    missing = run_cli("simulate", MENUS / "bank.yaml", "--hours", "1", "--records", tmp_path / "no" / "calls.csv")
    assert missing.code == 2 and "does not exist" in missing.err and missing.out == ""


def test_a_run_that_fails_leaves_no_records_file(tmp_path):
    out = tmp_path / "calls.csv"
    result = run_cli("simulate", MENUS / "bank.yaml", "--hours", "30000", "--replications", "1", "--records", out)
    assert result.code == 2 and f"more than {MAX_CALLS:,}" in result.err
    assert os.listdir(tmp_path) == []


def die(*args):
    os._exit(9)  # as the kernel's out-of-memory killer ends a process


def test_a_worker_that_dies_is_one_line_not_a_traceback(bank, monkeypatch):
    import ivrlint.sim.runner as runner

    monkeypatch.setattr(runner, "_replicate_in_worker", die)
    with pytest.raises(UsageError, match="a simulation worker process died"):
        run_simulation(bank, hours=0.5, replications=2, seed=1, jobs=2)
