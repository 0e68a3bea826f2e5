"""phantom-option (U212): the prompt asks for a key the menu does not have.

What it checks
    Every key a menu's prompt asks the caller to press must be one of the
    menu's options, in every language of the prompt. A key is asked for
    when it stands next to a press verb ("press 3", "press the pound key",
    "spauskite 3", "spiediet restīti", "нажмите на клавишу 3", "اضغط ٣",
    "nyomja meg a 3-as gombot", "a csillag gombot nyomja meg") or continues
    a list after one ("press 1 for billing, 2 for support, or 3 for sales").
    Digits said in passing are not asked for: "open 9 to 5", "24 hours",
    "1-800-555-0199", "the 1st of May", "your 8 digit account number". A #
    (the reserved-keys ``end`` key) in a sentence that asks for digits
    ("enter your number, then press the hash key") ends the entry and is no
    menu option.

Why it matters
    The caller does as told and hears "invalid entry", or worse, the menu
    was changed and the recording was not: the key now leads somewhere the
    prompt does not say. Flow builders check that every block is connected
    (docs/sources.md#what-flow-builders-validate), but none compares what
    the prompt says with what the menu does.

Options
    None. The end-of-entry key is the top-level ``reserved-keys`` setting
    (``end=#`` by default).

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt:
          en: For opening hours, press 1. For an agent, press 0.
          ru: Чтобы узнать часы работы, нажмите 1. Чтобы узнать адрес, нажмите 2. Чтобы поговорить с оператором, нажмите 0.
        options: {1: hours, 0: agent}
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
        prompt:
          en: We are open from 9 to 5. For opening hours, press 1. For an agent, press 0.
          ru: Мы работаем с 9 до 5. Чтобы узнать часы работы, нажмите 1. Чтобы поговорить с оператором, нажмите 0.
        options: {1: hours, 0: agent}
        on_failure: agent
      hours: {type: message, prompt: We are open from 9 to 5., next: main}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

from __future__ import annotations

from ivrlint.lint.rules._usability import reserved_key

CODE = "U212"
SLUG = "phantom-option"
SEVERITY = "warning"
SUMMARY = "the prompt asks for a key the menu does not have"
OPTIONS: dict = {}


def check(ctx, options):
    end_key = reserved_key(ctx, "end")
    for node in ctx.hearing.menus_with_text():
        for version in ctx.hearing.versions(node):
            reported = set()
            for said in version.reading.announcements:
                if said.key in node.options or said.key in reported:
                    continue
                if said.key == end_key and said.while_entering:
                    continue
                reported.add(said.key)
                phrase = " ".join(version.text[said.start:said.end].split())
                yield version.loc, node.id, (
                    f"{version.called} of {ctx.phrases.node(node)} says \"{phrase}\", but the menu has no option {said.key}; "
                    f"callers who press it hear an error: add option {said.key}, or take it out of the prompt"
                )
