"""`ivrlint graph MENU -o FILE`: PNG, SVG or DOT by suffix; DOT quoting that survives any name."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from conftest import ROOT, run_cli

from ivrlint.report.dot import quote

ODD_NAMES = """\
ivr: "line \\"one\\""
start: "main menu"
nodes:
  "main menu":
    type: menu
    label: "Say \\"hi\\" \\\\ back"
    prompt: "Нажмите 1. اضغط 2."
    options:
      1: {goto: "агент \\"главный\\""}
      2: "back\\\\slash"
      9: {action: repeat}
    on_failure: "агент \\"главный\\""
  "агент \\"главный\\"": {type: queue, queue: q}
  "back\\\\slash": {type: hangup}
queues:
  q: {agents: 1, handle_time: 60}
"""

#: A DOT quoted string: anything but an unescaped quote, between quotes.
DOT_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"', re.S)


def unquote(token: str) -> str:
    """Read back a quoted string as Graphviz reads a label: \\" is ", \\\\ is \\, \\n a new line."""
    return re.sub(r"\\(.)", lambda m: {"n": "\n"}.get(m.group(1), m.group(1)), token)


def dot_statements(text: str) -> list[str]:
    """The DOT text with every quoted string replaced by S: what remains must be plain syntax."""
    body = DOT_STRING.sub("S", "\n".join(line for line in text.splitlines() if not line.startswith("//")))
    return [s.strip() for s in body.split(";") if s.strip()]


def test_png_and_svg_are_written_by_suffix(tmp_path):
    png, svg = tmp_path / "bank.png", tmp_path / "bank.SVG"
    assert run_cli("graph", ROOT / "menus/bank.yaml", "-o", png).code == 0
    assert run_cli("graph", ROOT / "menus/bank.yaml", "-o", svg).code == 0
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert ET.parse(svg).getroot().tag.endswith("svg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bank.SVG", "bank.png"]  # no temporary files left


def test_an_unknown_suffix_is_a_usage_error(tmp_path):
    result = run_cli("graph", ROOT / "menus/bank.yaml", "-o", tmp_path / "bank.jpg")
    assert result.code == 2
    assert "name it .png, .svg or .dot" in result.err
    assert not list(tmp_path.iterdir())


def test_a_missing_folder_or_menu_is_one_line_and_exit_2(tmp_path):
    result = run_cli("graph", ROOT / "menus/bank.yaml", "-o", tmp_path / "no" / "bank.png")
    assert result.code == 2 and "does not exist" in result.err and "Traceback" not in result.err
    result = run_cli("graph", tmp_path / "nothing.yaml", "-o", tmp_path / "x.dot")
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1


def test_dot_quotes_names_with_spaces_quotes_backslashes_and_cyrillic(write, tmp_path):
    out = tmp_path / "odd.dot"
    assert run_cli("graph", write("odd.yaml", ODD_NAMES), "-o", out).code == 0
    text = out.read_text(encoding="utf-8")
    statements = dot_statements(text)
    assert statements[0] == "digraph S {\n  graph [charset=S, rankdir=TB, labelloc=t, fontname=S, label=S]"
    attributes = r"\[(\w+=(S|[\w.]+))(, \w+=(S|[\w.]+))*\]"
    for statement in statements[1:]:
        assert re.fullmatch(rf"(node|edge) {attributes}|S {attributes}|S -> S {attributes}|}}", statement), statement
    assert text.count(" -> ") == 3  # 1 and failure to the agent, 2 to the backslash, 9 to itself
    names = {unquote(s) for s in DOT_STRING.findall(text)}
    assert {"main menu", 'агент "главный"', "back\\slash", "line \"one\""} <= names
    assert 'Say "hi" \\ back\n(main menu)' in names
    assert {"1, failure", "2", "9 repeat"} <= names


def test_dot_to_standard_output(tmp_path):
    result = run_cli("graph", ROOT / "menus/baltic-energy.yaml", "-o", "-")
    assert result.code == 0 and result.out.startswith("// baltic-energy")
    assert '"billing" -> "balance" [label="1"];' in result.out


def test_quote_escapes_what_would_end_the_string():
    assert quote('a"b') == '"a\\"b"'
    assert quote("ends with \\") == '"ends with \\\\"'
    assert quote("two\nlines\r\n") == '"two\\nlines\\n"'
    assert quote("bell\x07") == '"bell "'


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_reads_the_dot_back(write, tmp_path):
    out = tmp_path / "odd.dot"
    run_cli("graph", write("odd.yaml", ODD_NAMES), "-o", out)
    result = subprocess.run(["dot", "-Tsvg", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "главный" in result.stdout
