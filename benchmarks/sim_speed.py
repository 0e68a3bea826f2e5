"""Simulation speed and size: ivrlint against the baselines it should beat, measured side by side.

Each figure is a ratio against a baseline run in the same time window:
the two take turns, `pairs` times (at least 5), and the median and the
smallest ratio of the pairs are given, so a busy moment on a shared machine
hurts both sides of a pair alike.

1. ``erlang_a``: the Erlang-A queue of docs/sources.md#erlang-a (200
   calls/h, 13 agents, exponential talk 3 min and patience 5 min) through
   ``ivrlint simulate``'s path (10 replications, caller model, metrics)
   against the smallest hand-written SimPy model of the same queue (goal:
   at least 1.0x) and against Ciw (goal: at least 2x; ``pip install
   'ivrlint[bench]'``), in calls per second.
2. ``bank``: calls and SimPy events per second on menus/bank.yaml, the
   events each call needs, and where a profiled run's time goes: SimPy's
   event loop, random draws, ivrlint's own code.
3. ``jobs``: the speed-up of ``--jobs 2`` over ``--jobs 1`` on the bank
   menu (10 replications), against a plain CPU loop run in 1 and 2
   processes in the same pair (goal: at least 1.8x).
4. ``ten_million``: ten million calls in one replication through the
   ``ivrlint simulate`` command, with the peak memory of its process
   (goal: under 2 GB).
5. ``analyze_times``: ``ivrlint analyze`` on generated menus of thousands
   of nodes.

Each function returns its figures as a dict; ``main`` prints them.

    .venv/bin/python benchmarks/sim_speed.py [--pairs 5] [--hours 300] [--calls 10000000]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import simpy

from ivrlint.analysis import analyze_menu
from ivrlint.menu.loader import load_menu, load_text
from ivrlint.sim import run_simulation

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "menus" / "bank.yaml"
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


# -- the models being compared -----------------------------------------------------
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
    replications (of hours/10 each), the caller model and every metric."""
    result = run_simulation(load_text(ERLANG_A, "erlang-a.yaml"), hours=hours / 10, replications=10, seed=seed, jobs=1,
                            keep_records=False)
    return int(sum(rep["overall"]["calls"] for rep in result.replications))


def ciw_sim(hours: float, seed: int) -> int | None:
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


# -- measuring -------------------------------------------------------------------
def spread(values: list[float]) -> dict:
    """Median, min and max of some measurements."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def per_second(fn: Callable[[float, int], int | None], hours: float, seed: int) -> float | None:
    """Calls per second of one run of `fn` (None if it cannot run)."""
    gc.collect()
    start = time.perf_counter()
    calls = fn(hours, seed)
    return None if calls is None else calls / (time.perf_counter() - start)


def erlang_a(pairs: int = 5, hours: float = 300.0) -> dict:
    """ivrlint, minimal SimPy and Ciw take turns `pairs` times on the Erlang-A queue."""
    rows = [[per_second(fn, hours, seed) for fn in (ivrlint_sim, minimal_simpy, ciw_sim)] for seed in range(1, pairs + 1)]
    ours, simple, ciw = ([row[i] for row in rows] for i in range(3))
    out = {"calls_per_run": RATE * hours, "pairs": pairs, "ivrlint_calls_per_s": spread(ours),
           "simpy_calls_per_s": spread(simple), "vs_simpy": spread([a / b for a, b in zip(ours, simple, strict=True)])}
    if all(c is not None for c in ciw):
        out["ciw_calls_per_s"] = spread(ciw)
        out["vs_ciw"] = spread([a / b for a, b in zip(ours, ciw, strict=True)])
    return out


def bank(hours: float = 100.0, pairs: int = 5) -> dict:
    """Calls and SimPy events per second on the bank menu (best and median of
    `pairs` runs), events per call, and the profile's split of the time."""
    menu = load_menu(str(BANK))
    rates, calls = [], 0
    for seed in range(1, pairs + 1):
        gc.collect()
        start = time.perf_counter()
        result = run_simulation(menu, hours=hours, replications=1, seed=seed, jobs=1, keep_records=False)
        seconds = time.perf_counter() - start
        calls = result.replications[0]["overall"]["calls"]
        rates.append(calls / seconds)
    events = events_scheduled(menu, hours, pairs)  # counted in a run of its own: counting slows SimPy down
    out = {"calls_per_s": spread(rates), "events_per_call": events / calls}
    out["events_per_s"] = {k: v * out["events_per_call"] for k, v in out["calls_per_s"].items()}
    out["profile"] = profile_split(menu, hours)
    return out


