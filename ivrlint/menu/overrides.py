"""What-if overrides: ``--set PATH=VALUE`` applied to a loaded menu.

A path follows the YAML of MENU_FORMAT.md: ``queues.general.agents=10``,
``traffic.patience=2m``, ``nodes.main.timeout=8``,
``nodes.main.options.1=billing``, ``nodes.main.prompt.lt=Sveiki``,
``traffic.intents.billing.share=0.3``, ``traffic.behaviour.wrong_key=0.05``,
``queues.general.handle_time.distribution=exponential``,
``nodes.split.branches.0.share=0.4``.

Values are read by the loader's own converters (loader._Reader, built on
yamlvalues.ValueReader), so ``--set`` accepts exactly what the file would:
durations with units, whole numbers for agents and retries, shares between
0 and 1, true/false, node names. A value starting with ``{``, ``[`` or a quote
is read as YAML flow (``nodes.main.options.2={goto: tech, label: Support}``);
any other value is taken as written, so a prompt may contain ``#`` or ``: ``.
``traffic.calls_per_hour`` takes one number or 24 comma-separated ones, and
so does ``queues.NAME.agents``; ``queues.NAME.agents.H`` sets one hour's agents.
A pool's ``callback``, ``announce`` and ``overflow`` and ``traffic.redial`` are
set whole (``queues.general.callback={offer_after: 90s, accept: 0.5}``) or one
key at a time (``queues.general.callback.accept=0.3``,
``traffic.redial.share=0``, ``traffic.redial.after.distribution=lognormal``);
an empty value, ``~`` or ``null`` removes them.

Changing ``defaults.timeout`` or ``defaults.retries`` also changes every node
that inherited it (a node's ``locs`` records the keys written in it). Keys a
format leaves open may be added: a new option key, language share or
behaviour parameter (the simulator checks behaviour names).
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable
from decimal import Decimal

from yaml import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ivrlint.errors import InputError, UsageError
from ivrlint.location import Location
from ivrlint.menu import yamlsource
from ivrlint.menu.limits import MIN_RATE_SECONDS
from ivrlint.menu.loader import (
    BRANCH_KEYS,
    COMMON_NODE_KEYS,
    DEFAULT_KEYS,
    INTENT_KEYS,
    NODE_KEYS,
    OPTION_KEYS,
    QUEUE_KEYS,
    TRAFFIC_KEYS,
    _Reader,
)
from ivrlint.menu.model import Duration, Menu, Queue, Traffic
from ivrlint.menu.model import Node as MenuNode
from ivrlint.menu.queues import ANNOUNCE_KEYS, CALLBACK_KEYS, OVERFLOW_KEYS, REDIAL_KEYS
from ivrlint.menu.values import DURATION_KEYS
from ivrlint.menu.yamlsource import COLLECTION, PLAIN, QUOTED

#: Node fields whose value names another node, checked to exist.
TARGET_FIELDS = ("next", "on_no_input", "on_invalid", "on_failure")
_DURATION_FIELDS = ("duration", "handle_time", "patience")
_MARK = Mark("--set", 0, 0, 0, None, 0)  # no buffer: the pointer is never read


def parse_assignment(text: str, flag: str = "--set") -> tuple[str, str]:
    """'queues.general.agents=10' -> ('queues.general.agents', '10'); `flag` is the option errors name."""
    path, sep, value = text.partition("=")
    path = path.strip()
    if not sep or not path or "" in path.split("."):
        raise UsageError(f"{flag} {text}: expected PATH=VALUE, for example queues.general.agents=10")
    return path, value.strip()


def apply_overrides(menu: Menu, assignments: Iterable[str], flag: str = "--set") -> Menu:
    """A deep copy of `menu` with every assignment applied in order; `menu` is untouched.

    `flag` is the option the assignments came from (sweep's values come from
    --vary), which is what an error names.
    """
    out = copy.deepcopy(menu)
    for text in assignments:
        path, value = parse_assignment(text, flag)
        _Override(out, path, value, text, flag).apply()
    return out


class _Override:
    """One assignment: walks its path through the menu and converts its value."""

    def __init__(self, menu: Menu, path: str, value: str, text: str, flag: str = "--set"):
        self.menu, self.path, self.text, self.raw, self.flag = menu, path, text, value, flag
        self.reader = _Reader(f"{flag} {path}", len(value) + 1)
        self.value = self._value_node(value)

    # -- plumbing -----------------------------------------------------------
    def fail(self, message: str) -> UsageError:
        return UsageError(f"{self.flag} {self.text}: {message}")

    def _value_node(self, value: str) -> Node:
        if value[:1] in ("{", "[", '"', "'"):
            try:
                node, _ = yamlsource.compose(value, self.flag)
            except InputError as exc:
                raise self.fail(str(exc).split("error: ", 1)[-1]) from None
            if node is not None:
                return node
        return _scalar(value)

    def convert(self, converted):
        """The converter's result, or the first problem it reported as a UsageError."""
        if self.reader.problems:
            raise self.fail(self.reader.problems[0][1])
        return converted

    def pick(self, parts: list[str], names, what: str) -> tuple[str, list[str]]:
        """The existing name at the head of `parts` (names may contain dots), and the rest."""
        if not parts:
            raise self.fail(f"name the {what} after '{self.path}'{_nearest('', names)}")
        for end in range(len(parts), 0, -1):
            if ".".join(parts[:end]) in names:
                return ".".join(parts[:end]), parts[end:]
        raise self.fail(f"{what} '{parts[0]}' does not exist{_nearest(parts[0], names)}")

    def leaf(self, parts: list[str], allowed, what: str) -> str:
        if len(parts) != 1 or parts[0] not in allowed:
            name = ".".join(parts)
            raise self.fail(f"{what} has no '{name}'{_nearest(name, allowed)}" if parts else f"name a key of {what}: {', '.join(allowed)}")
        return parts[0]

    def node_name(self, name: str | None, what: str) -> str | None:
        if name is not None and name not in self.menu.nodes:
            raise self.fail(f"{what} names node '{name}', which does not exist{_nearest(name, self.menu.nodes)}")
        return name

    # -- the format ---------------------------------------------------------
    def apply(self) -> None:
        head, *rest = self.path.split(".")
        sections = {"nodes": self.nodes, "queues": self.queues, "traffic": self.traffic, "defaults": self.defaults}
        if head in ("ivr", "start", "language"):
            if rest:
                raise self.fail(f"'{head}' is a single value; write {head}=VALUE")
            name = self.convert(self.reader.name(self.value, f"'{head}'"))
            setattr(self.menu, head, self.node_name(name, "'start'") if head == "start" else name)
        elif head in sections:
            sections[head](rest)
        else:
            raise self.fail(f"the menu has no '{head}'{_nearest(head, ('ivr', 'start', 'language', *sections))}")

    def defaults(self, rest: list[str]) -> None:
        key = self.leaf(rest, DEFAULT_KEYS, "'defaults'")
        got = getattr(self.convert(self.reader.defaults(_mapping({key: self.value}))), key)
        setattr(self.menu.defaults, key, got)
        if key in ("timeout", "retries"):
            for node in self.menu.nodes.values():
                if key not in node.locs:  # the node inherited the default
                    setattr(node, key, got)

    def nodes(self, rest: list[str]) -> None:
        node_id, rest = self.pick(rest, self.menu.nodes, "node")
        node = self.menu.nodes[node_id]
        if rest[:1] == ["type"]:
            raise self.fail(f"a node's type cannot be changed with {self.flag}; edit the menu file")
        allowed = tuple(k for k in COMMON_NODE_KEYS + NODE_KEYS[node.type] if k != "type")
        field = self.leaf(rest[:1], allowed, f"a {node.type} node")
        what, sub = f"node '{node_id}'", rest[1:]
        if sub:
            self.node_part(node, node_id, field, what, sub)
        else:
            self.node_field(node, field, what)
        if field not in node.locs:  # now set explicitly: no longer inherits defaults
            node.locs[field] = node.loc if node.loc is not None else Location(f"{self.flag} {self.path}", 1, 1)

    def node_part(self, node: MenuNode, node_id: str, field: str, what: str, sub: list[str]) -> None:
        """One part of a node's field (an option, a branch, a prompt's language, a duration's mean...) set."""
        # only these fields have parts a path can name; the others hold one value
        parts = {"options": self.option, "branches": self.branch, "prompt": self.prompt, "duration": self.node_duration}
        if field not in parts:
            raise self.fail(f"'{field}' of {what} is a single value; write nodes.{node_id}.{field}=VALUE")
        parts[field](node, what, sub)

    def node_field(self, node: MenuNode, field: str, what: str) -> None:
        """A node's field set whole, as the file would write it; the nodes or pool it names must exist."""
        self.reader._node_field(node, field, self.value, what, self.menu.language)
        self.convert(None)
        if field in TARGET_FIELDS:
            self.node_name(getattr(node, field), f"'{field}' of {what}")
        elif field == "queue" and node.queue is not None and node.queue not in self.menu.queues:
            raise self.fail(f"pool '{node.queue}' does not exist{_nearest(node.queue, self.menu.queues)}")
        elif field in ("options", "branches"):
            for item in (node.options.values() if field == "options" else node.branches):
                self.node_name(item.goto, f"{what}")

    def prompt(self, node: MenuNode, what: str, sub: list[str]) -> None:
        """The prompt in one language (nodes.ID.prompt.TAG) set, or added."""
        tag = ".".join(sub)
        node.prompt[tag] = self.convert(self.reader.text(self.value, f"the '{tag}' prompt of {what}"))

    def node_duration(self, node: MenuNode, what: str, sub: list[str]) -> None:
        """One field of the duration of an input or self-service node changed."""
        node.duration = self.duration(node.duration, sub, f"the duration of {what}")

    def option(self, node: MenuNode, what: str, sub: list[str]) -> None:
        key, fields = sub[0], sub[1:]
        if not fields:  # a whole option: a target, or {goto|action, label}
            body = self.value
        else:
            if key not in node.options:
                raise self.fail(f"{what} has no option '{key}'{_nearest(key, node.options)}")
            field = self.leaf(fields, OPTION_KEYS, f"option {key} of {what}")
            current = node.options[key]
            parts = {"goto": current.goto, "action": current.action, "label": current.label}
            if field in ("goto", "action"):
                parts["goto"] = parts["action"] = None
            body = _mapping({k: _scalar(v, QUOTED) for k, v in parts.items() if v is not None} | {field: self.value})
        option = self.convert(self.reader.options(_mapping({key: body}), what)).get(key)
        if option is None:
            raise self.fail(f"option {key} of {what} needs a target node or an action")
        node.options[key] = option
        self.node_name(option.goto, f"option {key} of {what}")

    def branch(self, node: MenuNode, what: str, sub: list[str]) -> None:
        index = sub[0]
        if not index.isdigit() or int(index) >= len(node.branches):
            raise self.fail(f"{what} has branches 0 to {len(node.branches) - 1}; got '{index}'")
        current = node.branches[int(index)]
        field = self.leaf(sub[1:], BRANCH_KEYS, f"branch {index} of {what}")
        parts = {"goto": current.goto, "share": current.share, "when": current.when}
        body = {k: _scalar(repr(v) if isinstance(v, float) else v, PLAIN if k == "share" else QUOTED)
                for k, v in parts.items() if v is not None}
        converted = self.convert(self.reader.branches(_sequence([_mapping(body | {field: self.value})]), what))
        node.branches[int(index)] = converted[0]
        self.node_name(converted[0].goto, f"branch {index} of {what}")

    def duration(self, current: Duration | None, sub: list[str], what: str, least: float = 0.0) -> Duration:
        """One field (mean, distribution, cv) of a random duration changed; its mean stays `least` s or more."""
        field = self.leaf(sub, DURATION_KEYS, what)
        if current is None:
            raise self.fail(f"{what} is not set; set it whole first, e.g. {'.'.join(self.path.split('.')[:-1])}=60")
        parts = {"mean": repr(current.mean), "distribution": current.distribution,
                 "cv": None if current.cv is None else repr(current.cv)}
        body = {k: _scalar(v) for k, v in parts.items() if v is not None} | {field: self.value}
        return self.convert(self.reader.random_duration(_mapping(body), what, least))

    def queues(self, rest: list[str]) -> None:
        name, rest = self.pick(rest, self.menu.queues, "pool")
        pool, what = self.menu.queues[name], f"queue '{name}'"
        field, sub = self.leaf(rest[:1], QUEUE_KEYS, what), rest[1:]
        if field == "handle_time":
            pool.handle_time = (self.duration(pool.handle_time, sub, f"the handle time of {what}", MIN_RATE_SECONDS) if sub
                                else self.convert(self.reader.handle_time(self.value, f"the handle time of {what}")))
        elif field == "agents":
            self.agents(pool, sub, f"the agents of {what}")
        elif field == "hours":
            self.leaf(rest, QUEUE_KEYS, what)
            pool.hours = self.convert(self.reader.hours(self.value, f"the hours of {what}"))
        elif field == "callback":
            pool.callback = self.section(pool.callback, sub, f"the callback of {what}", CALLBACK_KEYS, self.reader.callback)
        elif field == "announce":
            pool.announce = self.section(pool.announce, sub, f"the announcements of {what}", ANNOUNCE_KEYS, self.reader.announce)
        else:
            pool.overflow = self.section(pool.overflow, sub, f"the overflow of {what}", OVERFLOW_KEYS,
                                         lambda node, about: self.reader.overflow(node, about, name))
            if pool.overflow is not None and pool.overflow.to not in self.menu.queues:
                raise self.fail(f"{what} overflows to pool '{pool.overflow.to}', which does not exist"
                                f"{_nearest(pool.overflow.to, self.menu.queues)}")

    def agents(self, pool: Queue, sub: list[str], what: str) -> None:
        """A pool's agents set: a number, 24 hourly ones (a list, or comma-separated), or one hour's (agents.H)."""
        if sub:
            if len(sub) != 1 or not sub[0].isdigit() or int(sub[0]) > 23:
                raise self.fail(f"one hour of {what} is set as agents.H=N, H from 0 to 23; got 'agents.{'.'.join(sub)}'")
            count = self.convert(self.reader.agents(self.value, f"{what} at {int(sub[0]):02d}:00"))
            hourly = list(pool.agents_by_hour or [pool.agents] * 24)
            hourly[int(sub[0])] = count
            pool.agents, pool.agents_by_hour = max(hourly), hourly
            return
        value = self.value
        if isinstance(value, ScalarNode) and "," in value.value:
            value = _sequence([_scalar(v.strip()) for v in value.value.split(",")])
        pool.agents, pool.agents_by_hour = self.convert(self.reader.staffing(value, what))

    def section(self, current, sub: list[str], what: str, keys: tuple[str, ...], read):
        """An optional section (a pool's callback, announce or overflow; traffic.redial) set whole, removed
        (an empty value, ``~`` or ``null``), or one of its keys changed, read as the file would be by `read`."""
        if not sub:
            return None if self.reader.is_empty(self.value) else self.convert(read(self.value, what))
        if current is None:
            raise self.fail(f"{what} is not set; set it whole first, e.g. {'.'.join(self.path.split('.')[:-1])}={{...}}")
        key = self.leaf(sub[:1], keys, what)
        if sub[1:]:
            if not isinstance(getattr(current, key), Duration):
                written = self.path.split(".")[:len(self.path.split(".")) - len(sub) + 1]  # the path up to `key`
                raise self.fail(f"'{key}' of {what} is a single value; write {'.'.join(written)}=VALUE")
            changed = copy.copy(current)
            setattr(changed, key, self.duration(getattr(current, key), sub[1:], f"'{key}' of {what}"))
            return changed
        changed = self.convert(read(_mapping({k: _node_of(getattr(current, k)) for k in keys} | {key: self.value}), what))
        changed.loc, changed.locs = current.loc, current.locs | {key: changed.locs[key]}  # the other keys stay where written
        return changed

    def traffic(self, rest: list[str]) -> None:
        traffic = self.menu.traffic
        if traffic is None:
            raise self.fail("the menu has no 'traffic' section to change; add one to the file (see MENU_FORMAT.md, 'Traffic')")
        field = self.leaf(rest[:1], TRAFFIC_KEYS, "'traffic'")
        sub = rest[1:]
        if field == "calls_per_hour":
            self.leaf(rest, ("calls_per_hour",), "'traffic'")
            value = self.value
            if isinstance(value, ScalarNode) and "," in value.value:
                value = _sequence([_scalar(v.strip()) for v in value.value.split(",")])
            traffic.calls_per_hour = self.convert(self.reader.calls_per_hour(value))
        elif field == "patience":
            traffic.patience = (self.duration(traffic.patience, sub, "the patience", MIN_RATE_SECONDS) if sub
                                else self.convert(self.reader.patience(self.value)))
        elif field == "intents":
            self.intent(traffic, sub)
        elif field == "redial":
            traffic.redial = self.section(traffic.redial, sub, "'traffic.redial'", REDIAL_KEYS, lambda node, _: self.reader.redial(node))
        elif not sub:
            raise self.fail(f"name the key: traffic.{field}.NAME=VALUE")
        elif field == "languages":
            tag = ".".join(sub)
            traffic.languages[tag] = self.convert(self.reader.share(self.value, f"the share of language '{tag}'"))
        else:
            key = ".".join(sub)
            traffic.behaviour[key] = self.convert(self.reader.number(self.value, f"behaviour '{key}'"))
            traffic.locs.setdefault(f"behaviour.{key}", Location(f"{self.flag} {self.path}", 1, 1))
            traffic.locs[f"behaviour.{key}.value"] = Location(f"{self.flag} {self.path}", 1, 1)  # the value is now the flag's

    def intent(self, traffic: Traffic, sub: list[str]) -> None:
        intents = traffic.intents
        name, rest = self.pick(sub, intents, "intent")
        field = self.leaf(rest, INTENT_KEYS, f"intent '{name}'")
        current = intents[name]
        parts = {"share": _scalar(repr(current.share)),
                 "goal": _sequence([_scalar(goal, QUOTED) for goal in current.goals])}
        if current.served_by:
            parts["served_by"] = _sequence([_scalar(pool, QUOTED) for pool in current.served_by])
        converted = self.convert(self.reader.intents(_mapping({name: _mapping(parts | {field: self.value})})))
        for goal in converted[name].goals:
            self.node_name(goal, f"intent '{name}'")
        for pool in converted[name].served_by:
            if pool not in self.menu.queues:
                raise self.fail(f"intent '{name}' names pool '{pool}' in served_by, which does not exist{_nearest(pool, self.menu.queues)}")
        intents[name] = converted[name]


