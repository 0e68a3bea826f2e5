"""The flows of one phone line -> one Document: the menu, the notes, the comments, the phrases.

The first inboundCall flow is where calls enter (a file named on the command
line comes first; in a directory, the first by name). Another flow given
with it is part of the line when a ``transferToFlow`` names it; one that
nothing transfers to is reported once (``unreachable``) and not built. Flows
of other types (in-queue, outbound, bot, workflow) hold no menu a caller
dialling in meets: each is noted and skipped, and a line of nothing else is
an error.
"""

from __future__ import annotations

from collections.abc import Callable

from ivrlint.errors import InputError
from ivrlint.importers.genesys import actions, menus, start
from ivrlint.importers.genesys.flow import FlowBuild
from ivrlint.importers.genesys.line import Line
from ivrlint.importers.genesys.phrases import ArchyPhrases
from ivrlint.importers.genesys.source import CALL_FLOW, ArchyFile
from ivrlint.location import Location
from ivrlint.menu.document import Document
from ivrlint.menu.model import Defaults, Menu, Node

#: What builds each part of a flow, for FlowBuild (which imports none of these modules).
BUILDERS: dict[str, Callable] = {"index": menus.index_menus, "menu": menus.build_menu, "task": actions.build_task,
            "enter": start.enter, "error handling": start.error_handling}


def build(files: list[ArchyFile]) -> Document:
    line = Line()
    for found in files:
        line.duplicates.extend(found.duplicates)
        line.comments.extend(found.comments)
    calls = _call_flows(line, files)
    flows = [FlowBuild(line, found, BUILDERS, "" if n == 0 else f"{_flow_name(found)}: ") for n, found in enumerate(calls)]
    for flow in flows:
        line.flows.setdefault(flow.name, flow)
    entry = flows[0]
    begin = entry.enter()
    stuck = _stuck(line, entry)
    line.finish(stuck)
    begin = line.resolve(begin, stuck)
    _unreached(line, flows)
    menu = Menu(ivr=entry.name, start=begin, nodes=_in_file_order(line.nodes, begin, [f.path for f in files]),
                file=entry.source.path, language=entry.language, queues=line.queues, loc=entry.loc(entry.source.key),
                defaults=Defaults(entry.settings.timeout, entry.settings.plays - 1, locs=dict(entry.settings.locs)))
    if "startUpRef" in entry.fields:
        menu.locs["start"] = entry.loc(entry.fields["startUpRef"][1])
    document = Document(menu, line.duplicates, line.notes, comments=line.comments,
                        phrases=ArchyPhrases(line.words, line.constructs, line.parts, entry.name))
    # each flow refers to the line, which refers to the flows (and to what resolves ids in them): without these
    # loops of references broken, every flow's YAML tree would wait for the garbage collector, which imports pause
    line.flows.clear()
    line.forget_pending()
    return document


def _unreached(line: Line, flows: list[FlowBuild]) -> None:
    """Menus and tasks of the flows calls enter that nothing reaches; flows nothing transfers to."""
    for flow in flows:
        if flow.entered is not None:
            flow.unreached()
    for flow in flows[1:]:
        if flow.entered is None:
            line.note("unreachable", f"flow '{flow.name}' is never reached from flow '{flows[0].name}': no transferToFlow "
                      "names it. One directory holds one phone line: give each flow its own directory, or transfer to it",
                      flow.loc(flow.source.key))


def _in_file_order(nodes: dict[str, Node], start: str, paths: list[str]) -> dict[str, Node]:
    """The start node first, then every node in the order its construct is written in the files."""
    rank = {path: n for n, path in enumerate(paths)}

    def place(node: Node) -> tuple:
        loc = node.loc
        return (node.id != start, rank.get(loc.file, len(rank)), loc.line, loc.column) if loc else (True, len(rank), 0, 0)
    return {node.id: node for node in sorted(nodes.values(), key=place)}


def _call_flows(line: Line, files: list[ArchyFile]) -> list[ArchyFile]:
    """The inboundCall flows among `files`; each other flow is noted as not read (none at all: an error)."""
    calls = [found for found in files if found.kind == CALL_FLOW]
    if not calls:
        first = files[0]
        raise InputError.at(first.loc(first.key), f"an Archy {first.kind} flow, not an {CALL_FLOW} flow: ivrlint reads "
                            f"the menus callers meet in {CALL_FLOW} flows; leave this file out (the configuration's "
                            "'exclude' skips it in a directory)", first.path)
    for found in files:
        if found.kind != CALL_FLOW:
            line.note("opaque-step", f"an Archy {found.kind} flow: not read (ivrlint reads the menus of {CALL_FLOW} "
                      "flows)", found.loc(found.key))
    return calls


def _flow_name(found: ArchyFile) -> str:
    for key, value in found.flow.value:
        if getattr(key, "value", None) == "name" and isinstance(getattr(value, "value", None), str) and value.value.strip():
            return " ".join(value.value.split())
    return found.path


def _stuck(line: Line, entry: FlowBuild):
    """The node for a circle of jumps that plays nothing (made the first time one is met)."""
    made: list[str] = []

    def make() -> str:
        if not made:
            where = entry.loc(entry.source.key)
            node = Node("", "hangup", loc=where, label="a circle of jumps that runs no action")
            made.append(line.add(node, "circle of jumps", "a circle of jumpToTask and jumpToMenu with nothing in it"))
            line.note("broken-entry", "tasks jump to each other in a circle with no action in between: calls that "
                      "enter it never leave", Location(where.file, where.line, where.column), made[0])
        return made[0]
    return make
