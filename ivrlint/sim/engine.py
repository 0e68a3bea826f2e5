"""One replication on SimPy's event loop: callers moving through a menu and waiting for agents.

A caller arrives, listens, presses, waits, talks, leaves. The moves and
their times come from the caller model (caller.py), compiled once per menu
into plain tuples (``Story``, story.py). Every finished call is one row of the
replication's CallTable (table.py); statistics are computed later
(metrics.py).

How the story maps onto SimPy events (the part of the time SimPy's loop
takes grows with the events a call needs, so a call asks for as few as the
story allows):

* a caller's arrival is one event; the moves that take no time (a branch,
  a queue node without a prompt) happen inside the event that led to them;
* each stretch of the menu part that takes time (a prompt and a think, a
  task, a silence until the timeout) is one event, after which the caller
  makes their next move;
* an agent pool is a count of busy agents and a first-come-first-served
  line of callers, as ``simpy.Resource`` keeps them: a caller is answered
  at once when an agent is free, or when the agent before them hangs up,
  so the grant and the release need no events of their own; waiting until
  patience runs out is one event racing the answer (ignored once answered);
* the talk is one event, at whose end the agent takes the next caller.

So a caller who queues without a menu costs two or three events, where a
process per call with a Resource and a patience timer took six.

Decisions worth knowing:

* Arrivals are Poisson at ``calls_per_hour``, a flat rate around the clock
  (closed hours included); with 24 hourly rates the rate is piecewise
  constant and the clock starts at midnight (exact: on crossing an hour the
  next gap is drawn afresh, as the exponential is memoryless). Where the
  clock starts otherwise is runner.default_start_hour's choice.
* One random stream per replication, drawn in the order the events happen:
  at an arrival, the intent, the language, the next caller's gap, then the
  caller's first moves. The same seed gives the same calls.
* Arrivals stop at the horizon; calls that arrived are followed to their end
  (the system drains), so no late caller is lost from the statistics.
  Calls arriving during the warm-up are simulated but not recorded.
* A pool with ``hours`` takes callers only while open; a caller who reaches
  it when closed is disconnected (platforms play a closed message). Callers
  already waiting at closing time are still answered.
* A call making more than MAX_MOVES moves (a trap loop with menu patience
  set to zero) is ended as a hang-up, so a run always ends.
* A menu that uses the whole-day features (staff by the hour, redials,
  callbacks, announcements, overflow) is played by lines.py's mixin, at the
  few events its docstring counts; pools.py holds the pools and the calls.
  Staff by the hour changes only the agents on duty (one event an hour);
  with the others, calls are DayCalls and the table stores the columns of
  the features used (table.py, DAY_GROUPS). A menu without them takes none
  of those paths: the same draws, the same numbers as before.
"""

from __future__ import annotations

import gc
import math
from array import array
from bisect import bisect_right
from random import Random

import numpy as np
import simpy

from ivrlint.common.gcpause import gc_paused
from ivrlint.menu.model import Menu
from ivrlint.sim import records as R
from ivrlint.sim.caller import CallerModel
from ivrlint.sim.lines import Lines
from ivrlint.sim.pools import After, Call, DayCall, Pool, open_seconds, open_spans
from ivrlint.sim.records import CallRecord, QueueSample
from ivrlint.sim.story import AT_POOL, CLOSED, HANGUP, Story, arrival_times, whole_day
from ivrlint.sim.table import DAY, DAY_GROUPS, NONE, CallTable, Rows, StepTrace

__all__ = ["After", "Call", "Pool", "Replication", "Story", "arrival_times", "open_seconds", "open_spans",
           "whole_day"]

MAX_MOVES = 10_000  # below 2 ** 15: a call's counts fit the table's 16-bit columns
#: Calls between sweeps of young objects while the collector is paused.
YOUNG_SWEEP = 50_000
_OUTCOME = {name: i for i, name in enumerate(R.OUTCOMES)}
_SERVED, _MISROUTED, _ABANDONED = _OUTCOME[R.SERVED], _OUTCOME[R.MISROUTED], _OUTCOME[R.ABANDONED]
_HUNG_UP, _DISCONNECTED = _OUTCOME[R.HUNG_UP], _OUTCOME[R.DISCONNECTED]


