"""Absorbing chains: seconds and peak memory of the sparse solve, against the solvers it replaced.

`ivrlint analyze` solves y (I - Q) = e_start for every intent's caller chain
(ivrlint/analysis/menu_chain.py: one sparse LU factorisation, SuperLU through
scipy.sparse). Before issue 12 it solved chains of up to 2,500 states with a
dense LAPACK solve (n^2 floats: 2 TB at 500,000 states) and larger ones by
passing probability mass through the chain until less than 1e-13 was left,
giving up after 200,000 rounds. For

1. a line of states that keep the caller with chance 0.99 and pass them on
   with the rest (every state is visited 1 / (1 - 0.99) = 100 times, so the
   error against that closed form is printed);
2. a menu-like tree (3 options per menu, repeat 0.5, back 0.1, top 0.05,
   0.1 per option; the error printed is the residual max |y (I - Q) - e|);

it prints the states, the moves, the seconds of the sparse solve and of the
check for trapped states (best of --repeat), how much the solve raised the
process's peak resident memory (getrusage, so SuperLU's own allocations
count; each chain is solved in a fresh process), and the old solvers'
seconds on the same chain in the same process where they can run, with the
ratio old / sparse. The mass-passing iteration on the 50,000-state line
needs more than 200,000 rounds and gives up after about 70 s; only
--old-iteration runs it. Last, every caller chain of the bundled menus
(menus/*.yaml) is solved both ways: the worst difference and the seconds.

    .venv/bin/python benchmarks/chain_speed.py [--repeat 3] [--old-iteration]
"""

from __future__ import annotations

import argparse
import gc
import glob
import multiprocessing
import os
import resource
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from ivrlint.analysis.menu_chain import solve_visits, trapped_states
from ivrlint.importers import load_any
from ivrlint.sim.caller import CallerModel
from ivrlint.sim.requirements import traffic_of

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir)
STAY = 0.99
#: The old solver's limits (menu_chain.py before issue 12).
OLD_DENSE_LIMIT, OLD_TOLERANCE, OLD_MAX_ROUNDS = 2500, 1e-13, 200_000


def line_chain(n: int) -> tuple:
    """State k keeps the caller with STAY and passes them to k + 1 with the rest; the last one ends the call."""
    k = np.arange(n)
    return (np.concatenate([k, k[:-1]]), np.concatenate([k, k[:-1] + 1]),
            np.concatenate([np.full(n, STAY), np.full(n - 1, 1 - STAY)]))


