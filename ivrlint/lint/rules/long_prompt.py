"""long-prompt (U215): a greeting over 8 s, or a menu prompt over 20 s.

What it checks
    The greeting is what a caller hears before the first option: the first
    prompt reached from the start node (a business-hours branch says
    nothing, so the rule looks past it), or when that first prompt is a
    menu, its sentences before the first key. A menu prompt is all of a
    menu's prompt. Each language version is measured on its own, except
    that a language-choice menu plays all its languages in turn and is
    measured whole. The length is ``prompt_seconds`` when the menu gives
    it (a measured recording; a greeting inside a menu then takes its share
    of it by words), else an estimate: the words at ``defaults.speech_rate``
    (160 words a minute unless set), plus a pause of 0.6 s after each
    sentence.

Why it matters
    Callers cannot act until the greeting ends, and they cannot choose
    until they have heard the options; every second of prompt is a second
    of every call, and long menus are forgotten before they end. Cyara and
    Software Advice put the greeting under 8 s; Plum's prompt guidelines
    keep an instruction prompt under 20 s. The speech rate (160 words a
    minute, DECtalk "moderate") and the 500-750 ms pause between options
    (ACIxD) are from docs/sources.md#simulator-defaults, the limits from
    docs/sources.md#design-rules-with-numbers.

Options
    ``greeting_seconds`` (default 8): longest greeting.
    ``menu_seconds`` (default 20): longest menu prompt.

Fails::

    ivr: shop
    start: welcome
    nodes:
      welcome:
        type: message
        prompt: >
          Welcome to the Corner Shop, family owned since 1952 and proud to serve
          the whole town. Please note that calls may be recorded for training and
          quality purposes. Our opening hours have recently changed.
        next: main
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
    start: welcome
    nodes:
      welcome:
        type: message
        prompt: Welcome to the Corner Shop.
        next: main
      main:
        type: menu
        prompt: For opening hours, press 1. For an agent, press 0.
        options: {1: hours, 0: agent}
        on_failure: agent
      hours: {type: message, prompt: We are open from nine to five., next: main}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

from __future__ import annotations

from ivrlint.language.hearing import ALL_LANGUAGES, Version
from ivrlint.language.prompts import sentences, speaking_seconds, words
from ivrlint.language.wording import PromptReading

CODE = "U215"
SLUG = "long-prompt"
SEVERITY = "warning"
SUMMARY = "a greeting over 8 s or a menu prompt over 20 s"
OPTIONS = {"greeting_seconds": 8.0, "menu_seconds": 20.0}


def check(ctx, options):
    rate = ctx.menu.defaults.speech_rate
    for node in ctx.first_reached(_says_something):
        for version in _heard(ctx, node):
            text = version.text
            if node.type == "menu" and not text.strip():
                continue  # a measured recording with no text: where its options begin is unknown
            if node.type == "menu":
                first = min((a.start for a in version.reading.announcements), default=len(text))
                text = text[:_sentence_start(text, first)]
            seconds = _seconds(ctx, node, version, text, rate)
            if _over(seconds, options["greeting_seconds"]):
                yield version.loc, node.id, (
                    f"the greeting ({version.called} of {ctx.phrases.node(node)}) lasts about "
                    f"{_about(seconds, options['greeting_seconds'])} s "
                    f"{_how(node, text, rate)} before callers hear any option; keep it under "
                    f"{options['greeting_seconds']:g} s: leave out what callers do not need to hear first"
                )
    for node in (n for n in ctx.menu.nodes.values() if n.type == "menu"):
        for version in _heard(ctx, node):
            seconds = _seconds(ctx, node, version, version.text, rate)
            if _over(seconds, options["menu_seconds"]):
                yield version.loc, node.id, (
                    f"{version.called} of {ctx.phrases.node(node)} lasts about {_about(seconds, options['menu_seconds'])} s "
                    f"{_how(node, version.text, rate)}; "
                    f"callers forget the first options before the last: keep it under {options['menu_seconds']:g} s "
                    f"with fewer options or shorter words, or split the menu"
                )


def _over(seconds: float, limit: float) -> bool:
    """Over the limit as the message shows it (to a tenth of a second): 20.04 s is no finding against 20 s."""
    return round(seconds, 1) > limit


def _about(seconds: float, limit: float) -> str:
    """The duration in whole seconds, or with a tenth where whole seconds would not show it over the
    limit ('about 20.4 s ... keep it under 20 s', never 'about 20 s ... keep it under 20 s')."""
    whole = f"{seconds:.0f}"
    return whole if float(whole) > limit else f"{seconds:.1f}"


def _says_something(node) -> bool:
    return any(text.strip() for text in node.prompt.values()) or node.prompt_seconds is not None


def _heard(ctx, node) -> list[Version]:
    """The versions of a node's prompt; a measured prompt with no text counts once."""
    heard = ctx.hearing.versions(node) if node.type == "menu" else ctx.hearing.readings(node)
    if not heard and node.prompt_seconds is not None:
        return [Version(ALL_LANGUAGES, "", node.where("prompt_seconds"), PromptReading(""))]
    return heard


def _seconds(ctx, node, version, text: str, rate: float) -> float:
    """How long `text` (all or part of the version) plays."""
    if node.prompt_seconds is None:
        return speaking_seconds(text, rate)
    whole = speaking_seconds(version.text, rate)
    return node.prompt_seconds * (speaking_seconds(text, rate) / whole if whole else 1.0)


def _how(node, text: str, rate: float) -> str:
    if node.prompt_seconds is not None:
        return f"(prompt_seconds: {node.prompt_seconds:g})"
    return f"({len(words(text))} words at {rate:g} words a minute, with pauses)"


def _sentence_start(text: str, position: int) -> int:
    """Where the sentence holding `position` begins."""
    return next((start for start, end in sentences(text) if start <= position < end), position)
