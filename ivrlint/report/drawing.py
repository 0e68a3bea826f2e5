"""The menu as a picture: nodes by type, edges by key, calls by width, findings in red.

Drawn with matplotlib alone (no Graphviz to install): rows by depth from
the start (``layout``, rows ordered to cross few arrows), each node a shape
sized to its text, each edge an arrow routed through the gaps between
boxes (``routing``: it never runs through a box it does not join) and
labelled with its keys (or the cause for failure, next, branch). Given call records, an edge's width and
darkness grow with the share of calls that took it, and each node says what
share of calls reached it. Nodes with lint findings get a red outline and a
badge with their count. Very large menus are drawn to the first rows that
fit a readable picture, and the title says what was left out.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence

import networkx as nx
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, Patch
from matplotlib.textpath import TextToPath

from ivrlint.lint.findings import Finding
from ivrlint.menu.digraph import build_graph
from ivrlint.menu.model import KEYS, Menu, Node
from ivrlint.report.flows import Flows, call_flows
from ivrlint.report.layout import FAILURE_CAUSES, Layout, choose_rows, order_rows, place, thread
from ivrlint.report.routing import LABEL_AT, LABEL_NEAR_START, Point, label_point, routes
from ivrlint.report.shapes import GROW, LEGEND_HANDLERS, ShapeHandle, node_style, outline
from ivrlint.report.style import FINDING_COLOR, NODE_STYLE, font_families, percent, short, styled
from ivrlint.sim.records import CallRecord

TITLE_PT, DETAIL_PT, EDGE_PT = 9.5, 7.5, 7.5
PAD_X, PAD_Y, LINE = 0.16, 0.1, 1.25  # inches of padding; line spacing as a multiple of the font size
TOP_BAND, BOTTOM_BAND, SIDE = 0.85, 1.05, 0.4  # inches around the graph for title and legend
MIN_WIDTH = 9.0
ACTION_SIGN = {"repeat": "↻", "back": "↩", "top": "⤒"}  # actions are said in the node, not drawn as arrows
FLOW_CMAP = LinearSegmentedColormap.from_list("calls", ["#b9c6d3", "#08306b"])
_measure = TextToPath()


@styled
def draw_menu(menu: Menu, findings: Sequence[Finding] = (), records: Iterable[CallRecord] | None = None,
              title: str | None = None) -> Figure:
    """A figure of `menu`; see the module docstring for what it shows."""
    flows = call_flows(records) if records is not None else None
    graph, texts, layout, edges, paths = arrange(menu, flows)
    per_node = {n: count for n, count in _findings_per_node(findings).items() if n in layout.drawn}  # badges shown
    fig, ax = _canvas(layout, [point for path in paths.values() for point in path])
    for n in sorted(layout.drawn, key=lambda n: layout.row_of[n]):
        _draw_node(ax, layout, menu.nodes[n], texts[n], per_node.get(n, 0))
    for source, target, causes in edges:
        _draw_edge(ax, menu, (source, target), paths[source, target], causes, flows)
    _draw_row_notes(ax, layout)
    _title(fig, menu, layout, findings, per_node, flows, title)
    _legend(fig, graph, layout, per_node, flows)
    return fig


def arrange(menu: Menu, flows: Flows | None = None):
    """Where everything goes: (graph, each node's text, layout, arrows drawn with their moves, each arrow's points)."""
    graph = build_graph(menu)
    texts = {n: _node_text(menu, graph, n, flows) for n in graph}
    layout = choose_rows(graph, menu.start)
    drawn = layout.drawn
    edges = [(s, t, moves) for s, t, edge in graph.edges(data=True) if s != t and s in drawn and t in drawn
             for moves in [[(c, k) for c, k in edge["causes"] if c not in ACTION_SIGN]] if moves]
    layout = order_rows(thread(layout, [(s, t) for s, t, _ in edges]))
    layout = place(graph, layout, {n: _box_size(menu.nodes[n].type, *texts[n]) for n in drawn})
    paths = routes(layout, {n: menu.nodes[n].type for n in drawn})
    return graph, texts, layout, edges, paths


def _findings_per_node(findings: Sequence[Finding]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.node:
            counts[finding.node] = counts.get(finding.node, 0) + 1
    return counts


def _node_text(menu: Menu, graph: nx.DiGraph, node_id: str, flows: Flows | None) -> tuple[str, str]:
    """(title, detail) lines shown in a node's box; a key that repeats the node is said here, not drawn."""
    node = menu.nodes[node_id]
    title = "\n".join(textwrap.wrap(short(node.label or node.id, 44), 22)) or "?"
    detail = [short(node.id, 24)] if node.label and node.label != node.id else []
    detail.append(_what_it_is(node))
    lines = [" · ".join(detail)]
    actions = _actions(node)
    if graph.has_edge(node_id, node_id):  # failure, no input or next back to itself
        moves = [(c, k) for c, k in graph.edges[node_id, node_id]["causes"] if c not in ACTION_SIGN]
        if moves:
            lines.append(f"↻ {edge_label(menu, node_id, node_id, moves) or 'on failure'}: starts again here")
    if actions:
        # each action key's share of calls is shown when there are flows and some caller pressed one
        pressed = flows if flows is not None and any(flows.key_share(node_id, k) for k, _ in actions) else None
        lines.append(" · ".join(f"{ACTION_SIGN[a]} {k} {a}"
                                + (f" {percent(pressed.key_share(node_id, k))}" if pressed is not None else "")
                                for k, a in actions))
    if flows is not None:
        lines.append(f"{percent(flows.node_share(node_id))} of calls")
    return title, "\n".join(lines)


