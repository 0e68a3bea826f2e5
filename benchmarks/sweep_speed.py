"""Sweep wall time with 1 and 2 worker processes, and the speed-up, against a plain CPU loop.

Runs the same sweep (the bundled bank menu, the general pool's agents
varied over 8 values, each scenario simulated with replications) with
--jobs 1 and with --jobs 2, into fresh temporary directories, and next to
each such pair a plain CPU-bound Python loop in 1 and 2 processes: the
speed-up the machine itself gives two processes at that moment (other work
on a shared machine takes cores away). The pairs take turns `pairs` times
(at least 5); the median and the smallest speed-up are given, and whether
the rows are identical (same seed, same numbers, whatever runs them).
Goal: --jobs 2 at least 1.8x, as scenarios are independent.

``sweep_scaling`` returns the figures as a dict; ``main`` prints them.

    .venv/bin/python benchmarks/sweep_speed.py [--pairs 5] [--hours 8] [--replications 5] [--values 8:15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

from ivrlint.importers import load_any
from ivrlint.whatif.scenarios import file_hash, parse_vary
from ivrlint.whatif.sweep import SweepPlan, run_sweep

MENU = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "menus", "bank.yaml")


def timed_sweep(plan: SweepPlan, jobs: int) -> tuple[float, list[dict]]:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        outcome = run_sweep(plan, out, jobs=jobs, log=lambda message: None, plots=False)
        return time.perf_counter() - start, outcome.rows


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_speedup(tasks: int = 8, size: int = 2_000_000) -> float:
    """How much faster `tasks` CPU-bound loops run in a pool of 2 processes than in 1."""
    start = time.perf_counter()
    for _ in range(tasks):
        _spin(size)
    one = time.perf_counter() - start
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_spin, [size] * tasks))
    return one / (time.perf_counter() - start)


def plan_of(hours: float = 8.0, replications: int = 5, values: str = "8:15") -> SweepPlan:
    menu = load_any(MENU)
    return SweepPlan(menu, file_hash(MENU), [parse_vary(f"queues.general.agents={values}")],
                     hours=hours, replications=replications, seed=1)


def sweep_scaling(pairs: int = 5, hours: float = 8.0, replications: int = 5, values: str = "8:15") -> dict:
    """--jobs 2 over --jobs 1 for one sweep, `pairs` times, each next to the CPU loop's speed-up."""
    plan = plan_of(hours, replications, values)
    speedups, loops, seconds, identical = [], [], {1: [], 2: []}, True
    for _ in range(pairs):
        one, rows_one = timed_sweep(plan, 1)
        two, rows_two = timed_sweep(plan, 2)
        identical &= rows_one == rows_two
        seconds[1].append(one)
        seconds[2].append(two)
        speedups.append(one / two)
        loops.append(machine_speedup())
    spread = lambda values: {"median": statistics.median(values), "min": min(values), "max": max(values)}  # noqa: E731
    calls = len(plan.scenarios) * replications * hours * plan.menu.traffic.calls_per_hour[0]
    return {"scenarios": len(plan.scenarios), "replications": replications, "hours": hours, "calls": calls,
            "jobs1_seconds": spread(seconds[1]), "jobs2_seconds": spread(seconds[2]), "speedup": spread(speedups),
            "cpu_loop_speedup": spread(loops), "of_cpu_loop": spread([s / b for s, b in zip(speedups, loops, strict=True)]),
            "rows_identical": identical}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--hours", type=float, default=8.0)
    parser.add_argument("--replications", type=int, default=5)
    parser.add_argument("--values", default="8:15", help="agents of the general pool (default 8:15, 8 scenarios)")
    args = parser.parse_args(argv)
    figures = sweep_scaling(args.pairs, args.hours, args.replications, args.values)
    print(f"sweep of the bank menu: {figures['scenarios']} scenarios x {figures['replications']} replications x "
          f"{figures['hours']:g} h (about {figures['calls']:,.0f} calls), {args.pairs} interleaved pairs, {os.cpu_count()} cores")
    print(f"  --jobs 1: median {figures['jobs1_seconds']['median']:.2f} s, --jobs 2: median {figures['jobs2_seconds']['median']:.2f} s")
    speedup, loop = figures["speedup"], figures["cpu_loop_speedup"]
    print(f"  speed-up of 2 processes over 1: median {speedup['median']:.2f}x, min {speedup['min']:.2f}x (goal >= 1.8x)")
    print(f"  a plain CPU loop in 2 processes: median {loop['median']:.2f}x; the sweep gets median "
          f"{figures['of_cpu_loop']['median']:.0%} of it")
    print(f"  rows identical: {'yes' if figures['rows_identical'] else 'NO'}")


if __name__ == "__main__":
    main()