class _CountingEnvironment(simpy.Environment):
    """SimPy's Environment counting the events it schedules, through its public schedule()."""

    scheduled = 0

    def schedule(self, event, priority=simpy.core.NORMAL, delay=0):
        _CountingEnvironment.scheduled += 1
        super().schedule(event, priority, delay)


def events_scheduled(menu, hours: float, seed: int) -> int:
    """SimPy events one replication of `menu` schedules."""
    from ivrlint.sim import engine

    real, engine.simpy.Environment = engine.simpy.Environment, _CountingEnvironment
    try:
        _CountingEnvironment.scheduled = 0
        run_simulation(menu, hours=hours, replications=1, seed=seed, jobs=1, keep_records=False)
    finally:
        engine.simpy.Environment = real
    return _CountingEnvironment.scheduled


def profile_split(menu, hours: float) -> dict:
    """Shares of a profiled replication's own time (cProfile's tottime): SimPy's
    event loop (its step, schedule and run, and the heap they push to),
    random draws, and ivrlint's code (the engine's callbacks, the metrics)."""
    profile = cProfile.Profile()
    profile.enable()
    run_simulation(menu, hours=hours, replications=1, seed=1, jobs=1, keep_records=False)
    profile.disable()
    shares = {"simpy_loop": 0.0, "random_draws": 0.0, "ivrlint": 0.0, "other": 0.0}
    for (file, _, name), (_, _, own, _, _) in pstats.Stats(profile).stats.items():  # type: ignore[attr-defined]
        if f"{os.sep}simpy{os.sep}" in file or name in ("<built-in method _heapq.heappush>", "<built-in method _heapq.heappop>"):
            shares["simpy_loop"] += own
        elif file.endswith("random.py") or name == "<method 'random' of '_random.Random' objects>":
            shares["random_draws"] += own
        elif f"{os.sep}ivrlint{os.sep}" in file:
            shares["ivrlint"] += own
        else:
            shares["other"] += own
    total = sum(shares.values())
    return {k: v / total for k, v in shares.items()}


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


def jobs(pairs: int = 5, hours: float = 20.0, replications: int = 10) -> dict:
    """`--jobs 2` over `--jobs 1` on the bank menu (metrics only, as `simulate` runs),
    each pair next to the 2-process speed-up of a plain CPU loop."""
    menu = load_menu(str(BANK))
    speedups, loops = [], []
    for _ in range(pairs):
        seconds = {}
        for n in (1, 2):
            start = time.perf_counter()
            run_simulation(menu, hours=hours, replications=replications, seed=1, jobs=n, keep_records=False)
            seconds[n] = time.perf_counter() - start
        speedups.append(seconds[1] / seconds[2])
        loops.append(cpu_loop(1) / cpu_loop(2))
    return {"replications": replications, "hours": hours, "speedup": spread(speedups), "cpu_loop_speedup": spread(loops),
            "of_cpu_loop": spread([s / b for s, b in zip(speedups, loops, strict=True)])}


