"""Agent pools, the events the engine schedules, and the calls in progress (engine.py tells the story).

A pool is a count of agents on duty, a count of busy agents and a
first-come-first-served line of callers (``deque``): a caller who leaves the
line (gave up, or was answered by another pool) stays in it, marked, and is
skipped when they reach its head, so leaving costs nothing. The count of
callers really waiting is kept beside it (``waiting``).

What a pool may add (MENU_FORMAT.md, "Queues"; lines.py plays it):

* ``agents_by_hour``: the agents on duty change at each clock hour
  (``schedule``); a pool nobody ever staffs (``nobody``) keeps the old
  special case: its callers wait until their patience runs out;
* ``callback``, ``announce``, ``overflow``: the moments of a waiting caller
  (``offer_after``, ``every``, ``over_after``, infinite when unused);
* the expected wait a caller is told or offered a callback on (``ewt``):
  place in line times the mean handle time over the agents on duty
  (infinite with none). A pool that announces also keeps each caller's place
  (``position``): callers get a number as they join, and the numbers of
  those who left while still in the deque are kept sorted (``dead``), so a
  place is a subtraction and a bisection, not a walk along the line.

A pool without any of these is ``plain``: the engine's few-events path as it
was (engine.py's docstring), drawing exactly what it drew before.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections import deque
from random import Random

import simpy
from simpy.events import NORMAL

from ivrlint.errors import InputError
from ivrlint.menu.model import Queue
from ivrlint.sim.durations import sampler
from ivrlint.sim.records import QueueSample
from ivrlint.sim.table import NONE

INF = math.inf


class After(simpy.events.Event):
    """A SimPy event processed `delay` seconds from now that hands `call` to
    `then`: a Timeout with its one callback built in."""

    def __init__(self, env: simpy.Environment, delay: float, then, call):
        self.env = env
        self.callbacks = [then]
        self._value = call
        self._ok = True
        env.schedule(self, NORMAL, delay)


class Pool:
    """An agent pool: its agents, the callers in line, and what callers draw for talk time."""

    def __init__(self, index: int, queue: Queue, talk_cv: float, start_hour: float, logging: bool,
                 names: dict[str, int] | None = None, file: str = ""):
        self.name, self.index = queue.name, index
        self.schedule = list(queue.agents_by_hour) if queue.agents_by_hour is not None else None
        self.agents = max(queue.agents_at(start_hour) if self.schedule else queue.agents, 0)
        most = max(self.schedule) if self.schedule else queue.agents  # on duty in the busiest hour
        #: nobody ever staffs this pool and it sends nobody on: every caller gives up
        self.nobody = most <= 0 and queue.overflow is None
        self.busy = 0
        self.line: deque = deque()  # callers waiting, first come first; those who left are skipped
        self.waiting = 0  # callers in line who have not left
        self.talk_mean, self.talk_draw = sampler(queue.handle_time, "lognormal", talk_cv)
        self.hours = queue.hours
        self.start_hour = start_hour
        self.log = (array("d"), array("i"), array("i")) if logging and most > 0 else None
        callback, announce, overflow = queue.callback, queue.announce, queue.overflow
        # a pool nobody staffs offers no call back: nobody would make it
        self.offer_after = callback.offer_after if callback is not None and most > 0 else INF
        self.accept = callback.accept if callback is not None else 0.0
        self.ring_mean, self.ring_draw = sampler(callback.ring_back, "fixed") if callback is not None else (0.0, None)
        self.every = announce.every if announce is not None and (announce.wait_time or announce.position) else INF
        self.over_after, self.over_to = INF, NONE
        if overflow is not None:
            names = names or {}
            if overflow.to not in names or overflow.to == queue.name:
                where = overflow.locs.get("to", overflow.loc) or queue.loc
                raise InputError.at(where, f"queue '{queue.name}' overflows to '{overflow.to}', which is not another queue; "
                                    f"name one of {', '.join(sorted(set(names) - {queue.name})) or '(none: add a queue)'}", file)
            self.over_after, self.over_to = overflow.after, names[overflow.to]
        #: a pool some other pool overflows to (its line then holds callers of both): the replication says
        self.target = False
        self.plain = self.is_plain()
        self.tracks = self.every < INF  # keeps each caller's place in line
        self.seq = self.popped = 0  # numbers given to callers joining the line; of those, how many reached its head
        self.dead: list[int] = []  # numbers of callers still in the deque who have left it, sorted

    def is_plain(self) -> bool:
        """No callback, announcements, overflow, and nobody overflows here: the engine's own path (``plain``)."""
        return self.offer_after == INF and self.every == INF and self.over_to == NONE and not self.target

    def is_open(self, now: float) -> bool:
        if self.hours is None:
            return True
        hour = (self.start_hour + now / 3600.0) % 24.0
        return self.hours[0] <= hour < self.hours[1]

    def talk(self, rng: Random) -> float:
        return self.talk_draw(rng) if self.talk_draw is not None else self.talk_mean

    def ring(self, rng: Random) -> float:
        """The seconds an agent spends calling a callback taker back."""
        return self.ring_draw(rng) if self.ring_draw is not None else self.ring_mean

    def ewt(self, position: int) -> float:
        """The expected wait of the caller at `position` in line (1: next): position x mean handle time / agents."""
        return position * self.talk_mean / self.agents if self.agents > 0 else INF

    def position(self, seq: int) -> int:
        """The place in line of the caller who joined it as number `seq` (a pool that `tracks`)."""
        return seq - self.popped - bisect_left(self.dead, seq) + 1

    def sample(self, now: float) -> None:
        """Log the pool's state (replication 0 of a run that keeps records: samples cost time)."""
        log = self.log
        if log is not None:  # a pool nobody staffs has no state
            log[0].append(now)
            log[1].append(self.waiting)
            log[2].append(self.busy)

    def samples(self) -> list[QueueSample]:
        if self.log is None:
            return []
        times, waiting, busy = self.log
        return [QueueSample(*s) for s in zip(times, waiting, busy, strict=True)]


