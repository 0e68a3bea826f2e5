"""A contact centre through a whole day: shifts by the hour, callbacks, announcements, overflow, redials.

The engine (engine.py) plays these for menus that use them (MENU_FORMAT.md,
issue 14); a menu without them never comes here, makes the same draws as
before and gets the same numbers. The events they cost:

* **shifts** (``agents_by_hour``): one event at each clock hour for every
  pool at once. The agents on duty become the hour's count; new agents
  answer callers in line at once (first come first); when the count falls,
  agents on a call finish it and no new call starts while ``busy >= agents``.
  Shifts keep coming after the horizon while calls drain.
* **a waiting caller's moments**: the callback offer (``offer_after``), the
  overflow (``over_after``), each announcement (every ``every`` seconds from
  joining) and the end of patience. A caller has one timer at a time, set
  for the earliest moment still to come, so the moments cost one event each
  as they happen plus at most one that finds the caller answered, as the
  patience event alone did; a caller who takes a callback needs none.
  Moments at the same instant happen in that order: overflow, offer,
  announcement, patience.
* **redials**: a redial is a new call, through the same menu and caller
  model, arriving after the delay caller.py's ``Redialling`` draws.

The rules (their sources: docs/sources.md#whole-day-simulation):

* callback: a caller joining a line whose expected wait (pools.py, ``ewt``)
  is at least ``offer_after`` is offered a callback at once; otherwise when
  their wait reaches ``offer_after``. They accept with chance ``accept``
  (one draw). A taker keeps their place in line(s) and never gives up; the
  agent who reaches them spends ``ring_back`` calling back, then the talk.
  ``avoided``: their patience was shorter than the wait until the agent
  started calling back.
* announcement: the caller hears the expected wait for their place; if it
  is longer than their remaining patience they leave at once
  (``left_at_announcement``).
* overflow: still waiting (not on a callback) ``after`` seconds after
  joining, the caller also joins the line of the overflow pool (if it is
  open), and the first agent of either pool free for them answers. They are
  served or misrouted as that pool can serve their intent (serving.py). The
  caller's first pool keeps deciding their moments (its announcements, its
  callback offer); the overflow pool's own overflow does not apply.
"""

from __future__ import annotations

import math
from bisect import insort
from random import Random

import simpy

from ivrlint.sim import records as R
from ivrlint.sim.caller import Redialling
from ivrlint.sim.pools import DECLINED, INF, TOOK, After, Call, DayCall, Pool
from ivrlint.sim.table import NONE

_OUTCOME = {name: i for i, name in enumerate(R.OUTCOMES)}
_SERVED, _MISROUTED, _ABANDONED = _OUTCOME[R.SERVED], _OUTCOME[R.MISROUTED], _OUTCOME[R.ABANDONED]
#: A waiting caller's moments: pending ones are bits of DayCall.pending; the timer's kind is DayCall.due.
OVERFLOW, OFFER, ANNOUNCE, PATIENCE = 1, 2, 4, 8


