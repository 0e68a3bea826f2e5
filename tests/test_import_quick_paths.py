"""The quick ways the importers read common input (issue 16) give what the general ways give.

* Asterisk: an extension lookup through the per-context index, remembered
  per place, finds what the search through every extension of every
  context found; a step ``App(a,b,c)`` with nothing that nests, quotes or
  escapes is split as the character-by-character scan splits it.
* FreeSWITCH: the attributes of a start tag read in one pass are placed
  where one search per attribute placed them.
* Genesys: the parents of nodes, worked out when a reference first goes
  up, are those the scan used to record; keys written twice are named as
  before.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from conftest import ROOT
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ivrlint.importers.asterisk import syntax
from ivrlint.importers.asterisk.dialplan import parse
from ivrlint.importers.asterisk.positions import Plan, _breadth, pattern_matches
from ivrlint.importers.asterisk.source import Line, Reader
from ivrlint.importers.freeswitch.xmlfiles import _Positions
from ivrlint.importers.genesys import source as genesys_source

DIALPLANS = sorted({*ROOT.glob("tests/**/*.conf"), *ROOT.glob("menus/**/*.conf")})
XML_FILES = sorted({*ROOT.glob("tests/**/*.xml"), *ROOT.glob("menus/**/*.xml")})
ARCHY_FILES = sorted(p for p in {*ROOT.glob("tests/**/*.yaml"), *ROOT.glob("menus/**/*.yaml")} if "genesys" in str(p))


def _ids(path: Path) -> str:
    return str(path.relative_to(ROOT))


# -- Asterisk lookups -------------------------------------------------------------------------------
def _search_every_extension(plan: Plan, context: str, exten: str):
    """The lookup as it was: each context of the search order, each of its extensions in turn."""
    wanted = exten.replace("-", "") if not exten.startswith("_") else exten
    candidates = []
    for ctx in plan.search_order(context):
        if exten in ctx.extensions:
            return ctx, ctx.extensions[exten]
        for name, extension in ctx.extensions.items():
            if name == exten or (not name.startswith("_") and name.replace("-", "") == wanted):
                return ctx, extension
            if name.startswith("_") and not exten.startswith("_") and pattern_matches(name, exten):
                candidates.append((ctx, extension))
    return min(candidates, key=lambda found: _breadth(found[1].name)) if candidates else None


def _plan(text: str, path: str = "extensions.conf") -> Plan:
    lines = [Line(raw, "", path, number) for number, raw in enumerate(text.splitlines(), start=1) if raw.strip()]
    return Plan(parse(lines))


_TRICKY = """\
[main]
exten => s,1,Background(menu)
exten => 1-0-0,1,Playback(a)
exten => 100,1,Playback(b)
exten => _1XX,1,Playback(c)
exten => _1X.,1,Playback(d)
exten => -_1X,1,Playback(e)
exten => _[2-4]!,1,Playback(f)
include => more
include => missing

