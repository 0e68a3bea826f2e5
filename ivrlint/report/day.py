"""The figures of a whole day: what text shows of them, and CSV rows: per caller, a pool's callbacks, redials,
announcements and overflow, and hour by hour (sim/callers.py, sim/hourly.py define them).

Text shows only what applies to the menu: the per-caller table when callers
redial (the overall figures carry ``redial_calls``), the callback table for
pools that offer callbacks, and so on; a table by the hour for each pool
staffed by the hour (its agents on duty change over the hours the run
covers). JSON and CSV carry every figure: per-caller figures always
(without redials they are the per-call ones: 1 call per caller), and the
24 ``hours``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ivrlint.common.text import safe_cell

#: (metric, column title, kind) as summary.py's tables.
CALLER_COLUMNS = (("callers", "callers", "c"), ("calls_per_caller", "calls per caller", "n"),
                  ("first_contact_resolution", "first-contact resolution", "p"),
                  ("callers_never_served", "never served", "p"))
CALLBACK_COLUMNS = (("callbacks_offered", "offered", "c"), ("callbacks_taken", "taken", "c"),
                    ("p_callback", "took a callback, of the pool's calls", "p"), ("callback_wait", "wait until called back (s)", "s"),
                    ("abandonment_avoided", "abandonment avoided", "p"))
POOL_DAY_COLUMNS = (("redial_calls", "redials", "c"), ("redial_load", "redial load", "n"),
                    ("p_left_at_announcement", "left at announcement", "p"), ("p_overflow", "overflowed", "p"),
                    ("overflow_answered", "took from other lines", "c"))
HOUR_COLUMNS = (("agents", "agents", "c"), ("calls", "calls", "c"), ("mean_wait", "wait s", "s"),
                ("p_abandon", "abandoned", "p"), ("service_level", "in 20 s", "p"), ("occupancy", "occupancy", "p"))
#: Overall figures of a whole day's features, in the overall block (only when the menu has them).
OVERALL_DAY_ROWS = (("redial_calls", "calls that were redials", "c"), ("p_callback", "calls that took a callback", "p"))


def staffed_by_the_hour(hours: list[dict]) -> list[str]:
    """The pools whose number of agents on duty changes over the hours the run covered."""
    seen: dict[str, set] = {}
    for entry in hours:
        if entry.get("covered"):
            for pool, f in (entry.get("queues") or {}).items():
                seen.setdefault(pool, set()).add(_mean(f.get("agents")))
    return [pool for pool, values in seen.items() if len(values) > 1]


def _mean(value: Any) -> Any:
    return value.get("mean") if isinstance(value, dict) else value


def hour_rows(figures: dict) -> Iterator[tuple[str, str, str, Any]]:
    """(section, name, metric, value) of every covered hour: section ``hours``, name ``07:00``; a pool's
    figures in section ``queue_hours``, name ``07:00 POOL`` (the hour first, so no name reads as a formula)."""
    for entry in figures.get("hours") or []:
        if not entry.get("covered"):
            continue
        clock = f"{entry['hour']:02d}:00"
        for metric, value in entry.items():
            if metric not in ("hour", "covered", "queues"):
                yield "hours", clock, metric, value
        for pool, values in (entry.get("queues") or {}).items():
            for metric, value in values.items():
                yield "queue_hours", safe_cell(f"{clock} {pool}"), metric, value
