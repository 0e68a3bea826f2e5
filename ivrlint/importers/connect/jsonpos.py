"""JSON that remembers where each value was written.

``json.loads`` gives values without positions, and a linter has to point at
the line of the block a person must edit. This small recursive-descent
parser returns ordinary dicts, lists, strings and numbers; objects and lists
come back as :class:`JObject` / :class:`JArray`, which also hold the
character offset of the object itself, of each member name and of each
value. :meth:`Source.loc` turns an offset into a Location (line, column).

It reads untrusted files, so it is bounded: nesting deeper than
:data:`MAX_DEPTH` is an error (Python's own decoder would raise a
RecursionError there), and the caller caps the file size. Strings are
decoded by the standard library's C ``scanstring``.

A member name written twice in one object keeps the last value, as
``JSON.parse`` does (the Connect console reads an imported flow with it)
and as Python's ``json`` does; each such name is recorded
(:attr:`Source.duplicates`) so the importer reports it instead of
silently analysing only the last.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate
from json.decoder import JSONDecodeError
from typing import TYPE_CHECKING, Any

from ivrlint.errors import InputError
from ivrlint.importers.numbers import json_number
from ivrlint.location import Location

if TYPE_CHECKING:  # typeshed declares scanstring only in _json, which json.decoder re-exports at run time
    from _json import scanstring
else:
    from json.decoder import scanstring

#: Deepest nesting of objects and lists. Exported flows nest about 8 deep.
MAX_DEPTH = 100
#: Texts this long and longer are read by jsonfast.py (C decoder and numpy), shorter ones here: below it this
#: reader takes less time than importing numpy (about 0.06 s), which `check` of a flow does not otherwise need.
FAST_CHARS = 512 * 1024

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_BLANKS = frozenset(" \t\n\r")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_CONSTANTS = {"true": True, "false": False, "null": None}
#: How many names written twice a file's record keeps (the rest are counted), so a hostile file stays small in memory.
MAX_DUPLICATES = 100


class JObject(dict[str, Any]):
    """A JSON object; `at` is the offset of its '{', `key_at` and `value_at` of each member."""

    __slots__ = ("at", "key_at", "value_at")
    at: int
    key_at: dict[str, int]
    value_at: dict[str, int]


class JArray(list[Any]):
    """A JSON array; `at` is the offset of its '[', `item_at` of each item."""

    __slots__ = ("at", "item_at")
    at: int
    item_at: list[int]


class Source:
    """The text of one file, the offsets where its lines start, and the member names it writes twice."""

    def __init__(self, text: str, file: str):
        self.text = text
        self.file = file
        # where each line starts: one past each newline (the lengths of the pieces between them, added up in C)
        self._starts = list(accumulate(map((1).__add__, map(len, text.split("\n")[:-1])), initial=0))
        #: (name, offset of its first writing, offset of the later one) for each name written again in an object
        self.duplicates: list[tuple[str, int, int]] = []
        self.more_duplicates = 0  # names written twice beyond MAX_DUPLICATES

    def loc(self, offset: int) -> Location:
        line = bisect.bisect_right(self._starts, offset)
        return Location(self.file, line, offset - self._starts[line - 1] + 1)

    def error(self, offset: int, message: str) -> InputError:
        return InputError.at(self.loc(offset), f"invalid JSON: {message}", self.file)


def parse(source: Source) -> Any:
    """The one JSON value of `source`, with positions; InputError when it is not JSON.

    A member name written twice keeps the last value and is recorded (see the module docstring).
    jsonfast.py reads large files to the same values and positions (flows.py chooses)."""
    return _Parser(source).document()


class _Parser:
    def __init__(self, source: Source):
        self.source = source
        self.text = source.text

    def document(self) -> Any:
        start = self.skip(0)
        if start == len(self.text):
            raise self.source.error(start, "the file is empty; a flow is an object with StartAction and Actions")
        value, end = self.value(start, 0)
        end = self.skip(end)
        if end != len(self.text):
            raise self.source.error(end, "more text after the end of the flow; a file holds one JSON object")
        return value

    def skip(self, i: int) -> int:
        text = self.text
        char = text[i:i + 1]
        if char in _BLANKS:  # most calls meet no blank at all: only then is the pattern run
            spaces = _WHITESPACE.match(text, i)
            if spaces is not None:
                i = spaces.end()
                char = text[i:i + 1]
        if char == "/" and text.startswith(("//", "/*"), i):
            raise self.source.error(i, "JSON has no comments; remove them")
        return i

    def value(self, i: int, depth: int) -> tuple[Any, int]:
        char = self.text[i:i + 1]
        if char == "{":
            return self.object(i, depth + 1)
        if char == "[":
            return self.array(i, depth + 1)
        if char == '"':
            return self.string(i)
        match = _NUMBER.match(self.text, i)
        if match:
            return json_number(match.group(), bool(match.group(1) or match.group(2))), match.end()
        for word, constant in _CONSTANTS.items():
            if self.text.startswith(word, i):
                return constant, i + len(word)
        if char == "'":
            raise self.source.error(i, "strings are written in double quotes (\"...\"), not single quotes")
        if not char:
            raise self.source.error(i, "the file ends in the middle of the flow; it may be cut short")
        raise self.source.error(i, f"expected a value (object, list, string, number, true, false or null), found '{char}'")

    def string(self, i: int) -> tuple[str, int]:
        try:
            return scanstring(self.text, i + 1, True)
        except JSONDecodeError as exc:
            problem = exc.msg
            if problem.startswith("Unterminated"):
                problem = "a string is not closed; end it with '\"'"
            elif problem.startswith("Invalid control"):
                problem = "a line break or control character inside a string; write it as \\n"
            elif problem.startswith("Invalid"):
                problem = f"{problem[0].lower()}{problem[1:]}; escape backslashes as \\\\"
            raise self.source.error(exc.pos, problem) from None

    def check_depth(self, i: int, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise self.source.error(i, f"nesting is deeper than {MAX_DEPTH} levels; a flow never nests that deep")

    def object(self, i: int, depth: int) -> tuple[JObject, int]:
        self.check_depth(i, depth)
        out = JObject()
        out.at, out.key_at, out.value_at = i, {}, {}
        i = self.skip(i + 1)
        if self.text.startswith("}", i):
            return out, i + 1
        while True:
            if not self.text.startswith('"', i):
                raise self.source.error(i, self.expected_name(i))
            key_at = i
            key, i = self.string(i)
            i = self.skip(i)
            if not self.text.startswith(":", i):
                raise self.source.error(i, f"expected ':' after the member name \"{key}\"")
            i = self.skip(i + 1)
            value_at = i
            value, i = self.value(i, depth)
            if key in out:  # kept last, as JSON.parse and json.loads do; recorded to be reported
                self.twice(key, out.key_at[key], key_at)
            out[key] = value
            out.key_at[key], out.value_at[key] = key_at, value_at
            i = self.skip(i)
            if self.text.startswith("}", i):
                return out, i + 1
            if not self.text.startswith(",", i):
                raise self.source.error(i, "expected ',' or '}' after a member of an object; a comma is missing")
            i = self.skip(i + 1)

    def twice(self, key: str, first: int, again: int) -> None:
        if len(self.source.duplicates) < MAX_DUPLICATES:
            self.source.duplicates.append((key, first, again))
        else:
            self.source.more_duplicates += 1

    def expected_name(self, i: int) -> str:
        char = self.text[i:i + 1]
        if char == "}":
            return "a comma before '}'; remove it (JSON allows no trailing comma)"
        if not char:
            return "the file ends in the middle of the flow; it may be cut short"
        return "expected a member name in double quotes (\"Name\": value)"

    def array(self, i: int, depth: int) -> tuple[JArray, int]:
        self.check_depth(i, depth)
        out = JArray()
        out.at, out.item_at = i, []
        i = self.skip(i + 1)
        if self.text.startswith("]", i):
            return out, i + 1
        while True:
            if self.text.startswith("]", i):
                raise self.source.error(i, "a comma before ']'; remove it (JSON allows no trailing comma)")
            out.item_at.append(i)
            value, i = self.value(i, depth)
            out.append(value)
            i = self.skip(i)
            if self.text.startswith("]", i):
                return out, i + 1
            if not self.text.startswith(",", i):
                raise self.source.error(i, "expected ',' or ']' after an item of a list; a comma is missing")
            i = self.skip(i + 1)
