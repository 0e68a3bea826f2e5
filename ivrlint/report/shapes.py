"""Node shapes of the menu picture, after flowchart habits, and their legend entries.

Menus are rounded boxes, messages plain boxes, digit input a parallelogram
(the flowchart sign for input), self-service a hexagon (an automated
process), a branch the decision diamond, a queue a pill (a person waits at
the end), a transfer an arrow pointing away, voicemail a trapezoid (a
recording kept for later) and a hang-up an octagon, the stop sign. Colour
says the same thing again, so the picture survives a black-and-white print
or a colour-blind reader either way.
"""

from __future__ import annotations

from matplotlib.legend_handler import HandlerPatch
from matplotlib.patches import FancyBboxPatch, Patch, Polygon

from ivrlint.report.style import NODE_STYLE

#: Diamonds need more room around the same text than boxes do.
GROW = {"branch": (1.35, 1.5), "hangup": (1.12, 1.12), "transfer": (1.12, 1.0), "input": (1.12, 1.0)}


def outline(kind: str, x: float, y: float, w: float, h: float, **style) -> Patch:
    """The patch of a node of type `kind` centred on (x, y), `w` by `h` (data units)."""
    left, right, bottom, top = x - w / 2, x + w / 2, y - h / 2, y + h / 2
    if kind in ("menu", "queue", "message"):
        rounding = {"menu": min(w, h) * 0.22, "queue": h / 2, "message": 0.0}[kind]
        return FancyBboxPatch((left, bottom), w, h, boxstyle=f"round,pad=0,rounding_size={rounding}", **style)
    s = min(h * 0.35, w * 0.2)  # slant or corner size
    points = {
        "input": [(left + s, top), (right, top), (right - s, bottom), (left, bottom)],
        "self_service": [(left + s, top), (right - s, top), (right, y), (right - s, bottom), (left + s, bottom), (left, y)],
        "branch": [(x, top), (right, y), (x, bottom), (left, y)],
        "transfer": [(left, top), (right - s, top), (right, y), (right - s, bottom), (left, bottom)],
        "voicemail": [(left + s, top), (right - s, top), (right, bottom), (left, bottom)],
        "hangup": [(left + s, top), (right - s, top), (right, top - s), (right, bottom + s), (right - s, bottom),
                   (left + s, bottom), (left, bottom + s), (left, top - s)],
    }.get(kind, [(left, top), (right, top), (right, bottom), (left, bottom)])
    return Polygon(points, closed=True, **style)


def node_style(kind: str) -> dict:
    """Fill and outline colours of a node type."""
    fill, edge, _ = NODE_STYLE.get(kind, ("#ffffff", "#000000", kind))
    return {"facecolor": fill, "edgecolor": edge}


class ShapeHandle(Patch):
    """A legend entry drawn in the shape of a node type."""

    def __init__(self, kind: str, label: str, **style):
        super().__init__(label=label, **{**node_style(kind), "linewidth": 1.2, **style})
        self.kind = kind


def _legend_shape(legend, orig_handle, xdescent, ydescent, width, height, fontsize):
    w, h = width * 0.9, height * 1.3
    patch = outline(orig_handle.kind, width / 2 - xdescent, height / 2 - ydescent, w, h)
    patch.update_from(orig_handle)
    return patch


#: Pass as ``handler_map`` to ``legend`` so ShapeHandles show their shape.
LEGEND_HANDLERS = {ShapeHandle: HandlerPatch(patch_func=_legend_shape)}
