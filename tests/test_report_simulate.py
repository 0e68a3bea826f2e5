"""`ivrlint simulate --report`: a real (small) simulation written as a report."""

from __future__ import annotations

import json

from conftest import run_cli
from test_report_html import MULTILINGUAL, Links


def test_simulate_writes_a_report_with_the_analysis_and_no_progress_bar_in_a_pipe(write, tmp_path):
    path = write("multi.yaml", MULTILINGUAL)
    out = tmp_path / "out"
    result = run_cli("simulate", path, "--hours", "1", "--replications", "2", "--jobs", "1", "--seed", "3",
                     "--set", "queues.bendras <q>.agents=3", "--report", out)
    assert result.code == 0, result.err
    assert result.err == f"report: {out}/index.html\n"  # no progress bar when stderr is not a terminal
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "analysis (no simulation)" in page.lower() and "<script>" not in page  # "Exact analysis", or approximate
    parser = Links()
    parser.feed(page)
    assert all((out / link).is_file() for link in parser.links)
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["params"]["seed"] == 3 and metrics["overrides"] == ["queues.bendras <q>.agents=3"]
    assert "--set 'queues.bendras <q>.agents=3'" in metrics["command"]
    assert json.loads((out / "analysis.json").read_text(encoding="utf-8"))["queues"]["bendras <q>"]["agents"] == 3


def test_report_goes_to_reports_menu_id_by_default_with_a_safe_folder_name(write, tmp_path):
    path = write("multi.yaml", MULTILINGUAL)
    result = run_cli("simulate", path, "--hours", "1", "--replications", "2", "--jobs", "1", "--quiet", "--report",
                     cwd=tmp_path)
    assert result.code == 0, result.err
    [folder] = (tmp_path / "reports").iterdir()
    assert folder.name == "daugiakalbis-script-alert-1-script-co"
    assert (folder / "index.html").is_file()


def test_a_folder_that_is_not_a_report_is_refused_before_simulating(write, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run_cli("simulate", write("multi.yaml", MULTILINGUAL), "--report", tmp_path)
    assert result.code == 2 and result.out == ""
    assert "not an ivrlint report" in result.err
