"""unreachable (S104): a node no call can reach from ``start``.

What it checks
    Every node must be reachable from the start node by some sequence of
    keys, timeouts, failures, branches or ``next`` steps.

Why it matters
    An unreachable node is usually a forgotten link: the service it offers
    (a payment line, an outage message) is never heard by anyone. Amazon
    Connect and Genesys Architect flag unconnected blocks for the same reason.

Options
    None.

Fails::

    ivr: shop
    start: agent
    nodes:
      agent: {type: queue, queue: general}
      outage: {type: message, prompt: There is an outage in your area., next: agent}
    queues:
      general: {agents: 2, handle_time: 120}

Passes::

    ivr: shop
    start: outage
    nodes:
      agent: {type: queue, queue: general}
      outage: {type: message, prompt: There is an outage in your area., next: agent}
    queues:
      general: {agents: 2, handle_time: 120}
"""

CODE = "S104"
SLUG = "unreachable"
SEVERITY = "error"
SUMMARY = "a node no call can reach from start"
OPTIONS: dict = {}


def check(ctx, options):
    for note in ctx.notes(SLUG):  # what an importer found unreached among the files given (a flow no flow leads to)
        yield note.loc, note.node_id, note.message
    if ctx.menu.start not in ctx.menu.nodes:
        return  # unknown-target reports the start; everything would be unreachable
    reachable = ctx.reachable
    for node in ctx.menu.nodes.values():
        if node.id not in reachable:
            yield node.loc, node.id, f"node '{node.id}' cannot be reached from '{ctx.menu.start}'; link to it or remove it"
