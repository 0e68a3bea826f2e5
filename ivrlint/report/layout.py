"""Where each node goes in the picture of a menu: rows by depth, children under parents.

A caller reads a phone menu top-down: the greeting, the main menu, what each
key leads to. So the picture puts each node one row below the lowest node
that leads deeper to it (``flow_rows``; moves back up, such as ``back`` or a
failure to an agent above, are drawn as arcs), keeps each row in the order
the menu lists its keys, and slides each node as close as it can to the
middle of its parents without overlapping its neighbours (an isotonic
regression, solved exactly by pool-adjacent-violators). Nodes no call can
reach get a last row of their own.

Sizes and positions are in inches, so a box sized from its text at a font
size fits whatever the figure's resolution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

import networkx as nx

#: Beyond these, the picture stops being readable: draw the first rows only.
MAX_NODES = 120
MAX_PER_ROW = 36

FAILURE_CAUSES = ("failure", "no_input", "invalid")

#: Inches between boxes side by side, and between rows.
H_GAP = 0.35
V_GAP = 0.95


@dataclass
class Layout:
    """Rows of drawn nodes, their centres and sizes, and what was left out."""

    rows: list[list[str]]
    pos: dict[str, tuple[float, float]] = field(default_factory=dict)
    size: dict[str, tuple[float, float]] = field(default_factory=dict)
    depth_count: int = 0  # rows the whole menu would need (reachable nodes)
    node_count: int = 0  # nodes in the whole menu
    unreachable_row: bool = False  # the last row holds nodes no call reaches
    hidden: dict[str, int] = field(default_factory=dict)  # drawn node -> successors left out

    @property
    def drawn(self) -> set[str]:
        return {n for row in self.rows for n in row}

    @property
    def row_of(self) -> dict[str, int]:
        return {n: i for i, row in enumerate(self.rows) for n in row}

    @property
    def truncated(self) -> bool:
        return len(self.drawn) < self.node_count

    def extent(self) -> tuple[float, float, float, float]:
        """(left, right, bottom, top) of all boxes, in inches."""
        xs = [(x - self.size[n][0] / 2, x + self.size[n][0] / 2) for n, (x, _) in self.pos.items()]
        ys = [(y - self.size[n][1] / 2, y + self.size[n][1] / 2) for n, (_, y) in self.pos.items()]
        return min(a for a, _ in xs), max(b for _, b in xs), min(a for a, _ in ys), max(b for _, b in ys)


def choose_rows(graph: nx.DiGraph, start: str, max_nodes: int = MAX_NODES, max_per_row: int = MAX_PER_ROW) -> Layout:
    """The rows to draw, top-down from `start`, within the node budget."""
    depths = flow_rows(graph, start)
    reached = {n for row in depths for n in row}
    unreachable = [n for n in graph if n not in reached]
    rows: list[list[str]] = []
    budget, cut = max_nodes, False
    for depth, row in enumerate(depths):
        if depth >= 2 and (len(row) > max_per_row or len(row) > budget):
            cut = True  # draw whole rows only: the nodes above say how many they lead to
            break
        rows.append(row[:max_per_row])
        budget -= len(rows[-1])
        if len(row) > max_per_row:  # the first rows are drawn even when too wide, cut short
            cut = True
            break
    layout = Layout(rows, depth_count=len(depths), node_count=graph.number_of_nodes())
    if unreachable and not cut and len(unreachable) <= min(budget, max_per_row):
        rows.append(unreachable[:max_per_row])
        layout.unreachable_row = True
    drawn = layout.drawn
    for node in drawn:
        missing = sum(1 for s in graph.successors(node) if s not in drawn)
        if missing:
            layout.hidden[node] = missing
    return layout


def flow_rows(graph: nx.DiGraph, start: str) -> list[list[str]]:
    """Reachable nodes in rows, each node one row below the deepest node that leads to it.

    Keys and ``next`` decide the rows; failure moves (on_failure,
    on_no_input, on_invalid) only place a node that nothing else reaches,
    so an agent queue sits under the menu whose key leads there rather than
    under every task that fails over to it.

    >>> g = nx.DiGraph([("main", "pay"), ("main", "bye"), ("pay", "bye"), ("pay", "main")])
    >>> flow_rows(g, "main")
    [['main'], ['pay'], ['bye']]
    """
    if start not in graph:
        return []
    distance = nx.single_source_dijkstra_path_length(graph, start, weight=lambda u, v, d: 1 if _primary(d) else 1000)
    # Moves between nodes equally far from the start also go down, unless they loop.
    level = nx.DiGraph((u, v) for u, v in graph.edges if u != v and u in distance and distance.get(v) == distance[u])
    level.add_nodes_from(distance)
    loops = nx.condensation(level)
    component = loops.graph["mapping"]
    rank = {c: i for i, c in enumerate(nx.topological_sort(loops))}

    def leads_down(p: str, node: str) -> bool:
        return distance[p] < distance[node] or (level.has_edge(p, node) and component[p] != component[node])

    row: dict[str, int] = {}
    for node in sorted(distance, key=lambda n: (distance[n], rank[component[n]])):  # parents first
        parents = [p for p in graph.predecessors(node) if p in distance and leads_down(p, node)]
        primary = [p for p in parents if _primary(graph.edges[p, node])]
        row[node] = max((row[p] + 1 for p in primary or parents), default=0)
    rows: list[list[str]] = [[] for _ in range(max(row.values()) + 1)]
    for layer in nx.bfs_layers(graph, [start]):  # discovery order: keys as the menu lists them
        for node in layer:
            rows[row[node]].append(node)
    return rows


def _primary(edge: dict) -> bool:
    """Does a caller move along this edge other than by failing (a key, next, a branch)?"""
    causes = edge.get("causes")
    return not causes or any(c not in FAILURE_CAUSES for c, _ in causes)


def place(graph: nx.DiGraph, layout: Layout, size: dict[str, tuple[float, float]]) -> Layout:
    """Centres for the chosen rows, given each node's box (width, height) in inches."""
    layout.size = {n: size[n] for n in layout.drawn}
    y = 0.0
    for index, row in enumerate(layout.rows):
        height = max(size[n][1] for n in row)
        if index:
            y -= height / 2 + V_GAP
        wanted = {n: _parents_centre(graph, layout.pos, n) for n in row}
        known = [w for w in wanted.values() if w is not None]
        fallback = sum(known) / len(known) if known else 0.0
        at = {n: w if w is not None else fallback for n, w in wanted.items()}  # nodes with no placed parent: the row's centre
        order = sorted(range(len(row)), key=lambda i: (at[row[i]], i))
        ordered = [row[i] for i in order]
        layout.rows[index] = ordered
        xs = spread([at[n] for n in ordered], [size[n][0] for n in ordered], H_GAP)
        for node, x in zip(ordered, xs, strict=True):
            layout.pos[node] = (x, y)
        y -= height / 2
    return layout


