"""key-before-action (U214): "Press 1 for billing" where "For billing, press 1" is meant.

What it checks
    In a menu with more than two options, each option should be said
    action first, key last. The rule reports a menu whose prompt says a key
    before what it does: a sentence that opens with the press phrase and
    puts the option's words after it ("Press 1 for billing", "Нажмите 1
    для оплаты", "اضغط 1 للفواتير", "Nyomja meg az 1-es gombot a
    számlázáshoz"). This reads the order of words, not their meaning, so it
    works in every language whose press verbs the lexicon knows (English,
    Lithuanian, Latvian, Russian, Arabic, Hungarian, German, French,
    Spanish, Polish) and in others whose press verb it learns from the
    menu's own keys. One finding per menu, naming the first such key.

Why it matters
    A caller who hears the key first must hold every number in mind until
    they hear whether they want it, and by the fifth option they have lost
    the first. With the action first they wait for the option they need
    and press the key they hear next. Weinschenk & Barker (Designing
    Effective Speech Interfaces, ch. 10) and ETSI ETR 096 recommend
    function before key; two options are easy to hold, so short yes/no
    menus are left alone (docs/sources.md#design-rules-with-numbers).

Options
    ``min_options`` (default 3): menus with at least this many options are
    checked (docs/sources.md#design-rules-with-numbers: "menus with more
    than 2 options").

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: Press 1 for opening hours, 2 for our address, or 0 for an agent.
        options: {1: hours, 2: address, 0: agent}
        on_failure: agent
      hours: {type: message, prompt: We are open from nine to five., next: main}
      address: {type: message, prompt: We are at 1 Main Street., next: main}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}

Passes::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For opening hours, press 1. For our address, press 2. For an agent, press 0.
        options: {1: hours, 2: address, 0: agent}
        on_failure: agent
      hours: {type: message, prompt: We are open from nine to five., next: main}
      address: {type: message, prompt: We are at 1 Main Street., next: main}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

from __future__ import annotations

CODE = "U214"
SLUG = "key-before-action"
SEVERITY = "info"
SUMMARY = "a prompt that says the key before the action ('Press 1 for billing')"
OPTIONS = {"min_options": 3}


def check(ctx, options):
    for node in ctx.hearing.menus_with_text():
        if len(node.options) < options["min_options"]:
            continue
        for version in ctx.hearing.versions(node):
            said = next((a for a in version.reading.announcements if a.key_first and not a.continued), None)
            if said is None:
                continue
            phrase = " ".join(version.text[said.start:said.end].split())
            action = said.description[:1].upper() + said.description[1:]
            yield version.loc, node.id, (
                f"{version.called} of {ctx.phrases.node(node)} says the key before the action (\"{phrase} {said.description}\"); "
                f"callers must keep each key in mind until they know whether they want it: say what the option "
                f"does first, then the key (\"{action}, {phrase.lower()}\")"
            )
            break
