"""Simulation speed: ivrlint against the smallest SimPy model of the same queue.

Prints, measured in this one process:

1. the Erlang-A queue of docs/sources.md#erlang-a (200 calls/h, 13 agents,
   exponential talk 3 min and patience 5 min) through ivrlint's simulation (the path of
   `ivrlint simulate`: caller model, records and metrics) and through a
   minimal hand-written SimPy model of the same queue, in calls per second,
   and their ratio (goal: ivrlint >= 0.8x); Ciw too when it is installed
   (goal: ivrlint >= 1.5x Ciw);
2. calls and SimPy events per second on menus/bank.yaml;
3. the speed-up of --jobs 2 over --jobs 1 on the bank menu;
4. the time `ivrlint analyze` takes on generated menus of thousands of nodes.

    .venv/bin/python benchmarks/sim_speed.py [--hours 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import simpy

from ivrlint.analysis import analyze_menu
from ivrlint.menu.loader import load_menu, load_text
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
    """The same calls through `ivrlint simulate`'s path: its default 10
    replications (of hours/10 each), records, queue samples and metrics."""
    result = run_simulation(load_text(ERLANG_A, "erlang-a.yaml"), hours=hours / 10, replications=10, seed=seed, jobs=1)
    return len(result.records)


def ciw_sim(hours: float, seed: int):
    """The same queue in Ciw (3.2: reneging for patience), or None when Ciw
    is not installed (`pip install ivrlint[bench]`). Ciw stops at the
    horizon without draining; the calls it finished are counted."""
    try:
        import ciw
    except ImportError:
        return None
    ciw.seed(seed)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(RATE / 3600)],
        service_distributions=[ciw.dists.Exponential(1 / HANDLE)],
        reneging_time_distributions=[ciw.dists.Exponential(1 / PATIENCE)],
        number_of_servers=[AGENTS],
    )
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(hours * 3600)
    return len(sim.get_all_records())


def rates(fns, hours: float, repeat: int) -> list:
    """Best calls per second of each model over `repeat` rounds (None if it
    cannot run); the models take turns, so a busy moment hurts them alike."""
    best: list = [None] * len(fns)
    for k in range(repeat):
        for i, fn in enumerate(fns):
            gc.collect()
            start = time.perf_counter()
            calls = fn(hours, seed=k + 1)
            if calls is None:
                continue
            per_second = calls / (time.perf_counter() - start)
            best[i] = per_second if best[i] is None else max(best[i], per_second)
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=1000.0, help="simulated hours of the Erlang-A queue per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each model; the best counts")
    args = parser.parse_args(argv)

    print(f"Erlang-A queue, {args.hours:g} h ({RATE * args.hours:,.0f} calls) per run, best of {args.repeat}")
    simple, ours, ciw_rate = rates([minimal_simpy, ivrlint_sim, ciw_sim], args.hours, args.repeat)
    print(f"  minimal SimPy model   {simple:10,.0f} calls/s")
    print(f"  ivrlint simulate      {ours:10,.0f} calls/s   ratio {ours / simple:.2f}x (goal >= 0.8x)")
    if ciw_rate is None:
        print("  Ciw                   not installed (pip install 'ivrlint[bench]'), skipped")
    else:
        print(f"  Ciw                   {ciw_rate:10,.0f} calls/s   ivrlint/Ciw {ours / ciw_rate:.2f}x (goal >= 1.5x)")

    bank = load_menu(str(ROOT / "menus" / "bank.yaml"))
    start = time.perf_counter()
    result = run_simulation(bank, hours=100, replications=1, seed=1, jobs=1)
    seconds = time.perf_counter() - start
    events = _events_scheduled(bank)  # counted in a run of its own: counting slows SimPy down
    print(f"\nmenus/bank.yaml, 100 h: {len(result.records) / seconds:,.0f} calls/s, {events / seconds:,.0f} SimPy events/s")

    timings: dict = {1: [], 2: [], "loop1": [], "loop2": []}
    for _ in range(args.repeat):
        for jobs in (1, 2):
            start = time.perf_counter()
            run_simulation(bank, hours=20, replications=10, seed=1, jobs=jobs)
            timings[jobs].append(time.perf_counter() - start)
        timings["loop1"].append(cpu_loop(1))
        timings["loop2"].append(cpu_loop(2))
    one, two = min(timings[1]), min(timings[2])
    baseline = min(timings["loop1"]) / min(timings["loop2"])
    print(f"10 replications of 20 h: --jobs 1 {one:.2f} s, --jobs 2 {two:.2f} s, speed-up {one / two:.2f}x "
          f"(a plain CPU loop gets {baseline:.2f}x from 2 processes on this machine now)")
    print("\nivrlint analyze on generated menus (exact chains for every intent)")
    analyze_menu(bank)  # imports and first-use costs are not the analysis's
    for size in (1000, 5000):
        big = load_text(generated_menu(size), f"generated-{size}.yaml")
        start = time.perf_counter()
        analyze_menu(big)
        print(f"  {len(big.nodes):6,} nodes, {len(big.traffic.intents)} intents: {1000 * (time.perf_counter() - start):7.1f} ms")
    return 0


class _CountingEnvironment(simpy.Environment):
    """SimPy's Environment counting the events it schedules, through its public schedule()."""

    scheduled = 0

    def schedule(self, event, priority=simpy.core.NORMAL, delay=0):
        _CountingEnvironment.scheduled += 1
        super().schedule(event, priority, delay)


