"""Figures per clock hour: how each hour of the day went, overall and per pool.

``hours`` in a replication's metrics (and, summarised, in ``simulate``'s
JSON) has 24 entries, hour 0 (midnight to 01:00) first. An entry holds:

* ``calls``, ``mean_wait``, ``p_abandon``, ``service_level``: of the calls
  that arrived in that clock hour, as metrics.py defines them overall;
* per pool (``queues``): ``calls`` (of them, those that entered its line),
  ``mean_wait``, ``p_abandon``, ``service_level`` as for the pool's figures;
  ``agents`` on duty (``Queue.agents_at(hour)``; 0 in an hour the pool is
  shut all through); ``occupancy``, the agent time of the calls its agents
  took (from the moment an agent starts, calling back or talking, to the
  call's end) that falls in that clock hour, over the agents' time on duty
  in it (agents x the seconds of the hour the run covered with the pool
  open; an hour covered on two days counts both). It can pass 100% in an
  hour when staff fall: agents who leave finish the call they are on.

Only the run's counted window (after the warm-up, up to the horizon) is
split into hours: calls that arrived after the horizon (redials in the
drain) count in the day's totals, not in any hour, and agent time after the
horizon is in no hour. An hour of the clock the run did not reach at all
(``--hours 8`` covers 8 of them) has ``"covered": false`` and no figures.

``hour_figures(calls, setting)`` is the plain function: one replication's
calls in, its 24 entries out; ``summarise_hours`` gives the means and
intervals over replications, and ``pool_hours`` one pool's 24 figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ivrlint.menu.model import Menu
from ivrlint.sim.callers import Features
from ivrlint.sim.columns import Columns, Groups, plain, ratio, recode
from ivrlint.sim.table import CallTable

HOURS = 24


@dataclass(frozen=True)
class Setting:
    """What the figures need besides the calls: the clock, the window counted, each pool's
    agents by the hour and opening hours, and which features of a whole day the menu has."""

    clock: float = 0.0  # the clock hour (after midnight) at second 0 of a replication
    start: float = 0.0  # the counted window, in seconds of the replication: after the warm-up...
    end: float = 0.0  # ...up to the horizon
    agents: dict[str, tuple[int, ...]] = field(default_factory=dict)  # per pool: 24 counts, hour 0 first
    open_hours: dict[str, tuple[float, float] | None] = field(default_factory=dict)
    hourly: frozenset[str] = field(default_factory=frozenset)  # pools staffed by the hour
    features: Features = field(default_factory=Features)

    @classmethod
    def of(cls, menu: Menu, start_hour: float, warmup: float, hours: float) -> Setting:
        """The setting of a run of `hours` hours after `warmup`, its clock at `start_hour` at the start."""
        queues = menu.queues.values()
        return cls(clock=start_hour, start=warmup * 3600.0, end=(warmup + hours) * 3600.0,
                   agents={q.name: tuple(q.agents_at(h) for h in range(HOURS)) for q in queues},
                   open_hours={q.name: q.hours for q in queues}, hourly=frozenset(q.name for q in queues if q.hourly),
                   features=Features.of(menu))

    @classmethod
    def constant(cls, pools: dict[str, int], window: float) -> Setting:
        """A run from midnight of `window` seconds, without warm-up, of pools always open with `pools` agents."""
        return cls(end=window, agents={name: (n,) * HOURS for name, n in pools.items()})

    def agent_seconds(self, pool: str) -> float:
        """The agents' time on duty in the window, while the pool is open (what occupancy is over)."""
        return float(Clock(self).on_duty(self, pool).sum())


