"""The whole menu answered without simulating: caller chains per intent, a queue model per pool.

Each intent's callers (in each language) follow the caller model's
absorbing chain (menu_chain.py); the chains say how many of them reach
each pool, which gives every pool its offered load; the pool's queue
model (general_queue.py: Erlang A when talk time and patience are
exponential) then gives waits and abandonment, which flow back into the
intents' figures. The result has the shape of ``ivrlint simulate --format json``
with plain numbers (see metrics.py for the names), plus ``visits``: per
intent, the expected visits to each node.

Where it is exact: the menu part always (it is the simulation's own
model); a pool's queue figures when its talk time is exponential (any
patience) or it has one agent, the rate is flat and the pool never shuts.
Otherwise they are approximate (docs/queue-approximation.md gives the
method and its measured error), and each figure set says so: ``exact``
per pool, and per intent and overall, false where a pool they reach is
approximate; an approximate pool says why in ``approximation``. With 24
hourly rates, staff by the hour or a pool that shuts, each hour is taken
as stationary at its rate lagged by the mean talk time (hourly.py,
Lag-SIPP), the hours are averaged by their calls, and ``hours`` gives them
one by one. Pools with a callback offer, announcements or overflow get
approximate figures from features.py. With ``traffic.redial`` the calls
redials add are found by fixed point (redials.py) and the figures per
caller join the intents' and the overall ones, with ``redials`` saying how
they were solved. A flat rate holds
around the clock (MENU_FORMAT.md, "Traffic"), so a pool's ``hours`` close
it for the hours it is shut, whichever form the rate takes: callers
reaching it then are disconnected, as in the simulation, and ``p_closed``
is the share of its callers who arrive then.

A pool's figures are over the hours it is open, as a workforce planner
reads them: ``occupancy`` (over the agents on duty) and ``offered_load`` are averaged over its open
time, waits and abandonment over the calls it takes, and
``open_calls_per_hour`` is the rate of calls it takes while open (the rate
behind those figures). ``calls_per_hour`` is the day's average rate of
calls routed to it, open or not.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ivrlint.analysis import redials
from ivrlint.analysis.figures import (
    intent_figures,
    mark_exact,
    mixed,
    normalised,
    overall_figures,
    path_figures,
)
from ivrlint.analysis.hourly import HOURS, Hour, PoolModel, day_figures, hour_entries, open_hours, solve_pools
from ivrlint.analysis.menu_chain import chain_expectations
from ivrlint.common.gcpause import gc_paused
from ivrlint.menu.model import Menu
from ivrlint.sim.caller import CallerModel
from ivrlint.sim.requirements import check_menu, traffic_of
from ivrlint.sim.story import check_overflows


def analyze_menu(menu: Menu, paths: bool = True) -> dict:
    """Expected figures per intent, per queue and overall (see module
    docstring); `paths=False` leaves out the figures per path."""
    check_menu(menu)
    check_overflows(menu)  # an overflow to a pool that does not exist, refused as the simulation refuses it
    with gc_paused():  # many small objects, no cycles: the collector would only rescan them
        return _analyze(menu, paths)


def _analyze(menu: Menu, paths: bool) -> dict:
    model = CallerModel(menu)
    traffic = traffic_of(menu)
    shares = normalised({name: i.share for name, i in traffic.intents.items()})
    languages = normalised(traffic.languages or {menu.language: 1.0})
    if traffic.redial is not None:
        return _with_redials(menu, model, shares, languages, paths)
    chains = {name: mixed([(w, chain_expectations(model.chain(name, lang))) for lang, w in languages.items()])
              for name in shares}
    reach: defaultdict[str, float] = defaultdict(float)  # pool -> share of all calls that reach it
    for name, result in chains.items():
        for end, p in result["ends"].items():
            if end.kind == "queue":
                reach[end.what] += shares[name] * p
    pools = {name: PoolModel(menu, name, model.behaviour.talk_cv) for name in menu.queues}
    solved = solve_pools(pools, {name: traffic.calls_per_hour for name in pools}, {name: reach[name] for name in pools})
    days = {name: (day_figures(pools[name], solved[name], reach[name]), solved[name]) for name in menu.queues}
    queues = {name: figures for name, (figures, _) in days.items()}
    intents = {name: intent_figures(result, queues) for name, result in chains.items()}
    overall = overall_figures(intents, shares)
    mark_exact(chains, queues, intents, overall)
    by_path = path_figures(model, shares, languages, queues) if paths else {}
    out = _result(chains, intents, queues, by_path, overall)
    if _varies(traffic.calls_per_hour, days):
        rates = traffic.calls_per_hour * HOURS if len(traffic.calls_per_hour) == 1 else traffic.calls_per_hour
        out["hours"] = hours_section(rates, {name: (pools[name], hours, reach[name]) for name, (_, hours) in days.items()})
        out["notes"] = list(out.get("notes") or []) + [HOURS_NOTE]
    return out


#: What the figures by the hour are, said wherever they are shown.
HOURS_NOTE = ("figures by the hour are approximate (stationary per hour: each hour taken as steady at its rate "
              "lagged by the mean talk time, Lag-SIPP); the day's figures are the hours' weighted by their calls")


def _result(chains: dict, intents: dict, queues: dict, by_path: dict, overall: dict) -> dict:
    trapped = [name for name, result in chains.items() if result["trapped"]]
    visits = {name: dict(result["node_visits"]) for name, result in chains.items()}
    out: dict[str, object] = {"intents": intents, "queues": queues, "paths": by_path, "overall": overall, "visits": visits}
    if trapped:
        out["notes"] = [f"callers with intent '{name}' can circle forever in the menu" for name in trapped]
    return out


def _varies(rates: list[float], days: dict) -> bool:
    """Does the day vary: calls by the hour, or a pool that closes or changes its staff?"""
    return len(rates) > 1 or any(len(hours) > 1 for _, hours in days.values())


def hours_section(calls: list[float], pools: dict[str, tuple[PoolModel, list[Hour], float]]) -> list[dict]:
    """`hours`: for each clock hour, its calls (all calls that arrive in it, per hour), the mean
    wait, abandonment and service level of those calls (as overall: abandonment over all calls,
    waits and service level over those who queue), and each pool's figures (hourly.hour_entries)."""
    entries = {name: hour_entries(model, hours * HOURS if len(hours) == 1 else hours, reach)
               for name, (model, hours, reach) in pools.items()}
    out = []
    for h in range(HOURS):
        at = {name: entries[name][h] for name in pools}
        queued = sum(e["calls"] for e in at.values())
        lost = sum(e["calls"] * e["p_abandon"] for e in at.values() if e["p_abandon"] is not None)
        waits = [e for e in at.values() if e["mean_wait"] is not None]
        out.append({"hour": h, "covered": True, "calls": calls[h],
                    "mean_wait": sum(e["calls"] * e["mean_wait"] for e in waits) / queued if queued > 0 else None,
                    "p_abandon": lost / calls[h] if calls[h] > 0 else None,
                    "service_level": sum(e["calls"] * e["service_level"] for e in waits) / queued if queued > 0 else None,
                    "exact": False, "queues": at})
    return out


