"""Archy references: ``startUpRef``, ``targetMenuRef``, ``targetTaskRef``, ``defaultChildMenuRef``.

A reference is a path through the flow's YAML (developer.genesys.cloud, Archy
flow authoring, lessons 4A and 4B):

* absolute, from the flow's root: ``/inboundCall/menus/menu[Main Menu_10]``;
* relative, from the object that writes it: ``./choices/menuDisconnect[bye]``
  (``.`` is that object, ``..`` one level up: ``./menus/menu[mainMenu]`` in
  ``startUpRef`` starts at the flow).

A property is ``/name``; an item of a list is ``/type[id]``, the item whose
``refId`` is ``id`` (the importer also takes the item whose ``name`` is).
"""

from __future__ import annotations

import re

from yaml.nodes import MappingNode, Node, SequenceNode

from ivrlint.importers.genesys.values import Reader, text

_SEGMENT = re.compile(r"(?:[^/\[]|\[[^\]]*\])+")
_ITEM = re.compile(r"^([A-Za-z_]\w*)\[(.*)\]$")


def resolve(reader: Reader, holder: Node, ref: str) -> Node | None:
    """The mapping `ref` names, read from the mapping `holder` that writes it; None when it names nothing."""
    ref = ref.strip()
    source = reader.source
    at: Node | None = holder
    if ref.startswith("/"):
        segments = _SEGMENT.findall(ref)
        if not segments or segments[0] != source.kind:
            return None
        at, segments = source.flow, segments[1:]
    else:
        segments = _SEGMENT.findall(ref)
    for segment in segments:
        if at is None:
            return None
        at = _step(reader, at, segment.strip())
    return at if isinstance(at, MappingNode) else None


def _step(reader: Reader, at: Node, segment: str) -> Node | None:
    if segment == ".":
        return at
    if segment == "..":
        return _up(reader, at)
    item = _ITEM.match(segment)
    if item is not None:
        return _item(reader, at, item.group(1), item.group(2).strip())
    if not isinstance(at, MappingNode):
        return None
    found = reader.fields(at, "a referenced object").get(segment)
    return found[1] if found else None


def _up(reader: Reader, at: Node) -> Node | None:
    """One level up: an item's list (past the one-key mapping that holds it), a value's mapping."""
    parents = reader.source.parents
    parent = parents.get(id(at))
    if isinstance(parent, MappingNode) and len(parent.value) == 1 and isinstance(parents.get(id(parent)), SequenceNode):
        return parents[id(parent)]
    return parent


def _item(reader: Reader, at: Node, construct: str, wanted: str) -> Node | None:
    """The item `construct[wanted]` of the list `at`: by refId, else by name."""
    if not isinstance(at, SequenceNode):
        return None
    index = _index(reader, at)
    return index.get((construct, "refId", wanted)) or index.get((construct, "name", wanted))


def _index(reader: Reader, at: SequenceNode) -> dict[tuple[str, str, str], Node]:
    """(construct, "refId" or "name", value) -> item, for the items of one list (made once per list)."""
    cache = reader.cache.setdefault("refs", {})
    if id(at) not in cache:
        index: dict[tuple[str, str, str], Node] = {}
        for item in at.value:
            reader.charge(item)
            if not isinstance(item, MappingNode) or len(item.value) != 1 or not isinstance(item.value[0][1], MappingNode):
                continue
            key, body = item.value[0]
            fields = reader.fields(body, f"'{getattr(key, 'value', '')}'")
            for by in ("refId", "name"):
                if by in fields:
                    index.setdefault((getattr(key, "value", ""), by, text(fields[by][1])), body)
        cache[id(at)] = index
    return cache[id(at)]
