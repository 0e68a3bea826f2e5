"""Metrics computed from a replication's calls (table.py): per intent, path, queue and overall.

Each replication gives one value per metric; the reported figure is the
mean over replications with a 95% confidence interval (Student t, as
replications are independent), clipped to the values the metric can take
(shares to [0, 1], times and counts to 0 and above: with few replications
the t interval can otherwise reach below zero). With one replication the
interval is [x, x]: there is no spread to measure it from. Times are seconds.

Per intent and overall: ``calls``, ``ivr_seconds`` (time in the menu,
until a queue or the end), ``keypresses`` (menu keys), ``menus_heard``
(menu prompts played), ``retries``, ``p_goal`` (entered a goal node),
``containment`` (need met without a person), ``p_person`` (talked to a
person), ``p_abandon`` (hung up in a queue), ``p_hung_up`` (in the menu),
``p_disconnected`` (``p_closed`` of them reached a pool while it was shut),
``p_misrouted``, ``p_voicemail``, queue waits of those
who queued (``mean_wait``, ``median_wait``, ``p90_wait``),
``service_level`` (of those who queued, answered within 20 s) and
``time_to_resolution`` (dialling to the end, for served or contained calls).
Per queue: ``calls`` (entered), ``closed`` (reached it while closed) and
``p_closed`` (their share), ``p_wait``,
``p_abandon``, ``mean_wait``, ``median_wait``, ``p90_wait``,
``service_level``, ``occupancy`` (the agents' busy time, ring-back and
talk, of the calls its agents took that falls inside the counted window,
after the warm-up up to the horizon, over the agents' time in it in the
hours the pool is open, as a workforce planner reads it; for a pool staffed
by the hour, over the agents on duty hour by hour; agent time after the
horizon, calls and callbacks worked in the drain, is left out, so it cannot
pass 100% with staff constant), ``mean_talk``. Per path: ``calls``,
``share``, ``ivr_seconds``, ``p_goal``, ``p_person``, ``p_abandon``,
``mean_wait``.

A whole day's figures (issue 14) come from callers.py and hourly.py: per
intent and overall the per-caller ones (``callers``,
``first_contact_resolution``, ``calls_per_caller``,
``callers_never_served``); per pool those of its redials, callbacks,
announcements and overflow, only where the menu has them; and ``hours``,
the 24 clock hours.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ivrlint.sim import records as R
from ivrlint.sim.callers import caller_figures, overall_figures, pool_figures
from ivrlint.sim.columns import OUTCOME_INDEX, SERVICE_SECONDS, Columns, Groups, recode
from ivrlint.sim.columns import plain as _plain
from ivrlint.sim.hourly import Setting, hour_figures, summarise_hours
from ivrlint.sim.records import CallRecord
from ivrlint.sim.table import CallTable

__all__ = ["COUNTS", "OUTCOME_INDEX", "SERVICE_SECONDS", "SHARES", "Setting", "mean_ci", "recode",
           "replication_metrics", "summarise", "t975"]
#: Metrics that count calls (or callers): a replication without such calls counts 0.
COUNTS = ("calls", "share", "closed", "callers", "redial_calls", "callbacks_offered", "callbacks_taken",
          "overflow_answered")

# Student t quantile t(0.975, df) for df = 1..30; beyond, a series in 1/df.
_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
         2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
         2.045, 2.042)


def t975(df: int) -> float:
    """The 97.5% quantile of Student's t with `df` degrees of freedom."""
    if df <= len(_T975):
        return _T975[df - 1]
    z = 1.959964
    return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df)


