"""Where each node goes in the picture of a menu: rows by depth, children under parents.

A caller reads a phone menu top-down: the greeting, the main menu, what each
key leads to. So the picture puts each node one row below the lowest node
that leads deeper to it (``flow_rows``; moves back up, such as ``back`` or a
failure to an agent above, go up). It is a layered (Sugiyama) drawing:

* ``thread``: an arrow that passes rows gets a waypoint in each row it
  passes, a slot of its own that boxes make room for, so no arrow has to
  cross a box;
* ``order_rows``: the order within each row that crosses fewest arrows,
  by barycenter sweeps down and up from the order the menu lists its keys
  (kept when nothing does better);
* ``place``: each node and waypoint as close as it can to the middle of
  what leads to it from the row above, in that order, without overlapping
  its neighbours (an isotonic regression, solved exactly by
  pool-adjacent-violators).

Nodes no call can reach get a last row of their own.

Sizes and positions are in inches, so a box sized from its text at a font
size fits whatever the figure's resolution.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations, pairwise

import networkx as nx

#: Beyond these, the picture stops being readable: draw the first rows only.
MAX_NODES = 120
MAX_PER_ROW = 36

FAILURE_CAUSES = ("failure", "no_input", "invalid")

#: Inches between boxes side by side, and between rows.
H_GAP = 0.35
V_GAP = 0.95
#: A waypoint's slot in a row: the room an arrow passing the row takes.
WAY = "\x00"
WAY_WIDTH = 0.2
#: Barycenter sweeps (down, up, down...) tried when ordering the rows.
SWEEPS = 12


def is_waypoint(node: str) -> bool:
    return node.startswith(WAY)


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
    #: each arrow (source, target) as the slots it goes through: source, waypoints, target
    paths: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    row_y: list[float] = field(default_factory=list)  # each row's centre
    row_h: list[float] = field(default_factory=list)  # each row's height (its tallest box)

    @property
    def drawn(self) -> set[str]:
        return {n for row in self.rows for n in row if not is_waypoint(n)}

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


def thread(layout: Layout, arrows: list[tuple[str, str]]) -> Layout:
    """Give each arrow between drawn nodes its path of slots: a waypoint in every row it passes."""
    row_of = layout.row_of
    for source, target in arrows:
        here, there = row_of[source], row_of[target]
        step = 1 if there > here else -1
        ways = []
        for row in range(here + step, there, step):
            way = f"{WAY}{source}{WAY}{target}{WAY}{row}"
            layout.rows[row].append(way)
            ways.append(way)
        layout.paths[source, target] = [source, *ways, target]
    return layout


def _neighbours(layout: Layout) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each slot's neighbours along the paths, in the row above and in the row below."""
    row_of = layout.row_of
    above: dict[str, list[str]] = defaultdict(list)
    below: dict[str, list[str]] = defaultdict(list)
    for path in layout.paths.values():
        for a, b in pairwise(path):
            upper, lower = (a, b) if row_of[b] == row_of[a] + 1 else (b, a) if row_of[a] == row_of[b] + 1 else (None, None)
            if upper is not None and lower is not None:
                below[upper].append(lower)
                above[lower].append(upper)
    return above, below


def crossings(rows: list[list[str]], below: dict[str, list[str]]) -> int:
    """How many pairs of arrow segments between adjacent rows cross."""
    total = 0
    for upper, lower in pairwise(rows):
        at = {n: i for i, n in enumerate(lower)}
        segments = [(i, at[b]) for i, a in enumerate(upper) for b in below.get(a, ()) if b in at]
        total += sum(1 for (a1, b1), (a2, b2) in combinations(segments, 2) if (a1 - a2) * (b1 - b2) < 0)
    return total


def order_rows(layout: Layout, sweeps: int = SWEEPS) -> Layout:
    """Order each row to cross fewest arrows: barycenter sweeps from the menu's own order, the best kept."""
    above, below = _neighbours(layout)
    rows = [list(row) for row in layout.rows]
    best, fewest = [list(row) for row in rows], crossings(rows, below)
    for sweep in range(sweeps):
        if fewest == 0:
            break
        down = sweep % 2 == 0
        indices = range(1, len(rows)) if down else range(len(rows) - 2, -1, -1)
        for index in indices:
            rows[index] = _by_barycenter(rows[index], rows[index - 1 if down else index + 1], above if down else below)
        count = crossings(rows, below)
        if count < fewest:
            best, fewest = [list(row) for row in rows], count
    layout.rows = best
    return layout


def _by_barycenter(row: list[str], fixed: list[str], neighbours: dict[str, list[str]]) -> list[str]:
    """`row` sorted by the mean place of each slot's neighbours in the `fixed` row; slots with
    none keep their place (scaled to the fixed row)."""
    at = {n: i for i, n in enumerate(fixed)}
    scale = len(fixed) / max(len(row), 1)

    def centre(item: tuple[int, str]) -> float:
        index, node = item
        places = [at[n] for n in neighbours.get(node, ()) if n in at]
        return sum(places) / len(places) if places else index * scale

    return [node for _, node in sorted(enumerate(row), key=lambda item: (centre(item), item[0]))]


def place(graph: nx.DiGraph, layout: Layout, size: dict[str, tuple[float, float]]) -> Layout:
    """Centres for the chosen rows in their order, given each node's box (width, height) in inches."""
    layout.size = {n: size[n] for n in layout.drawn}
    layout.size.update({n: (WAY_WIDTH, 0.0) for row in layout.rows for n in row if is_waypoint(n)})
    above, _ = _neighbours(layout)
    y = 0.0
    for index, row in enumerate(layout.rows):
        height = max(layout.size[n][1] for n in row)
        if index:
            y -= height / 2 + V_GAP
        wanted = [_wanted_x(graph, layout, above, n) for n in row]
        known = [w for w in wanted if w is not None]
        fallback = sum(known) / len(known) if known else 0.0  # nodes with nothing placed above: the row's middle
        xs = spread([fallback if w is None else w for w in wanted], [layout.size[n][0] for n in row], H_GAP)
        for node, x in zip(row, xs, strict=True):
            layout.pos[node] = (x, y)
        layout.row_y.append(y)
        layout.row_h.append(height)
        y -= height / 2
    return layout


def _wanted_x(graph: nx.DiGraph, layout: Layout, above: dict[str, list[str]], node: str) -> float | None:
    """Where `node` would sit: under the middle of the slots that lead to it from the row above
    (for a node reached only from its own row or from below, of its placed predecessors)."""
    if is_waypoint(node):
        return _centre_of(layout.pos, above.get(node, []))
    return _centre_of(layout.pos, above.get(node) or [p for p in graph.predecessors(node) if p != node])


def _centre_of(pos: dict, nodes) -> float | None:
    xs = [pos[n][0] for n in nodes if n in pos]
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
