"""What the report's figures say adds up: the menu picture's caption counts
the findings its badges show, and findings at no node are said apart."""

from __future__ import annotations

import doctest

from conftest import menu

from ivrlint.lint.findings import Finding
from ivrlint.report import drawing
from ivrlint.report.drawing import draw_menu

SHOP = """\
ivr: shop
start: main
nodes:
  main:
    type: menu
    prompt: For orders, press 1. For an agent, press 0.
    options: {1: desk, 0: desk}
  desk: {type: queue, queue: general}
queues:
  general: {agents: 1, handle_time: 300}
"""


def caption(findings) -> str:
    fig = draw_menu(menu(SHOP), findings)
    return next(t.get_text() for t in fig.texts if "nodes" in t.get_text())


def finding(node):
    return Finding("x", "X1", "warning", "m", "menu.yaml", 1, 1, node)


def test_a_finding_at_no_node_is_counted_apart_from_the_badges():
    assert caption([finding("main"), finding(None)]).endswith("2 lint findings, 1 of them on a node (red)")


def test_findings_all_on_nodes_are_counted_with_their_nodes():
    assert caption([finding("main"), finding("main"), finding("desk")]).endswith("3 lint findings on 2 nodes (red)")


def test_findings_none_of_them_on_a_node_say_so():
    assert caption([finding(None)]).endswith("1 lint finding, none on a node drawn")


def test_drawing_examples_hold():
    assert doctest.testmod(drawing).failed == 0
