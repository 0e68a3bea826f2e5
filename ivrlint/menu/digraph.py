"""A menu as a networkx DiGraph, and the questions the rules ask of it.

Graph nodes are the menu's node ids, with attributes:

* ``type``: the node type (menu, queue, hangup...);
* ``person``: the caller reaches a live person here (a queue, or a transfer
  that is not ``human: false``);
* ``ends``: the call can end here (hang-up, transfer, queue, voicemail with
  no ``next``, a self-service task that succeeds with no ``next``, or a menu,
  input or task with no ``on_failure``, which disconnects the caller).

Each edge carries ``causes``: a list of ``(cause, key)`` pairs saying why a
call moves along it, where cause is one of ``key``, ``repeat``, ``back``,
``top``, ``no_input``, ``invalid``, ``failure``, ``next``, ``branch``, and key
is the DTMF key for option causes (else None). Targets that name no node are
left out; the ``unknown-target`` rule reports them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import networkx as nx

from ivrlint.menu.model import Menu, Node

PERSON_TYPES = ("queue",)
ENDING_TYPES = ("hangup", "queue", "transfer")


def build_graph(menu: Menu) -> nx.DiGraph:
    """The menu as a DiGraph; see the module docstring for its attributes."""
    graph: nx.DiGraph[str] = nx.DiGraph(start=menu.start, ivr=menu.ivr)
    for node in menu.nodes.values():
        graph.add_node(node.id, type=node.type, person=is_person(node), ends=can_end(node))
    backs: list[tuple[str, str | None]] = []  # (node, key) of each back action
    for node in menu.nodes.values():
        for target, cause, key in node_exits(node, menu.start):
            if cause == "back":
                backs.append((node.id, key))
            elif target in menu.nodes:
                _add_cause(graph, node.id, target, cause, key)
    for node_id, key in backs:  # "back" goes wherever callers came from
        came_from = [p for p in graph.predecessors(node_id) if graph.nodes[p]["type"] == "menu" and p != node_id]
        for target in came_from or [node_id]:
            _add_cause(graph, node_id, target, "back", key)
    return graph


def _add_cause(graph: nx.DiGraph, source: str, target: str, cause: str, key: str | None) -> None:
    if graph.has_edge(source, target):
        graph.edges[source, target]["causes"].append((cause, key))
    else:
        graph.add_edge(source, target, causes=[(cause, key)])


def node_exits(node: Node, start: str) -> Iterable[tuple[str | None, str, str | None]]:
    """(target, cause, key) for every way a call can leave `node`.

    The target of a ``back`` action is None: it depends on the caller's path.
    """
    for key, option in node.options.items():
        if option.action == "repeat":
            yield node.id, "repeat", key
        elif option.action == "top":
            yield start, "top", key
        elif option.action == "back":
            yield None, "back", key
        elif option.goto is not None:
            yield option.goto, "key", key
    for field, cause in (("on_no_input", "no_input"), ("on_invalid", "invalid"), ("on_failure", "failure"), ("next", "next")):
        target = getattr(node, field)
        if target is not None:
            yield target, cause, None
    for branch in node.branches:
        yield branch.goto, "branch", None


def is_person(node: Node) -> bool:
    """Does the caller reach a live person at this node?"""
    return node.type in PERSON_TYPES or (node.type == "transfer" and node.human)


def can_end(node: Node) -> bool:
    """Can the call end at this node (by design or by disconnection)?"""
    if node.type in ENDING_TYPES:
        return True
    if node.type == "voicemail":
        return node.next is None
    if node.type == "self_service":
        return node.next is None or node.on_failure is None
    if node.type in ("menu", "input"):
        return node.on_failure is None
    return False


def people(graph: nx.DiGraph) -> list[str]:
    """Nodes where a caller reaches a live person."""
    return [n for n, person in graph.nodes(data="person") if person]


def hops_to(graph: nx.DiGraph, targets: Iterable[str]) -> dict[str, int]:
    """For every node that can reach one of `targets`: the fewest moves to get there.

    >>> g = nx.DiGraph([("main", "billing"), ("billing", "agent")])
    >>> hops_to(g, ["agent"])["main"]
    2
    """
    targets = list(targets)
    if not targets:
        return {}
    lengths = nx.multi_source_dijkstra_path_length(graph.reverse(copy=False), targets)
    return {node: int(moves) for node, moves in lengths.items()}  # no edge weights: each move counts 1


def reachable_from(graph: nx.DiGraph, source: str) -> set[str]:
    """The nodes a call starting at `source` can reach, `source` included."""
    if source not in graph:
        return set()
    return nx.descendants(graph, source) | {source}


def first_reached(menu: Menu, graph: nx.DiGraph, stop: Callable[[Node], bool]) -> list[Node]:
    """The nodes for which `stop(node)` holds that a call reaches first from
    the start node, going on past the others (but never through a menu)."""
    nodes, found, seen, todo = menu.nodes, [], set(), [menu.start]
    while todo:
        node_id = todo.pop(0)
        if node_id in seen or node_id not in nodes:
            continue
        seen.add(node_id)
        node = nodes[node_id]
        if stop(node):
            found.append(node)
        elif node.type != "menu":
            todo.extend(graph.successors(node_id))
    return found


def trapped_regions(graph: nx.DiGraph) -> list[list[str]]:
    """Loops from which the call can never end nor reach a person.

    A caller there hears prompts forever; their only way out is to hang up.
    Each region is a weakly connected set of trapped nodes that contains a
    cycle, in graph order. (Trapped nodes with no cycle lead into a dead end,
    which is a different defect.)

    >>> g = nx.DiGraph([("a", "b"), ("b", "a")])
    >>> g.add_nodes_from(["a", "b"], person=False, ends=False)
    >>> trapped_regions(g)
    [['a', 'b']]
    """
    exits = [n for n, data in graph.nodes(data=True) if data.get("person") or data.get("ends")]
    free = set(hops_to(graph, exits))
    trapped = graph.subgraph(n for n in graph if n not in free)
    order = {n: i for i, n in enumerate(graph)}
    regions = [
        sorted(c, key=order.__getitem__)
        for c in nx.weakly_connected_components(trapped)
        if not nx.is_directed_acyclic_graph(trapped.subgraph(c))
    ]
    return sorted(regions, key=lambda region: order[region[0]])
