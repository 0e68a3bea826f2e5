"""Every benchmark in one process (`make bench`): each figure a ratio against its baseline, run in the same time window.

Runs, in this order, each against the baselines named in its own module:

1. lint (benchmarks/lint_speed.py): generated menus of 1,000 to 100,000
   nodes against PyYAML's C compose with the collector on and off and
   against yamllint; peak memory; the language server's re-lint of an edited
   2,000-node menu;
2. start-up (benchmarks/startup_speed.py): `ivrlint --version` and `check`
   against the bare interpreter's start;
3. importers (benchmarks/import_speed.py): every platform's importer against
   merely parsing its file (expat, json, the line reader, C compose);
4. simulation (benchmarks/sim_speed.py): the Erlang-A queue against minimal
   SimPy and Ciw, the bank menu's calls and events per second and the
   profile's split, --jobs 2 against a 2-process CPU loop, ten million calls
   and their peak memory, analyze on generated menus; the whole day
   (benchmarks/whole_day.py): menus/whole-day.yaml with staff by the hour,
   redials, callbacks, announcements and overflow against the same menu
   without them, per call (goal: at most 1.3x the time);
5. sweeps (benchmarks/sweep_speed.py): --jobs 2 against the CPU loop;
6. caller chains (benchmarks/chain_speed.py): the sparse solve against the
   solvers it replaced, each chain in a fresh process for its peak memory.

Every comparison takes turns with its baseline at least 5 times and gives
the median and the smallest ratio of the pairs (benchmarks/timing.py). The
figures go to reports/bench.json with the commit, the machine and its load,
so that a later run can be compared with this one: when the file exists,
the headline figures of the earlier run are printed next to the new ones
before it is replaced (the earlier file is kept as bench.previous.json).

    .venv/bin/python benchmarks/run_all.py [--pairs 5] [--quick] [--only lint,startup,imports,sim,sweep,chains]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import chain_speed
import import_speed
import lint_speed
import sim_speed
import startup_speed
import sweep_speed
import whole_day

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir)
SECTIONS = ("lint", "startup", "imports", "sim", "sweep", "chains")


def _lint(args) -> dict:
    sizes = (1000, 10_000, 20_000) if args.quick else lint_speed.SIZES
    out = {"sizes": lint_speed.lint_sizes(sizes, args.pairs), "relint": lint_speed.relint(pairs=max(args.pairs, 9))}
    lint_speed.print_sizes(out["sizes"])
    lint_speed.print_relint(out["relint"])
    if args.profile:
        out["profile"] = lint_speed.top_of_profile()
        print("top of a profile of the 20,000-node lint, by own time:")
        print("\n".join(out["profile"]))
    return out


def _startup(args) -> dict:
    out = startup_speed.startup(args.pairs)
    startup_speed.print_startup(out)
    return out


def _imports(args) -> dict:
    out = import_speed.import_speeds(pairs=args.pairs)
    import_speed.print_speeds(out)
    return out


def _sim(args) -> dict:
    """The simulation figures of benchmarks/sim_speed.py (each of its functions returns a dict)."""
    steps: dict[str, Callable[[], dict]] = {
        "erlang_a": lambda: sim_speed.erlang_a(args.pairs),
        "bank": lambda: sim_speed.bank(pairs=args.pairs),
        "jobs": lambda: sim_speed.jobs(args.pairs),
        "analyze_ms": lambda: sim_speed.analyze_times(),
        "whole_day": lambda: whole_day.whole_day(args.pairs, 5.0 if args.quick else 20.0),
    }
    if not args.quick:  # from a fresh process, whose children's peak memory is theirs alone (see in_fresh_process)
        steps["ten_million"] = lambda: in_fresh_process(sim_speed.ten_million)
    out = {}
    for name, step in steps.items():
        out[name] = step()
        print_figures(f"simulation: {name}", out[name])
    return out


def _sweep(args) -> dict:
    out = sweep_speed.sweep_scaling(args.pairs)
    print_figures("sweep: --jobs 2 over --jobs 1", out)
    return out


def in_fresh_process(fn: Callable, *args):
    """`fn(*args)` in a new interpreter, for figures of peak memory.

    Linux carries a process's peak resident memory over fork and exec into
    its children's getrusage (ru_maxrss), and this process has held a
    100,000-node menu: a child it starts would report at least that. A child
    of a fresh interpreter reports its own.
    """
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def chain_rows(cases: tuple[tuple[str, int], ...]) -> dict:
    """chain_speed's measure of each chain, each in a process of its own (as chain_speed runs them)."""
    rows = {}
    for kind, n in cases:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            rows[f"{kind}-{n}"] = pool.submit(chain_speed.measure, kind, n, 3, False).result()
    return rows


