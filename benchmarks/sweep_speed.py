"""Sweep wall time with 1 and 2 worker processes, and the speed-up.

Runs the same sweep (the bundled bank menu, the general pool's agents
varied over 8 values, each scenario simulated with replications) twice in
this process, into fresh temporary directories: once with --jobs 1 and once
with --jobs 2. Prints both wall times, the ratio, and checks that the rows
are identical (same seed, same numbers, whatever runs them). On a 2-core
machine the goal is a speed-up close to 2x, since scenarios are independent.

As a baseline it also times a plain CPU-bound Python loop on 1 and 2
processes: the speed-up the machine itself gives two processes at that
moment (other work on a shared machine takes cores away). The sweep's
speed-up divided by that one says how much of it the sweep turns into work.

    .venv/bin/python benchmarks/sweep_speed.py [--hours 8] [--replications 5] [--values 8:15]
"""

from __future__ import annotations

import argparse
import os
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


def machine_speedup(tasks: int = 8, size: int = 2_000_000) -> tuple[float, float]:
    """Seconds for `tasks` CPU-bound loops in 1 process, then in a pool of 2."""
    start = time.perf_counter()
    for _ in range(tasks):
        _spin(size)
    one = time.perf_counter() - start
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_spin, [size] * tasks))
    return one, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=8.0)
    parser.add_argument("--replications", type=int, default=5)
    parser.add_argument("--values", default="8:15", help="agents of the general pool (default 8:15, 8 scenarios)")
    args = parser.parse_args()
    menu = load_any(MENU)
    plan = SweepPlan(menu, file_hash(MENU), [parse_vary(f"queues.general.agents={args.values}")],
                     hours=args.hours, replications=args.replications, seed=1)
    calls = len(plan.scenarios) * args.replications * args.hours * menu.traffic.calls_per_hour[0]
    print(f"sweep of {menu.ivr}: {len(plan.scenarios)} scenarios x {args.replications} replications x "
          f"{args.hours:g} h (about {calls:,.0f} calls), {os.cpu_count()} cores")
    one, rows_one = timed_sweep(plan, 1)
    print(f"  --jobs 1: {one:7.2f} s")
    two, rows_two = timed_sweep(plan, 2)
    print(f"  --jobs 2: {two:7.2f} s")
    print(f"  speed-up of 2 processes over 1: {one / two:.2f}x")
    print(f"  rows identical: {'yes' if rows_one == rows_two else 'NO'}")
    base_one, base_two = machine_speedup()
    print(f"baseline, a CPU-bound Python loop: 1 process {base_one:.2f} s, 2 processes {base_two:.2f} s, "
          f"speed-up {base_one / base_two:.2f}x")
    print(f"  sweep speed-up / baseline speed-up: {(one / two) / (base_one / base_two):.2f}")


if __name__ == "__main__":
    main()
