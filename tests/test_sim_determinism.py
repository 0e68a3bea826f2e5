"""Same seed, same numbers: serial or parallel, run after run."""

from __future__ import annotations

from conftest import MENUS, menu
from test_sim_agreement import MULTI_LEVEL

from ivrlint.menu.loader import load_menu
from ivrlint.sim import run_simulation


def test_the_same_seed_gives_the_same_records_and_metrics():
    model = menu(MULTI_LEVEL)
    first = run_simulation(model, hours=2, replications=3, seed=42, jobs=1)
    again = run_simulation(model, hours=2, replications=3, seed=42, jobs=1)
    assert first.records == again.records
    assert first.metrics == again.metrics


def test_parallel_replications_give_exactly_the_serial_numbers():
    model = load_menu(str(MENUS / "baltic-energy.yaml"))
    serial = run_simulation(model, hours=2, replications=3, seed=9, jobs=1)
    parallel = run_simulation(model, hours=2, replications=3, seed=9, jobs=2)
    assert serial.metrics == parallel.metrics
    assert serial.records == parallel.records
    assert serial.samples == parallel.samples
    assert parallel.params["jobs"] == 2


def test_another_seed_gives_other_calls():
    model = menu(MULTI_LEVEL)
    one = run_simulation(model, hours=1, replications=1, seed=1, jobs=1)
    two = run_simulation(model, hours=1, replications=1, seed=2, jobs=1)
    assert [r.arrival for r in one.records] != [r.arrival for r in two.records]


def test_replications_are_independent_draws():
    result = run_simulation(menu(MULTI_LEVEL), hours=1, replications=2, seed=1, jobs=1)
    first = [r.arrival for r in result.records if r.replication == 0]
    second = [r.arrival for r in result.records if r.replication == 1]
    assert first[:5] != second[:5]
