"""closed-pool (T307): callers reach a pool while it is shut, and nothing before it handles the hours.

What it checks
    For each pool whose ``hours`` shut it for part of the day: whether the
    menu's callers reach one of its ``queue`` nodes at hours it is shut.
    Calls arrive then when the day's traffic has calls in those hours: a
    flat ``calls_per_hour`` holds around the clock, 24 hourly rates say for
    themselves. The rule follows each way from the start to the pool's queue
    nodes and warns when callers take one that passes none of these first:

    * a branch on hours: a ``branch`` node whose ``label`` or one of whose
      ``when`` conditions names the time of day (a clock time such as
      ``08:00`` or ``8am``, a range of hours such as ``9-17``, or words such
      as hours, open, closed, time, business, night, a weekday);
    * a ``message`` whose prompt or label tells the hours (a clock time, a
      range of hours, or hours, open, closed, a weekday);
    * a ``voicemail``, where the caller leaves a message for a callback.

    One finding per pool, at its first queue node callers reach that way. It
    names the pool, the hours it is shut, the share of the day's calls that
    arrive then (``p_closed`` of ``ivrlint analyze``), and the share of all
    calls the analysis sees disconnected there.

    The words are English; clock times and ranges are read in any language.
    The rule takes a branch on hours at its word: it does not check that the
    condition matches the pool's hours. The simulation and the analysis split
    a branch by its ``share`` at every hour; they do not read ``when``.

Why it matters
    A caller who reaches a shut pool is cut off: the simulation and the
    analysis count them as disconnected by the menu, and they have to call
    again with no idea when someone will answer. After a failure callers
    should reach a person or a callback, never a hang-up (GetHuman rule 8,
    docs/sources.md#gethuman-standard): while the pool is shut that means a
    message with the hours, a voicemail or a callback.

Options
    None.

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: To speak with someone, press 0. To hear these options again, press 9.
        options: {0: agent, 9: {action: repeat}}
        on_failure: agent
      agent: {type: queue, queue: sales}
    queues:
      sales: {agents: 3, handle_time: 240, hours: "08:00-18:00"}
    traffic:
      calls_per_hour: 20
      patience: 120
      intents: {buy: {share: 1, goal: agent}}

Passes::

    ivr: shop
    start: open
    nodes:
      open:
        type: branch
        branches:
          - {goto: main, share: 0.42, when: "08:00-18:00"}
          - {goto: closed, share: 0.58, when: otherwise}
      closed: {type: voicemail, prompt: We are open from 8 to 6. Leave a message and we will call you back.}
      main:
        type: menu
        prompt: To speak with someone, press 0. To hear these options again, press 9.
        options: {0: agent, 9: {action: repeat}}
        on_failure: agent
      agent: {type: queue, queue: sales}
    queues:
      sales: {agents: 3, handle_time: 240, hours: "08:00-18:00"}
    traffic:
      calls_per_hour: 20
      patience: 120
      intents: {buy: {share: 1, goal: agent}}
"""

from __future__ import annotations

import re

from ivrlint.lint.rules._traffic import expected, used_pools
from ivrlint.menu import digraph as graphs
from ivrlint.menu.model import Menu, Node

CODE = "T307"
SLUG = "closed-pool"
SEVERITY = "warning"
SUMMARY = "callers reach a pool while it is shut, with no branch on hours, message or voicemail on the way"
OPTIONS: dict = {}

#: A time of day written in figures, in any language: 08:00, 8.30, 8h00, 8am, 8 p.m., a range 9-17.
_CLOCK = (r"\b(?:[01]?\d|2[0-4])[:.h][0-5]\d\b|\b(?:1[0-2]|0?[1-9])\s?[ap]\.?m\b"
          r"|\b(?:[01]?\d|2[0-4])\s?[-\u2013]\s?(?:[01]?\d|2[0-4])\b")
_DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekdays?|weekends?"
#: Words of a message that tells callers the hours (what callers hear, so no word as common as "time").
_TELLS_HOURS = re.compile(rf"{_CLOCK}|\b(?:hours|open|closed|{_DAYS})\b", re.IGNORECASE)
#: Words of a branch's condition or label on the hours (the author's notes, and what importers write:
#: Asterisk's "time is ...", Amazon Connect's "in hours (...)?").
_ON_HOURS = re.compile(rf"{_CLOCK}|\b(?:hours?|open|closed|time|business|office|night|holidays?|"
                       rf"{_DAYS}|mon|tue|wed|thu|fri|sat|sun)\b", re.IGNORECASE)


def check(ctx, options):
    figures = expected(ctx)
    if figures is None:
        return
    menu = ctx.menu
    exposed = _exposed(ctx)
    reach = _reach(menu, figures["visits"])
    for name, nodes in used_pools(menu).items():
        hours, shut = menu.queues[name].hours, figures["queues"][name]["p_closed"]
        if hours is None or shut <= 0:
            continue
        reached = [n for n in nodes if n in exposed and reach.get(n, 0.0) > 0]
        if not reached:
            continue
        where = ", ".join(ctx.named(n) for n in reached)
        lost = shut * sum(reach[n] for n in reached)
        yield menu.nodes[reached[0]].loc, reached[0], (
            f"pool '{name}' is shut {_closed_hours(hours)}, when {_percent(shut)} of the day's calls arrive; callers "
            f"who reach {'queue' if len(reached) == 1 else 'queues'} {where} then are disconnected ({_percent(lost)} of "
            f"all calls), with no branch on hours, message or voicemail on the way; add a branch on hours before "
            f"'{reached[0]}' (`when: \"{_clock(hours[0])}-{_clock(hours[1])}\"`) that sends them to a message, "
            "a voicemail or a callback while the pool is shut"
        )


def _exposed(ctx) -> set[str]:
    """Nodes callers can reach from the start by a way that passes no node handling the hours."""
    menu, graph = ctx.menu, ctx.graph
    handled = {node_id for node_id, node in menu.nodes.items() if handles_hours(node)}
    if menu.start in handled:
        return set()
    return graphs.reachable_from(graph.subgraph(n for n in graph if n not in handled), menu.start)


def handles_hours(node: Node) -> bool:
    """Does a caller passing `node` get the hours handled: routed by the time of
    day, told the hours, or offered a message for a callback?"""
    if node.type == "voicemail":
        return True
    if node.type == "branch":
        return any(_ON_HOURS.search(text) for text in [node.label or ""] + [b.when or "" for b in node.branches])
    if node.type == "message":
        return any(_TELLS_HOURS.search(text) for text in [node.label or "", *node.prompt.values()])
    return False


def _reach(menu: Menu, visits: dict[str, dict[str, float]]) -> dict[str, float]:
    """Node -> expected visits per call over all intents (for a queue node, the share of calls that end there)."""
    shares = {name: max(intent.share, 0.0) for name, intent in menu.traffic.intents.items()} if menu.traffic else {}
    total = sum(shares.values())
    out: dict[str, float] = {}
    for name, per_node in visits.items():
        weight = shares.get(name, 0.0) / total if total > 0 else 1.0 / len(visits)
        for node_id, v in per_node.items():
            out[node_id] = out.get(node_id, 0.0) + weight * v
    return out


def _closed_hours(hours: tuple[float, float]) -> str:
    opening, closing = hours
    if opening <= 0:
        return f"{_clock(closing)}-24:00"
    if closing >= 24:
        return f"00:00-{_clock(opening)}"
    return f"{_clock(closing)}-{_clock(opening)}"


def _clock(hour: float) -> str:
    minutes = round(hour * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _percent(share: float) -> str:
    return "under 0.1%" if 0 < share < 0.0005 else f"{100 * share:.1f}%"
