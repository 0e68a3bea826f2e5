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
from ivrlint.lint.rules._traffic import approximate_note, expected

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
        problems = []
        if pool["overloaded"]:
            problems.append(f"an offered load of {pool['peak_load']:.1f} agents' worth of calls")
        if pool["p_abandon"] > options["max_abandonment"]:
            problems.append(f"{100 * pool['p_abandon']:.1f}% of callers abandoning (limit {100 * options['max_abandonment']:g}%)")
        if pool["service_level"] < options["min_service_level"]:
            problems.append(f"{100 * pool['service_level']:.1f}% answered within 20 s "
                            f"(target {100 * options['min_service_level']:g}%)")
        if problems:
            # the figures are over the pool's open hours: quote the rate they come from
            open_hours = " in open hours" if ctx.menu.queues[name].hours is not None else ""
            yield ctx.menu.queues[name].loc, None, (
                f"pool '{name}' with {plural(pool['agents'], 'agent')} can expect{approximate_note(pool)} "
                f"{' and '.join(problems)} at "
                f"{pool['open_calls_per_hour']:.0f} calls per hour{open_hours}; "
                "add agents (`ivrlint staff`) or route fewer callers there"
            )
