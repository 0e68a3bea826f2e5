"""Lint speed on generated menus, against parsing the same file and against yamllint.

For each size (nodes of a generated menu, every rule on), lint (read the
file, build the graph, run every rule: `ivrlint check` without printing)
takes turns with its baselines, `pairs` times, and each figure is the
median and the smallest ratio of the pairs (benchmarks/timing.py):

* PyYAML's C loader composing the same file (yaml.compose with
  CSafeLoader), with the garbage collector on, as a program would call it:
  about three quarters of that is collection passes over the node tree;
* the same with the collector off: the parse alone;
* yamllint on the same text (its default configuration), the tool users
  already run on YAML configs, up to --yamllint-up-to nodes (it takes
  minutes on 100,000).

Also: the growth of lint time from each size to the next, the
peak memory of a process that reads and lints each menu (a process of its
own per size, its maximum resident set, and how much of it the lint added
to the interpreter with ivrlint imported), re-linting a 2,000-node menu
after an edit through the language server's lint_buffer (what `ivrlint
server` does on every change; goal: under 150 ms), and with --profile the
top of a cProfile of the lint of a 20,000-node menu.

Goals (issue 16): lint at most 2.5x C compose at 20,000 nodes, near-linear
growth to 100,000.

    .venv/bin/python benchmarks/lint_speed.py [--sizes 1000,10000,20000,100000] [--pairs 5] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import tempfile

import yaml
from timing import gc_off, ratios, spread, take_turns

from ivrlint.importers.buffers import read_buffer
from ivrlint.lint.run import lint_document
from ivrlint.menu.loader import read_menu
from ivrlint.server.buffers import lint_buffer

SIZES = (1000, 10_000, 20_000, 100_000)


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


def yamllint_run():
    """A function linting a text with yamllint's default configuration, or None when yamllint is not installed."""
    try:
        from yamllint import linter
        from yamllint.config import YamlLintConfig
    except ImportError:
        return None
    conf = YamlLintConfig("extends: default")
    return lambda text: sum(1 for _ in linter.run(text, conf))


def one_size(path: str, pairs: int, with_yamllint: bool) -> dict:
    """Lint of the menu at `path` taking turns with its baselines."""
    with open(path, "rb") as fh:
        data = fh.read()
    found: list = []

    def lint() -> None:
        found[:] = lint_document(read_menu(path))

    def compose() -> None:
        yaml.compose(data, Loader=yaml.CSafeLoader)

    runs = {"lint": lint, "compose_gc_on": compose, "compose_gc_off": gc_off(compose)}
    linter = yamllint_run() if with_yamllint else None
    if linter is not None:
        text = data.decode("utf-8")
        runs["yamllint"] = lambda: linter(text)
    times = take_turns(runs, pairs)
    out = {"file_mb": len(data) / 1e6, "findings": len(found), "pairs": pairs,
           "seconds": {name: spread(values) for name, values in times.items()},
           "vs_compose_gc_on": ratios(times, "lint", "compose_gc_on"),
           "vs_compose_gc_off": ratios(times, "lint", "compose_gc_off")}
    if "yamllint" in times:
        out["vs_yamllint"] = ratios(times, "lint", "yamllint")
    return out


# The child's peak is its own memory's high-water mark (VmHWM). Not getrusage's ru_maxrss:
# Linux carries a parent's peak over fork and exec, so a child of this process (which
# has held a 100,000-node menu) would report at least that.
_PEAK = """
import resource, sys
def peak_kb():
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux
from ivrlint.lint.run import lint_document
from ivrlint.menu.loader import read_menu
before = peak_kb()
lint_document(read_menu(sys.argv[1]))
print(before, peak_kb())
"""


def peak_memory(path: str) -> dict:
    """Peak resident memory (MB) of a process that reads and lints `path`, and what the lint added to it."""
    done = subprocess.run([sys.executable, "-c", _PEAK, path], capture_output=True, text=True, check=True)
    before, peak = (int(kb) / 1024 for kb in done.stdout.split())
    return {"peak_mb": peak, "added_mb": peak - before}


