"""How an arrow goes from one box to another without running through a third.

Arrows are matplotlib's ``arc3`` curves (a quadratic Bezier whose control
point sits `rad` times the chord length off the chord's middle). An arrow
to the next row goes straight down; an arrow up, along a row or past a row
bulges by a bounded distance, on whichever side crosses the fewest other
boxes; its label goes at the first point along it that is clear of boxes.
"""

from __future__ import annotations

import math

from ivrlint.report.layout import Layout

#: Bulges to try, in inches, best first; the sign picks the side.
BULGES = (0.0, 0.35, -0.35, 0.6, -0.6, 0.9, -0.9, 1.3, -1.3)
LABEL_AT = (0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75)
#: Failure arrows often end at the same agent queue: label them near where they start.
LABEL_NEAR_START = (0.3, 0.22, 0.38, 0.15, 0.45)
SAMPLES = 24
MARGIN = 0.06  # inches of air kept around boxes


def curvature(layout: Layout, source: str, target: str, row_of: dict[str, int]) -> float:
    """The ``arc3`` rad for the arrow from `source` to `target`."""
    step = row_of[target] - row_of[source]
    (x1, y1), (x2, y2) = layout.pos[source], layout.pos[target]
    length = max(math.hypot(x2 - x1, y2 - y1), 1e-6)
    if step == 0:  # along a row: always dip below it, as far as needed to clear boxes
        sign = math.copysign(1.0, x2 - x1)
        bulges = [sign * b for b in (0.45, 0.7, 1.0)]
    elif step == 1:
        bulges = list(BULGES)
    else:
        bulges = [b for b in BULGES if b] if step < 0 else list(BULGES)
    best, best_hits = None, None
    for bulge in bulges:
        rad = 2 * bulge / length
        hits = _hits(layout, [along((x1, y1), (x2, y2), rad, i / SAMPLES) for i in range(1, SAMPLES)], {source, target})
        if best_hits is None or hits < best_hits:
            best, best_hits = rad, hits
        if hits == 0:
            break
    return best if best is not None else 0.0


def label_point(layout: Layout, source: str, target: str, rad: float,
                at: tuple[float, ...] = LABEL_AT) -> tuple[float, float]:
    """Where an arrow's label goes: at the first of the places `at` (0 start, 1 end) off every box."""
    p0, p2 = layout.pos[source], layout.pos[target]
    for t in at:
        point = along(p0, p2, rad, t)
        if not _hits(layout, [point], set(), margin=0.12):
            return point
    return along(p0, p2, rad, at[0])


def along(p0, p2, rad: float, t: float) -> tuple[float, float]:
    """The point at `t` (0 to 1) on matplotlib's arc3 curve from p0 to p2.

    >>> along((0.0, 0.0), (2.0, 0.0), 0.5, 0.5)
    (1.0, -0.5)
    """
    (x1, y1), (x2, y2) = p0, p2
    cx, cy = (x1 + x2) / 2 + rad * (y2 - y1), (y1 + y2) / 2 - rad * (x2 - x1)
    u = 1 - t
    return u * u * x1 + 2 * u * t * cx + t * t * x2, u * u * y1 + 2 * u * t * cy + t * t * y2


def _hits(layout: Layout, points, skip: set[str], margin: float = MARGIN) -> int:
    """How many of `points` fall inside a box other than those in `skip`."""
    count = 0
    for x, y in points:
        for node, (cx, cy) in layout.pos.items():
            if node in skip:
                continue
            w, h = layout.size[node]
            if abs(x - cx) <= w / 2 + margin and abs(y - cy) <= h / 2 + margin:
                count += 1
                break
    return count
