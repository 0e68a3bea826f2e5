"""Readable views of simulation and analysis figures: text tables, CSV, JSON.

Both commands share these views; a simulated figure is
``{"mean": x, "ci95": [low, high]}`` and shows as ``x ±half``, an analysed
one is a plain number. Names in text tables are written with their control
characters escaped, as `check` writes them, so none reaches the terminal.
Columns are padded by display width (``ivrlint.common.table``), so a CJK
name, 2 columns a character, keeps its row in line.
"""

from __future__ import annotations

import csv
import json
import math
from typing import Any, TextIO

from ivrlint.common.table import display_width, format_rows, pad
from ivrlint.common.text import printable, safe_cell
from ivrlint.report.day import (
    CALLBACK_COLUMNS,
    CALLER_COLUMNS,
    HOUR_COLUMNS,
    OVERALL_DAY_ROWS,
    POOL_DAY_COLUMNS,
    hour_rows,
    staffed_by_the_hour,
)

#: (metric, column title, kind) for each table; kinds: p (share), s (seconds),
#: c (a count of calls), n (other numbers).
INTENT_COLUMNS = (("calls", "calls", "c"), ("ivr_seconds", "menu s", "s"), ("keypresses", "keys", "n"),
                  ("p_goal", "goal", "p"), ("containment", "self-served", "p"), ("p_person", "person", "p"),
                  ("p_abandon", "abandoned", "p"), ("p_hung_up", "hung up", "p"), ("mean_wait", "wait s", "s"))
QUEUE_COLUMNS = (("calls", "calls", "c"), ("offered_load", "load", "n"), ("agents", "agents", "n"),
                 ("p_wait", "waited", "p"), ("p_abandon", "abandoned", "p"), ("mean_wait", "wait s", "s"),
                 ("p90_wait", "p90 wait s", "s"), ("service_level", "in 20 s", "p"), ("occupancy", "occupancy", "p"))
OVERALL_ROWS = (("calls", "calls", "c"), ("ivr_seconds", "seconds in the menu", "s"), ("keypresses", "keypresses", "n"),
                ("menus_heard", "menus heard", "n"), ("retries", "retries", "n"), ("p_goal", "reached their goal", "p"),
                ("containment", "self-served (contained)", "p"), ("p_person", "talked to a person", "p"),
                ("p_misrouted", "  ...the wrong person", "p"), ("p_abandon", "abandoned in a queue", "p"),
                ("p_hung_up", "hung up in the menu", "p"), ("p_disconnected", "disconnected by the menu", "p"),
                ("p_closed", "  ...at a closed pool", "p"),
                ("p_voicemail", "left a voicemail", "p"), ("p_lost", "lost in the menu", "p"),
                ("mean_wait", "mean queue wait (s)", "s"), ("median_wait", "median queue wait (s)", "s"),
                ("p90_wait", "90th percentile wait (s)", "s"), ("service_level", "answered within 20 s", "p"),
                ("time_to_resolution", "dialling to resolution (s)", "s"))
PATHS_SHOWN = 10
#: Overall figures that come from the pools' queue figures: approximate when a pool's are.
QUEUE_FIGURES = ("p_person", "p_misrouted", "p_abandon", "mean_wait", "median_wait", "p90_wait", "service_level",
                 "time_to_resolution")


def cell(value: Any, kind: str) -> str:
    """One figure as text: a number, or a mean with the half-width of its CI
    (the interval itself, ``x (low-high)``, where clipping to the metric's
    range made it lopsided)."""
    if isinstance(value, dict):
        mean, (low, high) = value.get("mean"), value.get("ci95", [None, None])
        if mean is None:
            return "-"
        places = decimals(mean, kind)
        text = _number(mean, kind, places)
        if low is not None and high is not None and high - low > 0:
            if abs((high - mean) - (mean - low)) > 1e-9 * max(1.0, abs(mean)):
                text += f" ({_number(low, kind, places)}-{_number(high, kind, places)})"
            else:
                text += " ±" + _number((high - low) / 2, kind, places)
        return text
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):  # words, such as a range of agents ("2-8")
        return value
    return "-" if value is None else _number(value, kind, decimals(value, kind))


def decimals(x: float, kind: str) -> int:
    """Decimals to show, the one rule of the tables and the HTML report:
    shares (as percent) and seconds with 1; a count of calls, a mean over
    replications, whole when it is whole or 100 and more, else with 1 (90.8
    calls, not 90.75); other numbers by size (1.36 keypresses, 12.4, 1288),
    a whole-number type (agents) whole.

    >>> [decimals(x, "c") for x in (90.75, 6.5, 33.0, 1288.4)], decimals(1.0, "n"), decimals(4, "n")
    ([1, 1, 0, 0], 2, 0)
    """
    if kind in ("p", "s"):
        return 1
    if not math.isfinite(x) or isinstance(x, int) or abs(x) >= 100:
        return 0
    if kind == "c":
        return 0 if abs(x - round(x)) < 1e-9 else 1
    return 1 if abs(x) >= 10 else 2