def _chains(args) -> dict:
    rows = in_fresh_process(chain_rows, (("line", 2500), ("tree", 2500), ("line", 50_000), ("tree", 50_000)))
    print("absorbing chains, sparse LU (SuperLU), best of 3, each in a fresh process")
    print(f"{'chain':5} {'states':>9} {'moves':>10} {'solve s':>9} {'trap s':>9} {'peak MB':>8} {'error':>9}")
    for row in rows.values():
        chain_speed.print_row(row)
    return rows


def print_figures(title: str, figures: dict, indent: str = "  ") -> None:
    """A figure dict as lines: a ratio or a rate as its median (min, max), numbers as they are."""
    print(title if indent == "  " else f"{indent[:-2]}{title}")
    for key, value in figures.items():
        if isinstance(value, dict) and "median" in value:
            print(f"{indent}{key}: median {_number(value['median'])} (min {_number(value['min'])}, max {_number(value['max'])})")
        elif isinstance(value, dict):
            print_figures(f"{key}:", value, indent + "  ")
        else:
            print(f"{indent}{key}: {_number(value)}")


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


#: (section, path into its figures, label): what the comparison with an earlier run shows
HEADLINES = (
    ("lint", ("sizes", "sizes", "20000", "vs_compose_gc_on", "median"), "lint / C compose (GC on), 20,000 nodes"),
    ("lint", ("sizes", "sizes", "20000", "vs_compose_gc_off", "median"), "lint / C compose (GC off), 20,000 nodes"),
    ("lint", ("sizes", "sizes", "20000", "vs_yamllint", "median"), "lint / yamllint, 20,000 nodes"),
    ("lint", ("relint", "ms", "relint", "median"), "re-lint of a 2,000-node menu, ms"),
    ("startup", ("seconds", "version", "median"), "ivrlint --version, s"),
    ("startup", ("seconds", "check_small", "median"), "ivrlint check of a small menu, s"),
    ("sim", ("erlang_a", "vs_simpy", "median"), "simulation / minimal SimPy"),
    ("sim", ("erlang_a", "vs_ciw", "median"), "simulation / Ciw"),
    ("sim", ("jobs", "speedup", "median"), "simulate --jobs 2 speed-up"),
    ("sim", ("whole_day", "engine", "slowdown_per_call", "median"), "whole-day features / none, time a call"),
    ("sweep", ("speedup", "median"), "sweep --jobs 2 speed-up"),
)


def _at(figures: dict, section: str, path: tuple[str, ...]):
    value = figures.get(section)
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def compare(earlier: dict, now: dict) -> None:
    """The headline figures of an earlier run next to this one's."""
    print(f"\ncompared with the run of {earlier.get('when', '?')} (commit {earlier.get('commit', '?')}):")
    for section, path, label in HEADLINES:
        old, new = _at(earlier["figures"], section, path), _at(now["figures"], section, path)
        if isinstance(old, int | float) and isinstance(new, int | float):
            print(f"  {label:45} {old:10.3g} -> {new:10.3g}")


def _commit() -> str:
    try:
        done = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, check=True)
        return done.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _jsonable(value):
    """Figures with int keys (menu sizes) as JSON objects keyed by text."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5, help="rounds each comparison takes (at least 5 for the figures)")
    parser.add_argument("--quick", action="store_true", help="lint up to 20,000 nodes only, no ten-million-call run")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"sections to run, of {','.join(SECTIONS)}")
    parser.add_argument("--profile", action="store_true", help="print the top of a profile of the 20,000-node lint")
    parser.add_argument("--out", default=os.path.join(ROOT, "reports", "bench.json"))
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    if unknown := set(chosen) - set(SECTIONS):
        parser.error(f"--only: no section {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")
    if args.pairs < 5:
        print(f"note: {args.pairs} pairs; the figures issue 16 asks for take at least 5", file=sys.stderr)
    run = {"lint": _lint, "startup": _startup, "imports": _imports, "sim": _sim, "sweep": _sweep, "chains": _chains}
    report = {"when": time.strftime("%Y-%m-%d %H:%M:%S"), "commit": _commit(), "python": platform.python_version(),
              "machine": platform.machine(), "cores": os.cpu_count(), "pairs": args.pairs, "load_before": os.getloadavg(),
              "figures": {}}
    began = time.perf_counter()
    for section in chosen:
        print(f"\n== {section}")
        report["figures"][section] = run[section](args)
    report["seconds"] = time.perf_counter() - began
    report["load_after"] = os.getloadavg()
    report = _jsonable(report)
    if os.path.exists(args.out):
        with open(args.out, encoding="utf-8") as fh:
            earlier = json.load(fh)
        compare(earlier, report)
        os.replace(args.out, args.out.replace(".json", ".previous.json"))
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(report, fh, indent=1)
    print(f"\n{len(chosen)} sections in {report['seconds']:.0f} s (load average {report['load_before'][0]:.1f} before, "
          f"{report['load_after'][0]:.1f} after); figures in {os.path.relpath(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
