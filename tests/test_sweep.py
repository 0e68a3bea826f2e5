"""`ivrlint sweep`: one row per scenario, resumable after an interruption, same rows locally and on Dask."""

from __future__ import annotations

import csv
import json
import sys

import pytest
from conftest import run_cli

from ivrlint.importers import load_any
from ivrlint.whatif import sweep as sweep_module
from ivrlint.whatif.scenarios import file_hash, parse_vary
from ivrlint.whatif.store import JOURNAL
from ivrlint.whatif.sweep import SweepPlan, run_sweep

MENU = """\
ivr: small-line
start: main
nodes:
  main:
    type: menu
    prompt: For billing, press 1. To speak with a representative, press 0.
    options: {1: billing, 0: agent}
    on_failure: agent
  billing: {type: queue, queue: billing}
  agent: {type: queue, queue: general}
queues:
  general: {agents: 2, handle_time: 3m}
  billing: {agents: 2, handle_time: 2m}
traffic:
  calls_per_hour: 120
  patience: 2m
  intents:
    pay: {share: 0.5, goal: billing}
    other: {share: 0.5, goal: agent}
"""
#: Tiny runs: the tests pin rows and bookkeeping, not statistics.
QUICK = ("--hours", "0.25", "--replications", "2", "--quiet", "--no-plots")


def rows_of(out_dir) -> list[dict]:
    return json.loads((out_dir / "sweep.json").read_text())["rows"]