def _actions(node: Node) -> list[tuple[str, str]]:
    """(key, action) of the keys that repeat the menu, go back or go to the top, in keypad order."""
    order = {k: i for i, k in enumerate(KEYS)}
    found = [(key, option.action) for key, option in node.options.items() if option.action in ACTION_SIGN]
    return sorted(found, key=lambda a: order.get(a[0], 99))


def _what_it_is(node: Node) -> str:
    if node.type == "menu":
        return f"menu, {len(node.options)} keys"
    if node.type == "queue":
        return f"queue {short(node.queue or '?', 16)}"
    if node.type in ("self_service", "input") and node.success is not None:
        return f"{NODE_STYLE[node.type][2].split(' ')[0]}, {percent(node.success)} succeed"
    if node.type == "transfer":
        return "transfer" + (f" to {short(node.destination, 16)}" if node.destination else "")
    return NODE_STYLE.get(node.type, ("", "", node.type))[2].split(" (")[0]


def _text_size(text: str, size: float, weight: str = "normal") -> tuple[float, float]:
    """Width and height of `text` in inches at `size` points."""
    if not text:
        return 0.0, 0.0
    prop = FontProperties(family=font_families(), size=size, weight=weight)
    widths = [_measure.get_text_width_height_descent(line, prop, ismath=False)[0] for line in text.split("\n")]
    return max(widths) / 72, len(widths) * size * LINE / 72


def _box_size(kind: str, title: str, detail: str) -> tuple[float, float]:
    tw, th = _text_size(title, TITLE_PT, "bold")
    dw, dh = _text_size(detail, DETAIL_PT)
    grow_w, grow_h = GROW.get(kind, (1.0, 1.0))
    return (max(tw, dw) + 2 * PAD_X) * grow_w, (th + dh + 2 * PAD_Y) * grow_h


def _canvas(layout: Layout, points: list[Point]) -> tuple[Figure, object]:
    """A figure where one data unit is one inch, so boxes fit their text; the arrows' `points` must fit too."""
    left, right, bottom, top = layout.extent()
    if points:
        left, right = min(left, min(x for x, _ in points)), max(right, max(x for x, _ in points))
        bottom, top = min(bottom, min(y for _, y in points)), max(top, max(y for _, y in points))
    graph_w, graph_h = right - left + 2 * SIDE, top - bottom + 2 * SIDE
    width = max(graph_w, MIN_WIDTH)
    height = graph_h + TOP_BAND + BOTTOM_BAND
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes(((width - graph_w) / 2 / width, BOTTOM_BAND / height, graph_w / width, graph_h / height))
    ax.set_xlim(left - SIDE, right + SIDE)
    ax.set_ylim(bottom - SIDE, top + SIDE)
    ax.set_axis_off()
    return fig, ax


