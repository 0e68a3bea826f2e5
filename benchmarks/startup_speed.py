"""Start-up time of the `ivrlint` command, against starting the interpreter alone.

pre-commit runs `ivrlint check` on every commit, so what it costs before it
reads a menu counts. Each run is a fresh process (`python -m ivrlint ...`),
taking turns with `python -c pass` (benchmarks/timing.py): `--version`,
`check` of a small menu without traffic (what a CI or pre-commit check of a
menu pays), and `check` of menus/bank.yaml, whose traffic rules run the
exact analysis (scipy).

    .venv/bin/python benchmarks/startup_speed.py [--pairs 5]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

from timing import ratios, spread, take_turns

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir)
SMALL = """ivr: small
start: main
nodes:
  main:
    type: menu
    prompt: For billing, press 1. For an agent, press 0. To hear this again, press 9.
    options: {1: billing, 0: agent, 9: {action: repeat}}
    on_failure: agent
  billing: {type: queue, queue: general}
  agent: {type: queue, queue: general}
queues:
  general: {agents: 3, handle_time: 200}
"""


def _run(*args: str):
    return lambda: subprocess.run([sys.executable, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  check=False)


def startup(pairs: int = 5) -> dict:
    """Seconds of each command and its ratio to the bare interpreter's start."""
    with tempfile.TemporaryDirectory() as tmp:
        small = os.path.join(tmp, "small.yaml")
        with open(small, "w", encoding="utf-8") as fh:
            fh.write(SMALL)
        runs = {"python": _run("-c", "pass"), "version": _run("-m", "ivrlint", "--version"),
                "check_small": _run("-m", "ivrlint", "check", "--no-config", small),
                "check_bank": _run("-m", "ivrlint", "check", "--no-config", os.path.join("menus", "bank.yaml"))}
        times = take_turns(runs, pairs)
    return {"pairs": pairs, "seconds": {name: spread(values) for name, values in times.items()},
            **{f"{name}_vs_python": ratios(times, name, "python") for name in runs if name != "python"}}


def print_startup(figures: dict) -> None:
    s = figures["seconds"]
    print(f"start-up, fresh processes; median (min) of {figures['pairs']} interleaved pairs with `python -c pass` "
          f"({s['python']['median']:.2f} s)")
    for name, label in (("version", "ivrlint --version"), ("check_small", "ivrlint check, a 3-node menu"),
                        ("check_bank", "ivrlint check menus/bank.yaml")):
        r = figures[f"{name}_vs_python"]
        print(f"  {label:32} {s[name]['median']:6.2f} s (min {s[name]['min']:.2f} s)  {r['median']:5.1f}x the interpreter's start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5)
    print_startup(startup(parser.parse_args().pairs))


if __name__ == "__main__":
    main()
