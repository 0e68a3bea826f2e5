"""The menu picture and the simulation figures: layout, flows, files that open."""

from __future__ import annotations

import doctest
import io
import xml.etree.ElementTree as ET

import networkx as nx
import numpy as np
import pytest
from conftest import menu

from ivrlint.report import figures, flows, layout, routing, style
from ivrlint.report.drawing import draw_menu, edge_label
from ivrlint.sim.records import ABANDONED, CONTAINED, HUNG_UP, SERVED, CallRecord, QueueSample, Step

BANKLIKE = """\
ivr: little-bank
start: main
nodes:
  main:
    type: menu
    label: Main menu
    prompt: For cards, press 1. For a person, press 0. To repeat, press 9.
    options:
      1: cards
      0: desk
      9: {action: repeat}
    on_failure: desk
  cards:
    type: self_service
    duration: 30
    success: 0.8
    next: bye
    on_failure: desk
  desk: {type: queue, queue: general}
  bye: {type: hangup}
queues:
  general: {agents: 2, handle_time: 60}
"""


def call(i, intent, nodes, outcome, wait=None, keys=()):
    keys = list(keys) + [None] * len(nodes)
    steps = [Step(n, 10.0 * j, 10.0 * j + 10, keys[j]) for j, n in enumerate(nodes)]
    queued = wait is not None
    return CallRecord(i, 0, 0.0, intent, "en", steps=steps, outcome=outcome, queue="general" if queued else None,
                      queue_enter=10.0 * len(nodes) if queued else None, queue_wait=wait,
                      talk_time=60.0 if outcome == SERVED else None, end=10.0 * len(nodes) + (wait or 0) + 60)


RECORDS = [
    call(1, "cards", ["main", "cards", "bye"], CONTAINED, keys=["1"]),
    call(2, "cards", ["main", "cards", "desk"], SERVED, wait=5.0, keys=["1"]),
    call(3, "other", ["main", "desk"], SERVED, wait=30.0, keys=["0"]),
    call(4, "other", ["main", "main", "desk"], ABANDONED, wait=70.0, keys=["9", "0"]),
    call(5, "other", ["main"], HUNG_UP),
]


def png_ok(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, **style.save_options("png"))
    data = buffer.getvalue()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return data


def svg_root(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, **style.save_options("svg"))
    return ET.fromstring(buffer.getvalue())


def test_module_examples_hold():
    for module in (layout, routing, flows, figures):
        assert doctest.testmod(module).failed == 0, module.__name__


def test_flows_count_each_call_once_per_node_move_and_key():
    counted = flows.call_flows(RECORDS)
    assert counted.calls == 5
    assert counted.node_calls["main"] == 5 and counted.node_calls["desk"] == 3
    assert counted.edge_calls["main", "main"] == 1  # the caller who pressed 9
    assert counted.edge_share("main", "cards") == pytest.approx(0.4)
    assert counted.key_share("main", "0") == pytest.approx(0.4)


def test_rows_follow_keys_and_next_not_failures():
    m = menu(BANKLIKE)
    from ivrlint.menu.digraph import build_graph

    rows = layout.flow_rows(build_graph(m), "main")
    assert rows == [["main"], ["cards", "desk"], ["bye"]]  # desk sits under the menu, not under the task failing to it


def test_unreachable_nodes_get_a_last_row_and_big_menus_are_cut_with_a_note():
    graph = nx.DiGraph([("s", f"a{i}") for i in range(30)] + [(f"a{i}", f"b{i}{j}") for i in range(30) for j in range(9)])
    graph.add_node("lost")
    chosen = layout.choose_rows(graph, "s", max_nodes=120)
    assert [len(row) for row in chosen.rows] == [1, 30]  # the third row is too wide to read: left out whole
    assert chosen.truncated and not chosen.unreachable_row  # the lost node is not drawn: the picture is cut anyway
    assert chosen.hidden["a0"] == 9 and "s" not in chosen.hidden
    lost = nx.DiGraph([("s", "a")])
    lost.add_node("lost")
    assert layout.choose_rows(lost, "s").rows == [["s"], ["a"], ["lost"]]
    small = layout.choose_rows(nx.DiGraph([("s", "a")]), "s")
    assert not small.truncated


def test_boxes_in_a_row_never_overlap_and_children_sit_under_their_parent():
    xs = layout.spread([0.0, 0.0, 0.0], [1.0, 2.0, 1.0], 0.5)
    assert xs[1] - xs[0] >= 1.5 + 0.5 - 1e-9 and xs[2] - xs[1] >= 1.5 + 0.5 - 1e-9
    assert sum(xs) / 3 == pytest.approx(0.0)


