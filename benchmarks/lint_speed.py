"""Lint speed on generated menus of 1k, 10k and 100k nodes.

For each size, prints the seconds to lint (load + graph + every rule) and
the ratio to merely composing the same file with PyYAML's C loader
(yaml.compose with CSafeLoader), measured in the same process. Goals: at
most 4x the compose time at 10k nodes (3x before the prompt-wording rules
read every prompt); growth close to linear (10x the nodes, at most 14x the
time).

    .venv/bin/python benchmarks/lint_speed.py [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time

import yaml

from ivrlint.lint.run import lint_document
from ivrlint.menu.loader import read_menu


def generate(nodes: int) -> str:
    """A balanced tree of menus (3 choices each) ending in self-service tasks and queues."""
    menus = max(1, nodes // 2)
    lines = [
        "ivr: generated", "start: m0", "defaults: {timeout: 5, retries: 3}", "nodes:",
        "  agent: {type: queue, queue: general}",
        "  bye: {type: hangup, prompt: Goodbye.}",
    ]
    leaves = 0
    for i in range(menus):
        children = [3 * i + k for k in (1, 2, 3)]
        options = []
        for k, child in enumerate(children, start=1):
            if child < menus:
                options.append(f"      {k}: {{goto: m{child}, label: Option {child}}}")
            else:
                options.append(f"      {k}: t{leaves}")
                leaves += 1
        lines += [
            f"  m{i}:",
            "    type: menu",
            f"    prompt: For option {children[0]}, press 1. For option {children[1]}, press 2. "
            f"For option {children[2]}, press 3. For a person, press 0. To hear this again, press 9.",
            "    options:",
            *options,
            "      0: agent",
            "      9: {action: repeat}",
            "    on_failure: agent",
        ]
    for t in range(leaves):
        lines += [f"  t{t}: {{type: self_service, duration: 30, success: 0.8, next: bye, on_failure: agent}}"]
    lines += ["queues:", "  general: {agents: 10, handle_time: 240}"]
    return "\n".join(lines) + "\n"


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'nodes':>8} {'file MB':>8} {'compose s':>10} {'lint s':>8} {'ratio':>6} {'findings':>9}")
    previous = None
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = os.path.join(tmp, f"menu{size}.yaml")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(generate(size))
            repeat = 1 if size >= 100_000 else args.repeat

            def compose(path: str = path) -> None:
                with open(path, "rb") as fh:
                    yaml.compose(fh.read(), Loader=yaml.CSafeLoader)

            found: list = []

            def lint(path: str = path, found: list = found) -> None:
                found[:] = lint_document(read_menu(path))

            compose_s = best_of(repeat, compose)
            lint_s = best_of(repeat, lint)
            growth = f"  time x{lint_s / previous[1]:.1f} for nodes x{size / previous[0]:.0f}" if previous else ""
            print(f"{size:>8} {os.path.getsize(path) / 1e6:>8.1f} {compose_s:>10.3f} {lint_s:>8.3f} "
                  f"{lint_s / compose_s:>6.2f} {len(found):>9}{growth}")
            previous = (size, lint_s)


if __name__ == "__main__":
    main()
