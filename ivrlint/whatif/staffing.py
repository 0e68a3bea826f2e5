"""The fewest agents per pool that meet service targets, found exactly, then checked by simulation.

The analysis (``analyze_menu``) says how much work the menu's routing sends
to each pool (its offered load in Erlangs). For that load, ``fewest_agents``
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

from dataclasses import dataclass, field
from typing import Optional

from ivrlint.errors import UsageError
from ivrlint.menu.model import Menu

MODELS = ("erlang-a", "erlang-c")


@dataclass
class PoolStaffing:
    pool: str
    agents_now: int
    offered_load: float
    agents: Optional[int]  # None: no staffing up to the limit meets the targets
    analysed: dict = field(default_factory=dict)  # measures at `agents`
    simulated: dict = field(default_factory=dict)  # {"mean", "ci95"} per target metric
    verdict: Optional[str] = None  # confirmed / borderline / not confirmed
    note: str = ""

    def as_dict(self) -> dict:
        return dict(vars(self))


def pool_measures(menu: Menu, model: str) -> dict[str, tuple[float, float, Optional[float]]]:
    """{pool: (arrival rate per second, mean handle seconds, mean patience or None)} from the analysis."""
    from ivrlint.analysis import analyze_menu

    queues = analyze_menu(menu).get("queues") or {}
    patience = menu.traffic.patience.mean if model == "erlang-a" else None
    out = {}
    for name, values in queues.items():
        pool = menu.queues.get(name)
        if pool is None:
            continue
        handle = pool.handle_time.mean
        out[name] = (float(values.get("offered_load") or 0.0) / handle, handle, patience)
    return out


def staff(menu: Menu, targets: list[str], pools: Optional[list[str]] = None, model: str = "erlang-a",
          limit: int = 10000) -> list[PoolStaffing]:
    """The fewest agents per pool (all pools, or `pools`) meeting every target, by the formulas."""
    from ivrlint.analysis.queueing import erlang_a_metrics, erlang_c_metrics, fewest_agents, parse_target

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
            seed: int, jobs: Optional[int]) -> None:
    """Simulate the menu at the chosen staffing; fill each pool's simulated measures and verdict."""
    from ivrlint.analysis.queueing import parse_target
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
