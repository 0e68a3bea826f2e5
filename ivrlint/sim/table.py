"""Calls as columns: what one replication leaves behind, one numpy array per field.

A replication of ten million calls cannot keep ten million Python objects
(a CallRecord with its steps took about 0.9 KB). The engine writes each
finished call as one row of typed arrays instead, about 75 bytes a call,
and the metrics (metrics.py) read the columns with vectorised sums. Rows
are in arrival order (call_id order), as the records were.

A menu that uses the whole-day features (issue 14: staff by the hour,
redials, callbacks, announcements, overflow) also stores the columns of
DAY its features need (DAY_GROUPS; staff by the hour needs none): who called (``caller``, the call_id of their first call, and
``attempt``), the pool whose agent answered (``answered_by``), the callback
(``callback``: 0 none offered, 1 declined, 2 taken; ``ring_back`` seconds;
``avoided``), ``left_at_announcement`` and ``overflowed``. A column it
does not store (all of them without those features: a call stays under 64
bytes) reads as the values a run without the feature has: each call its
own caller, attempt 1, answered by the pool it waited for when it talked,
zeros and NaN.

The path a call took (``main>1>billing>2>pay``) is a code into ``paths``,
the distinct paths of the replication in order of first appearance, each a
tuple of (node, key) steps. When the run keeps its records, the table also
holds every step's leave time and the event that ended it (``trace``), so
``records()`` rebuilds the CallRecords of old, steps and times included.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator

import numpy as np

from ivrlint.sim import records as R
from ivrlint.sim.records import CallRecord, Step

#: Columns of floating-point seconds (NaN where the record said None).
TIMES = ("arrival", "end", "queue_enter", "queue_wait", "talk_time")
#: Columns of counts and codes, with their array type codes: a call makes
#: at most engine.MAX_MOVES (10,000) moves, so its counts fit 16 bits; the
#: codes of intents, languages and pools take the narrowest type that holds
#: them (``Rows``), a path's code 32 bits.
COUNTS = {"keypresses": "h", "menus_heard": "h", "retries": "h", "intent": "h", "language": "h", "queue": "h",
          "path": "i", "outcome": "b", "reached_goal": "b", "reached_person": "b"}
NONE = -1  # the queue code of a call that never reached a pool
#: Columns of the whole-day features with their array type codes (``answered_by`` a pool's code, as ``queue``).
DAY = {"caller": "q", "attempt": "h", "answered_by": "h", "callback": "b", "ring_back": "d", "avoided": "b",
       "left_at_announcement": "b", "overflowed": "b"}
#: The whole-day columns each feature needs: a run stores those of the features it uses.
DAY_GROUPS = {"redial": ("caller", "attempt"), "callback": ("callback", "ring_back", "avoided"),
              "announce": ("left_at_announcement",), "overflow": ("answered_by", "overflowed")}


class StepTrace:
    """Every step of every call: when it was left and why, calls one after another."""

    def __init__(self, start: np.ndarray, leave: np.ndarray, event: np.ndarray, events: list[str]):
        self.start = start  # start[k]:start[k + 1] are call k's steps
        self.leave = leave
        self.event = event  # codes into `events`
        self.events = events

    def __eq__(self, other) -> bool:
        return (isinstance(other, StepTrace) and self.events == other.events and np.array_equal(self.start, other.start)
                and np.array_equal(self.leave, other.leave) and np.array_equal(self.event, other.event))


class CallTable:
    """One replication's calls (see the module docstring)."""

    def __init__(self, replication: int, first_id: int, names: dict[str, list[str]], paths: list[tuple],
                 columns: dict[str, np.ndarray], trace: StepTrace | None = None):
        self.replication = replication
        self.first_id = first_id  # call_id of the first row: calls of the warm-up come first and are not kept
        self.intents, self.languages, self.queues = names["intents"], names["languages"], names["queues"]
        self.paths = paths  # per path code: ((node, key), ...)
        self.trace = trace
        self.arrival, self.end = columns["arrival"], columns["end"]
        self.queue_enter, self.queue_wait, self.talk_time = columns["queue_enter"], columns["queue_wait"], columns["talk_time"]
        self.keypresses, self.menus_heard, self.retries = columns["keypresses"], columns["menus_heard"], columns["retries"]
        self.intent, self.language, self.queue, self.path = columns["intent"], columns["language"], columns["queue"], columns["path"]
        self.outcome = columns["outcome"]
        self.reached_goal, self.reached_person = columns["reached_goal"], columns["reached_person"]
        self._day = {name: columns[name] for name in DAY if name in columns}  # stored only by a whole-day run

    def __len__(self) -> int:
        return len(self.arrival)

    def columns(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in (*TIMES, *COUNTS, *DAY)}

    # -- the whole-day columns (stored, or the values a run without the features has) --
    @property
    def whole_day(self) -> bool:
        """Does the table store whole-day columns (the run used redials, callbacks, announcements or overflow)?"""
        return bool(self._day)

    def _day_column(self, name: str) -> np.ndarray:
        stored = self._day.get(name)
        if stored is not None:
            return stored
        n = len(self)
        if name == "caller":
            return self.first_id + np.arange(n, dtype=np.int64)
        if name == "attempt":
            return np.ones(n, np.int16)
        if name == "answered_by":
            return np.where(np.isnan(self.talk_time), NONE, self.queue).astype(self.queue.dtype)
        if name == "ring_back":
            return np.full(n, math.nan)
        return np.zeros(n, np.int8)

    @property
    def caller(self) -> np.ndarray:
        """The call_id of each call's caller's first call."""
        return self._day_column("caller")

    @property
    def attempt(self) -> np.ndarray:
        """1 for a caller's first call, 2 for their first redial..."""
        return self._day_column("attempt")

    @property
    def answered_by(self) -> np.ndarray:
        """The code of the pool whose agent answered (NONE: no agent did); ``queue`` is the pool waited for first."""
        return self._day_column("answered_by")

    @property
    def callback(self) -> np.ndarray:
        """0: no callback offered, 1: offered and declined, 2: taken."""
        return self._day_column("callback")

    @property
    def ring_back(self) -> np.ndarray:
        """Seconds the agent spent calling a callback taker back (NaN: none). An agent is busy
        with a call from queue_enter + queue_wait until end (ring-back and talk)."""
        return self._day_column("ring_back")

    @property
    def avoided(self) -> np.ndarray:
        """1: took a callback and would have given up before the agent called back."""
        return self._day_column("avoided")

    @property
    def left_at_announcement(self) -> np.ndarray:
        """1: gave up on hearing an expected wait longer than they would stay."""
        return self._day_column("left_at_announcement")

    @property
    def overflowed(self) -> np.ndarray:
        """1: became eligible for the overflow pool of the queue they waited for."""
        return self._day_column("overflowed")

    def __eq__(self, other) -> bool:
        if not isinstance(other, CallTable):
            return NotImplemented
        mine, theirs = self.columns(), other.columns()
        return (self.replication == other.replication and self.first_id == other.first_id and self.paths == other.paths
                and (self.intents, self.languages, self.queues) == (other.intents, other.languages, other.queues)
                and all(np.array_equal(mine[k], theirs[k], equal_nan=k in TIMES or k == "ring_back") for k in mine)
                and self.trace == other.trace)

    def __repr__(self) -> str:
        return f"CallTable(replication={self.replication}, calls={len(self)})"

    def nbytes(self) -> int:
        """Bytes the columns (and the trace) hold."""
        trace = self.trace
        steps = 0 if trace is None else trace.start.nbytes + trace.leave.nbytes + trace.event.nbytes
        stored = [getattr(self, name) for name in (*TIMES, *COUNTS)] + list(self._day.values())
        return sum(column.nbytes for column in stored) + steps

    @property
    def path_names(self) -> list[str]:
        """Each path as the records write it, e.g. ``main>1>billing``, by path code."""
        return [path_name(steps) for steps in self.paths]

    def without_trace(self) -> CallTable:
        """The same calls without their steps' times (what metrics and CSV need)."""
        copy = CallTable.__new__(CallTable)
        copy.__dict__.update(self.__dict__)
        copy.trace = None
        return copy

    # -- back to records ---------------------------------------------------------
    def records(self) -> list[CallRecord]:
        """The calls as CallRecords (steps with their times when the table has a trace)."""
        return list(self.iter_records())

    def iter_records(self) -> Iterator[CallRecord]:
        outcome_names, queues = R.OUTCOMES, self.queues
        path_steps = self.paths
        columns = [getattr(self, name).tolist() for name in
                   ("arrival", "end", "queue_enter", "queue_wait", "talk_time", "keypresses", "menus_heard", "retries",
                    "intent", "language", "queue", "path", "outcome", "reached_goal", "reached_person", *DAY)]
        steps = self._steps()
        for k, (arrival, end, enter, wait, talk, keys, menus, retries, intent, language, queue, path, outcome,
                goal, person, caller, attempt, by, callback, ring, avoided, left, overflowed) in enumerate(zip(*columns, strict=True)):
            record = CallRecord(self.first_id + k, self.replication, arrival, self.intents[intent], self.languages[language],
                                outcome=outcome_names[outcome], retries=retries, keypresses=keys, menus_heard=menus,
                                reached_goal=bool(goal), reached_person=bool(person),
                                queue=queues[queue] if queue != NONE else None, queue_enter=_none(enter),
                                queue_wait=_none(wait), talk_time=_none(talk), end=end, caller=caller, attempt=attempt,
                                answered_by=queues[by] if by != NONE else None, callback=callback, ring_back=_none(ring),
                                avoided=bool(avoided), left_at_announcement=bool(left), overflowed=bool(overflowed))
            record.steps = steps(k, arrival, path_steps[path])
            yield record

    def _steps(self):
        """A function giving call k's Steps (its times from the trace, or NaN without one)."""
        trace = self.trace
        if trace is None:
            return lambda k, arrival, steps: [Step(node, math.nan, math.nan, key) for node, key in steps]
        start, leave, event, names = trace.start.tolist(), trace.leave.tolist(), trace.event.tolist(), trace.events

        def steps_of(k: int, arrival: float, steps: tuple) -> list[Step]:
            out, enter = [], arrival
            for (node, key), at in zip(steps, range(start[k], start[k + 1]), strict=True):
                out.append(Step(node, enter, leave[at], key, names[event[at]]))
                enter = leave[at]
            return out

        return steps_of

    @classmethod
    def from_records(cls, records: list[CallRecord], intents: list[str] | None = None) -> CallTable:
        """The table of `records` (one replication's, in call order); how metrics read a hand-made list.
        Each step's enter is taken to be the leave of the step before (the arrival for the first)."""
        intents = list(dict.fromkeys([*(intents or []), *(r.intent for r in records)]))
        languages = list(dict.fromkeys(r.language for r in records))
        queues = list(dict.fromkeys([*(r.queue for r in records if r.queue is not None),
                                     *(r.answered_by for r in records if r.answered_by is not None)]))
        paths: dict[tuple, int] = {}
        events = Events()
        starts, leaves, whys = [0], [], []
        codes = {"intent": {n: i for i, n in enumerate(intents)}, "language": {n: i for i, n in enumerate(languages)},
                 "queue": {n: i for i, n in enumerate(queues)}}
        rows = Rows({"intent": len(intents), "language": len(languages), "queue": len(queues)}, day=True)
        queue_code = codes["queue"]
        for r in records:
            steps = tuple((s.node, s.key) for s in r.steps)
            rows.add(r.arrival, r.end, _nan(r.queue_enter), _nan(r.queue_wait), _nan(r.talk_time), r.keypresses,
                     r.menus_heard, r.retries, codes["intent"][r.intent], codes["language"][r.language],
                     queue_code[r.queue] if r.queue is not None else NONE, paths.setdefault(steps, len(paths)),
                     R.OUTCOMES.index(r.outcome), r.reached_goal, r.reached_person, r.caller, r.attempt,
                     queue_code[r.answered_by] if r.answered_by is not None else NONE, r.callback, _nan(r.ring_back),
                     r.avoided, r.left_at_announcement, r.overflowed)
            leaves += [s.leave for s in r.steps]
            whys += [events.code(s.event) for s in r.steps]
            starts.append(len(leaves))
        first = records[0].call_id if records else 0
        replication = records[0].replication if records else 0
        trace = StepTrace(np.array(starts, np.int64), np.array(leaves, float), np.array(whys, np.int8), events.names)
        return cls(replication, first, {"intents": intents, "languages": languages, "queues": queues}, list(paths),
                   rows.arrays(), trace)


