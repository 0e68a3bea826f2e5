"""The menu picture: no arrow runs through a box it does not join, and rows are ordered to cross few arrows."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivrlint.errors import InputError
from ivrlint.menu.loader import load_menu, load_text
from ivrlint.report.drawing import arrange
from ivrlint.report.layout import Layout, _neighbours, crossings, order_rows, thread

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "menus").glob("*.yaml")) + sorted((ROOT / "menus" / "bad").glob("*.yaml"))


def _crosses_box(a, b, box, margin=1e-6) -> bool:
    """Does segment a-b enter the box (left, right, bottom, top), shrunk by `margin`? (Liang-Barsky)"""
    left, right, bottom, top = box[0] + margin, box[1] - margin, box[2] + margin, box[3] - margin
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for p, q in ((-dx, x1 - left), (dx, right - x1), (-dy, y1 - bottom), (dy, top - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _through_boxes(menu) -> list[tuple[str, str, str]]:
    """(source, target, box) for every arrow segment that enters a box other than its ends."""
    _, _, layout, _, paths = arrange(menu)
    boxes = {n: (x - layout.size[n][0] / 2, x + layout.size[n][0] / 2, y - layout.size[n][1] / 2, y + layout.size[n][1] / 2)
             for n in layout.drawn for x, y in [layout.pos[n]]}
    bad = []
    for (source, target), points in paths.items():
        for a, b in zip(points, points[1:], strict=False):
            bad += [(source, target, n) for n, box in boxes.items() if n not in (source, target) and _crosses_box(a, b, box)]
    return bad


def _loadable(path: Path):
    try:
        return load_menu(str(path))
    except InputError:
        return None


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_no_arrow_of_a_bundled_menu_runs_through_a_box(path):
    menu = _loadable(path)
    if menu is None:
        pytest.skip("this bad example is not a menu that loads")
    assert _through_boxes(menu) == []


def _big_menu(branches: int = 6, keys: int = 5) -> str:
    """A 70-node menu with keys down, failures across and back up, a back key in every submenu, and
    some calls sent back to the start."""
    lines = ["ivr: big", "start: main", "nodes:", "  main:", "    type: menu", "    prompt: Choose.",
             "    options: {" + ", ".join(f"{i}: m{i}" for i in range(1, branches + 1)) + ", 0: desk0}", "    on_failure: desk0"]
    for i in range(1, branches + 1):
        options = ", ".join(f"{k}: leaf{i}_{k}" for k in range(1, keys + 1))
        lines += [f"  m{i}:", "    type: menu", "    prompt: Choose again.",
                  f"    options: {{{options}, 0: desk{i % 3}, '*': {{action: back}}}}", f"    on_failure: desk{(i + 1) % 3}"]
        for k in range(1, keys + 1):
            lines += [f"  leaf{i}_{k}:", "    type: self_service", "    duration: 30", "    success: 0.8",
                      f"    next: done{i}_{k}", f"    on_failure: {'m' + str((i % branches) + 1) if k % 2 else 'desk' + str(k % 3)}",
                      f"  done{i}_{k}: {{type: message, prompt: Done., next: {'bye' if k % 3 else 'main'}}}"]
    lines += [f"  desk{d}: {{type: queue, queue: q{d}}}" for d in range(3)]
    lines += ["  bye: {type: hangup}", "queues:"] + [f"  q{d}: {{agents: 3, handle_time: 120}}" for d in range(3)]
    return "\n".join(lines) + "\n"


def test_no_arrow_of_a_generated_60_node_menu_runs_through_a_box():
    menu = load_text(_big_menu())
    assert len(menu.nodes) >= 60
    assert _through_boxes(menu) == []


def test_the_checker_sees_an_arrow_through_a_box():
    assert _crosses_box((0, -1), (0, 1), (-0.5, 0.5, -0.2, 0.2))
    assert not _crosses_box((1, -1), (1, 1), (-0.5, 0.5, -0.2, 0.2))
    assert not _crosses_box((-0.5, -1), (-0.5, 1), (-0.5, 0.5, -0.2, 0.2))  # along its side is not through it


def test_rows_are_reordered_to_uncross_arrows_and_kept_when_nothing_crosses():
    crossed = Layout(rows=[["s"], ["a", "b"], ["c", "d"]])
    thread(crossed, [("s", "a"), ("s", "b"), ("a", "d"), ("b", "c")])
    order_rows(crossed)
    assert crossed.rows[2] == ["d", "c"] or crossed.rows[1] == ["b", "a"]
    _, below = _neighbours(crossed)
    assert crossings(crossed.rows, below) == 0
    straight = Layout(rows=[["s"], ["a", "b"], ["c", "d"]])
    thread(straight, [("s", "a"), ("s", "b"), ("a", "c"), ("b", "d")])
    assert order_rows(straight).rows == [["s"], ["a", "b"], ["c", "d"]]  # the menu's own order stays


def test_an_arrow_that_skips_rows_gets_a_slot_in_each_row_it_passes():
    layout = Layout(rows=[["s"], ["a"], ["b"], ["c"]])
    thread(layout, [("s", "c"), ("c", "a")])
    assert len(layout.paths["s", "c"]) == 4 and len(layout.paths["c", "a"]) == 3
    assert [len(row) for row in layout.rows] == [1, 2, 3, 1]
