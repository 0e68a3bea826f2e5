"""no-agents (T303): a queue pool that callers reach has no agents.

What it checks
    Every pool under ``queues`` that a ``queue`` node sends callers to must
    have at least one agent (checked on menus with ``traffic``). A pool
    staffed by the hour is also reported, as a warning, for the hours it
    has no agents while calls reach it (the analysis's calls by the hour),
    naming those hours and the calls a day that reach it then.

Why it matters
    Callers routed there wait until they give up: nobody will ever answer.
    Every one of them abandons, after waiting their whole patience.

Options
    None.

Fails::

    ivr: shop
    start: agent
    nodes:
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 0, handle_time: 120}
    traffic:
      calls_per_hour: 20
      patience: 60
      intents: {any: {share: 1, goal: agent}}

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
"""

from ivrlint.lint.rules._traffic import expected, used_pools

CODE = "T303"
SLUG = "no-agents"
SEVERITY = "error"
SUMMARY = "a queue pool that callers reach has no agents"
OPTIONS: dict = {}


def check(ctx, options):
    menu = ctx.menu
    if menu.traffic is None:
        return
    for name, nodes in used_pools(menu).items():
        pool = menu.queues[name]
        if pool.agents <= 0:
            yield pool.loc, nodes[0], (
                f"pool '{name}' has no agents, so every caller sent there by {', '.join(repr(n) for n in nodes)} "
                "waits until they give up; staff it or route those callers elsewhere"
            )
        elif pool.hourly:
            empty = _unstaffed_hours(ctx, name, pool)
            if empty:
                calls = sum(c for _, c in empty)
                yield pool.locs.get("agents", pool.loc), nodes[0], (
                    f"pool '{name}' has no agents at {_spans([h for h, _ in empty])}, when about {calls:.3g} calls a "
                    "day reach it; they wait until they give up: staff those hours, give the pool `hours` so that "
                    "callers are told it is closed, or route them elsewhere then"
                ), "warning"


def _unstaffed_hours(ctx, name: str, pool) -> list[tuple[int, float]]:
    """(hour, calls reaching the pool in it) for each clock hour with no agents on duty and calls."""
    day = (expected(ctx) or {}).get("hours")
    if not isinstance(day, list) or len(day) != 24:
        return []
    out = []
    for hour, figures in enumerate(day):
        entry = (figures.get("queues") or {}).get(name) if isinstance(figures, dict) else None
        calls = float((entry or {}).get("calls") or 0.0)
        if pool.agents_at(hour) == 0 and calls > 0:
            out.append((hour, calls))
    return out


def _spans(hours: list[int]) -> str:
    """Clock hours as spans: [0, 1, 2, 22, 23] -> "00:00-03:00 and 22:00-24:00"."""
    spans: list[list[int]] = []
    for hour in hours:
        if spans and spans[-1][1] == hour:
            spans[-1][1] = hour + 1
        else:
            spans.append([hour, hour + 1])
    words = [f"{a:02d}:00-{b:02d}:00" for a, b in spans]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
