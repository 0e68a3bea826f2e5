"""The CLI habits of ruff users: check -, --stdin-filename, --output-file, --exit-zero, --statistics, --ignore ALL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
DEAD_END = (ROOT / "menus" / "bad" / "dead-end.yaml").read_text(encoding="utf-8")


def _check(*args, stdin: str | bytes = b"", cwd=ROOT):
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    return subprocess.run([sys.executable, "-m", "ivrlint", "check", *map(str, args)], input=data, capture_output=True, cwd=cwd)


def test_check_reads_standard_input_named_by_stdin_filename(tmp_path):
    plain = _check("-", stdin=DEAD_END)
    assert plain.returncode == 1 and plain.stdout.decode().startswith("<stdin>:10:3: error dead-end")
    named = _check("-", "--stdin-filename", "menus/shop.yaml", stdin=DEAD_END)
    assert named.stdout.decode().startswith("menus/shop.yaml:10:3: error dead-end")
    # the configuration is found from the named path, as for a file there
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / ".ivrlint.yaml").write_text("ignore: [dead-end]\n")
    configured = _check("-", "--stdin-filename", tmp_path / "team" / "shop.yaml", stdin=DEAD_END)
    assert configured.returncode == 0, configured.stdout


def test_standard_input_that_is_no_menu_is_one_error_line_exit_2():
    broken = _check("-", "--stdin-filename", "m.yaml", stdin="ivr: [\n")
    assert broken.returncode == 2 and broken.stderr.decode().startswith("m.yaml:2:1: error:")
    binary = _check("-", stdin=b"\xff\xfe\x00junk")
    assert binary.returncode == 2 and len(binary.stderr.decode().strip().splitlines()) == 1
    assert b"Traceback" not in binary.stderr


def test_stdin_is_given_alone_and_stdin_filename_only_with_it():
    assert run_cli("check", "-", "menus/bank.yaml", cwd=ROOT).code == 2
    alone = run_cli("check", "--stdin-filename", "x.yaml", "menus/bank.yaml", cwd=ROOT)
    assert alone.code == 2 and "--stdin-filename names what - reads" in alone.err


def test_output_file_gets_the_report_and_standard_output_nothing(tmp_path):
    out = tmp_path / "findings.json"
    result = run_cli("check", "--format", "json", "--output-file", out, "menus/bad/dead-end.yaml", cwd=ROOT)
    assert result.code == 1 and result.out == ""
    [finding] = json.loads(out.read_text())
    assert finding["rule"] == "dead-end"
    missing = run_cli("check", "--output-file", tmp_path / "no" / "such" / "dir" / "f.txt", "menus/bank.yaml", cwd=ROOT)
    assert missing.code == 2 and "does not exist" in missing.err
    assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.glob(".*partial"))


def test_exit_zero_keeps_findings_but_not_unreadable_files(tmp_path):
    result = run_cli("check", "--exit-zero", "menus/bad/dead-end.yaml", cwd=ROOT)
    assert result.code == 0 and "dead-end" in result.out
    (tmp_path / "broken.yaml").write_text("ivr: [\n")
    assert run_cli("check", "--exit-zero", tmp_path / "broken.yaml").code == 2


def test_statistics_counts_findings_per_rule_most_first():
    result = run_cli("check", "--statistics", "menus/bad/", "--no-config", cwd=ROOT)
    lines = result.out.splitlines()
    counts = [int(line.split()[0]) for line in lines]
    assert counts == sorted(counts, reverse=True) and sum(counts) > len(lines)
    assert all(len(line.split()) == 3 for line in lines)
    full = json.loads(run_cli("check", "--format", "json", "menus/bad/", "--no-config", cwd=ROOT).out)
    as_json = json.loads(run_cli("check", "--statistics", "--format", "json", "menus/bad/", "--no-config", cwd=ROOT).out)
    assert sum(row["count"] for row in as_json) == len(full)
    assert {row["rule"]: row["count"] for row in as_json}["no-zero-out"] == sum(f["rule"] == "no-zero-out" for f in full)


def test_ignore_all_turns_everything_off_and_select_adds_back():
    nothing = run_cli("check", "--ignore", "ALL", "menus/bad/", "--no-config", cwd=ROOT)
    assert nothing.code == 0 and nothing.out.startswith("no problems")
    one = json.loads(run_cli("check", "--ignore", "ALL", "--select", "no-zero-out", "--format", "json", "menus/bad/",
                             "--no-config", cwd=ROOT).out)
    assert one and {f["rule"] for f in one} == {"no-zero-out"}
    everything_but = json.loads(run_cli("check", "--select", "ALL", "--ignore", "no-zero-out", "--format", "json",
                                        "menus/bad/", "--no-config", cwd=ROOT).out)
    assert "no-zero-out" not in {f["rule"] for f in everything_but} and len({f["rule"] for f in everything_but}) > 5


def test_a_directory_search_skips_yaml_that_is_no_menu_but_reads_a_broken_menu(tmp_path):
    (tmp_path / "menus").mkdir()
    (tmp_path / "menus" / "shop.yaml").write_text((ROOT / "menus" / "bank.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "docker-compose.yml").write_text("services:\n  web:\n    image: nginx\n")
    (tmp_path / "empty.yaml").write_text("")
    quiet = run_cli("check", tmp_path)
    assert quiet.code == 0 and quiet.err == "" and "in 1 file" in quiet.out
    told = run_cli("check", "--verbose", tmp_path)
    assert told.code == 0 and told.err.count("skipped") == 2 and "docker-compose.yml: skipped" in told.err
    named = run_cli("check", tmp_path / "docker-compose.yml")
    assert named.code == 2 and "not an ivrlint menu" in named.err  # a file named outright is read, and refused
    (tmp_path / "menus" / "broken.yaml").write_text("ivr: [\n")
    broken = run_cli("check", tmp_path)
    assert broken.code == 2 and "broken.yaml:2:1: error" in broken.err
