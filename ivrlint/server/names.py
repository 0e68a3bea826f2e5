"""Where a menu names its nodes and pools: go to what a name means, and offer the names that fit.

A reference is a name written where a node or a pool is meant: an
option's target, ``next``, ``on_failure``/``on_no_input``/``on_invalid``,
a branch's ``goto``, a queue node's ``queue``, an intent's goals and
``served_by``. The model keeps where each is written, so the editor's
cursor is matched against those places, not against a guess at the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ivrlint.location import Location
from ivrlint.menu.model import Menu, Node

#: A node's fields that name another node.
NODE_FIELDS = ("next", "on_failure", "on_no_input", "on_invalid")


@dataclass(frozen=True)
class Reference:
    name: str
    kind: str  # "node" or "pool"
    loc: Location  # where the name is written


def references(menu: Menu) -> Iterator[Reference]:
    """Every name of a node or pool written in `menu`, with its place."""
    for node in menu.nodes.values():
        yield from _node_references(node)
    for intent in menu.traffic.intents.values() if menu.traffic else ():
        for goal, loc in intent.goals_where():
            if loc:
                yield Reference(goal, "node", loc)
        for pool, loc in intent.served_by_where():
            if loc:
                yield Reference(pool, "pool", loc)


def _node_references(node: Node) -> Iterator[Reference]:
    written = [(o.goto, "node", o.target_loc) for o in node.options.values()]
    written += [(getattr(node, name), "node", node.locs.get(name)) for name in NODE_FIELDS]
    written += [(b.goto, "node", b.loc) for b in node.branches]
    written.append((node.queue, "pool", node.locs.get("queue")))
    for name, kind, loc in written:
        if name and loc:
            yield Reference(name, kind, loc)


def _covers(ref: Reference, line: int, column: int) -> bool:
    """Is (1-based) `line`:`column` on the written name? A quoted name starts one column early."""
    if ref.loc.line != line:
        return False
    return ref.loc.column <= column <= ref.loc.column + len(ref.name) + 1


def reference_at(menu: Menu, line: int, column: int) -> Reference | None:
    return next((ref for ref in references(menu) if _covers(ref, line, column)), None)


def definition(menu: Menu, ref: Reference) -> Location | None:
    """Where the node or pool `ref` names is defined, if it is."""
    if ref.kind == "node":
        node = menu.nodes.get(ref.name)
        return node.loc if node else None
    pool = menu.queues.get(ref.name)
    return pool.loc if pool else None


#: The text before the cursor on a line where a node's name is written
#: (``next: ``, ``- goto: ``, an option ``1: ``) or a pool's (``queue: ``).
_NODE_SLOT = re.compile(r"(?:\b(?:next|on_failure|on_no_input|on_invalid|goto|goal)\s*:|(?:^|[{,]\s*)['\"]?[0-9*#]['\"]?\s*:"
                        r"|\bgoal\s*:\s*\[(?:[^\]]*,)?)\s*['\"]?[\w.-]*$")
_POOL_SLOT = re.compile(r"(?:\bqueue\s*:|\bserved_by\s*:\s*\[(?:[^\]]*,)?)\s*['\"]?[\w.-]*$")


def completions(menu: Menu | None, line_text: str, column: int) -> tuple[str, list[str]]:
    """What fits at `column` (0-based) of `line_text`: ("node"|"pool", names), or ("", []) where no name fits."""
    before = line_text[:column]
    if menu is None:
        return "", []
    if _POOL_SLOT.search(before):
        return "pool", sorted(menu.queues)
    if _NODE_SLOT.search(before.lstrip()) or _NODE_SLOT.search(before):
        return "node", sorted(menu.nodes)
    return "", []
