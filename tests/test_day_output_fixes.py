"""What a fresh-eyes user test found in the output of a whole day (issue 14), each pinned here:
the report's queues over time draw staff by the hour, occupancy is of the counted window, a pool
staffed by the hour shows its range of agents, analyze prints its per-caller table once and names
only the formats it has, and every figure says what it is a share of."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import pytest
from conftest import MENUS, menu, run_cli

from ivrlint.analysis import analyze_menu
from ivrlint.menu.loader import load_menu
from ivrlint.report import figures
from ivrlint.report.page import LABELS, render_page
from ivrlint.report.summary import render_text
from ivrlint.sim import records as R
from ivrlint.sim import run_simulation
from ivrlint.sim.callers import Features
from ivrlint.sim.hourly import Setting, hour_figures
from ivrlint.sim.metrics import replication_metrics
from ivrlint.sim.records import CallRecord, QueueSample, Step

WHOLE_DAY = MENUS / "whole-day.yaml"


@pytest.fixture(scope="module")
def analysis():
    return analyze_menu(load_menu(WHOLE_DAY))


@pytest.fixture(scope="module")
def analyze_text():
    out = run_cli("analyze", str(WHOLE_DAY))
    assert out.code == 0, out.err
    return out.out


# 1. the queues-over-time figure draws the agents on duty hour by hour

def test_queues_over_time_steps_the_agents_on_duty_by_the_hour_and_titles_their_range():
    day = load_menu(WHOLE_DAY)
    samples = {"general": [QueueSample(3600.0 * h, 0, 1) for h in range(25)]}
    fig = figures.queues_over_time(samples, day, start_hour=0.0)
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "pool general: 2-8 agents by the hour"
    duty = [c for c in ax.collections if c.get_label() == "agents on duty"][0]
    levels = {}
    for (a, y), (b, _) in duty.get_segments():
        for h in range(int(round(a)), int(round(b))):
            levels[h] = y
    assert [levels[h] for h in range(24)] == [day.queues["general"].agents_at(h) for h in range(24)]
    plt.close(fig)


def test_a_constant_pool_keeps_its_one_line_and_title():
    samples = {"faults": [QueueSample(3600.0 * h, 0, 1) for h in range(9)]}
    fig = figures.queues_over_time(samples, load_menu(WHOLE_DAY), start_hour=6.5)
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "pool faults: 3 agents"
    duty = [c for c in ax.collections if c.get_label() == "agents on duty"][0]
    assert [[tuple(p) for p in s] for s in duty.get_segments()] == [[(0.0, 3.0), (8.0, 3.0)]]
    plt.close(fig)


# 2. occupancy is the agents' time inside the counted window

def _served(call_id, arrival, wait, talk, enter_after=10.0):
    enter = arrival + enter_after
    record = CallRecord(call_id, 0, arrival, "bill", "en", outcome=R.SERVED, reached_person=True, queue="q",
                        queue_enter=enter, queue_wait=wait, talk_time=talk, end=enter + wait + talk)
    record.steps = [Step("main", arrival, arrival, "1", "key")]
    return record


def test_agent_time_after_the_horizon_is_not_in_the_occupancy():
    # one agent, a 1000 s window: a call talked 0-500 s, and a callback owed at the horizon worked 900-1400 s
    calls = [_served(0, 0.0, 0.0, 500.0, enter_after=0.0), _served(1, 100.0, 790.0, 500.0, enter_after=10.0)]
    day = Setting(end=1000.0, agents={"q": (1,) * 24}, features=Features(callback=frozenset({"q"})))
    q = replication_metrics(calls, ["bill"], {"q": 1}, 1000.0, setting=day)["queues"]["q"]
    assert q["occupancy"] == pytest.approx((500 + 100) / 1000)  # not (500 + 500) / 1000


def test_agent_time_before_the_warm_up_ends_is_not_in_the_occupancy():
    calls = [_served(0, 3500.0, 0.0, 400.0, enter_after=0.0)]  # talks 3500-3900 s; the window starts at 3600 s
    day = Setting(start=3600.0, end=7200.0, agents={"q": (1,) * 24})
    q = replication_metrics(calls, ["bill"], {"q": 1}, 3600.0, setting=day)["queues"]["q"]
    assert q["occupancy"] == pytest.approx(300 / 3600)


CALLBACK_MENU = """
ivr: busy
start: agent
nodes:
  agent: {type: queue, queue: general}
queues:
  general:
    agents: 3
    handle_time: {mean: 240, distribution: exponential}
    callback: {offer_after: 60s, accept: 0.9, ring_back: 20s}
