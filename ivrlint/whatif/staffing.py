"""The fewest agents per pool that meet service targets, found by the queue analysis, then checked by simulation.

Targets (``parse_target``: ``service_level>=0.8``, ``mean_wait<=30s``) are
read here, times with the menu format's own duration parser. The analysis
(``analyze_menu``) says how many calls the menu's routing sends to each pool.
For that rate, ``fewest_agents`` searches the staffing with the pool's queue
model (analysis/general_queue.py), in milliseconds per candidate, for one of
two models of the callers:

* ``erlang-a``: callers give up as the menu's patience says (Erlang A when
  talk time and patience are exponential);
* ``erlang-c``: callers never give up (Erlang C when talk time is exponential).

The model is exact for exponential talk time (and for one agent) and an
approximation otherwise (talk time is lognormal by default); each pool says
which. The chosen staffing is then simulated *for the same model*: the
menu's own routing and distributions, and for ``erlang-c`` callers who never
give up, after a warm-up that is not counted (the analysis is of a pool in
steady state, not one that opens empty). Analysed and simulated figures are
shown side by side, and each target is judged on the simulated figure's
95% interval:

* ``met``: the whole interval meets the target; ``missed``: none of it does;
  ``undecided``: the interval straddles the target;
* the pool is ``confirmed`` when every target is met, ``not confirmed`` when
  one is missed, and ``borderline`` otherwise (more hours or replications
  decide it). Where the analysis is approximate, the staffing rests on the
  simulation, and the report says so.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from ivrlint.analysis.laws import NEVER, Law, law_of
from ivrlint.errors import UsageError
from ivrlint.menu.model import Duration, Menu, Queue
from ivrlint.menu.values import parse_duration

#: The models of the callers `staff --model` offers: erlang-a (they give up as the menu's
#: patience says) or erlang-c (they never do).
MODELS = ("erlang-a", "erlang-c")
#: Staffing targets: metric -> the direction more agents move it.
GOALS = {"service_level": ">=", "p_wait": "<=", "p_abandon": "<=", "mean_wait": "<=", "occupancy": "<="}
#: Target metrics that are times (a duration, as a menu file writes it); the others are shares.
TIMES = ("mean_wait",)


# -- targets ------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """A staffing target such as service_level >= 0.8."""

    metric: str
    op: str
    value: float

    def met(self, metrics: dict) -> bool:
        got = metrics[self.metric]
        slack = 1e-12 * max(1.0, abs(self.value))  # 0.8 computed as 0.79999999999 still meets 0.8
        return got >= self.value - slack if self.op == ">=" else got <= self.value + slack

    def __str__(self) -> str:
        return f"{self.metric}{self.op}{self.value:g}"


_TARGET = re.compile(r"^\s*([A-Za-z_]+)\s*(>=|<=)\s*(.+?)\s*$")
_SHARE = re.compile(r"^(\d+(?:\.\d*)?|\.\d+)(%)?$")


def parse_target(text: str) -> Target:
    """'service_level>=0.8' -> Target; shares may be written 80%, times as menu durations (30, 30s, 2m)."""
    usage = f"expected METRIC>=VALUE or METRIC<=VALUE, metric one of {', '.join(GOALS)}"
    match = _TARGET.match(text)
    if not match or match.group(1) not in GOALS:
        raise UsageError(f"target '{text}': {usage}")
    metric, op, raw = match.groups()
    if metric in TIMES:
        try:
            value = parse_duration(raw, "its value")
        except ValueError as exc:
            raise UsageError(f"target '{text}': {metric} takes seconds; {exc}") from None
    else:
        share = _SHARE.match(raw)
        if share is None:
            raise UsageError(f"target '{text}': {metric} takes a share like 0.8 or 80%")
        value = float(share.group(1)) * (0.01 if share.group(2) else 1.0)
        if value > 1:
            raise UsageError(f"target '{text}': {metric} is a share between 0 and 1")
    if op != GOALS[metric]:
        raise UsageError(
            f"target '{text}' cannot be met by adding agents, which only "
            f"{'raise' if GOALS[metric] == '>=' else 'lower'} {metric}; write {metric}{GOALS[metric]}VALUE"
        )
    return Target(metric, op, value)


def fewest_agents(
    evaluate: Callable[[int], dict],
    targets: Iterable[str | Target],
    start: int = 1,
    limit: int = 10000,
) -> int | None:
    """The fewest agents n in start..limit whose evaluate(n) meets every target, or None.

    `evaluate(n)` gives the pool's measures with n agents (the queueing
    formulas' dict). Every target metric improves with more agents, so the
    agents that meet the targets are all n from some point on; the search
    doubles its step until the targets are met, then bisects, needing
    O(log n) evaluations.
    """
    goals = [t if isinstance(t, Target) else parse_target(t) for t in targets]
    meets = lambda n: all(goal.met(evaluate(n)) for goal in goals)  # noqa: E731
    if start > limit:
        return None
    if meets(start):
        return start
    low, step = start, 1  # low always fails the targets, high meets them
    while True:
        high = min(low + step, limit)
        if meets(high):
            break
        if high == limit:
            return None
        low, step = high, 2 * step
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (low, mid) if meets(mid) else (mid, high)
    return high


# -- staffing a menu's pools --------------------------------------------------


@dataclass
class PoolStaffing:
    pool: str
    agents_now: int
    offered_load: float
    agents: int | None  # None: no staffing up to the limit meets the targets
    analysed: dict = field(default_factory=dict)  # measures at `agents`
    exact: bool = True  # the analysed measures are exact (else the queue model's approximation)
    approximation: str = ""  # why they are not exact
    simulated: dict = field(default_factory=dict)  # {"mean", "ci95"} per shown measure
    checks: dict = field(default_factory=dict)  # target -> met / undecided / missed (by the simulated interval)
    verdict: str | None = None  # confirmed / borderline / not confirmed
    note: str = ""

    def as_dict(self) -> dict:
        return dict(vars(self))


#: The measures staffing shows, analysed and simulated side by side.
MEASURES = ("service_level", "p_wait", "p_abandon", "mean_wait", "occupancy")


@dataclass(frozen=True)
class PoolLoad:
    """What the queue model of one pool needs: its call rate and the callers' laws."""

    rate: float  # calls per second while the pool is open
    talk: Law
    patience: Law  # NEVER for erlang-c
    pool: Queue | None = None  # its callback offer, announcements and overflow (analysis/features.py)


