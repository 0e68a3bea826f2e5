"""Metrics, records and samples as rows: for CSV files and for the HTML tables.

Metric values are shown in the unit a reader thinks in: shares as percent,
times in seconds (minutes past ten minutes), counts as they are. CSV cells
that come from the menu (intent, queue, node names, paths) and start with
``=``, ``+``, ``-``, ``@`` are prefixed with ``'`` so that a spreadsheet
shows them as text instead of running them as formulas (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from ivrlint.common.text import safe_cell
from ivrlint.report.day import hour_rows
from ivrlint.report.summary import decimals
from ivrlint.sim.metrics import COUNTS
from ivrlint.sim.records import OUTCOMES, CallRecord, QueueSample
from ivrlint.sim.table import CallTable

#: Columns of records.csv, in order. The columns of a whole day come last, so that a reader of the
#: columns before them by position reads the same file: ``caller`` (the call_id of the caller's first
#: call), ``attempt`` (1 for a first call), ``answered_by`` (the pool whose agent answered; ``queue`` is
#: the one waited for first), ``callback`` (0 no offer, 1 declined, 2 taken), ``ring_back`` (seconds),
#: ``avoided``, ``left_at_announcement``, ``overflowed`` (0 or 1). A menu without those features has
#: each call its own caller, attempt 1, the pool it talked at, and zeros.
RECORD_COLUMNS = (
    "replication", "call_id", "arrival", "intent", "language", "outcome", "ivr_seconds", "keypresses", "menus_heard",
    "retries", "reached_goal", "reached_person", "queue", "queue_wait", "talk_time", "end", "path",
    "caller", "attempt", "answered_by", "callback", "ring_back", "avoided", "left_at_announcement", "overflowed",
)
_TEXT_COLUMNS = {"intent", "language", "queue", "path", "outcome", "answered_by"}

#: Metric names shown first, in this order; others follow alphabetically.
PREFERRED = ("calls", "share", "ivr_seconds", "keypresses", "menus_heard", "retries", "p_goal", "p_person",
             "p_contained", "containment", "p_abandon", "p_wait", "mean_wait", "median_wait", "p90_wait",
             "service_level", "occupancy", "offered_load", "agents", "resolution_seconds", "overloaded")


def to_csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(header))
    writer.writerows(rows)
    return buffer.getvalue()


def _number(value: float | None) -> Any:
    return "" if value is None else round(value, 3)


def record_rows(records: Iterable[CallRecord]) -> Iterable[list[Any]]:
    """One row per call, columns as RECORD_COLUMNS."""
    for r in records:
        row = {
            "replication": r.replication, "call_id": r.call_id, "arrival": _number(r.arrival), "intent": r.intent,
            "language": r.language, "outcome": r.outcome, "ivr_seconds": _number(r.ivr_seconds),
            "keypresses": r.keypresses, "menus_heard": r.menus_heard, "retries": r.retries,
            "reached_goal": int(r.reached_goal), "reached_person": int(r.reached_person), "queue": r.queue or "",
            "queue_wait": _number(r.queue_wait), "talk_time": _number(r.talk_time), "end": _number(r.end),
            "path": r.path, **_day_fields(r),
        }
        yield [safe_cell(row[c]) if c in _TEXT_COLUMNS else row[c] for c in RECORD_COLUMNS]


def _day_fields(r: CallRecord) -> dict[str, Any]:
    """A record's whole-day columns (a record of before them: its own caller, a first call, no callback)."""
    answered_by = getattr(r, "answered_by", None)
    if answered_by is None and r.talk_time is not None:
        answered_by = r.queue
    caller = getattr(r, "caller", -1)
    return {"caller": r.call_id if caller is None or caller < 0 else caller, "attempt": getattr(r, "attempt", 1),
            "answered_by": answered_by or "", "callback": getattr(r, "callback", 0),
            "ring_back": _number(getattr(r, "ring_back", None)), "avoided": int(getattr(r, "avoided", False)),
            "left_at_announcement": int(getattr(r, "left_at_announcement", False)),
            "overflowed": int(getattr(r, "overflowed", False))}


