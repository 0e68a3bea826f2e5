"""`ivrlint simulate MENU`: simulate callers through a menu and its queues."""

from __future__ import annotations

import contextlib
import csv
import math
import os
import sys
import tempfile
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import replace
from typing import TYPE_CHECKING, TextIO

from ivrlint.cli.argtypes import seed
from ivrlint.cli.scaled_shares import warn_if_shares_scaled
from ivrlint.cli.stdout import printing
from ivrlint.errors import InputError, UsageError, write_error
from ivrlint.importers import add_from_option, format_of, read_any
from ivrlint.menu.document import Document
from ivrlint.menu.model import Menu
from ivrlint.report.summary import render_csv, render_json, render_text
from ivrlint.sim import SimulationResult, run_simulation
from ivrlint.sim.requirements import traffic_of

if TYPE_CHECKING:
    from ivrlint.sim.table import CallTable


def add_parser(sub) -> None:
    p = sub.add_parser(
        "simulate", help="simulate callers through a menu (SimPy)",
        description="Simulate callers through a menu and its agent pools; every figure is the mean over "
                    "replications with a 95% confidence interval. The menu needs a 'traffic' section.",
    )
    p.add_argument("menu", metavar="MENU", help="a menu file (any format `ivrlint check` reads)")
    add_from_option(p)
    p.add_argument("--hours", type=float, default=None, metavar="H",
                   help="simulated hours per replication (default: 24 when a pool keeps hours that shut it for part "
                        "of the day or calls_per_hour lists 24 hourly rates, so the run covers the day `analyze` "
                        "covers; else 8)")
    p.add_argument("--replications", type=int, default=10, metavar="R", help="independent replications (default: 10)")
    p.add_argument("--seed", type=seed, default=1, metavar="S", help="random seed; the same seed gives the same numbers (default: 1)")
    p.add_argument("--jobs", type=int, default=None, metavar="N", help="parallel processes (default: all cores)")
    p.add_argument("--warmup", type=float, default=0.0, metavar="W", help="hours simulated first and not counted (default: 0)")
    add_set_option(p)
    p.add_argument("--format", choices=("text", "json", "csv"), default="text", help="output format (default: text)")
    p.add_argument("--report", nargs="?", const="", default=None, metavar="DIR",
                   help="also write an HTML report with figures and data (default DIR: reports/<menu id>/)")
    p.add_argument("--records", metavar="FILE", default=None,
                   help="also write every simulated call to FILE as CSV, one row per call with the columns of the "
                        "report's records.csv, replication by replication (whole or not at all)")
    p.add_argument("--quiet", action="store_true", help="no progress bar (it only shows on a terminal anyway)")
    p.set_defaults(run=run)


def add_set_option(parser) -> None:
    parser.add_argument("--set", action="append", default=[], dest="overrides", metavar="PATH=VALUE",
                        help="override a value of the menu, e.g. queues.general.agents=10 (repeatable)")


def load(args) -> Menu:
    """The menu named on the command line, with --set overrides applied."""
    return load_document(args).menu


def load_document(args) -> Document:
    """The menu named on the command line as read, its menu with --set overrides applied."""
    document = read_any(args.menu, args.source_format)
    menu = document.menu
    fmt = args.source_format or format_of(args.menu)
    if menu.traffic is None and fmt != "yaml":  # traffic is ours to add, in YAML
        raise InputError.at(menu.loc, f"a platform's menu carries no traffic; convert it with `ivrlint import {fmt} "
                            f"{args.menu} -o line.yaml`, fill in the traffic section it sketches, and run this on line.yaml",
                            menu.file)
    if args.overrides:
        from ivrlint.menu.overrides import apply_overrides

        menu = apply_overrides(menu, args.overrides)
    warn_if_shares_scaled(menu)
    return replace(document, menu=menu)


def simulate(args, progress=None, menu: Menu | None = None, keep_records: bool = True,
             on_calls: Callable[[CallTable], None] | None = None) -> SimulationResult:
    """Run the simulation the arguments ask for (on `menu`, else the one they name);
    `progress(done, total)` hears of each replication, `on_calls` gets each one's
    calls, and `keep_records` keeps them all in the result (for a report)."""
    menu = menu or load(args)
    return run_simulation(menu, hours=args.hours, replications=args.replications, seed=args.seed, jobs=args.jobs,
                          warmup=args.warmup, progress=progress, keep_records=keep_records, on_calls=on_calls)


def show(result: SimulationResult, fmt: str, stream: TextIO, title: str = "") -> None:
    """Print a result as text tables, JSON or CSV."""
    if fmt == "json":
        render_json({"params": result.params, **result.metrics}, stream)
    elif fmt == "csv":
        render_csv(result.metrics, stream)
    else:
        render_text(result.metrics, heading(result, title), stream)


