"""What `simulate` shows of a whole day (issue 14): text sections only where they apply, CSV rows of
the hours, the report's cards and per-hour figure, and `--records FILE` with the new columns, durably."""

from __future__ import annotations

import csv
import io
import os
import stat
import sys

import pytest
from conftest import MENUS, run_cli
from matplotlib.figure import Figure

from ivrlint.menu.loader import load_menu
from ivrlint.report.day import hour_rows, staffed_by_the_hour
from ivrlint.report.hourly import hours_figure, pools_with_hours
from ivrlint.report.html import write_report
from ivrlint.report.page import render_page
from ivrlint.report.rows import RECORD_COLUMNS, metric_rows, record_rows
from ivrlint.report.style import save
from ivrlint.report.summary import render_csv, render_text
from ivrlint.sim import run_simulation
from ivrlint.sim.records import CallRecord


def v(x):
    return {"mean": x, "ci95": [x, x]}


def hour(h, agents=2, covered=True, pool="general", **figures):
    if not covered:
        return {"hour": h, "covered": False}
    values = {"calls": 10, "mean_wait": 12.0, "p_abandon": 0.05, "service_level": 0.8, **figures}
    queue = {**{k: v(x) for k, x in values.items()}, "agents": v(agents), "occupancy": v(0.6)}
    return {"hour": h, "covered": True, **{k: v(x) for k, x in values.items()}, "queues": {pool: queue}}


def day(agents=(2,) * 24, covered=24):
    return [hour(h, agents[h]) if h < covered else hour(h, covered=False) for h in range(24)]


FIGURES = {
    "intents": {"bill": {"calls": v(10), "callers": v(8), "calls_per_caller": v(1.25),
                         "first_contact_resolution": v(0.7), "callers_never_served": v(0.1)}},
    "queues": {"general": {"calls": v(10), "callbacks_offered": v(4), "callbacks_taken": v(2), "p_callback": v(0.2),
                           "callback_wait": v(130.0), "abandonment_avoided": v(0.05), "redial_calls": v(2),
                           "redial_load": v(0.3)},
               "billing": {"calls": v(5), "redial_calls": v(1), "redial_load": v(0.1), "p_overflow": v(0.2)}},
    "paths": {},
    "overall": {"calls": v(15), "callers": v(12), "calls_per_caller": v(1.25), "first_contact_resolution": v(0.7),
                "callers_never_served": v(0.1), "redial_calls": v(3), "p_callback": v(0.13)},
    "hours": day(agents=(1,) * 8 + (4,) * 10 + (2,) * 6),
}


def text(figures) -> str:
    out = io.StringIO()
    render_text(figures, "heading", out)
    return out.getvalue()


def test_text_shows_callers_callbacks_redials_and_the_hours_of_a_pool_staffed_by_the_hour():
    shown = text(FIGURES)
    assert "per caller (a caller's first call and the redials that follow it)" in shown
    assert "all callers" in shown and "first-contact resolution" in shown and "70.0%" in shown
    callbacks = shown.split("callbacks ", 1)[1].split("\n\n")[0]
    assert "general" in callbacks and "billing" not in callbacks  # billing offers none
    assert "redial load" in shown and "overflowed" in shown
    assert "pool general by the hour" in shown and shown.count("\n08:00 ") == 1
    assert "calls that were redials" in shown and "took a callback" in shown


def test_text_of_a_menu_without_the_features_adds_nothing():
    plain = {"intents": {"bill": {"calls": v(10), "callers": v(10), "calls_per_caller": v(1.0)}},
             "queues": {"general": {"calls": v(10)}}, "paths": {},
             "overall": {"calls": v(10), "callers": v(10), "calls_per_caller": v(1.0)}, "hours": day()}
    shown = text(plain)
    assert "per caller" not in shown and "callbacks" not in shown and "by the hour" not in shown
    assert "calls per caller" not in shown


def test_only_pools_staffed_by_the_hour_get_a_table_of_hours():
    hours = day(agents=(1,) * 12 + (3,) * 12)
    for entry in hours:
        entry["queues"]["faults"] = {"agents": v(2)}
    assert staffed_by_the_hour(hours) == ["general"]
    assert staffed_by_the_hour(day(covered=3)) == []


def test_csv_has_a_row_per_hour_figure_with_the_hour_first():
    hours = [hour(0, pool="=HYPERLINK(1)"), hour(1, covered=False)]
    rows = list(hour_rows({"hours": hours}))
    assert ("hours", "00:00", "service_level", v(0.8)) in rows
    assert ("queue_hours", "00:00 =HYPERLINK(1)", "occupancy", v(0.6)) in rows  # starts with a digit: never a formula
    assert not any(name.startswith("01:00") for _, name, _, _ in rows)
    out = io.StringIO()
    render_csv({"hours": hours}, out)
    lines = out.getvalue().splitlines()
    assert "queue_hours,00:00 =HYPERLINK(1),agents,2.0,2.0,2.0" in lines
    assert ["hours", "00:00", "calls", 10, 10, 10] in [r for r in metric_rows({"hours": hours})]