def _call_figures(c: Columns, g: Groups) -> list[dict]:
    """Per-intent (or overall) figures for every group."""
    share = {o: g.sum(None, c.outcome == i) for o, i in OUTCOME_INDEX.items()}
    closed = g.sum(None, c.closed)
    median, p90 = g.quantiles(c.wait, c.queued)
    columns = {
        "ivr_seconds": g.mean(c.ivr), "keypresses": g.mean(c.keys), "menus_heard": g.mean(c.menus),
        "retries": g.mean(c.retries), "p_goal": g.mean(c.goal), "p_person": g.mean(c.person),
        "mean_wait": g.mean(c.wait, c.queued), "median_wait": median, "p90_wait": p90,
        "service_level": g.mean(c.answered, c.queued), "time_to_resolution": g.mean(c.end - c.arrival, c.resolved),
    }
    out = []
    for k in range(g.size):
        n = g.count[k]
        if not n:
            out.append({"calls": 0})
            continue
        figures = {"calls": int(n)}
        figures.update({m: columns[m][k] for m in ("ivr_seconds", "keypresses", "menus_heard", "retries", "p_goal")})
        figures["containment"] = share[R.CONTAINED][k] / n
        figures["p_person"] = columns["p_person"][k]
        for metric, what in (("p_abandon", R.ABANDONED), ("p_hung_up", R.HUNG_UP), ("p_disconnected", R.DISCONNECTED),
                             ("p_misrouted", R.MISROUTED), ("p_voicemail", R.VOICEMAIL)):
            figures[metric] = share[what][k] / n
        figures["p_closed"] = closed[k] / n
        figures.update({m: columns[m][k] for m in ("mean_wait", "median_wait", "p90_wait", "service_level",
                                                    "time_to_resolution")})
        out.append(_plain(figures))
    return out


def _queue_figures(c: Columns, g: Groups, took: Groups, agent_seconds: list[float], window: tuple[float, float]) -> list[dict]:
    """Per pool: the calls that waited for it (`g`), and the agent time of those its agents took (`took`:
    the same calls unless callers overflow) inside the counted `window` (from, until: seconds of the
    replication) over `agent_seconds`, the agents' time on duty in it while open."""
    entered = g.sum(None, c.queued)
    waited = g.sum(None, c.queued & (np.nan_to_num(c.wait) > 0))
    abandoned = g.sum(None, c.outcome == OUTCOME_INDEX[R.ABANDONED])
    talked = ~np.isnan(c.talk)
    busy = took.sum(c.busy_within(*window), talked)
    median, p90 = g.quantiles(c.wait, c.queued)
    mean_wait, answered, mean_talk = g.mean(c.wait, c.queued), g.mean(c.answered, c.queued), took.mean(c.talk, talked)
    out = []
    for k in range(g.size):
        n = entered[k]
        occupancy = busy[k] / agent_seconds[k] if agent_seconds[k] > 0 else None
        figures = {"calls": int(n), "closed": int(g.count[k] - n),
                   "p_closed": (g.count[k] - n) / g.count[k] if g.count[k] else None}
        if n:
            figures.update(
                p_wait=waited[k] / n, p_abandon=abandoned[k] / n, mean_wait=mean_wait[k], median_wait=median[k],
                p90_wait=p90[k], service_level=answered[k], occupancy=occupancy, mean_talk=mean_talk[k],
            )
        elif busy[k]:  # no call waited for it, yet its agents took some from another pool's line
            figures.update(occupancy=occupancy, mean_talk=mean_talk[k])
        out.append(_plain(figures))
    return out


def _path_figures(c: Columns, g: Groups) -> list[dict]:
    columns = {"ivr_seconds": g.mean(c.ivr), "p_goal": g.mean(c.goal), "p_person": g.mean(c.person),
               "p_abandon": g.mean(c.outcome == OUTCOME_INDEX[R.ABANDONED]), "mean_wait": g.mean(c.wait, c.queued)}
    return [_plain({"calls": int(g.count[k]), "share": g.count[k] / c.n, **{m: v[k] for m, v in columns.items()}})
            for k in range(g.size)]


