"""One replication on SimPy's event loop: callers moving through a menu and waiting for agents.

A caller arrives, listens, presses, waits, talks, leaves. The moves and
their times come from the caller model (caller.py), compiled once per menu
into plain tuples (``Story``). Every finished call is one row of the
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
"""

from __future__ import annotations

import gc
import math
from array import array
from bisect import bisect_right
from collections import deque
from contextlib import contextmanager
from itertools import accumulate
from random import Random

import numpy as np
import simpy
from simpy.events import NORMAL

from ivrlint.menu.model import Menu, Queue
from ivrlint.sim import records as R
from ivrlint.sim.caller import CallerModel
from ivrlint.sim.durations import sampler
from ivrlint.sim.records import CallRecord, QueueSample
from ivrlint.sim.requirements import traffic_of
from ivrlint.sim.table import NONE, CallTable, Events, Rows, StepTrace

MAX_MOVES = 10_000  # below 2 ** 15: a call's counts fit the table's 16-bit columns
#: Why a call's last step ended when the menu did not say: too many moves, a pool that was shut.
HANGUP, CLOSED = "hangup", "closed"
#: Calls between sweeps of young objects while the collector is paused.
YOUNG_SWEEP = 50_000
#: How the menu part of a call ends (the first field of a compiled end).
AT_POOL, ENDED = 0, 1
_OUTCOME = {name: i for i, name in enumerate(R.OUTCOMES)}
_SERVED, _MISROUTED, _ABANDONED = _OUTCOME[R.SERVED], _OUTCOME[R.MISROUTED], _OUTCOME[R.ABANDONED]
_HUNG_UP, _DISCONNECTED = _OUTCOME[R.HUNG_UP], _OUTCOME[R.DISCONNECTED]


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

    def __init__(self, index: int, queue: Queue, talk_cv: float, start_hour: float, logging: bool):
        self.name, self.index = queue.name, index
        self.agents = max(queue.agents, 0)
        self.busy = 0
        self.line: deque[_Call] = deque()  # callers waiting, first come first; those who gave up are skipped
        self.waiting = 0  # callers in line who have not given up
        self.talk_mean, self.talk_draw = sampler(queue.handle_time, "lognormal", talk_cv)
        self.hours = queue.hours
        self.start_hour = start_hour
        self.log = (array("d"), array("i"), array("i")) if logging else None

    def is_open(self, now: float) -> bool:
        if self.hours is None:
            return True
        hour = (self.start_hour + now / 3600.0) % 24.0
        return self.hours[0] <= hour < self.hours[1]

    def talk(self, rng: Random) -> float:
        return self.talk_draw(rng) if self.talk_draw is not None else self.talk_mean

    def sample(self, now: float) -> None:
        """Log the pool's state (replication 0 of a run that keeps records: samples cost time)."""
        log = self.log
        if log is not None and self.agents > 0:  # a pool nobody staffs has no state
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


def arrival_times(rates: list[float], horizon: float, rng: Random, start_hour: float = 0.0):
    """Poisson arrival times in [0, horizon) seconds at `rates` calls per hour
    (one flat rate, or 24 hourly rates from `start_hour`)."""
    t = 0.0
    if len(rates) == 1:
        rate = rates[0] / 3600.0
        if rate <= 0:
            return
        while True:
            t += rng.expovariate(rate)
            if t >= horizon:
                return
            yield t
    while t < horizon:
        clock = start_hour + t / 3600.0
        edge = min(horizon, (int(clock) + 1 - start_hour) * 3600.0)
        rate = rates[int(clock) % 24] / 3600.0
        gap = rng.expovariate(rate) if rate > 0 else float("inf")
        if t + gap >= edge:
            t = edge
            continue
        t += gap
        yield t


class Story:
    """The caller model of one menu compiled for the engine (built once, shared by replications).

    Each intent and language has its chain of states; each state its moves
    as tuples ``(fixed, base, think, inside, draw, counts, keys, menus,
    retries, leaves, next, end, label, event)``: ``fixed`` when the time is
    ``base`` alone, ``inside`` the chance that a think time falls below
    ``think`` (caller.py), ``counts`` when the move adds keys, menus or
    retries, ``label`` the (node, key) step it adds to the call's path when
    it ``leaves`` the visit, and ``end`` the compiled end of the menu part:
    ``(AT_POOL, reached, pool, serves)`` or ``(ENDED, reached, outcome,
    reached_person)``.
    """

    def __init__(self, menu: Menu, model: CallerModel | None = None):
        model = model or CallerModel(menu)
        traffic = traffic_of(menu)
        self.menu, self.model = menu, model
        self.rates = traffic.calls_per_hour
        self.patience_mean, self.patience_draw = sampler(traffic.patience, "exponential")
        languages = traffic.languages or {menu.language: 1.0}
        self.intents, self.intent_cum = list(traffic.intents), _cumulative([i.share for i in traffic.intents.values()])
        self.languages, self.language_cum = list(languages), _cumulative(list(languages.values()))
        self.queues = list(menu.queues)
        self.labels: list[tuple[str, str | None]] = []
        self._label_index: dict[tuple[str, str | None], int] = {}
        self.events = Events((HANGUP, CLOSED))  # why a step ended: the moves' events, and these two
        self.chains = [[self._compile(model.chain(intent, language)) for language in self.languages]
                       for intent in self.intents]
        self.stuck = {node: self.label(node, None) for node in menu.nodes}  # the last step of a call ended at MAX_MOVES

    def label(self, node: str, key: str | None) -> int:
        found = self._label_index.get((node, key))
        if found is None:
            found = self._label_index[node, key] = len(self.labels)
            self.labels.append((node, key))
        return found

    def _compile(self, chain) -> tuple:
        """(moves per state, cumulative chances per state, node per state, the start state)."""
        pools = {name: i for i, name in enumerate(self.queues)}
        behaviour = self.model.behaviour
        nodes = [state[0] for state in chain.states]
        compiled = []
        for node, moves in zip(nodes, chain.moves, strict=True):
            compiled.append([(not m.think and m.draw is None, m.base, m.think, behaviour.think_cdf(m.think) if m.think else 0.0,
                              m.draw, bool(m.keys or m.menus or m.retries), m.keys, m.menus, m.retries, m.leaves, m.next,
                              _compile_end(m.end, pools), self.label(node, m.key), self.events.code(m.event)) for m in moves])
        return compiled, chain.cumulative, nodes, chain.start


