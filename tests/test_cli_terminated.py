"""SIGTERM (timeout, kill, a cancelled CI job) cleans up as Ctrl-C does; a killed run's leftovers go next time."""

from __future__ import annotations

import os
import signal
import time

from conftest import run_cli
from test_sim_engine import BANK

from ivrlint.common.atomic import STALE_AFTER, remove_stale_builds
from ivrlint.report import html as report_html

QUICK = ("--hours", "0.5", "--replications", "1", "--jobs", "1", "--quiet")


def test_sigterm_while_the_report_is_written_leaves_no_hidden_folder_and_exits_143(write, tmp_path, monkeypatch):
    def terminated_midway(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)  # as `timeout` would send it
        raise AssertionError("SIGTERM did not stop the run")

    def escaped(signum, frame):  # reached only if the command installed no handler of its own
        raise AssertionError("SIGTERM reached the caller's handler")

    monkeypatch.setattr(report_html, "render_page", terminated_midway)
    before = signal.signal(signal.SIGTERM, escaped)  # not the default, which would end the test run
    try:
        result = run_cli("simulate", write("bank.yaml", BANK), *QUICK, "--report", tmp_path / "rep")
        assert signal.getsignal(signal.SIGTERM) is escaped  # the command's handler is gone again
    finally:
        signal.signal(signal.SIGTERM, before)
    assert result.code == 143
    assert result.err.endswith("ivrlint: terminated\n")
    assert sorted(os.listdir(tmp_path)) == ["bank.yaml"]  # no .rep.partial-* and no half report


def _hidden_folder(tmp_path, name: str, age: float):
    path = tmp_path / name
    path.mkdir()
    (path / "index.html").write_text("half")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_a_later_report_removes_stale_hidden_folders_of_its_own_name_only(write, tmp_path):
    stale = _hidden_folder(tmp_path, ".rep.partial-ab12cd34", STALE_AFTER + 60)
    fresh = _hidden_folder(tmp_path, ".rep.partial-zz99yy88", 5)  # another run may be writing it now
    other = _hidden_folder(tmp_path, ".other.partial-ab12cd34", STALE_AFTER + 60)
    longer = _hidden_folder(tmp_path, ".rep.partial-x.partial-ab12cd34", STALE_AFTER + 60)  # report 'rep.partial-x'
    result = run_cli("simulate", write("bank.yaml", BANK), *QUICK, "--report", tmp_path / "rep")
    assert result.code == 0, result.err
    assert not stale.exists()
    assert fresh.exists() and other.exists() and longer.exists()
    assert (tmp_path / "rep" / "index.html").is_file()


def test_stale_means_untouched_for_a_minute(tmp_path):
    folder = _hidden_folder(tmp_path, ".rep.partial-ab12cd34", 0)
    now = os.stat(folder).st_mtime
    assert remove_stale_builds(str(tmp_path / "rep"), now=now + STALE_AFTER - 1) == []
    assert remove_stale_builds(str(tmp_path / "rep"), now=now + STALE_AFTER + 1) == [str(folder)]