# -- redials -----------------------------------------------------------------------------------------------------


def _with_redials(menu: Menu, model: CallerModel, shares: dict, languages: dict, paths: bool) -> dict:
    """The analysis of a menu whose callers redial: the fixed point of redials.py, then the
    figures per call (each intent's calls, first and redials alike) and per caller."""
    traffic = traffic_of(menu)
    redial = traffic.redial
    assert redial is not None
    classes = [redials.CallerClass(name, lang, shares[name] * w, chain_expectations(model.chain(name, lang)))
               for name in shares for lang, w in languages.items()]
    by_hour = len(traffic.calls_per_hour) > 1 or any(
        len(open_hours(traffic.calls_per_hour, q.hours, q.hourly)) > 1 for q in menu.queues.values())
    rates = list(traffic.calls_per_hour) * (HOURS if by_hour and len(traffic.calls_per_hour) == 1 else 1)
    pools = {name: PoolModel(menu, name, model.behaviour.talk_cv, force_hours=by_hour) for name in menu.queues}
    solution = redials.FixedPoint(classes, pools, rates, redial, model.redialling).solve()
    calls = {key: np.sum(a, axis=0) for key, a in solution.attempts.items()}  # per class: calls per hour
    chains, intents = _redial_intents(menu, classes, solution, calls)
    per_call = normalised({name: sum(float(c.sum()) for k, c in calls.items() if k[0] == name) for name in shares})
    queues = {name: _redial_pool(pools[name], solution, name) for name in menu.queues}
    overall = overall_figures(intents, per_call)
    overall.update(redials.per_caller(solution, list(calls)))
    exactness = redials.Exactness(solution, classes, pools, redial)
    exactness.mark(queues, intents, overall, chains)
    by_path = path_figures(model, shares, languages, queues, calls=_relative_calls(solution, calls)) if paths else {}
    out = _result(chains, intents, queues, by_path, overall)
    out["redials"] = exactness.summary()
    notes = list(out.get("notes") or []) + exactness.notes()
    if by_hour:
        total = np.sum(list(calls.values()), axis=0)
        out["hours"] = hours_section([float(x) for x in total],
                                     {name: (pools[name], solution.hours[name], 1.0) for name in menu.queues})
        notes.append(HOURS_NOTE)
    if notes:
        out["notes"] = notes
    return out


