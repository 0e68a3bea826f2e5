"""JSON with positions for a large file: the C decoder builds the values, one vectorised pass finds where each is written.

jsonpos.py's reader walks the text in Python, several calls per token: on
a generated 5 MB flow it takes 18 times as long as ``json.loads`` itself.
Here ``json.loads`` (C) builds the values, into JObject and JArray as
jsonpos gives them, and numpy reads the offsets off the text in a few
passes over its characters:

* the double quotes that open and close strings (a quote after an odd run
  of backslashes is part of a string), so that brackets, commas and colons
  inside strings are not taken for structure;
* the characters that matter outside strings: structure, the quote that
  opens each string, the first character of each number or literal; after
  a ``{``, ``[`` or ``,`` the next of them starts a member (its name's
  quote, then ``:``, then the value) or an item;
* each bracket's depth, which pairs every ``{`` with its ``}`` and gives each
  comma and member the container it belongs to.

The decoder calls the object hook as each object closes, so the n-th
object made is the one whose ``}`` comes n-th; each list is made into a
JArray in the hook of the object that holds it (or, for the document
itself, at the end), which fixes the order of those too. The positions are
then set by C loops (``map``) over the containers. The same flow takes 11
times ``json.loads`` this way (benchmarks/import_speed.py measures the
importers): what is left is making one Python object, and two dictionaries
of offsets, per JSON object.

Only what both readers take the same way is read here: a file the C
decoder reads without complaint, with no member name written twice, no
NaN or Infinity, no whole number too long for ``int()`` and nesting at
most MAX_DEPTH deep. For any other file :func:`parse` returns None and the
caller reads it with jsonpos's reader, which says what is wrong at its
place, or keeps the first or last of a repeated name and records it, as it
always has. tests/test_json_positions.py pins that both readers give the
same values and offsets.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable
from itertools import repeat
from typing import Any

import numpy as np

from ivrlint.importers.connect.jsonpos import MAX_DEPTH, JArray, JObject

#: Character classes: 1 structure ``{}[],:``, 2 the first character a number or literal can have, 3 blank.
_CLASS = np.zeros(128, dtype=np.uint8)
_CLASS[[ord(c) for c in "{}[],:"]] = 1
_CLASS[[ord(c) for c in "-0123456789tfn"]] = 2
_CLASS[[ord(c) for c in " \t\n\r"]] = 3
_QUOTE, _BACKSLASH = ord('"'), ord("\\")
_OPEN_OBJECT, _CLOSE_OBJECT, _OPEN_LIST, _CLOSE_LIST, _COMMA = (ord(c) for c in "{}[],")


class _Other(Exception):
    """The file is not one this reader takes as jsonpos's reader does; that reader reads it."""


def _refuse_constant(_name: str) -> Any:
    raise _Other  # NaN, Infinity, -Infinity: Python's decoder takes them, JSON (and jsonpos) does not


def parse(text: str, obj_class: type[JObject] = JObject, with_end: bool = False) -> tuple[Any] | None:
    """``(value,)``: the one JSON value of `text`, with positions as jsonpos gives them (objects of `obj_class`,
    which has an ``end`` slot to fill when `with_end`); None when jsonpos's reader must read it (see the docstring)."""
    objects: list[JObject] = []
    arrays: list[JArray] = []

    def hook(pairs: list[tuple[str, Any]]) -> JObject:
        obj = obj_class(pairs)
        if len(obj) != len(pairs):
            raise _Other  # a name written twice: jsonpos's reader keeps the one its caller wants, and records it
        objects.append(obj)
        if list in map(type, obj.values()):
            for key in [key for key, value in obj.items() if type(value) is list]:
                obj[key] = _array(obj[key], arrays)
        return obj

    try:
        value = json.loads(text, object_pairs_hook=hook, parse_constant=_refuse_constant)
    except (ValueError, RecursionError, _Other):  # JSONDecodeError is a ValueError; so is int() of 4,300 digits and more
        return None
    if type(value) is list:
        value = _array(value, arrays)
    if (objects or arrays) and not _place(text, objects, arrays, with_end):
        return None
    return (value,)


def _array(items: list, arrays: list[JArray]) -> JArray:
    """`items` as a JArray, the lists in it too (in document order, after it)."""
    out = JArray(items)
    arrays.append(out)
    if list in map(type, out):
        for index, item in enumerate(out):
            if type(item) is list:
                out[index] = _array(item, arrays)
    return out


