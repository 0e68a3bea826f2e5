"""unreachable (S104): a node no call can reach from ``start``.

What it checks
    Every node must be reachable from the start node by some sequence of
    keys, timeouts, failures, branches or ``next`` steps. Nodes that no
    call reaches are reported once per group: at the first of them that
    no other unreachable node leads to, naming the other unreachable nodes
    it leads to. A node an importer made for part of another (what a
    FreeSWITCH entry runs) goes with that node unnamed, so an unreachable
    FreeSWITCH menu is one finding at its ``<menu>``, not one more for each
    of its entries.

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

import networkx as nx

from ivrlint.lint.rules import _usability as usability

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
    lost = [node_id for node_id in ctx.menu.nodes if node_id not in reachable]
    if not lost:
        return
    written = {node_id for node_id in lost if ctx.phrases.part_of(node_id) is None}
    lost_graph = ctx.graph.subgraph(lost)
    start = ctx.phrases.node(ctx.menu.nodes[ctx.menu.start])
    for head in _heads(lost_graph, lost, written):
        node = ctx.menu.nodes[head]
        name = ctx.phrases.node(node)
        below = nx.descendants(lost_graph, head)
        # the nodes it leads to that were written on their own (parts of it, an entry's step, go with it)
        also = list(dict.fromkeys(ctx.phrases.node(ctx.menu.nodes[n]) for n in lost if n in below and n in written))
        if also:
            names = usability.shorten([n for n in also if n != name], ", ", keep=2)
            yield node.loc, head, f"{name} cannot be reached from {start}, nor can {names}, which it leads to; link to it or remove them"
        else:
            yield node.loc, head, f"{name} cannot be reached from {start}; link to it or remove it"


def _heads(lost_graph, lost: list[str], written: set[str]) -> list[str]:
    """One node of each group of unreachable nodes that no other unreachable node leads to
    (the first written one, in the menu's order): every other unreachable node is reached from one of them."""
    order = {node_id: i for i, node_id in enumerate(lost)}
    condensed = nx.condensation(lost_graph)
    heads = []
    for component in condensed.nodes:
        if condensed.in_degree(component) == 0:
            members = sorted(condensed.nodes[component]["members"], key=order.__getitem__)
            heads.append(next((m for m in members if m in written), members[0]))
    return sorted(heads, key=order.__getitem__)
