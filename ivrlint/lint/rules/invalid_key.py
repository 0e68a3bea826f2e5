"""invalid-key (S108): an option key that is not on a phone keypad.

What it checks
    Option keys must be one of the twelve DTMF keys of the ITU-T E.161
    keypad: ``0``-``9``, ``*`` and ``#``, one key per option.

Why it matters
    A caller cannot press "10" or "A" as one key: the option can never be
    chosen, and multi-digit keys collide with the single-digit options that
    share their first digit.

Options
    None.

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For orders, press 1. For an agent, press 0.
        options: {1: agent, 10: agent, 0: agent}
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
        options: {1: agent, 0: agent}
        on_failure: agent
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

from ivrlint.menu.model import KEYS

CODE = "S108"
SLUG = "invalid-key"
SEVERITY = "error"
SUMMARY = "a key other than 0-9, * and #"
OPTIONS: dict = {}


def check(ctx, options):
    for node in ctx.menu.nodes.values():
        for key, option in node.options.items():
            if key not in KEYS:
                hint = "; quote * and # keys" if key in ("", "~") else ""
                yield option.loc, node.id, (
                    f"key '{key}' of {ctx.phrases.node(node)} is not a phone key; use one of 0-9, * or #{hint}"
                )
