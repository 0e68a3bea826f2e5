"""Agents per pool hour by hour that meet service targets in every hour (``staff --by-hour``).

Two steps, each from the literature on time-varying staffing:

1. **Lag-SIPP** (Green, Kolesar & Soares 2001, docs/sources.md#green-kolesar-and-soares-2001):
   each hour is staffed as a stationary queue (the stationary independent
   period approximation) with the fewest agents that meet every target
   (staffing.fewest_agents, the queue model of analysis/general_queue.py),
   at the hour's arrival rate lagged by the mean talk time (analysis/hourly.py):
   the agents busy in an hour took their calls about one talk time earlier.
   The rates come from the analysis, so redials (which grow when staff are
   short) and overflow between pools are in them; the analysis is run again
   at the new staffing until the counts settle.
2. **Confirmed by simulating the whole day**, in the spirit of Feldman,
   Mandelbaum, Massey & Whitt's iterative staffing algorithm (2008,
   docs/sources.md#feldman-mandelbaum-massey-and-whitt-2008), which
   adjusts each period's staff by what a simulation of the day measures:
   whole days are simulated with the hourly staffing (from midnight, the
   warm-up hours first and not counted, then 24 h counted, so each clock
   hour once a day), each hour's figures read from the simulation
   (sim/hourly.py), and each target judged on the hour's 95% interval over
   the days (met, undecided, missed: staffing.check). An hour whose
   simulated figure misses a target, its interval wholly or its mean alone
   (the mean only in an hour of MEAN_DECIDES_FROM calls or more over the
   days: in a quiet hour one slow answer moves it past any target),
   gets one more agent and the days are simulated again, a few rounds (the
   same seed, so a change shows the agent's effect, not new noise): the
   simulation's best estimate says the hour falls short, which is what ISA
   corrects; such a target is ``missed``, and an hour still missing one after
   the last round (which adds nobody: the staffing shown is the one
   simulated) is ``not confirmed``. An hour whose mean meets a target but
   whose interval straddles it stays as it is: more replications decide it,
   not more agents, and so does a quiet hour whose mean misses: `days_to_decide` says about how many (or that its
   mean sits too close to the target for more days to decide it).

The figures are approximate: each hour is taken as steady ("stationary per
hour"), which the simulation, of the whole day with its carry-over from
hour to hour, is there to check.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from functools import partial

from ivrlint.analysis.hourly import HOURS, PoolModel
from ivrlint.menu.model import Menu
from ivrlint.whatif.staffing import (
    MEASURES,
    Target,
    _within_range,
    check,
    checked_request,
    fewest_agents,
    model_menu,
    parse_target,
    verdict,
)

#: Times the analysis is run again at the new staffing (redials and overflow move the load with it).
LOAD_ROUNDS = 6


@dataclass
class HourStaffing:
    """One hour of one pool: its agents, analysed figures there, and what the simulation measured."""

    hour: int
    agents: int
    offered_load: float  # Erlangs at the lagged rate the hour is staffed for
    analysed: dict = field(default_factory=dict)
    simulated: dict = field(default_factory=dict)  # {"mean", "ci95"} per measure the simulation has by the hour
    checks: dict = field(default_factory=dict)
    verdict: str | None = None  # confirmed / borderline / not confirmed / not simulated / shut
    added: int = 0  # agents the simulation rounds added to Lag-SIPP's count

    def as_dict(self) -> dict:
        return dict(vars(self))


@dataclass
class PoolDayStaffing:
    pool: str
    agents_now: list[int]
    hours: list[HourStaffing]
    approximation: str = ("stationary per hour: each hour staffed as a steady queue at its rate lagged by the mean "
                          "talk time (Lag-SIPP)")
    note: str = ""
    rounds: int = 0  # whole days simulated
    model: PoolModel | None = field(default=None, repr=False)  # the queue model the hours were staffed with

    @property
    def agents_by_hour(self) -> list[int]:
        return [h.agents for h in self.hours]

    @property
    def verdict(self) -> str | None:
        said = [h.verdict for h in self.hours if h.verdict not in (None, "shut")]
        if not said:
            return None
        for worst in ("not confirmed", "not simulated", "borderline"):
            if worst in said:
                return worst
        return "confirmed"

    def as_dict(self) -> dict:
        return {"pool": self.pool, "agents_by_hour": self.agents_by_hour, "agents_now": self.agents_now,
                "exact": False, "approximation": self.approximation, "note": self.note, "rounds": self.rounds,
                "verdict": self.verdict, "hours": [h.as_dict() for h in self.hours]}


def staff_by_hour(menu: Menu, targets: list[str], pools: list[str] | None = None, model: str = "erlang-a",
                  limit: int = 10000) -> list[PoolDayStaffing]:
    """Lag-SIPP agents per hour for every pool (or `pools`), meeting every target in every hour."""
    from ivrlint.sim.parameters import behaviour_of

    goals = checked_request(menu, targets, pools, model)
    names = pools or list(menu.queues)
    talk_cv = behaviour_of(menu).talk_cv
    current = model_menu(menu, model)
    chosen: dict[str, list[HourStaffing]] = {}
    models: dict[str, PoolModel] = {}
    previous = None
    for _ in range(LOAD_ROUNDS):  # the load at the staffing found, until the staffing stays the same
        loads = hourly_loads(current)
        models = {name: PoolModel(current, name, talk_cv) for name in names}
        chosen = {name: _staff_hours(models[name], loads[name], goals, limit) for name in names}
        counts = {name: [h.agents for h in hours] for name, hours in chosen.items()}
        if counts == previous:
            break
        previous = counts
        current = with_agents(current, counts)
    out = []
    for name in names:
        entry = PoolDayStaffing(name, [menu.queues[name].agents_at(h) for h in range(HOURS)], chosen[name])
        entry.model = models[name]
        if all(h.offered_load <= 0 for h in entry.hours):
            entry.note = "no calls reach this pool"
        elif any(h.agents < 0 for h in entry.hours):
            entry.note = f"no staffing up to {limit} agents meets the targets in some hours"
        out.append(entry)
    return out


def hourly_loads(menu: Menu) -> dict[str, list[float]]:
    """Per pool, its offered load in each clock hour (Erlangs, at the rate lagged by the mean talk time;
    0 in an hour it is shut), from the analysis: redials and overflow included."""
    from ivrlint.analysis import analyze_menu

    figures = analyze_menu(menu, paths=False)
    hours = figures.get("hours")
    out = {}
    for name, pool in (figures.get("queues") or {}).items():
        if hours:
            out[name] = [float(entry["queues"][name].get("offered_load") or 0.0) for entry in hours]
        else:
            out[name] = [float(pool.get("offered_load") or 0.0)] * HOURS
    return out


def _staff_hours(model: PoolModel, loads: list[float], goals: list[Target], limit: int) -> list[HourStaffing]:
    """The fewest agents meeting the goals in each hour, at that hour's load (-1: none up to the limit)."""
    out = []
    for h, load in enumerate(loads):
        per_second = load / model.talk.mean
        if per_second <= 0:
            out.append(HourStaffing(h, 0, 0.0))
            continue
        n = fewest_agents(partial(_solve_at, model, per_second), goals, start=1, limit=limit)
        entry = HourStaffing(h, n if n is not None else -1, load)
        if n is not None:
            entry.analysed = {k: v for k, v in model.solve(per_second, n).items() if k in MEASURES}
        out.append(entry)
    return out


