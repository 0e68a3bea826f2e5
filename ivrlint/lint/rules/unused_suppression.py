"""unused-suppression (L001): a suppression comment that suppresses nothing.

What it checks
    Every ``# ivrlint: disable=RULE`` and ``# ivrlint: disable-file=RULE``
    comment of a menu file. It reports a rule named there that had no
    finding to silence (on that line, or in the file), a name that is no
    rule, and a comment starting with ``ivrlint:`` that is not a directive
    (``disabel=``, ``disable`` with no rules). A rule that this run did not
    apply (``--select``, ``ignore``) is not reported as unused. It also reports a
    rule of a ``per-file-ignores`` entry of the configuration that silences
    nothing in the files of the phone line it matches (reported at the
    configuration's line).

Why it matters
    A suppression outlives the problem it hid: once the menu is fixed, the
    comment stays and will silently hide the same problem when it comes
    back. A misspelt rule name hides nothing while its author believes it
    does. pylint (``useless-suppression``) and ruff (``RUF100``, which also
    reports unknown codes) check their own suppression comments for the
    same reasons.

Options
    None. Silence it like any rule: ``ignore = unused-suppression`` in the
    configuration, or ``# ivrlint: disable-file=unused-suppression``.

Fails::

    ivr: shop
    start: main
    nodes:
      main:  # ivrlint: disable=dead-end
        type: menu
        prompt: For an agent, press 0.
        options: {0: agent}
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
        prompt: For an agent, press 0.
        options: {0: agent}
        on_failure: agent
      agent: {type: queue, queue: general}
      # kept for the spring campaign
      # ivrlint: disable=unreachable
      spring: {type: message, prompt: Spring offers., next: main}
    queues:
      general: {agents: 2, handle_time: 120}
"""

from __future__ import annotations

CODE = "L001"
SLUG = "unused-suppression"
SEVERITY = "warning"
SUMMARY = "a suppression comment that suppresses nothing, or names no rule"
OPTIONS: dict = {}



def check(ctx, options):
    """What the suppression comments left unused (``ctx.leftovers``: the lint run
    applies them to every other rule's findings before this rule runs)."""
    for left in ctx.leftovers:
        yield left.loc, None, _message(left)


def _message(left) -> str:
    if left.reason == "malformed":
        return left.name
    if left.reason == "unused-ignore":  # the configuration's per-file-ignores (lint/ignores.py)
        return (f"per-file-ignores ignores '{left.name}' in '{left.pattern}', but it finds nothing there; "
                "remove it from the configuration")
    if left.reason == "unknown":
        did_you_mean = f" (did you mean '{left.suggestion}'?)" if left.suggestion else ""
        return f"'{left.name}' is not a rule{did_you_mean}; `ivrlint rules` lists them"
    if left.file_wide:
        return f"'{left.name}' is disabled for the whole file but finds nothing in it; remove it from the comment"
    if left.line == left.loc.line:
        return (f"'{left.name}' is disabled on this line but finds nothing on it; "
                "remove it, or move the comment to the line of the finding")
    return (f"'{left.name}' is disabled for the next line ({left.line}) but finds nothing there; "
            "remove it, or put the comment above the node or on the line of the finding")