def call_rows(calls: CallTable, chunk: int = 100_000) -> Iterator[list[Any]]:
    """The rows `record_rows` gives for the same calls, read from a replication's
    columns (no object per call, a chunk of rows converted at a time)."""
    texts = {"intent": [safe_cell(n) for n in calls.intents], "language": [safe_cell(n) for n in calls.languages],
             "queue": [safe_cell(n) for n in calls.queues] + [""], "path": [safe_cell(n) for n in calls.path_names],
             "outcome": [safe_cell(n) for n in OUTCOMES]}
    day = _day_columns(calls)
    for at in range(0, len(calls), chunk):
        part = slice(at, at + chunk)
        arrival, end, enter = calls.arrival[part], calls.end[part], calls.queue_enter[part]
        ivr = np.where(np.isnan(enter), end, enter) - arrival  # as CallRecord.ivr_seconds
        numbers = [["" if x != x else round(x, 3) for x in column.tolist()]  # as _number: NaN is the record's None
                   for column in (arrival, ivr, calls.queue_wait[part], calls.talk_time[part], end)]
        names = [[texts[kind][code] for code in column[part].tolist()]
                 for kind, column in (("intent", calls.intent), ("language", calls.language), ("outcome", calls.outcome),
                                      ("queue", calls.queue), ("path", calls.path))]
        counts = [column[part].tolist() for column in (calls.keypresses, calls.menus_heard, calls.retries)]
        flags = [column[part].astype(int).tolist() for column in (calls.reached_goal, calls.reached_person)]
        first = calls.first_id + at
        extra = day(part, first, texts["queue"])
        for k, (arrival_, ivr_, wait, talk, end_, intent, language, outcome, queue, path, keys, menus, retries, goal,
                person, more) in enumerate(zip(*numbers, *names, *counts, *flags, extra, strict=True)):
            yield [calls.replication, first + k, arrival_, intent, language, outcome, ivr_, keys, menus, retries, goal,
                   person, queue, wait, talk, end_, path, *more]


def _day_columns(calls: CallTable):
    """A function giving the whole-day columns of a chunk of rows, each row's as a list."""
    def rows(part: slice, first: int, queues: list[str]) -> Iterator[list[Any]]:
        n = len(calls.arrival[part])
        talked = ~np.isnan(calls.talk_time[part])
        if not getattr(calls, "whole_day", False):  # a table without them: the values they would have
            queue = calls.queue[part].tolist()
            for k, talk in enumerate(talked.tolist()):
                yield [first + k, 1, queues[queue[k]] if talk else "", 0, "", 0, 0, 0]
            return
        caller, attempt = calls.caller[part].tolist(), calls.attempt[part].tolist()
        by = [queues[code] for code in calls.answered_by[part].tolist()]
        ring = ["" if x != x else round(x, 3) for x in calls.ring_back[part].tolist()]
        flags = [column[part].astype(int).tolist() for column in
                 (calls.callback, calls.avoided, calls.left_at_announcement, calls.overflowed)]
        for k in range(n):
            yield [caller[k], attempt[k], by[k], flags[0][k], ring[k], flags[1][k], flags[2][k], flags[3][k]]

    return rows


def sample_rows(samples: dict[str, list[QueueSample]]) -> Iterable[list[Any]]:
    for pool in sorted(samples):
        for s in samples[pool]:
            yield [safe_cell(pool), _number(s.time), s.waiting, s.busy]


def metric_rows(metrics: dict) -> Iterable[list[Any]]:
    """(section, name, metric, mean, ci95_low, ci95_high) for every metric of a simulate/analyze result,
    the hours' after the sections' (sections ``hours`` and ``queue_hours``, as ``simulate --format csv``)."""
    for section in ("overall", "intents", "queues", "paths"):
        block = metrics.get(section) or {}
        named = {"": block} if section == "overall" else block
        for name, values in named.items():
            if not isinstance(values, dict):
                continue
            for metric, value in values.items():
                mean, low, high = split(value)
                yield [section, safe_cell(name), metric, _plain(mean), _plain(low), _plain(high)]
    for section, name, metric, value in hour_rows(metrics):  # the 24 hours, overall and per pool (report/day.py)
        mean, low, high = split(value)
        yield [section, name, metric, _plain(mean), _plain(low), _plain(high)]


def _plain(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return "" if value is None else int(value)
    return round(value, 6) if isinstance(value, float) else value


def split(value: Any) -> tuple[Any, Any, Any]:
    """(mean, low, high) of a metric written as {"mean", "ci95"} or as a plain number."""
    if isinstance(value, dict):
        ci = value.get("ci95") or [None, None]
        return value.get("mean"), ci[0], ci[1]
    return value, None, None


def metric_names(block: dict) -> list[str]:
    """Every metric named in a block of {name: {metric: value}}, preferred ones first."""
    seen: dict[str, None] = {}
    for values in block.values():
        if isinstance(values, dict):
            seen.update(dict.fromkeys(values))
    order = {m: i for i, m in enumerate(PREFERRED)}
    return sorted(seen, key=lambda m: (order.get(m, len(order)), m))


#: Metrics shown as percent besides those named p_*.
PERCENT = ("service_level", "occupancy", "containment", "share", "first_contact_resolution", "callers_never_served",
           "abandonment_avoided")
#: Metrics in seconds besides those named *_wait, *_seconds, *_time, *_talk.
SECONDS = ("time_to_resolution", "resolution")


def show(metric: str, value: Any) -> str:
    """A metric value as a reader wants it: 84%, 47.7 s, 3.2 min, 1.45,
    with the decimals of the text tables (``sim.tables.decimals``)."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, (int, float)):
        return str(value)
    if metric.startswith("p_") or metric in PERCENT:
        return f"{value * 100:.1f}%"
    if metric.endswith(("_wait", "_seconds", "_time", "_talk")) or metric in SECONDS:
        return f"{value / 60:.1f} min" if abs(value) >= 600 else f"{value:.1f} s"
    return f"{value:,.{decimals(value, 'c' if metric in COUNTS else 'n')}f}"