def test_one_row_per_combination_with_the_values_and_measures_with_cis(write, tmp_path):
    path = write("line.yaml", MENU)
    out = tmp_path / "out"
    result = run_cli("sweep", path, "--vary", "queues.general.agents=2:4:2", "--vary", "traffic.patience=1m,3m",
                     "--hours", "0.25", "--replications", "2", "--jobs", "1", "--out", out, "--quiet")
    assert result.code == 0, result.err
    with open(out / "sweep.csv", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert [(r["queues.general.agents"], r["traffic.patience"]) for r in table] == [
        ("2", "1m"), ("2", "3m"), ("4", "1m"), ("4", "3m")]
    columns = list(table[0])
    assert columns[:3] == ["scenario", "queues.general.agents", "traffic.patience"]
    for name in ("overall.p_abandon", "queues.general.mean_wait", "queues.billing.service_level",
                 "queues.general.occupancy", "intents.pay.p_goal", "intents.other.ivr_seconds"):
        assert {name, f"{name}.ci_low", f"{name}.ci_high"} <= set(columns)
    rows = rows_of(out)
    assert [r["values"] for r in rows] == [{"queues.general.agents": a, "traffic.patience": p}
                                           for a in (2, 4) for p in ("1m", "3m")]
    lo, hi = rows[0]["queues"]["general"]["mean_wait"]["ci95"]
    assert lo <= rows[0]["queues"]["general"]["mean_wait"]["mean"] <= hi
    # more agents, shorter waits: the varied value really reached the simulation
    assert rows[2]["queues"]["general"]["mean_wait"]["mean"] < rows[0]["queues"]["general"]["mean_wait"]["mean"]
    assert (out / "overall.p_abandon-by-queues.general.agents.png").stat().st_size > 1000
    assert "4 scenarios (0 reused from an earlier run, 4 simulated)" in result.out
    assert result.out.splitlines()[0].split() == ["queues.general.agents", "traffic.patience", "p_abandon",
                                                  "mean_wait", "s", "service_level"]


def test_plot_names_are_checked_before_the_sweep_runs(write, tmp_path):
    result = run_cli("sweep", write("line.yaml", MENU), "--vary", "queues.general.agents=2,3", "--plot",
                     "queues.nosuch.mean_wait", "--out", tmp_path, *QUICK)
    assert result.code == 2 and "--plot queues.nosuch.mean_wait: not a sweep measure" in result.err
    assert not (tmp_path / JOURNAL).exists()


class Stop(Exception):
    """Stands for a kill part-way through a sweep."""


def plan_for(path, agents="2:5") -> SweepPlan:
    return SweepPlan(load_any(str(path)), file_hash(str(path)), [parse_vary(f"queues.general.agents={agents}")],
                     hours=0.25, replications=2, seed=3)


def counting(monkeypatch) -> list:
    """Record which scenarios are simulated from now on."""
    ran, real = [], sweep_module.run_scenario

    def spy(menu, task):
        ran.append(dict(task.values)["queues.general.agents"])
        return real(menu, task)

    monkeypatch.setattr(sweep_module, "run_scenario", spy)
    return ran


def test_an_interrupted_sweep_resumes_without_recomputing_finished_scenarios(write, tmp_path, monkeypatch):
    path = write("line.yaml", MENU)
    out = tmp_path / "out"
    finished = []

    def stop_after_two(row):
        finished.append(row)
        if len(finished) == 2:
            raise Stop()

    with pytest.raises(Stop):
        run_sweep(plan_for(path), str(out), jobs=1, on_row=stop_after_two, log=lambda m: None, plots=False)
    assert len((out / JOURNAL).read_text().splitlines()) == 1 + 2  # header + two rows
    assert len(rows_of(out)) == 2  # the summary was written on the way out
    ran = counting(monkeypatch)
    logged = []
    outcome = run_sweep(plan_for(path), str(out), jobs=1, log=logged.append, plots=False)
    assert ran == ["4", "5"]
    assert (outcome.reused, outcome.ran, outcome.total) == (2, 2, 4)
    assert "2 of 4 scenarios already done" in logged[0]
    fresh = tmp_path / "fresh"
    whole = run_sweep(plan_for(path), str(fresh), jobs=1, log=lambda m: None, plots=False)
    assert outcome.rows == whole.rows  # resumed rows are the rows an uninterrupted run gives


def test_a_wider_sweep_reuses_the_scenarios_it_shares(write, tmp_path, monkeypatch):
    path = write("line.yaml", MENU)
    run_sweep(plan_for(path, "2,3"), str(tmp_path), jobs=1, log=lambda m: None, plots=False)
    ran = counting(monkeypatch)
    outcome = run_sweep(plan_for(path, "2:4"), str(tmp_path), jobs=1, log=lambda m: None, plots=False)
    assert ran == ["4"] and outcome.reused == 2


def test_a_changed_menu_starts_afresh_and_says_so(write, tmp_path):
    path = write("line.yaml", MENU)
    out = tmp_path / "out"
    args = ("sweep", path, "--vary", "queues.general.agents=2,3", "--jobs", "1", "--out", out, *QUICK)
    assert run_cli(*args).code == 0
    path.write_text(MENU.replace("calls_per_hour: 120", "calls_per_hour: 121"))
    result = run_cli(*[a for a in args if a != "--quiet"])
    assert "starting afresh" in result.err and "the menu file" in result.err
    assert "0 reused" in result.out
    same = run_cli(*args)
    assert "2 reused from an earlier run, 0 simulated" in same.out


def test_set_applies_to_every_scenario_and_is_part_of_the_settings(write, tmp_path):
    path = write("line.yaml", MENU)
    args = ("sweep", path, "--vary", "queues.general.agents=2,3", "--jobs", "1", "--out", tmp_path, *QUICK)
    assert run_cli(*args).code == 0
    busy = run_cli(*args, "--set", "traffic.calls_per_hour=240")
    assert "0 reused" in busy.out
    busy_rows = rows_of(tmp_path)
    assert json.loads((tmp_path / "sweep.json").read_text())["settings"]["set"] == ["traffic.calls_per_hour=240"]
    back = run_cli(*args)  # the menu's own traffic again: afresh again, and fewer calls wait less
    assert "0 reused" in back.out
    wait = lambda rows: rows[0]["queues"]["general"]["mean_wait"]["mean"]  # noqa: E731
    assert wait(rows_of(tmp_path)) < wait(busy_rows)
    clash = run_cli(*args, "--set", "queues.general.agents=4")
    assert clash.code == 2 and "also varied" in clash.err


def test_parallel_processes_give_the_same_rows_as_one_process(write, tmp_path):
    path = write("line.yaml", MENU)
    vary = ("--vary", "queues.general.agents=2:4")
    assert run_cli("sweep", path, *vary, "--jobs", "1", "--out", tmp_path / "one", *QUICK).code == 0
    assert run_cli("sweep", path, *vary, "--jobs", "2", "--out", tmp_path / "two", *QUICK).code == 0
    assert rows_of(tmp_path / "one") == rows_of(tmp_path / "two")


def test_a_dask_cluster_gives_the_same_rows_as_a_local_run(write, tmp_path):
    distributed = pytest.importorskip("distributed")
    path = write("line.yaml", MENU)
    vary = ("--vary", "queues.general.agents=2:4", "--vary", "traffic.calls_per_hour=30,50")
    assert run_cli("sweep", path, *vary, "--jobs", "1", "--out", tmp_path / "local", *QUICK).code == 0
    # workers in this process (threads), reached over TCP on loopback like a remote cluster
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, host="127.0.0.1",
                                  protocol="tcp", dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        result = run_cli("sweep", path, *vary, "--dask", cluster.scheduler_address, "--out", tmp_path / "dask", *QUICK)
    assert result.code == 0, result.err
    assert rows_of(tmp_path / "dask") == rows_of(tmp_path / "local")


def test_without_dask_the_flag_says_how_to_install_it(write, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    result = run_cli("sweep", write("line.yaml", MENU), "--vary", "queues.general.agents=2,3", "--dask", "local",
                     "--out", tmp_path)
    assert result.code == 2
    assert "pip install ivrlint[dask]" in result.err
    assert not (tmp_path / JOURNAL).exists()


@pytest.mark.slow  # distributed retries the connection for its whole 10 s timeout
def test_an_unreachable_scheduler_is_a_clear_error(write, tmp_path):
    pytest.importorskip("distributed")
    result = run_cli("sweep", write("line.yaml", MENU), "--vary", "queues.general.agents=2", "--dask",
                     "tcp://127.0.0.1:1", "--out", tmp_path, *QUICK)
    assert result.code == 2 and "cannot reach a Dask scheduler" in result.err


@pytest.mark.parametrize("vary,fragment", [
    ("queues.nosuch.agents=2,3", "nosuch"),
    ("queues.general.agents=two", "queues.general.agents"),
    ("queues.general.agents=5:1", "ends below its start"),
])
def test_bad_scenarios_fail_before_any_simulation(write, tmp_path, vary, fragment):
    result = run_cli("sweep", write("line.yaml", MENU), "--vary", vary, "--out", tmp_path / "o", *QUICK)
    assert result.code == 2
    assert fragment in result.err and "Traceback" not in result.err
    assert not (tmp_path / "o" / JOURNAL).exists()


@pytest.mark.slow
def test_dask_local_starts_a_loopback_cluster_of_processes(write, tmp_path):
    pytest.importorskip("distributed")
    path = write("line.yaml", MENU)
    vary = ("--vary", "queues.general.agents=2:3")
    assert run_cli("sweep", path, *vary, "--jobs", "1", "--out", tmp_path / "local", *QUICK).code == 0
    result = run_cli("sweep", path, *vary, "--dask", "local", "--jobs", "2", "--out", tmp_path / "dask", *QUICK)
    assert result.code == 0, result.err
    assert rows_of(tmp_path / "dask") == rows_of(tmp_path / "local")
