"""The largest and smallest numbers a menu may hold, whichever file it was read from.

Past these a figure means nothing for a phone call, and the analysis and
the simulation stop being cheap or finite: every retry is a state of the
caller model (``retries: 10000`` took 11 minutes and 11 GB), every agent a
term of the Erlang sums (a pool of 10^8 agents never finished), and a time
or a rate past float range is an infinity no formula survives. So a value
past a limit is refused where it is written, and the message names the
limit: the YAML loader (and ``--set``, which reads values with it) checks
each value as it reads it; a menu an importer built is checked once,
:func:`menu_problems`, at the place of the platform attribute or block the
value came from.
"""

from __future__ import annotations

from ivrlint.location import Location
from ivrlint.menu.model import Menu

#: Most retries of a menu or input: no caller tries a menu a hundred times, and each try is a
#: state of the caller model. A menu that replays until the caller answers is `retries: unlimited`.
MAX_RETRIES = 100
#: Most agents in one pool: beyond the largest contact centres; the Erlang sums take one step per agent.
MAX_AGENTS = 100_000
#: Longest duration (a timeout, a task, talk time, patience, a prompt): 31,700 years, so a patience
#: may stand for callers who never hang up (tests write 1000h and more), while every product of a
#: time and a rate stays far inside float range (400 nines would be inf).
MAX_SECONDS = 1e12
#: Shortest talk time and patience: 1 ms, the smallest unit the format writes. They are divided by
#: (a rate is 1 / mean), so 0 or a denormal would be an infinite rate.
MIN_RATE_SECONDS = 0.001
#: Most calls in an hour: about what a whole country's contact centres take.
MAX_CALLS_PER_HOUR = 10_000_000.0
#: Most calls one caller makes (`traffic.redial.max_attempts`, the first call included): no caller
#: calls a line a hundred times, and each attempt is a further call to simulate for every caller.
MAX_ATTEMPTS = 100
#: Shortest time between two wait announcements (`queues.NAME.announce.every`): 10 s. *Assumption*,
#: no source: an expected-wait message takes a few seconds to say, so under 10 s the caller hears
#: little but announcements; and each announcement is an event for every caller in line.
MIN_ANNOUNCE_SECONDS = 10.0


def too_many(what: str, value: float, most: float, unit: str = "") -> str:
    """The message for a count or amount past its limit (the limit of limits.py it is past, named)."""
    return f"{what} must be at most {_shown(most)}{unit}; got {_shown(value)}{unit}"


def seconds_problem(what: str, seconds: float, least: float = 0.0) -> str | None:
    """Why `seconds` cannot be `what` (past MAX_SECONDS, or under `least`), or None."""
    if not seconds <= MAX_SECONDS:  # also inf and nan
        return too_many(what, seconds, MAX_SECONDS, " s")
    if seconds < least:
        return f"{what} must be at least {_shown(least)} s (it is divided by: 0 would be an infinite rate); got {_shown(seconds)}"
    return None


def menu_problems(menu: Menu) -> list[tuple[Location | None, str]]:
    """Every value of an imported menu past a limit, at the place it was read from."""
    out: list[tuple[Location | None, str]] = []
    for node in menu.nodes.values():
        what = f"{node.type} '{node.id}'"
        if node.retries is not None and node.retries > MAX_RETRIES:
            out.append((node.where("retries"), too_many(f"the retries of {what}", node.retries, MAX_RETRIES)
                        + ": no caller tries a menu that often; allow fewer tries"))
        for field, seconds in (("timeout", node.timeout), ("prompt_seconds", node.prompt_seconds),
                               ("duration", node.duration.mean if node.duration else None)):
            problem = seconds_problem(f"the {field.replace('_', ' ')} of {what}", seconds) if seconds is not None else None
            if problem:
                out.append((node.where(field), problem))
    for pool in menu.queues.values():
        if max(pool.agents_by_hour or [pool.agents]) > MAX_AGENTS:
            out.append((pool.loc, too_many(f"the agents of queue '{pool.name}'", max(pool.agents_by_hour or [pool.agents]),
                                           MAX_AGENTS)))
        problem = seconds_problem(f"the handle time of queue '{pool.name}'", pool.handle_time.mean, MIN_RATE_SECONDS)
        if problem:
            out.append((pool.handle_time.loc or pool.loc, problem))
    return out


def _shown(value: float) -> str:
    """A number as a person would write it: 1,000,000 or 0.001, and 1e+20 for a huge one (never 300 digits)."""
    if value != value:
        return "nan (not a number)"
    if abs(value) < 1e16 and float(value).is_integer():
        return f"{int(value):,}"
    return f"{float(value):g}" if abs(value) < 1e308 else "more than 1e+308"
