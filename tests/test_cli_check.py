"""`ivrlint check`: output, exit statuses, several files, configuration."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import GOOD_MENUS, MENUS, ROOT, run_cli

GOOD = """\
ivr: t
start: main
nodes:
  main:
    type: menu
    prompt: For sales, press 1. For an agent, press 0. To hear this again, press 9.
    options: {1: agent, 0: agent, 9: {action: repeat}}
    on_failure: agent
  agent: {type: queue, queue: q}
queues:
  q: {agents: 1, handle_time: 60}
"""


def test_clean_menus_exit_zero_with_a_summary():
    result = run_cli("check", "menus/", cwd=ROOT)
    assert result.code == 0, result.out + result.err
    platform_files = [p for p in (MENUS / "platforms").rglob("*") if p.is_file()]  # the importers' examples
    assert result.out.strip() == f"no problems in {len(GOOD_MENUS) + len(platform_files)} files"


def test_findings_are_one_line_each_then_a_summary(write):
    path = write("m.yaml", GOOD.replace("1: agent", "1: agnet"))
    result = run_cli("check", path)
    assert result.code == 1
    first, *_, summary = result.out.splitlines()
    assert first == f"{path}:7:18: error unknown-target key 1 of 'main' goes to 'agnet', which does not exist; did you mean 'agent'?"
    assert summary == "1 error in 1 file"


def test_json_lists_findings_with_every_field(write):
    path = write("m.yaml", GOOD.replace("1: agent", "1: agnet"))
    result = run_cli("check", "--format", "json", path)
    [item] = json.loads(result.out)
    assert item == {
        "rule": "unknown-target", "code": "S101", "severity": "error",
        "message": item["message"], "file": str(path), "line": 7, "column": 18, "node": "main",
    }


def test_unreadable_file_exits_2_and_others_are_still_checked(write):
    bad = write("a.yaml", "ivr: [")
    worse = write("b.yaml", GOOD.replace("1: agent", "1: agnet"))
    result = run_cli("check", bad, worse)
    assert result.code == 2
    assert f"{bad}:2:1: error: invalid YAML" in result.err
    assert "unknown-target" in result.out
    assert result.out.splitlines()[-1] == "1 error in 1 file; 1 file could not be read"


def test_missing_file_exits_2_with_one_line(tmp_path):
    result = run_cli("check", tmp_path / "nope.yaml")
    assert result.code == 2
    assert result.err.strip() == f"{tmp_path / 'nope.yaml'}: error: no such file; check the path"


def test_fail_on_threshold(write):
    path = write("m.yaml", GOOD.replace("1: agent", "1: agnet"))
    assert run_cli("check", "--fail-on", "error", path).code == 1
    assert run_cli("check", "--ignore", "unknown-target", path).code == 0


def test_select_runs_only_the_named_rules(write):
    path = write("m.yaml", GOOD.replace("1: agent", "1: agnet"))
    result = run_cli("check", "--select", "dead-end", path)
    assert result.code == 0 and result.out.strip() == "no problems in 1 file"


def test_unknown_rule_in_flags_is_a_usage_error(write):
    path = write("m.yaml", GOOD)
    result = run_cli("check", "--select", "no-such-rule", path)
    assert result.code == 2 and "unknown rule 'no-such-rule'" in result.err


def test_directories_are_searched_for_yaml_and_yml(write, tmp_path):
    write("a/one.yaml", GOOD)
    write("a/b/two.yml", GOOD)
    write("a/notes.txt", "not a menu")
    result = run_cli("check", tmp_path / "a")
    assert result.out.strip() == "no problems in 2 files"


def test_project_configuration_excludes_the_bad_examples():
    result = run_cli("check", "menus/", cwd=ROOT)
    assert "bad" not in result.out
    result = run_cli("check", "--no-config", "menus/", cwd=ROOT)
    assert result.code == 1 and "menus/bad/" in result.out


def test_rules_lists_every_rule_and_prints_a_page():
    listing = run_cli("rules")
    assert "S103  dead-end" in listing.out
    page = run_cli("rules", "dead-end")
    assert page.code == 0 and "Why it matters" in page.out and "Fails::" in page.out
    assert run_cli("rules", "nope").code == 2


def test_python_dash_m_and_no_traceback_on_bad_input(write):
    bad = write("x.yaml", b"\x00\x01binary")
    proc = subprocess.run([sys.executable, "-m", "ivrlint", "check", str(bad)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_usage_error_exits_2():
    assert run_cli("check").code == 2
    assert run_cli("frobnicate").code == 2


def test_a_directory_without_menus_is_an_error_not_a_silent_pass(tmp_path):
    result = run_cli("check", tmp_path)
    assert result.code == 2
    assert "no menu files here (*.yaml, *.yml" in result.err


def test_tab_indentation_gets_a_hint(write):
    path = write("t.yaml", "ivr: x\nstart: a\nnodes:\n\ta: {type: hangup}\n")
    result = run_cli("check", path)
    assert result.code == 2
    assert f"{path}:4:1: error: invalid YAML: a tab character; indent with spaces, not tabs" in result.err
