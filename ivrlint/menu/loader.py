"""Load a menu file (the format of MENU_FORMAT.md) into the model.

The loader validates the whole format and collects every problem it finds,
each with file:line:col and what to write instead. Duplicate keys are kept
aside for the `duplicate-key` rule rather than silently dropped, as plain
YAML loading would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ivrlint.common.gcpause import gc_paused
from ivrlint.errors import InputError
from ivrlint.menu import yamlsource
from ivrlint.menu.document import Document
from ivrlint.menu.limits import MAX_CALLS_PER_HOUR, MAX_RETRIES, MIN_RATE_SECONDS, too_many
from ivrlint.menu.model import (
    ACTIONS,
    DEFAULT_LANGUAGE,
    NODE_TYPES,
    Branch,
    Defaults,
    Duration,
    Intent,
    Location,
    Menu,
    Option,
    Traffic,
)
from ivrlint.menu.model import (
    Node as MenuNode,
)
from ivrlint.menu.queues import (  # noqa: F401  # QUEUE_KEYS and the like: the format's tables, re-exported
    ANNOUNCE_KEYS,
    CALLBACK_KEYS,
    OVERFLOW_KEYS,
    QUEUE_KEYS,
    REDIAL_KEYS,
    QueueReader,
)
from ivrlint.menu.yamlsource import PLAIN, kind

#: How a menu writes retries without a limit.
UNLIMITED = "unlimited"

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
TRAFFIC_KEYS = ("calls_per_hour", "patience", "intents", "languages", "behaviour", "redial")
INTENT_KEYS = ("share", "goal", "served_by")
OPTION_KEYS = ("goto", "action", "label")
BRANCH_KEYS = ("goto", "share", "when")

T = TypeVar("T")
N = TypeVar("N", int, float)



def read_menu(path: str) -> Document:
    """Read and validate the menu in `path`; raise InputError if it is not one."""
    return read_text(yamlsource.read_text(path), path)


def read_text(text: str, file: str = "<string>") -> Document:
    """Validate the menu written in `text` (as if read from `file`), with what the reading found."""
    with gc_paused():  # the node tree and the model are acyclic: collection passes over them only cost time
        root, count = yamlsource.compose(text, file)
        if root is None:
            raise InputError.at(Location(file, 1, 1), "the file is empty; a menu needs at least ivr, start and nodes", file)
        reader = _Reader(file, count)
        menu = reader.menu(root)
    return Document(menu, duplicates=reader.duplicates, texts={file: text})


def load_menu(path: str) -> Menu:
    """The menu in `path`, for commands that run it and need nothing of its reading."""
    return read_menu(path).menu


def load_text(text: str, file: str = "<string>") -> Menu:
    """The menu written in `text`, for callers that need nothing of its reading."""
    return read_text(text, file).menu


def _given(value: T | None, default: T) -> T:
    """`value`, or `default` when it is None (absent, or refused and reported).
    Unlike ``value or default`` it keeps a 0, an empty text or False as written."""
    return default if value is None else value


class _Reader(QueueReader):
    """Turns a composed node tree into a Menu, collecting problems."""

    # -- the format -------------------------------------------------------
    def menu(self, root: Node) -> Menu:
        if not isinstance(root, MappingNode):
            raise InputError.at(self.loc(root), f"a menu file must be a mapping with ivr, start and nodes; got {kind(root)}", self.file)
        keys = {key.value for key, _ in root.value if isinstance(key, ScalarNode)}
        if not keys & {"ivr", "start", "nodes"}:  # some other YAML (docker-compose.yml...): one line, not one per key
            raise InputError.at(Location(self.file, 1, 1), "not an ivrlint menu (no 'ivr', 'start' or 'nodes'); "
                                "a menu starts with them (see MENU_FORMAT.md, 'Top level'), and the configuration's "
                                "'exclude' skips other YAML files", self.file)
        top = {key: (key_node, value) for key, key_node, value in self.pairs(root, "the menu", TOP_KEYS)}
        for required in ("ivr", "start", "nodes"):
            if required not in top:
                self.error(root, f"the menu has no '{required}'; add it at the top level (see MENU_FORMAT.md, 'Top level')")
        locs = {key: self.loc(value) for key, (_, value) in top.items()}
        get = lambda key, convert: convert(top[key][1]) if key in top else None  # noqa: E731
        ivr = get("ivr", lambda n: self.name(n, "'ivr'"))
        start = get("start", lambda n: self.name(n, "'start'"))
        # a key that is absent, or whose value was refused (reported above), reads as None
        language = _given(get("language", lambda n: self.name(n, "'language'")), DEFAULT_LANGUAGE)
        defaults = _given(get("defaults", self.defaults), Defaults())
        queues = _given(get("queues", self.queues), {})
        traffic = get("traffic", self.traffic)
        nodes = _given(get("nodes", lambda n: self.nodes(n, language, defaults)), {})
        if "nodes" in top and not nodes and not self.problems:
            self.error(top["nodes"][1], "'nodes' is empty; a menu needs at least its start node")
        if self.problems:
            raise InputError(self.problems, self.file)
        return Menu(
            ivr=ivr or "", start=start or "", nodes=nodes, file=self.file, language=language,
            defaults=defaults, queues=queues, traffic=traffic, loc=self.loc(root), locs=locs,
        )

    def defaults(self, node: Node) -> Defaults:
        out = Defaults()
        for key, _, value in self.pairs(node, "'defaults'", DEFAULT_KEYS):
            out.locs[key] = self.loc(value)
            # a value refused (None, reported) keeps the default; 0 is a value: timeout-range judges it
            if key == "timeout":
                out.timeout = _given(self.seconds(value, "the default timeout"), out.timeout)
            elif key == "retries":
                got = self.retries(value, "the default retries")
                out.retries = out.retries if got is None else (None if got == UNLIMITED else got)
            elif key == "speech_rate":
                out.speech_rate = _given(self.number(value, "the speech rate (words per minute)", 1.0), out.speech_rate)
        return out

    def nodes(self, node: Node, language: str, defaults: Defaults) -> dict[str, MenuNode]:
        out = {}
        for key, key_node, value in self.pairs(node, "'nodes'"):
            converted = self.node(key, key_node, value, language, defaults)
            if converted is not None:
                out[key] = converted
        return out

    def node(self, node_id: str, key_node: Node, body: Node, language: str, defaults: Defaults) -> MenuNode | None:
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
            "prompt": lambda n: self.prompt(n, what, language, out.locs),
            "label": lambda n: self.text(n, f"the label of {what}"),
            "prompt_seconds": lambda n: self.seconds(n, f"'prompt_seconds' of {what}"),
            "options": lambda n: self.options(n, what),
            "timeout": lambda n: self.seconds(n, f"the timeout of {what}"),
            "retries": lambda n: self.retries(n, f"the retries of {what}"),
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
        if key == "retries" and converted == UNLIMITED:  # only retries can be unlimited: a label may say the word
            out.retries = None
        elif converted is not None:
            setattr(out, key, converted)

    def retries(self, node: Node, what: str):
        """A count of retries, or UNLIMITED for the word `unlimited` (a menu that
        replays until the caller answers, as importers find on some platforms)."""
        if isinstance(node, ScalarNode) and node.tag == PLAIN and node.value == UNLIMITED:
            self.charge(node)
            return UNLIMITED
        return self.at_most(self.integer(node, what), node, what, MAX_RETRIES,
                            ": no caller tries a menu that often; write fewer, or `unlimited` for a menu that replays "
                            "until the caller answers")

    def at_most(self, value: N | None, node: Node, what: str, most: float, advice: str = "") -> N | None:
        """`value` (already read, or None), reported and refused when it is over `most` (a limit of limits.py)."""
        if value is not None and value > most:
            self.error(node, too_many(what, value, most) + advice)
            return None
        return value

    def patience(self, node: Node) -> Duration | None:
        return self.random_duration(node, "the patience", MIN_RATE_SECONDS)

    def prompt(self, node: Node, what: str, language: str, locs: dict) -> dict[str, str] | None:
        """The prompt by language; `locs` gets ``prompt.TAG`` -> where each language's text is."""
        if isinstance(node, MappingNode):
            out = {}
            for tag, _, value in self.pairs(node, f"the prompt of {what}"):
                text = self.text(value, f"the '{tag}' prompt of {what}")
                if text is not None:
                    out[tag] = text
                    locs[f"prompt.{tag}"] = self.loc(value)
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

    def traffic(self, node: Node) -> Traffic | None:
        fields = {k: (kn, v) for k, kn, v in self.pairs(node, "'traffic'", TRAFFIC_KEYS)}
        if not isinstance(node, MappingNode):
            return None
        missing = [r for r in ("calls_per_hour", "patience", "intents") if r not in fields]
        for required in missing:
            self.error(node, f"'traffic' needs '{required}'")
        if missing:
            return None
        rate = self.calls_per_hour(fields["calls_per_hour"][1])
        patience = self.patience(fields["patience"][1])
        intents = self.intents(fields["intents"][1])
        languages = self.languages(fields["languages"][1]) if "languages" in fields else {}
        behaviour = self.behaviour(fields["behaviour"][1]) if "behaviour" in fields else {}
        redial = self.redial(fields["redial"][1]) if "redial" in fields else None
        if rate is None or patience is None:
            return None
        return Traffic(rate, patience, intents, languages, behaviour, self.loc(node), self.traffic_locs(fields), redial)

    def languages(self, node: Node) -> dict[str, float]:
        """The share of callers speaking each language; a share out of range is left out."""
        return self.numbers_by_name(node, "'languages'", lambda value, tag: self.share(value, f"the share of language '{tag}'"))

    def behaviour(self, node: Node) -> dict[str, float]:
        """The behaviour parameters by name; a value that is not a number is left out."""
        return self.numbers_by_name(node, "'behaviour'", lambda value, key: self.number(value, f"behaviour '{key}'"))

    def numbers_by_name(self, node: Node, what: str, read: Callable[[Node, str], float | None]) -> dict[str, float]:
        """Each entry of the mapping `what` read by `read(value, name)`; one it refuses (None) is left out."""
        out = {}
        for name, _, value in self.pairs(node, what):
            number = read(value, name)
            if number is not None:
                out[name] = number
        return out

    def traffic_locs(self, fields: dict[str, tuple[Node, Node]]) -> dict[str, Location]:
        """Where each key of 'traffic' is written, and each behaviour parameter's name and value."""
        locs = {k: self.loc(v) for k, (_, v) in fields.items()}
        behaviour = fields["behaviour"][1] if "behaviour" in fields else None
        if isinstance(behaviour, MappingNode):
            for kn, vn in behaviour.value:
                locs[f"behaviour.{kn.value}"] = self.loc(kn)
                locs[f"behaviour.{kn.value}.value"] = self.loc(vn)  # a value out of range is reported here
        return locs

    def calls_per_hour(self, node: Node) -> list[float] | None:
        if isinstance(node, SequenceNode):
            if len(node.value) != 24:
                self.error(node, f"hourly 'calls_per_hour' needs 24 values, one per hour from midnight; got {len(node.value)}")
                return None
            values = [self.at_most(self.number(item, "an hourly call rate"), item, "an hourly call rate", MAX_CALLS_PER_HOUR)
                      for item in node.value]
            return None if None in values else values  # type: ignore[return-value]
        value = self.at_most(self.number(node, "'calls_per_hour'"), node, "'calls_per_hour'", MAX_CALLS_PER_HOUR)
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
            goals, goal_locs = self.names(fields["goal"], f"a goal of {what}")
            served_by, served_by_locs = self.served_by(fields["served_by"], what) if "served_by" in fields else ([], [])
            if share is not None and goals:
                out[name] = Intent(name, share, goals, self.loc(key_node), goal_locs, served_by, served_by_locs)
            elif share is not None:
                self.error(fields["goal"], f"{what} needs at least one goal node")
        return out

    def served_by(self, node: Node, what: str) -> tuple[list[str], list[Location]]:
        """The pools an intent names under `served_by` (`what`: the intent), each with where it is written."""
        if isinstance(node, SequenceNode) and not node.value:
            self.error(node, f"'served_by' of {what} names no pool; list the pools whose agents can serve it, "
                       "for example [general], or leave it out")
        return self.names(node, f"a pool in 'served_by' of {what}")

    def names(self, node: Node, what: str) -> tuple[list[str], list[Location]]:
        """A name or a list of names (an intent's goals, its served_by), each with where it is written."""
        items = node.value if isinstance(node, SequenceNode) else [node]
        names, locs = [], []
        for item in items:
            name = self.name(item, what)
            if name is not None:
                names.append(name)
                locs.append(self.loc(item))
        return names, locs
