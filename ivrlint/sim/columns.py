"""One replication's calls (table.py) as the columns its figures are summed from, and the groupings they are summed over.

metrics.py (per intent, pool, path, overall), callers.py (per caller, and a
pool's redials, callbacks, announcements and overflow) and hourly.py (per
clock hour) all read these, so a figure such as "answered within 20 s" has
one definition wherever it is shown.

Tables written before the whole-day columns (issue 14) existed, or built by
hand without them, read as calls without those features: every call is its
caller's first (``caller`` the row, ``attempt`` 1), the pool that answered is
the one the call waited for when it talked to an agent there (``talk_time``
set), and no call was offered a callback, left at an announcement or
overflowed.
"""

from __future__ import annotations

import numpy as np

from ivrlint.sim import records as R
from ivrlint.sim.caller import UNMET
from ivrlint.sim.table import NONE, CallTable

SERVICE_SECONDS = 20.0
OUTCOME_INDEX = {o: i for i, o in enumerate(R.OUTCOMES)}
#: Outcomes where the caller's need was met (served, contained, voicemail): the caller model's
#: definition (caller.py, UNMET are the others), which also decides who calls again.
MET = tuple(o for o in R.OUTCOMES if o not in UNMET)
#: ``callback`` codes: no offer, offered and declined, offered and taken.
NO_OFFER, DECLINED, TAKEN = 0, 1, 2


class Columns:
    """One replication's calls as the float columns every group's figures
    come from, by a few vectorised sums (bincount) instead of a pass over
    the calls per metric."""

    def __init__(self, calls: CallTable):
        self.n = len(calls)
        self.arrival, self.end = calls.arrival, calls.end
        self.ivr = np.where(np.isnan(calls.queue_enter), calls.end, calls.queue_enter) - self.arrival
        # counts and flags stay integers: bincount weighs them as the floats they are, without a copy kept
        self.keys, self.menus, self.retries = calls.keypresses, calls.menus_heard, calls.retries
        self.goal, self.person = calls.reached_goal, calls.reached_person
        self.outcome = calls.outcome
        self.enter, self.wait, self.talk = calls.queue_enter, calls.queue_wait, calls.talk_time
        self.closed = (calls.queue != NONE) & np.isnan(self.wait)  # reached a pool and never waited: it was shut
        self.queued = ~np.isnan(self.wait)
        self.abandoned = self.outcome == OUTCOME_INDEX[R.ABANDONED]
        self.answered = self.queued & ~self.abandoned & (np.nan_to_num(self.wait) <= SERVICE_SECONDS)
        self.resolved = np.isin(self.outcome, [OUTCOME_INDEX[o] for o in R.RESOLVED])
        self._whole_day(calls)

    def _whole_day(self, calls: CallTable) -> None:
        """The columns of redials, callbacks, announcements and overflow (None: the table has none)."""
        self.attempt = _column(calls, "attempt")
        self.first = None if self.attempt is None else self.attempt <= 1  # None: every call is a first call
        self.caller = _column(calls, "caller")
        answered_by = _column(calls, "answered_by")
        self.answered_by = np.where(np.isnan(self.talk), NONE, calls.queue) if answered_by is None else answered_by
        ring_back = _column(calls, "ring_back")
        #: agent seconds a call took (ring-back and talk); NaN where no agent took it
        self.busy = self.talk
        if ring_back is not None and bool((~np.isnan(ring_back)).any()):
            self.busy = self.talk + np.nan_to_num(ring_back)
        self.callback = _column(calls, "callback")
        self.avoided = _column(calls, "avoided")
        self.left_at_announcement = _column(calls, "left_at_announcement")
        self.overflowed = _column(calls, "overflowed")
        self.met = np.isin(self.outcome, [OUTCOME_INDEX[o] for o in MET])

    def busy_spans(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(from, until, rows) of the agent time of the calls an agent took: from the moment the agent
        started (calling back, or talking: queue_enter + queue_wait) to the call's end."""
        rows = np.flatnonzero(self.answered_by != NONE)
        return self.enter[rows] + self.wait[rows], self.end[rows], rows

    def busy_within(self, start: float, end: float) -> np.ndarray:
        """Per call, the agent seconds it took (as ``busy_spans``) that fall in the window [start, end)
        (seconds of the replication); NaN where no agent took it. Time an agent spends after the horizon
        (calls worked in the drain, callbacks still owed when arrivals stop) is in no window."""
        since = self.enter + self.wait
        return np.clip(self.end, start, end) - np.clip(since, start, end)


def _column(calls: CallTable, name: str) -> np.ndarray | None:
    """A whole-day column the table stores; None when it stores none (the values a run without the
    features has are then taken as they are, without arrays of ones and zeros)."""
    if not getattr(calls, "whole_day", True):
        return None
    value = getattr(calls, name, None)
    return value if isinstance(value, np.ndarray) and len(value) == len(calls) else None


def recode(column: np.ndarray, have: list[str], want: list[str]) -> np.ndarray:
    """A column of codes into `have` as codes into `want` (-1: absent from `want`, or no value)."""
    index = {name: i for i, name in enumerate(want)}
    lookup = np.array([index.get(name, -1) for name in have] + [-1], dtype=np.int32)
    return lookup[np.where(column >= 0, column, len(have))]


class Groups:
    """Sums and means of columns over the groups of one grouping (-1: in no group)."""

    def __init__(self, group: np.ndarray, size: int):
        self.group, self.size = group, size
        self.count = self.sum(None)

    def sum(self, column, where=None) -> np.ndarray:
        keep = self.group >= 0 if where is None else (self.group >= 0) & where
        weights = None if column is None else np.nan_to_num(column[keep])
        return np.bincount(self.group[keep], weights=weights, minlength=self.size)[: self.size].astype(float)

    def mean(self, column, where=None) -> list:
        total, count = self.sum(column, where), self.sum(None, where)
        return [t / k if k else None for t, k in zip(total, count, strict=True)]

    def quantiles(self, column, where, qs=(0.5, 0.9)) -> list[list]:
        keep = (self.group >= 0) & where
        groups, values = self.group[keep], column[keep]
        order = np.lexsort((values, groups))
        groups, values = groups[order], values[order]
        bounds = np.searchsorted(groups, np.arange(self.size + 1))
        return [[_quantile(values[bounds[g]:bounds[g + 1]], q) for g in range(self.size)] for q in qs]


def _quantile(sorted_values, q: float) -> float | None:
    """Linear interpolation between order statistics (numpy's default)."""
    if not len(sorted_values):
        return None
    return float(np.quantile(sorted_values, q))


def ratio(top: float, bottom: float) -> float | None:
    """top / bottom, or None when there is nothing to divide by."""
    return float(top / bottom) if bottom else None


def plain(figures: dict) -> dict:
    """numpy scalars as Python floats (for JSON and equality)."""
    return {k: (v if v is None or isinstance(v, (int, bool)) else float(v)) for k, v in figures.items()}
