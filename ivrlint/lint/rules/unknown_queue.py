"""unknown-queue (S102): a queue node names a pool missing from ``queues``.

What it checks
    The ``queue`` of every ``queue`` node, every pool an intent lists
    under ``served_by``, and the pool a pool's ``overflow`` sends callers
    ``to`` must be a pool defined under the top-level ``queues`` mapping.

Why it matters
    A call routed to a queue that does not exist is dropped or parked in a
    default queue nobody staffs; the caller waits for no one. An overflow to
    a missing pool helps nobody who waits.

Options
    None.

Fails::

    ivr: shop
    start: agent
    nodes:
      agent: {type: queue, queue: sales}
    queues:
      general: {agents: 2, handle_time: 120}

Passes::

    ivr: shop
    start: agent
    nodes:
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

import difflib

CODE = "S102"
SLUG = "unknown-queue"
SEVERITY = "error"
SUMMARY = "a queue node (or an intent's served_by, or a pool's overflow) names a pool missing from queues"
OPTIONS: dict = {}


def check(ctx, options):
    pools = ctx.menu.queues
    for node in ctx.menu.nodes.values():
        if node.type == "queue" and node.queue is not None and node.queue not in pools:
            hint = _hint(node.queue, pools)
            yield node.where("queue"), node.id, f"queue node '{node.id}' waits for pool '{node.queue}', which is not defined{hint}"
    intents = ctx.menu.traffic.intents.values() if ctx.menu.traffic is not None else ()
    for intent in intents:
        for pool, loc in intent.served_by_where():
            if pool not in pools:
                yield loc, None, f"intent '{intent.name}' is served by pool '{pool}', which is not defined{_hint(pool, pools)}"
    for queue in pools.values():
        overflow = queue.overflow
        if overflow is not None and overflow.to not in pools:
            yield (overflow.locs.get("to", overflow.loc), None,
                   f"pool '{queue.name}' overflows to pool '{overflow.to}', which is not defined{_hint(overflow.to, pools)}")


def _hint(name: str, pools) -> str:
    close = difflib.get_close_matches(name, list(pools), n=1)
    if close:
        return f"; did you mean '{close[0]}'?"
    return "; define it under 'queues'" if pools else "; add a 'queues' section with this pool"
