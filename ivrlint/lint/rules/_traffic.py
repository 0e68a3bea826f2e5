"""What the traffic rules (T3xx) share: the menu's analysis, once per run.

The rules use ``ivrlint.analysis.analyze_menu`` (the caller model's chains
and each pool's queue model), which costs milliseconds, never a simulation.
A pool's queue figures are exact or approximate (the analysis says which);
a rule that quotes approximate figures says so (``approximate_note``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard

from ivrlint.errors import InputError


def expected(ctx) -> dict | None:
    """The analysis of ctx.menu; None without traffic, or when the menu
    cannot be analysed (the structural rules say why)."""
    if ctx.menu.traffic is None:
        return None
    if "analysis" not in ctx.cache:
        from ivrlint.analysis import analyze_menu

        try:
            ctx.cache["analysis"] = analyze_menu(ctx.menu, paths=False)
        except (InputError, ArithmeticError):
            ctx.cache["analysis"] = None
    return ctx.cache["analysis"]


def approximate_note(pool: dict) -> str:
    """" (approximate figures: why)" for a pool whose queue figures are approximate, else ""."""
    if pool.get("exact", True):
        return ""
    return f" (approximate figures: {pool.get('approximation') or 'not exact'})"


def used_pools(menu) -> dict[str, list[str]]:
    """Pool name -> the queue nodes that send callers to it."""
    out: dict[str, list[str]] = {}
    for node in menu.nodes.values():
        if node.type == "queue" and node.queue in menu.queues:
            out.setdefault(node.queue, []).append(node.id)
    return out


@dataclass(frozen=True)
class PoolHour:
    """A pool's queue figures in one clock hour (``hour``), or in its one steady state (``hour`` None:
    a flat rate, the same agents all day and a pool that never shuts)."""

    hour: int | None
    calls_per_hour: float  # calls the pool takes in that hour
    agents: int
    figures: dict  # as general_queue.pool_figures names them
    exact: bool

    @property
    def load(self) -> float:
        """Offered load in erlangs (agents' worth of talk)."""
        return float(self.figures.get("offered_load") or 0.0)

    @property
    def wait_of_waiters(self) -> float:
        """Mean wait of the callers who have to wait (they are the ones who hear the queue); 0 if nobody waits."""
        p_wait = self.figures["p_wait"]
        return self.figures["mean_wait"] / p_wait if p_wait > 0 else 0.0

    def clock(self) -> str:
        """" at 09:00-10:00" for an hour, "" for the steady state."""
        return "" if self.hour is None else f" at {self.hour:02d}:00-{self.hour + 1:02d}:00"


def by_the_hour(menu, name: str) -> bool:
    """Are pool `name`'s figures to be judged hour by hour (agents or calls that change over the day, or opening hours)?"""
    pool, traffic = menu.queues[name], menu.traffic
    shuts = pool.hours is not None and pool.hours[1] - pool.hours[0] < 24.0
    return pool.hourly or shuts or (traffic is not None and len(traffic.calls_per_hour) > 1)


def pool_hours(ctx, name: str) -> list[PoolHour] | None:
    """Pool `name`'s queue figures from the analysis: hour by hour (its ``hours``) for a pool
    judged by the hour, in each hour it is open and takes calls; else its one steady state
    (the pool's own figures). None without traffic figures."""
    key = ("pool_hours", name)
    if key not in ctx.cache:
        ctx.cache[key] = _pool_hours(ctx, name)
    return ctx.cache[key]


def _has_figures(entry) -> TypeGuard[dict]:
    return isinstance(entry, dict) and all(entry.get(k) is not None for k in ("p_wait", "mean_wait"))


def _pool_hours(ctx, name: str) -> list[PoolHour] | None:
    figures = expected(ctx) or {}
    pool = ctx.menu.queues[name]
    day = figures.get("hours")
    if by_the_hour(ctx.menu, name) and isinstance(day, list) and len(day) == 24:
        out = []
        for h, hour in enumerate(day):
            entry = (hour.get("queues") or {}).get(name) if isinstance(hour, dict) else None
            if _has_figures(entry) and (entry.get("calls") or 0.0) > 0:
                out.append(PoolHour(h, entry["calls"], entry.get("agents", pool.agents_at(h)), entry, bool(entry.get("exact"))))
        return out
    entry = figures.get("queues", {}).get(name)
    if not _has_figures(entry) or not entry.get("calls_per_hour"):
        return None
    return [PoolHour(None, entry["calls_per_hour"], pool.agents, entry, bool(entry.get("exact", True)))]


def hours_note(hours: list[PoolHour], ctx=None, name: str | None = None) -> str:
    """" (approximate: why)" for figures of `hours` that are approximate, else "". For hours, the
    pessimistic part of the pool's approximation (overflow the formulas cannot share) is named too:
    it is the larger error, and the simulation gives the figure that counts."""
    if all(hour.exact for hour in hours):
        return ""
    if any(hour.hour is not None for hour in hours):
        pool = ((expected(ctx) or {}).get("queues") or {}).get(name) if ctx is not None and name else None
        reason = (pool or {}).get("approximation") or ""
        worse = [part for part in reason.split("; ") if "pessimistic" in part]
        return f" (approximate: each hour taken as steady{''.join('; ' + part for part in worse)})"
    return approximate_note(hours[0].figures).replace("approximate figures", "approximate")
