"""Load a menu file (the format of MENU_FORMAT.md) into the model.

The loader validates the whole format and collects every problem it finds,
each with file:line:col and what to write instead. Duplicate keys are kept
aside for the `duplicate-key` rule rather than silently dropped, as plain
YAML loading would.
"""

from __future__ import annotations

import difflib
import re
from typing import Callable, Iterator, Optional

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import yamlsource
from .errors import InputError
from .model import (
    ACTIONS,
    DISTRIBUTIONS,
    NODE_TYPES,
    Branch,
    Defaults,
    Duplicate,
    Duration,
    Intent,
    Location,
    Menu,
    Node as MenuNode,
    Option,
    Queue,
    Traffic,
)
from .yamlsource import PLAIN, kind

TOP_KEYS = ("ivr", "start", "language", "defaults", "nodes", "queues", "traffic")
DEFAULT_KEYS = ("timeout", "retries", "speech_rate")
COMMON_NODE_KEYS = ("type", "prompt", "label", "prompt_seconds")
#: Keys each node type may carry besides the common ones.
NODE_KEYS = {
    "menu": ("options", "timeout", "retries", "on_no_input", "on_invalid", "on_failure"),
    "message": ("next",),
    "input": ("digits", "duration", "success", "next", "on_failure", "timeout", "retries"),
    "self_service": ("duration", "success", "next", "on_failure"),
    "branch": ("branches",),
    "queue": ("queue",),
    "transfer": ("destination", "human"),
    "voicemail": ("next",),
    "hangup": (),
}
REQUIRED_NODE_KEYS = {"queue": ("queue",), "transfer": ("destination",), "branch": ("branches",)}
QUEUE_KEYS = ("agents", "handle_time", "hours")
TRAFFIC_KEYS = ("calls_per_hour", "patience", "intents", "languages", "behaviour")
INTENT_KEYS = ("share", "goal")
OPTION_KEYS = ("goto", "action", "label")
BRANCH_KEYS = ("goto", "share", "when")
DURATION_KEYS = ("mean", "distribution", "cv")

_DURATION = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(ms|s|sec|m|min|h)?\s*$")
_UNIT_SECONDS = {None: 1.0, "s": 1.0, "sec": 1.0, "ms": 0.001, "m": 60.0, "min": 60.0, "h": 3600.0}
_HOURS = re.compile(r"^\s*(\d{1,2})(?::(\d\d))?\s*-\s*(\d{1,2})(?::(\d\d))?\s*$")
_EMPTY = ("", "~", "null", "Null", "NULL")
_TRUE = ("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON")
_FALSE = ("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF")


def load_menu(path: str) -> Menu:
    """Read and validate the menu in `path`; raise InputError if it is not one."""
    return load_text(yamlsource.read_text(path), path)


def load_text(text: str, file: str = "<string>") -> Menu:
    """Validate the menu written in `text` (as if read from `file`)."""
    root, count = yamlsource.compose(text, file)
    if root is None:
        raise InputError.at(Location(file, 1, 1), "the file is empty; a menu needs at least ivr, start and nodes", file)
    return _Reader(file, count).menu(root)


