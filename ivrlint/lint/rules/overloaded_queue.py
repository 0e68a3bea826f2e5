"""overloaded-queue (T304): a pool cannot answer its traffic well.

What it checks
    With the offered load that the menu's routing sends to each pool (the
    caller model's chains times ``traffic``), the pool's queue model (Erlang
    A when talk time and patience are exponential) gives the expected
    abandonment and service level. The rule warns when a pool gets more
    load than it has agents, when more than ``max_abandonment`` of its
    callers hang up waiting, or when fewer than ``min_service_level`` are
    answered within 20 seconds. No simulation is run. A pool that keeps
    ``hours`` is judged over the hours it is open, at the calls it takes then.
    A pool staffed by the hour (``agents`` a list of 24) is judged hour by
    hour, each hour at its calls and the agents on duty (each hour taken
    as steady, so approximate), and the message names the worst hour.
    Where the pool's figures are approximate (talk time that is not
    exponential, docs/queue-approximation.md) the message says so.

Why it matters
    Abandonment of 5-8% is the usual norm in call centres (industry
    literature; one vendor's customers averaged 12%), and 80% of calls
    answered within 20 s is the classic service-level convention. A pool
    below these at the configured traffic makes callers wait and hang up.
    ``ivrlint staff`` finds the fewest agents that meet a target.

Options
    ``max_abandonment`` (default 0.08): highest acceptable share of a pool's
    callers who abandon. ``min_service_level`` (default 0.8): lowest
    acceptable share answered within 20 s.

Fails::

    ivr: shop
    start: agent
    nodes:
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 300}
    traffic:
      calls_per_hour: 30
      patience: 60
      intents: {any: {share: 1, goal: agent}}

Passes::

    ivr: shop
    start: agent
    nodes:
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 6, handle_time: 300}
    traffic:
      calls_per_hour: 30
      patience: 60
      intents: {any: {share: 1, goal: agent}}
"""

from ivrlint.common.text import plural
from ivrlint.lint.rules._traffic import PoolHour, approximate_note, expected, hours_note, pool_hours

CODE = "T304"
SLUG = "overloaded-queue"
SEVERITY = "warning"
SUMMARY = "a pool's expected abandonment or service level is beyond its limit at the configured traffic"
OPTIONS = {"max_abandonment": 0.08, "min_service_level": 0.8}


def check(ctx, options):
    figures = expected(ctx)
    if figures is None:
        return
    for name, pool in figures["queues"].items():
        if pool["agents"] <= 0 or pool["calls_per_hour"] <= 0:
            continue  # no-agents reports empty pools; an unused pool has no load
        if ctx.menu.queues[name].hourly:
            yield from _by_hour(ctx, name, options)
            continue
        problems = _problems(pool, pool["peak_load"] if pool["overloaded"] else None, options)
        if problems:
            # the figures are over the pool's open hours: quote the rate they come from
            open_hours = " in open hours" if ctx.menu.queues[name].hours is not None else ""
            yield ctx.menu.queues[name].loc, None, (
                f"pool '{name}' with {plural(pool['agents'], 'agent')} can expect{approximate_note(pool)} "
                f"{' and '.join(problems)} at "
                f"{pool['open_calls_per_hour']:.0f} calls per hour{open_hours}; "
                "add agents (`ivrlint staff`) or route fewer callers there"
            )


def _problems(figures: dict, load: float | None, options: dict) -> list[str]:
    """What is beyond the limits in `figures` (a pool's, or one hour's); `load` when it is more than its agents."""
    problems = []
    if load is not None:
        problems.append(f"an offered load of {load:.1f} agents' worth of calls")
    if figures["p_abandon"] > options["max_abandonment"]:
        problems.append(f"{100 * figures['p_abandon']:.1f}% of callers abandoning (limit {100 * options['max_abandonment']:g}%)")
    if figures["service_level"] < options["min_service_level"]:
        problems.append(f"{100 * figures['service_level']:.1f}% answered within 20 s "
                        f"(target {100 * options['min_service_level']:g}%)")
    return problems


def _by_hour(ctx, name: str, options: dict):
    """A pool staffed by the hour, judged in each hour at that hour's calls and agents on duty."""
    hours = [hour for hour in pool_hours(ctx, name) or () if hour.figures.get("p_abandon") is not None
             and hour.figures.get("service_level") is not None]

    def beyond(hour: PoolHour) -> list[str]:
        return _problems(hour.figures, hour.load if hour.load >= hour.agents else None, options)

    bad = [hour for hour in hours if beyond(hour)]
    if not bad:
        return
    worst = max(bad, key=lambda hour: (len(beyond(hour)), hour.figures["p_abandon"], -hour.figures["service_level"]))
    more = f" (and {len(bad) - 1} more of its hours)" if len(bad) > 1 else ""
    yield ctx.menu.queues[name].loc, None, (
        f"pool '{name}' with {plural(worst.agents, 'agent')} on duty{worst.clock()} can expect{hours_note(hours, ctx, name)} "
        f"{' and '.join(beyond(worst))} at {worst.calls_per_hour:.0f} calls per hour{more}; "
        "add agents in those hours (`ivrlint staff --by-hour`) or route fewer callers there"
    )