def lint_sizes(sizes: tuple[int, ...] = SIZES, pairs: int = 5, yamllint_up_to: int = 20_000, memory: bool = True) -> dict:
    """Every size's figures with the peak memory, and the growth of lint time from each size to the next."""
    out: dict = {"sizes": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = os.path.join(tmp, f"menu{size}.yaml")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(generate(size))
            figures = one_size(path, pairs, size <= yamllint_up_to)
            if memory:
                figures["memory"] = peak_memory(path)
            out["sizes"][size] = figures
    lint = {size: out["sizes"][size]["seconds"]["lint"]["median"] for size in sizes}
    ordered = sorted(sizes)
    out["growth"] = [{"nodes": f"{low} -> {high}", "nodes_x": high / low, "time_x": lint[high] / lint[low]}
                     for low, high in zip(ordered, ordered[1:], strict=False)]
    return out


def relint(nodes: int = 2000, pairs: int = 9) -> dict:
    """The language server's re-lint of a `nodes`-node menu after an edit (each round edits
    one prompt anew), taking turns with C compose of the same text; and its parts."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "menu.yaml")
        text = generate(nodes)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        lint_buffer(path, text)  # the server has linted the saved file once when it opened
        edits = iter(range(10 ** 9))

        def edited() -> str:
            return text.replace("For option 1,", f"For option 1 (edit {next(edits)}),", 1)

        def relint_once() -> None:
            outcome = lint_buffer(path, edited())
            assert outcome.document is not None, outcome.problems

        times = take_turns({"relint": relint_once, "compose_gc_on": lambda: yaml.compose(text, Loader=yaml.CSafeLoader),
                            "read": lambda: read_buffer(path, edited())}, pairs)
        document = read_buffer(path, edited())
        times["lint"] = take_turns({"lint": lambda: lint_document(document)}, pairs)["lint"]
    return {"nodes": nodes, "pairs": pairs, "ms": {name: spread([1000 * t for t in values]) for name, values in times.items()},
            "vs_compose_gc_on": ratios(times, "relint", "compose_gc_on"), "goal_ms": 150}


def top_of_profile(nodes: int = 20_000, lines: int = 14) -> list[str]:
    """The top of a cProfile of reading and linting a `nodes`-node menu, by own time."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "menu.yaml")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(generate(nodes))
        profile = cProfile.Profile()
        profile.enable()
        lint_document(read_menu(path))
        profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(lines)
    text = out.getvalue().replace(os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep, "")
    return [line for line in text.splitlines() if line.strip()][-(lines + 1):]


def _ratio(figure: dict) -> str:
    return f"{figure['median']:.2f}x (min {figure['min']:.2f}x)"


def print_sizes(figures: dict) -> None:
    print(f"lint on generated menus, every rule on; ratios: median (min) of {next(iter(figures['sizes'].values()))['pairs']} "
          "interleaved pairs")
    print(f"{'nodes':>8} {'MB':>5} {'lint s':>7} {'compose s':>9} {'no-GC s':>8}  {'/ compose':>16} {'/ no-GC compose':>16} "
          f"{'/ yamllint':>16} {'peak MB':>8}")
    for size, row in figures["sizes"].items():
        s = row["seconds"]
        yamllint = _ratio(row["vs_yamllint"]) if "vs_yamllint" in row else "-"
        peak = f"{row['memory']['peak_mb']:.0f}" if "memory" in row else "-"
        print(f"{size:>8} {row['file_mb']:>5.1f} {s['lint']['median']:>7.2f} {s['compose_gc_on']['median']:>9.2f} "
              f"{s['compose_gc_off']['median']:>8.2f}  {_ratio(row['vs_compose_gc_on']):>16} {_ratio(row['vs_compose_gc_off']):>16} "
              f"{yamllint:>16} {peak:>8}")
    for g in figures["growth"]:
        print(f"  growth {g['nodes']} nodes: nodes x{g['nodes_x']:.0f}, lint time x{g['time_x']:.1f}")
    print("  goal: at most 2.5x C compose (GC on) at 20,000 nodes; 'peak MB': maximum resident set of a process that "
          "reads and lints the menu")


def print_relint(figures: dict) -> None:
    ms = figures["ms"]
    print(f"re-lint of an edited {figures['nodes']:,}-node menu through the language server (lint_buffer): "
          f"median {ms['relint']['median']:.0f} ms, min {ms['relint']['min']:.0f} ms (goal under {figures['goal_ms']} ms); "
          f"{_ratio(figures['vs_compose_gc_on'])} C compose of the text")
    print(f"  of which reading the buffer {ms['read']['median']:.0f} ms and the rules {ms['lint']['median']:.0f} ms (medians)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--pairs", type=int, default=5, help="rounds each comparison takes (at least 5 for the figures)")
    parser.add_argument("--yamllint-up-to", type=int, default=20_000, help="largest menu yamllint is run on")
    parser.add_argument("--profile", action="store_true", help="also print the top of a profile of the 20,000-node lint")
    args = parser.parse_args()
    print_sizes(lint_sizes(tuple(int(s) for s in args.sizes.split(",")), args.pairs, args.yamllint_up_to))
    print_relint(relint(pairs=max(args.pairs, 9)))
    if args.profile:
        print("\n".join(top_of_profile()))


if __name__ == "__main__":
    main()
