"""check --format json stays a plain list of findings for scripts; a file
that cannot be read is not a finding: its error goes to stderr, the exit
status is 2, and the README says so."""

from __future__ import annotations

import json

from conftest import ROOT, run_cli


def test_json_holds_the_findings_of_readable_files_and_errors_go_to_stderr(write):
    broken = write("broken.yaml", "ivr: x\nstart: [\n")
    result = run_cli("check", "--no-config", "--format", "json", broken, ROOT / "menus" / "bad" / "dead-end.yaml")
    assert result.code == 2
    findings = json.loads(result.out)
    assert isinstance(findings, list) and findings and all("rule" in f for f in findings)
    assert not any(f["file"].endswith("broken.yaml") for f in findings)
    assert result.err.startswith(f"{broken}:3:1: error: invalid YAML")


def test_the_readme_says_where_unreadable_files_go_in_json():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `json` |"))
    assert "stderr" in row and "exit" in row