def _solve_at(model: PoolModel, per_second: float, agents: int) -> dict:
    return model.solve(per_second, agents)


def with_agents(menu: Menu, agents: dict[str, list[int]]) -> Menu:
    """A copy of `menu` whose pools in `agents` are staffed by the hour with those counts."""
    out = copy.deepcopy(menu)
    for name, counts in agents.items():
        pool = out.queues[name]
        counts = [max(c, 0) for c in counts]
        pool.agents_by_hour, pool.agents = list(counts), max(counts)
    return out


def confirm_by_hour(menu: Menu, staffing: list[PoolDayStaffing], targets: list[str], replications: int, seed: int,
                    jobs: int | None, model: str = "erlang-a", warmup: float = 1.0, rounds: int = 3) -> None:
    """Simulate whole days at the hourly staffing and judge each hour; hours whose simulated figure misses a
    target get one more agent and the days are simulated again, up to `rounds` times (module docstring)."""
    from ivrlint.sim import run_simulation
    from ivrlint.sim.hourly import pool_hours

    goals = [parse_target(t) for t in targets]
    staffed = [s for s in staffing if not s.note]
    if not staffed:
        return
    for round_ in range(1, rounds + 1):
        day = with_agents(model_menu(menu, model), {s.pool: s.agents_by_hour for s in staffed})
        result = run_simulation(day, hours=float(HOURS), replications=replications, seed=seed, jobs=jobs,
                                warmup=warmup, keep_records=False)
        short = False
        for entry in staffed:
            entry.rounds = round_
            measured = pool_hours(result.metrics.get("hours") or [], entry.pool)
            for hour, figures in zip(entry.hours, measured, strict=True):
                short |= _judge(hour, figures, goals, day.queues[entry.pool].hours, round_ < rounds, replications)
        if not short:
            break
    for entry in staffed:  # the analysed figures of the counts the rounds changed
        for hour in entry.hours:
            if hour.added and entry.model is not None:
                figures = entry.model.solve(hour.offered_load / entry.model.talk.mean, hour.agents)
                hour.analysed = {k: v for k, v in figures.items() if k in MEASURES}


