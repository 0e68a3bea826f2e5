"""Reading the parts of an Archy flow: mappings, lists, and Archy's value forms.

Archy writes a value as ``lit:`` (a literal), ``exp:`` (an expression the
flow evaluates while the call runs), ``var:`` (a variable) or ``noValue:
true`` (not set, so the default applies). A duration literal is a mapping of
units (``lit: {seconds: 5}``, ``{ms: 1500}``, ``{minutes: 1}``).

A flow's structure has one shape: ``menus`` and ``choices`` are lists of
one-key mappings (``- menu:``, ``- menuDisconnect:``), a choice or an action
is a mapping. Something else where the structure has a mapping or a list is
an error at its place (Archy refuses the file too). Every step of the reading
is charged against a budget proportional to the file's size, so that YAML
aliases cannot make a small file expensive to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ivrlint.errors import InputError
from ivrlint.importers.genesys.source import ArchyFile
from ivrlint.location import Location
from ivrlint.menu.yamlsource import PLAIN, kind

#: Seconds in one of each unit of an Archy duration literal.
_UNITS = {"ms": 0.001, "milliseconds": 0.001, "seconds": 1.0, "minutes": 60.0, "hours": 3600.0, "days": 86400.0}
_ISO = re.compile(r"^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
_EMPTY = ("", "~", "null", "Null", "NULL")

Fields = dict[str, tuple[Node, Node]]


@dataclass(frozen=True)
class Value:
    """An Archy value: its form ("lit", "exp", "var", "none" for noValue, "plain" for a bare scalar)
    and what is written (the literal's node, or the expression's text)."""

    form: str
    node: Node | None
    text: str = ""


class Reader:
    """Typed access to one flow file's nodes, with the place of everything read."""

    def __init__(self, source: ArchyFile):
        self.source = source
        self.file = source.path
        self.budget = 8 * source.count + 10_000
        self.cache: dict[str, dict] = {}  # what is worked out once per file (refs.py: an index of each list)

    def loc(self, node: Node) -> Location:
        return self.source.loc(node)

    def charge(self, node: Node) -> None:
        self.budget -= 1
        if self.budget < 0:
            self.refuse(node, "aliases expand this flow far beyond its size (a YAML alias bomb?); write the values out")

    def refuse(self, node: Node, message: str):
        raise InputError.at(self.loc(node), message, self.file)

    # -- shapes -----------------------------------------------------------
    def charge_all(self, node: Node, parts: list) -> None:
        """charge(node), then charge each of `parts` (the first of each pair when they are pairs):
        at once when the budget allows it, else one at a time, so the refusal names the node it runs out at."""
        if self.budget > len(parts):
            self.budget -= len(parts) + 1
            return
        self.charge(node)
        for part in parts:
            self.charge(part[0] if isinstance(part, tuple) else part)

    def fields(self, node: Node | None, what: str) -> Fields:
        """key -> (key node, value) of a mapping (the first of a key written twice); {} for an empty value."""
        if node is None or is_empty(node):
            return {}
        if not isinstance(node, MappingNode):
            self.refuse(node, f"{what} must be a mapping of 'key: value' lines; got {kind(node)}")
        pairs = node.value
        self.charge_all(node, pairs)
        out: Fields = {}
        for key, value in pairs:
            if isinstance(key, ScalarNode):
                out.setdefault(key.value, (key, value))
        return out

    def items(self, node: Node | None, what: str) -> list[Node]:
        """The items of a list; [] for an empty value."""
        if node is None or is_empty(node):
            return []
        if not isinstance(node, SequenceNode):
            self.refuse(node, f"{what} must be a list ('- ' lines); got {kind(node)}")
        self.charge_all(node, node.value)
        return list(node.value)

    def entry(self, item: Node, what: str) -> tuple[str, Node, Node]:
        """(construct, its key, its mapping) of a one-key list item such as ``- menuDisconnect: {...}``."""
        if not isinstance(item, MappingNode) or len(item.value) != 1 or not isinstance(item.value[0][0], ScalarNode):
            self.refuse(item, f"each item of {what} is one construct ('- menuDisconnect:', '- playAudio:' ...) "
                        f"holding its settings; got {kind(item)}")
        key, body = item.value[0]
        if not isinstance(body, MappingNode) and not is_empty(body):
            self.refuse(body, f"'{key.value}' must be a mapping of its settings (name, ...); got {kind(body)}")
        self.charge(key)
        return key.value, key, body

    # -- values -----------------------------------------------------------
    def value(self, node: Node | None) -> Value:
        """The Archy form of a value."""
        if node is None or is_empty(node):
            return Value("none", None)
        if isinstance(node, ScalarNode):
            return Value("plain", node, node.value.strip())
        fields = self.fields(node, "a value") if isinstance(node, MappingNode) else {}
        for form in ("lit", "exp", "var"):
            if form in fields:
                inner = fields[form][1]
                return Value(form, inner, inner.value.strip() if isinstance(inner, ScalarNode) else "")
        return Value("none" if "noValue" in fields else "other", node)

    def name(self, body: Node | None) -> str:
        """The 'name' a menu, choice, task or action is given (empty when none)."""
        found = self.fields(body, "a flow element").get("name")
        return text(found[1]) if found else ""


def innermost(node: Node) -> Node:
    """The value a literal finally writes: ``30`` of ``lit: {seconds: 30}`` (where a fix is made)."""
    while isinstance(node, MappingNode) and len(node.value) == 1:
        node = node.value[0][1]
    return node


def is_empty(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == PLAIN and node.value in _EMPTY


def text(node: Node | None) -> str:
    """A scalar's text on one line, or '' for anything else."""
    if not isinstance(node, ScalarNode) or is_empty(node):
        return ""
    return " ".join(node.value.split())


def seconds(reader: Reader, value: Value) -> float | None:
    """The seconds of a duration literal (``{seconds: 5}``, ``{ms: 1500}``, ``PT5S``), else None."""
    if value.form not in ("lit", "plain") or value.node is None:
        return None
    if isinstance(value.node, ScalarNode):
        match = _ISO.match(value.text)
        if not match or not any(match.groups()):
            return None
        days, hours, minutes, secs = (float(part or 0) for part in match.groups())
        return days * 86400 + hours * 3600 + minutes * 60 + secs
    total = 0.0
    for unit, (_, amount) in reader.fields(value.node, "a duration").items():
        number = _number(text(amount))
        if unit not in _UNITS or number is None:
            return None
        total += number * _UNITS[unit]
    return total


def whole(value: Value) -> int | None:
    """A whole number literal (``lit: 3``), else None."""
    number = _number(value.text) if value.form in ("lit", "plain") else None
    return int(number) if number is not None and number == int(number) else None


def _number(written: str) -> float | None:
    try:
        number = float(written)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None
