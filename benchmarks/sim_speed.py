"""Simulation speed: ivrlint against the smallest SimPy model of the same queue.

Prints, measured in this one process:

1. the Erlang-A queue of RESEARCH.md (200 calls/h, 13 agents, exponential
   talk 3 min and patience 5 min) through ivrlint's simulation (the path of
   `ivrlint simulate`: caller model, records and metrics) and through a
   minimal hand-written SimPy model of the same queue, in calls per second,
   and their ratio (goal: ivrlint >= 0.8x); Ciw too when it is installed
   (goal: ivrlint >= 1.5x Ciw);
2. calls and SimPy events per second on menus/bank.yaml;
3. the speed-up of --jobs 2 over --jobs 1 on the bank menu.

    .venv/bin/python benchmarks/sim_speed.py [--hours 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
from pathlib import Path

import simpy

from ivrlint.loader import load_text, load_menu
from ivrlint.sim import run_simulation

ROOT = Path(__file__).resolve().parent.parent
RATE, AGENTS, HANDLE, PATIENCE = 200.0, 13, 180.0, 300.0
ERLANG_A = f"""
ivr: erlang-a
start: agent
nodes:
  agent: {{type: queue, queue: general}}
queues:
  general: {{agents: {AGENTS}, handle_time: {{mean: {HANDLE:g}, distribution: exponential}}}}
traffic:
  calls_per_hour: {RATE:g}
  patience: {{mean: {PATIENCE:g}, distribution: exponential}}
  intents: {{any: {{share: 1, goal: agent}}}}
"""


def minimal_simpy(hours: float, seed: int) -> int:
    """The smallest SimPy model of the queue: arrivals, a Resource, patience
    racing the request, exponential talk; it keeps each caller's wait."""
    rng = random.Random(seed)
    env = simpy.Environment()
    agents = simpy.Resource(env, AGENTS)
    waits = []

    def caller(env):
        arrived = env.now
        with agents.request() as request:
            result = yield request | env.timeout(rng.expovariate(1 / PATIENCE))
            waits.append(env.now - arrived)
            if request in result:
                yield env.timeout(rng.expovariate(1 / HANDLE))

    def source(env):
        while True:
            yield env.timeout(rng.expovariate(RATE / 3600))
            if env.now >= hours * 3600:
                return
            env.process(caller(env))

    env.process(source(env))
    env.run()
    return len(waits)


def ivrlint_sim(hours: float, seed: int) -> int:
    result = run_simulation(load_text(ERLANG_A, "erlang-a.yaml"), hours=hours, replications=1, seed=seed, jobs=1)
    return len(result.records)


def ciw_sim(hours: float, seed: int):
    """The same queue in Ciw, or None when Ciw is not installed."""
    try:
        import ciw
    except ImportError:
        return None
    ciw.seed(seed)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(RATE / 3600)],
        service_distributions=[ciw.dists.Exponential(1 / HANDLE)],
        patience_distributions=[ciw.dists.Exponential(1 / PATIENCE)],
        number_of_servers=[AGENTS],
    )
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(hours * 3600)
    return len(sim.get_all_records())


def rate(fn, hours: float, repeat: int):
    """Best calls per second over `repeat` runs (None if fn cannot run)."""
    best = None
    for k in range(repeat):
        gc.collect()
        start = time.perf_counter()
        calls = fn(hours, seed=k + 1)
        if calls is None:
            return None
        per_second = calls / (time.perf_counter() - start)
        best = per_second if best is None else max(best, per_second)
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=1000.0, help="simulated hours of the Erlang-A queue per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each model; the best counts")
    args = parser.parse_args(argv)

    print(f"Erlang-A queue, {args.hours:g} h ({RATE * args.hours:,.0f} calls) per run, best of {args.repeat}")
    simple = rate(minimal_simpy, args.hours, args.repeat)
    ours = rate(ivrlint_sim, args.hours, args.repeat)
    print(f"  minimal SimPy model   {simple:10,.0f} calls/s")
    print(f"  ivrlint simulate      {ours:10,.0f} calls/s   ratio {ours / simple:.2f}x (goal >= 0.8x)")
    ciw_rate = rate(ciw_sim, min(args.hours, 200.0), 1)
    if ciw_rate is None:
        print("  Ciw                   not installed (pip install ciw), skipped")
    else:
        print(f"  Ciw                   {ciw_rate:10,.0f} calls/s   ivrlint/Ciw {ours / ciw_rate:.2f}x (goal >= 1.5x)")

    bank = load_menu(str(ROOT / "menus" / "bank.yaml"))
    start = time.perf_counter()
    result = run_simulation(bank, hours=100, replications=1, seed=1, jobs=1)
    seconds = time.perf_counter() - start
    print(f"\nmenus/bank.yaml, 100 h: {len(result.records) / seconds:,.0f} calls/s, {result.events / seconds:,.0f} SimPy events/s")

    timings = {}
    for jobs in (1, 2):
        start = time.perf_counter()
        run_simulation(bank, hours=50, replications=4, seed=1, jobs=jobs)
        timings[jobs] = time.perf_counter() - start
    print(f"4 replications of 50 h: --jobs 1 {timings[1]:.2f} s, --jobs 2 {timings[2]:.2f} s, "
          f"speed-up {timings[1] / timings[2]:.2f}x on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