def _events_scheduled(menu) -> int:
    """SimPy events one 100-hour replication of `menu` schedules (the timed run's seed and length)."""
    from ivrlint.sim import engine

    real, engine.simpy.Environment = engine.simpy.Environment, _CountingEnvironment
    try:
        _CountingEnvironment.scheduled = 0
        run_simulation(menu, hours=100, replications=1, seed=1, jobs=1)
    finally:
        engine.simpy.Environment = real
    return _CountingEnvironment.scheduled


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def cpu_loop(processes: int, chunks: int = 4, n: int = 5_000_000) -> float:
    """Seconds for `chunks` CPU-bound loops in 1 or 2 processes: what the
    machine gives two processes at this moment, the baseline for --jobs."""
    start = time.perf_counter()
    if processes == 1:
        [_spin(n) for _ in range(chunks)]
    else:
        with ProcessPoolExecutor(processes) as pool:
            list(pool.map(_spin, [n] * chunks))
    return time.perf_counter() - start


def generated_menu(nodes: int, intents: int = 8) -> str:
    """A tree of menus (3 options, 0 for a person, back on star) whose leaves
    are self-service tasks; intents aim at leaves spread over the tree."""
    menus = max(1, nodes // 2)
    lines = ["ivr: generated", "start: m0", "nodes:", "  agent: {type: queue, queue: general}", "  bye: {type: hangup}"]
    leaves = []
    for i in range(menus):
        options = []
        for k in (1, 2, 3):
            child = 3 * i + k
            target = f"m{child}" if child < menus else f"t{len(leaves)}"
            if child >= menus:
                leaves.append(target)
            options.append(f"{k}: {target}")
        back = ', "*": {action: back}' if i else ""
        lines += [f"  m{i}:", "    type: menu",
                  "    prompt: For option one, press 1. For option two, press 2. For option three, press 3. "
                  "For a person, press 0. To go back, press star.",
                  f"    options: {{{', '.join(options)}, 0: agent{back}}}", "    on_failure: agent"]
    lines += [f"  {t}: {{type: self_service, duration: 30, success: 0.8, next: bye, on_failure: agent}}" for t in leaves]
    step = max(1, len(leaves) // intents)
    goals = leaves[::step][:intents]
    lines += ["queues:", "  general: {agents: 40, handle_time: 200}", "traffic:", "  calls_per_hour: 300",
              "  patience: 2m", "  intents:"]
    lines += [f"    i{k}: {{share: {1 / len(goals):.6f}, goal: {g}}}" for k, g in enumerate(goals)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
