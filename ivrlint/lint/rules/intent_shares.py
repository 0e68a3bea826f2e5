"""intent-shares (T301): the intents' shares of calls do not add up to 1.

What it checks
    Under ``traffic.intents`` every intent has a ``share`` of the calls; the
    shares must sum to 1 (within ``tolerance``). Also ``traffic.languages``,
    when given.

Why it matters
    The shares say why people call. If they sum to 0.9 or 1.2, someone
    forgot an intent or counted one twice, and every figure the simulation
    and the analysis give (which normalise the shares) rests on a guess.

Options
    ``tolerance`` (default 0.001): how far from 1 the sum may be.

Fails::

    ivr: shop
    start: agent
    nodes:
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
    traffic:
      calls_per_hour: 20
      patience: 60
      intents:
        order: {share: 0.6, goal: agent}
        other: {share: 0.3, goal: agent}

Passes::

    ivr: shop
    start: agent
    nodes:
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
    traffic:
      calls_per_hour: 20
      patience: 60
      intents:
        order: {share: 0.7, goal: agent}
        other: {share: 0.3, goal: agent}
"""

CODE = "T301"
SLUG = "intent-shares"
SEVERITY = "error"
SUMMARY = "the intents' (or languages') shares of calls do not sum to 1"
OPTIONS = {"tolerance": 0.001}


def check(ctx, options):
    for what, total, loc in share_sums(ctx.menu):
        if abs(total - 1.0) > options["tolerance"]:
            hint = "add the missing intent" if what == "intents" and total < 1 else "correct the shares"
            yield loc, None, (
                f"the shares of traffic.{what} sum to {total:.4g}, not 1; {hint} so that they add up to 1"
            )


def share_sums(menu) -> list:
    """(what, sum, where it is written) for the intents and, when given, the
    languages of the menu's traffic. The simulation and the analysis scale
    shares to 1; the commands that run them warn with these sums."""
    traffic = menu.traffic
    if traffic is None:
        return []
    out = []
    for what, shares in (("intents", {n: i.share for n, i in traffic.intents.items()}), ("languages", traffic.languages)):
        if shares:
            out.append((what, sum(shares.values()), traffic.locs.get(what, traffic.loc)))
    return out
