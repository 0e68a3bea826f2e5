"""no-repeat (U208): a menu with no way to hear its options again.

What it checks
    Every menu needs an option that plays it again: ``{action: repeat}``,
    or a key whose ``goto`` is the menu itself. Replaying the prompt after a
    no-input timeout does not count: the caller has to sit in silence, then
    hear an error, to get it. Nor does a key that replays the menu only
    because what it should do is broken (an importer's ``broken-entry``:
    a FreeSWITCH ``transfer`` with no destination plays the menu again),
    as no prompt offers it for that.

Why it matters
    Callers listen to a menu once, often while doing something else, and
    miss the option they wanted or forget which key it had. Without a
    repeat key their choices are to guess, to wait for the timeout, or to
    hang up and call again. The key conventions behind the reserved-key
    profile give repeat its own key (9 in the sipXconfig and FreeSWITCH demo
    defaults; docs/sources.md#platform-defaults).

Options
    None. The key the message suggests is the top-level ``reserved-keys``
    setting's ``repeat`` key (9 by default).

Fails::

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

Passes::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: >
          For opening hours, press 1. For an agent, press 0. To hear these
          options again, press 9.
        options: {1: hours, 0: agent, 9: {action: repeat}}
        on_failure: agent
      hours: {type: message, prompt: We are open from nine to five., next: main}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

from __future__ import annotations

from ivrlint.lint.rules import _usability as usability

CODE = "U208"
SLUG = "no-repeat"
SEVERITY = "warning"
SUMMARY = "a menu with no way to hear the options again"
OPTIONS: dict = {}


def check(ctx, options):
    key = usability.reserved_key(ctx, "repeat")
    broken = {note.loc for note in ctx.notes("broken-entry")}
    for node in usability.menus(ctx):
        if not node.options:
            continue  # dead-end reports a menu with no options
        if any(usability.meaning(ctx, node, o) == "repeat" and o.target_loc not in broken for o in node.options.values()):
            continue
        yield node.where("options"), node.id, (
            f"{ctx.phrases.node(node)} gives no way to hear its options again; {ctx.phrases.add_repeat(node, key)} "
            "and say so at the end of the prompt"
        )