class Events:
    """The names of the events that end steps, each with its small code."""

    def __init__(self, names: tuple[str, ...] = ()):
        self.names: list[str] = []
        self._codes: dict[str, int] = {}
        for name in names:
            self.code(name)

    def code(self, name: str) -> int:
        found = self._codes.get(name)
        if found is None:
            found = self._codes[name] = len(self.names)
            self.names.append(name)
        return found


class Rows:
    """Rows appended one call at a time into typed arrays (no object per call);
    `codes` gives how many names each code column has to tell apart; `day`
    names the columns of DAY to add (True: all of them)."""

    def __init__(self, codes: dict[str, int], day: bool | tuple[str, ...] = ()):
        types = {name: _narrowest(codes[name]) if name in codes else code for name, code in COUNTS.items()}
        self.data = {name: array("d") for name in TIMES} | {name: array(code) for name, code in types.items()}
        kept = DAY if day is True else day or ()
        self.data |= {name: array(_narrowest(codes["queue"]) if name == "answered_by" else code)
                      for name, code in DAY.items() if name in kept}

    def appends(self) -> list:
        """Each column's append, in the order of TIMES then COUNTS (the order of a row), then DAY's kept."""
        return [self.data[name].append for name in (*TIMES, *COUNTS, *DAY) if name in self.data]

    def add(self, *row) -> None:
        for append, value in zip(self.appends(), row, strict=True):
            append(value)

    def arrays(self, order: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """The columns as numpy arrays, rows put at `order` (row i goes to order[i]) when given."""
        out = {}
        for name, column in self.data.items():
            values = np.frombuffer(column, dtype=np.dtype(column.typecode)) if len(column) else np.array([], column.typecode)
            if name in ("reached_goal", "reached_person"):
                values = values.astype(bool)
            elif order is None:
                values = values.copy()
            if order is not None:
                placed = np.empty_like(values)
                placed[order] = values
                values = placed
            out[name] = values
            self.data[name] = array(column.typecode)  # free it as we go: big runs hold one copy at a time
        return out


def _narrowest(names: int) -> str:
    """The array type code of the narrowest signed integer holding codes -1 .. names - 1."""
    return "b" if names < 2 ** 7 else "h" if names < 2 ** 15 else "i"


def path_name(steps: tuple) -> str:
    """A path as the records write it: ``main>1>billing`` for (("main", "1"), ("billing", None))."""
    return ">".join([node if key is None else f"{node}>{key}" for node, key in steps])


def _none(value: float) -> float | None:
    return None if value != value else value  # NaN: the record had no value


def _nan(value: float | None) -> float:
    return math.nan if value is None else value
