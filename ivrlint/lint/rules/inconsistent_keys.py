"""inconsistent-keys (U210): a reserved key means different things in different menus.

What it checks
    The keys of the reserved-key profile (0, ``*``, ``#`` and the repeat
    key 9 by default), in every menu that uses them: each must do the same
    thing everywhere. What a key does is one of: reach a person (a queue or
    a transfer to one, directly or after messages and branches; a voicemail
    for a callback counts as the same promise), repeat the menu, go back,
    go to the top, or go to one particular node. The meaning the profile
    gives the key is taken as the right one when some menu uses it, else the
    meaning most menus use; each menu that differs is reported at its key.

Why it matters
    Callers learn a line's keys from the first menu and use them without
    listening in the next: if ``*`` went back there, they press ``*`` to go
    back here, and if it repeats the menu instead they are stuck. Key
    conventions (ISO/IEC 13714; 0 for a person per GetHuman and ETSI ETR
    096) only help when they hold in every menu
    (docs/sources.md#design-rules-with-numbers).

Options
    None. Which keys are reserved, and for what, is the top-level
    ``reserved-keys`` setting (``person=0, back=*, repeat=9, end=#``).

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For orders, press 1. For an agent, press 0. To hear this again, press star.
        options: {1: orders, 0: agent, "*": {action: repeat}}
        on_failure: agent
      orders:
        type: menu
        prompt: For returns, press 1. For an agent, press 0. To go back, press star.
        options: {1: agent, 0: agent, "*": {action: back}}
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
        prompt: For orders, press 1. For an agent, press 0. To hear this again, press 9.
        options: {1: orders, 0: agent, 9: {action: repeat}}
        on_failure: agent
      orders:
        type: menu
        prompt: For returns, press 1. For an agent, press 0. To go back, press star.
        options: {1: agent, 0: agent, "*": {action: back}}
        on_failure: agent
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

from __future__ import annotations

from collections import Counter

from ivrlint.lint.rules import _usability as usability

CODE = "U210"
SLUG = "inconsistent-keys"
SEVERITY = "warning"
SUMMARY = "a reserved key (0, *, #, the repeat key) means different things in different menus"
OPTIONS: dict = {}


def check(ctx, options):
    for role, key in usability.profile(ctx).items():
        uses = []  # (menu, option, meaning) in file order
        for node in usability.menus(ctx):
            option = node.options.get(key)
            if option is not None and (option.goto is None or option.goto in ctx.menu.nodes):
                uses.append((node, option, usability.meaning(ctx, node, option)))
        counts = Counter(meaning for _, _, meaning in uses)
        if len(counts) < 2:
            continue
        # the profile's meaning when some menu follows it, else the most common (first seen on a tie)
        expected = role if role in counts else counts.most_common(1)[0][0]
        keeping = [node.id for node, _, meaning in uses if meaning == expected]
        where = ", ".join(ctx.named(n) for n in keeping[:3]) + (", ..." if len(keeping) > 3 else "")
        reason = f"the reserved-key profile gives it to '{role}'" if expected == role else "most menus use it so"
        for node, option, meaning in uses:
            if meaning != expected:
                yield option.loc, node.id, (
                    f"'{key}' in {ctx.phrases.node(node)} means {usability.describe(meaning)}, but {usability.describe(expected)} "
                    f"in {where} ({reason}); callers learn a key once, so give '{key}' one meaning in every menu"
                )
