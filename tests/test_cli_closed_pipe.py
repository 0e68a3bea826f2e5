"""A reader that stops early (`ivrlint ... | head`) does not change the run's outcome.

CI with `set -o pipefail` must still fail on findings, and the files a run
writes must still be written.
"""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT
from test_compare import BASE
from test_sim_engine import BANK


def run_into_closed_pipe(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    """Run ivrlint with its standard output a pipe nobody reads: the first write fails with EPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([sys.executable, "-m", "ivrlint", *map(str, args)], cwd=cwd, stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)


def test_check_into_a_closed_pipe_still_exits_1_on_findings():
    done = run_into_closed_pipe("check", "--no-config", "menus/bad")
    assert done.returncode == 1
    assert done.stderr == ""


def test_compare_into_a_closed_pipe_still_fails_the_gate(write):
    base = write("base.yaml", BASE)
    broken = write("head.yaml", BASE.replace("next: bye, on_failure: agent}", "next: nowhere, on_failure: agent}"))
    done = run_into_closed_pipe("compare", base, broken, "--fail-on-regression", "--no-config")
    assert done.returncode == 1, done.stderr


def test_simulate_into_a_closed_pipe_still_writes_the_report(write, tmp_path):
    out = tmp_path / "report"
    done = run_into_closed_pipe("simulate", write("bank.yaml", BANK), "--hours", "0.5", "--replications", "1",
                                "--jobs", "1", "--report", out)
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"report: {out}/index.html\n"
    assert (out / "index.html").is_file()
