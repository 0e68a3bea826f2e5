"""hangup-on-failure (U205): the call is cut off when the retries run out.

What it checks
    Menus and input steps whose retries can run out, and self-service tasks
    that can fail: each needs an ``on_failure``, and it must not lead
    straight to a ``hangup`` (directly, or through messages and branches
    that all end in one, such as "Sorry, goodbye"). Without ``on_failure``
    the platform disconnects the call.

Why it matters
    The callers who fail a menu are the ones it serves worst: a wrong
    number, a rotary phone, a need the menu does not list, a hard time with
    the keypad. Hanging up on them makes them call again and start over.
    GetHuman rule 8: when retries run out, go to a person or a callback,
    never hang up (docs/sources.md#gethuman-standard).

Options
    None.

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For opening hours, press 1. For an agent, press 0.
        options: {1: hours, 0: agent}
        on_failure: sorry
      sorry: {type: message, prompt: Sorry we could not help you. Goodbye., next: bye}
      bye: {type: hangup}
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

CODE = "U205"
SLUG = "hangup-on-failure"
SEVERITY = "warning"
SUMMARY = "the call is disconnected when a menu's retries run out"
OPTIONS: dict = {}

#: What runs out: a menu's and an input's retries, a task's attempt.
FAILS = {"menu": "its {n} retries run out", "input": "its {n} retries run out", "self_service": "the task fails"}
#: Nodes that carry the call on without the caller choosing.
CARRY_ON = ("message", "branch")


def check(ctx, options):
    for node in ctx.menu.nodes.values():
        if node.type not in FAILS or (node.type == "self_service" and node.success == 1):
            continue  # a task that always succeeds cannot fail
        if node.type != "self_service" and node.retries is None:
            continue  # unlimited retries never run out (the retries rule reports the loop)
        when = FAILS[node.type].format(n=node.retries)
        better = _better_target(ctx, node)
        fix = ctx.phrases.add_failure(node, better)
        if node.on_failure is None:
            yield node.loc, node.id, (
                f"{ctx.phrases.node(node)} has no on_failure, so the call is disconnected when {when}; "
                f"send those callers to a person or a callback: {fix}"
            )
        elif _only_hangs_up(ctx, node.on_failure):
            yield node.where("on_failure"), node.id, (
                f"on_failure of {ctx.phrases.node(node)} hangs up when {when}; "
                f"send those callers to a person or a callback instead: {fix}"
            )


def _only_hangs_up(ctx, target: str) -> bool:
    """Does a call sent to `target` end in a hang-up whatever happens, with
    nothing but messages and branches on the way?"""
    graph = ctx.graph
    if target not in graph:
        return False  # unknown-target reports it
    if graph.nodes[target]["type"] not in CARRY_ON:
        return graph.nodes[target]["type"] == "hangup"
    if "hangup-on-failure.ends" not in ctx.cache:
        ctx.cache["hangup-on-failure.ends"] = _carried_ends(graph)
    return ctx.cache["hangup-on-failure.ends"][target]


def _carried_ends(graph: nx.DiGraph) -> dict[str, bool]:
    """For every message and branch: do the calls it carries on (through messages and branches
    only) all end at a hang-up, and at least one gets somewhere?

    Answered for all of them in one pass over the groups of messages and branches that lead to
    each other (the condensation of their subgraph), from the last group back, not by one search
    from each menu's on_failure: menus whose failures pass along one long path of messages made
    that grow with menus times path length (2,000 of them: 60 s).
    """
    carrying = graph.subgraph(n for n, kind in graph.nodes(data="type") if kind in CARRY_ON)
    groups = nx.condensation(carrying)
    exits: dict[int, bool] = {}  # some call leaves the group's carrying nodes
    hangups: dict[int, bool] = {}  # every node they leave to is a hang-up
    for group in reversed(list(nx.topological_sort(groups))):
        members = groups.nodes[group]["members"]
        out = {s for n in members for s in graph.successors(n) if s not in carrying}
        later = list(groups.successors(group))
        exits[group] = bool(out) or any(exits[g] for g in later)
        hangups[group] = all(graph.nodes[n]["type"] == "hangup" for n in out) and all(hangups[g] for g in later)
    mapping = groups.graph["mapping"]
    return {n: exits[mapping[n]] and hangups[mapping[n]] for n in carrying}


def _better_target(ctx, node):
    """A place to send failing callers: where the menu's person key already
    leads, else wherever one of its keys reaches a person or a callback."""
    person_key = usability.reserved_key(ctx, "person")
    options = sorted(node.options.values(), key=lambda o: o.key != person_key)
    for option in options:
        if usability.someone_reached(ctx, option.goto):
            return option.goto
    return None