def pool_loads(menu: Menu, model: str) -> dict[str, PoolLoad]:
    """{pool: PoolLoad} from the analysis, for `model` (erlang-a: the menu's patience; erlang-c: never)."""
    from ivrlint.analysis import analyze_menu
    from ivrlint.sim.parameters import behaviour_of
    from ivrlint.sim.requirements import traffic_of

    queues = analyze_menu(model_menu(menu, model), paths=False).get("queues") or {}  # an InputError for a menu with no traffic
    patience = law_of(traffic_of(menu).patience, "exponential") if model == "erlang-a" else NEVER
    talk_cv = behaviour_of(menu).talk_cv
    out = {}
    for name, values in queues.items():
        pool = menu.queues.get(name)
        if pool is None:
            continue
        talk = law_of(pool.handle_time, "lognormal", talk_cv)
        out[name] = PoolLoad(float(values.get("offered_load") or 0.0) / talk.mean, talk, patience, pool)
    return out


def checked_request(menu: Menu, targets: list[str], pools: list[str] | None, model: str) -> list[Target]:
    """The targets of a staffing request, once the menu has traffic and the model and pools exist."""
    if menu.traffic is None:
        raise UsageError(f"{menu.file}: staffing needs the calls a menu gets, and this menu has no traffic section")
    if model not in MODELS:
        raise UsageError(f"--model {model}: expected one of {', '.join(MODELS)}")
    goals = [parse_target(t) for t in targets]
    for name in pools or ():
        if name not in menu.queues:
            raise UsageError(f"--pool {name}: no such pool; the menu's pools are {', '.join(menu.queues) or 'none'}")
    return goals


def staff(menu: Menu, targets: list[str], pools: list[str] | None = None, model: str = "erlang-a",
          limit: int = 10000) -> list[PoolStaffing]:
    """The fewest agents per pool (all pools, or `pools`) meeting every target, by the queue analysis."""
    goals = checked_request(menu, targets, pools, model)
    _refuse_a_day_that_varies(menu, pools or list(menu.queues))
    current, previous = menu, None
    out: list[PoolStaffing] = []
    for _ in range(LOAD_ROUNDS):  # redials and overflow move the load with the staffing: until it stays the same
        loads = pool_loads(current, model)
        out = []
        for name in pools or list(menu.queues):
            load, now = loads.get(name), menu.queues[name].agents
            if load is None or load.rate <= 0:
                out.append(PoolStaffing(name, now, 0.0, None, note="no calls reach this pool"))
            else:
                out.append(_staff_pool(name, now, load, goals, limit))
        chosen = {s.pool: s.agents for s in out if s.agents is not None}
        if chosen == previous or not _load_follows_staff(menu):
            break
        previous, current = chosen, copy.deepcopy(current)
        for name, n in chosen.items():
            current.queues[name].agents, current.queues[name].agents_by_hour = n, None
    return out


def _refuse_a_day_that_varies(menu: Menu, pools: list[str]) -> None:
    """UsageError when the calls or a staffed pool's agents vary by the hour: one count for the whole
    day would be sized on the day's average load (too few for its busy hours), and confirmed over
    hours that start at midnight; `staff --by-hour` answers hour by hour."""
    why = []
    rates = menu.traffic.calls_per_hour if menu.traffic is not None else []
    if len(set(rates)) > 1:
        why.append("the calls vary by the hour (calls_per_hour has 24 values)")
    hourly = [name for name in pools if len(set(menu.queues[name].agents_by_hour or [])) > 1]
    if hourly:
        pools_said = ", ".join(f"'{name}'" for name in hourly)
        why.append(f"pool{'s' if len(hourly) > 1 else ''} {pools_said} {'are' if len(hourly) > 1 else 'is'} "
                   "staffed by the hour (agents has 24 values)")
    if why:
        raise UsageError(f"{menu.file}: {' and '.join(why)}; one count of agents for the whole day would be sized "
                         "on the day's average load, too few for its busy hours: use staff --by-hour for agents "
                         "per hour")


