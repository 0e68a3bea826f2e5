"""An Archy flow file read safely: its YAML node tree, comments, keys written twice.

The file goes through the YAML menus' own reader (ivrlint/menu/yamlsource.py):
at most 64 MiB, UTF-8, nesting bounded, aliases kept shared and never
expanded, every node with its line and column. On top of that this module

* finds the flow: the one top-level key naming a flow type
  (``inboundCall:``, ``inqueueCall:``, ``workflow:``...);
* scans the whole tree once for keys written twice in one mapping (the
  ``duplicate-key`` rule reports them; the first one is read, as the YAML
  menus' loader does) and notes each node's parent, for the ``..`` of
  Archy's relative references;
* turns the file's ``#`` comments into Comment records, so that
  ``# ivrlint: disable=RULE`` works in a flow as in a YAML menu.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ivrlint.errors import InputError
from ivrlint.importers.textfile import decode_utf8, read_capped
from ivrlint.location import Location
from ivrlint.menu import yamlsource
from ivrlint.menu.document import Comment, Duplicate

#: Archy's flow types, as the top-level key of a flow file.
FLOW_TYPES = (
    "inboundCall", "inboundEmail", "inboundShortMessage", "inboundChat", "inqueueCall", "inQueueCall",
    "inqueueEmail", "inqueueShortMessage", "outboundCall", "secureCall", "surveyInvite", "voicemail",
    "voiceSurvey", "workflow", "workitem", "bot", "botFlow", "digitalBot", "commonModule",
)
#: The flow type whose menus callers meet, and the one this importer reads.
CALL_FLOW = "inboundCall"
_PLACEHOLDER = re.compile(r"\{\{[^{}\n]*\}\}")


@dataclass
class ArchyFile:
    """One flow file: its text, the flow's type and mapping, and what the scan found."""

    path: str
    text: str
    kind: str  # the flow type, e.g. "inboundCall"
    key: Node  # the top-level key naming the flow type
    flow: Node  # the flow's mapping
    count: int  # nodes in the YAML tree (the reading budget is charged against it)
    duplicates: list[Duplicate] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    root: Node | None = None  # the document
    _parents: dict[int, Node] | None = field(default=None, repr=False)

    def loc(self, node: Node) -> Location:
        return yamlsource.location(self.path, node)

    @property
    def parents(self) -> dict[int, Node]:
        """id of a node -> the collection it is in (the first met, with aliases); worked out when a
        reference first goes up ('..'), which few flows do."""
        if self._parents is None:
            self._parents = _parents(self.root) if self.root is not None else {}
        return self._parents


def read_file(path: str) -> ArchyFile:
    """The flow in the file at `path`; InputError (one line, with its place) when it is no Archy flow."""
    data = read_capped(path, "Archy flows are far smaller")
    text = decode_utf8(data, path, "Archy reads flows as UTF-8, so save the file as UTF-8")
    root, count = _compose(text, path)
    kind, key, flow = _flow_of(root, path)
    found = ArchyFile(path, text, kind, key, flow, count, root=root)
    _scan(found, root)
    found.comments = comments(text, path)
    return found


def _compose(text: str, path: str) -> tuple[Node, int]:
    try:
        root, count = yamlsource.compose(text, path)
    except InputError as exc:
        raise _with_template_hint(exc, text) from None
    if root is None:
        raise InputError.at(Location(path, 1, 1), "the file is empty; an Archy flow starts with "
                            "'inboundCall:' and its name, startUpRef and menus", path)
    return root, count


def _with_template_hint(exc: InputError, text: str) -> InputError:
    """The YAML error, saying so when the line holds a '{{placeholder}}' of a template (terraform's templatefile)."""
    loc, message = exc.problems[0]
    lines = text.splitlines()
    line = lines[loc.line - 1] if loc is not None and 0 < loc.line <= len(lines) else ""
    if not _PLACEHOLDER.search(line):
        return exc
    hint = ("; this line holds a template placeholder ({{...}}): this is a template, not a flow, so render it "
            "(terraform's templatefile does) and check the flow it gives")
    return InputError([(loc, message + hint)], exc.file)