def _codes(text: str) -> np.ndarray:
    """The characters of `text` as numbers, one per character (so indexes are offsets into `text`)."""
    if text.isascii():
        return np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _string_quotes(codes: np.ndarray) -> np.ndarray:
    """Offsets of the quotes that open and close strings, in order: not those after an odd run of backslashes."""
    quotes = np.flatnonzero(codes == _QUOTE)
    slashes = np.flatnonzero(codes == _BACKSLASH)
    if not slashes.size or not quotes.size:
        return quotes
    run_starts = slashes[np.concatenate(([True], slashes[1:] != slashes[:-1] + 1))]
    after = quotes[(quotes > 0) & (codes[np.maximum(quotes - 1, 0)] == _BACKSLASH)]
    run = after - run_starts[np.searchsorted(run_starts, after - 1, side="right") - 1]
    return np.setdiff1d(quotes, after[run % 2 == 1], assume_unique=True)


def _significant(codes: np.ndarray, quotes: np.ndarray) -> np.ndarray:
    """Offsets of what matters outside strings: structure, each string's opening quote, each number's or literal's
    first character."""
    classes = _CLASS[codes] if codes.dtype == np.uint8 else _CLASS[np.minimum(codes, 127)]  # 127 and above: class 0
    structure = np.flatnonzero(classes == 1)
    starts = np.flatnonzero(classes == 2)
    starts = starts[(starts == 0) | np.isin(classes[np.maximum(starts - 1, 0)], (1, 3))]
    candidates = np.concatenate((structure, starts))
    outside = candidates[np.searchsorted(quotes, candidates) % 2 == 0]  # an even number of quotes before it
    mask = np.zeros(codes.size, dtype=bool)
    mask[outside] = True
    mask[quotes[0::2]] = True
    return np.flatnonzero(mask)


def _table(text: str) -> _Containers | None:
    """The containers of `text` with their members' offsets; None when its structure is not what JSON's is
    (never, for text the decoder read) or nests deeper than MAX_DEPTH."""
    codes = _codes(text)
    quotes = _string_quotes(codes)
    if quotes.size % 2:
        return None
    where = _significant(codes, quotes)
    chars = codes[where].astype(np.int64)
    opens = (chars == _OPEN_OBJECT) | (chars == _OPEN_LIST)
    closes = (chars == _CLOSE_OBJECT) | (chars == _CLOSE_LIST)
    depth = np.cumsum(opens.astype(np.int64) - closes)
    open_k, close_k, comma_k = np.flatnonzero(opens), np.flatnonzero(closes), np.flatnonzero(chars == _COMMA)
    if open_k.size != close_k.size or not open_k.size or depth.max() > MAX_DEPTH:
        return None
    table = _Containers(where, chars, depth, open_k, close_k, comma_k)
    return None if table.broken else table


def _place(text: str, objects: list[JObject], arrays: list[JArray], with_end: bool) -> bool:
    """Set the positions of the `objects` and `arrays` the decoder made of `text` (and each object's end,
    `with_end`); False when the text's structure does not match them (it always does for text the decoder read)."""
    table = _table(text)
    order = table.made_order(len(objects), len(arrays)) if table is not None else None
    if table is None or order is None:
        return False
    by_close, by_holder = order
    # each object's and list's slice of the members' offsets, put in place by C loops (map), not Python ones
    key_start = table.key_start
    slices = list(map(slice, key_start[by_close].tolist(), key_start[by_close + 1].tolist()))
    keys, values = table.key_at.tolist(), table.value_at.tolist()
    _set_all(objects, "at", table.open_at[by_close].tolist())
    _set_all(objects, "key_at", map(dict, map(zip, objects, map(keys.__getitem__, slices))))
    _set_all(objects, "value_at", map(dict, map(zip, objects, map(values.__getitem__, slices))))
    if with_end:
        _set_all(objects, "end", (table.close_at[by_close] + 1).tolist())
    items, item_start = table.item_at.tolist(), table.item_start
    _set_all(arrays, "at", table.open_at[by_holder].tolist())
    _set_all(arrays, "item_at", map(items.__getitem__, map(slice, item_start[by_holder].tolist(),
                                                           item_start[by_holder + 1].tolist())))
    return True


def _set_all(targets: list, name: str, values: Iterable[Any]) -> None:
    """setattr(target, name, value) for each target and value in turn."""
    deque(map(setattr, targets, repeat(name), values), maxlen=0)