def _number(x: float, kind: str, places: int) -> str:
    if not math.isfinite(x):
        return "inf"
    return f"{100 * x:.{places}f}%" if kind == "p" else f"{x:.{places}f}"


def _table(title: str, rows: dict, columns, stream: TextIO, flag: str | None = None) -> None:
    columns = [c for c in columns if any(c[0] in figures for figures in rows.values())]
    if not rows:
        return
    header = [title] + [c[1] for c in columns]
    body = []
    for name, figures in rows.items():
        line = [printable(name)] + [cell(figures.get(metric), kind) for metric, _, kind in columns]
        if flag and figures.get(flag):
            line.append(flag.upper())
        if figures.get("exact") is False:  # analysed figures that rest on an approximation say so
            line.append("approximate")
        body.append(line)
    # the name left, the figures right, flags (OVERLOADED, approximate) after them
    for text in format_rows([header] + body, "<" + ">" * len(columns)):
        stream.write(text + "\n")
    stream.write("\n")


#: Where a command's figures hour by hour are besides its text (the hours note names only what it has).
SIMULATE_HOURS = "`hours` in --format json or csv, and the report's figure (--report)"
ANALYZE_HOURS = "`hours` in --format json"


def render_text(figures: dict, heading: str, stream: TextIO, hours_elsewhere: str = SIMULATE_HOURS) -> None:
    """Tables per intent and per queue (and, where the menu has them, per caller, of callbacks, redials,
    announcements and overflow, and by the hour), the most travelled paths, and the overall figures.
    `hours_elsewhere`: where the command that prints them gives every pool's hours."""
    stream.write(printable(heading) + "\n\n")
    _table("intent", figures.get("intents", {}), INTENT_COLUMNS, stream)
    _render_callers(figures, stream)
    _table("queue", {name: with_agent_range(f) for name, f in figures.get("queues", {}).items()}, QUEUE_COLUMNS,
           stream, flag="overloaded")
    _render_pool_features(figures, stream)
    paths = list(figures.get("paths", {}).items())[:PATHS_SHOWN]
    if paths:
        stream.write(f"most travelled paths (of {len(figures['paths'])})\n")
        for path, p in paths:
            stream.write(f"  {pad(cell(p.get('share'), 'p'), 14, '>')}  {printable(path)}\n")
        stream.write("\n")
    _render_hours(figures, stream, hours_elsewhere)
    overall = figures.get("overall", {})
    rows = OVERALL_ROWS + OVERALL_DAY_ROWS
    width = max(display_width(label) for _, label, _ in rows)
    stream.write("overall\n")
    rough = overall.get("exact") is False
    lines = [(label, cell(overall[metric], kind), rough and metric in QUEUE_FIGURES)
             for metric, label, kind in rows if metric in overall]
    values = max((display_width(value) for _, value, _ in lines), default=0)
    for label, value, mark in lines:
        stream.write(f"  {pad(label, width)}  {pad(value, values) + '  approximate' if mark else value}\n")
    for note in figures.get("notes", []) + approximation_notes(figures):
        stream.write(f"note: {printable(note)}\n")


def _render_callers(figures: dict, stream: TextIO) -> None:
    """The per-caller table (intents and all callers) when callers redial: the simulation counts the
    redials (``redial_calls``), the analysis says how it solved them (``redials``)."""
    overall = figures.get("overall") or {}
    if "redial_calls" not in overall and not figures.get("redials"):
        return
    wanted = [metric for metric, _, _ in CALLER_COLUMNS]
    rows = {**{name: f for name, f in (figures.get("intents") or {}).items() if any(m in f for m in wanted)},
            "all callers": overall}
    stream.write("per caller (a caller's first call and the redials that follow it)\n")
    _table("intent", rows, CALLER_COLUMNS, stream)
    line = redials_line(figures.get("redials") or {})
    if line:
        stream.write(line + "\n\n")


def redials_line(redial: dict) -> str:
    """The analysis's word on how it solved the redials ("" for a simulation's figures, which count them)."""
    share, after = redial.get("share"), redial.get("after")
    if share == 0:
        return "redials: share 0, nobody calls again: one call per caller"
    if share is None:
        return ""
    rough = redial.get("exact") is False
    how = f"approximate: {printable(str(redial.get('approximation')))}" if rough else "exact where the pools' figures are"
    rounds = redial.get("rounds") or 0
    return (f"redials: {100 * share:g}% of callers whose need was not met call again after {after:g} s on average, "
            f"up to {redial.get('max_attempts')} calls; solved as a fixed point in {rounds} "
            f"round{'' if rounds == 1 else 's'} ({how})")