[more]
exten => 2-00,1,Playback(g)
exten => _2XX,1,Playback(h)
exten => _X.,1,Playback(i)
exten => i,1,Playback(j)
include => main
"""


def _lookups(plan: Plan) -> list[tuple[str, str]]:
    names = [name for ctx in plan.contexts.values() for name in ctx.extensions]
    dialled = ["s", "i", "t", "1", "100", "1-0-0", "10-0", "150", "1500", "2", "200", "2-00", "299", "3", "39", "_1X", "_1XX",
               "_2XX", "9", "", "-", "--", "h"]
    return [(context, exten) for context in [*plan.contexts, "nowhere"] for exten in [*names, *dialled]]


@pytest.mark.parametrize("path", DIALPLANS, ids=_ids)
def test_asterisk_lookups_find_what_the_search_through_every_extension_found(path):
    reader = Reader(str(path.parent), (str(path),))
    plan = Plan(parse(list(reader.lines(str(path)))))
    for context, exten in _lookups(plan):
        assert plan.find(context, exten) == _search_every_extension(plan, context, exten), (context, exten)
        assert plan.find(context, exten) == _search_every_extension(plan, context, exten)  # remembered: the same again


def test_asterisk_lookups_among_dashes_patterns_and_includes():
    plan = _plan(_TRICKY)
    for context, exten in _lookups(plan):
        assert plan.find(context, exten) == _search_every_extension(plan, context, exten), (context, exten)
    assert plan.find("main", "1-0-0")[1].name == "1-0-0" and plan.find("main", "10-0")[1].name == "1-0-0"
    assert plan.find("main", "_1X")[1].name == "-_1X"  # a name that is a pattern once its dashes are gone
    assert plan.find("main", "150")[1].name == "_1XX" and plan.find("main", "299")[1].name == "_2XX"


# -- Asterisk steps ---------------------------------------------------------------------------------
def _step_texts() -> list[str]:
    found = [line for path in DIALPLANS for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    rng = random.Random(16)
    pieces = ["Set", "Goto", "Queue", "(", ")", ",", " ", "a", "1", "${X}", "$[1+1]", '"', "\\;", "\\", "?", ":", "[", "]",
              "{", "}", "\t", "é"]
    found += ["exten => 1,1," + "".join(rng.choice(pieces) for _ in range(rng.randrange(12))) for _ in range(3000)]
    found += ["exten => 1,1,App()", "exten => 1,1,App( )", "exten => 1,1,App(,)", "exten => 1,1,App( a , b ,c )",
              "exten => 1,1,App(a,,b) ; note", "exten => 1,1,App(a)x", "exten => 1,1,App(a)  ", "exten => 1,1,App(a,b"]
    return found


def test_a_plain_step_is_split_as_the_full_scan_splits_it(monkeypatch):
    texts = _step_texts()
    lines = [Line(text, "", "extensions.conf", number) for number, text in enumerate(texts, start=1)]
    starts = [text.find(",", text.find(",") + 1) + 1 if text.count(",") >= 2 else 0 for text in texts]

    def calls() -> list:
        out = []
        for line, start in zip(lines, starts, strict=True):
            said: list = []
            out.append((syntax.parse_call(line, start, warn=lambda loc, message, said=said: said.append((loc, message))), said))
        return out

    quick = calls()
    monkeypatch.setattr(syntax, "_PLAIN_DATA", re.compile(r"(?!)"))  # every step through the full scan
    assert calls() == quick


# -- FreeSWITCH attributes --------------------------------------------------------------------------
_START_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*/?>")
_NAME = re.compile(rb"([^\s=/>]+)\s*=\s*(?:\"[^\"]*\"|'[^']*')")


@pytest.mark.parametrize("path", XML_FILES, ids=_ids)
def test_freeswitch_attributes_are_placed_as_one_search_per_attribute_placed_them(path):
    data = path.read_bytes()
    where = _Positions(str(path), data)
    tags = 0
    for tag in _START_TAG.finditer(data):
        names = [m.group(1).decode() for m in _NAME.finditer(tag.group(2))]
        assert where.attribute_locs(tag.start(), names) == where._searched(tag.start(), names)
        tags += bool(names)
    assert tags


def test_freeswitch_attributes_with_quotes_blanks_and_lookalikes_inside_values():
    data = ("<include>\n<menu name='a name=\"x\"' greet-long=\"say: it's\"\n   timeout = '5' name2=\"y\"\n"
            "  é=\"ü\" x:name=\"z\">\n<entry action=\"menu-top\" digits=\"9\"/></menu></include>\n").encode()
    where = _Positions("f.xml", data)
    for names, at in ((["name", "greet-long", "timeout", "name2", "é", "x:name"], 10), (["action", "digits"], data.index(b"<entry"))):
        assert where.attribute_locs(at, names) == where._searched(at, names)
        assert len(where.attribute_locs(at, names)) == len(names)


# -- Genesys ----------------------------------------------------------------------------------------
def _scanned_as_before(found) -> tuple[dict[int, object], list]:
    """The parents and repeated keys as the scan used to find them: every node's words worked out on the way."""
    seen: set[int] = set()
    parents: dict[int, object] = {}
    duplicates = []
    todo = [(found.root, "the flow file", "")]
    while todo:
        node, where, key_name = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            for item in node.value:
                parents.setdefault(id(item), node)
                todo.append((item, where, ""))
        elif isinstance(node, MappingNode):
            where = genesys_source._named(node, where, key_name)
            firsts: dict = {}
            for key, value in node.value:
                parents.setdefault(id(value), node)
                name = key.value if isinstance(key, ScalarNode) else ""
                todo.append((value, f"'{name}' of {where}" if name else where, name))
                if isinstance(key, ScalarNode):
                    if key.value in firsts:
                        duplicates.append((key.value, where, found.loc(key), found.loc(firsts[key.value])))
                    else:
                        firsts[key.value] = key
    duplicates.sort(key=lambda d: (d[2].line, d[2].column))
    return parents, duplicates


_ALIASED = """\
inboundCall:
  name: Aliased
  startUpRef: ./menus/menu[main]
  defaultLanguage: en-us
  menus:
    - menu: &shared
        name: Main
        refId: main
        audio:
          tts: Press 1.
        choices:
          - menuTransferToAcd:
              name: One
              dtmf: digit_1
              queue:
                lit:
                  name: Support
              name: One again
    - menu: *shared
    - menu:
        name: Other
        refId: other
        audio: {tts: Press 2., tts: again}
"""


@pytest.mark.parametrize("path", [*ARCHY_FILES, None], ids=lambda p: "aliased" if p is None else _ids(p))
def test_genesys_parents_and_repeated_keys_are_found_as_the_scan_found_them(path, tmp_path):
    if path is None:
        path = tmp_path / "aliased.yaml"
        path.write_text(_ALIASED, encoding="utf-8")
    found = genesys_source.read_file(str(path))
    parents, duplicates = _scanned_as_before(found)
    assert found.parents == parents
    assert [(d.key, d.where, d.loc, d.first) for d in found.duplicates] == duplicates
    if path.name == "aliased.yaml":
        assert [(d.key, d.where) for d in found.duplicates] == [
            ("name", "menuTransferToAcd 'One'"), ("tts", "'audio' of menu 'Other'")]
