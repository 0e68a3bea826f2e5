"""trap-loop (S105): a loop the caller can never leave, except by hanging up.

What it checks
    Groups of nodes that form a loop from which no path ends the call or
    reaches a live person. One finding per trapped group, naming its nodes.

Why it matters
    "I kept getting sent back to the same menu" is the classic IVR
    complaint. Flow builders warn about cyclic connections; the fix is a
    retry counter (``on_failure``) or an exit to a person.

Options
    None.

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For store hours, press 1.
        options: {1: hours}
        on_failure: main
      hours: {type: message, prompt: We are open nine to five., next: main}

Passes::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For store hours, press 1. For an agent, press 0.
        options: {1: hours, 0: agent}
        on_failure: agent
      hours: {type: message, prompt: We are open nine to five., next: main}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

from ivrlint.menu.digraph import trapped_regions

CODE = "S105"
SLUG = "trap-loop"
SEVERITY = "error"
SUMMARY = "nodes from which the call can never end nor reach a person"
OPTIONS: dict = {}


def check(ctx, options):
    for region in trapped_regions(ctx.graph):
        names = ", ".join(ctx.named(n) for n in region[:8]) + (f" and {len(region) - 8} more" if len(region) > 8 else "")
        yield ctx.node_loc(region[0]), region[0], (
            f"callers in {names} can never reach a person nor end the call; add an exit to a person or an on_failure that leaves the loop"
        )
