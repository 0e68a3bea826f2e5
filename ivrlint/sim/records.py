"""What a simulation run leaves behind: one plain record per call.

Every statistic, table and plot is computed afterwards from the calls (as
in Ciw's ``get_all_records()``), so a new measure never touches the engine.
The engine writes them as columns (table.py); these records are how the
report and the Python API read them one call at a time. Times are seconds
from the start of the replication.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: How a call ended.
SERVED = "served"  # talked to a person who can serve the intent, at a pool or a transfer (serving.py)
CONTAINED = "contained"  # need met in self-service, no person involved
ABANDONED = "abandoned"  # hung up while waiting in a queue
HUNG_UP = "hung_up"  # gave up in the menu (lost, looping, or tired of it)
DISCONNECTED = "disconnected"  # the menu ended the call (retries used up, dead end, hang-up node before the goal)
MISROUTED = "misrouted"  # talked to a person who cannot serve the intent (serving.py)
VOICEMAIL = "voicemail"  # left a message for a callback
OUTCOMES = (SERVED, CONTAINED, ABANDONED, HUNG_UP, DISCONNECTED, MISROUTED, VOICEMAIL)
#: Outcomes where the caller's need was met (for time to resolution).
RESOLVED = (SERVED, CONTAINED)


@dataclass(slots=True)
class Step:
    """One visit to a node."""

    node: str
    enter: float
    leave: float
    key: str | None = None  # the key pressed to leave, if any
    event: str = ""  # why the call left: key, no_input, invalid, failure, next, branch, success, hangup...


@dataclass(slots=True)
class CallRecord:
    call_id: int
    replication: int
    arrival: float
    intent: str
    language: str
    steps: list[Step] = field(default_factory=list)
    outcome: str = HUNG_UP
    retries: int = 0  # no-inputs and invalid keys over the whole call
    keypresses: int = 0
    menus_heard: int = 0
    reached_goal: bool = False  # entered one of the intent's goal nodes
    reached_person: bool = False  # talked to a person (served or misrouted)
    queue: str | None = None  # the pool the call waited for, if any
    queue_enter: float | None = None
    queue_wait: float | None = None  # seconds waited (also for callers who abandoned)
    talk_time: float | None = None
    end: float = 0.0  # when the call ended
    # a whole day (issue 14): who called, and what happened in line
    caller: int = -1  # call_id of the caller's first call (-1: this call's own, a first call)
    attempt: int = 1  # 1 for a first call, 2 for the first redial...
    answered_by: str | None = None  # the pool whose agent answered (None: taken to be `queue` when talk_time is known)
    callback: int = 0  # 0 no offer, 1 offered and declined, 2 taken
    ring_back: float | None = None  # seconds the agent spent calling a callback taker back
    avoided: bool = False  # took a callback, and would have given up before the agent called back
    left_at_announcement: bool = False  # gave up on hearing the expected wait
    overflowed: bool = False  # became eligible for the queue's overflow pool

    def __post_init__(self) -> None:
        if self.caller < 0:
            self.caller = self.call_id
        if self.answered_by is None and self.queue is not None and self.talk_time is not None:
            self.answered_by = self.queue

    @property
    def ivr_seconds(self) -> float:
        """Seconds spent in the menu, before queueing or leaving."""
        until = self.queue_enter if self.queue_enter is not None else self.end
        return until - self.arrival

    @property
    def path(self) -> str:
        """The menus and keys taken, e.g. ``main>1>billing>2>pay``."""
        steps = self.steps
        if len(steps) == 1:  # the common case of a queue-only line, without building a list
            step = steps[0]
            return step.node if step.key is None else f"{step.node}>{step.key}"
        return ">".join([step.node if step.key is None else f"{step.node}>{step.key}" for step in steps])


@dataclass(slots=True)
class QueueSample:
    """The state of a pool just after something changed."""

    time: float
    waiting: int
    busy: int
