"""timeout-range (U207): a no-input timeout shorter than 3 s or longer than 10 s.

What it checks
    The ``timeout`` of every menu and input step (its own, or the one it
    takes from ``defaults``): the seconds of silence after the prompt before
    the no-input handling starts. A value set under ``defaults`` is reported
    once, at that line, naming the nodes that use it.

Why it matters
    Too short, and callers who are still finding the key, reading a card
    number or thinking hear "Sorry, I didn't get that" and use up a retry.
    Too long, and callers who did not understand sit in silence wondering
    whether the line is dead. Platforms default to 3-10 s (Amazon Connect,
    Twilio and Genesys 5 s; FreeSWITCH and Asterisk 10 s). The limits of
    this rule are *unsourced* assumptions drawn from that spread of vendor
    defaults, not from a study (docs/sources.md#platform-defaults), so both
    are options.

Options
    ``min_timeout`` (default 3) and ``max_timeout`` (default 10), in
    seconds: the range of platform defaults (vendor docs); unsourced as
    limits.

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For opening hours, press 1. For an agent, press 0.
        options: {1: hours, 0: agent}
        timeout: 2
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
        prompt: For opening hours, press 1. For an agent, press 0.
        options: {1: hours, 0: agent}
        timeout: 5
        on_failure: agent
      hours: {type: message, prompt: We are open from nine to five., next: main}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

from __future__ import annotations

from ivrlint.lint.rules import _usability as usability
from ivrlint.menu.model import DEFAULT_TIMEOUT

CODE = "U207"
SLUG = "timeout-range"
SEVERITY = "warning"
SUMMARY = "a no-input timeout outside 3-10 s"
OPTIONS = {"min_timeout": 3.0, "max_timeout": 10.0}


def check(ctx, options):
    low, high = options["min_timeout"], options["max_timeout"]
    suggested = min(max(DEFAULT_TIMEOUT, low), high)
    for value, loc, whose, node_id in usability.retry_settings(ctx, "timeout"):
        if value is None:
            continue
        fix = ctx.phrases.set_timeout(ctx.menu.nodes.get(node_id) if node_id else None, suggested)
        if value < low:
            yield loc, node_id, (
                f"timeout: {value:g} s in {whose} (under {low:g} s); callers still finding the key "
                f"hear 'no input' and lose a try: allow {low:g}-{high:g} s ({fix})"
            )
        elif value > high:
            yield loc, node_id, (
                f"timeout: {value:g} s in {whose} (over {high:g} s); callers who did not understand "
                f"sit in silence wondering if the line is dead: keep it within {low:g}-{high:g} s ({fix})"
            )
