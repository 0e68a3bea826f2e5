"""Asterisk dialplan importer: ``extensions.conf`` and the files it includes.

The layers, each in its own module:

* source.py reads files, ``#include``s and comments into lines;
* sections.py reads them into ``[sections]`` of ``name => value`` entries (config.c);
* syntax.py and dialplan.py parse those into contexts, extensions and steps (pbx_config.c);
* positions.py looks extensions, variables and Goto targets up;
* flow.py follows a call to the steps that become nodes; nodes.py,
  menus.py and handlers.py build those nodes; freepbx.py reads FreePBX's
  standard destinations; start.py chooses where calls begin;
* phrases.py words fix hints as dialplan lines.

What the importer reports goes to the document's notes: what Asterisk
itself skips or refuses while loading (I403 platform-warning, read the way
Asterisk reads it, so the rest is still linted), steps Asterisk loads but
cannot run (I402 broken-entry) and steps not modelled (I401 opaque-step).
A menu context nothing leads to is built for `unreachable` to report once
(its extensions are parts of it: AsteriskPhrases.part_of). Only a
file that cannot be read as text (binary, over the size limit) is an
InputError. ``;`` comments become the document's comments, where
``; ivrlint: disable=RULE`` suppressions are read.
"""

from __future__ import annotations

import os
import re

from ivrlint.errors import InputError
from ivrlint.importers.asterisk.apps import RETURNS
from ivrlint.importers.asterisk.dialplan import OPAQUE, WARNING, Context, parse
from ivrlint.importers.asterisk.flow import Flow
from ivrlint.importers.asterisk.nodes import build_all
from ivrlint.importers.asterisk.phrases import AsteriskPhrases, Place, parts_of
from ivrlint.importers.asterisk.positions import Plan, Pos
from ivrlint.importers.asterisk.source import Reader
from ivrlint.importers.asterisk.start import choose_start, linked, references
from ivrlint.importers.importer import Importer
from ivrlint.location import Location
from ivrlint.menu.document import Document, Note
from ivrlint.menu.model import DEFAULT_RETRIES, DEFAULT_TIMEOUT, Menu

#: The file Asterisk's pbx_config loads; a directory holding it is read as Asterisk reads it: from it.
MAIN_FILE = "extensions.conf"

_EXTEN = re.compile(rb"^[ \t]*exten[ \t]*=>?[ \t]*[^,\r\n;]+,[^,\r\n;]+,", re.M)
_SAME = re.compile(rb"^[ \t]*same[ \t]*=>?[ \t]*[^,\r\n;]+,", re.M)
_CONTEXT = re.compile(rb"^[ \t]*\[[^\]\r\n]+\]", re.M)
_INCLUDE = re.compile(rb"^[ \t]*#(try)?include\b", re.M)
_ANY_ENTRY = re.compile(rb"^[ \t]*(exten|same)[ \t]*=", re.M)


def sniff(path: str, head: bytes) -> bool:
    """An Asterisk dialplan: `exten =>` lines, or `[context]` with `same =>`, or an extensions*.conf
    that includes other files or has `exten =>` lines written wrong (they are reported, not refused)."""
    if _EXTEN.search(head) or (_SAME.search(head) and _CONTEXT.search(head)):
        return True
    return os.path.basename(path).startswith("extensions") and bool(_INCLUDE.search(head) or _ANY_ENTRY.search(head))