def heading(result: SimulationResult, title: str) -> str:
    p = result.params
    runs = "1 replication: no confidence interval" if p["replications"] == 1 else \
        f"{p['replications']} replications, mean ±half-width of the 95% confidence interval"
    warm = f" after {p['warmup']:g} h warm-up" if p["warmup"] else ""
    minutes = round((p.get("start_hour") or 0.0) * 60)  # a flat rate's run starts when the pools open
    clock = f" from {minutes // 60:02d}:{minutes % 60:02d}" if minutes else ""
    return f"{title}simulated {p['hours']:g} h{clock}{warm}, {runs} (seed {p['seed']})"


def warn_if_too_few_calls(result: SimulationResult, menu: Menu, shown: str) -> None:
    """A run too short for calls to arrive (less than one a replication) has
    empty or meaningless figures and report: say so on stderr, with hours
    that would do."""
    calls, p = (result.metrics.get("overall", {}).get("calls") or {}).get("mean"), result.params
    if calls is None or calls >= 1:
        return
    total = round(calls * p["replications"])
    ran = f"{p['replications']} replications of {p['hours']:g} h" if p["replications"] > 1 else f"{p['hours']:g} h"
    arrived = "no call arrived" if total == 0 else f"only {total} call{'s' * (total != 1)} arrived"
    rates = traffic_of(menu).calls_per_hour  # the run simulated it: the menu has traffic
    rate = sum(rates) / len(rates)
    hours = 100 / rate if rate > 0 else math.inf  # a denormal rate (4.9e-324) makes this inf, not a number of hours
    if rate <= 0:
        advice = "traffic.calls_per_hour is 0"
    elif hours > 1e6:
        advice = f"at {rate:g} calls per hour no run is long enough; raise traffic.calls_per_hour"
    else:
        advice = f"at {rate:g} calls per hour, --hours {math.ceil(hours):g} or more gives about 100 calls"
    print(f"{shown}: warning: {arrived} in {ran}; {advice}", file=sys.stderr)


def run(args) -> int:
    from ivrlint.common.progress import progress_bar

    document, report = load_document(args), None
    menu = document.menu
    if args.report is not None:  # check the folder before a long run, not after
        from ivrlint.report.html import ReportJob

        report = ReportJob(document, args.report or None, args.overrides)
    with RecordsFile(args.records) if args.records else nullcontext() as records:
        result = simulate(args, progress_bar(args.quiet), menu, keep_records=report is not None,
                          on_calls=records.write if records else None)
    warn_if_too_few_calls(result, menu, args.menu)
    with printing():  # `simulate --report DIR | head` still writes the report
        show(result, args.format, sys.stdout, title=f"{args.menu}: ")
    if report is not None:
        print(f"report: {report.write(result)}", file=sys.stderr)
    return 0


class RecordsFile:
    """``--records FILE``: every call as a CSV row, written into a hidden file
    beside FILE as replications finish and renamed to FILE at the end, so an
    interrupted run leaves no half file where FILE should be. The file is
    fsynced before the rename and its folder after it (as ``common.atomic``
    writes files), so once the command has said it is done, a power cut
    brings back the whole new file, not the old one or none. A symlink is
    written through; a FIFO or a device is refused before the run."""

    def __init__(self, path: str):
        from ivrlint.common.atomic import remove_stale_files, writable_target

        self.path = path
        if os.path.isdir(path):
            raise UsageError(f"--records {path}: that is a folder; name a file, e.g. {os.path.join(path, 'calls.csv')}")
        self.target = writable_target(path)
        folder = os.path.dirname(self.target)
        if not os.path.isdir(folder):
            raise UsageError(f"cannot write {path}: folder {folder} does not exist")
        remove_stale_files(self.target)  # what a killed run left
        try:  # in the folder of FILE, so that the rename at the end stays on one file system
            fd, self.partial = tempfile.mkstemp(prefix=f".{os.path.basename(self.target)}.", suffix=".partial", dir=folder)
        except OSError as exc:
            raise write_error(path, exc) from None
        from ivrlint.report.rows import RECORD_COLUMNS

        self.stream = os.fdopen(fd, "w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.stream, lineterminator="\n")
        self.writer.writerow(RECORD_COLUMNS)

    def write(self, calls: CallTable) -> None:
        from ivrlint.report.rows import call_rows

        try:
            self.writer.writerows(call_rows(calls))
        except OSError as exc:  # a full disk
            raise write_error(self.path, exc) from None

    def __enter__(self) -> RecordsFile:
        return self

    def __exit__(self, kind, error, trace) -> None:
        from ivrlint.common.atomic import fsync_folder

        try:
            if kind is None:
                self.stream.flush()
                os.fsync(self.stream.fileno())
            self.stream.close()
            if kind is None:
                os.chmod(self.partial, 0o644)
                os.replace(self.partial, self.target)
                fsync_folder(os.path.dirname(self.target))
        except OSError as exc:
            raise write_error(self.path, exc) from None
        finally:
            if not self.stream.closed:  # a flush that failed (a full disk) still lets go of the file
                with contextlib.suppress(OSError):
                    self.stream.close()
            if os.path.exists(self.partial):
                os.remove(self.partial)
