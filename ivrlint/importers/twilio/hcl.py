"""Studio flows written inline in Terraform: ``definition = jsonencode({...})``.

The twilio provider's ``twilio_studio_flows_v2`` resource takes the flow as
a JSON string, and Terraform users write it as an HCL object handed to
``jsonencode`` (in the resource, or in a ``locals`` block). This module
finds every ``jsonencode(`` call of a ``.tf`` file, outside comments and
strings, and reads its argument as HCL's object syntax: ``key = value`` or
``key: value``, keys bare or quoted, items separated by commas or new
lines, lists with an optional trailing comma, quoted strings with their
escapes, heredocs, numbers, ``true``, ``false``, ``null``, and ``#``,
``//`` and ``/* */`` comments. Values come back as the JSON reader gives
them (:class:`JObject`, :class:`JArray` with offsets), so the rest of the
importer reads both alike.

Anything else where a value stands (``var.queue_sid``, a function call, a
conditional) is kept as its text in ``${...}``, which is what Terraform
would put there, and which the importer reads as a value known only when
Terraform runs. Interpolations inside strings (``"${var.x}"``) stay as
written. A name written twice in one object is recorded (the first is
kept), as for JSON. Nesting is bounded like JSON's.
"""

from __future__ import annotations

import re
from typing import Any

from ivrlint.errors import InputError
from ivrlint.importers.connect.jsonpos import MAX_DEPTH, JArray, JObject, Source
from ivrlint.importers.numbers import json_number
from ivrlint.importers.twilio.jsontext import Repeat, Span

_SPACE = re.compile(r"(?:[ \t\r\n]+|#[^\n]*|//[^\n]*|/\*.*?\*/)*", re.S)
_INLINE_SPACE = re.compile(r"(?:[ \t\r]+|/\*.*?\*/)*", re.S)
_NAME = re.compile(r"[A-Za-z_][\w-]*")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_]\w*)[ \t]*\r?\n")
_CALL = re.compile(r"\bjsonencode\s*\(")
#: The text of a string up to the next quote, escape, interpolation or end of line.
_PLAIN = re.compile(r'[^"\\$%\n]*')
_SIMPLE_STRING = re.compile(r'([^"\\$%\n]*)"')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_CONSTANTS = {"true": True, "false": False, "null": None}
#: What may follow a value: the next item, the end of its list or object, or a comment.
_AFTER_VALUE = (",", "}", "]", ")", "\n", "#", "//")


def jsonencoded_flows(source: Source) -> tuple[list[JObject], list[Repeat]]:
    """The objects handed to ``jsonencode`` in `source` that hold a flow (a "states" member), and names written twice in them."""
    reader = _Reader(source)
    found: list[JObject] = []
    i = 0
    while True:
        i = reader.next_call(i)
        if i < 0:
            return found, reader.repeats
        value, i = reader.value(reader.skip(i), 0)
        if isinstance(value, JObject) and "states" in value:
            found.append(value)