def _redial_intents(menu: Menu, classes: list[redials.CallerClass], solution: redials.Solution,
                    calls: dict[tuple[str, str], np.ndarray]) -> tuple[dict, dict]:
    """Each intent's chain (its languages mixed by their calls) and figures: per call, the pools as
    that intent's calls find them over the hours, and per caller."""
    chains, intents = {}, {}
    for name in dict.fromkeys(c.intent for c in classes):
        own = [c for c in classes if c.intent == name]
        keys = [(c.intent, c.language) for c in own]
        total = sum(float(calls[k].sum()) for k in keys)
        weights = [float(calls[k].sum()) / total if total > 0 else 1.0 / len(own) for k in keys]
        chains[name] = mixed(list(zip(weights, [c.chain for c in own], strict=True)))
        profile = np.sum([calls[k] for k in keys], axis=0)
        intents[name] = intent_figures(chains[name], {p: _view(solution.hours[p], profile) for p in menu.queues})
        intents[name].update(redials.per_caller(solution, keys))
    return chains, intents


def _relative_calls(solution: redials.Solution, calls: dict[tuple[str, str], np.ndarray]) -> dict:
    """Per class, its calls per caller over the mean over all callers (the weight of its paths per call)."""
    callers = {key: float(a[0].sum()) for key, a in solution.attempts.items()}
    mean = sum(float(c.sum()) for c in calls.values()) / max(sum(callers.values()), 1e-300)
    return {key: float(c.sum()) / max(callers[key], 1e-300) / mean for key, c in calls.items()}


def _view(hours: list[Hour], profile: np.ndarray) -> dict:
    """A pool's figures as the calls of one intent find it: its hours weighted by that intent's calls per hour."""
    total = float(np.sum(profile))
    inside = sum(float(w) * h.open for w, h in zip(profile, hours, strict=True) if h.figures is not None)
    if total <= 0 or inside <= 0:
        return {"p_closed": 1.0 if total > 0 else 0.0, "p_abandon": 0.0, "mean_wait": 0.0, "service_level": 1.0}
    out = {"p_closed": max(0.0, 1.0 - inside / total)}
    for metric in ("p_abandon", "mean_wait", "service_level"):
        out[metric] = sum(float(w) * h.open * h.figures[metric]
                          for w, h in zip(profile, hours, strict=True) if h.figures is not None) / inside
    return out


def _redial_pool(model: PoolModel, solution: redials.Solution, name: str) -> dict:
    """A pool's day figures at the fixed point, with the calls and the load its redials add."""
    hours = solution.hours[name]
    figures = day_figures(model, hours, 1.0)
    extra = np.maximum(solution.rates[name] - solution.first[name], 0.0)
    entered = [float(x) * h.open for x, h in zip(extra, hours, strict=True)]
    answered = [e * (1.0 - h.figures["p_abandon"]) if h.figures is not None else 0.0
                for e, h in zip(entered, hours, strict=True)]
    figures["redial_calls_per_hour"] = sum(entered) / len(hours)
    figures["redial_load"] = sum(answered) / len(hours) * model.talk.mean / 3600.0
    return figures
