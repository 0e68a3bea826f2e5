"""key-gaps (U209): choices not numbered 1..n in the order the prompt says them.

What it checks
    The digit keys of a menu's choices (the keys of the reserved-key
    profile left out: 0, 9, * and # by default) must be 1, 2, ... n with no
    gap, and every prompt of the menu must announce them in that order. A
    key counts as announced in a sentence that names it alone (or names
    only choices), so "We are open 9 to 5" does not read as two options.
    Digits in any script count ("paspauskite 1", "нажмите 2", "اضغط ١").

Why it matters
    Callers track where they are in a menu by its numbers: after 1 and 2
    they expect 3. A gap ("press 1... press 2... press 4") makes them wonder
    what they missed, and keys announced out of order are harder to
    remember and easy to mis-press. Avaya's IVR guide asks for keys
    numbered 1..n in spoken order (RESEARCH.md, "Design rules with
    numbers").

Options
    None. The keys left out are the top-level ``reserved-keys`` setting.

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For orders, press 1. For returns, press 2. For opening hours, press 4. For an agent, press 0.
        options: {1: agent, 2: agent, 4: hours, 0: agent}
        on_failure: agent
      hours: {type: message, prompt: We are open from 9 to 5., next: main}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}

Passes::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: We are open 9 to 5. For orders, press 1. For returns, press 2. For opening hours, press 3. For an agent, press 0.
        options: {1: agent, 2: agent, 3: hours, 0: agent}
        on_failure: agent
      hours: {type: message, prompt: We are open from nine to five., next: main}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

from __future__ import annotations

from . import _usability as usability
from ..prompts import key_mentions, sentences

CODE = "U209"
SLUG = "key-gaps"
SEVERITY = "warning"
SUMMARY = "choices not numbered 1..n in the order the prompt announces them"
OPTIONS: dict = {}


def check(ctx, options):
    reserved = set(usability.profile(ctx).values())
    for node in usability.menus(ctx):
        choices = sorted((o for o in node.options.values() if o.key.isdigit() and o.key not in reserved), key=lambda o: o.key)
        keys = [o.key for o in choices]
        wanted = [str(n) for n in range(1, len(keys) + 1)]
        if keys != wanted:
            first = next(o for o, want in zip(choices, wanted) if o.key != want)
            yield first.loc, node.id, (
                f"menu '{node.id}' numbers its choices {', '.join(keys)}; callers expect 1 to {len(keys)} with no gap: "
                f"renumber them 1 to {len(keys)} in the order the prompt says them"
            )
            continue
        for language, text in node.prompt.items():
            said = announced(text, set(keys))
            late = next((i for i in range(1, len(said)) if said[i] < said[i - 1]), None)
            if late is not None:
                yield node.where("prompt"), node.id, (
                    f"the {language} prompt of menu '{node.id}' announces {said[late - 1]} before {said[late]} "
                    f"(order {', '.join(said)}); say the choices in the order of their keys, or renumber them"
                )
                break


def announced(text: str, choices: set[str]) -> list[str]:
    """The choice keys `text` announces, in the order it first says them.

    Only sentences that name a single key, or only choice keys, count, so
    numbers in passing ("open 9 to 5", "press 1 or 0") do not read as an
    order of options.

    >>> announced("Open 9 to 5. For bills, press 2. For cards, press 1.", {"1", "2"})
    ['2', '1']
    """
    mentions = key_mentions(text)
    order: list[str] = []
    for start, end in sentences(text):
        keys = [key for key, at, _ in mentions if start <= at < end]
        if len(keys) == 1 or (keys and len(set(keys)) == len(keys) and set(keys) <= choices):
            order.extend(k for k in keys if k in choices and k not in order)
    return order
