"""The nodes of one phone line as they are made from its flows, and what reading found.

Node ids are built from the names the flow gives (``Main Menu``, ``Main
Menu/Sales``, ``Startup Task/Play Audio``), never from ``refId``s, which
Architect renumbers on export: two exports of the same flow give the same
ids, so ``compare`` sees only what changed for callers. Each id is also
remembered with the words a finding names it by (``menuTransferToAcd
'Sales' of menu 'Main Menu'``), which the Phrases give the rules.

A jump to a task is a target whose node is not known until the task is
built (its first action may itself be a jump): it is written as a
placeholder and filled in once every reached menu and task is built.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from ivrlint.location import Location
from ivrlint.menu.document import Comment, Duplicate, Note
from ivrlint.menu.model import Node, Queue

_PLACEHOLDER = "\0target:"


class Line:
    """Nodes, ids and notes shared by the flows of one phone line."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.words: dict[str, str] = {}  # node id -> how a finding names it
        self.constructs: dict[str, tuple[str, str]] = {}  # node id -> (choice that leads there, what it names)
        self.parts: dict[str, str] = {}  # node id -> the menu whose choice it was made from (Phrases.part_of)
        self.queues: dict[str, Queue] = {}
        self.notes: list[Note] = []
        self.duplicates: list[Duplicate] = []
        self.comments: list[Comment] = []
        self.flows: dict[str, object] = {}  # flow name -> the FlowBuild of that flow (transferToFlow goes there)
        self._reserved: set[str] = set()
        self._pending: dict[str, Callable[[], str]] = {}
        self._resolved: dict[str, str] = {}
        self.todo: deque[Callable[[], None]] = deque()

    def forget_pending(self) -> None:
        """Drop what would resolve ids still to be resolved (once the menu is built, none are)."""
        self._pending.clear()
        self.todo.clear()

    # -- ids ---------------------------------------------------------------
    def unique(self, wanted: str) -> str:
        """`wanted`, or `wanted (2)`, `wanted (3)`... when the id is taken."""
        wanted = " ".join(wanted.split()) or "unnamed"
        name, n = wanted, 2
        while name in self.nodes or name in self._reserved:
            name, n = f"{wanted} ({n})", n + 1
        return name

    def reserve(self, wanted: str, words: str) -> str:
        """An id kept for a node made later (a menu is named before it is built)."""
        found = self.unique(wanted)
        self._reserved.add(found)
        self.words[found] = words
        return found

    def add(self, node: Node, wanted: str, words: str, reserved: bool = False, part_of: str | None = None) -> str:
        """Add `node` under `wanted` (made unique unless it was reserved for it); its id.
        `part_of` is the menu whose choice the node was made from."""
        node.id = wanted if reserved else self.unique(wanted)
        self._reserved.discard(node.id)
        self.nodes[node.id] = node
        self.words[node.id] = words
        if part_of is not None:
            self.parts[node.id] = part_of
        return node.id

    def note(self, rule: str, message: str, loc: Location, node_id: str | None = None, severity: str | None = None) -> None:
        self.notes.append(Note(rule, message, loc, node_id, severity))

    # -- targets known later -------------------------------------------------
    def later(self, resolve: Callable[[], str]) -> str:
        """A placeholder target, replaced by what `resolve()` gives once everything is built."""
        token = f"{_PLACEHOLDER}{len(self._pending)}"
        self._pending[token] = resolve
        return token

    def finish(self, stuck: Callable[[], str]) -> None:
        """Build everything waiting, then put real ids where placeholders stand.
        `stuck()` makes the node for a circle of jumps that reaches no node at all."""
        while self.todo:
            self.todo.popleft()()
        for node in self.nodes.values():
            for field in ("next", "on_failure", "on_no_input", "on_invalid"):
                value = getattr(node, field)
                if value is not None and value.startswith(_PLACEHOLDER):
                    setattr(node, field, self.resolve(value, stuck))
            for option in node.options.values():
                if option.goto is not None and option.goto.startswith(_PLACEHOLDER):
                    option.goto = self.resolve(option.goto, stuck)
            for branch in node.branches:
                if branch.goto.startswith(_PLACEHOLDER):
                    branch.goto = self.resolve(branch.goto, stuck)

    def resolve(self, target: str, stuck: Callable[[], str]) -> str:
        """The node a target stands for, following placeholders (a circle of them: `stuck()`)."""
        seen = []
        while target.startswith(_PLACEHOLDER):
            if target in self._resolved:
                target = self._resolved[target]
                continue
            if target in seen:
                target = stuck()
                break
            seen.append(target)
            target = self._pending[target]()
        for token in seen:
            self._resolved[token] = target
        return target


def is_placeholder(target: str) -> bool:
    return target.startswith(_PLACEHOLDER)