def _compile_end(end, pools: dict[str, int]) -> tuple | None:
    if end is None:
        return None
    if end.kind == "queue":
        return (AT_POOL, end.reached, pools[end.what], end.serves)
    if end.kind == "transfer":
        if end.what:
            return (ENDED, end.reached, _SERVED if end.serves else _MISROUTED, True)
        return (ENDED, end.reached, _OUTCOME[R.CONTAINED if end.reached else R.DISCONNECTED], False)
    return (ENDED, end.reached, _OUTCOME[end.what], False)


class _Call:
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


class Replication:
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
        self.pools = [Pool(i, menu.queues[name], talk_cv, start_hour, keep_samples) for i, name in enumerate(self.story.queues)]
        self.keep_samples, self.trace = keep_samples, trace
        self.calls: CallTable | None = None
        self.samples: dict[str, list[QueueSample]] = {}
        self._rows = Rows({"intent": len(self.story.intents), "language": len(self.story.languages),
                           "queue": len(self.story.queues)})
        self._write = self._rows.appends()
        self._order, self._steps = array("i"), (array("q"), array("q"), array("d"), array("b"))  # order: row of each
        self._next_id, self._kept, self._first_id = 0, 0, 0
        self._trie: dict[int, int] = {}  # path code * labels + label -> path code
        self._labels = len(self.story.labels)
        self._think = self.story.model.think_below
        self._path_parent, self._path_label = [-1], [-1]  # code 0: the empty path

    def run(self) -> Replication:
        with collector_paused():
            self._times = arrival_times(self.story.rates, self.horizon, self.rng, self.start_hour)
            first = next(self._times, None)
            if first is not None:
                After(self.env, first - self.env.now, self._arrive, first)
            self.env.run()
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
        self._walk(_Call(row, when, intent, language, story.chains[intent][language], [] if self.trace else None))

    def _walk(self, call: _Call) -> None:
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

    def _make(self, call: _Call, move: tuple) -> bool:
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

    def _extend(self, call: _Call, label: int, event: int) -> None:
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

    def _menu_done(self, call: _Call, end: tuple) -> None:
        call.reached = end[1]
        if end[0] == AT_POOL:
            self._reach_pool(call, self.pools[end[2]], end[3])
        else:
            self._finish(call, end[2], self.env.now, person=end[3])

    def _reach_pool(self, call: _Call, pool: Pool, serves: bool) -> None:
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
        if pool.agents == 0:  # nobody staffs this pool: every caller gives up
            patience = self._patience()
            call.wait = patience
            After(self.env, patience, self._gave_up_unanswered, call)
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

    def _answer(self, call: _Call, pool: Pool) -> None:
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

    def _finish(self, call: _Call, outcome: int, end: float, person: bool = False) -> None:
        """The call is over: its row goes to the table (unless it arrived in the warm-up)."""
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
        self._order.append(call.row)
        if call.steps is not None:
            start, count, leave, event = self._steps
            start.append(len(leave))
            count.append(len(call.steps))
            for at, why in call.steps:
                leave.append(at)
                event.append(why)

    # -- the table -------------------------------------------------------------
    def _table(self) -> CallTable:
        self._write = []  # the appends hold the arrays: let them go as they become columns
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


@contextmanager
def collector_paused():
    """Pause the cyclic garbage collector while a run allocates.

    A run makes almost no cyclic garbage (reference counting frees finished
    calls), and the arrivals still sweep the young objects every
    YOUNG_SWEEP calls, so memory stays bounded.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _cumulative(weights: list[float]) -> list[float]:
    """Running sums of `weights`, normalised so that the last is exactly 1."""
    total = sum(weights)
    if total <= 0:
        weights, total = [1.0] * len(weights), float(len(weights))
    running = [w / total for w in accumulate(weights)]
    running[-1] = 1.0
    return running
