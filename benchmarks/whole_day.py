"""The whole day's cost: the simulation with staff by the hour, redials, callbacks, announcements and
overflow, against the same menu without them, measured side by side in one process.

menus/whole-day.yaml uses every feature of issue 14. Its baseline is the
same menu as it would be written without them: each pool staffed by a
constant count (the hourly counts' mean weighted by the hour's calls,
rounded up, so the lines are about as busy), no callback, announcement,
overflow or redial. The two take turns `pairs` times (benchmarks/timing.py);
the figure is the ratio of seconds per simulated call (a redial is a call:
the menu with redials simulates more of them), goal at most 1.3x. It is
given for the engine alone (``engine``: one replication's events) and for
what ``simulate`` runs (``simulate``: replications and every metric,
per-hour and per-caller figures included), with the SimPy events each call
needs on both sides.

    .venv/bin/python benchmarks/whole_day.py [--pairs 5] [--days 20]
"""

from __future__ import annotations

import argparse
import copy
import math
import sys
from pathlib import Path

import simpy
from timing import seconds, spread

from ivrlint.menu.loader import load_menu
from ivrlint.menu.model import Menu
from ivrlint.sim import engine, run_simulation
from ivrlint.sim.engine import Replication, Story

ROOT = Path(__file__).resolve().parent.parent
WHOLE_DAY = ROOT / "menus" / "whole-day.yaml"
GOAL = 1.3


def without_features(menu: Menu) -> Menu:
    """The menu without the whole-day features: constant pools as busy as the day's calls make them."""
    plain = copy.deepcopy(menu)
    assert plain.traffic is not None
    rates = plain.traffic.calls_per_hour
    rates = rates * 24 if len(rates) == 1 else rates
    for queue in plain.queues.values():
        if queue.agents_by_hour is not None:
            queue.agents = math.ceil(sum(a * r for a, r in zip(queue.agents_by_hour, rates, strict=True)) / sum(rates))
            queue.agents_by_hour = None
        queue.callback = queue.announce = queue.overflow = None
    plain.traffic.redial = None
    return plain


class _Counting(simpy.Environment):
    scheduled = 0

    def schedule(self, event, priority=simpy.core.NORMAL, delay=0):
        _Counting.scheduled += 1
        super().schedule(event, priority, delay)


def events_per_call(menu: Menu, hours: float) -> float:
    """SimPy events per call of one replication (counted in a run of its own: counting slows SimPy)."""
    real, engine.simpy.Environment = engine.simpy.Environment, _Counting
    try:
        _Counting.scheduled = 0
        run = Replication(menu, None, 0, 1, hours).run()
    finally:
        engine.simpy.Environment = real
    assert run.calls is not None
    return _Counting.scheduled / len(run.calls)


def whole_day(pairs: int = 5, days: float = 20.0) -> dict:
    """The two menus take turns: the engine alone (`days` days in one replication) and
    ``simulate``'s path (10 replications of a day, metrics included)."""
    featured = load_menu(str(WHOLE_DAY))
    plain = without_features(featured)
    stories = {"featured": Story(featured), "plain": Story(plain)}
    counts: dict[str, dict[str, int]] = {"engine": {}, "simulate": {}}

    def engine_run(name: str):
        def run() -> None:
            calls = Replication(stories[name].menu, None, 0, 7, days * 24.0, story=stories[name]).run().calls
            assert calls is not None
            counts["engine"][name] = len(calls)
        return run

    def simulate_run(name: str):
        def run() -> None:
            result = run_simulation(stories[name].menu, hours=24.0, replications=10, seed=7, jobs=1, keep_records=False)
            counts["simulate"][name] = int(sum(rep["overall"]["calls"] for rep in result.replications))
        return run

    out: dict = {"menu": str(WHOLE_DAY.relative_to(ROOT)), "pairs": pairs, "goal": GOAL,
                 "baseline_agents": {name: q.agents for name, q in plain.queues.items()}}
    for part, make in (("engine", engine_run), ("simulate", simulate_run)):
        times: dict[str, list[float]] = {"featured": [], "plain": []}
        for round_ in range(pairs):
            for name in ("featured", "plain") if round_ % 2 == 0 else ("plain", "featured"):
                times[name].append(seconds(make(name)))
        per_call = {name: [t / counts[part][name] for t in times[name]] for name in times}
        out[part] = {"calls": dict(counts[part]),
                     "featured_calls_per_s": spread([1 / t for t in per_call["featured"]]),
                     "plain_calls_per_s": spread([1 / t for t in per_call["plain"]]),
                     "slowdown_per_call": spread([a / b for a, b in zip(per_call["featured"], per_call["plain"], strict=True)])}
    out["events_per_call"] = {"featured": events_per_call(featured, days * 24.0), "plain": events_per_call(plain, days * 24.0)}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5, help="turns each comparison takes (at least 5 for the figures)")
    parser.add_argument("--days", type=float, default=20.0, help="simulated days of the engine-alone run")
    args = parser.parse_args(argv)
    figures = whole_day(args.pairs, args.days)
    print(f"{figures['menu']}, every whole-day feature, against constant pools {figures['baseline_agents']} without them")
    for part in ("engine", "simulate"):
        row = figures[part]
        slow = row["slowdown_per_call"]
        print(f"  {part:9} {row['featured_calls_per_s']['median']:9,.0f} calls/s against {row['plain_calls_per_s']['median']:9,.0f}: "
              f"{slow['median']:.2f}x the time a call (min {slow['min']:.2f}x; goal <= {GOAL}x)")
    events = figures["events_per_call"]
    print(f"  SimPy events per call: {events['featured']:.2f} with the features, {events['plain']:.2f} without")
    return 0


if __name__ == "__main__":
    sys.exit(main())
