"""The report folder: index.html, the figures beside it, and the data behind them.

``write_report`` builds everything in a hidden temporary folder and moves
it into place at the end (``atomic``), so an interrupted run never leaves a
report that looks complete. The folder then holds:

* ``index.html``: opens offline, links only to files in the folder;
* ``menu``, ``queue-waits``, ``time-per-intent``, ``outcomes``,
  ``queues-over-time``, ``hours`` as ``.svg`` (shown on the page) and ``.png``;
* ``metrics.json`` (metrics, parameters, the command), ``metrics.csv``,
  ``records.csv`` (one row per call), ``samples.csv`` (queues over time),
  ``edges.csv`` (calls per move), ``findings.json``, and ``analysis.json``
  when the analysis ran.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import sys
from collections.abc import Sequence
from typing import Any

from ivrlint import __version__
from ivrlint.common.atomic import check_replaceable, report_folder
from ivrlint.errors import InputError, UsageError
from ivrlint.lint.findings import Finding
from ivrlint.menu.digraph import build_graph
from ivrlint.menu.document import Document
from ivrlint.menu.model import Menu
from ivrlint.report import figures
from ivrlint.report.drawing import draw_menu
from ivrlint.report.flows import call_flows
from ivrlint.report.hourly import hours_figure
from ivrlint.report.page import render_page
from ivrlint.report.rows import RECORD_COLUMNS, metric_rows, record_rows, safe_cell, sample_rows, to_csv
from ivrlint.report.style import figure_style, save

#: (file stem, caption) of each figure, in page order.
FIGURES = (
    ("menu", "The menu as callers move through it: arrow width is the share of calls that took each move; "
             "nodes with lint findings are outlined in red."),
    ("outcomes", "How calls ended, per intent."),
    ("queue-waits", "How fast each pool answers: the share of queued callers answered within t seconds."),
    ("time-per-intent", "Seconds in the menu and minutes until the caller's need is met, per intent."),
    ("queues-over-time", "Callers waiting and agents busy over the simulated day of the first replication, "
                         "against the agents on duty (hour by hour for a pool staffed by the hour); "
                         "a pool's closed hours shaded."),
    ("hours", "Hour by hour, per pool: the share of callers answered within 20 s and the agents' occupancy "
              "(mean over replications, bars the 95% confidence interval), against agents on duty; callers by the "
              "clock hour they arrived, occupancy by the agents' time in that hour."),
)
#: Figures that count calls: they count the calls of every replication together.
TOTALS = ("menu", "outcomes", "queue-waits")


def write_report(result, menu: Menu, findings: Sequence[Finding], out_dir: str, analysis: dict | None = None,
                 *, command: str | None = None, overrides: Sequence[str] = ()) -> str:
    """Write the report for a simulation `result` of `menu` into `out_dir`; returns the index.html path.

    `overrides` are the ``--set PATH=VALUE`` what-ifs the run used and
    `command` the command line that repeats it (built from the parameters
    when not given).
    """
    params = dict(getattr(result, "params", {}) or {})
    overrides = list(overrides or params.get("overrides") or [])
    command = command or repeat_command(menu, params, overrides, out_dir)
    with report_folder(out_dir) as folder:
        shown = _write_figures(folder, result, menu, findings)
        _write_data(folder, result, menu, findings, analysis, params, overrides, command)
        page = render_page(menu=menu, findings=findings, metrics=result.metrics, analysis=analysis, params=params,
                           overrides=overrides, command=command,
                           figures=[(stem, figure_caption(stem, caption, params.get("replications")))
                                    for stem, caption in FIGURES if stem in shown])
        with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as fh:
            fh.write(page)
    return os.path.join(out_dir, "index.html")


def figure_caption(stem: str, caption: str, replications: int | None) -> str:
    """A figure's caption, saying what its counts count where it has any: the page's cards and
    tables give calls per replication, a figure's numbers are of all replications together."""
    if stem not in TOTALS or not replications or replications == 1:
        return caption
    return (f"{caption} Its numbers of calls are of all {replications} replications together: "
            f"{replications} times the calls per replication in the cards and tables.")


