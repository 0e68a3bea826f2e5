"""`ivrlint simulate` and `ivrlint analyze` on the command line."""

from __future__ import annotations

import csv
import io
import json

from conftest import MENUS, run_cli
from test_sim_engine import BANK


def test_simulate_prints_tables_per_intent_and_queue(write):
    path = write("bank.yaml", BANK)
    result = run_cli("simulate", path, "--hours", "1", "--replications", "2", "--jobs", "1")
    assert result.code == 0, result.err
    assert "intent" in result.out and "balance" in result.out and "queue" in result.out
    assert "2 replications" in result.out and "most travelled paths" in result.out


def test_simulate_json_has_every_section_with_intervals(write):
    path = write("bank.yaml", BANK)
    result = run_cli("simulate", path, "--hours", "1", "--replications", "2", "--seed", "4", "--format", "json", "--jobs", "1")
    data = json.loads(result.out)
    assert set(data) >= {"intents", "queues", "paths", "overall", "params"}
    for metric in ("ivr_seconds", "keypresses", "p_goal", "p_person", "p_abandon", "mean_wait"):
        assert set(data["intents"]["balance"][metric]) == {"mean", "ci95"}
    for metric in ("p_wait", "p_abandon", "mean_wait", "service_level", "occupancy"):
        assert metric in data["queues"]["general"]
    assert data["params"]["seed"] == 4
    again = run_cli("simulate", path, "--hours", "1", "--replications", "2", "--seed", "4", "--format", "json", "--jobs", "2")
    assert json.loads(again.out)["intents"] == data["intents"]


def test_simulate_csv_has_one_row_per_figure(write):
    path = write("bank.yaml", BANK)
    result = run_cli("simulate", path, "--hours", "1", "--replications", "1", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    row = next(r for r in rows if r["section"] == "queues" and r["metric"] == "p_wait")
    assert row["name"] == "general" and row["ci_low"] == row["mean"]  # one replication: [x, x]


def test_one_replication_says_it_has_no_interval(write):
    result = run_cli("simulate", write("bank.yaml", BANK), "--hours", "1", "--replications", "1")
    assert "1 replication: no confidence interval" in result.out


def test_analyze_prints_expected_figures_and_flags_overload(write):
    path = write("bank.yaml", BANK.replace("agents: 3", "agents: 1"))
    result = run_cli("analyze", path)
    assert result.code == 0, result.err
    assert "OVERLOADED" in result.out and "balance" in result.out
    data = json.loads(run_cli("analyze", path, "--format", "json").out)
    assert data["queues"]["general"]["overloaded"] is True
    assert isinstance(data["intents"]["balance"]["ivr_seconds"], float)


def test_a_menu_without_traffic_is_a_clear_error_for_both_commands(write):
    path = write("plain.yaml", "ivr: t\nstart: a\nnodes:\n  a: {type: hangup}\n")
    for command in ("simulate", "analyze"):
        result = run_cli(command, path)
        assert result.code == 2 and "has no 'traffic' section" in result.err and "Traceback" not in result.err


def test_bad_settings_exit_2(write):
    result = run_cli("simulate", write("bank.yaml", BANK), "--hours", "-1")
    assert result.code == 2 and "--hours must be above 0" in result.err


def test_bundled_menus_simulate(write):
    result = run_cli("simulate", MENUS / "telecom.yaml", "--hours", "0.5", "--replications", "2", "--jobs", "1")
    assert result.code == 0 and "tech" in result.out
