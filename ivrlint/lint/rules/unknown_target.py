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


def _suggest(name, nodes):
    close = difflib.get_close_matches(name, list(nodes), n=1, cutoff=0.7) if len(nodes) < 5000 else []
    return f"; did you mean '{close[0]}'?" if close else ""


def check(ctx, options):
    menu = ctx.menu
    nodes = menu.nodes
    if menu.start and menu.start not in nodes:
        yield menu.where("start"), None, f"start node '{menu.start}' does not exist{_suggest(menu.start, nodes)}"
    for node in nodes.values():
        for key, option in node.options.items():
            if option.goto is not None and option.goto not in nodes:
                yield option.target_loc, node.id, (
                    f"key {key} of '{node.id}' goes to '{option.goto}', which does not exist{_suggest(option.goto, nodes)}"
                )
        for field in ("next", "on_no_input", "on_invalid", "on_failure"):
            target = getattr(node, field)
            if target is not None and target not in nodes:
                yield node.where(field), node.id, (
                    f"'{field}' of '{node.id}' names '{target}', which does not exist{_suggest(target, nodes)}"
                )
        for branch in node.branches:
            if branch.goto not in nodes:
                yield branch.loc, node.id, (
                    f"a branch of '{node.id}' goes to '{branch.goto}', which does not exist{_suggest(branch.goto, nodes)}"
                )
    if menu.traffic:
        for intent in menu.traffic.intents.values():
            for goal, loc in zip(intent.goals, intent.goal_locs or [intent.loc] * len(intent.goals), strict=True):
                if goal not in nodes:
                    yield loc, None, f"the goal of intent '{intent.name}' is '{goal}', which does not exist{_suggest(goal, nodes)}"
