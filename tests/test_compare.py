"""`ivrlint compare`: structural changes, new and fixed findings, regressions, git mode."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import menu, run_cli

from ivrlint.lint.findings import Finding
from ivrlint.whatif.findings_diff import diff_findings, normalise
from ivrlint.whatif.reach import seconds_to_person
from ivrlint.whatif.regressions import Threshold, parse_threshold, thresholds_from
from ivrlint.whatif.structure import diff_menus

BASE = """\
ivr: shop
start: main
nodes:
  main:
    type: menu
    prompt: For billing, press 1. To speak with a representative, press 0.
    options:
      1: billing
      0: agent
      9: {action: repeat}
    on_failure: agent
  billing: {type: self_service, duration: 40, success: 0.8, next: bye, on_failure: agent}
  agent: {type: queue, queue: general}
  bye: {type: hangup}
queues:
  general: {agents: 8, handle_time: 4m}
"""

#: BASE with the representative moved from the main menu into a submenu.
DEEPER = BASE.replace("To speak with a representative, press 0.", "For anything else, press 2.").replace(
    "      0: agent\n", "      2: more\n").replace("  agent: {type: queue", """\
  more:
    type: menu
    prompt: For opening hours, press 1. To speak with a representative, press 0.
    options: {1: bye, 0: agent}
    on_failure: agent
  agent: {type: queue""")

TRAFFIC = """\
traffic:
  calls_per_hour: 120
  patience: 2m
  intents:
    pay: {share: 0.6, goal: billing}
    talk: {share: 0.4, goal: agent}
"""


def kinds(base: str, head: str) -> list[tuple]:
    return [(c.kind, c.where, c.what, c.before, c.after) for c in diff_menus(menu(base), menu(head))]


def test_an_unchanged_menu_has_no_changes():
    assert kinds(BASE, BASE) == []


def test_options_added_removed_and_repointed_are_named_by_menu_and_key():
    head = BASE.replace("      1: billing\n      0: agent\n", "      1: agent\n      2: billing\n")
    assert kinds(BASE, head) == [
        ("option-removed", "main", "0", "agent", None),
        ("option-repointed", "main", "1", "billing", "agent"),
        ("option-added", "main", "2", None, "billing"),
    ]


def test_nodes_added_removed_and_retyped_are_reported():
    head = BASE.replace("  bye: {type: hangup}", "  bye: {type: message, prompt: Bye., next: end}\n  end: {type: hangup}")
    head = head.replace("next: bye, on_failure: agent}", "next: bye, on_failure: agent}\n  extra: {type: hangup}")
    found = kinds(BASE, head)
    assert ("type-changed", "bye", "type", "hangup", "message") in found
    assert ("node-added", "end", "", None, "hangup") in found
    assert ("node-added", "extra", "", None, "hangup") in found
    assert ("node-removed", "end", "", "hangup", None) in kinds(head, BASE)


def test_exits_prompts_and_pools_are_compared():
    head = BASE.replace("on_failure: agent\n  billing", "on_failure: bye\n  billing")
    head = head.replace("To speak with a representative", "To talk to someone")
    head = head.replace("agents: 8", "agents: 6")
    described = [c.describe() for c in diff_menus(menu(BASE), menu(head))]
    assert "node 'main': on_failure now 'bye' (was 'agent')" in described
    assert "node 'main': prompt reworded (en)" in described
    assert "pool 'general': agents 8 -> 6" in described


def test_findings_are_matched_by_rule_node_and_message_not_by_line():
    a = Finding("dead-end", "S103", "error", "message 'x' has no 'next'", "m.yaml@HEAD", 10, 3, "x")
    moved = Finding("dead-end", "S103", "error", "message 'x' has no 'next'", "m.yaml", 14, 3, "x")
    other = Finding("dead-end", "S103", "error", "message 'y' has no 'next'", "m.yaml", 20, 3, "y")
    new, fixed = diff_findings([a], [moved, other])
    assert (new, fixed) == ([other], [])
    assert diff_findings([a, a], [moved]) == ([], [a])  # one of two identical findings fixed


def test_messages_are_normalised_without_files_and_positions():
    assert normalise("first written at line 12, see m.yaml:3:4", ["m.yaml"]) == "first written at #, see <file>:#"
    assert normalise("key  '1'\n twice") == "key '1' twice"


def test_fastest_route_to_a_person_counts_the_prompt_until_the_key_is_announced():
    m = menu(BASE)
    # "For billing, press 1. To speak with a representative, press 0." : 11 words at 160 wpm + 2 pauses
    assert seconds_to_person(m)["overall"] == pytest.approx(11 * 60 / 160 + 2 * 0.6, abs=1e-3)


def test_a_person_one_menu_deeper_takes_longer_to_reach():
    assert seconds_to_person(menu(DEEPER))["overall"] > 1.5 * seconds_to_person(menu(BASE))["overall"]


def regressions(write, base: str, head: str, *flags: str) -> tuple[int, dict]:
    result = run_cli("compare", write("base.yaml", base), write("head.yaml", head), "--format", "json",
                     "--fail-on-regression", *flags)
    assert result.code in (0, 1), result.err
    return result.code, json.loads(result.out)


def test_an_unchanged_menu_passes(write):
    code, report = regressions(write, BASE + TRAFFIC, BASE + TRAFFIC)
    assert code == 0
    assert report["regressions"] == [] and report["changes"] == []
    assert report["measures"]["queues"]["general"]["mean_wait"]["delta"] == 0


def test_a_person_moved_one_menu_deeper_fails_naming_the_intent(write):
    code, report = regressions(write, BASE + TRAFFIC, DEEPER + TRAFFIC)
    assert code == 1
    worse = {(r["scope"], r["name"], r["measure"]) for r in report["regressions"]}
    assert ("intent", "talk", "seconds_to_person") in worse
    assert ("intent", "talk", "ivr_seconds") in worse
    assert ("intent", "pay", "seconds_to_person") not in worse  # billing callers lost nothing
    assert any(r["message"].startswith("intent 'talk': seconds_to_person") for r in report["regressions"])


def test_a_pool_that_lost_agents_fails_naming_the_pool(write, tmp_path):
    code, report = regressions(write, BASE + TRAFFIC, BASE.replace("agents: 8", "agents: 3") + TRAFFIC)
    assert code == 1
    worse = {(r["scope"], r["name"], r["measure"]) for r in report["regressions"]}
    assert {("pool", "general", "mean_wait"), ("pool", "general", "p_abandon")} <= worse
    text = run_cli("compare", tmp_path / "base.yaml", tmp_path / "head.yaml", "--fail-on-regression")
    assert text.code == 1
    assert "REGRESSION pool 'general': mean_wait" in text.out


def test_no_person_reachable_any_more_is_a_regression(write):
    head = BASE.replace("      0: agent\n", "").replace("on_failure: agent\n  billing", "on_failure: bye\n  billing")
    code, report = regressions(write, BASE + TRAFFIC, head.replace("on_failure: agent}", "on_failure: bye}") + TRAFFIC)
    assert code == 1
    messages = [r["message"] for r in report["regressions"]]
    assert any(m.startswith("overall: seconds_to_person") and "unreachable" in m for m in messages)


def test_a_new_version_the_analysis_refuses_fails_and_says_why(write):
    head = BASE + TRAFFIC.replace("share: 0.6", "share: 0").replace("share: 0.4", "share: 0")
    code, report = regressions(write, BASE + TRAFFIC, head)
    assert code == 1
    assert any(r["message"].startswith("the analysis cannot run on the new version") for r in report["regressions"])
    code, report = regressions(write, head, BASE + TRAFFIC)  # fixing such a menu is no regression
    assert code == 0 and report["notes"][0].startswith("not analysed:")


def test_thresholds_decide_what_counts_as_worse(write):
    head = BASE.replace("agents: 8", "agents: 6") + TRAFFIC
    code, report = regressions(write, BASE + TRAFFIC, head)
    moved = report["measures"]["queues"]["general"]
    assert code == 1 and moved["mean_wait"]["delta"] > 0
    loose = [f"{m}=off" for m in ("mean_wait", "p_abandon", "service_level", "ivr_seconds")]
    code, report = regressions(write, BASE + TRAFFIC, head, *sum((["--threshold", t] for t in loose), []))
    assert code == 0, report["regressions"]


def test_simulate_runs_both_sides_with_the_same_seed(write):
    base = write("base.yaml", BASE + TRAFFIC)
    flags = ("--simulate", "--hours", "0.5", "--replications", "3", "--jobs", "1", "--format", "json")
    same = json.loads(run_cli("compare", base, base, *flags).out)["simulated"]
    assert same["params"] == {"hours": 0.5, "replications": 3, "seed": 1}
    wait = same["measures"]["queues"]["general"]["mean_wait"]
    assert set(wait["before"]) == {"mean", "ci95"}
    assert wait["delta"] == 0  # common random numbers: an unchanged menu simulates identically
    head = write("head.yaml", BASE.replace("agents: 8", "agents: 2") + TRAFFIC)
    worse = json.loads(run_cli("compare", base, head, *flags).out)["simulated"]["measures"]["queues"]["general"]
    assert worse["mean_wait"]["delta"] > 0
    text = run_cli("compare", base, head, *flags[:-2]).out
    assert "Simulated measures, mean [95% CI] (3 x 0.5 h, seed 1" in text


def test_thresholds_parse_relative_absolute_both_and_off():
    assert parse_threshold("mean_wait=10%,5s") == ("mean_wait", Threshold(0.10, 5.0))
    assert parse_threshold("seconds_to_person=1m") == ("seconds_to_person", Threshold(None, 60.0))
    assert parse_threshold("p_goal=0.05") == ("p_goal", Threshold(None, 0.05))
    assert thresholds_from(["p_abandon=off"])["p_abandon"] == Threshold()


@pytest.mark.parametrize("text,fragment", [
    ("nonsense=1", "unknown measure 'nonsense'"),
    ("p_goal", "should be NAME=VALUE"),
    ("p_goal=lots", "not a number"),
    ("p_goal=5s", "not a time"),
    ("occupancy=0.1", "unknown measure 'occupancy'"),
])
def test_bad_thresholds_exit_2_with_one_line(write, text, fragment):
    path = write("m.yaml", BASE)
    result = run_cli("compare", path, path, "--threshold", text)
    assert result.code == 2
    assert fragment in result.err and "Traceback" not in result.err


def test_thresholds_need_both_parts_exceeded():
    both = Threshold(relative=0.10, absolute=5.0)
    assert not both.exceeded(3.0, 10.0)  # +30% but only +3 s
    assert not both.exceeded(6.0, 100.0)  # +6 s but only +6%
    assert both.exceeded(6.0, 10.0)
    assert not Threshold(relative=0.1).exceeded(-5.0, 10.0)  # better is never a regression


def test_compare_with_no_traffic_still_gates_the_time_to_a_person(write):
    base = write("base.yaml", BASE)
    head = write("head.yaml", BASE.replace("For billing, press 1. To speak", "For billing, press 1. For our opening hours and address, listen on. To speak"))
    result = run_cli("compare", base, head, "--fail-on-regression")
    assert result.code == 1
    assert "overall: seconds_to_person" in result.out
    assert "neither menu has a traffic section" in result.out


def test_a_new_error_fails_the_gate_and_a_fixed_one_is_listed(write):
    base = write("base.yaml", BASE)
    broken = write("head.yaml", BASE.replace("next: bye, on_failure: agent}", "next: nowhere, on_failure: agent}"))
    result = run_cli("compare", base, broken, "--fail-on-regression", "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    assert [f["rule"] for f in report["findings"]["new"]] == ["unknown-target", "unreachable"]
    assert [(r["scope"], r["measure"]) for r in report["regressions"]][0] == ("finding", "unknown-target")
    back = json.loads(run_cli("compare", broken, base, "--format", "json").out)
    assert [f["rule"] for f in back["findings"]["fixed"]] == ["unknown-target", "unreachable"]
    assert back["findings"]["new"] == []


def test_shifted_lines_do_not_make_findings_new(write):
    broken = BASE.replace("next: bye, on_failure: agent}", "next: nowhere, on_failure: agent}")
    shifted = "# a comment\n# and another\n" + broken
    result = run_cli("compare", write("a.yaml", broken), write("b.yaml", shifted), "--format", "json", "--fail-on-regression")
    report = json.loads(result.out)
    assert report["findings"] == {"new": [], "fixed": []}
    assert result.code == 0


def test_markdown_has_a_summary_line_tables_and_collapsible_details(write):
    base = write("base.yaml", BASE)
    head = write("head.yaml", BASE.replace("agents: 8", "agents: 6"))
    out = run_cli("compare", base, head, "--format", "markdown").out
    assert out.startswith("### :white_check_mark: ivrlint compare")
    assert "**no regressions; 1 change; 0 new findings, 0 fixed**" in out
    assert "<details><summary>Changes (1)</summary>" in out
    assert "Analysed measures: all 1 unchanged." in out


def test_compare_needs_two_menus_or_git_and_one_file(write):
    path = write("m.yaml", BASE)
    assert run_cli("compare", path).code == 2
    assert "BASE and HEAD" in run_cli("compare", path).err
    assert run_cli("compare", "--git", "HEAD", path, path).code == 2


# -- --git --------------------------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(cwd), "PATH": "/usr/bin:/bin:/usr/local/bin"})


@needs_git
def test_git_mode_compares_a_file_with_its_committed_version(tmp_path):
    (tmp_path / "menus").mkdir()
    path = tmp_path / "menus" / "shop.yaml"
    path.write_text(BASE)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "menus/shop.yaml")
    _git(tmp_path, "commit", "-qm", "first")
    path.write_text(BASE.replace("agents: 8", "agents: 5"))
    result = run_cli("compare", "--git", "HEAD", "menus/shop.yaml", "--format", "json", cwd=tmp_path)
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["base"] == "menus/shop.yaml@HEAD"
    assert [c["text"] for c in report["changes"]] == ["pool 'general': agents 8 -> 5"]


@needs_git
def test_git_mode_errors_are_one_line_exit_2(tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "m.yaml").write_text(BASE)
    result = run_cli("compare", "--git", "HEAD", plain / "m.yaml")
    assert result.code == 2 and "not inside a git repository" in result.err
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "old.yaml").write_text(BASE)
    _git(repo, "init", "-q")
    _git(repo, "add", "old.yaml")
    _git(repo, "commit", "-qm", "first")
    (repo / "new.yaml").write_text(BASE)
    missing = run_cli("compare", "--git", "HEAD", repo / "new.yaml")
    assert missing.code == 2 and "did not exist at HEAD" in missing.err
    unknown = run_cli("compare", "--git", "no-such-branch", repo / "old.yaml")
    assert unknown.code == 2 and "no such revision" in unknown.err
    assert all(len(r.err.strip().splitlines()) == 1 for r in (result, missing, unknown))
