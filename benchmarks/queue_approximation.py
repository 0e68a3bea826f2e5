"""The queue analysis against the simulation, over a grid of pools (docs/queue-approximation.md).

Each grid point is a one-pool menu (callers go straight to the queue) with
talk time of mean 240 s, lognormal with the point's cv, and patience of
mean 180 s, exponential or lognormal with cv 1. It is simulated with
ivrlint's own engine (`ivrlint simulate`'s path: records, metrics, 95%
intervals over replications, a warm-up not counted) and analysed three ways:

* ``analysis``: what `ivrlint analyze` gives (analysis/general_queue.py);
* ``stand-in``: Erlang A from the means, what ivrlint gave before;
* ``whitt``: Whitt's M/M/s+M(n) (Management Science 2005): exponential talk
  and state-dependent abandonment rates, the rate with k callers waiting
  being the sum of the patience hazard at j / lambda, j = 1..k. Mean wait
  and abandonment only.

For each method and figure (mean wait, abandonment, answered within 20 s)
it prints the worst and median absolute and relative error against the
simulated mean, and how often the figure falls inside the simulation's
95% interval. Relative errors skip figures too small to compare (a mean
wait under 1 s, abandonment under 1%).

The default grid is a balanced subsample of the full one (every number of
agents with every load and both patience laws; the talk-time cv rotates
over the four values, so each appears equally often with every load and
number of agents): 70 pools, about 6 minutes on 2 cores. ``--full`` runs
all 280 (agents 1, 2, 3, 5, 10, 20, 50; load per agent 0.5, 0.7, 0.9, 1.0,
1.1; talk cv 0.3, 0.6, 1.0, 1.5); ``--examples`` the issue's two pools only.

    .venv/bin/python benchmarks/queue_approximation.py [--full | --examples] [--calls 150000] [--jobs 2] [--csv FILE]
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from ivrlint.analysis import analyze_menu
from ivrlint.analysis.queueing import erlang_a_metrics
from ivrlint.menu.loader import load_text
from ivrlint.sim import run_simulation

AGENTS = (1, 2, 3, 5, 10, 20, 50)
LOADS = (0.5, 0.7, 0.9, 1.0, 1.1)
CVS = (0.3, 0.6, 1.0, 1.5)
PATIENCE = ("exponential", "lognormal")
TALK, WAIT, PATIENCE_CV = 240.0, 180.0, 1.0
FIGURES = ("mean_wait", "p_abandon", "service_level", "p_wait")
#: Figures below these are too small for a relative error to mean anything.
FLOORS = {"mean_wait": 1.0, "p_abandon": 0.01, "service_level": 0.0, "p_wait": 0.01}
METHODS = ("analysis", "stand-in", "whitt")


@dataclass(frozen=True)
class Pool:
    agents: int
    load: float  # offered load per agent
    cv: float  # talk time's cv (lognormal)
    patience: str  # exponential or lognormal (cv 1)
    talk: float = TALK
    wait: float = WAIT
    label: str = ""

    @property
    def calls_per_hour(self) -> float:
        return self.load * self.agents / self.talk * 3600.0

    def menu_text(self) -> str:
        patience = f"{{mean: {self.wait:g}, distribution: {self.patience}" + (
            f", cv: {PATIENCE_CV:g}}}" if self.patience == "lognormal" else "}")
        return f"""
ivr: grid
start: agent
nodes:
  agent: {{type: queue, queue: pool}}
queues:
  pool: {{agents: {self.agents}, handle_time: {{mean: {self.talk:g}, distribution: lognormal, cv: {self.cv:g}}}}}
traffic:
  calls_per_hour: {self.calls_per_hour!r}
  patience: {patience}
  intents: {{any: {{share: 1, goal: agent}}}}
