"""retries (U206): a menu allows no retry, unbounded retries, or too many.

What it checks
    The ``retries`` of every menu and input step (its own, or the one it
    takes from ``defaults``). No retry at all, or no limit (an importer
    that finds none), is an **error**; more than ``max_retries`` is a
    warning. A value set under ``defaults`` is reported once, at that line,
    naming the nodes that use it.

Why it matters
    With no retry, one slip of the finger or one second of hesitation ends
    the menu for the caller. With no limit, a caller on a phone whose keys
    do not send tones, or who does not understand the prompt, hears it
    forever. Past 3 tries callers are no longer helped by hearing the same
    prompt: Avaya's IVR guide says 2-3 tries then the attendant, and
    Genesys and the FreeSWITCH demo default to 3
    (docs/sources.md#design-rules-with-numbers).

Options
    ``max_retries`` (default 3): the most retries before the warning
    (Avaya IR guide; Genesys default; FreeSWITCH demo max-failures).

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For opening hours, press 1. For an agent, press 0.
        options: {1: hours, 0: agent}
        retries: 0
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
        retries: 2
        on_failure: agent
      hours: {type: message, prompt: We are open from nine to five., next: main}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

from __future__ import annotations

from ivrlint.lint.rules import _usability as usability

CODE = "U206"
SLUG = "retries"
SEVERITY = "warning"
SUMMARY = "no retry or unbounded retries (error); more than 3 retries (warning)"
OPTIONS = {"max_retries": 3}


def check(ctx, options):
    limit = options["max_retries"]
    for value, loc, whose, node_id in usability.retry_settings(ctx, "retries"):
        node = ctx.menu.nodes.get(node_id) if node_id else None
        if value is None:
            yield loc, node_id, (
                f"no limit on retries in {whose}: a caller who cannot answer hears the prompt forever; "
                f"allow 2 or 3 ({ctx.phrases.set_retries(node, 2)}), then send the caller on"
            ), "error"
        elif value == 0:
            yield loc, node_id, (
                f"retries: 0 in {whose}; one slip or pause ends the menu for the caller: "
                f"allow 2 or 3 ({ctx.phrases.set_retries(node, 2)})"
            ), "error"
        elif value > limit:
            yield loc, node_id, (
                f"retries: {value} in {whose} (more than {limit}); after {limit} tries the same prompt "
                f"no longer helps: allow fewer ({ctx.phrases.set_retries(node, min(2, limit))}) and send the caller on to a person"
            )