class Clock:
    """The clock hours of a replication's counted window, and what falls in each of the 24.

    Times are taken as seconds since the first midnight (``clock`` hours
    before second 0 of the replication); an hour of the clock gathers every
    day's, so a window of any length needs 24 sums, not one per hour run."""

    def __init__(self, setting: Setting):
        self.offset = setting.clock * 3600.0
        self.start, self.end = self.offset + setting.start, self.offset + setting.end  # the window, from midnight

    def hour_of(self, times: np.ndarray) -> np.ndarray:
        """The clock hour each time (seconds of the replication) falls in; -1 outside the window."""
        at = self.offset + times
        inside = (at >= self.start) & (at < self.end)
        return np.where(inside, np.floor(np.where(inside, at, 0.0) / 3600.0) % HOURS, -1).astype(np.int64)

    def covered(self) -> np.ndarray:
        """Per clock hour: seconds of it the window covers."""
        return np.array([self.periodic(h * 3600.0, (h + 1) * 3600.0) for h in range(HOURS)])

    def periodic(self, low: float, high: float) -> float:
        """Seconds of the window within [low, high) + k days, for every k (`low`, `high` in one day's seconds)."""
        day = HOURS * 3600.0
        if high <= low or self.end <= self.start:
            return 0.0
        first, last = math.floor((self.start - high) / day) + 1, math.ceil((self.end - low) / day) - 1

        def part(k: int) -> float:
            return max(0.0, min(self.end, high + k * day) - max(self.start, low + k * day))

        if last - first < 3:
            return sum(part(k) for k in range(first, last + 1))
        return part(first) + part(last) + (last - first - 1) * (high - low)  # whole days in between

    def on_duty(self, setting: Setting, pool: str) -> np.ndarray:
        """Per clock hour, agent seconds on duty in the window (agents x seconds open)."""
        agents, hours = setting.agents[pool], setting.open_hours.get(pool)
        opening, closing = (0.0, 24.0) if hours is None else hours
        return np.array([agents[h] * self.periodic(max(h, opening) * 3600.0, min(h + 1, closing) * 3600.0)
                         for h in range(HOURS)])

    def split(self, since: np.ndarray, until: np.ndarray, group: np.ndarray, groups: int) -> np.ndarray:
        """Seconds of the spans [since, until) (seconds of the replication) in the window, per clock hour
        and group: shape (24, groups)."""
        total = np.zeros(HOURS * groups)
        a = np.clip(self.offset + since, self.start, self.end)
        b = np.clip(self.offset + until, self.start, self.end)
        keep = (b > a) & (group >= 0)
        a, b, g = a[keep], b[keep], group[keep].astype(np.int64)
        first = np.floor(a / 3600.0).astype(np.int64)
        last = np.maximum(np.ceil(b / 3600.0).astype(np.int64) - 1, first)  # a span ending on the hour stops before it
        at = (first % HOURS) * groups + g
        same = first == last
        total += np.bincount(at[same], weights=(b - a)[same], minlength=total.size)
        apart = ~same
        f, l_, g = first[apart], last[apart], g[apart]
        total += np.bincount(at[apart], weights=(f + 1) * 3600.0 - a[apart], minlength=total.size)
        total += np.bincount((l_ % HOURS) * groups + g, weights=b[apart] - l_ * 3600.0, minlength=total.size)
        whole = l_ - f - 1  # whole hours in between (a call longer than an hour): whole days to every hour...
        days, rest = whole // HOURS, whole % HOURS
        if days.any():
            per_group = np.bincount(g, weights=days * 3600.0, minlength=groups)
            total += np.tile(per_group, HOURS)
        if rest.any():  # ...and the hours left over, one by one
            counts = rest[rest > 0]
            hours = np.repeat(f[rest > 0] + 1, counts) + np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            total += np.bincount((hours % HOURS) * groups + np.repeat(g[rest > 0], counts), weights=np.full(hours.size, 3600.0),
                                 minlength=total.size)
        return total.reshape(HOURS, groups)