class ReportJob:
    """What ``ivrlint simulate --report [DIR]`` adds to a run: the folder is checked before the
    simulation starts; afterwards the simulated menu is linted, analysed when the analysis
    can, and the report written (to ``reports/<menu id>/`` by default)."""

    def __init__(self, document: Document, out_dir: str | None, overrides: Sequence[str] = ()):
        self.document = document
        self.menu = menu = document.menu
        self.out_dir = out_dir or default_report_dir(menu)
        self.overrides = list(overrides)
        check_replaceable(os.path.abspath(self.out_dir))

    def write(self, result) -> str:
        from ivrlint.lint.run import lint_document

        analysis = None
        try:
            from ivrlint.analysis import analyze_menu

            analysis = analyze_menu(self.menu)
        except (ImportError, ValueError, ArithmeticError, UsageError, InputError) as exc:
            print(f"ivrlint: the report has no analysis: {exc}", file=sys.stderr)
        return write_report(result, self.menu, lint_document(self.document), self.out_dir, analysis, overrides=self.overrides)


def default_report_dir(menu: Menu) -> str:
    """``reports/<menu id>``, the id made safe as one folder name (no slashes, no leading dots)."""
    name = re.sub(r"[^\w.-]+", "-", menu.ivr, flags=re.UNICODE).strip("-.") or "menu"
    return os.path.join("reports", name[:100])


def repeat_command(menu: Menu, params: dict, overrides: Sequence[str], out_dir: str) -> str:
    """The ivrlint command line that runs the same simulation again."""
    words = ["ivrlint", "simulate", menu.file]
    for flag, key in (("--hours", "hours"), ("--replications", "replications"), ("--seed", "seed"),
                      ("--warmup", "warmup")):
        if params.get(key) is not None and not (key == "warmup" and not params[key]):
            words += [flag, _number(params[key])]
    for override in overrides:
        words += ["--set", override]
    words += ["--report", out_dir]
    return " ".join(shlex.quote(str(w)) for w in words)


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _write_figures(folder: str, result, menu: Menu, findings: Sequence[Finding]) -> set[str]:
    """Draw every figure the run has data for; returns the stems written."""
    records = result.records
    made = {
        "menu": lambda: draw_menu(menu, findings, records),
        "outcomes": lambda: figures.outcomes(records),
        "queue-waits": lambda: figures.queue_waits(records),
        "time-per-intent": lambda: figures.time_per_intent(records),
        "queues-over-time": lambda: figures.queues_over_time(result.samples or {}, menu,
                                                             result.params.get("start_hour", 0.0)),
        "hours": lambda: hours_figure(result.metrics.get("hours") or []),
    }
    written = set()
    with figure_style():
        for stem, draw in made.items():
            fig = draw()
            if fig is not None:
                save(fig, os.path.join(folder, stem))
                written.add(stem)
    return written


def _write_data(folder: str, result, menu: Menu, findings, analysis, params, overrides, command) -> None:
    def put(name: str, text: str) -> None:
        with open(os.path.join(folder, name), "w", encoding="utf-8", newline="") as fh:
            fh.write(text)

    def as_json(data: Any) -> str:
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False, default=str) + "\n"

    about = {"ivrlint": __version__, "menu": menu.ivr, "file": menu.file, "params": params, "overrides": overrides,
             "command": command}
    put("metrics.json", as_json({**about, **result.metrics}))
    put("metrics.csv", to_csv(["section", "name", "metric", "mean", "ci95_low", "ci95_high"], metric_rows(result.metrics)))
    put("records.csv", to_csv(RECORD_COLUMNS, record_rows(result.records)))
    put("samples.csv", to_csv(["pool", "time", "waiting", "busy"], sample_rows(result.samples or {})))
    put("edges.csv", to_csv(["source", "target", "calls", "share"], _edge_rows(menu, result.records)))
    put("findings.json", as_json([f.as_dict() for f in findings]))
    if analysis is not None:
        put("analysis.json", as_json({**about, **analysis}))


def _edge_rows(menu: Menu, records):
    flows = call_flows(records)
    for source, target in build_graph(menu).edges:
        calls = flows.edge_calls[source, target]
        yield [safe_cell(source), safe_cell(target), calls, round(flows.edge_share(source, target), 6)]
