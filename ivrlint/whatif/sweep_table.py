"""A sweep's rows as tables: the JSON summary and the flat CSV columns.

A row holds the scenario's varied values and, per scope, each measure as
``{"mean": x, "ci95": [low, high]}``. The CSV flattens that to one column
per measure (``queues.general.mean_wait``) with two more for its interval
(``...ci_low``, ``...ci_high``), after one column per varied path. Its
cells go through ``csv_cell``: a varied value written as ``=1+2`` is not a
formula when the CSV is opened in a spreadsheet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ivrlint.common.table import format_rows
from ivrlint.common.text import printable, safe_cell
from ivrlint.whatif.scenarios import json_value

SCOPES = ("overall", "queues", "intents")
#: A number as written (``-2``, ``+0.5``, ``1e-3``): a spreadsheet reads it as a number, not a formula.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value):
    """A cell of sweep.csv: text that a spreadsheet would run as a formula gets a ``'`` before it
    (``common.text.safe_cell``, as the report's CSVs), except a plain number such as ``-2``."""
    if isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value):
        return value
    return safe_cell(value)


def ordered_rows(tasks, done: dict[str, dict]) -> list[dict]:
    """Finished rows in scenario order, numbered from 1."""
    return [dict(done[t.key], scenario=i + 1) for i, t in enumerate(tasks) if t.key in done]


def measure_columns(rows: Iterable[dict]) -> list[str]:
    """Every measure any row has, as dotted names, in first-seen order."""
    seen: dict[str, None] = {}
    for row in rows:
        for name, _ in _measures(row):
            seen.setdefault(name, None)
    return list(seen)


def _measures(row: dict) -> Iterable[tuple[str, dict]]:
    for measure, value in (row.get("overall") or {}).items():
        yield f"overall.{measure}", value
    for scope in ("queues", "intents"):
        for name, values in (row.get(scope) or {}).items():
            for measure, value in values.items():
                yield f"{scope}.{name}.{measure}", value


def lookup(row: dict, column: str) -> dict | None:
    """The {"mean", "ci95"} of a dotted measure name in a row, or None."""
    for name, value in _measures(row):
        if name == column:
            return value
    return None


def flat(row: dict, paths: list[str]) -> dict:
    """One CSV line: the scenario number, varied values, then mean, ci_low, ci_high per measure."""
    out: dict = {"scenario": row["scenario"]}
    out.update({p: row["values"].get(p, "") for p in paths})
    for name, value in _measures(row):
        ci = value.get("ci95") or [None, None]
        out[name], out[f"{name}.ci_low"], out[f"{name}.ci_high"] = value.get("mean"), ci[0], ci[1]
    return out


def summaries(plan, rows: list[dict]) -> tuple[dict, list[str], list[dict]]:
    """(sweep.json content, CSV columns, CSV rows) for the finished rows."""
    paths = [v.path for v in plan.varies]
    measures = measure_columns(rows)
    columns = ["scenario", *paths]
    for name in measures:
        columns += [name, f"{name}.ci_low", f"{name}.ci_high"]
    summary = {
        "ivr": plan.menu.ivr,
        "menu": plan.menu.file,
        "settings": plan.settings(),
        "varied": {v.path: [json_value(x) for x in v.values] for v in plan.varies},
        "scenarios": len(plan.scenarios),
        "done": len(rows),
        "rows": [dict(r, values={p: json_value(x) for p, x in r["values"].items()}) for r in rows],
    }
    return summary, columns, [flat(r, paths) for r in rows]


def describe(index: int, task, row: dict) -> str:
    """A progress line: the scenario's values and its overall abandonment and wait."""
    values = printable(" ".join(f"{p}={v}" for p, v in task.values))
    overall = row.get("overall") or {}
    parts = []
    for measure, unit in (("p_abandon", ""), ("mean_wait", " s")):
        value = overall.get(measure)
        if value:
            parts.append(f"{measure} {value['mean']:.3g}{unit}")
    return f"scenario {index + 1}: {values}" + (f" -> {', '.join(parts)}" if parts else "")


def known_measures(menu, pool_measures: tuple[str, ...], intent_measures: tuple[str, ...]) -> list[str]:
    """Every dotted measure a sweep of `menu` can have, for checking --plot names up front."""
    # occupancy is a pool's own: the simulation reports none overall
    names = [f"overall.{m}" for m in pool_measures if m != "occupancy"]
    names += [f"queues.{pool}.{m}" for pool in menu.queues for m in pool_measures]
    intents = menu.traffic.intents if menu.traffic else {}
    names += [f"intents.{name}.{m}" for name in intents for m in intent_measures]
    return names


TABLE_MEASURES = (("overall.p_abandon", "p_abandon", 3), ("overall.mean_wait", "mean_wait s", 1),
                  ("overall.service_level", "service_level", 3))


def table_lines(plan, rows: list[dict]) -> list[str]:
    """A plain table for the terminal: varied values, then overall measures as mean [95% CI]."""
    header = [printable(v.path) for v in plan.varies] + [title for _, title, _ in TABLE_MEASURES]
    body = []
    for row in rows:
        cells = [printable(str(row["values"].get(v.path, ""))) for v in plan.varies]
        for column, _, digits in TABLE_MEASURES:
            value = lookup(row, column)
            if not value or value.get("mean") is None:
                cells.append("-")
                continue
            low, high = value.get("ci95") or (None, None)
            interval = f" [{low:.{digits}f}, {high:.{digits}f}]" if low is not None and high is not None else ""
            cells.append(f"{value['mean']:.{digits}f}{interval}")
        body.append(cells)
    return format_rows([header] + body)
