"""`ivrlint import`: any importer's menu written as YAML, its findings as warnings.

The command is tested with a small stand-in importer (a YAML menu that
reports one opaque step), so that these tests pin the command, not a platform.
"""

from __future__ import annotations

import pytest
from conftest import menu_shape, run_cli

from ivrlint import importers
from ivrlint.importers.importer import Importer
from ivrlint.location import Location
from ivrlint.menu.document import Note
from ivrlint.menu.loader import load_menu, read_menu

MENU = """\
ivr: toy
start: main
nodes:
  main:
    type: menu
    prompt: For an agent, press 0.
    options: {0: agent}
    on_failure: agent
  agent: {type: queue, queue: general}
queues:
  general: {agents: 2, handle_time: 120}
"""


def _read_toy(paths):
    document = read_menu(paths[0])
    document.notes.append(Note("opaque-step", "a script is not modelled", Location(paths[0], 5, 3), "main"))
    return document


@pytest.fixture
def toy(monkeypatch, write):
    """A registered 'toy' importer and a file for it."""
    registry = dict(importers.importers())
    registry["toy"] = Importer("toy", "Toy", (".toy",), lambda path, head: False, _read_toy)
    monkeypatch.setattr(importers, "_IMPORTERS", registry)
    return write("line.toy", MENU)


def test_writes_the_menu_to_standard_output_and_findings_as_warnings(toy):
    result = run_cli("import", "toy", toy)
    assert result.code == 0, result.err
    assert result.err == f"{toy}:5:3: warning: a script is not modelled [opaque-step]\n"
    assert result.out.startswith("# Imported by ivrlint from line.toy.\n")
    assert "  # opaque-step: a script is not modelled\n" in result.out


def test_output_file_reads_back_as_the_imported_menu(toy, tmp_path):
    out = tmp_path / "line.yaml"
    result = run_cli("import", "toy", toy, "-o", out)
    assert result.code == 0, result.err
    assert result.out == ""
    assert result.err.splitlines()[-1] == f"wrote {out}: 2 nodes, 1 queue"
    assert menu_shape(load_menu(str(out))) == menu_shape(_read_toy([str(toy)]).menu)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no partial file left


def test_refuses_to_overwrite_an_input_file(toy):
    result = run_cli("import", "toy", toy, "-o", toy)
    assert result.code == 2
    assert "is one of the files to import" in result.err
    assert toy.read_text(encoding="utf-8") == MENU


def test_unreadable_input_is_one_line_and_exit_2(toy, write):
    broken = write("broken.toy", "ivr: [")
    result = run_cli("import", "toy", broken)
    assert result.code == 2
    assert result.err.count("\n") == 1 and result.err.startswith(f"{broken}:")
    assert result.out == ""


def test_output_into_a_missing_folder_is_a_usage_error(toy, tmp_path):
    result = run_cli("import", "toy", toy, "-o", tmp_path / "nowhere" / "line.yaml")
    assert result.code == 2
    assert "does not exist" in result.err


def test_unknown_format_is_refused(toy):
    result = run_cli("import", "yaml", toy)
    assert result.code == 2
    assert "invalid choice" in result.err
