"""The keys a FreeSWITCH menu entry's ``digits`` stand for.

``digits`` is either literal (``1``, ``11``, ``*9``), or a PCRE regular
expression between slashes that FreeSWITCH searches the collected digits
with, typically to dial an extension (``/^(10[01][0-9])$/``). An ivrlint menu
takes one key per option, so each entry is reduced to the keys a caller
presses first to reach it, and for each such key whether that key alone is
the whole input ("exact") or more digits follow.

The first keys of a pattern are read from its parse by Python's regular
expression parser (PCRE and Python agree on the constructs menus use).
Search semantics are kept for "exact" (``/1/`` matches a lone 1); an
unanchored pattern's first keys are those its match starts with, which is
what a caller dialling a number in it presses first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # typeshed types re's parser under its pre-3.11 names, which warn when imported
    import sre_constants as sre
    import sre_parse
else:
    from re import _constants as sre  # the standard library's own parser tables (Python >= 3.11)
    from re import _parser as sre_parse

from ivrlint.menu.model import KEYS

_ALL = frozenset(KEYS)
_DIGITS = frozenset("0123456789")
_CATEGORIES = {
    sre.CATEGORY_DIGIT: _DIGITS,
    sre.CATEGORY_WORD: _DIGITS,
    sre.CATEGORY_NOT_DIGIT: frozenset("*#"),
    sre.CATEGORY_NOT_WORD: frozenset("*#"),
    sre.CATEGORY_NOT_SPACE: _ALL,
}
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))


class _Unreadable(Exception):
    pass


def is_pattern(digits: str) -> bool:
    return len(digits) > 2 and digits.startswith("/") and digits.endswith("/")


def first_keys(digits: str) -> dict[str, bool] | None:
    """First key -> whether that key alone is the whole input; None when the
    pattern cannot be read or matches without any key (it would take every key)."""
    if not is_pattern(digits):
        return {digits[0]: len(digits) == 1} if digits else None
    source = digits[1:-1]
    try:
        compiled = re.compile(source)
        chars, nullable = _first(sre_parse.parse(source))
    except (re.error, _Unreadable, RecursionError, TypeError, ValueError, OverflowError):  # x{99999999999}: too large a count
        return None
    keys = [key for key in KEYS if key in chars]
    if nullable or not keys:
        return None
    return {key: compiled.search(key) is not None for key in keys}


def _first(items) -> tuple[set[str], bool]:
    """(characters a match of this sequence may start with, can it match nothing)."""
    out: set[str] = set()
    for op, value in items:
        chars, nullable = _first_of(op, value)
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _first_of(op, value) -> tuple[set[str], bool]:
    """(characters a match of one parsed item may start with, can it match nothing)."""
    read = _FIRST_OF.get(op)
    if read is None:
        raise _Unreadable(op)  # back-references, look-arounds, conditionals
    return read(value)


def _first_of_branch(value) -> tuple[set[str], bool]:
    """(characters a match of ``a|b|...`` may start with, can it match nothing): any alternative's."""
    chars: set[str] = set()
    nullable = False
    for alternative in value[1]:
        more, empty = _first(alternative)
        chars |= more
        nullable = nullable or empty
    return chars, nullable


def _first_of_repeat(value) -> tuple[set[str], bool]:
    """(characters a match of a repeated item may start with, can it match nothing): the item's; nothing also when it may occur no times."""
    low, _, item = value
    chars, nullable = _first(item)
    return chars, nullable or low == 0


def _class(items) -> set[str]:
    chars: set[str] = set()
    negate = False
    for op, value in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            chars.add(chr(value))
        elif op is sre.RANGE:
            chars |= {key for key in _ALL if value[0] <= ord(key) <= value[1]}
        elif op is sre.CATEGORY:
            chars |= _CATEGORIES.get(value, set())
        else:
            raise _Unreadable(op)
    return set(_ALL - chars) if negate else chars


#: How `_first_of` reads each kind of parsed item a menu's pattern may hold (opcodes are distinct ints).
_FIRST_OF: dict[int, Callable[[Any], tuple[set[str], bool]]] = {
    sre.AT: lambda value: (set(), True),  # ^, $, \b: a position, not a character
    sre.LITERAL: lambda value: ({chr(value)}, False),
    sre.NOT_LITERAL: lambda value: (set(_ALL - {chr(value)}), False),
    sre.ANY: lambda value: (set(_ALL), False),
    sre.IN: lambda value: (_class(value), False),
    sre.SUBPATTERN: lambda value: _first(value[-1]),  # value is (group, add flags, del flags, pattern)
    sre.ATOMIC_GROUP: _first,  # (?>...): Python >= 3.11 has it, as the import above needs
    sre.BRANCH: _first_of_branch,
    **dict.fromkeys(_REPEATS, _first_of_repeat),
}


def assign_keys(entries: list[dict[str, bool]]) -> list[dict[str, bool]]:
    """The keys each entry of one menu is modelled on, from its `first_keys`.

    A key that alone is an entry's whole input stays (``/^[1-3]$/`` is keys
    1, 2 and 3). The keys that only start a longer input (an extension
    range ``/^([2-8][0-9]{2})$/``) become one option, on the first of them
    that no other entry uses, else on the first of them (which the entries
    then share).
    """
    used = {key for keys in entries for key, exact in keys.items() if exact or len(keys) == 1}
    out = []
    for keys in entries:
        kept = {key: True for key, exact in keys.items() if exact}
        longer = [key for key, exact in keys.items() if not exact]
        if longer:
            chosen = next((key for key in longer if key not in used), longer[0])
            used.add(chosen)
            kept[chosen] = False
        out.append(kept)
    return out
