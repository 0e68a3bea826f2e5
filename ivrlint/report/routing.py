"""How an arrow goes from one box to another without running through a third.

Each arrow follows its path of slots (``layout.thread``): it leaves its
source from the bottom (the top, going up), drops straight to the edge of
its row's band, crosses the gap between rows on a straight line, runs
straight through each row it passes at its own waypoint, and enters its
target from the top (the bottom, coming from below). Boxes sit inside their
row's band and waypoints have slots of their own there, so no segment
meets a box it does not join. An arrow along a row dips into the gap below
the row and comes back up. Where several arrows leave or enter one side of
a box, they spread along it in the order they go, so they do not overlap.
Labels sit on the segment that crosses a gap.
"""

from __future__ import annotations

from collections import defaultdict

from ivrlint.report.layout import V_GAP, Layout

Point = tuple[float, float]
#: Where along the side of a box arrows may attach, as a share of its half-width.
PORT_SPAN = 0.55
#: Shapes whose top and bottom are a point (a decision diamond): arrows meet there.
POINTED = ("branch",)
#: How deep into the gap below a row an arrow along the row dips, as shares of the gap.
DIPS = (0.3, 0.45, 0.6, 0.75)
#: Where on its gap-crossing segment a label goes (0 its start, 1 its end).
LABEL_AT = 0.5
#: Failure arrows often end at the same agent queue: label them near where they leave.
LABEL_NEAR_START = 0.25


def routes(layout: Layout, kinds: dict[str, str]) -> dict[tuple[str, str], list[Point]]:
    """The polyline of every arrow in `layout.paths`; `kinds` gives each node's type (for its shape)."""
    row_of = layout.row_of
    along_row: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for source, target in sorted(layout.paths):
        if row_of[source] == row_of[target]:
            along_row[row_of[source]].append((source, target))
    dip = {edge: DIPS[i % len(DIPS)] for edges in along_row.values() for i, edge in enumerate(edges)}
    drafts = {edge: _draft(layout, path, dip.get(edge, DIPS[0])) for edge, path in layout.paths.items()}
    ports = _ports(layout, drafts, kinds)
    out = {}
    for edge, points in drafts.items():
        (sx, sy), *middle, (tx, ty) = points
        out[edge] = [(sx + ports[edge, 0], sy), *middle, (tx + ports[edge, 1], ty)]
        out[edge][1] = (out[edge][1][0] + ports[edge, 0], out[edge][1][1])
        out[edge][-2] = (out[edge][-2][0] + ports[edge, 1], out[edge][-2][1])
    return out


def _band(layout: Layout, row: int) -> tuple[float, float]:
    """(bottom, top) of a row's band."""
    y, h = layout.row_y[row], layout.row_h[row]
    return y - h / 2, y + h / 2


def _draft(layout: Layout, path: list[str], dip: float) -> list[Point]:
    """The arrow through its slots, attached at the middle of each box's side; `dip` is how deep
    into the gap below the row an arrow along a row goes."""
    row_of = layout.row_of
    source, target = path[0], path[-1]
    (sx, sy), (tx, ty) = layout.pos[source], layout.pos[target]
    sh, th = layout.size[source][1], layout.size[target][1]
    rs, rt = row_of[source], row_of[target]
    if rs == rt:  # along a row: dip into the gap below it
        bottom, _ = _band(layout, rs)
        depth = bottom - V_GAP * dip
        return [(sx, sy - sh / 2), (sx, depth), (tx, depth), (tx, ty - th / 2)]
    down = rt > rs
    points = [(sx, sy - sh / 2 if down else sy + sh / 2)]
    bottom, top = _band(layout, rs)
    points.append((sx, bottom if down else top))
    for way in path[1:-1]:
        x = layout.pos[way][0]
        bottom, top = _band(layout, row_of[way])
        points += [(x, top), (x, bottom)] if down else [(x, bottom), (x, top)]
    bottom, top = _band(layout, rt)
    points.append((tx, top if down else bottom))
    points.append((tx, ty + th / 2 if down else ty - th / 2))
    return points


def _ports(layout: Layout, drafts: dict[tuple[str, str], list[Point]], kinds: dict[str, str]) -> dict:
    """How far from the middle of its side each arrow attaches: (edge, 0) at its source, (edge, 1) at its target."""
    sides: dict[tuple[str, float], list[tuple[float, tuple[str, str], int]]] = defaultdict(list)
    for edge, points in drafts.items():
        for end, node, attach, toward in ((0, edge[0], points[0], points[2]), (1, edge[1], points[-1], points[-3])):
            side = 1.0 if attach[1] > layout.pos[node][1] else -1.0  # top or bottom
            sides[node, side].append((toward[0], edge, end))
    offsets = {}
    for (node, _), attached in sides.items():
        attached.sort(key=lambda item: item[0])
        half = 0.0 if kinds.get(node) in POINTED else layout.size[node][0] / 2 * PORT_SPAN
        count = len(attached)
        for index, (_, edge, end) in enumerate(attached):
            offsets[edge, end] = 0.0 if count == 1 else -half + 2 * half * index / (count - 1)
    return offsets


def label_point(points: list[Point], at: float = LABEL_AT) -> Point:
    """Where an arrow's label goes: on its first segment that crosses a gap between rows (or its longest)."""
    segments = list(zip(points, points[1:], strict=False))
    crossing = [(a, b) for a, b in segments if a[0] != b[0] and a[1] != b[1]] or \
        [max(segments, key=lambda s: abs(s[0][0] - s[1][0]) + abs(s[0][1] - s[1][1]))]
    (x1, y1), (x2, y2) = crossing[0]
    return x1 + (x2 - x1) * at, y1 + (y2 - y1) * at