#: Calls an hour must have had over all the simulated days before its mean alone can call a target
#: missed: with a call or two, one caller who waited 20 s moves the mean past any target.
MEAN_DECIDES_FROM = 100


def _judge(hour: HourStaffing, figures: dict | None, goals: list[Target], open_: tuple[float, float] | None,
           may_add: bool, days: int = 1) -> bool:
    """Fill one hour's simulated figures and checks; add an agent (and say so) when a target is missed
    by the interval, or by the mean of an hour with calls enough (MEAN_DECIDES_FROM over the `days`)."""
    if hour.agents == 0 and hour.offered_load <= 0:
        hour.verdict = "shut" if open_ is not None else "no calls"
        return False
    hour.simulated = {m: _within_range(m, figures[m]) for m in MEASURES
                      if figures and isinstance(figures.get(m), dict) and figures[m].get("mean") is not None}
    hour.checks = {str(g): check(g, hour.simulated.get(g.metric)) for g in goals}
    calls = (figures or {}).get("calls")
    informed = isinstance(calls, dict) and (calls.get("mean") or 0.0) * days >= MEAN_DECIDES_FROM
    for g in goals:  # the interval straddles the target but the mean misses it: the best estimate falls short
        if informed and hour.checks[str(g)] == "undecided" and not _mean_meets(g, hour.simulated.get(g.metric)):
            hour.checks[str(g)] = "missed"
    hour.verdict = verdict(hour.checks.values())
    short = [g for g in goals if hour.checks[str(g)] == "missed"]
    if short and may_add:
        hour.agents += 1
        hour.added += 1
        return True
    return False


def _mean_meets(goal: Target, value: dict | None) -> bool:
    return value is not None and value.get("mean") is not None and goal.met({goal.metric: value["mean"]})


#: Days to suggest at most, as a multiple of the days simulated: beyond it an hour's mean sits
#: too close to its target for more days to decide it (and the estimate would only mislead).
DECIDE_AT_MOST = 50


@dataclass(frozen=True)
class ToDecide:
    """About how many simulated days would decide the hours left undecided, and the hour that needs the most."""

    days: int | None  # None: more than DECIDE_AT_MOST x the days simulated (or the mean sits on the target)
    hour: int  # the clock hour that drives the estimate

    @property
    def too_close(self) -> bool:
        return self.days is None


def days_to_decide(staffing: PoolDayStaffing, goals: list[Target], replications: int) -> ToDecide | None:
    """About how many simulated days would decide the hours left undecided: an interval's half-width
    shrinks as one over the square root of the days, so it clears the target once it is narrower than the
    mean's distance from it. None when no hour is undecided; ``days`` None when the hour needing the most
    would need more than DECIDE_AT_MOST times the days simulated (its mean sits too close to its target)."""
    worst: tuple[float, int] | None = None  # (days needed, hour)
    for hour in staffing.hours:
        for goal in goals:
            value = hour.simulated.get(goal.metric)
            if hour.checks.get(str(goal)) != "undecided" or not value or None in value["ci95"]:
                continue
            half, margin = (value["ci95"][1] - value["ci95"][0]) / 2.0, abs(value["mean"] - goal.value)
            needed = replications * (half / margin) ** 2 if margin > 0 else math.inf
            if worst is None or needed > worst[0]:
                worst = (needed, hour.hour)
    if worst is None:
        return None
    needed, hour_ = worst
    return ToDecide(math.ceil(needed) if needed <= DECIDE_AT_MOST * replications else None, hour_)