#: Times the analysis is run again at the staffing found, where redials or overflow make the load follow it.
LOAD_ROUNDS = 6


def _load_follows_staff(menu: Menu) -> bool:
    """Do a pool's calls depend on the staffing (callers who redial, pools that overflow)?"""
    redial = menu.traffic.redial if menu.traffic is not None else None
    return (redial is not None and redial.share > 0) or any(q.overflow is not None for q in menu.queues.values())


def _staff_pool(name: str, now: int, load: PoolLoad, goals: list[Target], limit: int) -> PoolStaffing:
    """One pool's fewest agents, with the analysed measures (and whether they are exact) there."""
    from ivrlint.analysis import features
    from ivrlint.analysis.hourly import queue_figures

    solved: dict[int, dict] = {}
    line = features.line_of(load.pool, load.patience) if load.pool is not None else load.patience

    def evaluate(n: int) -> dict:
        if n not in solved:
            solved[n] = queue_figures(load.rate, load.talk, line, n)
        return solved[n]

    agents = fewest_agents(evaluate, goals, start=1, limit=limit)
    entry = PoolStaffing(name, now, load.rate * load.talk.mean, agents)
    if agents is None:
        entry.note = f"no staffing up to {limit} agents meets the targets"
        return entry
    figures = solved[agents]
    entry.exact = figures["exact"]
    entry.analysed = {k: v for k, v in figures.items() if k not in ("stable", "exact")}
    if not entry.exact:
        reasons = features.reasons(load.pool, []) if load.pool is not None else []
        if load.talk.kind != "exponential" and agents > 1:
            spread = f", cv {load.talk.cv:g}" if load.talk.kind == "lognormal" else ""
            reasons.append(f"talk time {load.talk.kind}{spread}, not exponential")
        entry.approximation = "; ".join(reasons)
    return entry


def confirm(menu: Menu, staffing: list[PoolStaffing], targets: list[str], hours: float, replications: int,
            seed: int, jobs: int | None, model: str = "erlang-a", warmup: float = 1.0) -> None:
    """Simulate the menu at the chosen staffing, for the same model of the callers as the
    analysis (erlang-c: callers who never give up); fill each pool's simulated measures,
    the check of each target and the verdict."""
    from ivrlint.menu.overrides import apply_overrides
    from ivrlint.sim import run_simulation

    chosen = [s for s in staffing if s.agents is not None]
    if not chosen:
        return
    staffed = apply_overrides(menu, [f"queues.{s.pool}.agents={s.agents}" for s in chosen])
    staffed = model_menu(staffed, model)
    result = run_simulation(staffed, hours=hours, replications=replications, seed=seed, jobs=jobs, warmup=warmup)
    goals = [parse_target(t) for t in targets]
    for entry in chosen:
        measured = (result.metrics.get("queues") or {}).get(entry.pool, {})
        entry.simulated = {m: _within_range(m, measured[m]) for m in MEASURES if isinstance(measured.get(m), dict)}
        entry.checks = {str(g): check(g, entry.simulated.get(g.metric)) for g in goals}
        entry.verdict = verdict(entry.checks.values())


def model_menu(menu: Menu, model: str) -> Menu:
    """The menu whose simulation is the model's: for erlang-c, callers who never give up."""
    if model != "erlang-c" or menu.traffic is None:
        return menu
    never = Duration(math.inf, "fixed", loc=menu.traffic.patience.loc)
    return replace(menu, traffic=replace(menu.traffic, patience=never))


def _within_range(metric: str, value: dict) -> dict:
    """A simulated figure with its interval held to what the figure can take: a share within 0-1,
    a wait at least 0 (a normal interval from few replications runs past both)."""
    ci = value.get("ci95")
    if not ci or None in ci:
        return value
    high = math.inf if metric == "mean_wait" else 1.0
    return {**value, "ci95": [max(ci[0], 0.0), min(ci[1], high)]}


def check(goal: Target, value: dict | None) -> str:
    """met / undecided / missed: the target judged on the simulated figure's 95% interval
    ("not simulated" when the simulation has no such figure)."""
    if value is None:
        return "not simulated"
    low, high = value.get("ci95") or (value["mean"], value["mean"])
    worst, best = (low, high) if goal.op == ">=" else (high, low)
    if goal.met({goal.metric: worst}):
        return "met"
    return "undecided" if goal.met({goal.metric: best}) else "missed"


def verdict(checks) -> str:
    """confirmed (every target met), not confirmed (one missed), else borderline."""
    checks = list(checks)
    if "not simulated" in checks:
        return "not simulated"
    if "missed" in checks:
        return "not confirmed"
    return "confirmed" if all(c == "met" for c in checks) else "borderline"