class _Reader:
    """Turns a composed node tree into a Menu, collecting problems."""

    def __init__(self, file: str, node_count: int):
        self.file = file
        self.problems: list[tuple[Optional[Location], str]] = []
        self.duplicates: list[Duplicate] = []
        # Every conversion step is charged; aliases can make a tree of n
        # nodes look exponentially large, and this budget stops that.
        self.budget = 8 * node_count + 10_000

    # -- plumbing -----------------------------------------------------
    def loc(self, node: Node) -> Location:
        return yamlsource.location(self.file, node)

    def error(self, node: Optional[Node], message: str) -> None:
        self.problems.append((self.loc(node) if node is not None else Location(self.file, 1, 1), message))
        if len(self.problems) >= 50:
            raise InputError(self.problems + [(None, "too many problems; fix these first")], self.file)

    def charge(self, node: Node, steps: int = 1) -> None:
        self.budget -= steps
        if self.budget < 0:
            raise InputError.at(
                self.loc(node),
                "aliases expand this document far beyond its size (a YAML alias bomb?); write the values out",
                self.file,
            )

    def pairs(self, node: Node, what: str, allowed: tuple[str, ...] = ()) -> Iterator[tuple[str, Node, Node]]:
        """(key, key node, value node) of a mapping, checking keys and duplicates."""
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} must be a mapping of 'key: value' lines; got {kind(node)}")
            return
        seen: dict[str, Node] = {}
        for key_node, value in self._flatten(node):
            self.charge(key_node)
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, f"keys of {what} must be plain names; got {kind(key_node)}")
                continue
            key = key_node.value
            if key in seen:
                first = seen[key]
                self.duplicates.append(Duplicate(key, what, self.loc(key_node), self.loc(first)))
                continue
            seen[key] = key_node
            if allowed and key not in allowed and not key.startswith("x-"):
                self.error(key_node, f"unknown key '{key}' in {what}{self._suggest(key, allowed)}")
                continue
            yield key, key_node, value

    def _flatten(self, node: MappingNode) -> list[tuple[Node, Node]]:
        """Pairs of a mapping with YAML merge keys (<<) applied, bounded by the budget."""
        merged: list[tuple[Node, Node]] = []
        own: list[tuple[Node, Node]] = []
        for key_node, value in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == "<<" and key_node.tag == PLAIN:
                sources = value.value if isinstance(value, SequenceNode) else [value]
                for source in sources:
                    if not isinstance(source, MappingNode):
                        self.error(source, "a merge (<<) takes a mapping or a list of mappings")
                        continue
                    flat = self._flatten(source)
                    self.charge(source, len(flat))
                    merged.extend(flat)
            else:
                own.append((key_node, value))
        if not merged:
            return own
        names = {k.value for k, _ in own if isinstance(k, ScalarNode)}
        seen: set[str] = set()
        kept = []
        for key_node, value in merged:  # explicit keys override merged ones
            name = key_node.value if isinstance(key_node, ScalarNode) else None
            if name in names or name in seen:
                continue
            seen.add(name)
            kept.append((key_node, value))
        return kept + own

    @staticmethod
    def _suggest(key: str, allowed: tuple[str, ...]) -> str:
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        if close:
            return f"; did you mean '{close[0]}'?"
        return "; allowed here: " + ", ".join(allowed)

    # -- scalars ----------------------------------------------------------
    def is_empty(self, node: Node) -> bool:
        return isinstance(node, ScalarNode) and node.tag == PLAIN and node.value in _EMPTY

    def text(self, node: Node, what: str) -> Optional[str]:
        self.charge(node)
        if not isinstance(node, ScalarNode) or self.is_empty(node):
            self.error(node, f"{what} must be text; got {kind(node)}")
            return None
        return node.value

    def name(self, node: Node, what: str) -> Optional[str]:
        """A node or pool name: text on one line."""
        value = self.text(node, what)
        if value is not None and (not value.strip() or "\n" in value):
            self.error(node, f"{what} must be a name on one line; got '{value.strip()}'")
            return None
        return value

    def number(self, node: Node, what: str, low: float = 0.0, high: Optional[float] = None) -> Optional[float]:
        self.charge(node)
        value = None
        if isinstance(node, ScalarNode) and node.tag == PLAIN:
            try:
                value = float(node.value.replace("_", ""))
            except ValueError:
                value = None
        if value is None or value != value or value in (float("inf"), float("-inf")):
            self.error(node, f"{what} must be a number; got {kind(node)}")
            return None
        if value < low or (high is not None and value > high):
            bounds = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
            self.error(node, f"{what} must be {bounds}; got {node.value}")
            return None
        return value

    def integer(self, node: Node, what: str, low: int = 0) -> Optional[int]:
        value = self.number(node, what, low)
        if value is None:
            return None
        if value != int(value):
            self.error(node, f"{what} must be a whole number; got {node.value}")
            return None
        return int(value)

    def share(self, node: Node, what: str) -> Optional[float]:
        return self.number(node, what, 0.0, 1.0)

    def boolean(self, node: Node, what: str) -> Optional[bool]:
        self.charge(node)
        if isinstance(node, ScalarNode) and node.tag == PLAIN:
            if node.value in _TRUE:
                return True
            if node.value in _FALSE:
                return False
        self.error(node, f"{what} must be true or false; got {kind(node)}")
        return None

    def seconds(self, node: Node, what: str) -> Optional[float]:
        """A duration: a number of seconds, or a number with a unit (40s, 2m, 1.5h)."""
        self.charge(node)
        match = _DURATION.match(node.value) if isinstance(node, ScalarNode) else None
        if match is None:
            self.error(node, f"{what} must be a duration like 40, 40s, 2m or 1.5h; got {kind(node)}")
            return None
        return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]

    def random_duration(self, node: Node, what: str) -> Optional[Duration]:
        """A mean duration, or {mean, distribution, cv}."""
        if not isinstance(node, MappingNode):
            mean = self.seconds(node, what)
            return None if mean is None else Duration(mean, loc=self.loc(node))
        fields = {key: (key_node, value) for key, key_node, value in self.pairs(node, what, DURATION_KEYS)}
        if "mean" not in fields:
            self.error(node, f"{what} needs a 'mean', for example {{mean: 180, distribution: lognormal}}")
            return None
        mean = self.seconds(fields["mean"][1], f"the mean of {what}")
        distribution = None
        if "distribution" in fields:
            distribution = self.text(fields["distribution"][1], f"the distribution of {what}")
            if distribution is not None and distribution not in DISTRIBUTIONS:
                self.error(fields["distribution"][1], f"unknown distribution '{distribution}'{self._suggest(distribution, DISTRIBUTIONS)}")
                distribution = None
        cv = self.number(fields["cv"][1], f"the cv of {what}") if "cv" in fields else None
        if mean is None:
            return None
        return Duration(mean, distribution, cv, self.loc(node))

    def hours(self, node: Node, what: str) -> Optional[tuple[float, float]]:
        match = _HOURS.match(node.value) if isinstance(node, ScalarNode) else None
        if match:
            start = int(match.group(1)) + int(match.group(2) or 0) / 60
            end = int(match.group(3)) + int(match.group(4) or 0) / 60
            if 0 <= start < end <= 24:
                return (start, end)
        self.error(node, f"{what} must be opening hours like \"08:00-18:00\"; got {kind(node)}")
        return None

    # -- the format -------------------------------------------------------
    def menu(self, root: Node) -> Menu:
        if not isinstance(root, MappingNode):
            raise InputError.at(self.loc(root), f"a menu file must be a mapping with ivr, start and nodes; got {kind(root)}", self.file)
        top = {key: (key_node, value) for key, key_node, value in self.pairs(root, "the menu", TOP_KEYS)}
        for required in ("ivr", "start", "nodes"):
            if required not in top:
                self.error(root, f"the menu has no '{required}'; add it at the top level (see MENU_FORMAT)")
        locs = {key: self.loc(value) for key, (_, value) in top.items()}
        get = lambda key, convert: convert(top[key][1]) if key in top else None  # noqa: E731
        ivr = get("ivr", lambda n: self.name(n, "'ivr'"))
        start = get("start", lambda n: self.name(n, "'start'"))
        language = get("language", lambda n: self.name(n, "'language'")) or "en"
        defaults = get("defaults", self.defaults) or Defaults()
        queues = get("queues", self.queues) or {}
        traffic = get("traffic", self.traffic)
        nodes = get("nodes", lambda n: self.nodes(n, language, defaults)) or {}
        if "nodes" in top and not nodes and not self.problems:
            self.error(top["nodes"][1], "'nodes' is empty; a menu needs at least its start node")
        if self.problems:
            raise InputError(self.problems, self.file)
        return Menu(
            ivr=ivr or "", start=start or "", nodes=nodes, file=self.file, language=language,
            defaults=defaults, queues=queues, traffic=traffic, loc=self.loc(root), locs=locs,
            duplicates=self.duplicates,
        )

    def defaults(self, node: Node) -> Defaults:
        out = Defaults()
        for key, _, value in self.pairs(node, "'defaults'", DEFAULT_KEYS):
            if key == "timeout":
                out.timeout = self.seconds(value, "the default timeout") or out.timeout
            elif key == "retries":
                got = self.integer(value, "the default retries")
                out.retries = out.retries if got is None else got
            elif key == "speech_rate":
                out.speech_rate = self.number(value, "the speech rate (words per minute)", 1.0) or out.speech_rate
        return out

    def nodes(self, node: Node, language: str, defaults: Defaults) -> dict[str, MenuNode]:
        out = {}
        for key, key_node, value in self.pairs(node, "'nodes'"):
            converted = self.node(key, key_node, value, language, defaults)
            if converted is not None:
                out[key] = converted
        return out

    def node(self, node_id: str, key_node: Node, body: Node, language: str, defaults: Defaults) -> Optional[MenuNode]:
        what = f"node '{node_id}'"
        if not isinstance(body, MappingNode):
            hint = f"; write '{node_id}: {{type: {body.value}}}'" if isinstance(body, ScalarNode) and body.value in NODE_TYPES else ""
            self.error(body, f"{what} must be a mapping with a 'type'; got {kind(body)}{hint}")
            return None
        fields = {key: (kn, value) for key, kn, value in self.pairs(body, what)}
        if "type" not in fields:
            self.error(key_node, f"{what} has no 'type'; add one of: {', '.join(NODE_TYPES)}")
            return None
        type_ = self.text(fields["type"][1], f"the type of {what}")
        if type_ not in NODE_TYPES:
            if type_ is not None:
                self.error(fields["type"][1], f"unknown node type '{type_}'{self._suggest(type_, NODE_TYPES)}")
            return None
        allowed = COMMON_NODE_KEYS + NODE_KEYS[type_]
        out = MenuNode(node_id, type_, loc=self.loc(key_node), timeout=defaults.timeout, retries=defaults.retries)
        for key, (kn, value) in fields.items():
            if key not in allowed:
                if not key.startswith("x-"):
                    self.error(kn, f"'{key}' does not belong in a {type_} node{self._suggest(key, allowed)}")
                continue
            out.locs[key] = self.loc(value)
            self._node_field(out, key, value, what, language)
        for required in REQUIRED_NODE_KEYS.get(type_, ()):
            if required not in fields:
                self.error(key_node, f"{what} is a {type_} node and needs '{required}'")
        return out

    def _node_field(self, out: MenuNode, key: str, value: Node, what: str, language: str) -> None:
        target = lambda n: self.name(n, f"'{key}' of {what}")  # noqa: E731
        converters: dict[str, Callable[[Node], object]] = {
            "prompt": lambda n: self.prompt(n, what, language),
            "label": lambda n: self.text(n, f"the label of {what}"),
            "prompt_seconds": lambda n: self.seconds(n, f"'prompt_seconds' of {what}"),
            "options": lambda n: self.options(n, what),
            "timeout": lambda n: self.seconds(n, f"the timeout of {what}"),
            "retries": lambda n: self.integer(n, f"the retries of {what}"),
            "on_no_input": target, "on_invalid": target, "on_failure": target, "next": target,
            "digits": lambda n: self.integer(n, f"'digits' of {what}", 1),
            "duration": lambda n: self.random_duration(n, f"the duration of {what}"),
            "success": lambda n: self.share(n, f"'success' of {what}"),
            "branches": lambda n: self.branches(n, what),
            "queue": lambda n: self.name(n, f"the queue of {what}"),
            "destination": lambda n: self.text(n, f"the destination of {what}"),
            "human": lambda n: self.boolean(n, f"'human' of {what}"),
        }
        converted = converters[key](value) if key != "type" else None
        if converted is not None:
            setattr(out, key, converted)

    def prompt(self, node: Node, what: str, language: str) -> Optional[dict[str, str]]:
        if isinstance(node, MappingNode):
            out = {}
            for tag, _, value in self.pairs(node, f"the prompt of {what}"):
                text = self.text(value, f"the '{tag}' prompt of {what}")
                if text is not None:
                    out[tag] = text
            return out
        text = self.text(node, f"the prompt of {what}")
        return None if text is None else {language: text}

    def options(self, node: Node, what: str) -> dict[str, Option]:
        out = {}
        for key, key_node, value in self.pairs(node, f"the options of {what}"):
            option = Option(key, loc=self.loc(key_node), target_loc=self.loc(value))
            if isinstance(value, MappingNode):
                fields = {k: v for k, _, v in self.pairs(value, f"option {key} of {what}", OPTION_KEYS)}
                if ("goto" in fields) == ("action" in fields):
                    self.error(value, f"option {key} of {what} needs exactly one of 'goto: NODE' or 'action: repeat|back|top'")
                    continue
                if "goto" in fields:
                    option.goto = self.name(fields["goto"], f"the target of option {key}")
                    option.target_loc = self.loc(fields["goto"])
                else:
                    option.action = self.text(fields["action"], f"the action of option {key}")
                    option.target_loc = self.loc(fields["action"])
                    if option.action is not None and option.action not in ACTIONS:
                        self.error(fields["action"], f"unknown action '{option.action}'; use repeat, back or top")
                        continue
                if "label" in fields:
                    option.label = self.text(fields["label"], f"the label of option {key}")
            elif self.is_empty(value):
                self.error(value, f"option {key} of {what} has no target; write '{key}: NODE' or an action")
                continue
            else:
                option.goto = self.name(value, f"the target of option {key}")
            out[key] = option
        return out

    def branches(self, node: Node, what: str) -> list[Branch]:
        if not isinstance(node, SequenceNode):
            self.error(node, f"the branches of {what} must be a list of {{goto, share, when}}; got {kind(node)}")
            return []
        out = []
        for item in node.value:
            self.charge(item)
            if isinstance(item, ScalarNode):
                goto = self.name(item, f"a branch of {what}")
                if goto is not None:
                    out.append(Branch(goto, loc=self.loc(item)))
                continue
            fields = {k: v for k, _, v in self.pairs(item, f"a branch of {what}", BRANCH_KEYS)}
            if "goto" not in fields:
                self.error(item, f"a branch of {what} needs 'goto: NODE'")
                continue
            goto = self.name(fields["goto"], f"the target of a branch of {what}")
            share = self.share(fields["share"], f"the share of a branch of {what}") if "share" in fields else None
            when = self.text(fields["when"], f"the condition of a branch of {what}") if "when" in fields else None
            if goto is not None:
                out.append(Branch(goto, share, when, self.loc(fields["goto"])))
        return out

    def queues(self, node: Node) -> dict[str, Queue]:
        out = {}
        for name, key_node, body in self.pairs(node, "'queues'"):
            what = f"queue '{name}'"
            fields = {k: v for k, _, v in self.pairs(body, what, QUEUE_KEYS)}
            missing = [k for k in ("agents", "handle_time") if k not in fields]
            if missing and isinstance(body, MappingNode):
                self.error(key_node, f"{what} needs {' and '.join(missing)}, for example {{agents: 8, handle_time: 240}}")
                continue
            if missing:
                continue
            agents = self.integer(fields["agents"], f"the agents of {what}")
            handle = self.random_duration(fields["handle_time"], f"the handle time of {what}")
            hours = self.hours(fields["hours"], f"the hours of {what}") if "hours" in fields else None
            if agents is not None and handle is not None:
                out[name] = Queue(name, agents, handle, hours, self.loc(key_node))
        return out

    def traffic(self, node: Node) -> Optional[Traffic]:
        fields = {k: (kn, v) for k, kn, v in self.pairs(node, "'traffic'", TRAFFIC_KEYS)}
        if not isinstance(node, MappingNode):
            return None
        for required in ("calls_per_hour", "patience", "intents"):
            if required not in fields:
                self.error(node, f"'traffic' needs '{required}'")
        if any(r not in fields for r in ("calls_per_hour", "patience", "intents")):
            return None
        rate = self.calls_per_hour(fields["calls_per_hour"][1])
        patience = self.random_duration(fields["patience"][1], "the patience")
        intents = self.intents(fields["intents"][1])
        languages = {}
        if "languages" in fields:
            for tag, _, value in self.pairs(fields["languages"][1], "'languages'"):
                share = self.share(value, f"the share of language '{tag}'")
                if share is not None:
                    languages[tag] = share
        behaviour = {}
        if "behaviour" in fields:
            for key, _, value in self.pairs(fields["behaviour"][1], "'behaviour'"):
                number = self.number(value, f"behaviour '{key}'")
                if number is not None:
                    behaviour[key] = number
        if rate is None or patience is None:
            return None
        locs = {k: self.loc(v) for k, (_, v) in fields.items()}
        if "behaviour" in fields and isinstance(fields["behaviour"][1], MappingNode):
            for kn, _ in fields["behaviour"][1].value:
                locs[f"behaviour.{kn.value}"] = self.loc(kn)
        return Traffic(rate, patience, intents, languages, behaviour, self.loc(node), locs)

    def calls_per_hour(self, node: Node) -> Optional[list[float]]:
        if isinstance(node, SequenceNode):
            if len(node.value) != 24:
                self.error(node, f"hourly 'calls_per_hour' needs 24 values, one per hour from midnight; got {len(node.value)}")
                return None
            values = [self.number(item, "an hourly call rate") for item in node.value]
            return None if None in values else values  # type: ignore[return-value]
        value = self.number(node, "'calls_per_hour'")
        return None if value is None else [value]

    def intents(self, node: Node) -> dict[str, Intent]:
        out = {}
        for name, key_node, body in self.pairs(node, "'intents'"):
            what = f"intent '{name}'"
            fields = {k: v for k, _, v in self.pairs(body, what, INTENT_KEYS)}
            if not isinstance(body, MappingNode):
                continue
            if "share" not in fields or "goal" not in fields:
                self.error(key_node, f"{what} needs a share and a goal, for example {{share: 0.3, goal: billing}}")
                continue
            share = self.share(fields["share"], f"the share of {what}")
            goal_node = fields["goal"]
            items = goal_node.value if isinstance(goal_node, SequenceNode) else [goal_node]
            goals, goal_locs = [], []
            for item in items:
                goal = self.name(item, f"a goal of {what}")
                if goal is not None:
                    goals.append(goal)
                    goal_locs.append(self.loc(item))
            if share is not None and goals:
                out[name] = Intent(name, share, goals, self.loc(key_node), goal_locs)
            elif share is not None:
                self.error(goal_node, f"{what} needs at least one goal node")
        return out