def ten_million(calls: int = 10_000_000, replications: int = 1) -> dict:
    """`ivrlint simulate` of `calls` calls of the Erlang-A queue in a process of
    its own: seconds and the peak memory (maximum resident set) of that process."""
    hours = calls / RATE / replications
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "erlang-a.yaml")
        Path(path).write_text(ERLANG_A, encoding="utf-8")
        command = [sys.executable, "-m", "ivrlint", "simulate", path, "--hours", f"{hours:g}", "--replications",
                   str(replications), "--jobs", "1", "--quiet", "--format", "json"]
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        error = child.stderr.read().decode() if child.stderr else ""
        child.stderr.close() if child.stderr else None
    if status != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {error}")
    peak = usage.ru_maxrss * 1024 if sys.platform != "darwin" else usage.ru_maxrss  # kB on Linux, bytes on macOS
    return {"calls": calls, "replications": replications, "seconds": seconds, "calls_per_s": calls / seconds,
            "peak_mb": peak / 2 ** 20, "bytes_per_call": peak / calls}


def analyze_times(sizes: tuple[int, ...] = (1000, 5000)) -> dict:
    """Milliseconds `ivrlint analyze` takes on generated menus, by node count."""
    analyze_menu(load_menu(str(BANK)))  # imports and first-use costs are not the analysis's
    out = {}
    for size in sizes:
        big = load_text(generated_menu(size), f"generated-{size}.yaml")
        start = time.perf_counter()
        analyze_menu(big)
        out[len(big.nodes)] = 1000 * (time.perf_counter() - start)
    return out


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


# -- printing --------------------------------------------------------------------
def _ratio(figure: dict, goal: float) -> str:
    return f"median {figure['median']:.2f}x, min {figure['min']:.2f}x (goal >= {goal:g}x)"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5, help="turns each comparison takes (at least 5 for the figures)")
    parser.add_argument("--hours", type=float, default=300.0, help="simulated hours of the Erlang-A queue per run")
    parser.add_argument("--calls", type=int, default=10_000_000, help="calls of the memory run (0: skip it)")
    args = parser.parse_args(argv)

    queue = erlang_a(args.pairs, args.hours)
    print(f"Erlang-A queue, {queue['calls_per_run']:,.0f} calls per run, {args.pairs} interleaved pairs")
    print(f"  ivrlint simulate      {queue['ivrlint_calls_per_s']['median']:10,.0f} calls/s (median)")
    print(f"  minimal SimPy model   {queue['simpy_calls_per_s']['median']:10,.0f} calls/s   ivrlint/SimPy "
          + _ratio(queue["vs_simpy"], 1.0))
    if "vs_ciw" in queue:
        print(f"  Ciw                   {queue['ciw_calls_per_s']['median']:10,.0f} calls/s   ivrlint/Ciw "
              + _ratio(queue["vs_ciw"], 2.0))
    else:
        print("  Ciw                   not installed (pip install 'ivrlint[bench]'), skipped")

    figures = bank(pairs=args.pairs)
    split = figures["profile"]
    print(f"\nmenus/bank.yaml, 100 h: {figures['calls_per_s']['median']:,.0f} calls/s (median; best "
          f"{figures['calls_per_s']['max']:,.0f}), {figures['events_per_s']['median']:,.0f} SimPy events/s, "
          f"{figures['events_per_call']:.2f} events per call")
    print(f"  profile: SimPy's loop {split['simpy_loop']:.0%}, random draws {split['random_draws']:.0%}, "
          f"ivrlint {split['ivrlint']:.0%}, other {split['other']:.0%}")

    scaling = jobs(args.pairs)
    print(f"\n--jobs 2 over --jobs 1, {scaling['replications']} replications of {scaling['hours']:g} h: "
          + _ratio(scaling["speedup"], 1.8))
    print(f"  a plain CPU loop in 2 processes: median {scaling['cpu_loop_speedup']['median']:.2f}x; "
          f"--jobs 2 gets median {scaling['of_cpu_loop']['median']:.0%} of it")

    if args.calls:
        big = ten_million(args.calls)
        print(f"\n{big['calls']:,} calls in one replication (`ivrlint simulate`): {big['seconds']:.0f} s, "
              f"peak memory {big['peak_mb']:,.0f} MB ({big['bytes_per_call']:.0f} bytes a call; goal under 2 GB)")

    print("\nivrlint analyze on generated menus (exact chains for every intent)")
    for nodes, ms in analyze_times().items():
        print(f"  {nodes:6,} nodes: {ms:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