def _render_pool_features(figures: dict, stream: TextIO) -> None:
    """Callbacks, and redials, announcements and overflow, per pool that has them."""
    pools = figures.get("queues") or {}
    for title, columns in (("callbacks", CALLBACK_COLUMNS), ("queue", POOL_DAY_COLUMNS)):
        rows = {name: f for name, f in pools.items() if any(metric in f for metric, _, _ in columns)}
        _table(title, rows, columns, stream)


def with_agent_range(figures: dict) -> dict:
    """A pool's figures with ``agents`` as the range of its agents by the hour ("2-8") when it has them
    (``agents_by_hour``: the analysis's), so its load over agents reads against its occupancy, which is
    over the agents on duty hour by hour; the figures unchanged otherwise."""
    by_hour = figures.get("agents_by_hour")
    if not isinstance(by_hour, list) or not by_hour:
        return figures
    low, high = min(by_hour), max(by_hour)
    return {**figures, "agents": f"{low}-{high}" if low != high else low}


def _render_hours(figures: dict, stream: TextIO, elsewhere: str) -> None:
    """A table of the hours for each pool staffed by the hour."""
    hours = [entry for entry in figures.get("hours") or [] if entry.get("covered")]
    pools = staffed_by_the_hour(hours)
    if not pools:
        return
    for pool in pools:
        stream.write(f"pool {printable(pool)} by the hour (calls by the clock hour they arrived)\n")
        body = [["hour"] + [title for _, title, _ in HOUR_COLUMNS]]
        for entry in hours:
            f = entry["queues"].get(pool) or {}
            row = [f"{entry['hour']:02d}:00"] + [cell(f.get(metric), kind) for metric, _, kind in HOUR_COLUMNS]
            body.append(row + ["approximate"] * (f.get("exact") is False))  # the analysis's, where they are
        for text in format_rows(body, "<" + ">" * len(HOUR_COLUMNS)):
            stream.write(text + "\n")
        stream.write("\n")
    stream.write("note: occupancy by the hour is the agents' busy time in the hour over the agents on duty; it can "
                 "pass 100% in an hour when staff leave, as they finish the call they are on. Every pool's hours: "
                 f"{elsewhere}\n\n")


def approximation_notes(figures: dict) -> list[str]:
    """What the analysis's approximate figures rest on, a line per pool
    (none when every figure is exact, or for simulated figures)."""
    pools = {name: q for name, q in (figures.get("queues") or {}).items() if q.get("exact") is False}
    if not pools:
        return []
    lines = [f"pool '{name}': queue figures approximate ({q.get('approximation') or 'not exact'})" for name, q in pools.items()]
    return lines + ["figures marked approximate rest on those pools' queue figures; how they are made and their "
                    "error against the simulation: docs/queue-approximation.md"]


def analysis_heading(figures: dict) -> str:
    """What `analyze` says its figures are: exact, or which are approximate."""
    if (figures.get("overall") or {}).get("exact", True) and all(
            q.get("exact", True) for q in (figures.get("queues") or {}).values()):
        return "expected figures, all exact (caller chains and queue models)"
    return "expected figures (caller chains exact; queue figures approximate where marked)"


def render_csv(figures: dict, stream: TextIO) -> None:
    """One row per figure: section, name, metric, mean, ci_low, ci_high (a name that starts like a
    spreadsheet formula is prefixed with ', as in the report's CSV files)."""
    out = csv.writer(stream, lineterminator="\n")
    out.writerow(["section", "name", "metric", "mean", "ci_low", "ci_high"])
    for section in ("intents", "queues", "paths"):
        for name, metrics in figures.get(section, {}).items():
            for metric, value in metrics.items():
                out.writerow([section, safe_cell(name), metric, *_csv_values(value)])
    for metric, value in figures.get("overall", {}).items():
        out.writerow(["overall", "", metric, *_csv_values(value)])
    for section, name, metric, value in hour_rows(figures):
        out.writerow([section, name, metric, *_csv_values(value)])


def _csv_values(value) -> list:
    if isinstance(value, dict):
        low, high = value.get("ci95", [None, None])
        return ["" if v is None else repr(float(v)) for v in (value.get("mean"), low, high)]
    return ["" if value is None else value, "", ""]


def render_json(figures: dict, stream: TextIO) -> None:
    """The figures as JSON; values that are not finite numbers become null."""
    json.dump(_finite(figures), stream, indent=2, ensure_ascii=False, allow_nan=False)
    stream.write("\n")


def _finite(value):
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
