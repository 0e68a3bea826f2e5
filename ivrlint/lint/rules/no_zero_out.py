"""no-zero-out (U201): a menu where 0 does not lead to a person.

What it checks
    Every menu must have the reserved-key profile's person key (0 by
    default), and that key must lead to a live person: a ``queue`` or a
    ``transfer`` to a person, directly or through nodes that ask the caller
    nothing more (a "please hold" message, a business-hours branch, an
    account-number step). With ``callback_counts`` (on by default), a
    voicemail that takes a message for a callback counts too: it is all an
    after-hours menu can give.

Why it matters
    Callers whose need the menu did not foresee press 0, because the
    convention says a person answers. The GetHuman standard's first rule is
    that a caller can always press 0 for a person, and ETSI ETR 096 names 0
    the operator key (docs/sources.md#design-rules-with-numbers). A 0 that
    does nothing, or that starts another menu, is the complaint callers
    make most. GetHuman rule 8 puts a callback on a par with a person when
    nobody can answer, hence ``callback_counts``.

Options
    ``callback_counts`` (default true): a 0 that leads to a voicemail
    (a callback) is enough. The person key itself is the top-level
    ``reserved-keys`` setting (``person=0`` by default).

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For opening hours, press 1. For an agent, press 2.
        options: {1: hours, 2: agent}
        on_failure: agent
      hours: {type: message, prompt: We are open from nine to five., next: main}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}

Passes::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For opening hours, press 1. For an agent, press 0.
        options: {1: hours, 0: agent}
        on_failure: agent
      hours: {type: message, prompt: We are open from nine to five., next: main}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

from __future__ import annotations

import networkx as nx

from ivrlint.lint.rules import _usability as usability
from ivrlint.menu import digraph as graphs

CODE = "U201"
SLUG = "no-zero-out"
SEVERITY = "warning"
SUMMARY = "a menu where 0 (the person key) does not lead to a person"
OPTIONS = {"callback_counts": True}


def check(ctx, options):
    key = usability.reserved_key(ctx, "person")
    if key is None:  # the profile reserves no key for a person
        return
    nearest: dict[str, str] | None = None  # found once, when the first menu needs it
    for node in usability.menus(ctx):
        if not node.options:
            continue  # dead-end reports a menu with no options
        option = node.options.get(key)
        if option is None:
            nearest = _nearest_people(ctx.graph) if nearest is None else nearest
            agent = _person_near(ctx, node, nearest)
            fix = ctx.phrases.add_option(node, key, agent)
            yield node.where("options"), node.id, (
                f"{ctx.phrases.node(node)} has no {key} key; callers press {key} to reach a person: {fix} and say so in the prompt"
            )
            continue
        if option.goto is not None and option.goto not in ctx.menu.nodes:
            continue  # unknown-target reports it
        reached = usability.someone_reached(ctx, option.goto) if option.action is None else None
        if reached == "person" or (reached == "callback" and options["callback_counts"]):
            continue
        does = f"does '{option.action}' instead of reaching a person" if option.action \
            else f"goes to {ctx.named(option.goto)}, not to a person"
        yield option.loc, node.id, (
            f"{key} in {ctx.phrases.node(node)} {does}; callers press {key} to reach someone, "
            f"so send it to an agent queue (or use another key for {repr(option.action) if option.action else ctx.named(option.goto)})"
        )


def _person_near(ctx, node, nearest: dict[str, str]) -> str | None:
    """A person node to suggest for the menu's missing key: the one its
    failures or options already lead to, else the nearest one (`nearest`)."""
    for target in [node.on_failure] + [o.goto for o in node.options.values()]:
        if usability.someone_reached(ctx, target) == "person":
            return target
    return nearest.get(node.id)


def _nearest_people(graph: nx.DiGraph) -> dict[str, str]:
    """For every node that leads to a person: the person node fewest moves away, the first in
    graph order among those as near.

    One breadth-first search back from all people at once, not one forward
    from each menu, which grew with menus times nodes (a dialplan of 4,000
    menus with no 0 key: 15 s). Sources enter in graph order, so every level
    of the search holds the nodes claimed by earlier people first, and a node
    is claimed by the first person in graph order at its distance: what
    ``min(people, key=distance)`` from the node picks.

    >>> g = nx.DiGraph([("main", "sales"), ("sales", "desk"), ("main", "agent")])
    >>> nx.set_node_attributes(g, {"desk": True, "agent": True}, "person")
    >>> _nearest_people(g)["main"], _nearest_people(g)["sales"]
    ('agent', 'desk')
    """
    owner = {person: person for person in graphs.people(graph)}
    level = list(owner)
    while level:
        following = []
        for node in level:
            for before in graph.predecessors(node):
                if before not in owner:
                    owner[before] = owner[node]
                    following.append(before)
        level = following
    return owner