def _draw_node(ax, layout: Layout, node: Node, text: tuple[str, str], n_findings: int) -> Patch:
    """Draw one node; returns its outline, where arrows to and from it stop."""
    x, y = layout.pos[node.id]
    w, h = layout.size[node.id]
    style = node_style(node.type)
    if n_findings:
        style["edgecolor"] = FINDING_COLOR
    patch = outline(node.type, x, y, w, h, linewidth=2.6 if n_findings else 1.3, zorder=3, **style)
    ax.add_patch(patch)
    title, detail = text
    th = _text_size(title, TITLE_PT)[1]
    dh = _text_size(detail, DETAIL_PT)[1]
    top = y + (th + dh) / 2
    ax.text(x, top - th / 2, title, ha="center", va="center", fontsize=TITLE_PT, fontweight="bold",
            linespacing=LINE, zorder=4)
    ax.text(x, top - th - dh / 2, detail, ha="center", va="center", fontsize=DETAIL_PT, color="#444444",
            linespacing=LINE, zorder=4)
    if n_findings:
        corner = (x + w / 2 - 0.04, y + h / 2 - 0.02)
        ax.add_patch(Circle(corner, 0.11, facecolor=FINDING_COLOR, edgecolor="white", linewidth=1, zorder=5))
        ax.text(*corner, str(n_findings), ha="center", va="center", fontsize=7, color="white",
                fontweight="bold", zorder=6)
    hidden = layout.hidden.get(node.id)
    if hidden:
        ax.text(x, y - h / 2 - 0.06, f"+{hidden} not shown", ha="center", va="top", fontsize=DETAIL_PT,
                color="#777777", style="italic", zorder=4)
    return patch


def edge_label(menu: Menu, source: str, target: str, causes: Sequence[tuple[str, str | None]]) -> str:
    """What an edge says: its keys in keypad order, then why else calls move along it.

    A move that is only ``on_failure`` says nothing: the dashed line says it.
    """
    order = {k: i for i, k in enumerate(KEYS)}
    keys = sorted({k for c, k in causes if c == "key" and k is not None}, key=lambda k: order.get(k, 99))
    words = []
    kinds = list(dict.fromkeys(c for c, _ in causes))
    if kinds == ["failure"]:
        return ""
    for cause in kinds:
        if cause in ("key", *ACTION_SIGN):
            continue
        if cause == "branch":
            words.append(_branch_label(menu.nodes[source], target))
        else:
            words.append(cause.replace("_", " "))
    return ", ".join(keys + words)


def _branch_label(node: Node, target: str) -> str:
    for branch in node.branches:
        if branch.goto == target:
            if branch.when:
                return short(branch.when, 26)
            if branch.share is not None:
                return f"branch {percent(branch.share)}"
    return "branch"


def _draw_edge(ax, menu: Menu, edge: tuple[str, str], points: list[Point], causes, flows: Flows | None) -> None:
    source, target = edge
    failure_only = all(c in FAILURE_CAUSES for c, _ in causes)
    label = edge_label(menu, source, target, causes)
    color: str | tuple[float, float, float, float]  # a colour name, or an RGBA of the flow colormap
    if flows is not None:
        share = flows.edge_share(source, target)
        width, color = 0.7 + 9 * share, FLOW_CMAP(min(1.0, share * 2.5))
        if share > 0:
            label = f"{label} · {percent(share)}" if label else percent(share)
    else:
        width, color = (1.0, "#8a8a8a") if failure_only else (1.3, "#4a4a4a")
    dashes: tuple[float, tuple[float, float]] | None  # None: matplotlib's default, a solid line
    if failure_only:  # a thin dashed line with an open head
        arrowstyle, scale, linewidth, dashes = "-|>", 11, min(width, 2.5), (0, (4, 2.5))
    else:  # a filled band whose head grows with it, so thick arrows stay arrows
        arrowstyle = (f"simple,head_length={0.9 * width + 6:.2f},head_width={1.4 * width + 5:.2f},"
                      f"tail_width={width:.2f}")
        scale, linewidth, dashes = 1, 0, None
    # the line through every point, then the head on its last segment that has a length
    xs, ys = [x for x, _ in points], [y for _, y in points]
    ax.plot(xs, ys, color=color, linewidth=min(width, 2.5) if failure_only else width, zorder=2,
            solid_joinstyle="round", solid_capstyle="butt", **({"linestyle": dashes} if dashes else {}))
    tail = next((a for a in reversed(points[:-1]) if math.dist(a, points[-1]) > 1e-3), points[0])
    ax.add_patch(FancyArrowPatch(tail, points[-1], shrinkA=0, shrinkB=1, color=color, zorder=2,
                                 arrowstyle=arrowstyle, mutation_scale=scale, linewidth=linewidth, linestyle=dashes))
    _edge_text(ax, label_point(points, LABEL_NEAR_START if failure_only else LABEL_AT), label)