def _scalar(value: str, tag: str = PLAIN) -> ScalarNode:
    return ScalarNode(tag, value, _MARK, _MARK)


def _node_of(value) -> Node:
    """A value of the model (a number, a flag, a name, a random duration) as the YAML node a file would write."""
    if isinstance(value, bool):
        return _scalar("true" if value else "false")
    if isinstance(value, (int, float)):
        return _scalar(format(Decimal(repr(value)), "f"))  # never an exponent: durations are written without one
    if isinstance(value, Duration):
        parts = {"mean": value.mean, "distribution": value.distribution, "cv": value.cv}
        return _mapping({k: _node_of(v) for k, v in parts.items() if v is not None})
    return _scalar(str(value), QUOTED)


def _sequence(items: list[Node]) -> SequenceNode:
    return SequenceNode(COLLECTION, items, _MARK, _MARK)


def _mapping(fields: dict[str, Node]) -> MappingNode:
    return MappingNode(COLLECTION, [(_scalar(key), value) for key, value in fields.items()], _MARK, _MARK)


def _nearest(name: str, names: Iterable[str]) -> str:
    names = list(names)
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    if close:
        return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    shown = ", ".join(sorted(names)[:12]) + (", ..." if len(names) > 12 else "")
    return f"; the names here are: {shown}" if names else "; there are none"
