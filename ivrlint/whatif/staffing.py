"""The fewest agents per pool that meet service targets, found exactly, then checked by simulation.

Targets (``parse_target``: ``service_level>=0.8``, ``mean_wait<=30s``) are
read here, times with the menu format's own duration parser. The analysis
(``analyze_menu``) says how much work the menu's routing sends to each pool
(its offered load in Erlangs). For that load, ``fewest_agents``
searches the staffing with the Erlang A formulas (callers give up after the
menu's mean patience) or Erlang C (they never give up), which takes
microseconds per candidate. Those formulas assume exponential talk and
patience; the menu may say otherwise (talk time is lognormal by default),
so the chosen staffing is then simulated with the menu's own distributions
and routing, and the report says whether the simulation confirms it:

* ``confirmed``: every target is met by the simulated mean;
* ``borderline``: a mean misses a target but its 95% interval reaches it;
* ``not confirmed``: a whole interval misses a target (add an agent, or
  look at what the formulas leave out).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ivrlint.errors import UsageError
from ivrlint.menu.model import Menu
from ivrlint.menu.values import parse_duration

#: The queueing models `staff --model` offers: Erlang A (callers give up) or C (they never do).
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
    simulated: dict = field(default_factory=dict)  # {"mean", "ci95"} per target metric
    verdict: str | None = None  # confirmed / borderline / not confirmed
    note: str = ""

    def as_dict(self) -> dict:
        return dict(vars(self))


def pool_measures(menu: Menu, model: str) -> dict[str, tuple[float, float, float | None]]:
    """{pool: (arrival rate per second, mean handle seconds, mean patience or None)} from the analysis."""
    from ivrlint.analysis import analyze_menu
    from ivrlint.sim.requirements import traffic_of

    queues = analyze_menu(menu).get("queues") or {}  # an InputError for a menu with no traffic, as traffic_of gives
    patience = traffic_of(menu).patience.mean if model == "erlang-a" else None
    out = {}
    for name, values in queues.items():
        pool = menu.queues.get(name)
        if pool is None:
            continue
        handle = pool.handle_time.mean
        out[name] = (float(values.get("offered_load") or 0.0) / handle, handle, patience)
    return out


def staff(menu: Menu, targets: list[str], pools: list[str] | None = None, model: str = "erlang-a",
          limit: int = 10000) -> list[PoolStaffing]:
    """The fewest agents per pool (all pools, or `pools`) meeting every target, by the formulas."""
    from ivrlint.analysis.queueing import erlang_a_metrics, erlang_c_metrics

    if menu.traffic is None:
        raise UsageError(f"{menu.file}: staffing needs the calls a menu gets, and this menu has no traffic section")
    goals = [parse_target(t) for t in targets]
    loads = pool_measures(menu, model)
    for name in pools or ():
        if name not in menu.queues:
            raise UsageError(f"--pool {name}: no such pool; the menu's pools are {', '.join(menu.queues) or 'none'}")
    out = []
    for name in pools or list(menu.queues):
        rate, handle, patience = loads.get(name, (0.0, menu.queues[name].handle_time.mean, None))
        now = menu.queues[name].agents
        if rate <= 0:
            out.append(PoolStaffing(name, now, 0.0, None, note="no calls reach this pool"))
            continue

        def evaluate(n: int, rate=rate, handle=handle, patience=patience) -> dict:
            if patience is None:
                return erlang_c_metrics(rate, handle, n)
            return erlang_a_metrics(rate, handle, patience, n)

        agents = fewest_agents(evaluate, goals, start=1, limit=limit)
        entry = PoolStaffing(name, now, rate * handle, agents)
        if agents is None:
            entry.note = f"no staffing up to {limit} agents meets the targets"
        else:
            entry.analysed = {k: v for k, v in evaluate(agents).items() if k != "stable"}
        out.append(entry)
    return out


def confirm(menu: Menu, staffing: list[PoolStaffing], targets: list[str], hours: float, replications: int,
            seed: int, jobs: int | None) -> None:
    """Simulate the menu at the chosen staffing; fill each pool's simulated measures and verdict."""
    from ivrlint.menu.overrides import apply_overrides
    from ivrlint.sim import run_simulation

    chosen = [s for s in staffing if s.agents is not None]
    if not chosen:
        return
    staffed = apply_overrides(menu, [f"queues.{s.pool}.agents={s.agents}" for s in chosen])
    result = run_simulation(staffed, hours=hours, replications=replications, seed=seed, jobs=jobs)
    goals = [parse_target(t) for t in targets]
    for entry in chosen:
        measured = (result.metrics.get("queues") or {}).get(entry.pool, {})
        entry.simulated = {g.metric: measured[g.metric] for g in goals if isinstance(measured.get(g.metric), dict)}
        entry.verdict = _verdict(goals, entry.simulated)


def _verdict(goals, simulated: dict) -> str:
    verdict = "confirmed"
    for goal in goals:
        value = simulated.get(goal.metric)
        if value is None:
            return "not simulated"
        if goal.met({goal.metric: value["mean"]}):
            continue
        low, high = value.get("ci95") or (value["mean"], value["mean"])
        reachable = goal.met({goal.metric: high}) if goal.op == ">=" else goal.met({goal.metric: low})
        if not reachable:
            return "not confirmed"
        verdict = "borderline"
    return verdict
