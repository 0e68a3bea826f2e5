"""dead-end (S103): a node that does not end the call, yet leads nowhere.

What it checks
    A ``menu`` with no options, a ``message`` or ``input`` with no ``next``,
    a ``branch`` with no branches. (Hang-ups, queues, transfers, voicemail and
    self-service tasks may end the call by design.)

Why it matters
    After the prompt the caller hears silence. Platforms then drop the call,
    and the caller has to start over. Flow builders require a closing action
    on every branch for this reason.

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
        on_failure: agent
      hours: {type: message, prompt: We are open from nine to five.}
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

CODE = "S103"
SLUG = "dead-end"
SEVERITY = "error"
SUMMARY = "a node that does not end the call yet leads nowhere"
OPTIONS: dict = {}


def check(ctx, options):
    for node in ctx.menu.nodes.values():
        if node.type == "menu" and not node.options:
            yield node.loc, node.id, f"{ctx.phrases.node(node)} has no options; add options, or make it a message with 'next'"
        elif node.type in ("message", "input") and node.next is None:
            yield node.loc, node.id, f"{ctx.phrases.node(node)} has no 'next'; say where the call goes after it"
        elif node.type == "branch" and not node.branches:
            yield node.loc, node.id, f"{ctx.phrases.node(node)} has no branches; add at least one '- goto: NODE'"
