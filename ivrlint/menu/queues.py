"""Read agent pools and the day's traffic features (MENU_FORMAT.md, "Queues" and "Traffic").

What a pool holds (``agents`` as a number or 24 hourly counts, ``handle_time``,
``hours``, and its ``callback`` offer, wait ``announce``-ments and ``overflow``)
and the traffic's ``redial``. The menu loader (loader.py) reads pools through
this class; so do ``--set`` overrides (overrides.py), which therefore accept
exactly what a file would. Every value keeps where it is written
(``Queue.locs``, ``Callback.locs``...), for errors and findings.
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, SequenceNode

from ivrlint.location import Location
from ivrlint.menu.limits import MAX_AGENTS, MAX_ATTEMPTS, MIN_ANNOUNCE_SECONDS, MIN_RATE_SECONDS, too_many
from ivrlint.menu.model import DEFAULT_MAX_ATTEMPTS, Announce, Callback, Duration, Overflow, Queue, Redial
from ivrlint.menu.values import ValueReader

QUEUE_KEYS = ("agents", "handle_time", "hours", "callback", "announce", "overflow")
CALLBACK_KEYS = ("offer_after", "accept", "ring_back")
ANNOUNCE_KEYS = ("every", "wait_time", "position")
OVERFLOW_KEYS = ("after", "to")
REDIAL_KEYS = ("share", "after", "max_attempts")

#: Seconds an agent spends calling a caller back before the talk, when a callback
#: offer names no `ring_back`: 20 s, fixed. *Assumption*, no source: dialling,
#: three or four rings and the caller's hello (MENU_FORMAT.md, "Queues").
DEFAULT_RING_BACK = 20.0
#: The distribution of a `ring_back` that names none (fixed: a dial and a few rings vary little).
RING_BACK_DISTRIBUTION = "fixed"
#: The distribution of a redial delay `traffic.redial.after` that names none (MENU_FORMAT.md, "Traffic").
REDIAL_DISTRIBUTION = "exponential"


def _with_default(duration: Duration, distribution: str) -> Duration:
    """`duration`, naming `distribution` when the menu named none, so every reader draws the same law."""
    if duration.distribution is None:
        duration.distribution = distribution
    return duration


class QueueReader(ValueReader):
    """Pools (``queues``) and redials (``traffic.redial``), collecting problems as ValueReader does."""

    def queues(self, node: Node) -> dict[str, Queue]:
        out = {}
        for name, key_node, body in self.pairs(node, "'queues'"):
            pool = self.queue(name, key_node, body)
            if pool is not None:
                out[name] = pool
        return out

    def queue(self, name: str, key_node: Node, body: Node) -> Queue | None:
        what = f"queue '{name}'"
        fields = {k: v for k, _, v in self.pairs(body, what, QUEUE_KEYS)}
        missing = [k for k in ("agents", "handle_time") if k not in fields]
        if missing and isinstance(body, MappingNode):
            self.error(key_node, f"{what} needs {' and '.join(missing)}, for example {{agents: 8, handle_time: 240}}")
        if missing:
            return None
        staffing = self.staffing(fields["agents"], f"the agents of {what}")
        handle = self.handle_time(fields["handle_time"], f"the handle time of {what}")
        hours = self.hours(fields["hours"], f"the hours of {what}") if "hours" in fields else None
        callback = self.callback(fields["callback"], f"the callback of {what}") if "callback" in fields else None
        announce = self.announce(fields["announce"], f"the announcements of {what}") if "announce" in fields else None
        overflow = self.overflow(fields["overflow"], f"the overflow of {what}", name) if "overflow" in fields else None
        if staffing is None or handle is None:
            return None
        locs = {k: self.loc(v) for k, v in fields.items()}
        locs.update(self.hour_locs(fields["agents"], "agents"))
        return Queue(name, staffing[0], handle, hours, self.loc(key_node), agents_by_hour=staffing[1],
                     callback=callback, announce=announce, overflow=overflow, locs=locs)

    def hour_locs(self, node: Node, key: str) -> dict[str, Location]:
        """``KEY.H`` -> where hour H's value of an hourly list is written; nothing for one number."""
        if not isinstance(node, SequenceNode):
            return {}
        return {f"{key}.{hour}": self.loc(item) for hour, item in enumerate(node.value)}

    # -- staffing ----------------------------------------------------------
    def agents(self, node: Node, what: str) -> int | None:
        """One count of agents: a whole number, 0 to limits.MAX_AGENTS."""
        value = self.integer(node, what)
        if value is not None and value > MAX_AGENTS:
            self.error(node, too_many(what, value, MAX_AGENTS))
            return None
        return value

    def staffing(self, node: Node, what: str) -> tuple[int, list[int] | None] | None:
        """(most agents on duty, the 24 hourly counts or None) from a number or a list of 24 numbers."""
        if not isinstance(node, SequenceNode):
            agents = self.agents(node, what)
            return None if agents is None else (agents, None)
        self.charge(node)
        if len(node.value) != 24:
            self.error(node, f"{what} by the hour need 24 whole numbers, one per hour from midnight; got {len(node.value)}")
            return None
        counts = [self.agents(item, f"{what} at {hour:02d}:00") for hour, item in enumerate(node.value)]
        if any(count is None for count in counts):
            return None
        hourly = [int(count) for count in counts if count is not None]
        return max(hourly), hourly

    def handle_time(self, node: Node, what: str) -> Duration | None:
        return self.random_duration(node, what, MIN_RATE_SECONDS)

    # -- what a pool does for callers who wait ------------------------------
    def fields(self, node: Node, what: str, allowed: tuple[str, ...], required: tuple[str, ...],
               example: str) -> dict[str, Node] | None:
        """The keys of the mapping `what`, or None (reported) when it is not one or lacks a `required` key."""
        fields = {k: v for k, _, v in self.pairs(node, what, allowed)}
        if not isinstance(node, MappingNode):
            return None
        missing = [k for k in required if k not in fields]
        if missing:
            self.error(node, f"{what} needs {' and '.join(repr(k) for k in missing)}, for example {example}")
            return None
        return fields

    def callback(self, node: Node, what: str) -> Callback | None:
        fields = self.fields(node, what, CALLBACK_KEYS, ("offer_after", "accept"), "{offer_after: 90s, accept: 0.5}")
        if fields is None:
            return None
        offer_after = self.seconds(fields["offer_after"], f"'offer_after' of {what}")
        accept = self.share(fields["accept"], f"'accept' of {what} (the chance a caller takes the offer)")
        if "ring_back" in fields:
            ring_back = self.random_duration(fields["ring_back"], f"'ring_back' of {what}")
        else:
            ring_back = Duration(DEFAULT_RING_BACK, RING_BACK_DISTRIBUTION, loc=self.loc(node))
        if offer_after is None or accept is None or ring_back is None:
            return None
        return Callback(offer_after, accept, _with_default(ring_back, RING_BACK_DISTRIBUTION), self.loc(node),
                        {k: self.loc(v) for k, v in fields.items()})

    def announce(self, node: Node, what: str) -> Announce | None:
        fields = self.fields(node, what, ANNOUNCE_KEYS, ("every",), "{every: 45s, wait_time: true}")
        if fields is None:
            return None
        every = self.seconds(fields["every"], f"'every' of {what}")
        if every is not None and every < MIN_ANNOUNCE_SECONDS:
            self.error(fields["every"], f"'every' of {what} must be at least {MIN_ANNOUNCE_SECONDS:g} s (callers would hear "
                       f"little but announcements); got {every:g} s")
            every = None
        wait_time = self.boolean(fields["wait_time"], f"'wait_time' of {what}") if "wait_time" in fields else True
        position = self.boolean(fields["position"], f"'position' of {what}") if "position" in fields else False
        if every is None or wait_time is None or position is None:
            return None
        return Announce(every, wait_time, position, self.loc(node), {k: self.loc(v) for k, v in fields.items()})

    def overflow(self, node: Node, what: str, pool: str) -> Overflow | None:
        """`to` names another pool; whether it exists is the `unknown-queue` rule's to say (as for served_by)."""
        fields = self.fields(node, what, OVERFLOW_KEYS, ("after", "to"), "{after: 60s, to: billing}")
        if fields is None:
            return None
        after = self.seconds(fields["after"], f"'after' of {what}")
        to = self.name(fields["to"], f"'to' of {what} (the pool callers overflow to)")
        if to is not None and to == pool:
            self.error(fields["to"], f"{what} sends callers to the pool they already wait for; name another pool")
            return None
        if after is None or to is None:
            return None
        return Overflow(after, to, self.loc(node), {k: self.loc(v) for k, v in fields.items()})

    # -- traffic.redial ------------------------------------------------------
    def redial(self, node: Node) -> Redial | None:
        what = "'traffic.redial'"
        fields = self.fields(node, what, REDIAL_KEYS, ("share", "after"), "{share: 0.6, after: 20m}")
        if fields is None:
            return None
        share = self.share(fields["share"], f"the share of {what} (callers whose need was not met who call again)")
        after = self.random_duration(fields["after"], f"the delay 'after' of {what}")
        attempts = self.attempts(fields["max_attempts"], f"'max_attempts' of {what}") if "max_attempts" in fields \
            else DEFAULT_MAX_ATTEMPTS
        if share is None or after is None or attempts is None:
            return None
        return Redial(share, _with_default(after, REDIAL_DISTRIBUTION), attempts, self.loc(node),
                      {k: self.loc(v) for k, v in fields.items()})

    def attempts(self, node: Node, what: str) -> int | None:
        """Calls a caller makes at most, the first included: 1 (no redial) to limits.MAX_ATTEMPTS."""
        value = self.integer(node, what, 1)
        if value is not None and value > MAX_ATTEMPTS:
            self.error(node, too_many(what, value, MAX_ATTEMPTS) + ": no caller calls a line that often")
            return None
        return value