"""


def grid(full: bool) -> list[Pool]:
    out = []
    for i, agents in enumerate(AGENTS):
        for j, load in enumerate(LOADS):
            for patience in PATIENCE:
                cvs = CVS if full else (CVS[(i + j + (patience == "lognormal") * 2) % len(CVS)],)
                out += [Pool(agents, load, cv, patience) for cv in cvs]
    return out


#: The issue's examples: menus/bank.yaml's fraud pool (5 agents, 420 s talk
#: with the default cv 1, 21.77 calls an hour, exponential patience of 180 s)
#: and a 3-agent pool with talk cv 0.6 at the load where Erlang A gives 30 s.
EXAMPLES = (Pool(5, 2.54 / 5, 1.0, "exponential", talk=420.0, label="bank.yaml fraud pool"),
            Pool(3, 2.31 / 3, 0.6, "exponential", talk=300.0, label="3 agents, talk cv 0.6"))


def measure(pool: Pool, calls: int, seed: int) -> dict:
    """Simulated and analysed figures of one pool."""
    menu = load_text(pool.menu_text(), "grid.yaml")
    replications = 10
    hours = calls / pool.calls_per_hour / replications
    warmup = max(2.0, 40 * pool.talk / 3600.0)
    started = time.perf_counter()
    result = run_simulation(menu, hours=hours, replications=replications, seed=seed, jobs=1, warmup=warmup,
                            keep_records=False)  # the figures only
    simulated = result.metrics["queues"]["pool"]
    seconds = time.perf_counter() - started
    analysed = analyze_menu(menu, paths=False)["queues"]["pool"]
    rate = pool.calls_per_hour / 3600.0
    stand_in = erlang_a_metrics(rate, pool.talk, pool.wait, pool.agents)
    return {"pool": pool, "simulated": {f: simulated[f] for f in FIGURES}, "seconds": seconds,
            "calls": simulated["calls"]["mean"] * replications, "exact": analysed["exact"],
            "analysis": {f: analysed[f] for f in FIGURES}, "stand-in": {f: stand_in[f] for f in FIGURES},
            "whitt": whitt(rate, pool)}


def whitt(rate: float, pool: Pool) -> dict:
    """Whitt's M/M/s+M(n): a birth-death chain, death rate in state s + k the
    service rate s mu plus the sum of the patience hazard at j / lambda, j <= k."""
    s, mu = pool.agents, 1.0 / pool.talk
    k = np.arange(1, 4000)
    if pool.patience == "exponential":
        hazard = np.full(len(k), 1.0 / pool.wait)
    else:
        sigma = math.sqrt(math.log1p(PATIENCE_CV ** 2))
        m = math.log(pool.wait) - sigma * sigma / 2
        z = (np.log(k / rate) - m) / sigma
        density = np.exp(-z * z / 2) / (k / rate * sigma * math.sqrt(2 * math.pi))
        hazard = density / np.maximum(ndtr(-z), 1e-300)
    abandon = np.concatenate(([0.0], np.cumsum(hazard)))  # alpha_0..alpha_K
    logs = [0.0]
    for n in range(1, s + 1):
        logs.append(logs[-1] + math.log(rate / (n * mu)))
    logs += list(logs[-1] + np.cumsum(np.log(rate / (s * mu + abandon[1:]))))
    p = np.exp(np.array(logs) - max(logs))
    p /= p.sum()
    queue = p[s:]
    waiting = np.arange(len(queue))
    return {"mean_wait": float(waiting @ queue) / rate, "p_abandon": float(abandon @ queue) / rate,
            "service_level": None, "p_wait": float(queue.sum())}


def errors(rows: list[dict], method: str, figure: str) -> dict:
    absolute, relative, inside = [], [], 0
    for row in rows:
        got, sim = row[method][figure], row["simulated"][figure]
        if got is None:
            continue
        mean, (low, high) = sim["mean"], sim["ci95"]
        absolute.append(abs(got - mean))
        if mean >= FLOORS[figure] and mean > 0:
            relative.append(abs(got - mean) / mean)
        inside += low <= got <= high
    if not absolute:
        return {}
    return {"abs_worst": max(absolute), "abs_median": statistics.median(absolute),
            "rel_worst": max(relative, default=math.nan), "rel_median": statistics.median(relative) if relative else math.nan,
            "inside": inside / len(absolute), "n": len(absolute), "n_rel": len(relative)}


def print_summary(rows: list[dict], title: str) -> None:
    print(f"\n{title} ({len(rows)} pools)")
    print("| figure | method | worst abs | median abs | worst rel | median rel | inside the 95% CI |")
    print("|---|---|---|---|---|---|---|")
    for figure in FIGURES:
        for method in METHODS:
            e = errors(rows, method, figure)
            if not e:
                continue
            unit = (lambda v: f"{v:.2f} s") if figure == "mean_wait" else (lambda v: f"{100 * v:.2f} pt")
            print(f"| {figure} | {method} | {unit(e['abs_worst'])} | {unit(e['abs_median'])} | "
                  f"{100 * e['rel_worst']:.1f}% | {100 * e['rel_median']:.1f}% | {100 * e['inside']:.0f}% |")


def print_rows(rows: list[dict]) -> None:
    print("agents load   cv patience    | figure         simulated [95% CI]          analysis   stand-in      whitt")
    for row in rows:
        p = row["pool"]
        name = p.label or f"{p.agents:>6} {p.load:4.1f} {p.cv:4.1f} {p.patience:<11}"
        for figure in FIGURES:
            sim = row["simulated"][figure]
            cells = [f"{row[m][figure]:10.4f}" if row[m][figure] is not None else f"{'-':>10}" for m in METHODS]
            print(f"{name:<31} | {figure:<13} {sim['mean']:10.4f} [{sim['ci95'][0]:.4f}, {sim['ci95'][1]:.4f}] {' '.join(cells)}")
            name = ""
    sys.stdout.flush()


def write_csv(rows: list[dict], path: str) -> None:
    with open(path, "w", newline="") as out:
        w = csv.writer(out)
        w.writerow(["agents", "load", "talk_cv", "patience", "talk", "calls", "figure", "simulated", "ci_low", "ci_high"] + list(METHODS))
        for row in rows:
            p = row["pool"]
            for figure in FIGURES:
                sim = row["simulated"][figure]
                w.writerow([p.agents, p.load, p.cv, p.patience, p.talk, int(row["calls"]), figure, sim["mean"], *sim["ci95"]]
                           + [row[m][figure] for m in METHODS])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--full", action="store_true", help="all 280 grid points")
    which.add_argument("--examples", action="store_true", help="the issue's two pools only")
    parser.add_argument("--calls", type=int, default=150_000, help="simulated calls per pool (default 150000)")
    parser.add_argument("--jobs", type=int, default=2, help="pools simulated at once (default 2)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--csv", help="also write every figure to this CSV file")
    args = parser.parse_args()
    pools = list(EXAMPLES) if args.examples else list(EXAMPLES) + grid(args.full)
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as workers:
        rows = list(workers.map(measure, pools, [args.calls] * len(pools), [args.seed + i for i in range(len(pools))]))
    print(f"{len(rows)} pools, {sum(r['calls'] for r in rows) / 1e6:.1f} M simulated calls, "
          f"{time.perf_counter() - started:.0f} s on {args.jobs} processes")
    print_rows(rows)
    examples, others = rows[:len(EXAMPLES)], rows[len(EXAMPLES):]
    print_summary(examples, "The issue's examples")
    if others:
        print_summary(others, "The grid")
        for patience in PATIENCE:
            print_summary([r for r in others if r["pool"].patience == patience], f"The grid, {patience} patience")
    if args.csv:
        write_csv(rows, args.csv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