def _flow_of(root: Node, path: str) -> tuple[str, Node, Node]:
    """(flow type, its key, its mapping) of the document."""
    start = Location(path, 1, 1)
    if not isinstance(root, MappingNode):
        raise InputError.at(yamlsource.location(path, root), "an Archy flow is a mapping that starts with "
                            f"'inboundCall:'; got {yamlsource.kind(root)}", path)
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value in FLOW_TYPES:
            if not isinstance(value, MappingNode):
                raise InputError.at(yamlsource.location(path, value), f"'{key.value}' must be a mapping with the flow's "
                                    f"name, startUpRef, menus and tasks; got {yamlsource.kind(value)}", path)
            return key.value, key, value
    raise InputError.at(start, f"not an Archy flow: no top-level key names a flow type ({CALL_FLOW}, "
                        "inqueueCall, ...)", path)


def _scan(found: ArchyFile, root: Node) -> None:
    """Keys written twice, over the whole tree (each node once, aliases included).

    How a message names the mapping a key is written in (``'choices' of menu 'Main'``) is put in words only
    for a key written twice: each mapping carries the makings of its name (`_Where`), not the words."""
    seen: set[int] = set()
    # a node, the mapping it is in (None: the document), the key naming it there ('' for none), its own key
    todo: list[tuple[Node, _Where | None, str, str]] = [(root, None, "", "")]
    while todo:
        node, above, named, key_name = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            todo.extend((item, above, named, "") for item in node.value)
        elif isinstance(node, MappingNode):
            here = _Where(node, above, named, key_name)
            firsts: dict[str, Node] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    name = key.value
                    todo.append((value, here, name, name))
                    if name in firsts:
                        found.duplicates.append(Duplicate(name, here.words(), found.loc(key), found.loc(firsts[name])))
                    else:
                        firsts[name] = key
                else:
                    todo.append((value, here, "", ""))
    found.duplicates.sort(key=lambda d: (d.loc.line, d.loc.column))


class _Where:
    """How messages name a mapping: the construct and its 'name', else where it is (see _named); in words once."""

    __slots__ = ("node", "above", "named", "key_name", "_words")

    def __init__(self, node: MappingNode, above: _Where | None, named: str, key_name: str):
        self.node, self.above, self.named, self.key_name, self._words = node, above, named, key_name, ""

    def words(self) -> str:
        if not self._words:
            around = "the flow file" if self.above is None else self.above.words()
            self._words = _named(self.node, f"'{self.named}' of {around}" if self.named else around, self.key_name)
        return self._words


def _parents(root: Node) -> dict[int, Node]:
    """id of each node -> the collection it was first met in, walking the tree as _scan does."""
    seen: set[int] = set()
    parents: dict[int, Node] = {}
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            children = list(node.value)
        elif isinstance(node, MappingNode):
            children = [value for _, value in node.value]
        else:
            continue
        for child in children:
            parents.setdefault(id(child), node)
        todo.extend(children)
    return parents


def _named(node: MappingNode, where: str, key_name: str) -> str:
    """How a message names a mapping: as the construct it is and its 'name' (``menuDisconnect 'Bye'``)
    when it has one, else as where it is."""
    for key, value in node.value:
        if isinstance(key, ScalarNode) and key.value == "name" and isinstance(value, ScalarNode) and value.value.strip():
            return f"{key_name} '{value.value.strip()}'" if key_name else f"'{value.value.strip()}'"
    return where


def comments(text: str, path: str) -> list[Comment]:
    """The '#' comments of the flow's text (not a '#' inside a quoted or plain value)."""
    if "#" not in text:
        return []
    return [Comment(path, line, column + 1, body[1:], target) for line, column, body, target in yamlsource.comments(text)]