def test_the_hours_figure_draws_a_panel_per_pool_with_the_agents_on_duty(tmp_path):
    hours = day(agents=(1,) * 8 + (4,) * 10 + (2,) * 6, covered=20)
    for entry in hours[:20]:
        entry["queues"]["idle"] = {"calls": v(0), "agents": v(0)}
    assert pools_with_hours(hours) == ["general"]
    fig = hours_figure(hours)
    assert isinstance(fig, Figure)
    panels = [ax for ax in fig.axes if ax.get_title(loc="left").startswith("pool ")]
    assert [ax.get_title(loc="left") for ax in panels] == ["pool general"]
    steps = [p for ax in fig.axes for p in ax.patches if type(p).__name__ == "StepPatch"]
    assert list(steps[0].get_data().values[:20]) == [1] * 8 + [4] * 10 + [2] * 2
    assert "not simulated" in [t.get_text() for t in fig.legends[0].get_texts()]
    paths = save(fig, str(tmp_path / "hours"))
    assert all(os.path.getsize(p) > 1000 for p in paths)
    assert hours_figure(day(covered=0)) is None


def page(metrics) -> str:
    return render_page(menu=load_menu(MENUS / "bank.yaml"), findings=[], metrics=metrics, analysis=None,
                       params={"replications": 2, "hours": 24, "seed": 1}, overrides=[], command="ivrlint simulate",
                       figures=[])


def test_the_report_has_cards_for_callers_and_callbacks_when_the_menu_has_them():
    shown = page(FIGURES)
    for metric in ("first_contact_resolution", "calls_per_caller", "callers_never_served", "p_callback"):
        assert f'<div class="card"><abbr title="{metric}">' in shown, metric
    plain = {"intents": {"bill": {"calls": v(10), "callers": v(10), "first_contact_resolution": v(0.9)}},
             "queues": {}, "paths": {}, "overall": {"calls": v(10), "first_contact_resolution": v(0.9)}}
    shown = page(plain)
    assert 'title="first_contact_resolution"' not in shown  # without redials: the per-call figures already say it


def test_a_report_of_a_whole_day_has_the_hours_figure(tmp_path):
    whole_day = load_menu(MENUS / "whole-day.yaml")
    result = run_simulation(whole_day, hours=6, replications=2, seed=1, jobs=1)
    folder = tmp_path / "report"
    write_report(result, whole_day, [], str(folder))  # no lint, no analysis: the figures and data alone
    assert (folder / "hours.png").stat().st_size > 1000 and 'src="hours.svg"' in (folder / "index.html").read_text()
    rows = list(csv.reader((folder / "metrics.csv").open(encoding="utf-8")))
    agents = {(r[1], r[3]) for r in rows if r[0] == "queue_hours" and r[2] == "agents"}
    assert {(f"05:00 {name}", f"{float(q.agents_at(5))}") for name, q in whole_day.queues.items()} <= agents
    assert not any(name.startswith("06:") for name, _ in agents)  # a 6-hour run from midnight
    header = next(csv.reader((folder / "records.csv").open(encoding="utf-8")))
    assert header == list(RECORD_COLUMNS) and header[-8:] == ["caller", "attempt", "answered_by", "callback",
                                                                "ring_back", "avoided", "left_at_announcement",
                                                                "overflowed"]


def test_records_of_before_the_whole_day_read_as_first_calls_without_callbacks():
    record = CallRecord(7, 0, 1.0, "bill", "en", queue="general", queue_enter=2.0, queue_wait=1.0, talk_time=30.0,
                        end=33.0, outcome="served")
    row = dict(zip(RECORD_COLUMNS, next(iter(record_rows([record]))), strict=True))
    assert (row["caller"], row["attempt"], row["answered_by"], row["callback"], row["ring_back"]) == (7, 1, "general", 0, "")


class Syncs:
    """Every fsync and replace, in order, as (what, inode)."""

    def __init__(self, monkeypatch):
        self.events: list[tuple[str, int]] = []
        real_fsync, real_replace = os.fsync, os.replace

        def fsync(fd):
            self.events.append(("fsync", os.fstat(fd).st_ino))
            return real_fsync(fd)

        def replace(src, dst, **kwargs):
            real_replace(src, dst, **kwargs)
            self.events.append(("replace", os.stat(dst).st_ino))

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", replace)


def test_records_file_is_fsynced_then_renamed_then_its_folder_fsynced(tmp_path, monkeypatch):
    syncs = Syncs(monkeypatch)
    out = tmp_path / "calls.csv"
    result = run_cli("simulate", MENUS / "whole-day.yaml", "--hours", "2", "--replications", "2", "--jobs", "1",
                     "--quiet", "--records", out)
    assert result.code == 0, result.err
    file, folder = out.stat().st_ino, tmp_path.stat().st_ino
    synced = syncs.events.index(("fsync", file))
    renamed = syncs.events.index(("replace", file), synced)
    assert ("fsync", folder) in syncs.events[renamed:]
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and all(int(r["attempt"]) >= 1 and int(r["caller"]) <= int(r["call_id"]) for r in rows)
    assert sorted(os.listdir(tmp_path)) == ["calls.csv"]


@pytest.mark.skipif(sys.platform == "win32", reason="no FIFOs")
def test_records_to_a_fifo_is_refused_before_the_run(tmp_path):
    fifo = tmp_path / "calls.csv"
    os.mkfifo(fifo)
    result = run_cli("simulate", MENUS / "bank.yaml", "--hours", "1", "--records", fifo, "--quiet")
    assert result.code == 2 and result.err.count("\n") == 1 and "it is a pipe (FIFO)" in result.err
    assert result.out == "" and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_records_through_a_symlink_write_the_file_it_names(tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old\n")
    link = tmp_path / "calls.csv"
    link.symlink_to(target)
    result = run_cli("simulate", MENUS / "bank.yaml", "--hours", "1", "--replications", "1", "--records", link, "--quiet")
    assert result.code == 0, result.err
    assert link.is_symlink() and target.read_text().startswith("replication,call_id,")
    assert sorted(os.listdir(tmp_path)) == ["calls.csv", "real.csv"]
