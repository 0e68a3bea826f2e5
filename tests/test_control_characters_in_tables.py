"""Names with control characters reach the terminal escaped (\\x1b), in every command's tables as in `check`.

A menu's double-quoted names can hold an escape sequence; printed raw it
recolours or rewrites the user's terminal. Figures draw such a character as
a box, without a matplotlib warning per glyph on stderr.
"""

from __future__ import annotations

import warnings

import pytest
from conftest import run_cli

#: Node, pool and intent names with an ANSI colour sequence in them.
ESCAPES = r"""
ivr: esc
start: main
nodes:
  main:
    type: menu
    prompt: For your balance, press 1. To speak with someone, press 0.
    options: {1: balance, 0: agent}
    on_failure: agent
  balance: {type: self_service, duration: 30, success: 0.8, next: "bye\e[31m", on_failure: agent}
  agent: {type: queue, queue: "desk\e[31m"}
  "bye\e[31m": {type: hangup, prompt: Goodbye.}
queues:
  "desk\e[31m": {agents: 3, handle_time: 180}
traffic:
  calls_per_hour: 60
  patience: 2m
  intents:
    balance: {share: 0.5, goal: balance}
    "x\e[31m": {share: 0.5, goal: agent}
"""

QUICK = ("--hours", "0.5", "--replications", "2", "--jobs", "1")


def assert_escaped(text: str, *names: str) -> None:
    assert "\x1b" not in text
    for name in names:
        assert f"{name}\\x1b[31m" in text


def test_simulate_tables_escape_names(write):
    result = run_cli("simulate", write("esc.yaml", ESCAPES), *QUICK)
    assert result.code == 0, result.err
    assert_escaped(result.out, "x", "desk", "main>1>balance>bye")


def test_analyze_tables_escape_names(write):
    result = run_cli("analyze", write("esc.yaml", ESCAPES))
    assert result.code == 0, result.err
    assert_escaped(result.out, "x", "desk", "main>1>balance>bye")


def test_compare_escapes_names_in_changes_and_measures(write):
    base = write("base.yaml", ESCAPES)
    head = write("head.yaml", ESCAPES.replace("agents: 3", "agents: 2"))
    result = run_cli("compare", base, head, "--no-config")
    assert result.code == 0, result.err
    assert_escaped(result.out, "desk")


def test_staff_escapes_pool_names(write):
    result = run_cli("staff", write("esc.yaml", ESCAPES), "--target", "service_level>=0.8", "--no-confirm")
    assert result.code == 0, result.err
    assert_escaped(result.out, "desk")


def test_sweep_escapes_varied_paths(write, tmp_path):
    result = run_cli("sweep", write("esc.yaml", ESCAPES), "--vary", "queues.desk\x1b[31m.agents=2,3", *QUICK,
                     "--no-plots", "--out", tmp_path / "sweep")
    assert result.code == 0, result.err
    assert_escaped(result.out + result.err, "queues.desk")


@pytest.mark.parametrize("picture", ["menu.png", "menu.svg"])
def test_drawing_a_name_no_font_has_gives_no_glyph_warning(write, tmp_path, picture):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run_cli("graph", write("esc.yaml", ESCAPES), "-o", tmp_path / picture)
    assert result.code == 0, result.err
    assert [str(w.message) for w in caught if "Glyph" in str(w.message)] == []
