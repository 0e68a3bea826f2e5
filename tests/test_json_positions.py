"""The fast JSON reader of large flow files (importers/connect/jsonfast.py) gives what jsonpos's reader gives.

Same values, same offsets of every object, member name, value and item
(and, for Twilio, of each object's end), on every JSON file of the
repository and on a few thousand generated documents with strings full of
brackets, quotes and backslashes; it hands every file it must not read
(a name written twice, NaN, nesting past MAX_DEPTH, a 5,000-digit number,
anything that is not JSON) back to jsonpos's reader; and an import of the
bundled flows through it gives the same menu, findings and places.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from conftest import ROOT

from ivrlint.errors import InputError
from ivrlint.importers import read_any
from ivrlint.importers.connect import jsonfast, jsonpos
from ivrlint.importers.connect.jsonpos import JArray, JObject, Source
from ivrlint.importers.twilio import jsontext
from ivrlint.importers.twilio.jsontext import Span


def shape(value):
    """Everything a reader gives: types, values and offsets, all the way down."""
    if isinstance(value, JObject):
        members = [(key, value.key_at[key], value.value_at[key], shape(item)) for key, item in value.items()]
        return ("object", type(value).__name__, value.at, getattr(value, "end", None), members)
    if isinstance(value, JArray):
        return ("array", value.at, list(value.item_at), [shape(item) for item in value])
    return (type(value).__name__, value)


def both_readers_agree(text: str) -> bool:
    """The fast reader read `text` as jsonpos's reader and Twilio's do (False: it handed the text back)."""
    fast = jsonfast.parse(text)
    if fast is None:
        return False
    assert shape(fast[0]) == shape(jsonpos.parse(Source(text, "f.json")))
    studio = jsonfast.parse(text, Span, with_end=True)
    assert studio is not None
    assert shape(studio[0]) == shape(jsontext.parse(Source(text, "f.json"))[0])
    return True


def json_files() -> list[Path]:
    found = sorted({*ROOT.glob("menus/**/*.json"), *ROOT.glob("tests/**/*.json")})
    return [path for path in found if _is_json(path.read_text(encoding="utf-8-sig"))]


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _written_twice(text: str) -> bool:
    repeated = []

    def pairs(items):
        repeated.append(len({key for key, _ in items}) != len(items))
        return dict(items)

    json.loads(text, object_pairs_hook=pairs)
    return any(repeated)


@pytest.mark.parametrize("path", json_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_json_file_of_the_repository_reads_the_same(path):
    text = path.read_text(encoding="utf-8-sig")
    assert both_readers_agree(text) is not _written_twice(text)


_TRICKY = ['a', '"', '\\', '[', ']', '{', '}', ',', ':', ' ', '\n', '\t', 'é', '∑', '😀', '\x7f', 'true', '-1', '\u2028']


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(_TRICKY) for _ in range(rng.randrange(6)))


def _value(rng: random.Random, depth: int):
    roll = rng.random()
    if depth > 4 or roll < 0.45:
        return rng.choice([_text(rng), rng.randrange(-10**6, 10**6), rng.random() * 10 ** rng.randrange(-5, 30),
                           True, False, None, "", 0, -0.0, 10**25])
    if roll < 0.7:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(5))]
    return {_text(rng) + str(n): _value(rng, depth + 1) for n in range(rng.randrange(5))}


def _spaced(text: str, rng: random.Random) -> str:
    """`text` with blanks put after some structure characters outside strings (json.dumps writes none there)."""
    out, inside, escaped = [], False, False
    for char in text:
        out.append(char)
        if inside:
            inside, escaped = (char != '"' or escaped), (char == "\\" and not escaped)
        elif char == '"':
            inside = True
        elif char in "[]{},:" and rng.random() < 0.3:
            out.append(rng.choice([" ", "\n", "\t", "\r\n", "  "]))
    return "".join(out)


def test_generated_documents_read_the_same():
    rng = random.Random(16)
    for _ in range(1500):
        value = _value(rng, 0)
        if not isinstance(value, (dict, list)):
            value = [value]
        text = json.dumps(value, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 0, 1, 2, "\t"]),
                          separators=rng.choice([None, (",", ":"), (", ", ": ")]))
        text = _spaced(text, rng) if rng.random() < 0.5 else text
        assert both_readers_agree(text), text


@pytest.mark.parametrize("text", [
    '{"a": 1, "a": 2}',  # a name written twice: jsonpos's reader keeps one (which, by reader) and records it
    '[{"x": [1, {"b": 1, "b": 1}]}]',
    '{"a": NaN}', '[Infinity]', '[-Infinity]',  # Python's decoder takes these; JSON does not
    "[" * (jsonpos.MAX_DEPTH + 1) + "]" * (jsonpos.MAX_DEPTH + 1),  # deeper than jsonpos allows: its error
    "[" * 50_000 + "]" * 50_000,  # deeper than the C decoder goes
    "[" + "9" * 5000 + "]",  # int() refuses it; jsonpos reads it as JSON.parse does (inf)
    '{"a": 1,}', "[1 2]", '{"a" 1}', "", "  ", "// note\n{}", "{'a': 1}", '{"a": "\x01"}', '["a\\x"]', "[1]x",
])
def test_what_only_jsonpos_reads_right_is_handed_back(text):
    assert jsonfast.parse(text) is None


def test_deepest_nesting_jsonpos_allows_is_read_fast():
    depth = jsonpos.MAX_DEPTH
    assert both_readers_agree("[" * depth + "]" * depth)
    assert both_readers_agree('{"a":' * depth + "1" + "}" * depth)


def _document(source):
    """What `check` gets from an import: the menu (with every place), the notes, the duplicates; or the error."""
    try:
        doc = read_any(str(source))
    except InputError as exc:
        return str(exc)
    return (repr(doc.menu), [repr(note) for note in doc.notes], repr(doc.duplicates), repr(doc.comments))


@pytest.mark.parametrize("source", [ROOT / "menus" / "platforms" / "connect", ROOT / "tests" / "fixtures" / "connect" / "line",
                                    ROOT / "menus" / "platforms" / "twilio", ROOT / "menus" / "bad" / "platforms" / "connect",
                                    ROOT / "menus" / "bad" / "platforms" / "twilio"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_bundled_flows_import_the_same_through_the_fast_reader(source, monkeypatch):
    if not source.is_dir():
        pytest.skip(f"{source} is not in the tree")
    slow = _document(source)
    for module in ("ivrlint.importers.connect.flows", "ivrlint.importers.twilio.jsontext"):
        monkeypatch.setattr(f"{module}.FAST_CHARS", 0)
    assert _document(source) == slow
