"""key-gaps (U209): choices not numbered 1..n in the order the prompt says them.

What it checks
    The digit keys of a menu's choices (leaving out the keys of the
    reserved-key profile, 0, 9, * and # by default, and any key that
    repeats the menu or goes back) must be 1, 2, ... n with no gap (a
    number used by a repeat or back key is no gap), and
    every prompt of the menu must announce them in that order (each
    language's version on its own; the versions of a language-choice menu
    together, as they are played). A key is announced where the prompt
    asks the caller to press it, so "We are open 9 to 5" does not read as
    two options; digits in any script count ("paspauskite 1", "нажмите 2",
    "اضغط ١").

Why it matters
    Callers track where they are in a menu by its numbers: after 1 and 2
    they expect 3. A gap ("press 1... press 2... press 4") makes them wonder
    what they missed, and keys announced out of order are harder to
    remember and easy to mis-press. Avaya's IVR guide asks for keys
    numbered 1..n in spoken order (docs/sources.md#avaya-ir-guide).

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

from ivrlint.language.wording import PromptReading, read_prompt  # noqa: F401 (read_prompt: the doctest)
from ivrlint.lint.rules import _usability as usability

CODE = "U209"
SLUG = "key-gaps"
SEVERITY = "warning"
SUMMARY = "choices not numbered 1..n in the order the prompt announces them"
OPTIONS: dict = {}


def check(ctx, options):
    reserved = set(usability.profile(ctx).values())
    for node in usability.menus(ctx):
        choices = sorted((o for o in node.options.values() if o.key.isdigit() and o.key not in reserved
                          and not usability.is_navigation(ctx, node, o)), key=lambda o: o.key)
        keys = [o.key for o in choices]
        wanted = [str(n) for n in range(1, len(keys) + 1)]
        if keys != wanted and _has_gap(node, keys):
            first = next(o for o, want in zip(choices, wanted, strict=True) if o.key != want)
            yield first.loc, node.id, (
                f"{ctx.phrases.node(node)} numbers its choices {', '.join(keys)}; callers expect 1 to {len(keys)} with no gap: "
                f"renumber them 1 to {len(keys)} in the order the prompt says them"
            )
            continue
        for version in ctx.hearing.versions(node):
            said = announced(version.reading, set(keys))
            late = next((i for i in range(1, len(said)) if said[i] < said[i - 1]), None)
            if late is not None:
                yield version.loc, node.id, (
                    f"{version.called} of {ctx.phrases.node(node)} announces {said[late - 1]} before {said[late]} "
                    f"(order {', '.join(said)}); say the choices in the order of their keys, or renumber them"
                )
                break


def _has_gap(node, keys: list[str]) -> bool:
    """Is a number below the highest choice free, or a choice numbered 0 or
    above 9? A number the menu gives to a repeat or back key is no gap: the
    caller hears it (an importer keeps a broken entry's key that way, as the
    platform replays the menu on it)."""
    pressed = {key for key in node.options if key.isdigit()}
    return any(len(key) > 1 or key == "0" for key in keys) or \
        any(str(n) not in pressed for n in range(1, max(int(k) for k in keys) + 1))


def announced(reading: PromptReading, choices: set[str]) -> list[str]:
    """The choice keys a prompt asks the caller to press, in the order it
    first asks for them (the reading tells a key asked for from a digit said
    in passing).

    >>> announced(read_prompt("Open 9 to 5. For bills, press 2. For cards, press 1."), {"1", "2"})
    ['2', '1']
    """
    order: list[str] = []
    for announcement in reading.announcements:
        if announcement.key in choices and announcement.key not in order:
            order.append(announcement.key)
    return order
