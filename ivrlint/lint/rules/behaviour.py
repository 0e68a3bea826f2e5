"""behaviour (T306): a caller-behaviour parameter the simulation cannot use.

What it checks
    Every name under ``traffic.behaviour`` must be one of the caller model's
    parameters (the README's "Caller behaviour" table and
    ``ivrlint/sim/parameters.py`` list them; a misspelt one gets a
    did-you-mean), and its value must be
    possible: chances between 0 and 1, ``think_median`` above 0 seconds,
    nothing negative. Unknown names are reported at the name, impossible
    values at the value.

Why it matters
    ``simulate``, ``analyze``, ``sweep`` and ``staff`` refuse such a menu,
    so a CI gate that only lints would pass a menu nobody can run. A
    misspelt name would otherwise be a setting silently not applied. The
    names and limits are the simulator's own (``ivrlint/sim/parameters.py``),
    so this rule and the simulation cannot disagree.

Options
    None.

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
      intents: {any: {share: 1, goal: agent}}
      behaviour: {zero_outt: 0.1, silence: 2}

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
      intents: {any: {share: 1, goal: agent}}
      behaviour: {zero_out: 0.1, silence: 0.2}
"""

CODE = "T306"
SLUG = "behaviour"
SEVERITY = "error"
SUMMARY = "an unknown caller-behaviour parameter, or a value the simulation cannot use"
OPTIONS: dict = {}


def check(ctx, options):
    if ctx.menu.traffic is None:  # nothing to check; and `check` on a menu without traffic need not load the simulator
        return
    from ivrlint.sim.parameters import behaviour_problems  # here, so listing the rules does not load the simulator

    for loc, message in behaviour_problems(ctx.menu):
        yield loc, None, message
