"""Every view that shows an analysed queue figure says "approximate" when,
and only when, the figure is approximate: analyze's text and JSON, the
report's analysis section, T304 and T305, staff and compare."""

from __future__ import annotations

import io
import json

import pytest
from conftest import findings, menu, run_cli

from ivrlint.analysis import analyze_menu
from ivrlint.report.page import render_page
from ivrlint.report.summary import render_text

#: One pool of 2 agents with more calls than they can take; TALK is its
#: talk time: exponential (the analysis is exact) or lognormal (approximate).
POOL = """\
ivr: shop
start: main
nodes:
  main:
    type: menu
    prompt: For your balance, press 1. To speak with someone, press 0.
    options: {1: balance, 0: agent, 9: {action: repeat}}
    on_failure: agent
  balance: {type: self_service, duration: 30, success: 0.9, next: bye, on_failure: agent}
  agent: {type: queue, queue: general}
  bye: {type: hangup}
queues:
  general: {agents: AGENTS, handle_time: TALK}
traffic:
  calls_per_hour: CALLS
  patience: 40m
  intents:
    balance: {share: 0.5, goal: balance}
    talk: {share: 0.5, goal: agent}
"""
EXACT = "{mean: 240, distribution: exponential}"
APPROXIMATE = "{mean: 240, distribution: lognormal, cv: 0.6}"
KINDS = {"exact": EXACT, "approximate": APPROXIMATE}


def pool(talk: str, agents: int = 2, calls: int = 60) -> str:
    return POOL.replace("TALK", talk).replace("AGENTS", str(agents)).replace("CALLS", str(calls))


@pytest.fixture(params=list(KINDS))
def kind(request):
    return request.param


def says_so(kind: str, text: str) -> bool:
    """Does `text` say "approximate" exactly when the figures are approximate?"""
    return ("approximate" in text) == (kind == "approximate")


def test_analyze_text_says_approximate_beside_the_queue_figures_when_and_only_when_they_are(write, kind, tmp_path):
    write("m.yaml", pool(KINDS[kind]))
    result = run_cli("analyze", "m.yaml", cwd=tmp_path)  # a relative path: the folder's name says nothing
    assert result.code == 0, result.err
    assert says_so(kind, result.out)
    queue_row = next(line for line in result.out.splitlines() if line.startswith("general "))
    intent_row = next(line for line in result.out.splitlines() if line.startswith("talk "))
    heading = result.out.splitlines()[0]
    if kind == "approximate":
        assert queue_row.endswith("approximate") and intent_row.endswith("approximate")
        assert "approximate" in heading and "talk time lognormal, cv 0.6, not exponential" in result.out
        assert "docs/queue-approximation.md" in result.out
    else:
        assert heading.endswith("all exact (caller chains and queue models)")


def test_analyze_json_keeps_exact_per_figure_set(write, kind):
    result = run_cli("analyze", "--format", "json", write("m.yaml", pool(KINDS[kind])))
    figures = json.loads(result.out)
    exact = kind == "exact"
    assert figures["queues"]["general"]["exact"] is exact
    assert ("approximation" in figures["queues"]["general"]) is not exact
    assert figures["intents"]["talk"]["exact"] is exact and figures["overall"]["exact"] is exact


def test_an_intent_that_reaches_no_approximate_pool_stays_exact():
    text = pool(APPROXIMATE).replace("on_failure: agent\n  balance", "on_failure: bye\n  balance").replace(
        "on_failure: agent}", "on_failure: bye}")
    analysis = analyze_menu(menu(text))
    assert analysis["queues"]["general"]["exact"] is False
    assert analysis["intents"]["talk"]["exact"] is False
    # balance callers never reach the pool here (no 0 pressed, no failure to it)... unless they press 0 at once
    reaches = analysis["intents"]["balance"]["p_queue"] > 0
    assert analysis["intents"]["balance"]["exact"] is (not reaches)


def test_the_reports_analysis_heading_and_table_say_approximate_when_and_only_when(kind):
    analysis = analyze_menu(menu(pool(KINDS[kind])))
    page = render_page(menu=menu(pool(KINDS[kind])), findings=[], metrics={"overall": {}, "intents": {}, "queues": {}},
                       analysis=analysis, params={}, overrides=[], command="ivrlint simulate m.yaml", figures=[])
    section = page.split("nalysis (no simulation)")[1].split("<h2>")[0]
    assert says_so(kind, section)
    assert ("Exact analysis (no simulation)" in page) == (kind == "exact")
    if kind == "approximate":
        assert '<bdi>general</bdi> <small class="flag">approximate</small>' in section


def test_text_tables_of_simulated_figures_never_say_approximate():
    out = io.StringIO()
    render_text({"queues": {"general": {"p_wait": {"mean": 0.5, "ci95": [0.4, 0.6]}}}, "overall": {}}, "sim", out)
    assert "approximate" not in out.getvalue()


def test_t304_and_t305_say_approximate_when_and_only_when_their_figures_are(kind):
    found = [f for f in findings(pool(KINDS[kind], calls=150)) if f.rule in ("overloaded-queue", "long-wait-no-callback")]
    assert {f.rule for f in found} == {"overloaded-queue", "long-wait-no-callback"}
    for f in found:
        assert says_so(kind, f.message), f.message
    if kind == "approximate":
        assert all("(approximate figures: talk time lognormal, cv 0.6, not exponential)" in f.message for f in found)


def test_staff_says_approximate_when_and_only_when_its_analysis_is(write, kind, tmp_path):
    write("m.yaml", pool(KINDS[kind]))
    result = run_cli("staff", "m.yaml", "--target", "service_level>=0.8", "--no-confirm", cwd=tmp_path)
    assert result.code == 0, result.err
    assert says_so(kind, result.out)
    if kind == "approximate":
        assert "analysis approximate (talk time lognormal, cv 0.6, not exponential)" in result.out
        assert "simulate the staffing to confirm it" in result.out
    else:
        assert "analysis exact" in result.out


def test_compare_marks_approximate_measures_when_and_only_when_they_are(write, kind, tmp_path):
    write("base.yaml", pool(KINDS[kind], agents=3))
    write("head.yaml", pool(KINDS[kind], agents=2))
    base, head = "base.yaml", "head.yaml"  # relative: the folder's name says nothing
    for fmt in ("text", "markdown"):
        result = run_cli("compare", base, head, "--format", fmt, cwd=tmp_path)
        assert result.code == 0, result.err
        assert says_so(kind, result.out), fmt
    text = run_cli("compare", base, head, cwd=tmp_path).out
    if kind == "approximate":
        rows = [line for line in text.splitlines() if "Per pool general" in line]
        assert any(r.endswith("approximate") for r in rows if "mean_wait" in r)
        assert not any(r.endswith("approximate") for r in rows if " agents " in r)  # a count is never approximate
        regressions = [line for line in text.splitlines() if "REGRESSION" in line and "mean_wait" in line]
        assert regressions and all(r.endswith("(approximate figures)") for r in regressions)
    report = json.loads(run_cli("compare", base, head, "--format", "json", cwd=tmp_path).out)
    assert report["approximate"]["queues"] == (["general"] if kind == "approximate" else [])
