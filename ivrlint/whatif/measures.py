"""The measures a menu change is judged by, for both sides, and how they moved.

Analysed measures come from ``ivrlint.analysis.analyze_menu`` (in
milliseconds, no noise: the right thing to gate a pull request on), plus the
fastest seconds to a person from ``reach``. The queue figures, and what is
made of them, are exact or approximate as the analysis says (``approximate``
lists the approximate ones, ``is_approximate`` asks). Simulated measures, when asked
for, come from ``ivrlint.sim.run_simulation`` with the same seed on both
sides (common random numbers), so their difference shows the change rather
than the dice.
"""

from __future__ import annotations

import math
from typing import Any

from ivrlint.errors import InputError, UsageError
from ivrlint.menu.model import Menu
from ivrlint.whatif.reach import seconds_to_person

#: Measures compared per intent, per queue and overall, in report order.
INTENT_MEASURES = ("seconds_to_person", "ivr_seconds", "p_goal", "p_person", "mean_wait", "p_abandon")
QUEUE_MEASURES = ("agents", "offered_load", "p_wait", "mean_wait", "p_abandon", "service_level", "occupancy")
OVERALL_MEASURES = INTENT_MEASURES + ("service_level", "occupancy")
SCOPES = ("overall", "intents", "queues")

#: Which way a measure gets worse for callers: "up" (longer, more often) or
#: "down" (less often); None for measures that are neither good nor bad.
WORSE = {
    "seconds_to_person": "up", "ivr_seconds": "up", "mean_wait": "up", "p_abandon": "up",
    "p_wait": "up", "p_goal": "down", "p_person": "down", "service_level": "down",
    "occupancy": None, "offered_load": None, "agents": None,
}
#: Measures in seconds (reports show "s"); the others are shares or counts.
SECONDS = ("seconds_to_person", "ivr_seconds", "mean_wait")
#: Measures that come from a pool's queue figures: approximate where those are.
QUEUE_DERIVED = ("p_wait", "mean_wait", "p_abandon", "service_level", "occupancy", "p_person")


def wanted(scope: str) -> tuple[str, ...]:
    return {"overall": OVERALL_MEASURES, "intents": INTENT_MEASURES, "queues": QUEUE_MEASURES}[scope]


def analysed_measures(menu: Menu) -> dict:
    """{"overall": {...}, "intents": {name: {...}}, "queues": {pool: {...}}}.

    Menus without a traffic section have no caller measures: only the
    seconds to a person are given. When the analysis refuses the menu
    (traffic it cannot use), "error" says why and only the seconds to a
    person are given.
    """
    reach = seconds_to_person(menu)  # the analysis has no such measure: it comes from the menu's routes
    out: dict[str, dict] = {"overall": {"seconds_to_person": reach["overall"]}, "intents": {}, "queues": {}}
    if menu.traffic is not None:
        out["intents"] = {name: {} for name in menu.traffic.intents}
    for name, seconds in reach["intents"].items():
        out["intents"][name]["seconds_to_person"] = seconds
    if menu.traffic is None:
        return out
    from ivrlint.analysis import analyze_menu

    try:
        analysis = analyze_menu(menu)
    except (InputError, UsageError) as exc:  # one side's traffic is unusable: say so, compare the rest
        return {**out, "error": str(exc).splitlines()[0]}
    for scope in SCOPES:
        for name, values in _named(analysis, scope).items():
            picked = {m: _number(values[m]) for m in wanted(scope) if m in values}
            target = out[scope] if scope == "overall" else out[scope].setdefault(name, {})
            target.update(picked)
    out["approximate"] = {scope: sorted(name for name, values in _named(analysis, scope).items()
                                        if values.get("exact") is False) for scope in SCOPES}
    return out


def is_approximate(approximate: dict | None, scope: str, name: str | None, measure: str) -> bool:
    """Is this analysed measure approximate? `approximate` is analysed_measures' (or both sides'
    merged); `name` is None or "" for the overall scope."""
    return measure in QUEUE_DERIVED and (name or "") in (approximate or {}).get(scope, ())


def merged_approximate(*sides: dict) -> dict:
    """The approximate figure sets of either side."""
    return {scope: sorted({n for side in sides for n in (side.get("approximate") or {}).get(scope, ())}) for scope in SCOPES}


def simulated_measures(menu: Menu, hours: float, replications: int, seed: int, jobs: int | None) -> dict:
    """The simulation's {"mean", "ci95"} measures, in the same scopes as the analysed ones."""
    from ivrlint.sim import run_simulation

    result = run_simulation(menu, hours=hours, replications=replications, seed=seed, jobs=jobs)
    out: dict[str, dict] = {"overall": {}, "intents": {}, "queues": {}}
    for scope in SCOPES:
        for name, values in _named(result.metrics, scope).items():
            picked = {m: values[m] for m in wanted(scope) if isinstance(values.get(m), dict)}
            if scope == "overall":
                out[scope].update(picked)
            else:
                out[scope][name] = picked
    return out


def _named(metrics: dict, scope: str) -> dict[str, dict]:
    """{name: measures} for a scope; "overall" is one unnamed set of measures."""
    values = metrics.get(scope) or {}
    return {"": values} if scope == "overall" else values


def _number(value: Any) -> Any:
    """Booleans and counts stay as they are; other numbers become floats."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value
    return float(value)


def deltas(before: dict, after: dict) -> dict:
    """Per scope, name and measure: {"before", "after", "delta", "relative"}.

    Plain numbers on both sides (analysed measures) or {"mean", "ci95"}
    mappings (simulated ones, compared by their means). A name on one side
    only appears with None on the other.
    """
    out: dict[str, dict] = {}
    for scope in SCOPES:
        b_scope, a_scope = before.get(scope, {}), after.get(scope, {})
        if scope == "overall":
            out[scope] = _measure_deltas(b_scope, a_scope, wanted(scope))
            continue
        names = list(b_scope) + [n for n in a_scope if n not in b_scope]
        out[scope] = {n: _measure_deltas(b_scope.get(n, {}), a_scope.get(n, {}), wanted(scope)) for n in names}
    return out


def _measure_deltas(before: dict, after: dict, measures: tuple[str, ...]) -> dict:
    out = {}
    for m in measures:
        if m not in before and m not in after:
            continue
        b, a = before.get(m), after.get(m)
        entry = {"before": b, "after": a, "delta": None, "relative": None}
        if m not in before or m not in after:
            entry["only"] = "after" if m not in before else "before"  # not measured on the other side
        bm, am = _mean(b), _mean(a)
        if bm is not None and am is not None and math.isfinite(bm) and math.isfinite(am):
            entry["delta"] = am - bm
            entry["relative"] = (am - bm) / abs(bm) if bm else (0.0 if am == bm else None)
        if isinstance(b, dict) and isinstance(a, dict):
            entry["clear"] = _intervals_apart(b, a)
        out[m] = entry
    return out


def _mean(value: Any) -> float | None:
    if isinstance(value, dict):
        value = value.get("mean")
    if value is None or isinstance(value, bool):
        return None
    return float(value)


def _intervals_apart(b: dict, a: dict) -> bool:
    """Do the two 95% intervals not overlap (a difference the noise cannot explain)?"""
    try:
        (bl, bh), (al, ah) = b["ci95"], a["ci95"]
    except (KeyError, TypeError, ValueError):
        return False
    return ah < bl or al > bh
