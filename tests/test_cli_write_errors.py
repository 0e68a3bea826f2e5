"""Output that cannot be written: one line naming the file and why, exit 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import MENUS, ROOT, run_cli
from test_sim_engine import BANK

LONG_NAME = "n" * 300  # longer than any file system allows a name to be: a real write error, as root too


def test_graph_to_an_unwritable_name_says_cannot_write_it(tmp_path):
    target = tmp_path / f"{LONG_NAME}.dot"
    result = run_cli("graph", MENUS / "bank.yaml", "-o", target)
    assert result.code == 2
    assert result.err == f"ivrlint: error: cannot write {target}: File name too long\n"


def test_import_over_a_folder_says_cannot_write_it_and_leaves_no_temporary_file(tmp_path):
    (tmp_path / "line.yaml").mkdir()
    result = run_cli("import", "connect", MENUS / "platforms" / "connect", "-o", tmp_path / "line.yaml")
    assert result.code == 2
    assert result.err.splitlines()[-1].startswith(f"ivrlint: error: cannot write {tmp_path / 'line.yaml'}: ")
    assert "Traceback" not in result.err
    assert sorted(os.listdir(tmp_path)) == ["line.yaml"]


def test_simulate_report_to_an_unwritable_name_says_cannot_write_it(write, tmp_path):
    target = tmp_path / LONG_NAME
    result = run_cli("simulate", write("bank.yaml", BANK), "--hours", "0.5", "--replications", "1", "--jobs", "1",
                     "--report", target)
    assert result.code == 2
    assert result.err == f"ivrlint: error: cannot write {target}: File name too long\n"


def test_an_os_error_nobody_expected_is_one_line_naming_the_file(monkeypatch):
    from ivrlint.cli import rules

    def fails(args):
        raise FileNotFoundError(2, "No such file or directory", "gone.yaml")

    monkeypatch.setattr(rules, "run", fails)
    result = run_cli("rules")
    assert result.code == 2
    assert result.err == "ivrlint: error: gone.yaml: No such file or directory\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_on_standard_output_is_one_line_and_exit_2():
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "ivrlint", "check", "--no-config", "menus/bad"], cwd=ROOT,
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.endswith("ivrlint: error: cannot write standard output: No space left on device\n")
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
