"""no-agents (T303): a queue pool that callers reach has no agents.

What it checks
    Every pool under ``queues`` that a ``queue`` node sends callers to must
    have at least one agent (checked on menus with ``traffic``).

Why it matters
    Callers routed there wait until they give up: nobody will ever answer.
    Every one of them abandons, after waiting their whole patience.

Options
    None.

Fails::

    ivr: shop
    start: agent
    nodes:
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 0, handle_time: 120}
    traffic:
      calls_per_hour: 20
      patience: 60
      intents: {any: {share: 1, goal: agent}}

Passes::

    ivr: shop
    start: agent
    nodes:
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
    traffic:
      calls_per_hour: 20
      patience: 60
      intents: {any: {share: 1, goal: agent}}
"""

from ivrlint.lint.rules._traffic import used_pools

CODE = "T303"
SLUG = "no-agents"
SEVERITY = "error"
SUMMARY = "a queue pool that callers reach has no agents"
OPTIONS: dict = {}


def check(ctx, options):
    menu = ctx.menu
    if menu.traffic is None:
        return
    for name, nodes in used_pools(menu).items():
        pool = menu.queues[name]
        if pool.agents <= 0:
            yield pool.loc, nodes[0], (
                f"pool '{name}' has no agents, so every caller sent there by {', '.join(repr(n) for n in nodes)} "
                "waits until they give up; staff it or route those callers elsewhere"
            )
