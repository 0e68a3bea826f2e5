"""Studio flow JSON with the position of every value, and member names written twice.

The Connect importer's parser (connect/jsonpos.py) gives values with their
offsets, bounded in depth. A flow read from Studio needs one thing more: a
member name written twice in one object (two ``"next"`` in a transition)
is not silently resolved. Here the first one is kept, as ivrlint does for
YAML, and each later one is recorded with where it and the first are
written, so that the ``duplicate-key`` rule reports it at the second one's
line.
"""

from __future__ import annotations

from typing import Any

from ivrlint.importers.connect import jsonpos
from ivrlint.importers.connect.jsonpos import FAST_CHARS, JObject, Source

#: (member name, offset of the later name, offset of the first one)
Repeat = tuple[str, int, int]


class Span(JObject):
    """A JSON object that also knows the offset just past its '}' (which widget a repeated name is in)."""

    __slots__ = ("end",)
    end: int


def end_of(obj: JObject) -> int:
    """The offset past the end of `obj`; its start when it was not read with its end (an object made up for a missing member)."""
    return obj.end if isinstance(obj, Span) else obj.at


class _Parser(jsonpos._Parser):
    """The Connect parser, keeping the first of two members with one name and noting the second."""

    def __init__(self, source: Source):
        super().__init__(source)
        self.repeats: list[Repeat] = []

    def document(self) -> Any:
        if not self.text.strip(" \t\r\n"):
            raise self.source.error(self.skip(0), "the file is empty; a Studio flow is an object with \"states\" and \"initial_state\"")
        return super().document()

    def object(self, i: int, depth: int) -> tuple[JObject, int]:
        self.check_depth(i, depth)
        out = Span()
        out.at, out.key_at, out.value_at, out.end = i, {}, {}, i
        i = self.skip(i + 1)
        while not self.text.startswith("}", i):
            i = self.member(out, i, depth)
            i = self.skip(i)
            if self.text.startswith("}", i):
                break
            if not self.text.startswith(",", i):
                raise self.source.error(i, self.expected_comma(i))
            i = self.skip(i + 1)
            if self.text.startswith("}", i):
                raise self.source.error(i, "a comma before '}'; remove it (JSON allows no trailing comma)")
        out.end = i + 1
        return out, i + 1

    def value(self, i: int, depth: int) -> tuple[Any, int]:
        if self.text.startswith("${", i):
            raise self.source.error(i, "a Terraform placeholder outside a string (${...}); ivrlint reads the template "
                                    "before Terraform fills it in: write it inside quotes, or check the rendered flow")
        return super().value(i, depth)

    def expected_comma(self, i: int) -> str:
        if i >= len(self.text):
            return "the file ends in the middle of the flow; it may be cut short"
        return "expected ',' or '}' after a member of an object; a comma is missing"

    def member(self, out: JObject, i: int, depth: int) -> int:
        """Read one `"name": value` of `out` at `i`; the offset after it."""
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
        if key in out:
            self.repeats.append((key, key_at, out.key_at[key]))
        else:
            out[key] = value
            out.key_at[key], out.value_at[key] = key_at, value_at
        return i


def parse(source: Source) -> tuple[Any, list[Repeat]]:
    """The one JSON value of `source`, with positions, and the member names written twice; InputError when it is not JSON.

    A large text is read by jsonfast.py to the same values and positions, unless it is one only this reader reads
    as the importer needs (a name written twice, a mistake to report at its place)."""
    if len(source.text) >= FAST_CHARS:
        from ivrlint.importers.connect import jsonfast  # numpy's import is worth it only for a large text

        found = jsonfast.parse(source.text, Span, with_end=True)
        if found is not None:
            return found[0], []
    parser = _Parser(source)
    return parser.document(), parser.repeats
