"""The menu as Graphviz DOT text, for people who lay out graphs with ``dot``.

Written by hand rather than through pydot or pygraphviz, so ivrlint needs
neither. Every name and label is a DOT quoted string: a double quote
becomes ``\\"``, a backslash ``\\\\`` (Graphviz reads a lone backslash in a
label as an escape such as ``\\n`` or ``\\N``, and one before the closing
quote would swallow it), a line break ``\\n``, and other control
characters a space. Anything else, Cyrillic, Arabic or emoji, is written
as it is in UTF-8, which Graphviz reads by default (``charset`` says so).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ivrlint.lint.findings import Finding
from ivrlint.menu.digraph import build_graph
from ivrlint.menu.model import KEYS, Menu
from ivrlint.report.drawing import edge_label
from ivrlint.report.layout import FAILURE_CAUSES
from ivrlint.report.style import FINDING_COLOR, NODE_STYLE

#: Graphviz shape of each node type (same meanings as the PNG picture).
DOT_SHAPES = {
    "menu": ("box", "rounded,filled"),
    "message": ("box", "filled"),
    "input": ("parallelogram", "filled"),
    "self_service": ("hexagon", "filled"),
    "branch": ("diamond", "filled"),
    "queue": ("box", "rounded,filled,bold"),
    "transfer": ("cds", "filled"),
    "voicemail": ("trapezium", "filled"),
    "hangup": ("octagon", "filled"),
}

_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def quote(text: str) -> str:
    """`text` as a DOT quoted string that Graphviz reads back as one token.

    >>> print(quote('Say "hi"\\\\now\\nагент'))
    "Say \\"hi\\"\\\\now\\nагент"
    """
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + _CONTROL.sub(" ", text) + '"'


def menu_to_dot(menu: Menu, findings: Sequence[Finding] = ()) -> str:
    """DOT source of `menu`: nodes shaped and coloured by type, edges labelled by key."""
    graph = build_graph(menu)
    per_node: dict[str, int] = {}
    for finding in findings:
        if finding.node:
            per_node[finding.node] = per_node.get(finding.node, 0) + 1
    lines = [
        "// " + _CONTROL.sub(" ", f"{menu.ivr}: drawn by ivrlint graph from {menu.file}").replace("\n", " "),
        f"digraph {quote(menu.ivr)} {{",
        f'  graph [charset="UTF-8", rankdir=TB, labelloc=t, fontname="DejaVu Sans", label={quote("Menu " + menu.ivr)}];',
        '  node [fontname="DejaVu Sans", fontsize=11];',
        '  edge [fontname="DejaVu Sans", fontsize=9];',
    ]
    for node_id, data in graph.nodes(data=True):
        lines.append(f"  {quote(node_id)} [{_node_attributes(menu, node_id, data['type'], per_node.get(node_id, 0))}];")
    for source, target, edge in graph.edges(data=True):
        causes = edge["causes"]
        attributes = [f"label={quote(_label(menu, source, target, causes))}"]
        if all(c in FAILURE_CAUSES for c, _ in causes):
            attributes.append("style=dashed")
        lines.append(f"  {quote(source)} -> {quote(target)} [{', '.join(attributes)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _node_attributes(menu: Menu, node_id: str, kind: str, n_findings: int) -> str:
    node = menu.nodes[node_id]
    shape, style = DOT_SHAPES.get(kind, ("box", "filled"))
    fill, edge, _ = NODE_STYLE.get(kind, ("#ffffff", "#000000", kind))
    label = node.label or node_id
    if node.label and node.label != node_id:
        label += f"\n({node_id})"
    attributes = [f"label={quote(label)}", f"shape={shape}", f'style="{style}"', f'fillcolor="{fill}"']
    if n_findings:
        attributes += [f'color="{FINDING_COLOR}"', "penwidth=2.5",
                       f"xlabel={quote(str(n_findings) + ' finding' + 's' * (n_findings != 1))}"]
    else:
        attributes.append(f'color="{edge}"')
    return ", ".join(attributes)


def _label(menu: Menu, source: str, target: str, causes) -> str:
    """Keys and causes, with actions (repeat, back, top) spelt out, e.g. ``1, 9 repeat``."""
    order = {k: i for i, k in enumerate(KEYS)}
    actions = sorted({(k or "", c) for c, k in causes if c in ("repeat", "back", "top")}, key=lambda a: order.get(a[0], 99))
    plain = edge_label(menu, source, target, [(c, k) for c, k in causes if c not in ("repeat", "back", "top")])
    if not plain and all(c == "failure" for c, _ in causes):
        plain = "failure"
    return ", ".join([p for p in [plain] if p] + [f"{k} {c}".strip() for k, c in actions])
