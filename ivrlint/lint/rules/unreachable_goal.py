"""unreachable-goal (T302): no keys lead from the start to an intent's goal.

What it checks
    For every intent under ``traffic.intents``, each ``goal`` node must be
    reachable from ``start`` by the moves a caller makes on purpose:
    pressing an option's key, and the ``next`` and branches that follow.
    Reaching it only by failing (``on_failure``, timeouts) does not count.
    It is an error when no goal of the intent can be reached, and a warning
    naming the lost goal when another goal of the intent still can.

Why it matters
    The intent says people call for this; if no sequence of keys gets them
    there, every one of those callers zeroes out to a person (often the
    wrong one), fails into one, or hangs up. When another goal is still
    reached (``goal: [block_card, cards_team]`` with the key to
    ``cards_team`` gone), the intent is still served there, but callers
    who need the lost way have none.

Options
    None.

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For an agent, press 0.
        options: {0: agent}
        on_failure: agent
      refunds: {type: self_service, duration: 60, on_failure: agent}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
    traffic:
      calls_per_hour: 20
      patience: 60
      intents:
        refund: {share: 1, goal: refunds}

Passes::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For refunds, press 1. For an agent, press 0.
        options: {1: refunds, 0: agent}
        on_failure: agent
      refunds: {type: self_service, duration: 60, on_failure: agent}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
    traffic:
      calls_per_hour: 20
      patience: 60
      intents:
        refund: {share: 1, goal: refunds}
"""

import networkx as nx

CODE = "T302"
SLUG = "unreachable-goal"
SEVERITY = "error"
SUMMARY = "an intent's goal cannot be reached from the start by pressing keys"
OPTIONS: dict = {}


def check(ctx, options):
    menu = ctx.menu
    if menu.traffic is None or menu.start not in menu.nodes:
        return
    from ivrlint.sim.routes import forward_graph

    reachable = nx.descendants(forward_graph(menu), menu.start) | {menu.start}
    for intent in menu.traffic.intents.values():
        goals = [(goal, loc) for goal, loc in intent.goals_where() if goal in menu.nodes]  # unknown-target reports the others
        kept = list(dict.fromkeys(goal for goal, _ in goals if goal in reachable))
        for goal, loc in goals:
            if goal in reachable:
                continue
            if not kept:
                yield loc, goal, (
                    f"no keys lead from the start to '{goal}', the goal of intent '{intent.name}'; "
                    "add an option that leads there"
                )
                continue
            still = ", ".join(f"'{g}'" for g in kept)
            yield loc, goal, (
                f"no keys lead from the start to '{goal}', a goal of intent '{intent.name}' (still served at {still}); "
                f"add an option that leads to '{goal}', or drop it from the goals"
            ), "warning"