def _edge_text(ax, xy, label: str, ha: str = "center") -> None:
    if label:
        ax.text(*xy, label, ha=ha, va="center", fontsize=EDGE_PT, color="#222222", zorder=4,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})


def _draw_row_notes(ax, layout: Layout) -> None:
    if layout.unreachable_row:
        row = layout.rows[-1]
        x = min(layout.pos[n][0] - layout.size[n][0] / 2 for n in row)
        y = max(layout.pos[n][1] + layout.size[n][1] / 2 for n in row)
        ax.text(x, y + 0.12, "not reachable from the start:", fontsize=DETAIL_PT + 1, color=FINDING_COLOR,
                style="italic", va="bottom")


def _title(fig: Figure, menu: Menu, layout: Layout, findings, per_node, flows, title: str | None) -> None:
    height = fig.get_figheight()
    fig.text(0.5, 1 - 0.3 / height, title or f"Menu {short(menu.ivr, 60)}", ha="center", va="center",
             fontsize=14, fontweight="bold")
    parts = [f"{layout.node_count} nodes"]
    if layout.truncated:
        rows = len(layout.rows) - layout.unreachable_row
        parts.append(f"showing the first {rows} of {layout.depth_count} levels "
                     f"({len(layout.drawn)} of {layout.node_count} nodes)")
    if findings:
        parts.append(findings_caption(len(findings), per_node))
    if flows is not None:
        parts.append(f"arrow width: share of {flows.calls:,} simulated calls")
    fig.text(0.5, 1 - 0.62 / height, " · ".join(parts), ha="center", va="center", fontsize=9.5, color="#444444")


def findings_caption(total: int, per_node: dict[str, int]) -> str:
    """How many findings there are and how many the badges show: a finding
    about a pool or the traffic belongs to no node, and the badges must add
    up to what the caption says.

    >>> findings_caption(2, {"main": 1})
    '2 lint findings, 1 of them on a node (red)'
    """
    on_nodes, nodes = sum(per_node.values()), len(per_node)
    where = "a node" if nodes == 1 else f"{nodes} nodes"
    said = f"{total} lint finding{'s' * (total != 1)}"
    if on_nodes == total:
        return f"{said} on {nodes} node{'s' * (nodes != 1)} (red)"
    if on_nodes == 0:
        return f"{said}, none on a node drawn"
    return f"{said}, {on_nodes} of them on {where} (red)"


def _legend(fig: Figure, graph: nx.DiGraph, layout: Layout, per_node, flows) -> None:
    kinds = [k for k in NODE_STYLE if any(graph.nodes[n]["type"] == k for n in layout.drawn)]
    handles: list = [ShapeHandle(k, NODE_STYLE[k][2]) for k in kinds]
    handles.append(Line2D([], [], color="#555555", label="key pressed / next"))
    handles.append(Line2D([], [], color="#555555", linestyle=(0, (4, 2.5)), label="on failure (retries used up)"))
    if flows is not None:
        for share in (0.05, 0.25, 0.5):
            handles.append(Line2D([], [], color=FLOW_CMAP(min(1.0, share * 2.5)), linewidth=0.7 + 9 * share,
                                  label=f"{percent(share)} of calls"))
    if per_node:
        handles.append(Patch(facecolor="white", edgecolor=FINDING_COLOR, linewidth=2.4, label="has lint findings (count)"))
    columns = max(1, min(len(handles), int(fig.get_figwidth() / 1.9)))
    fig.legend(handles=handles, handler_map=LEGEND_HANDLERS, loc="lower center", ncol=columns, fontsize=8.5,
               bbox_to_anchor=(0.5, 0.02 / fig.get_figheight()), handlelength=2.4, columnspacing=1.4)