class Lines:
    """The whole-day part of a replication (a mixin of engine.Replication, which provides these)."""

    env: simpy.Environment
    rng: Random
    pools: list[Pool]
    start_hour: float
    trace: bool
    _kept: int
    _next_id: int
    _serves: list[list[bool]]  # per intent, per pool: its agents can serve the intent
    _redial: Redialling | None
    _hour: int

    def _finish(self, call: Call, outcome: int, end: float, person: bool = False) -> None:
        raise NotImplementedError

    def _patience(self) -> float:
        raise NotImplementedError

    def _walk(self, call: Call) -> None:
        raise NotImplementedError

    def _answer(self, call: Call, pool: Pool) -> None:
        raise NotImplementedError

    # -- shifts -------------------------------------------------------------------
    def _start_shifts(self) -> None:
        """The first change of shift, at the next clock hour (when some pool is staffed by the hour)."""
        self._hourly = [p for p in self.pools if p.schedule is not None]
        if self._hourly:
            self._hour = math.floor(self.start_hour)
            After(self.env, (self._hour + 1 - self.start_hour) * 3600.0, self._shift, None)

    def _shift(self, event: After) -> None:
        """A clock hour: each hourly pool's agents become the hour's; new agents answer callers in line."""
        self._hour += 1
        now = self.env.now
        for pool in self._hourly:
            assert pool.schedule is not None
            pool.agents = pool.schedule[self._hour % 24]
            pool.sample(now)
            while pool.busy < pool.agents and pool.waiting:
                self._take(pool, now) if not pool.plain else self._take_plain(pool, now)
        # the next shift while anything happens, or someone waits for a pool that is staffed some hour
        if self.env.peek() < INF or any(p.waiting and max(p.schedule or [0]) > 0 for p in self._hourly):
            After(self.env, (self._hour + 1 - self.start_hour) * 3600.0 - now, self._shift, None)

    def _take_plain(self, pool: Pool, now: float) -> None:
        """A free agent of a plain pool takes the first caller still in line (at a talk's end, engine._talked,
        and at a shift that adds agents)."""
        line = pool.line
        while line:
            waiting = line.popleft()
            if waiting.waiting:
                waiting.waiting = False
                pool.waiting -= 1
                pool.busy += 1
                pool.sample(now)
                self._answer(waiting, pool)
                return

    # -- joining a line -----------------------------------------------------------
    def _join(self, call: DayCall, pool: Pool) -> None:
        """The caller reaches a pool with callbacks, announcements or overflow (or that others overflow to)."""
        now = self.env.now
        call.waiting, call.also, call.seq, call.seq2 = False, NONE, NONE, NONE  # the overflow pool; numbers in line
        if pool.busy < pool.agents:
            self._answered(call, pool, now, None)
            return
        call.pending, call.heard = 0, 0  # moments still to come (OVERFLOW, OFFER bits); announcements heard
        call.waiting = True
        pool.line.append(call)
        call.seq, pool.seq = pool.seq, pool.seq + 1
        pool.waiting += 1
        pool.sample(now)
        call.patience = self._patience()
        if pool.offer_after < INF:
            if pool.ewt(pool.waiting) >= pool.offer_after:
                if self._offer(call, pool):
                    return
            else:
                call.pending |= OFFER
        if pool.over_to != NONE:
            call.pending |= OVERFLOW
        self._plan(call, pool, -1.0)

    def _next_moment(self, call: DayCall, pool: Pool) -> tuple[float, int]:
        """(offset from joining, kind) of the caller's next moment; ties go to the kind named first."""
        best, kind = INF, PATIENCE
        if call.pending & OVERFLOW:
            best, kind = pool.over_after, OVERFLOW
        if call.pending & OFFER and pool.offer_after < best:
            best, kind = pool.offer_after, OFFER
        announcement = (call.heard + 1) * pool.every
        if announcement < best:
            best, kind = announcement, ANNOUNCE
        if call.patience < best:
            best, kind = call.patience, PATIENCE
        return best, kind

    def _plan(self, call: DayCall, pool: Pool, at: float) -> None:
        """Handle the moments due at offset `at` (after the one just handled), then set the timer for the next."""
        while True:
            best, kind = self._next_moment(call, pool)
            if best > at:
                break
            if self._happens(call, pool, kind):
                return
        if best < INF:
            call.due, call.at = kind, best
            After(self.env, max(0.0, call.entered + best - self.env.now), self._moment, call)

    def _moment(self, event: After) -> None:
        """The caller's timer: the moment it was set for happens, unless an agent answered first."""
        call = event._value
        if not call.waiting or call.cb == TOOK:
            return
        pool = self.pools[call.pool]
        if not self._happens(call, pool, call.due):
            self._plan(call, pool, call.at)

    def _happens(self, call: DayCall, pool: Pool, kind: int) -> bool:
        """A moment happens; True when the caller's moments are over (answered, left, or took a callback)."""
        if kind == OVERFLOW:
            call.pending &= ~OVERFLOW
            self._overflow(call, pool)
            return not call.waiting
        if kind == OFFER:
            call.pending &= ~OFFER
            return self._offer(call, pool)
        if kind == ANNOUNCE:
            call.heard += 1
            waited = call.heard * pool.every
            if call.patience - waited < pool.ewt(pool.position(call.seq)):
                self._leave(call, announced=True)
                return True
            return False
        self._leave(call, announced=False)
        return True

    def _offer(self, call: DayCall, pool: Pool) -> bool:
        """The callback offer: True when the caller takes it."""
        if self.rng.random() < pool.accept:
            call.cb = TOOK
            return True
        call.cb = DECLINED
        return False

    def _overflow(self, call: DayCall, pool: Pool) -> None:
        """The caller also becomes eligible for the overflow pool (if open): answered there at once if an agent is free."""
        other, now = self.pools[pool.over_to], self.env.now
        if not other.is_open(now):
            return
        call.overflowed = True
        if other.busy < other.agents:
            self._answered(call, other, now, None)
            return
        other.line.append(call)
        call.also, call.seq2, other.seq = other.index, other.seq, other.seq + 1
        other.waiting += 1
        other.sample(now)

    # -- leaving a line -----------------------------------------------------------
    def _out_of_line(self, pool: Pool, seq: int, now: float) -> None:
        """The caller leaves `pool`'s line without reaching its head (their entry stays, skipped)."""
        pool.waiting -= 1
        if pool.tracks:
            insort(pool.dead, seq)
        pool.sample(now)

    def _leave(self, call: DayCall, announced: bool) -> None:
        """The caller gives up: patience ran out, or the announced wait is longer than they will stay."""
        now = self.env.now
        call.waiting = False
        self._out_of_line(self.pools[call.pool], call.seq, now)
        if call.also != NONE:
            self._out_of_line(self.pools[call.also], call.seq2, now)
        call.wait = now - call.entered
        call.left = announced
        self._finish(call, _ABANDONED, now)

    def _take(self, pool: Pool, now: float) -> None:
        """A free agent of `pool` takes the first caller still in its line."""
        line = pool.line
        while line:
            call = line.popleft()
            pool.popped += 1
            if call.waiting:
                self._answered(call, pool, now, pool)
                return
            if pool.tracks:
                del pool.dead[0]  # the smallest number still in the deque: this caller's

    def _answered(self, call: DayCall, pool: Pool, now: float, popped: Pool | None) -> None:
        """An agent of `pool` answers (the caller came off its line's head when `popped`):
        the caller leaves any line they are in, and the agent rings back (a callback) and talks."""
        if call.waiting:  # in their first pool's line, and in the overflow pool's when `also`
            call.waiting = False
            first = self.pools[call.pool]
            if first is popped:
                first.waiting -= 1
            else:
                self._out_of_line(first, call.seq, now)
            if call.also != NONE:
                second = self.pools[call.also]
                if second is popped:
                    second.waiting -= 1
                else:
                    self._out_of_line(second, call.seq2, now)
        pool.busy += 1
        pool.sample(now)
        call.by = pool.index
        if pool.index != call.pool:
            call.serves = self._serves[call.intent][pool.index]
        call.wait = now - call.entered
        ring = 0.0
        if call.cb == TOOK:
            ring = call.ring = self.pools[call.pool].ring(self.rng)
            call.avoided = call.patience < call.wait
        call.talk = pool.talk(self.rng)
        After(self.env, ring + call.talk, self._day_talked, call)

    def _day_talked(self, event: After) -> None:
        """The talk ends; the agent takes the next caller if the pool's agents on duty allow."""
        call, now = event._value, self.env.now
        pool = self.pools[call.by]
        pool.busy -= 1
        pool.sample(now)
        self._finish(call, _SERVED if call.serves else _MISROUTED, now, person=True)
        if pool.busy < pool.agents:
            self._take(pool, now)

    def _stranded(self) -> None:
        """After the drain: callers still in line wait for ever (no patience, nobody will staff
        the pool); they end as a pool nobody staffs ends them, abandoned at infinity."""
        self._redial = None
        for pool in self.pools:
            for call in pool.line:
                if call.waiting:
                    call.waiting = False
                    call.wait = INF
                    self._finish(call, _ABANDONED, INF)

    # -- redials -----------------------------------------------------------------
    def _redial_after(self, call: DayCall, outcome: int) -> None:
        """A call whose caller's need is not met ended: they may call again (caller.py decides)."""
        assert self._redial is not None
        delay = self._redial.again(R.OUTCOMES[outcome], call.attempt, self.rng)
        if delay is not None:
            After(self.env, delay, self._redialled, call)

    def _redialled(self, event: After) -> None:
        """The caller calls again: a new call, the same caller, need and language. It is
        recorded when the caller is (their first call arrived after the warm-up)."""
        old, now = event._value, self.env.now
        row = NONE
        if old.row >= 0:
            row, self._kept = self._kept, self._kept + 1
            self._next_id += 1  # recorded calls have the ids first_id, first_id + 1, ... in arrival order
        self._walk(DayCall(row, now, old.intent, old.language, old.chain, [] if self.trace else None, old.caller,
                           old.attempt + 1))