def test_edge_labels_say_keys_in_keypad_order_and_name_other_causes():
    m = menu(BANKLIKE)
    assert edge_label(m, "main", "desk", [("failure", None), ("key", "0")]) == "0, failure"
    assert edge_label(m, "cards", "desk", [("failure", None)]) == ""  # the dashed line says it
    assert edge_label(m, "main", "cards", [("key", "#"), ("key", "1"), ("key", "*")]) == "1, *, #"


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]


def test_menu_picture_marks_findings_and_shares_of_calls():
    from ivrlint.lint.findings import Finding

    m = menu(BANKLIKE)
    found = [Finding("x", "X1", "warning", "m", "menu.yaml", 1, 1, "cards"), Finding("y", "Y1", "info", "m", "menu.yaml", 1, 1, "cards")]
    fig = draw_menu(m, found, RECORDS)
    shown = texts(fig)
    assert "2" in shown  # the badge on 'cards'
    assert "1 · 40%" in shown  # key 1 taken by 2 of 5 calls
    assert any("↻ 9 repeat 20%" in t for t in shown)
    assert any("2 lint findings on 1 node" in t for t in shown)
    png_ok(fig)
    assert svg_root(fig).tag.endswith("svg")


def test_menu_text_is_never_read_as_mathematics():
    m = menu(BANKLIKE.replace("label: Main menu", "label: Pay $5 or $x^{$ now"))
    png_ok(draw_menu(m))  # an unbalanced $...$ would raise in mathtext


def test_huge_menu_draws_the_first_rows_and_says_so():
    keys = "123456789"
    lines = ["ivr: huge", "start: main", "nodes:",
             "  main: {type: menu, prompt: p, options: {" + ", ".join(f"{k}: m{k}" for k in keys) + "}}"]
    for k in keys:
        lines.append(f"  m{k}: {{type: menu, prompt: p, options: {{" + ", ".join(f"{j}: m{k}{j}" for j in keys) + "}}")
        lines += [f"  m{k}{j}: {{type: menu, prompt: p, options: {{1: q}}}}" for j in keys]
    lines += ["  q: {type: queue, queue: g}", "queues: {g: {agents: 1, handle_time: 60}}"]
    fig = draw_menu(menu("\n".join(lines) + "\n"))
    subtitle = [t for t in texts(fig) if "nodes" in t][0]
    assert subtitle.startswith("92 nodes · showing the first 2 of 4 levels (10 of 92 nodes)")
    assert fig.get_figwidth() < 80  # still a picture, not a banner
    png_ok(fig)


def test_figures_from_records_open_as_png_and_svg():
    samples = {"general": [QueueSample(0.0, 0, 0), QueueSample(600.0, 2, 2), QueueSample(1800.0, 0, 1)]}
    made = [figures.queue_waits(RECORDS), figures.time_per_intent(RECORDS), figures.outcomes(RECORDS),
            figures.queues_over_time(samples, menu(BANKLIKE))]
    for fig in made:
        png_ok(fig)
        svg_root(fig)
    legend = [t.get_text() for t in made[0].axes[0].get_legend().get_texts()]
    assert legend == ["general: 33% within 20 s, 33% abandoned (3 callers)"]


def test_nothing_to_draw_gives_no_figure():
    assert figures.queue_waits([RECORDS[0]]) is None
    assert figures.queues_over_time({"general": []}) is None
    assert figures.outcomes([]) is None


def test_queue_curves_are_time_weighted_averages_per_bin():
    times, values = np.array([0.0, 30.0, 90.0]), np.array([4.0, 0.0, 2.0])
    assert figures.binned_mean(times, values, np.array([0.0, 60.0, 120.0])) == pytest.approx([2.0, 1.0])
    assert list(figures.binned_peak(times, values, np.array([0.0, 60.0, 120.0]))) == [4.0, 2.0]
    assert figures.bin_minutes(8 * 3600) == 5 and figures.bin_minutes(600) == 1


def test_prompts_in_any_script_are_drawn_with_a_font_that_has_their_letters():
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties(family=style.font_families()))
    font = FT2Font(path)
    for letter in "ąčęėįšųūžāēīķļņŗЖжыالعربية":
        assert font.get_char_index(ord(letter)), letter
