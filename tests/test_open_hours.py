"""A pool that keeps opening hours, with traffic given hour by hour: the
simulation, the analysis and the overloaded-queue rule all read its figures
over the hours it is open (what a workforce planner means by occupancy)."""

from __future__ import annotations

import pytest
from conftest import findings, menu

from ivrlint.analysis import analyze_menu
from ivrlint.sim import run_simulation
from ivrlint.sim.engine import open_seconds

#: Calls all day, the sales pool open 9-17 only.
DAY = """
ivr: day
start: sales
nodes:
  sales: {type: queue, queue: sales}
queues:
  sales: {agents: 3, handle_time: {mean: 4m, distribution: exponential}, hours: "9-17"}
traffic:
  calls_per_hour: [RATES]
  patience: {mean: 2m, distribution: exponential}
  intents: {buy: {share: 1, goal: sales}}
"""


def day(open_rate: int, closed_rate: int = 5) -> str:
    rates = [open_rate if 9 <= hour < 17 else closed_rate for hour in range(24)]
    return DAY.replace("RATES", ", ".join(map(str, rates)))


def check_occupancy_agrees(replications: int, widen: float) -> None:
    model = menu(day(open_rate=30))
    simulated = run_simulation(model, hours=24, replications=replications, seed=3, jobs=1).metrics["queues"]["sales"]
    exact = analyze_menu(model, paths=False)["queues"]["sales"]
    low, high = simulated["occupancy"]["ci95"]
    half = (high - low) / 2 * widen
    assert abs(simulated["occupancy"]["mean"] - exact["occupancy"]) <= half, (simulated["occupancy"], exact["occupancy"])
    # over the 8 open hours, not the 24: 2 Erlangs offered, less those who abandon, over 3 agents
    assert exact["occupancy"] == pytest.approx(30 * 4 / 60 * (1 - exact["p_abandon"]) / 3, rel=1e-6)


def test_simulated_occupancy_of_a_pool_with_hours_agrees_with_the_analysis():
    check_occupancy_agrees(replications=20, widen=1.5)


@pytest.mark.slow
def test_simulated_occupancy_of_a_pool_with_hours_agrees_with_the_analysis_on_many_days():
    check_occupancy_agrees(replications=60, widen=1.0)


def test_open_seconds_counts_only_the_hours_a_pool_is_open_across_days():
    assert open_seconds((9.0, 17.0), 0.0, 24.0) == 8 * 3600.0
    assert open_seconds((9.0, 17.0), 10.0, 24.0) == 8 * 3600.0  # 10-17 today, 9-10 tomorrow
    assert open_seconds((9.0, 17.0), 12.0, 2.5) == 2.5 * 3600.0
    assert open_seconds((9.0, 17.0), 17.0, 16.0) == 0.0
    assert open_seconds((9.0, 17.0), 0.0, 72.0) == 3 * 8 * 3600.0
    assert open_seconds(None, 5.0, 3.0) == 3 * 3600.0


def test_overloaded_queue_quotes_the_rate_in_open_hours_that_its_figures_use():
    found = findings(day(open_rate=60), "overloaded-queue")
    assert len(found) == 1
    assert "at 60 calls per hour in open hours;" in found[0].message


def test_overloaded_queue_on_a_pool_open_all_day_quotes_the_plain_rate():
    text = day(open_rate=60, closed_rate=60).replace(', hours: "9-17"', "")
    (finding,) = findings(text, "overloaded-queue")
    assert "at 60 calls per hour;" in finding.message
