"""unknown-queue (S102): a queue node names a pool missing from ``queues``.

What it checks
    The ``queue`` of every ``queue`` node must be a pool defined under the
    top-level ``queues`` mapping.

Why it matters
    A call routed to a queue that does not exist is dropped or parked in a
    default queue nobody staffs; the caller waits for no one.

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
SUMMARY = "a queue node names a pool missing from queues"
OPTIONS: dict = {}


def check(ctx, options):
    pools = ctx.menu.queues
    for node in ctx.menu.nodes.values():
        if node.type == "queue" and node.queue is not None and node.queue not in pools:
            close = difflib.get_close_matches(node.queue, list(pools), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else (
                "; define it under 'queues'" if pools else "; add a 'queues' section with this pool"
            )
            yield node.where("queue"), node.id, f"queue node '{node.id}' waits for pool '{node.queue}', which is not defined{hint}"