def tree_chain(n: int) -> tuple:
    """Menus in a tree, 3 options each: repeat 0.5, back to the parent 0.1, top 0.05, each option 0.1; the rest ends."""
    k = np.arange(n)
    parts = [(k, k, np.full(n, 0.5)), (k[1:], (k[1:] - 1) // 3, np.full(n - 1, 0.1)),
             (k[1:], np.zeros(n - 1, np.intp), np.full(n - 1, 0.05))]
    for option in (1, 2, 3):
        child = 3 * k + option
        parts.append((k[child < n], child[child < n], np.full(int((child < n).sum()), 0.1)))
    rows, cols, probs = (np.concatenate(x) for x in zip(*parts, strict=True))
    return rows, cols, probs


def dense_solve(n: int, rows, cols, probs, start: int) -> np.ndarray:
    """The old path up to 2,500 states: the whole matrix, LAPACK."""
    q = np.zeros((n, n))
    np.add.at(q, (rows, cols), probs)
    e = np.zeros(n)
    e[start] = 1.0
    return np.linalg.solve((np.eye(n) - q).T, e)


def mass_passing(n: int, rows, cols, probs, start: int) -> np.ndarray:
    """The old path above 2,500 states: pass the callers' probability mass along the moves round by round."""
    mass = np.zeros(n)
    mass[start] = 1.0
    visits = mass.copy()
    for _ in range(OLD_MAX_ROUNDS):
        mass = np.bincount(cols, weights=mass[rows] * probs, minlength=n)
        visits += mass
        if mass.sum() < OLD_TOLERANCE:
            return visits
    raise ArithmeticError("the chain does not settle: callers keep circling")


def best_seconds(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def error_of(kind: str, n: int, chain: tuple, visits: np.ndarray) -> float:
    """Against the closed form (line) or the residual of y (I - Q) = e (tree)."""
    if kind == "line":
        return float(np.max(np.abs(visits - 1 / (1 - STAY)) / (1 / (1 - STAY))))
    rows, cols, probs = chain
    residual = visits - np.bincount(cols, weights=visits[rows] * probs, minlength=n)
    residual[0] -= 1.0
    return float(np.max(np.abs(residual)))


def measure(kind: str, n: int, repeat: int, old_iteration: bool) -> dict:
    """One chain in this (fresh) process: the sparse solve first, for its memory, then the old solvers."""
    chain = (line_chain if kind == "line" else tree_chain)(n)
    rows, cols, probs = chain
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seconds, visits = best_seconds(lambda: solve_visits(n, rows, cols, probs, 0), repeat)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    check, _ = best_seconds(lambda: trapped_states(n, rows, cols, np.arange(n)), repeat)
    out = {"kind": kind, "n": n, "moves": len(rows), "seconds": seconds, "check": check, "peak_mb": peak_kb / 1024,
           "error": error_of(kind, n, chain, visits), "old": []}
    if n <= OLD_DENSE_LIMIT:
        old_seconds, old = best_seconds(lambda: dense_solve(n, rows, cols, probs, 0), repeat)
        out["old"].append(("dense LAPACK, its path up to 2,500 states", old_seconds, float(np.max(np.abs(old - visits) / np.abs(old)))))
    if n <= 1000 or n <= 50_000 and (kind == "tree" or old_iteration):
        out["old"].append(_iteration(n, chain, visits, 1 if n > OLD_DENSE_LIMIT else repeat))
    return out


def _iteration(n: int, chain: tuple, visits: np.ndarray, repeat: int) -> tuple:
    start = time.perf_counter()
    try:
        seconds, old = best_seconds(lambda: mass_passing(n, *chain, 0), repeat)
    except ArithmeticError as exc:
        return (f"mass passing, its path above 2,500 states (ArithmeticError: {exc})", time.perf_counter() - start, None)
    return ("mass passing, its path above 2,500 states", seconds, float(np.max(np.abs(old - visits) / np.abs(old))))


def print_row(row: dict) -> None:
    print(f"{row['kind']:5} {row['n']:>9,} {row['moves']:>10,} {row['seconds']:9.4f} {row['check']:9.4f} "
          f"{row['peak_mb']:8.1f} {row['error']:9.1e}")
    for label, seconds, difference in row["old"]:
        if difference is None:
            print(f"{'':15} old, {label}: gave up after {seconds:.1f} s, no answer")
        else:
            print(f"{'':15} old, {label}: {seconds:.4f} s, {seconds / row['seconds']:,.1f}x the sparse solve's seconds, "
                  f"differs by {difference:.1e}")


def bundled_menus(repeat: int) -> None:
    """Every caller chain of menus/*.yaml, solved sparse and dense."""
    chains = []
    for path in sorted(glob.glob(os.path.join(ROOT, "menus", "*.yaml"))):
        menu = load_any(path)
        model = CallerModel(menu)
        for intent in traffic_of(menu).intents:
            for language in traffic_of(menu).languages or {menu.language: 1.0}:
                chain = model.chain(intent, language)
                rows = [i for i, moves in enumerate(chain.moves) for m in moves if m.end is None]
                cols = [m.next for moves in chain.moves for m in moves if m.end is None]
                probs = [m.prob for moves in chain.moves for m in moves if m.end is None]
                chains.append((len(chain.states), np.array(rows), np.array(cols), np.array(probs), chain.start))
    sparse, new = best_seconds(lambda: [solve_visits(*c) for c in chains], repeat)
    dense, old = best_seconds(lambda: [dense_solve(*c) for c in chains], repeat)
    worst = max(float(np.max(np.abs(a - b) / np.abs(b))) for a, b in zip(new, old, strict=True))
    print(f"\nbundled menus: {len(chains)} caller chains of {min(c[0] for c in chains)}-{max(c[0] for c in chains)} states; "
          f"sparse {sparse * 1000:.1f} ms, dense LAPACK (the old path) {dense * 1000:.1f} ms, "
          f"ratio dense / sparse {dense / sparse:.2f}; worst relative difference {worst:.1e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each solve; the best counts")
    parser.add_argument("--old-iteration", action="store_true", help="also run the old iteration where it gives up (about 70 s)")
    args = parser.parse_args()
    cases = [("line", 1000), ("line", 2500), ("line", 50_000), ("line", 500_000),
             ("tree", 2500), ("tree", 50_000), ("tree", 500_000)]
    print(f"absorbing chains, sparse LU (SuperLU), best of {args.repeat}; each chain in a fresh process")
    print(f"{'chain':5} {'states':>9} {'moves':>10} {'solve s':>9} {'trap s':>9} {'peak MB':>8} {'error':>9}")
    for kind, n in cases:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            print_row(pool.submit(measure, kind, n, args.repeat, args.old_iteration).result())
    print("('peak MB': how much the solve raised the process's peak resident memory; 'error': line, against the closed form "
          "100 visits per state; tree, the residual max |y (I - Q) - e|)")
    bundled_menus(args.repeat)


if __name__ == "__main__":
    main()