def read(paths: list[str]) -> Document:
    """The phone line in `paths`: the files no other given file includes are read, in order, as one dialplan;
    when extensions.conf is among them, only it (and what it includes), as Asterisk loads it."""
    config_dir = os.path.dirname(paths[0])
    texts: dict[str, str] = {}
    lines, included, readers = {}, {}, {}
    for path in paths:
        reader = readers[path] = Reader(config_dir, tuple(paths))
        reader.texts = texts
        lines[path] = list(reader.lines(path))
        included[path] = {os.path.realpath(f) for f in reader.files[1:]}
    roots = [p for p in paths if not any(os.path.realpath(p) in included[q] for q in paths if q != p)] or paths[:1]
    main = next((p for p in roots if os.path.basename(p) == MAIN_FILE), None)
    unloaded = [p for p in roots if main is not None and p != main]
    roots = [main] if main is not None else roots
    plan = Plan(parse(line for root in roots for line in lines[root]))
    if not plan.contexts:
        raise InputError.at(Location(roots[0], 1, 1), "no [context] with dialplan lines; an Asterisk dialplan has "
                                                      "[context] sections with exten => lines", roots[0])
    read_notes = [note for root in roots for note in readers[root].notes]
    read_notes += [Note(WARNING, f"Asterisk does not load {os.path.basename(path)}: it loads {MAIN_FILE} and what that "
                                 f"#includes, and {MAIN_FILE} here does not include it; not linted (#include it, or lint it "
                                 "in a directory of its own)", Location(path, 1, 1), None, "info") for path in unloaded]
    for directive in (d for root in roots for d in readers[root].skipped):
        read_notes.append(Note(OPAQUE, f"#exec {directive.argument} is not run by the importer; what it would add is not "
                                       "in the menu", directive.loc))
    flow = Flow(plan)
    links = references(plan)
    start, start_context = choose_start(flow, links)
    build_all(flow)  # what calls reach, in the order they reach it
    _unreached_menus(flow, links, start_context)
    nodes = dict(sorted(flow.nodes.items(), key=lambda item: item[0] != start))
    for node in nodes.values():
        if node.type not in ("menu",):
            node.timeout = DEFAULT_TIMEOUT if node.timeout is None else node.timeout
            node.retries = DEFAULT_RETRIES if node.retries is None else node.retries
    root = roots[0]
    start_loc = plan.contexts[start_context].loc if start_context else None
    menu = Menu(
        ivr=_line_name(root), start=start, nodes=nodes, file=root, queues=flow.queues,
        loc=Location(root, 1, 1), locs={"start": start_loc} if start_loc else {},
    )
    notes = list(dict.fromkeys(read_notes + plan.dialplan.notes))  # a template's lines are read once per context using it
    comments = [comment for root in roots for comment in readers[root].comments]
    places = _places(flow)
    inside = {name: [ctx.name for ctx in plan.search_order(name)[1:]] for name in flow.menu_contexts}
    phrases = AsteriskPhrases(places, flow.menu_places, parts_of(places, flow.menu_places, inside))
    return Document(menu, notes=notes, comments=comments, phrases=phrases)


def _unreached_menus(flow: Flow, links: dict[str, set[str]], start_context: str | None) -> None:
    """Build the menu contexts nothing leads to, for `unreachable` to report (once each: their
    extensions are parts of them, see AsteriskPhrases.part_of) and the other rules to lint.

    A context that another one names (an include, a Goto or a Gosub, followed or not) is not
    one: the dialplan leads there, from the caller's way in or from another way in (phones
    enter [from-internal]) that the files do not show, so it is neither built nor reported.
    Nor is a subroutine (``macro-NAME``, or a context that returns): it is called, not entered.
    """
    named = {target for source, targets in links.items() for target in targets if target != source}
    reached = linked(links, flow.visited | ({start_context} if start_context else set())) | named
    plan = flow.plan
    for name, context in plan.contexts.items():
        if name in flow.menu_contexts and name not in reached and not _subroutine(context):
            entry = "s" if plan.find(name, "s") else next(iter(context.extensions), None)
            found = plan.find(name, entry) if entry is not None else None
            if entry is not None and found is not None and 1 in found[1].steps:
                flow.enter(Pos(name, entry, 1), context.loc)
    build_all(flow)


def _subroutine(context: Context) -> bool:
    """Is `context` called (Macro, Gosub) rather than entered: ``macro-NAME``, or one that returns?"""
    return context.name.startswith("macro-") or any(
        step.call.name in RETURNS for extension in context.extensions.values() for step in extension.steps.values())


def _places(flow: Flow) -> dict[str, Place]:
    """Where each node is written, by node id, for fix hints (phrases.py)."""
    out = dict(flow.added_places)
    for key, node_id in flow._ids.items():
        kind = key[0]
        if kind == "mapped":
            _, context, exten, destination = key
            out[node_id] = Place(context, exten, "1", what=destination.label)
        elif kind == "end":
            _, context, exten = key
            out[node_id] = Place(context, exten, what=f"the end of extension {exten} of [{context}]", ends=True)
        else:  # a step, or a loop or a computed GotoIf at one
            pos = key[1]
            step = flow.plan.step(pos)
            node = flow.nodes.get(node_id)
            if node is not None and node.type != "menu" and node_id == pos.context:
                out[node_id] = Place(pos.context)  # a context with one way in, named after it
            elif flow.resolve(Pos(pos.context, pos.exten, 1)).key == key:
                out[node_id] = Place(pos.context, pos.exten, "1")
            else:
                out[node_id] = Place(pos.context, pos.exten, step.label if step is not None and step.label else str(pos.priority))
    return out


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
