"""Typed values from composed YAML nodes: text, numbers, durations, shares.

The format's loader (loader.py) builds on this; so does anything else that
reads a value the way a menu file would (what-if overrides). Values are
typed by what the reader expects, not by YAML's implicit resolution.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ivrlint.errors import InputError
from ivrlint.location import Location
from ivrlint.menu import yamlsource
from ivrlint.menu.document import Duplicate
from ivrlint.menu.limits import seconds_problem
from ivrlint.menu.model import DISTRIBUTIONS, Duration
from ivrlint.menu.yamlsource import PLAIN, kind

DURATION_KEYS = ("mean", "distribution", "cv")

#: The units a duration may carry (MENU_FORMAT.md, "Durations") and the seconds
#: in one of each; a number without a unit is seconds. This table is the only
#: list of units: the parser below and the JSON Schema's pattern are built from it.
DURATION_UNITS = {"ms": 0.001, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}
#: A duration as text: a number of seconds, or a number and a unit, spaces
#: allowed around both. The JSON Schema (schema.py) publishes this very pattern.
DURATION_PATTERN = r"^\s*(\d+(\.\d*)?|\.\d+)\s*(" + "|".join(DURATION_UNITS) + r")?\s*$"
_DURATION = re.compile(DURATION_PATTERN)
_HOURS = re.compile(r"^\s*(\d{1,2})(?::(\d\d))?\s*-\s*(\d{1,2})(?::(\d\d))?\s*$")
_EMPTY = ("", "~", "null", "Null", "NULL")
_TRUE = ("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON")
_FALSE = ("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF")


def duration_problem(what: str, got: str) -> str:
    """The message for a value that is not a duration: `what` must be one, `got` is what was written."""
    units = ", ".join(DURATION_UNITS)
    return f"{what} must be a duration like 40, 40s, 2m or 1.5h (a number of seconds, or with a unit: {units}); got {got}"


def parse_duration(text: str, what: str = "a duration") -> float:
    """Seconds in a duration as the menu format writes it: "40" -> 40.0, "90s" -> 90.0, "2m" -> 120.0.

    The one reader of durations: menu files, --set and --vary values and
    staffing targets all come here. Raises ValueError with duration_problem's
    message, naming the value as `what`, or the limit's (limits.MAX_SECONDS)
    for a duration longer than any part of a call (400 nines would be inf).
    """
    match = _DURATION.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(duration_problem(what, f"'{text}'"))
    seconds = float(match.group(1)) * DURATION_UNITS.get(match.group(3), 1.0)
    problem = seconds_problem(what, seconds)
    if problem:
        raise ValueError(problem)
    return seconds


class ValueReader:
    """Reads typed values out of composed YAML nodes, collecting problems.

    Every problem keeps its file:line:col. Every step is charged against a
    budget proportional to the document's size, so aliases cannot make a
    small document expensive to read.
    """

    def __init__(self, file: str, node_count: int):
        self.file = file
        self.problems: list[tuple[Location | None, str]] = []
        self.duplicates: list[Duplicate] = []
        # Every conversion step is charged; aliases can make a tree of n
        # nodes look exponentially large, and this budget stops that.
        self.budget = 8 * node_count + 10_000

    # -- plumbing -----------------------------------------------------
    def loc(self, node: Node) -> Location:
        return yamlsource.location(self.file, node)

    def error(self, node: Node | None, message: str) -> None:
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
        seen: set[str | None] = set()  # None: a key that is not a scalar
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

    def text(self, node: Node, what: str) -> str | None:
        self.charge(node)
        if not isinstance(node, ScalarNode) or self.is_empty(node):
            self.error(node, f"{what} must be text; got {kind(node)}")
            return None
        return node.value

    def name(self, node: Node, what: str) -> str | None:
        """A node or pool name: text on one line."""
        value = self.text(node, what)
        if value is not None and (not value.strip() or "\n" in value):
            self.error(node, f"{what} must be a name on one line; got '{value.strip()}'")
            return None
        return value

    def number(self, node: Node, what: str, low: float = 0.0, high: float | None = None) -> float | None:
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

    def integer(self, node: Node, what: str, low: int = 0) -> int | None:
        value = self.number(node, what, low)
        if value is None:
            return None
        if value != int(value):
            self.error(node, f"{what} must be a whole number; got {node.value}")
            return None
        return int(value)

    def share(self, node: Node, what: str) -> float | None:
        return self.number(node, what, 0.0, 1.0)

    def boolean(self, node: Node, what: str) -> bool | None:
        self.charge(node)
        if isinstance(node, ScalarNode) and node.tag == PLAIN:
            if node.value in _TRUE:
                return True
            if node.value in _FALSE:
                return False
        self.error(node, f"{what} must be true or false; got {kind(node)}")
        return None

    def seconds(self, node: Node, what: str, least: float = 0.0) -> float | None:
        """A duration: a number of seconds, or a number with a unit (40s, 2m, 1.5h), of `least` seconds
        or more and at most limits.MAX_SECONDS."""
        self.charge(node)
        if isinstance(node, ScalarNode):
            try:
                seconds = parse_duration(node.value, what)
            except ValueError as exc:
                if _DURATION.match(node.value):  # a duration, but past the limit: say so
                    self.error(node, str(exc))
                    return None
            else:
                problem = seconds_problem(what, seconds, least)
                if problem is None:
                    return seconds
                self.error(node, problem)
                return None
        self.error(node, duration_problem(what, kind(node)))
        return None

    def random_duration(self, node: Node, what: str, least: float = 0.0) -> Duration | None:
        """A mean duration, or {mean, distribution, cv}; the mean is `least` seconds or more."""
        if not isinstance(node, MappingNode):
            mean = self.seconds(node, what, least)
            return None if mean is None else Duration(mean, loc=self.loc(node))
        fields = {key: (key_node, value) for key, key_node, value in self.pairs(node, what, DURATION_KEYS)}
        if "mean" not in fields:
            self.error(node, f"{what} needs a 'mean', for example {{mean: 180, distribution: lognormal}}")
            return None
        mean = self.seconds(fields["mean"][1], f"the mean of {what}", least)
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

    def hours(self, node: Node, what: str) -> tuple[float, float] | None:
        match = _HOURS.match(node.value) if isinstance(node, ScalarNode) else None
        if match:
            start = int(match.group(1)) + int(match.group(2) or 0) / 60
            end = int(match.group(3)) + int(match.group(4) or 0) / 60
            if 0 <= start < end <= 24:
                return (start, end)
        self.error(node, f"{what} must be opening hours like \"08:00-18:00\"; got {kind(node)}")
        return None
