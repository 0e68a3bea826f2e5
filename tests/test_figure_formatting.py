"""Figures read the same in the text tables and the HTML report: counts of
calls (means over replications) without stray decimals, per-call means with
theirs, times with their unit; a run too short for calls says so."""

from __future__ import annotations

import io

from conftest import run_cli

from ivrlint.report.rows import show
from ivrlint.report.summary import render_text


def text_of(figures: dict) -> str:
    out = io.StringIO()
    render_text(figures, "heading", out)
    return out.getvalue()


def ci(mean, low=None, high=None):
    return {"mean": mean, "ci95": [mean if low is None else low, mean if high is None else high]}


def test_a_mean_count_of_calls_has_one_decimal_and_so_has_its_interval():
    text = text_of({"queues": {"small": {"calls": ci(6.5, 0.0, 25.56)}, "big": {"calls": ci(90.75, 80.5, 101.0)}}})
    assert "6.5 (0.0-25.6)" in text and "90.8 ±10.2" in text


def test_a_per_call_mean_keeps_its_decimals_when_it_happens_to_be_whole():
    assert "1.00" in text_of({"intents": {"pay": {"calls": ci(12.0), "keypresses": ci(1.0)}}}).splitlines()[3]


def test_the_report_shows_counts_by_the_same_rule_and_times_with_their_unit():
    assert [show("calls", v) for v in (90.75, 6.5, 0.0, 1288.0)] == ["90.8", "6.5", "0", "1,288"]
    assert show("keypresses", 1.0) == "1.00"
    assert show("time_to_resolution", 272.0) == "272.0 s"


def test_a_run_in_which_no_call_arrives_warns_and_suggests_more_hours(write):
    path = write("shop.yaml", """\
        ivr: shop
        start: agent
        nodes:
          agent: {type: queue, queue: general}
        queues:
          general: {agents: 2, handle_time: 120}
        traffic:
          calls_per_hour: 20
          patience: 60
          intents: {any: {share: 1, goal: agent}}
        """)
    result = run_cli("simulate", path, "--hours", "0.00001", "--replications", "2", "--jobs", "1")
    assert result.code == 0
    assert "warning: no call arrived in 2 replications of 1e-05 h; at 20 calls per hour, --hours 5 or more" in result.err
    assert "warning" not in run_cli("simulate", path, "--hours", "2", "--replications", "2", "--jobs", "1").err


def test_formatting_examples_hold():
    import doctest

    from ivrlint.report import summary as tables

    assert doctest.testmod(tables).failed == 0
