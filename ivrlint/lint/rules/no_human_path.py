"""no-human-path (S106): no way to reach a live person.

What it checks
    From the start node, and from every reachable menu, some sequence of
    keys (or failures) must lead to a ``queue`` node or a ``transfer`` to a
    person. When the start cannot reach a person at all, that one finding is
    given instead of one per menu.

Why it matters
    The GetHuman standard's first rule: a caller must always be able to
    reach a human. A menu with no way out to a person leaves callers whose
    need the menu did not foresee with nowhere to go.

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
      hours: {type: message, prompt: We are open nine to five., next: bye}
      bye: {type: hangup}

Passes::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For store hours, press 1. For an agent, press 0.
        options: {1: hours, 0: agent}
        on_failure: agent
      hours: {type: message, prompt: We are open nine to five., next: bye}
      bye: {type: hangup}
      agent: {type: transfer, destination: "+15550100"}
"""

CODE = "S106"
SLUG = "no-human-path"
SEVERITY = "error"
SUMMARY = "no way to reach a live person from the start, or from a menu"
OPTIONS: dict = {}


def check(ctx, options):
    menu = ctx.menu
    if menu.start not in menu.nodes:
        return
    hops = ctx.person_hops
    if menu.start not in hops:
        yield menu.where("start"), menu.start, (
            f"no caller can reach a person from where calls start ({ctx.named(menu.start)}); add a queue or a transfer to a person"
        )
        return
    reachable = ctx.reachable
    for node in menu.nodes.values():
        if node.type == "menu" and node.id in reachable and node.id not in hops:
            yield node.loc, node.id, f"no way to reach a person from {ctx.phrases.node(node)}; add an option that leads to an agent"
