"""unannounced-option (U211): a key the prompt never mentions.

What it checks
    Every key of a menu must be mentioned in its prompt, in every language
    the prompt is written in: a Latvian caller hears only the Latvian
    version, so a key said only in the Lithuanian one does not exist for
    them. A key counts as mentioned when the prompt says it as a digit in
    any script ("spauskite 2", "اضغط ٢"), as a number word after a press
    verb ("press two", "нажмите единицу"), or by the spoken name of * or #
    ("press star", "spiediet zvaigznīti", "нажмите решётку"). A
    language-choice menu is played in all its languages in turn, so there a
    key needs saying in one of them. Menus whose prompt is not written in
    the file (only a recording) are not checked.

Why it matters
    A caller cannot press what they were never told about. Options nobody
    hears are dead weight at best; at worst they are the only way to a
    person (a hidden 0) and callers who need it never find it. GetHuman's
    first rule asks that the way to a person be said
    (docs/sources.md#gethuman-standard).

Options
    ``ignore_keys`` (default none): keys a line deliberately leaves out of
    each menu's prompt because callers are told once, for example
    ``["*", "9"]`` when the greeting says "at any time, press star to go
    back".

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt:
          en: For opening hours, press 1. For an agent, press 0.
          lv: Lai uzzinātu darba laiku, spiediet 1.
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
        prompt:
          en: For opening hours, press 1. For an agent, press 0.
          lv: Lai uzzinātu darba laiku, spiediet 1. Lai runātu ar konsultantu, spiediet 0.
        options: {1: hours, 0: agent}
        on_failure: agent
      hours: {type: message, prompt: We are open from nine to five., next: main}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

from __future__ import annotations

from ivrlint.menu.model import KEYS

CODE = "U211"
SLUG = "unannounced-option"
SEVERITY = "warning"
SUMMARY = "a key of a menu that its prompt never mentions (in some language)"
OPTIONS: dict[str, list[str]] = {"ignore_keys": []}


def check(ctx, options):
    ignored = {str(k) for k in options["ignore_keys"]}
    for node in ctx.hearing.menus_with_text():
        heard = ctx.hearing.versions(node)
        for key, option in node.options.items():
            if key in ignored or key not in KEYS:  # invalid-key reports keys off the keypad
                continue
            silent = [v.language for v in heard if key not in v.reading.mentioned]
            if not silent:
                continue
            where = "its prompt" if len(silent) == len(heard) else f"its {', '.join(silent)} prompt"
            what = f"'{option.label}'" if option.label else "it"
            yield option.loc, node.id, (
                f"key {key} of {ctx.phrases.node(node)} is never mentioned in {where}; callers cannot press what they "
                f"are not told about: say {what} with its key in the prompt, or remove the option"
            )
