"""Metrics computed from call records: per intent, path, queue and overall.

Each replication gives one value per metric; the reported figure is the
mean over replications with a 95% confidence interval (Student t, as
replications are independent). With one replication the interval is
[x, x]: there is no spread to measure it from. Times are seconds.

Per intent and overall: ``calls``, ``ivr_seconds`` (time in the menu,
until a queue or the end), ``keypresses`` (menu keys), ``menus_heard``
(menu prompts played), ``retries``, ``p_goal`` (entered a goal node),
``containment`` (need met without a person), ``p_person`` (talked to a
person), ``p_abandon`` (hung up in a queue), ``p_hung_up`` (in the menu),
``p_disconnected``, ``p_misrouted``, ``p_voicemail``, queue waits of those
who queued (``mean_wait``, ``median_wait``, ``p90_wait``),
``service_level`` (of those who queued, answered within 20 s) and
``time_to_resolution`` (dialling to the end, for served or contained calls).
Per queue: ``calls``, ``closed`` (reached it while closed), ``p_wait``,
``p_abandon``, ``mean_wait``, ``median_wait``, ``p90_wait``,
``service_level``, ``occupancy``, ``mean_talk``. Per path: ``calls``,
``share``, ``ivr_seconds``, ``p_goal``, ``p_person``, ``p_abandon``,
``mean_wait``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Iterable, Optional

from . import records as R
from .records import CallRecord

SERVICE_SECONDS = 20.0
#: Metrics that count calls: a replication without such calls counts 0.
COUNTS = ("calls", "share", "closed")

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


def _mean(values: list) -> Optional[float]:
    return sum(values) / len(values) if values else None


def _quantile(sorted_values: list, q: float) -> Optional[float]:
    """Linear interpolation between order statistics (numpy's default)."""
    if not sorted_values:
        return None
    pos = q * (len(sorted_values) - 1)
    low = int(pos)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (pos - low)


def call_metrics(calls: list[CallRecord]) -> dict[str, Optional[float]]:
    """Metrics of a group of calls (an intent, or all calls) in one replication."""
    n = len(calls)
    if not n:
        return {"calls": 0}
    outcomes = defaultdict(int)
    for call in calls:
        outcomes[call.outcome] += 1
    waits = sorted(c.queue_wait for c in calls if c.queue_wait is not None)
    queued = [c for c in calls if c.queue_wait is not None]
    resolved = [c.end - c.arrival for c in calls if c.outcome in R.RESOLVED]
    return {
        "calls": n,
        "ivr_seconds": sum(c.ivr_seconds for c in calls) / n,
        "keypresses": sum(c.keypresses for c in calls) / n,
        "menus_heard": sum(c.menus_heard for c in calls) / n,
        "retries": sum(c.retries for c in calls) / n,
        "p_goal": sum(c.reached_goal for c in calls) / n,
        "containment": outcomes[R.CONTAINED] / n,
        "p_person": sum(c.reached_person for c in calls) / n,
        "p_abandon": outcomes[R.ABANDONED] / n,
        "p_hung_up": outcomes[R.HUNG_UP] / n,
        "p_disconnected": outcomes[R.DISCONNECTED] / n,
        "p_misrouted": outcomes[R.MISROUTED] / n,
        "p_voicemail": outcomes[R.VOICEMAIL] / n,
        "mean_wait": _mean(waits),
        "median_wait": _quantile(waits, 0.5),
        "p90_wait": _quantile(waits, 0.9),
        "service_level": _answered_share(queued),
        "time_to_resolution": _mean(resolved),
    }


def _answered_share(queued: list[CallRecord]) -> Optional[float]:
    if not queued:
        return None
    answered = sum(1 for c in queued if c.outcome != R.ABANDONED and c.queue_wait <= SERVICE_SECONDS)
    return answered / len(queued)


def queue_metrics(calls: list[CallRecord], agents: int, window: float) -> dict[str, Optional[float]]:
    """Metrics of one pool in one replication; `window` is the measured seconds."""
    entered = [c for c in calls if c.queue_wait is not None]
    closed = len(calls) - len(entered)
    if not entered:
        return {"calls": 0, "closed": closed}
    n = len(entered)
    waits = sorted(c.queue_wait for c in entered)
    talks = [c.talk_time for c in entered if c.talk_time is not None]
    return {
        "calls": n,
        "closed": closed,
        "p_wait": sum(1 for w in waits if w > 0) / n,
        "p_abandon": sum(1 for c in entered if c.outcome == R.ABANDONED) / n,
        "mean_wait": sum(waits) / n,
        "median_wait": _quantile(waits, 0.5),
        "p90_wait": _quantile(waits, 0.9),
        "service_level": _answered_share(entered),
        "occupancy": sum(talks) / (agents * window) if agents > 0 and window > 0 else None,
        "mean_talk": _mean(talks),
    }


def path_metrics(calls: list[CallRecord], total: int) -> dict[str, Optional[float]]:
    n = len(calls)
    waits = [c.queue_wait for c in calls if c.queue_wait is not None]
    return {
        "calls": n,
        "share": n / total if total else 0.0,
        "ivr_seconds": sum(c.ivr_seconds for c in calls) / n,
        "p_goal": sum(c.reached_goal for c in calls) / n,
        "p_person": sum(c.reached_person for c in calls) / n,
        "p_abandon": sum(1 for c in calls if c.outcome == R.ABANDONED) / n,
        "mean_wait": _mean(waits),
    }


def replication_metrics(calls: list[CallRecord], intents: Iterable[str], pools: dict[str, int], window: float) -> dict:
    """Every metric of one replication, shaped {section: {name: {metric: value}}}."""
    by_intent, by_pool, by_path = defaultdict(list), defaultdict(list), defaultdict(list)
    for call in calls:
        by_intent[call.intent].append(call)
        by_path[call.path].append(call)
        if call.queue is not None:
            by_pool[call.queue].append(call)
    return {
        "intents": {name: call_metrics(by_intent[name]) for name in intents},
        "queues": {name: queue_metrics(by_pool[name], agents, window) for name, agents in pools.items()},
        "paths": {path: path_metrics(group, len(calls)) for path, group in by_path.items()},
        "overall": call_metrics(calls),
    }


def summarise(per_replication: list[dict]) -> dict:
    """Mean and 95% CI over replications, for every metric of every section."""
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
    return out


def _summarise_group(groups: list[dict]) -> dict:
    names = list(dict.fromkeys(m for g in groups for m in g))
    out = {}
    for metric in names:
        values = [g.get(metric, 0 if metric in COUNTS else None) for g in groups]
        out[metric] = mean_ci([v for v in values if v is not None])
    return out


def mean_ci(values: list[float]) -> dict:
    """{"mean": x, "ci95": [low, high]} by Student t; [x, x] for one value."""
    k = len(values)
    if k == 0:
        return {"mean": None, "ci95": [None, None]}
    mean = sum(values) / k
    if k == 1:
        return {"mean": mean, "ci95": [mean, mean]}
    variance = sum((v - mean) ** 2 for v in values) / (k - 1)
    half = t975(k - 1) * math.sqrt(variance / k)
    return {"mean": mean, "ci95": [mean - half, mean + half]}
