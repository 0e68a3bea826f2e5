"""The menu model: plain data for everything in the ivrlint menu format.

Every element remembers where it came from (file, line, column), so that any
finding or error can point at the exact place a person has to edit. This
module imports nothing else of ivrlint: loaders build it, everything else
reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ivrlint.location import Location

#: DTMF keys of the ITU-T E.161 keypad, in keypad order.
KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "*", "#")

#: What an option may do instead of going to a node.
ACTIONS = ("repeat", "back", "top")

NODE_TYPES = (
    "menu",
    "message",
    "input",
    "self_service",
    "branch",
    "queue",
    "transfer",
    "voicemail",
    "hangup",
)

#: Distributions a random duration may name.
DISTRIBUTIONS = ("exponential", "lognormal", "fixed")

#: Defaults for `defaults:` when a menu does not set them.
#: timeout 5 s: Amazon Connect, Twilio and Genesys default
#: (docs/sources.md#platform-defaults).
#: retries 3: Genesys default, Avaya IR guide "2-3 tries"
#: (docs/sources.md#design-rules-with-numbers).
#: speech_rate 160 wpm: DECtalk "moderate" rate
#: (docs/sources.md#dectalk-documentation).
DEFAULT_TIMEOUT = 5.0
DEFAULT_RETRIES = 3
DEFAULT_SPEECH_RATE = 160.0
DEFAULT_LANGUAGE = "en"
#: Calls a caller makes at most, the first included, when `traffic.redial` says
#: nothing (MENU_FORMAT.md "Redials").
DEFAULT_MAX_ATTEMPTS = 3


@dataclass
class Duration:
    """A random duration: a mean in seconds and the distribution it follows.

    `distribution` is None when the menu did not name one; the simulator then
    applies its documented default for that kind of duration.
    """

    mean: float
    distribution: str | None = None
    cv: float | None = None
    loc: Location | None = None


@dataclass
class Option:
    """One key of a menu: it goes to a node (`goto`) or does an `action`."""

    key: str
    goto: str | None = None
    action: str | None = None
    label: str | None = None
    loc: Location | None = None  # where the key is written
    target_loc: Location | None = None  # where the goto/action is written


@dataclass
class Branch:
    """One way out of a `branch` node, taken without the caller choosing."""

    goto: str
    share: float | None = None
    when: str | None = None
    loc: Location | None = None


@dataclass
class Node:
    """One node of a menu. Fields that a node type does not use stay empty.

    `prompt` maps a language tag to the text; a plain-string prompt is stored
    under the menu's default language. `timeout` and `retries` hold the
    effective values (the node's own, else the menu's defaults).
    `locs` maps each key written in the node (``"next"``, ``"on_failure"``,
    ``"timeout"``...) to where its value is written.
    """

    id: str
    type: str
    loc: Location | None = None
    prompt: dict[str, str] = field(default_factory=dict)
    label: str | None = None
    prompt_seconds: float | None = None
    # menu
    options: dict[str, Option] = field(default_factory=dict)
    timeout: float | None = None
    retries: int | None = None
    on_no_input: str | None = None
    on_invalid: str | None = None
    on_failure: str | None = None
    # message, input, self_service, voicemail
    next: str | None = None
    # input, self_service
    digits: int | None = None
    duration: Duration | None = None
    success: float | None = None
    # branch
    branches: list[Branch] = field(default_factory=list)
    # queue
    queue: str | None = None
    # transfer
    destination: str | None = None
    human: bool = True
    locs: dict[str, Location] = field(default_factory=dict)

    def where(self, key: str) -> Location | None:
        """Where `key` is written in this node, else the node itself."""
        return self.locs.get(key, self.loc)


@dataclass
class Callback:
    """A queue's callback offer (virtual hold): once the expected or actual wait passes
    `offer_after` seconds, a caller is offered a call back and takes it with chance `accept`;
    they leave the line keeping their place, and the agent who reaches them first spends
    `ring_back` calling them before the talk."""

    offer_after: float
    accept: float
    ring_back: Duration
    loc: Location | None = None
    locs: dict[str, Location] = field(default_factory=dict)


@dataclass
class Announce:
    """What a queue tells its callers every `every` seconds while they wait: the expected
    wait (`wait_time`) and/or their place in line (`position`)."""

    every: float
    wait_time: bool = True
    position: bool = False
    loc: Location | None = None
    locs: dict[str, Location] = field(default_factory=dict)


@dataclass
class Overflow:
    """A caller still waiting after `after` seconds may also be answered by pool `to`."""

    after: float
    to: str
    loc: Location | None = None
    locs: dict[str, Location] = field(default_factory=dict)


@dataclass
class Queue:
    """A pool of agents that `queue` nodes wait for.

    `agents` is the pool's size; with staff by the hour, `agents_by_hour`
    holds the 24 hourly counts (hour 0 first) and `agents` is the most on
    duty in any hour. `agents_at(hour)` is the count at a clock hour.
    """

    name: str
    agents: int
    handle_time: Duration
    hours: tuple[float, float] | None = None  # open from, until (hours of day)
    loc: Location | None = None
    agents_by_hour: list[int] | None = None
    callback: Callback | None = None
    announce: Announce | None = None
    overflow: Overflow | None = None
    locs: dict[str, Location] = field(default_factory=dict)

    def agents_at(self, hour: float) -> int:
        """Agents on duty at clock hour `hour` (any real number; taken modulo 24)."""
        if self.agents_by_hour is None:
            return self.agents
        return self.agents_by_hour[int(hour % 24.0) % 24]

    @property
    def hourly(self) -> bool:
        return self.agents_by_hour is not None


@dataclass
class Intent:
    """A reason for calling: its share of calls, the nodes that meet it and,
    in `served_by`, pools whose agents can serve it besides those its goals
    lead to (sim/serving.py says who serves an intent)."""

    name: str
    share: float
    goals: list[str]
    loc: Location | None = None
    goal_locs: list[Location] = field(default_factory=list)
    served_by: list[str] = field(default_factory=list)
    served_by_locs: list[Location] = field(default_factory=list)

    def goals_where(self) -> list[tuple[str, Location | None]]:
        """Each goal with where it is written; the intent's own place for a goal
        given no place (an intent built or extended in code, not read)."""
        return self._placed(self.goals, self.goal_locs)

    def served_by_where(self) -> list[tuple[str, Location | None]]:
        """Each pool of `served_by` with where it is written, as `goals_where` does for goals."""
        return self._placed(self.served_by, self.served_by_locs)

    def _placed(self, names: list[str], locs: list[Location]) -> list[tuple[str, Location | None]]:
        places: list[Location | None] = list(locs[: len(names)])
        places += [self.loc] * (len(names) - len(places))
        return list(zip(names, places, strict=True))


@dataclass
class Redial:
    """Callers whose need was not met (they abandoned, hung up in the menu, were
    disconnected or misrouted) call again: a `share` of them, after a delay `after`,
    up to `max_attempts` calls in all."""

    share: float
    after: Duration
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    loc: Location | None = None
    locs: dict[str, Location] = field(default_factory=dict)


@dataclass
class Traffic:
    """Who calls and why; the simulator's input."""

    calls_per_hour: list[float]  # one value (flat) or 24 hourly values
    patience: Duration
    intents: dict[str, Intent] = field(default_factory=dict)
    languages: dict[str, float] = field(default_factory=dict)
    behaviour: dict[str, float] = field(default_factory=dict)
    loc: Location | None = None
    locs: dict[str, Location] = field(default_factory=dict)
    redial: Redial | None = None


@dataclass
class Defaults:
    timeout: float = DEFAULT_TIMEOUT
    retries: int | None = DEFAULT_RETRIES  # None: unlimited (`retries: unlimited`)
    speech_rate: float = DEFAULT_SPEECH_RATE
    #: where each key written under `defaults:` has its value
    locs: dict[str, Location] = field(default_factory=dict)


@dataclass
class Menu:
    """A whole phone line: nodes, agent pools and traffic."""

    ivr: str
    start: str
    nodes: dict[str, Node]
    file: str = "<menu>"
    language: str = DEFAULT_LANGUAGE
    defaults: Defaults = field(default_factory=Defaults)
    queues: dict[str, Queue] = field(default_factory=dict)
    traffic: Traffic | None = None
    loc: Location | None = None
    locs: dict[str, Location] = field(default_factory=dict)

    def where(self, key: str) -> Location | None:
        return self.locs.get(key, self.loc)

    def languages(self) -> list[str]:
        """Every language any prompt is written in, the default first."""
        seen = {self.language: None}
        for node in self.nodes.values():
            for tag in node.prompt:
                seen.setdefault(tag, None)
        return list(seen)