def _parents_centre(graph: nx.DiGraph, pos: dict, node: str) -> float | None:
    xs = [pos[p][0] for p in graph.predecessors(node) if p in pos and p != node]
    return sum(xs) / len(xs) if xs else None


def spread(wanted: list[float], widths: list[float], gap: float) -> list[float]:
    """Centres closest (least squares) to `wanted` that keep boxes in order without overlap.

    >>> spread([0.0, 0.0], [1.0, 1.0], 0.0)
    [-0.5, 0.5]
    """
    if not wanted:
        return []
    offsets = [0.0]
    for left, right in pairwise(widths):
        offsets.append(offsets[-1] + (left + right) / 2 + gap)
    fitted = isotonic([w - o for w, o in zip(wanted, offsets, strict=True)])
    return [f + o for f, o in zip(fitted, offsets, strict=True)]


def isotonic(values: list[float]) -> list[float]:
    """The non-decreasing sequence closest to `values` (pool adjacent violators).

    >>> isotonic([1.0, 3.0, 2.0, 4.0])
    [1.0, 2.5, 2.5, 4.0]
    """
    blocks: list[list[float]] = []  # [mean, count]
    for v in values:
        blocks.append([v, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, count = blocks.pop()
            prev = blocks[-1]
            prev[0] = (prev[0] * prev[1] + mean * count) / (prev[1] + count)
            prev[1] += count
    out: list[float] = []
    for mean, count in blocks:
        out.extend([mean] * int(count))
    return out