class _Containers:
    """The objects and lists of a text, numbered in the order they open, with their members' offsets."""

    def __init__(self, where: np.ndarray, chars: np.ndarray, depth: np.ndarray, open_k: np.ndarray,
                 close_k: np.ndarray, comma_k: np.ndarray):
        self.broken = False
        count = open_k.size
        self.open_at = where[open_k]
        self.is_object = chars[open_k] == _OPEN_OBJECT
        # each close pairs with the last open before it at its level: sorted by level then place, they alternate
        levels = np.concatenate((depth[open_k], depth[close_k] + 1))
        places = np.concatenate((open_k, close_k))
        order = np.lexsort((places, levels))
        paired_open, paired_close = places[order[0::2]], places[order[1::2]]
        if not (opens_at(chars, paired_open).all() and closes_at(chars, paired_close).all()):
            self.broken = True
            return
        self.close_at = np.empty(count, dtype=np.int64)
        self.close_at[np.searchsorted(open_k, paired_open)] = where[paired_close]
        # the container of each comma and of each container: the last one opened before it, one level up
        owner_of_comma, self.parent = self._owners(depth, open_k, comma_k)
        # members: what follows each '{', '[' (unless it closes at once) and ',' of a container
        after_open = open_k + 1
        filled = ~closes_at(chars, after_open)
        member_k = np.concatenate((after_open[filled], comma_k + 1))
        member_of = np.concatenate((np.arange(count)[filled], owner_of_comma))
        order = np.lexsort((member_k, member_of))
        member_k, member_of = member_k[order], member_of[order]
        in_object = self.is_object[member_of]
        keys = member_k[in_object]
        if keys.size and not ((chars[keys] == _QUOTE).all() and (chars[keys + 1] == ord(":")).all()):
            self.broken = True
            return
        self.key_at, self.value_at = where[keys], where[keys + 2]
        self.item_at = where[member_k[~in_object]]
        self.key_start = _starts(member_of[in_object], count)
        self.item_start = _starts(member_of[~in_object], count)

    def _owners(self, depth: np.ndarray, open_k: np.ndarray, comma_k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The container each comma is in, and each container's parent (-1 for the outermost)."""
        count = open_k.size
        # anchors: each container at its own level; questions: each comma at its level, each container one level up
        levels = np.concatenate((depth[open_k], depth[comma_k], depth[open_k] - 1))
        places = np.concatenate((open_k, comma_k, open_k))
        kinds = np.concatenate((np.zeros(count, np.int8), np.ones(comma_k.size + count, np.int8)))
        order = np.lexsort((kinds, places, levels))
        anchor = kinds[order] == 0
        container = np.where(anchor, np.concatenate((np.arange(count), np.zeros(comma_k.size + count, np.int64)))[order], -1)
        last = np.maximum.accumulate(np.where(anchor, np.arange(order.size), 0))
        owner = container[last]
        level_of = levels[order]
        owner = np.where(level_of[last] == level_of, owner, -1)  # nothing opened before it at its level: outermost
        answers = np.empty(order.size, dtype=np.int64)
        answers[order] = owner
        return answers[count:count + comma_k.size], answers[count + comma_k.size:]

    def made_order(self, objects: int, arrays: int) -> tuple[np.ndarray, np.ndarray] | None:
        """The numbers of the objects in the order the decoder made them (as they close), and of the lists
        (as the object holding them closes, or at the end, in document order); None when the counts differ."""
        object_ids = np.flatnonzero(self.is_object)
        array_ids = np.flatnonzero(~self.is_object)
        if object_ids.size != objects or array_ids.size != arrays:
            return None
        by_close = object_ids[np.argsort(self.close_at[object_ids], kind="stable")]
        holder = self._object_above(array_ids)
        holder_close = np.where(holder >= 0, self.close_at[np.maximum(holder, 0)], np.iinfo(np.int64).max)
        return by_close, array_ids[np.lexsort((self.open_at[array_ids], holder_close))]

    def _object_above(self, ids: np.ndarray) -> np.ndarray:
        """The nearest object each of the containers `ids` is in (-1: none)."""
        above = self.parent[ids]
        while True:
            through_list = (above >= 0) & ~self.is_object[np.maximum(above, 0)]
            if not through_list.any():
                return above
            above = np.where(through_list, self.parent[np.maximum(above, 0)], above)


def opens_at(chars: np.ndarray, k: np.ndarray) -> np.ndarray:
    return (chars[k] == _OPEN_OBJECT) | (chars[k] == _OPEN_LIST)


def closes_at(chars: np.ndarray, k: np.ndarray) -> np.ndarray:
    k = np.minimum(k, chars.size - 1)
    return (chars[k] == _CLOSE_OBJECT) | (chars[k] == _CLOSE_LIST)


def _starts(owners: np.ndarray, count: int) -> np.ndarray:
    """Where each container's run begins in members sorted by container (and one past the last)."""
    return np.concatenate(([0], np.cumsum(np.bincount(owners, minlength=count))))