class _Reader:
    def __init__(self, source: Source):
        self.source = source
        self.text = source.text
        self.repeats: list[Repeat] = []

    def error(self, i: int, message: str) -> InputError:
        return InputError.at(self.source.loc(i), f"cannot read this Terraform: {message}", self.source.file)

    # -- finding jsonencode( outside strings and comments ---------------
    def next_call(self, i: int) -> int:
        """The offset just after the next ``jsonencode(`` at or after `i`, past strings and comments; -1 when there is none."""
        text = self.text
        while i < len(text):
            match = _CALL.search(text, i)
            if match is None:
                return -1
            quiet = self._skip_quoted(i, match.start())
            if quiet == match.start():
                return match.end()
            i = quiet
        return -1

    def _skip_quoted(self, i: int, until: int) -> int:
        """From `i`, skip ordinary text, comments, strings and heredocs; stop at `until` when it is ordinary text,
        else at the end of the string or comment it falls in."""
        text = self.text
        while i < until:
            char = text[i]
            if char == '"':
                i = self._string_end(i + 1)
            elif char == "#" or text.startswith("//", i):
                end = text.find("\n", i)
                i = len(text) if end < 0 else end
            elif text.startswith("/*", i):
                end = text.find("*/", i + 2)
                i = len(text) if end < 0 else end + 2
            elif text.startswith("<<", i) and _HEREDOC.match(text, i):
                i = self._heredoc(i)[1]
            else:
                i += 1
        return i

    def _string_end(self, i: int, depth: int = 0) -> int:
        """The offset after the closing quote of a string whose text starts at `i` (interpolations may hold strings)."""
        return self._template(i, depth)[1]

    # -- values ------------------------------------------------------------
    def skip(self, i: int) -> int:
        return _SPACE.match(self.text, i).end()  # type: ignore[union-attr]  # the pattern matches the empty string

    def value(self, i: int, depth: int) -> tuple[Any, int]:
        if depth > MAX_DEPTH:
            raise self.error(i, f"nesting is deeper than {MAX_DEPTH} levels; a flow never nests that deep")
        char = self.text[i:i + 1]
        if not char:
            raise self.error(i, "the file ends in the middle of the flow; it may be cut short")
        value: Any
        if char == "{":
            value, end = self.object(i, depth + 1)
        elif char == "[":
            value, end = self.array(i, depth + 1)
        else:
            value, end = self.scalar(i)
        if self._value_ends(end):
            return value, end
        return self.expression(i)

    def _value_ends(self, i: int) -> bool:
        """Does a value end at `i` (only spaces before the next item, the end of its list or object, or a comment)?"""
        i = _INLINE_SPACE.match(self.text, i).end()  # type: ignore[union-attr]
        return i >= len(self.text) or self.text.startswith(_AFTER_VALUE, i)

    def scalar(self, i: int) -> tuple[Any, int]:
        text = self.text
        if text[i] == '"':
            return self._template(i + 1)
        if text.startswith("<<", i) and _HEREDOC.match(text, i):
            return self._heredoc(i)
        number = _NUMBER.match(text, i)
        if number:
            return json_number(number.group(), bool(number.group(1) or number.group(2))), number.end()
        name = _NAME.match(text, i)
        if name and name.group() in _CONSTANTS:
            return _CONSTANTS[name.group()], name.end()
        return self.expression(i)

    def expression(self, i: int) -> tuple[str, int]:
        """An expression ivrlint does not evaluate (a reference, a call, arithmetic): its text, as ``${text}``."""
        start, depth, text = i, 0, self.text
        while i < len(text):
            char = text[i]
            if char in "([{":
                depth += 1
            elif char in ")]}":
                if depth == 0:
                    break
                depth -= 1
            elif char in ",\n" and depth == 0:
                break
            if char == '"':
                i = self._string_end(i + 1)
                continue
            i += 1
        raw = text[start:i].strip()
        if not raw:
            raise self.error(start, f"expected a value, found '{text[start:start + 1] or 'the end of the file'}'")
        return "${" + raw + "}", i

    def object(self, i: int, depth: int) -> tuple[JObject, int]:
        out = Span()
        out.at, out.key_at, out.value_at = i, {}, {}
        i = self.skip(i + 1)
        while not self.text.startswith("}", i):
            i = self.member(out, i, depth)
            i = self.skip(i)
            if self.text.startswith(",", i):
                i = self.skip(i + 1)
        out.end = i + 1
        return out, i + 1

    def member(self, out: JObject, i: int, depth: int) -> int:
        key_at = i
        key, i = self.key(i)
        i = self.skip(i)
        if not self.text.startswith(("=", ":"), i) or self.text.startswith("==", i):
            raise self.error(i, f"expected '=' or ':' after the name '{key}'")
        i = self.skip(i + 1)
        value_at = i
        value, i = self.value(i, depth)
        if key in out:
            self.repeats.append((key, key_at, out.key_at[key]))
        else:
            out[key] = value
            out.key_at[key], out.value_at[key] = key_at, value_at
        return i

    def key(self, i: int) -> tuple[str, int]:
        if self.text.startswith('"', i):
            return self._template(i + 1)
        name = _NAME.match(self.text, i)
        if name is None:
            char = self.text[i:i + 1]
            what = f"'{char}'" if char else "the end of the file"
            raise self.error(i, f"expected a name (bare or in double quotes) in an object, found {what}; is a '}}' missing?")
        return name.group(), name.end()

    def array(self, i: int, depth: int) -> tuple[JArray, int]:
        out = JArray()
        out.at, out.item_at = i, []
        i = self.skip(i + 1)
        while not self.text.startswith("]", i):
            out.item_at.append(i)
            value, i = self.value(i, depth)
            out.append(value)
            i = self.skip(i)
            if self.text.startswith(",", i):
                i = self.skip(i + 1)
            elif not self.text.startswith("]", i):
                raise self.error(i, "expected ',' or ']' after an item of a list; a comma is missing")
        return out, i + 1

    # -- strings -------------------------------------------------------------
    def _template(self, i: int, depth: int = 0) -> tuple[str, int]:
        """A quoted string whose text starts at `i`: its text (escapes decoded, ``${...}`` kept as written), and the offset after it."""
        simple = _SIMPLE_STRING.match(self.text, i)
        if simple is not None:  # no escape, interpolation or line break: most strings
            return simple.group(1), simple.end()
        out: list[str] = []
        text, start = self.text, i - 1
        if depth > MAX_DEPTH:
            raise self.error(start, f"strings nest inside interpolations deeper than {MAX_DEPTH} levels")
        while i < len(text):
            plain = _PLAIN.match(text, i)
            if plain.end() > i:  # type: ignore[union-attr]  # the pattern matches the empty string
                out.append(plain.group())  # type: ignore[union-attr]
                i = plain.end()  # type: ignore[union-attr]
                continue
            char = text[i]
            if char == '"':
                return "".join(out), i + 1
            if char == "\n":
                break
            if char == "\\":
                out.append(self._escape(i))
                i += 6 if text.startswith("\\u", i) else 2
                continue
            if text.startswith(("${", "%{"), i) and not text.startswith(("$${", "%%{"), i - 1):
                end = self._interpolation_end(i + 2, depth)
                out.append(text[i:end])
                i = end
                continue
            out.append(char)
            i += 1
        raise self.error(start, "a string is not closed; end it with '\"' on the same line")

    def _escape(self, i: int) -> str:
        code = self.text[i + 1:i + 2]
        if code in _ESCAPES:
            return _ESCAPES[code]
        if code == "u" and re.fullmatch(r"[0-9A-Fa-f]{4}", self.text[i + 2:i + 6]):
            return chr(int(self.text[i + 2:i + 6], 16))
        raise self.error(i, f"'\\{code}' is not an escape of a Terraform string; write \\\\ for a backslash")

    def _interpolation_end(self, i: int, nesting: int) -> int:
        """The offset after the '}' that closes an interpolation whose inside starts at `i` (inside `nesting` strings)."""
        depth, text = 0, self.text
        while i < len(text):
            char = text[i]
            if char == '"':
                i = self._string_end(i + 1, nesting + 1)
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                if depth == 0:
                    return i + 1
                depth -= 1
            i += 1
        raise self.error(i, "an interpolation '${' is not closed; end it with '}'")

    def _heredoc(self, i: int) -> tuple[str, int]:
        match = _HEREDOC.match(self.text, i)
        assert match is not None  # callers matched it first
        marker = re.compile(rf"^[ \t]*{re.escape(match.group(2))}[ \t]*$", re.M)
        end = marker.search(self.text, match.end())
        if end is None:
            raise self.error(i, f"the heredoc <<{match.group(2)} has no closing line '{match.group(2)}'")
        body = self.text[match.end():end.start()]
        if match.group(1):  # <<-: the lines lose their common indentation
            lines = body.split("\n")
            indent = min((len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()), default=0)
            body = "\n".join(line[indent:] for line in lines)
        return body, end.end()