def hour_figures(calls: CallTable, setting: Setting, c: Columns | None = None) -> list[dict]:
    """One replication's 24 hours (see the module docstring); `c`: its columns, when already read."""
    c = c or Columns(calls)
    pools = list(setting.agents)
    clock = Clock(setting)
    covered = clock.covered() > 0
    hour = clock.hour_of(c.arrival)
    overall = _figures(c, Groups(hour, HOURS), None)
    waited = recode(calls.queue, calls.queues, pools)
    per_pool = _figures(c, Groups(np.where((hour >= 0) & (waited >= 0), hour * len(pools) + waited, -1),
                                  HOURS * len(pools)), c.queued)
    busy, duty, agents = _occupancy(c, calls, setting, clock, pools)
    out: list[dict] = []
    for h in range(HOURS):
        if not covered[h]:
            out.append({"hour": h, "covered": False})
            continue
        queues: dict[str, dict] = {}
        for k, pool in enumerate(pools):
            figures = {**per_pool[h * len(pools) + k], "agents": agents[h][k], "occupancy": ratio(busy[h, k], duty[h, k])}
            queues[pool] = plain(figures)
        out.append({"hour": h, "covered": True, **overall[h], "queues": queues})
    return out


def _figures(c: Columns, g: Groups, among) -> list[dict]:
    """Per group: calls (those `among` when given), mean wait, abandonment and service level."""
    calls = g.count if among is None else g.sum(None, among)
    abandoned, waits = g.sum(None, c.abandoned), g.mean(c.wait, c.queued)
    answered = g.mean(c.answered, c.queued)
    return [plain({"calls": int(calls[k]), "mean_wait": waits[k], "p_abandon": ratio(abandoned[k], calls[k]),
                   "service_level": answered[k]}) for k in range(g.size)]


def _occupancy(c: Columns, calls: CallTable, setting: Setting, clock: Clock, pools: list[str]):
    """Per clock hour and pool: agent seconds busy, agent seconds on duty, agents on duty."""
    since, until, rows = c.busy_spans()
    busy = clock.split(since, until, recode(c.answered_by[rows], calls.queues, pools), len(pools))
    duty = np.zeros((HOURS, len(pools)))
    agents = np.zeros((HOURS, len(pools)), dtype=np.int64)
    for k, pool in enumerate(pools):
        duty[:, k] = clock.on_duty(setting, pool)
        agents[:, k] = [n if duty[h, k] > 0 else 0 for h, n in enumerate(setting.agents[pool])]
    return busy, duty, agents.tolist()


def summarise_hours(per_replication: list[list[dict]], mean_ci) -> list[dict]:
    """The 24 hours' means and 95% intervals over replications (`mean_ci` as metrics.py's)."""
    out = []
    for h in range(HOURS):
        entries = [rep[h] for rep in per_replication]
        if not entries or not entries[0].get("covered"):
            out.append({"hour": h, "covered": False})
            continue
        pools = list(dict.fromkeys(p for e in entries for p in e.get("queues", {})))
        summary = {"hour": h, "covered": True, **_summarised(entries, mean_ci),
                   "queues": {p: _summarised([e["queues"].get(p, {}) for e in entries], mean_ci) for p in pools}}
        out.append(summary)
    return out


def _summarised(entries: list[dict], mean_ci) -> dict:
    names = [m for m in dict.fromkeys(m for e in entries for m in e) if m not in ("hour", "covered", "queues")]
    out = {}
    for metric in names:
        values = [e.get(metric, 0 if metric == "calls" else None) for e in entries]
        share = metric.startswith("p_") or metric == "service_level"  # occupancy may pass 1 (see the docstring)
        out[metric] = mean_ci([v for v in values if v is not None], upper=1.0 if share else None)
    return out


def pool_hours(hours: list[dict], pool: str) -> list[dict | None]:
    """One pool's figures hour by hour from a run's summarised (or one replication's) ``hours``; None
    for an hour the run did not cover."""
    return [entry.get("queues", {}).get(pool) if entry.get("covered") else None for entry in hours]
