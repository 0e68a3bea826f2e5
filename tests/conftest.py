"""Shared helpers: menus written inline in tests, and running the CLI."""

from __future__ import annotations

import io
import os
import textwrap
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from ivrlint.cli import main
from ivrlint.lint.run import lint_document
from ivrlint.menu.loader import load_text, read_text

ROOT = Path(__file__).resolve().parent.parent
MENUS = ROOT / "menus"
GOOD_MENUS = sorted(MENUS.glob("*.yaml"))
BAD_MENUS = sorted((MENUS / "bad").glob("*.yaml"))


def menu(text: str, file: str = "menu.yaml"):
    return load_text(textwrap.dedent(text), file)


def findings(text: str, rule: str | None = None, settings=None):
    found = lint_document(read_text(textwrap.dedent(text), "menu.yaml"), settings)
    return [f for f in found if rule is None or f.rule == rule]


class Result:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err


def run_cli(*args: str, cwd: Path | None = None) -> Result:
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:  # argparse usage errors
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.chdir(old)
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def write(tmp_path):
    """write(name, text) -> path of a dedented file under a temporary folder."""
    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path
    return _write


def menu_shape(menu) -> dict:
    """What a menu says, without where it is written: for round-trip tests
    (an imported menu and its YAML, as `ivrlint import` writes it, read back)."""
    def node_shape(node):
        shape = {k: v for k, v in vars(node).items() if k not in ("loc", "locs", "options", "branches", "duration")}
        shape["options"] = {k: (o.goto, o.action, o.label) for k, o in node.options.items()}
        shape["branches"] = [(b.goto, b.share, b.when) for b in node.branches]
        shape["duration"] = node.duration and (node.duration.mean, node.duration.distribution, node.duration.cv)
        if node.type not in ("menu", "input"):  # the format has no timeout or retries for these
            shape.pop("timeout"), shape.pop("retries")
        return shape

    traffic = menu.traffic
    return {
        "top": (menu.ivr, menu.start, menu.language, menu.defaults.timeout, menu.defaults.retries, menu.defaults.speech_rate),
        "nodes": {node_id: node_shape(node) for node_id, node in menu.nodes.items()},
        "queues": {name: (q.agents, q.handle_time.mean, q.handle_time.distribution, q.handle_time.cv, q.hours)
                   for name, q in menu.queues.items()},
        "traffic": traffic and (
            traffic.calls_per_hour, traffic.patience.mean, traffic.patience.distribution, traffic.languages,
            traffic.behaviour, {n: (i.share, i.goals) for n, i in traffic.intents.items()},
        ),
    }


def within_cpu(target, seconds: float, memory_mb: int = 1000):
    """target() run in a forked child held to `seconds` of CPU time and `memory_mb` more memory (the fuzz
    harness's bounds, tests/fuzz/fuzzing.py): a bound on work, which a busy machine cannot fail, never
    a measure of speed (benchmarks/ measure that). Returns what target returns (JSON-able)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent / "fuzz"))
    from fuzzing import run_bounded

    run = run_bounded(target, cpu_seconds=max(1, round(seconds)), memory_mb=memory_mb)
    assert not run.crash, run.crash
    return run.value
