"""unknown-target (S101): a reference to a node that does not exist.

What it checks
    Every place that names a node: an option's target, ``next``,
    ``on_no_input``, ``on_invalid``, ``on_failure``, a branch's ``goto``, an
    intent's ``goal`` and ``start``. Each must name a node under ``nodes``.

Why it matters
    A caller who presses a key that leads nowhere hears silence or an error
    tone and is usually disconnected by the platform. Flow builders (Amazon
    Connect, Genesys Architect, Twilio Studio) refuse to publish such flows;
    asterisklint reports missing goto targets the same way.

Options
    None.

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For orders, press 1. For an agent, press 0.
        options: {1: orders, 0: agent}
        on_failure: agent
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
      orders: {type: message, prompt: Your order is on its way., next: agent}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

import difflib

CODE = "S101"
SLUG = "unknown-target"
SEVERITY = "error"
SUMMARY = "a key, next, on_*, branch, goal or start names a node that does not exist"
OPTIONS: dict = {}


def _suggest(name, candidates):
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.7) if len(candidates) < 5000 else []
    return f"; did you mean '{close[0]}'?" if close else ""


#: Node fields that name the node a call goes to next.
_EXIT_FIELDS = ("next", "on_no_input", "on_invalid", "on_failure")


def check(ctx, options):
    menu = ctx.menu
    nodes = menu.nodes
    # suggest only names the author wrote, never a node an importer made up for part of another
    written = [node_id for node_id in nodes if ctx.phrases.part_of(node_id) is None]
    if menu.start and menu.start not in nodes:
        yield menu.where("start"), None, f"start node '{menu.start}' does not exist{_suggest(menu.start, written)}"
    for node in nodes.values():
        name = f"'{node.id}'" if ctx.phrases.part_of(node.id) is None else ctx.phrases.node(node)
        for loc, reference, target in _node_references(node, name):
            if target not in nodes:
                yield loc, node.id, f"{reference} '{target}', which does not exist{_suggest(target, written)}"
    for loc, reference, goal in _goal_references(menu.traffic):
        if goal not in nodes:
            yield loc, None, f"{reference} '{goal}', which does not exist{_suggest(goal, written)}"


def _node_references(node, name):
    """Each node name `node` (called `name` in messages) refers to: (where it is written, the message's words for it, the name)."""
    for key, option in node.options.items():
        if option.goto is not None:  # an action (repeat, back, top) names no node
            yield option.target_loc, f"key {key} of {name} goes to", option.goto
    for field in _EXIT_FIELDS:
        target = getattr(node, field)
        if target is not None:
            yield node.where(field), f"'{field}' of {name} names", target
    for branch in node.branches:
        yield branch.loc, f"a branch of {name} goes to", branch.goto


def _goal_references(traffic):
    """Each goal node the intents of `traffic` name, as _node_references gives them; none without traffic."""
    if not traffic:
        return
    for intent in traffic.intents.values():
        for goal, loc in intent.goals_where():
            yield loc, f"the goal of intent '{intent.name}' is", goal
