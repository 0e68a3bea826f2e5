"""silent-wait (T308): callers wait long in a pool that tells them nothing.

What it checks
    For each pool with no ``announce`` and no ``callback``, the expected
    wait of a caller who reaches it (the menu's queue analysis at the
    configured traffic: mean wait over all the pool's callers, those
    answered at once included, as ``analyze`` reports it). When it is
    above ``max_silent_wait`` seconds the rule
    warns, naming what to add. A pool whose agents or calls change over the
    day is judged hour by hour, and the message names the worst hour; those
    figures take each hour as steady, and the message says they are
    approximate, as it does for any approximate figure. Pools without
    agents are left to ``no-agents``.

Why it matters
    Long waits that nobody explains are one of the recurring complaints
    about phone lines (docs/sources.md#the-complaints-the-tool-exists-for).
    A queue that announces the expected wait or the caller's place in line
    (``announce``), or offers to call back (``callback``), tells callers
    what they are waiting for and lets them choose; callers who hear a
    long expected wait decide sooner (MENU_FORMAT.md, "Queues").

Options
    ``max_silent_wait`` (default 60): seconds of expected
    wait above which a pool should announce the wait or offer a callback.
    The 60 s is an assumption (docs/sources.md#unsourced-assumptions).
    The expected wait is taken over all callers, not only those who wait:
    in a small pool with long talks, the few who wait always wait about a
    talk time, and a rule on their wait alone would fire on every one-agent
    pool at any load; ``long-wait-no-callback`` (T305) looks at the wait of
    those who wait, against a limit of minutes.

Fails::

    ivr: shop
    start: agent
    nodes:
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 3, handle_time: 360}
    traffic:
      calls_per_hour: 30
      patience: 5m
      intents: {any: {share: 1, goal: agent}}

Passes::

    ivr: shop
    start: agent
    nodes:
      agent: {type: queue, queue: general}
    queues:
      general:
        agents: 3
        handle_time: 360
        announce: {every: 45s, wait_time: true}
    traffic:
      calls_per_hour: 30
      patience: 5m
      intents: {any: {share: 1, goal: agent}}
"""

from __future__ import annotations

import math

from ivrlint.lint.rules._traffic import hours_note, pool_hours

CODE = "T308"
SLUG = "silent-wait"
SEVERITY = "warning"
SUMMARY = "callers wait longer than max_silent_wait in a pool with no wait announcements and no callback"
OPTIONS = {"max_silent_wait": 60}


def check(ctx, options):
    limit = options["max_silent_wait"]
    for name, pool in ctx.menu.queues.items():
        if pool.announce is not None or pool.callback is not None or pool.agents <= 0:
            continue
        hours = pool_hours(ctx, name)
        if not hours:
            continue
        worst = max(hours, key=_wait)
        if not _wait(worst) > limit:
            continue
        long_hours = sum(1 for hour in hours if _wait(hour) > limit)
        many = f" (and {long_hours - 1} more of its hours above {limit:g} s)" if long_hours > 1 else ""
        yield pool.loc, None, (
            f"callers to pool '{name}' wait {_shown(_wait(worst))} on average{worst.clock()}"
            f"{hours_note(hours, ctx, name)}{many}, and nothing tells them why or for how long; add "
            f"`announce: {{every: 45s, wait_time: true}}` to tell them the expected wait, or "
            f"`callback: {{offer_after: {limit:g}s, accept: 0.5}}` to offer a call back"
        )


def _wait(hour) -> float:
    """The expected wait of a caller to the pool in that hour (all callers, those answered at once included)."""
    return hour.figures["mean_wait"]


def _shown(seconds: float) -> str:
    """A wait as a person says it: "75 s", "4.2 minutes"."""
    if math.isinf(seconds):
        return "without end (the pool cannot keep up and callers never give up)"
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} minutes"
