"""missing-language-choice (U216): several languages, and no menu to choose one.

What it checks
    A line whose prompts are written in two or more languages (or whose
    ``traffic.languages`` gives callers of two or more) must let the caller
    choose a language in the first menu they meet: a menu reached from the
    start node through no other menu. A menu lets the caller choose a
    language when at least two of its options name languages (their labels,
    or the prompt's words for them: "For English", "Lietuviškai", "на
    русском языке", "بالعربية", "magyarul"), when each language version of
    its prompt announces a key of its own, or when its options lead to
    nodes whose prompts are each in a different single language. Regional
    tags of one language (en-GB, en-US) count as one language.

Why it matters
    A caller who does not understand the prompt cannot use the menu at all:
    they press 0 and hope, or hang up. GetHuman's rule 9 asks for a
    language choice wherever a line serves several languages, and it must
    come first, before anything else needs understanding
    (docs/sources.md#gethuman-standard). A line that picks the language by
    the number dialled needs no menu; suppress the rule there.

Options
    None.

Fails::

    ivr: shop
    start: main
    language: lt
    nodes:
      main:
        type: menu
        prompt:
          lt: Norėdami sužinoti darbo laiką, spauskite 1. Norėdami kalbėti su konsultantu, spauskite 0.
          ru: Чтобы узнать часы работы, нажмите 1. Чтобы поговорить с консультантом, нажмите 0.
        options: {1: hours, 0: agent}
        on_failure: agent
      hours: {type: message, prompt: {lt: Dirbame nuo 9 iki 17., ru: Мы работаем с 9 до 17.}, next: main}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}

Passes::

    ivr: shop
    start: language
    language: lt
    nodes:
      language:
        type: menu
        prompt: {lt: Lietuviškai spauskite 1., ru: Для обслуживания на русском языке нажмите 2.}
        options: {1: main, 2: main}
        on_failure: main
      main:
        type: menu
        prompt:
          lt: Norėdami sužinoti darbo laiką, spauskite 1. Norėdami kalbėti su konsultantu, spauskite 0.
          ru: Чтобы узнать часы работы, нажмите 1. Чтобы поговорить с консультантом, нажмите 0.
        options: {1: hours, 0: agent}
        on_failure: agent
      hours: {type: message, prompt: {lt: Dirbame nuo 9 iki 17., ru: Мы работаем с 9 до 17.}, next: main}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

from __future__ import annotations

from ivrlint.language.lexicon import base_language

CODE = "U216"
SLUG = "missing-language-choice"
SEVERITY = "warning"
SUMMARY = "prompts in several languages and no menu to choose one"
OPTIONS: dict = {}


def check(ctx, options):
    written = _distinct(tag for node in ctx.menu.nodes.values() for tag, text in node.prompt.items() if text.strip())
    traffic = ctx.menu.traffic
    spoken = _distinct(tag for tag, share in (traffic.languages if traffic else {}).items() if share > 0)
    if len(written) < 2 and len(spoken) < 2:
        return
    first = ctx.first_reached(lambda node: node.type == "menu")
    if any(ctx.hearing.is_language_choice(node) for node in first):
        return
    if len(written) >= 2:
        why = f"prompts are written in {', '.join(written)}"
    else:
        why = f"traffic.languages has callers of {', '.join(spoken)}"
    ids = [node.id for node in first]
    names = ", ".join(f"'{i}'" for i in ids)
    later = [n.id for n in ctx.menu.nodes.values() if n.id not in ids and ctx.hearing.is_language_choice(n)]
    if not ids:
        problem = "no menu lets callers choose a language"
    else:
        problem = f"the first menu callers meet ({names}) does not let them choose a language"
        problem += f" (menu '{later[0]}' does, but only after it)" if later else ""
    yield ctx.menu.where("start"), ctx.menu.start, (
        f"{why}, but {problem}; callers who do not understand the first prompt cannot use the line: "
        f"start with a menu that offers each language in its own words ('For English, press 1')"
    )


def _distinct(tags) -> list[str]:
    """Tags of different languages, in first-seen order (en-GB and en-US are one)."""
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(base_language(tag), tag)
    return list(seen.values())
