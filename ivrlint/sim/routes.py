"""What a caller knows about the way: which option leads toward what they want.

Callers navigate by the menu's *forward* moves: the options that go to a
node, ``next`` after a message or a task, and the branches the platform
takes. Failures, ``back``, ``top`` and ``repeat`` are not ways forward; a
caller uses them only when lost. The caller wants the option from which
the fewest forward moves reach a goal (shortest path, as a caller reading
the menu's labels would guess).
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from ivrlint.menu import digraph as graphs
from ivrlint.menu.model import KEYS, Menu, Node

KEY_ORDER = {key: i for i, key in enumerate(KEYS)}


def forward_graph(menu: Menu) -> nx.DiGraph:
    """The menu's nodes with an edge for every forward move a caller can make."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(menu.nodes)
    nodes = menu.nodes
    graph.add_edges_from((node.id, target) for node in nodes.values() for target in forward_targets(node) if target in nodes)
    return graph


def forward_targets(node: Node) -> Iterable[str]:
    """Where a caller can go forward from `node` (see the module docstring)."""
    if node.type == "menu":
        yield from (option.goto for option in node.options.values() if option.goto is not None)
    elif node.type in ("message", "input", "self_service"):
        if node.next is not None:
            yield node.next
    elif node.type == "branch":
        yield from (branch.goto for branch in node.branches)


class Routes:
    """Shortest forward distances to sets of nodes, and each menu's parent menu."""

    def __init__(self, menu: Menu):
        self.menu = menu
        self.graph = forward_graph(menu)
        self.persons = frozenset(n.id for n in menu.nodes.values() if graphs.is_person(n))
        self._distances: dict[frozenset, dict[str, int]] = {}
        self._parents: dict[str, str] | None = None

    def distances(self, targets: frozenset) -> dict[str, int]:
        """Fewest forward moves from each node to one of `targets` (absent: none reach)."""
        found = self._distances.get(targets)
        if found is None:
            present = [t for t in targets if t in self.graph]
            found = graphs.hops_to(self.graph, present)
            self._distances[targets] = found
        return found

    def best_key(self, node: Node, targets: frozenset, announced: dict, prefer_zero: bool = False) -> str | None:
        """The option a caller heading for `targets` presses: fewest forward
        moves to a target, then (with `prefer_zero`) the 0 key, then the one
        announced first (`announced`: key -> share of the prompt)."""
        distance = self.distances(targets)
        best = None
        for key, option in node.options.items():
            hops = distance.get(option.goto) if option.goto is not None else None
            if hops is None:
                continue
            rank = (hops, prefer_zero and key != "0", announced.get(key, 2.0), KEY_ORDER.get(key, 99), key)
            if best is None or rank < best:
                best = rank
        return best[-1] if best else None

    def parent_menu(self, node_id: str) -> str | None:
        """The menu before `node_id` on the shortest forward way from the start.

        "Back" returns to the menu the caller came from; pressing back again
        from there goes to this parent (a tree menu's parent), so the caller's
        state stays small enough for the exact analysis.
        """
        if self._parents is None:
            start = self.menu.start
            self._parents = dict(nx.bfs_predecessors(self.graph, start)) if start in self.graph else {}
        current = self._parents.get(node_id)
        seen = {node_id}
        while current is not None and current not in seen:
            if self.menu.nodes[current].type == "menu":
                return current
            seen.add(current)
            current = self._parents.get(current)
        return None


def back_key(node: Node) -> str | None:
    """The key that takes a lost caller back: a back option, else a top option."""
    for action in ("back", "top"):
        for key, option in node.options.items():
            if option.action == action:
                return key
    return None
