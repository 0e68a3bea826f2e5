"""too-deep (U203): a goal or a leaf more than 3 menus deep.

What it checks
    How many menus a caller passes, on the shortest way from the start, to
    reach each leaf of the tree (what a menu key leads to that is not
    another menu: a task, a queue, a message, a transfer...) and each goal
    of the traffic section's intents. Only keys, ``next`` and branches
    count as ways, as in ``human-too-far``. The finding points at the key
    of the deepest menu on that way, where the leaf hangs too low.

Why it matters
    Every level is another prompt to sit through and another choice to get
    wrong; callers who cannot tell which branch holds their task give up or
    press 0. Dunlap (1998) puts the limit at about 3 levels; the figure is
    weakly sourced (docs/sources.md#dunlap-1998), hence an option.

Options
    ``max_depth`` (default 3): the most menus before a leaf or a goal
    (Dunlap 1998; weakly sourced).

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For orders, press 1. For an agent, press 0.
        options: {1: orders, 0: agent}
        on_failure: agent
      orders:
        type: menu
        prompt: For an existing order, press 1. For an agent, press 0.
        options: {1: existing, 0: agent}
        on_failure: agent
      existing:
        type: menu
        prompt: For returns, press 1. For an agent, press 0.
        options: {1: returns, 0: agent}
        on_failure: agent
      returns:
        type: menu
        prompt: For a refund, press 1. For an agent, press 0.
        options: {1: refund, 0: agent}
        on_failure: agent
      refund: {type: self_service, duration: 60, success: 0.8, on_failure: agent}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}

Passes::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For orders, press 1. For an agent, press 0.
        options: {1: orders, 0: agent}
        on_failure: agent
      orders:
        type: menu
        prompt: For returns, press 1. For an agent, press 0.
        options: {1: returns, 0: agent}
        on_failure: agent
      returns:
        type: menu
        prompt: For a refund, press 1. For an agent, press 0.
        options: {1: refund, 0: agent}
        on_failure: agent
      refund: {type: self_service, duration: 60, success: 0.8, on_failure: agent}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

from __future__ import annotations

from ivrlint.lint.rules import _usability as usability

CODE = "U203"
SLUG = "too-deep"
SEVERITY = "warning"
SUMMARY = "a goal or leaf more than 3 menus deep"
OPTIONS = {"max_depth": 3}


#: How many of the last menus on the way a message names.
SHOWN = 5


def check(ctx, options):
    menus_before, ways = usability.menus_on_the_way(ctx)
    limit = options["max_depth"]
    for node_id, what in _leaves_and_goals(ctx).items():
        depth = menus_before.get(node_id)
        if depth is None or depth <= limit:
            continue  # unreachable by keys (other rules say so), or shallow enough
        way = ways.tail(node_id, SHOWN + 1, ctx.graph.nodes(data="type"))  # the whole way costs its depth per finding
        option = usability.last_menu_option(ctx, way)
        loc = option.loc if option else ctx.node_loc(node_id)
        shown = [n for n in way[:-1] if ctx.menu.nodes[n].type == "menu"]
        chain = " > ".join(shown if len(shown) == depth else ["...", *shown[-SHOWN:]])
        yield loc, node_id, (
            f"{what} is {depth} menus deep (more than {limit}): {chain}; "
            "move it up a level or merge menus so callers hear fewer prompts before it"
        )


def _leaves_and_goals(ctx) -> dict[str, str]:
    """Node id -> how a message names it, for every leaf and goal."""
    out: dict[str, str] = {}
    for node in usability.menus(ctx):
        for option in node.options.values():
            target = ctx.menu.nodes.get(option.goto)
            if target is not None and target.type != "menu":
                out.setdefault(target.id, ctx.named(target.id))
    traffic = ctx.menu.traffic
    for intent in traffic.intents.values() if traffic else ():
        for goal in intent.goals:
            if goal in ctx.menu.nodes:
                out[goal] = f"'{goal}', the goal of intent '{intent.name}',"
    return out