class Replication(Lines):
    """One run of the menu: build the pools, start the arrivals, drain.

    `keep_samples` logs the pools' states over time; `trace` keeps every
    step's time and event in the table (both for a run that keeps records).
    """

    def __init__(self, menu: Menu, model: CallerModel | None, replication: int, seed: int, hours: float,
                 warmup: float = 0.0, start_hour: float = 0.0, keep_samples: bool = False,
                 story: Story | None = None, trace: bool = False):
        self.story = story or Story(menu, model)
        self.env = simpy.Environment()
        self.rng = Random(seed)
        self.replication = replication
        self.horizon = (warmup + hours) * 3600.0
        self.warm = warmup * 3600.0
        self.start_hour = start_hour
        talk_cv = self.story.model.behaviour.talk_cv
        names = {name: i for i, name in enumerate(self.story.queues)}
        self.pools = [Pool(i, menu.queues[name], talk_cv, start_hour, keep_samples, names, menu.file)
                      for i, name in enumerate(self.story.queues)]
        for pool in self.pools:
            if pool.over_to != NONE:
                target = self.pools[pool.over_to]
                target.target, target.plain = True, False
        self.keep_samples, self.trace = keep_samples, trace
        self.calls: CallTable | None = None
        self.samples: dict[str, list[QueueSample]] = {}
        self._redial, self._serves = self.story.redial, self.story.serves
        self._unmet = [self.story.model.redialling.unmet(name) for name in R.OUTCOMES]
        groups = {"redial": self._redial is not None, "callback": any(p.offer_after < math.inf for p in self.pools),
                  "announce": any(p.every < math.inf for p in self.pools), "overflow": any(p.over_to != NONE for p in self.pools)}
        kept = tuple(name for group, used in groups.items() if used for name in DAY_GROUPS[group])
        self._day = bool(kept)  # calls are DayCalls, whose rows have the whole-day columns of the features used
        self._hourly_run = any(p.schedule is not None for p in self.pools)
        self._rows = Rows({"intent": len(self.story.intents), "language": len(self.story.languages),
                           "queue": len(self.story.queues)}, day=kept)
        appends = self._rows.appends()
        self._write = appends[:15]  # the columns of every run
        self._day_columns(dict(zip([name for name in DAY if name in kept], appends[15:], strict=True)))
        self._order, self._steps = array("i"), (array("q"), array("q"), array("d"), array("b"))  # order: row of each
        self._next_id, self._kept, self._first_id = 0, 0, 0
        self._trie: dict[int, int] = {}  # path code * labels + label -> path code
        self._labels = len(self.story.labels)
        self._think = self.story.model.think_below
        self._path_parent, self._path_label = [-1], [-1]  # code 0: the empty path

    def run(self) -> Replication:
        with gc_paused():  # almost no cyclic garbage; arrivals sweep the young objects every YOUNG_SWEEP calls
            self._times = arrival_times(self.story.rates, self.horizon, self.rng, self.start_hour)
            first = next(self._times, None)
            if first is not None:
                After(self.env, first - self.env.now, self._arrive, first)
            if self._hourly_run:
                self._start_shifts()
            self.env.run()
            if self._day or self._hourly_run:
                self._stranded()
            self.calls = self._table()
        if self.keep_samples:
            self.samples = {pool.name: pool.samples() for pool in self.pools}
        return self

    @property
    def records(self) -> list[CallRecord]:
        """The calls as CallRecords (after run)."""
        return self.calls.records() if self.calls is not None else []

    # -- the story -------------------------------------------------------------
    def _arrive(self, event: After) -> None:
        """A caller arrives, draws an intent and a language and starts their call;
        the next caller's gap is drawn before this caller's first move."""
        when, rng, story = event._value, self.rng, self.story
        call_id = self._next_id
        self._next_id += 1
        intent = 0 if len(story.intents) == 1 else bisect_right(story.intent_cum, rng.random())
        language = 0 if len(story.languages) == 1 else bisect_right(story.language_cum, rng.random())
        row = -1
        if when >= self.warm:
            if not self._kept:
                self._first_id = call_id
            row, self._kept = self._kept, self._kept + 1
        upcoming = next(self._times, None)
        if upcoming is not None:
            After(self.env, upcoming - self.env.now, self._arrive, upcoming)
        if call_id % YOUNG_SWEEP == YOUNG_SWEEP - 1:
            gc.collect(0)  # whatever cyclic garbage there is, while it is young
        steps: list | None = [] if self.trace else None
        if self._day:
            self._walk(DayCall(row, when, intent, language, story.chains[intent][language], steps, call_id, 1))
        else:
            self._walk(Call(row, when, intent, language, story.chains[intent][language], steps))

    def _walk(self, call: Call) -> None:
        """The caller moves through the menu until a move takes time (they
        carry on when it has passed) or the menu part of the call ends."""
        moves, cumulative = call.chain[0], call.chain[1]
        rng = self.rng
        while True:
            here = moves[call.state]
            move = here[0] if len(here) == 1 else here[bisect_right(cumulative[call.state], rng.random())]
            seconds = move[1]
            if not move[0]:
                if move[2]:
                    seconds += self._think(move[2], rng, move[3])
                if move[4] is not None:
                    seconds += move[4](rng)
            call.made += 1
            if seconds > 0:
                call.move = move
                After(self.env, seconds, self._moved, call)
                return
            if self._make(call, move):
                return

    def _moved(self, event: After) -> None:
        """The time of the caller's move has passed: make it, and walk on."""
        call = event._value
        if not self._make(call, call.move):
            self._walk(call)

    def _make(self, call: Call, move: tuple) -> bool:
        """The move takes effect now; True when the menu part of the call is over."""
        if move[5]:
            call.keys += move[6]
            call.menus += move[7]
            call.retries += move[8]
        if move[9]:  # leaves the visit: one more step on the path
            self._extend(call, move[12], move[13])
            if move[11] is not None:
                self._menu_done(call, move[11])
                return True
        call.state = move[10]
        if call.made >= MAX_MOVES:
            self._extend(call, self.story.stuck[call.chain[2][call.state]], self.story.events.code(HANGUP))
            self._finish(call, _HUNG_UP, self.env.now)
            return True
        return False

    def _extend(self, call: Call, label: int, event: int) -> None:
        """The step the caller leaves now joins their path (and the trace, with its time and event)."""
        key = call.path * self._labels + label
        code = self._trie.get(key)
        if code is None:
            code = self._trie[key] = len(self._path_parent)
            self._path_parent.append(call.path)
            self._path_label.append(label)
        call.path = code
        if call.steps is not None:
            call.steps.append((self.env.now, event))

    def _menu_done(self, call: Call, end: tuple) -> None:
        call.reached = end[1]
        if end[0] == AT_POOL:
            self._reach_pool(call, self.pools[end[2]], end[3])
        else:
            self._finish(call, end[2], self.env.now, person=end[3])

    def _reach_pool(self, call: Call, pool: Pool, serves: bool) -> None:
        """The caller reaches a pool: answered now if an agent is free, else in
        line until answered or out of patience (`serves`: the pool can serve
        the caller's intent)."""
        now = call.entered = self.env.now
        call.pool, call.serves = pool.index, serves
        if not pool.is_open(now):
            if call.steps is not None:
                call.steps[-1] = (call.steps[-1][0], self.story.events.code(CLOSED))
            self._finish(call, _DISCONNECTED, now)
            return
        if pool.nobody:  # nobody ever staffs this pool: every caller gives up
            patience = self._patience()
            call.wait = patience
            After(self.env, patience, self._gave_up_unanswered, call)
            return
        if not pool.plain:
            self._join(call, pool)  # type: ignore[arg-type]  # a pool that is not plain is in a whole-day run: a DayCall
            return
        if pool.busy < pool.agents:
            pool.busy += 1
            pool.sample(now)
            self._answer(call, pool)
            return
        call.waiting = True
        pool.line.append(call)
        pool.waiting += 1
        pool.sample(now)
        patience = self._patience()
        if patience < math.inf:  # a caller who never gives up (Erlang C) needs no event for it
            After(self.env, patience, self._gave_up, call)

    def _patience(self) -> float:
        story = self.story
        return story.patience_draw(self.rng) if story.patience_draw else story.patience_mean

    def _answer(self, call: Call, pool: Pool) -> None:
        """An agent answers: the caller talks for a drawn talk time."""
        call.wait = self.env.now - call.entered
        call.talk = pool.talk(self.rng)
        After(self.env, call.talk, self._talked, call)

    def _talked(self, event: After) -> None:
        """The talk ends; the agent takes the first caller still in line."""
        call, now = event._value, self.env.now
        pool = self.pools[call.pool]
        pool.busy -= 1
        pool.sample(now)
        self._finish(call, _SERVED if call.serves else _MISROUTED, now, person=True)
        if pool.busy < pool.agents:  # fewer agents on duty since the shift changed: none takes a call
            self._take_plain(pool, now)

    def _gave_up(self, event: After) -> None:
        """Patience ran out: the caller hangs up, unless an agent answered first."""
        call = event._value
        if not call.waiting:
            return
        call.waiting = False
        pool, now = self.pools[call.pool], self.env.now
        pool.waiting -= 1
        pool.sample(now)
        call.wait = now - call.entered
        self._finish(call, _ABANDONED, now)

    def _gave_up_unanswered(self, event: After) -> None:
        self._finish(event._value, _ABANDONED, self.env.now)

    def _finish(self, call: Call, outcome: int, end: float, person: bool = False) -> None:
        """The call is over: its row goes to the table (unless it arrived in the warm-up); a caller
        whose need it left unmet may call again (a whole-day run's redials)."""
        if self._redial is not None and self._unmet[outcome]:
            self._redial_after(call, outcome)  # type: ignore[arg-type]  # redials make it a whole-day run: a DayCall
        if call.row < 0:
            return
        (arrival, end_, enter, wait, talk, keys, menus, retries, intent, language, queue, path, outcome_, goal,
         person_) = self._write
        arrival(call.arrival)
        end_(end)
        enter(call.entered)
        wait(call.wait)
        talk(call.talk if person else math.nan)
        keys(call.keys)
        menus(call.menus)
        retries(call.retries)
        intent(call.intent)
        language(call.language)
        queue(call.pool)
        path(call.path)
        outcome_(outcome)
        goal(call.reached)
        person_(person)
        if self._day:
            self._write_day(call, person)  # type: ignore[arg-type]  # a whole-day run's calls are DayCalls
        self._order.append(call.row)
        if call.steps is not None:
            start, count, leave, event = self._steps
            start.append(len(leave))
            count.append(len(call.steps))
            for at, why in call.steps:
                leave.append(at)
                event.append(why)

    def _day_columns(self, appends: dict) -> None:
        """The appends of the whole-day columns kept, by feature (None: not kept)."""
        self._w_redial = (appends["caller"], appends["attempt"]) if "caller" in appends else None
        self._w_callback = (appends["callback"], appends["ring_back"], appends["avoided"]) if "callback" in appends else None
        self._w_left = appends.get("left_at_announcement")
        self._w_overflow = (appends["answered_by"], appends["overflowed"]) if "overflowed" in appends else None

    def _write_day(self, call: DayCall, person: bool) -> None:
        """The whole-day columns of the call's row (table.DAY_GROUPS of the features the menu uses)."""
        redial, callback, overflow = self._w_redial, self._w_callback, self._w_overflow
        if redial is not None:
            redial[0](call.caller)
            redial[1](call.attempt)
        if callback is not None:
            callback[0](call.cb)
            callback[1](call.ring)
            callback[2](call.avoided)
        if self._w_left is not None:
            self._w_left(call.left)
        if overflow is not None:
            overflow[0](call.by if call.by != NONE else call.pool if person else NONE)
            overflow[1](call.overflowed)

    # -- the table -------------------------------------------------------------
    def _table(self) -> CallTable:
        self._write = []  # the appends hold the arrays: let them go as they become columns
        self._day_columns({})
        order = np.frombuffer(self._order, dtype=np.int32) if len(self._order) else np.zeros(0, np.int32)
        columns = self._rows.arrays(order)
        self._order = array("i")
        codes = columns["path"]
        distinct, first = np.unique(codes, return_index=True)
        distinct = distinct[np.argsort(first, kind="stable")]  # in order of first appearance
        renumber = np.zeros(len(self._path_parent), dtype=np.int32)
        renumber[distinct] = np.arange(len(distinct), dtype=np.int32)
        columns["path"] = renumber[codes]
        story = self.story
        names = {"intents": story.intents, "languages": story.languages, "queues": story.queues}
        return CallTable(self.replication, self._first_id, names, [self._path_steps(int(c)) for c in distinct], columns,
                         self._trace(order) if self.trace else None)

    def _path_steps(self, code: int) -> tuple:
        labels, steps = self.story.labels, []
        while code > 0:
            steps.append(labels[self._path_label[code]])
            code = self._path_parent[code]
        return tuple(reversed(steps))

    def _trace(self, order: np.ndarray) -> StepTrace:
        """The steps in row order (calls finished in another order)."""
        start, count, leave, event = (np.frombuffer(a, dtype=np.dtype(a.typecode)) if len(a) else np.zeros(0, a.typecode)
                                      for a in self._steps)
        at, n = np.empty_like(start), np.empty_like(count)
        at[order], n[order] = start, count
        bounds = np.concatenate(([0], np.cumsum(n)))
        take = np.repeat(at - bounds[:-1], n) + np.arange(bounds[-1])
        return StepTrace(bounds, leave[take], event[take], list(self.story.events.names))
