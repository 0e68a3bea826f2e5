"""Where a call is in a dialplan, and what Asterisk finds there.

A position is ``(context, extension, priority)`` with the extension as the
call dialled it (``100``), which may be matched by a pattern (``_1XX``).
Lookups follow Asterisk: an extension of the context itself first, then of
the contexts it ``include``s, in order; a literal name before a pattern.

Variables are read without running the call: a variable's value at a
position is the last ``Set(VAR=...)`` at a lower priority of the same
extension, else the first one anywhere in the context, else ``[globals]``.
That is right for the dialplans ivrlint meets (a menu sets its prompt and
counters on entry), and a value it cannot know stays ``${VAR}``. Values
that name other variables are put in up to 8 rounds deep, and the text
grows to at most EXT_DATA_SIZE characters, as Asterisk cuts an
application's arguments when it substitutes them: so a few hundred bytes of
``[globals]`` that double at every level (``A1=${A0}${A0}...``) cannot grow
into gigabytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ivrlint.importers.asterisk.dialplan import Context, Dialplan, Extension, Step
from ivrlint.importers.numbers import whole_number
from ivrlint.location import Location
from ivrlint.menu.model import KEYS

#: How many included contexts deep a lookup goes; Asterisk's own limit is similar.
MAX_INCLUDE_DEPTH = 32
#: Longest text variables are substituted into: the buffer (passdata[EXT_DATA_SIZE]) Asterisk's
#: pbx_extension_helper substitutes an application's arguments into, and cuts them at (main/pbx.c).
EXT_DATA_SIZE = 8192
#: Rounds of substitution: a value may name a variable whose value names another, this deep.
SUBSTITUTION_ROUNDS = 8

#: A regular expression that matches nothing: a pattern element Asterisk cannot match any number with.
_NOTHING = "(?!)"
_VARIABLE = re.compile(r"\$\{([A-Za-z_][\w]*)\}")
_SET = re.compile(r"\s*_{0,2}([A-Za-z_][\w()]*)\s*=(.*)$", re.S)


class Pos(NamedTuple):
    context: str
    exten: str  # as dialled
    priority: int


@dataclass(frozen=True)
class Target:
    """A place a Goto names: every part resolved, or the text that could not be."""

    context: str
    exten: str
    priority: str  # a number or a label
    loc: Location
    computed: bool = False  # a part is a variable or function whose value is unknown


class Plan:
    """Lookups over a parsed Dialplan."""

    def __init__(self, dialplan: Dialplan):
        self.dialplan = dialplan
        self.contexts = dialplan.contexts
        self._first_sets: dict[str, dict[str, str]] = {}
        # the dialplan does not change once parsed: each answer is worked out once (a 2,000-menu dialplan asks
        # 140,000 times, for a few thousand places)
        self._found: dict[tuple[str, str], tuple[Context, Extension] | None] = {}
        self._orders: dict[str, tuple[Context, ...]] = {}
        self._indexes: dict[str, _Index] = {}

    # -- extensions ---------------------------------------------------------
    def find(self, context: str, exten: str) -> tuple[Context, Extension] | None:
        """The extension a call dialling `exten` in `context` runs, and the context it is written in."""
        key = (context, exten)
        if key not in self._found:
            self._found[key] = _find(self, context, exten)
        return self._found[key]

    def index(self, ctx: Context) -> _Index:
        """The extensions of `ctx` by their names without dashes, and its patterns."""
        found = self._indexes.get(ctx.name)
        if found is None or found.context is not ctx:
            found = self._indexes[ctx.name] = _Index(ctx)
        return found

    def step(self, pos: Pos) -> Step | None:
        found = self.find(pos.context, pos.exten)
        return found[1].steps.get(pos.priority) if found else None

    def priority(self, context: str, exten: str, written: str) -> int | None:
        """The priority `written` (a number or a label) names in an extension, if it exists."""
        found = self.find(context, exten)
        if found is None:
            return None
        extension = found[1]
        number = whole_number(written)
        if number is not None:
            return number if number in extension.steps else None
        return extension.labels.get(written)

    def key_extensions(self, context: str) -> Iterator[tuple[str, Context, Extension]]:
        """Extensions a caller can reach by pressing keys in `context`: their
        names are keys (``1``, ``100``, ``#``) or patterns (``_1XX``)."""
        seen: set[str] = set()
        for ctx in self.search_order(context):
            for name, extension in ctx.extensions.items():
                if name not in seen and (_is_keys(name) or name.startswith("_")) and extension.steps:
                    seen.add(name)
                    yield name, ctx, extension

    def search_order(self, context: str) -> tuple[Context, ...]:
        """The contexts a lookup in `context` searches, in order: itself, then what it includes, depth first."""
        found = self._orders.get(context)
        if found is None:
            found = self._orders[context] = _search_order(self.contexts, context)
        return found

    # -- variables ----------------------------------------------------------
    def value(self, name: str, pos: Pos) -> str | None:
        if name == "EXTEN":
            return pos.exten  # a pattern (_1XX) when the caller dials into one from a menu
        if name == "CONTEXT":
            return pos.context
        found = self.find(pos.context, pos.exten)
        if found is not None:
            for priority in sorted((p for p in found[1].steps if p < pos.priority), reverse=True):
                assigned = assignment(found[1].steps[priority])
                if assigned and assigned[0] == name:
                    return assigned[1]
        context_sets = self._context_sets(pos.context)
        if name in context_sets:
            return context_sets[name]
        return self.dialplan.globals.get(name)

    def _context_sets(self, context: str) -> dict[str, str]:
        if context not in self._first_sets:
            sets: dict[str, str] = {}
            ctx = self.contexts.get(context)
            for extension in ctx.extensions.values() if ctx else ():
                for priority in sorted(extension.steps):
                    assigned = assignment(extension.steps[priority])
                    if assigned:
                        sets.setdefault(*assigned)
            self._first_sets[context] = sets
        return self._first_sets[context]

    def substitute(self, text: str, pos: Pos) -> str:
        """`text` with every ``${VAR}`` whose value is known put in (values may name other variables),
        no longer than EXT_DATA_SIZE characters once anything is put in (Asterisk cuts it there too)."""
        if "${" not in text:
            return text
        known: dict[str, str] = {}  # each variable's value is looked up once per text
        for _ in range(SUBSTITUTION_ROUNDS):
            changed = self._substituted_once(text, pos, known)
            if changed == text:
                break
            text = changed
        return text

    def _substituted_once(self, text: str, pos: Pos, known: dict[str, str]) -> str:
        """One round: each ``${VAR}`` of `text` replaced by its value, stopping at EXT_DATA_SIZE characters."""
        out: list[str] = []
        size = last = 0
        for match in _VARIABLE.finditer(text):
            name = match.group(1)
            if name not in known:
                value = self.value(name, pos)
                known[name] = match.group(0) if value is None or "${" + name + "}" in value else value
            out += (text[last:match.start()], known[name])
            size += match.start() - last + len(known[name])
            last = match.end()
            if size >= EXT_DATA_SIZE:
                return "".join(out)[:EXT_DATA_SIZE]
        if not out:  # no variable written
            return text
        out.append(text[last:])
        return "".join(out)[:max(EXT_DATA_SIZE, len(text))]

    # -- Goto targets -------------------------------------------------------
    def target(self, text: str, loc: Location, pos: Pos) -> Target:
        """Where ``[[context,]exten,]priority`` written at `pos` leads."""
        parts = [p.strip() for p in self.substitute(text, pos).split(",")]
        if len(parts) == 1:
            context, exten, priority = pos.context, pos.exten, parts[0]
        elif len(parts) == 2:
            context, exten, priority = pos.context, parts[0], parts[1]
        else:
            context, exten, priority = parts[0], parts[1], ",".join(parts[2:])
        computed = any("${" in p or "$[" in p for p in (context, exten, priority)) or len(parts) > 3
        return Target(context, exten, priority or "1", loc, computed)


def assignment(step: Step) -> tuple[str, str] | None:
    """(variable, value) that a ``Set(VAR=value)`` step assigns; the ``_``/``__`` inheritance prefix is dropped."""
    if step.call.name != "set":
        return None
    match = _SET.match(step.call.data)
    return (match.group(1), match.group(2).strip()) if match else None


def _search_order(contexts: dict[str, Context], context: str) -> tuple[Context, ...]:
    order, stack, seen = [], [(context, 0)], set()
    while stack:
        name, depth = stack.pop(0)
        if name in seen or name not in contexts or depth > MAX_INCLUDE_DEPTH:
            continue
        seen.add(name)
        ctx = contexts[name]
        order.append(ctx)
        stack[0:0] = [(inc.context, depth + 1) for inc in ctx.includes]
    return tuple(order)


class _Index:
    """One context's extensions as a lookup reads them: by name with the dashes taken out (the first one
    written, of those that are no pattern), and its patterns in the order written."""

    def __init__(self, ctx: Context):
        self.context = ctx
        self.plain: dict[str, Extension] = {}
        self.patterns: list[tuple[str, Extension]] = []
        for name, extension in ctx.extensions.items():
            if name.startswith("_"):
                self.patterns.append((name, extension))
            else:
                self.plain.setdefault(name.replace("-", ""), extension)


def _find(plan: Plan, context: str, exten: str) -> tuple[Context, Extension] | None:
    """In each context of the search order: the extension named `exten`, else the first (no pattern) whose name
    without dashes is `exten` without dashes; else, for a number dialled (not a pattern), the narrowest pattern
    that matches it, of all the contexts."""
    dialled = not exten.startswith("_")
    wanted = exten.replace("-", "") if dialled else exten
    candidates: list[tuple[Context, Extension]] = []
    for ctx in plan.search_order(context):
        if exten in ctx.extensions:
            return ctx, ctx.extensions[exten]
        index = plan.index(ctx)
        plain = index.plain.get(wanted)
        if plain is not None:
            return ctx, plain
        if dialled:
            candidates.extend((ctx, extension) for name, extension in index.patterns if pattern_matches(name, exten))
    if not candidates:
        return None
    return min(candidates, key=lambda found: _breadth(found[1].name))


def pattern_matches(pattern: str, exten: str) -> bool:
    """Does the Asterisk extension pattern (``_1XX``, ``_[2-5]X.``) match `exten`?"""
    return _pattern_regex(pattern).fullmatch(exten) is not None


def pattern_keys(pattern: str) -> list[str]:
    """The keys a caller may press first to dial into a pattern (``_1XX`` -> ['1'])."""
    elements = _elements(pattern)
    if not elements:
        return []
    first = re.compile(elements[0].replace(".*", ".").replace(".+", "."))
    return [key for key in KEYS if first.fullmatch(key)]


@lru_cache(maxsize=1024)
def _pattern_regex(pattern: str) -> re.Pattern:
    return re.compile("".join(_elements(pattern)), re.IGNORECASE)


#: A pattern's one-character elements: digit classes and wildcards.
_CLASSES = {"X": "[0-9]", "x": "[0-9]", "Z": "[1-9]", "z": "[1-9]", "N": "[2-9]", "n": "[2-9]", ".": ".+", "!": ".*"}


def _elements(pattern: str) -> list[str]:
    """One regular expression per element of the pattern (a digit class, a wildcard...)."""
    out, i, body = [], 0, pattern[1:]
    while i < len(body):
        char = body[i]
        if char in _CLASSES:
            out.append(_CLASSES[char])
        elif char == "[":
            close = body.find("]", i + 1)
            if close < 0:  # Asterisk logs "Wrong usage of [] in the extension": the pattern matches nothing
                return [_NOTHING]
            if close > i + 1:  # an empty set is skipped
                out.append(_char_set(body[i + 1:close]))
            i = close
        elif char != "-":
            out.append(re.escape(char))
        i += 1
    return out


def _char_set(inside: str) -> str:
    """The regular expression of a ``[...]`` element as Asterisk matches it (_extension_match_core in
    main/pbx.c): ``a-b`` with a character on each side is a range, which holds nothing when b comes
    before a (so the pattern matches no number); any other character, ``-`` at either end included, is itself."""
    ranges, j = [], 0
    while j < len(inside):
        low = high = inside[j]
        if j + 2 < len(inside) and inside[j + 1] == "-":
            high = inside[j + 2]
            j += 2
        j += 1
        if low <= high:
            ranges.append(re.escape(low) if low == high else f"{re.escape(low)}-{re.escape(high)}")
    return "[" + "".join(ranges) + "]" if ranges else _NOTHING


def _breadth(pattern: str) -> tuple[int, int]:
    """Sort key: patterns matching fewer numbers first (Asterisk's most specific match)."""
    wild = pattern.count(".") + pattern.count("!")
    return wild, -len(pattern)


def _is_keys(name: str) -> bool:
    return bool(name) and all(char in KEYS for char in name)
