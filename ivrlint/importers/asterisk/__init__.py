"""Asterisk dialplan importer: ``extensions.conf`` and the files it includes.

The layers, each in its own module:

* source.py reads files, ``#include``s and comments into lines;
* syntax.py and dialplan.py parse them into contexts, extensions and steps;
* positions.py looks extensions, variables and Goto targets up;
* flow.py follows a call to the steps that become nodes; nodes.py,
  menus.py and handlers.py build those nodes; freepbx.py reads FreePBX's
  standard destinations; start.py chooses where calls begin.

What the importer reports (I401 opaque-step, I402 broken-entry) goes to
the document's notes; malformed dialplan is an InputError with file:line:col.
"""

from __future__ import annotations

import os
import re

from ivrlint.errors import InputError
from ivrlint.importers.asterisk.dialplan import OPAQUE, parse
from ivrlint.importers.asterisk.flow import Flow
from ivrlint.importers.asterisk.nodes import build_all
from ivrlint.importers.asterisk.positions import Plan, Pos
from ivrlint.importers.asterisk.source import Reader
from ivrlint.importers.asterisk.start import choose_start
from ivrlint.importers.importer import Importer
from ivrlint.location import Location
from ivrlint.menu.document import Document
from ivrlint.menu.model import DEFAULT_RETRIES, DEFAULT_TIMEOUT, Menu

_EXTEN = re.compile(rb"^[ \t]*exten[ \t]*=>?[ \t]*[^,\r\n;]+,[^,\r\n;]+,", re.M)
_SAME = re.compile(rb"^[ \t]*same[ \t]*=>?[ \t]*[^,\r\n;]+,", re.M)
_CONTEXT = re.compile(rb"^[ \t]*\[[^\]\r\n]+\]", re.M)
_INCLUDE = re.compile(rb"^[ \t]*#(try)?include\b", re.M)


def sniff(path: str, head: bytes) -> bool:
    """An Asterisk dialplan: `exten =>` lines, or `[context]` with `same =>`, or
    an extensions*.conf that only includes other files."""
    if _EXTEN.search(head) or (_SAME.search(head) and _CONTEXT.search(head)):
        return True
    return os.path.basename(path).startswith("extensions") and bool(_INCLUDE.search(head))


def read(paths: list[str]) -> Document:
    """The phone line in `paths`: the files no other given file includes are read, in order, as one dialplan."""
    config_dir = os.path.dirname(paths[0])
    texts: dict[str, str] = {}
    lines, included, skipped = {}, {}, []
    for path in paths:
        reader = Reader(config_dir)
        reader.texts = texts
        lines[path] = list(reader.lines(path))
        included[path] = {os.path.realpath(f) for f in reader.files[1:]}
        skipped.extend(reader.skipped)
    roots = [p for p in paths if not any(os.path.realpath(p) in included[q] for q in paths if q != p)] or paths[:1]
    plan = Plan(parse(line for root in roots for line in lines[root]))
    if not plan.contexts:
        raise InputError.at(Location(roots[0], 1, 1), "no [context] with dialplan lines; an Asterisk dialplan has "
                                                      "[context] sections with exten => lines", roots[0])
    for directive in skipped:
        plan.dialplan.note(OPAQUE, f"#exec {directive.argument} is not run by the importer; what it would add is not in the menu",
                           directive.loc)
    flow = Flow(plan)
    start, start_loc = choose_start(flow)
    build_all(flow)  # what calls reach, in the order they reach it
    for name in plan.contexts:  # menus no call reaches still become nodes, for `unreachable` to report
        if name in flow.menu_contexts:
            entry = "s" if plan.find(name, "s") else next(iter(plan.contexts[name].extensions), None)
            found = plan.find(name, entry) if entry is not None else None
            if entry is not None and found is not None and 1 in found[1].steps:
                flow.enter(Pos(name, entry, 1), plan.contexts[name].loc)
    build_all(flow)
    nodes = dict(sorted(flow.nodes.items(), key=lambda item: item[0] != start))
    for node in nodes.values():
        if node.type not in ("menu",):
            node.timeout = DEFAULT_TIMEOUT if node.timeout is None else node.timeout
            node.retries = DEFAULT_RETRIES if node.retries is None else node.retries
    root = roots[0]
    menu = Menu(
        ivr=_line_name(root), start=start, nodes=nodes, file=root, queues=flow.queues,
        loc=Location(root, 1, 1), locs={"start": start_loc} if start_loc else {},
    )
    return Document(menu, notes=list(plan.dialplan.notes))


def _line_name(path: str) -> str:
    stem = os.path.splitext(os.path.basename(path))[0]
    if stem != "extensions":
        return stem
    return os.path.basename(os.path.dirname(os.path.abspath(path))) or "asterisk"


def includes(path: str) -> list[str]:
    """The files `path` #includes, directly or not (none when it cannot be read: loading reports why)."""
    reader = Reader(os.path.dirname(path))
    try:
        for _ in reader.lines(path):
            pass
    except InputError:
        pass
    return reader.files[1:]


IMPORTER = Importer("asterisk", "Asterisk dialplan", (".conf",), sniff, read, includes)