def replication_metrics(calls: CallTable | list[CallRecord], intents: Iterable[str], pools: dict[str, int], window: float,
                        open_seconds: dict[str, float] | None = None, setting: Setting | None = None) -> dict:
    """Every metric of one replication, shaped {section: {name: {metric: value}}}, and its
    ``hours`` (hourly.py): a list of 24.

    `calls` is the replication's CallTable (or its records, in call order).
    `pools` gives each pool's agents; a pool's occupancy is its agents' busy
    time over their time in `open_seconds` (the seconds of the `window`
    it was open; the whole window for pools not named); for a pool staffed
    by the hour, over the agents on duty hour by hour while open.
    `setting` is the run's (``Setting.of``: its clock, warm-up, agents by
    the hour and features); without one, a run from midnight without
    warm-up, of pools of `pools` agents and no whole-day feature."""
    intents, pool_names = list(intents), list(pools)
    open_seconds = open_seconds or {}
    setting = setting or Setting.constant(pools, window)
    if not isinstance(calls, CallTable):
        calls = CallTable.from_records(calls, intents)
    agent_seconds = [setting.agent_seconds(p) if p in setting.hourly else pools[p] * open_seconds.get(p, window)
                     for p in pool_names]
    c = Columns(calls)
    if not len(calls):
        return {"intents": {i: {"calls": 0} for i in intents}, "queues": {p: {"calls": 0, "closed": 0} for p in pools},
                "paths": {}, "overall": {"calls": 0}, "hours": hour_figures(calls, setting, c)}
    paths = calls.path_names  # by path code, in order of first appearance
    by_intent = Groups(recode(calls.intent, calls.intents, intents), len(intents))
    by_pool = Groups(recode(calls.queue, calls.queues, pool_names), len(pool_names))
    by_agent = Groups(recode(c.answered_by, calls.queues, pool_names), len(pool_names))
    by_path = Groups(calls.path, len(paths))
    overall = Groups(np.zeros(c.n, dtype=np.int8), 1)
    features = setting.features
    queues = zip(_queue_figures(c, by_pool, by_agent, agent_seconds, (setting.start, setting.end)),
                 pool_figures(c, by_pool, by_agent, pool_names, features, window, (setting.start, setting.end)),
                 strict=True)
    return {
        "intents": dict(zip(intents, _with_callers(c, by_intent), strict=True)),
        "queues": {name: {**figures, **more} for name, (figures, more) in zip(pool_names, queues, strict=True)},
        "paths": dict(zip(paths, _path_figures(c, by_path), strict=True)),
        "overall": {**_with_callers(c, overall)[0], **overall_figures(c, features)},
        "hours": hour_figures(calls, setting, c),
    }


def _with_callers(c: Columns, g: Groups) -> list[dict]:
    """Per-call figures, then per-caller ones, of every group."""
    return [{**calls, **callers} for calls, callers in zip(_call_figures(c, g), caller_figures(c, g), strict=True)]


def summarise(per_replication: list[dict]) -> dict:
    """Mean and 95% CI over replications, for every metric of every section (and of every hour)."""
    out: dict = {}
    for section in ("intents", "queues", "paths", "overall"):
        if section == "overall":
            out[section] = _summarise_group([rep[section] for rep in per_replication])
            continue
        names = list(dict.fromkeys(name for rep in per_replication for name in rep[section]))
        if section == "paths":  # most travelled first
            names.sort(key=lambda p: -sum(rep[section].get(p, {}).get("calls", 0) for rep in per_replication))
        out[section] = {name: _summarise_group([rep[section].get(name, {"calls": 0}) for rep in per_replication])
                        for name in names}
    if all("hours" in rep for rep in per_replication) and per_replication:
        out["hours"] = summarise_hours([rep["hours"] for rep in per_replication], mean_ci)
    return out


def _summarise_group(groups: list[dict]) -> dict:
    names = list(dict.fromkeys(m for g in groups for m in g))
    out = {}
    for metric in names:
        values = [g.get(metric, 0 if metric in COUNTS else None) for g in groups]
        out[metric] = mean_ci([v for v in values if v is not None], upper=1.0 if metric in SHARES or metric.startswith("p_") else None)
    return out


#: Metrics that are shares of calls besides the p_* ones: their interval stays within [0, 1].
SHARES = ("share", "containment", "service_level", "first_contact_resolution", "callers_never_served",
          "abandonment_avoided")


def mean_ci(values: list[float], lower: float | None = 0.0, upper: float | None = None) -> dict:
    """{"mean": x, "ci95": [low, high]} by Student t, clipped to [lower, upper]; [x, x] for one value.

    >>> mean_ci([0.0, 0.0, 0.3], upper=1.0)["ci95"][0]
    0.0
    """
    k = len(values)
    if k == 0:
        return {"mean": None, "ci95": [None, None]}
    mean = sum(values) / k
    if k == 1:
        return {"mean": mean, "ci95": [mean, mean]}
    variance = sum((v - mean) ** 2 for v in values) / (k - 1)
    half = t975(k - 1) * math.sqrt(variance / k)
    low, high = mean - half, mean + half
    if lower is not None:
        low = max(low, lower)
    if upper is not None:
        high = min(high, upper)
    return {"mean": mean, "ci95": [low, high]}