def open_spans(hours: tuple[float, float] | None, start_hour: float, length: float) -> list[tuple[float, float]]:
    """The stretches (from, until), in hours after clock hour `start_hour`,
    in which a pool open `hours` (of the day) is open during the `length`
    hours from there (hours after a midnight; runs may span days).

    >>> open_spans((9.0, 17.0), 8.0, 26.0)
    [(1.0, 9.0), (25.0, 26.0)]
    """
    if hours is None:
        return [(0.0, length)]
    opening, closing = hours
    end, day, spans = start_hour + length, 24.0 * (start_hour // 24.0), []
    while day < end:
        since, until = max(start_hour, day + opening), min(end, day + closing)
        if until > since:
            spans.append((since - start_hour, until - start_hour))
        day += 24.0
    return spans


def open_seconds(hours: tuple[float, float] | None, start_hour: float, length: float) -> float:
    """Seconds a pool open `hours` is open in the `length` hours from clock hour `start_hour`."""
    return 3600.0 * sum(until - since for since, until in open_spans(hours, start_hour, length))


class Call:
    """A call in progress: where the caller is and what the record will say."""

    __slots__ = ("row", "arrival", "intent", "language", "chain", "state", "move", "made", "path", "keys", "menus",
                 "retries", "reached", "pool", "entered", "wait", "talk", "waiting", "serves", "steps")
    move: tuple  # the move under way while its time passes
    serves: bool  # the pool reached can serve the caller's intent
    waiting: bool  # in a pool's line, not yet answered nor given up

    def __init__(self, row: int, arrival: float, intent: int, language: int, chain: tuple, steps: list | None):
        self.row, self.arrival, self.intent, self.language, self.chain = row, arrival, intent, language, chain
        self.state, self.made, self.path = chain[3], 0, 0
        self.keys = self.menus = self.retries = 0
        self.reached = False
        self.pool, self.entered, self.wait, self.talk = NONE, math.nan, math.nan, math.nan
        self.steps = steps  # (leave, event) of each step when the run keeps a trace


#: A caller's callback: none offered, offered and declined, taken (the table's ``callback`` column).
NO_OFFER, DECLINED, TOOK = 0, 1, 2


class DayCall(Call):
    """A call of a menu with redials, callbacks, announcements or overflow: who calls
    (``caller``, the call_id of their first call, and ``attempt``) and what happened in
    line. The state of a caller in a line with those features (``waiting`` to ``heard``)
    is set when they join one (lines.py, ``_join``)."""

    __slots__ = ("caller", "attempt", "by", "cb", "ring", "avoided", "left", "overflowed", "patience", "also", "seq",
                 "seq2", "pending", "due", "at", "heard")
    patience: float  # drawn on joining the line
    also: int  # the overflow pool whose line the caller is in too (NONE: none)
    seq: int  # the caller's number in their pool's line (NONE: answered on arrival)
    seq2: int  # their number in the overflow pool's line
    pending: int  # moments still to come (lines.py's OVERFLOW, OFFER bits)
    due: int  # the kind of moment the caller's timer is for
    at: float  # its offset from joining
    heard: int  # announcements heard

    def __init__(self, row: int, arrival: float, intent: int, language: int, chain: tuple, steps: list | None,
                 caller: int, attempt: int):
        self.row, self.arrival, self.intent, self.language, self.chain = row, arrival, intent, language, chain
        self.state, self.made, self.path = chain[3], 0, 0  # as Call.__init__, written out: a call made per call
        self.keys = self.menus = self.retries = 0
        self.reached = False
        self.pool, self.entered, self.wait, self.talk = NONE, math.nan, math.nan, math.nan
        self.steps = steps
        self.caller, self.attempt, self.by = caller, attempt, NONE  # by: the pool whose agent answered
        self.cb, self.ring, self.avoided, self.left, self.overflowed = NO_OFFER, math.nan, False, False, False