traffic:
  calls_per_hour: 55
  patience: {mean: 120, distribution: exponential}
  intents: {any: {share: 1, goal: agent}}
"""


def test_with_constant_staff_and_callbacks_owed_at_the_horizon_occupancy_stays_within_100_percent():
    busy = menu(CALLBACK_MENU)
    tables: list = []
    run_simulation(busy, hours=4, replications=2, seed=3, jobs=1, keep_records=False, on_calls=tables.append)
    setting = Setting.of(busy, 0.0, 0.0, 4.0)
    assert len(tables) == 2
    for table in tables:
        owed = table.end > 4 * 3600.0
        assert owed.any()  # the drain works calls the window's callers brought
        pool = replication_metrics(table, ["any"], {"general": 3}, 4 * 3600.0, setting=setting)["queues"]["general"]
        hours = hour_figures(table, setting)
        by_hour = sum(h["queues"]["general"]["occupancy"] * 3 * 3600.0 for h in hours if h["covered"])
        assert pool["occupancy"] <= 1.0
        assert pool["occupancy"] == pytest.approx(by_hour / (3 * 4 * 3600.0))  # the hours add up to the pool's


# 3. a pool staffed by the hour shows its range of agents

def test_analyze_shows_the_range_of_agents_of_a_pool_staffed_by_the_hour(analyze_text, analysis):
    table = analyze_text.split("\nqueue ", 1)[1].split("\n\n")[0]
    general, faults = (next(line.split() for line in table.splitlines() if line.startswith(p)) for p in ("general", "faults"))
    assert general[2] == "2-8" and faults[2] == "3"
    queues = analysis["queues"]
    assert queues["general"]["agents"] == 8 and len(queues["general"]["agents_by_hour"]) == 24
    assert "agents_by_hour" not in queues["faults"]


def test_the_reports_analysis_table_shows_the_range_and_the_hours_as_numbers(analysis):
    page = render_page(menu=load_menu(WHOLE_DAY), findings=[], metrics={}, analysis=analysis, params={},
                       overrides=[], command="ivrlint simulate", figures=[])
    assert '<td class="n">2-8</td>' in page and "[2, 2" not in page
    assert "2 2 2 2 2 2 3 4 7 8 8 7" in page
    assert ">p callback offered<" not in page and "offered a callback" in page


# 4. and 5. analyze prints the per-caller table once, and names only its own formats

def test_analyze_prints_the_per_caller_table_once_with_the_redials_line(analyze_text):
    assert analyze_text.count("all callers") == 1
    assert analyze_text.count("\nredials: 60% of callers") == 1
    table = analyze_text.split("per caller (a caller's first call", 1)[1]
    assert table.index("all callers") < table.index("redials: 60%") < table.index("\nqueue ")


def test_analyze_names_only_the_formats_it_has(analyze_text):
    note = next(line for line in analyze_text.splitlines() if line.startswith("note: occupancy by the hour"))
    assert "`hours` in --format json" in note and "csv" not in note and "report" not in note
    assert run_cli("analyze", str(WHOLE_DAY), "--format", "csv").code == 2


def test_simulate_names_its_formats_and_the_report():
    out = io.StringIO()
    hours = [{"hour": h, "covered": True, "queues": {"q": {"agents": 1 + (h > 8), "calls": 1}}} for h in range(24)]
    render_text({"hours": hours}, "heading", out)
    assert "`hours` in --format json or csv, and the report's figure" in out.getvalue()


# 6. every label says what it is a share of

def test_callback_labels_say_of_what(write):
    out = run_cli("simulate", str(write("busy.yaml", CALLBACK_MENU)), "--hours", "2", "--replications", "2",
                  "--jobs", "1", "--quiet")
    assert out.code == 0, out.err
    callbacks = out.out.split("\ncallbacks ", 1)[1].split("\n\n")[0]
    assert "took a callback, of the pool's calls" in callbacks and "wait until called back (s)" in callbacks
    assert "wait s" not in callbacks
    overall = out.out.split("\noverall\n", 1)[1]
    assert "calls that took a callback" in overall


def test_every_figure_of_a_whole_day_has_a_label_on_the_page(analysis):
    result = run_simulation(load_menu(WHOLE_DAY), hours=3, replications=2, seed=1, jobs=1, keep_records=False)
    metrics = result.metrics
    names = set()
    for figures_ in (metrics, analysis):
        for section in ("intents", "queues"):
            for block in (figures_.get(section) or {}).values():
                names |= set(block)
        names |= set(figures_.get("overall") or {})
    assert sorted(n for n in names if n not in LABELS) == []

