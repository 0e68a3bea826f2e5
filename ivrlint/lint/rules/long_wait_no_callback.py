"""long-wait-no-callback (T305): long expected waits and no way to ask for a callback.

What it checks
    For each pool, the expected wait of a caller who has to wait (the
    menu's queue analysis at the configured traffic: mean wait over those
    who wait; the message says when the figure is approximate). When it is
    above ``max_wait`` seconds, the pool offers no ``callback`` and no
    ``voicemail`` node (a message for a callback) can be reached from the
    start, the rule warns.

Why it matters
    Callers facing a long hold should be offered a callback: the GetHuman
    standard (rules 2 and 4) asks for it, and the US "Stuck On Hold Act"
    bill draws the line at 10 minutes.

Options
    ``max_wait`` (default 600): seconds of expected wait above which a
    callback should be offered.

Fails::

    ivr: shop
    start: agent
    nodes:
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 0, handle_time: 300}
    traffic:
      calls_per_hour: 10
      patience: 20m
      intents: {any: {share: 1, goal: agent}}

Passes::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: To wait for an agent, press 1. To leave a message for a call back, press 2.
        options: {1: agent, 2: message}
        on_failure: message
      agent: {type: queue, queue: general}
      message: {type: voicemail, prompt: Leave your name and number after the tone.}
    queues:
      general: {agents: 0, handle_time: 300}
    traffic:
      calls_per_hour: 10
      patience: 20m
      intents: {any: {share: 1, goal: agent}}
"""

from ivrlint.lint.rules._traffic import approximate_note, expected

CODE = "T305"
SLUG = "long-wait-no-callback"
SEVERITY = "warning"
SUMMARY = "expected waits above 10 minutes and no voicemail or callback offered"
OPTIONS = {"max_wait": 600}


def check(ctx, options):
    figures = expected(ctx)
    if figures is None:
        return
    if any(ctx.menu.nodes[n].type == "voicemail" for n in ctx.reachable if n in ctx.menu.nodes):
        return
    for name, pool in figures["queues"].items():
        if ctx.menu.queues[name].callback is not None:
            continue  # the pool offers a call back (virtual hold)
        if pool["calls_per_hour"] <= 0 or not pool.get("p_wait") or pool.get("mean_wait") is None:
            continue
        wait = pool["mean_wait"] / pool["p_wait"]
        if wait > options["max_wait"]:
            yield ctx.menu.queues[name].loc, None, (
                f"callers who wait for pool '{name}' wait {wait / 60:.1f} minutes on average{approximate_note(pool)} "
                "and no voicemail "
                "or callback is offered; offer a callback (`callback: {offer_after: 90s, accept: 0.5}` on the pool) "
                "or add a voicemail node callers can reach to leave a message"
            )
