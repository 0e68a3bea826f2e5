"""The pre-commit hook other repositories use: a valid manifest whose entry runs as pre-commit runs it."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

#: pre-commit's manifest: the keys a hook must have, and every key it knows
#: (pre_commit/clientlib.py, MANIFEST_HOOK_DICT); an unknown key is a typo.
REQUIRED = {"id", "name", "entry", "language"}
KNOWN = REQUIRED | {
    "alias", "files", "exclude", "types", "types_or", "exclude_types", "additional_dependencies", "args",
    "always_run", "fail_fast", "pass_filenames", "description", "language_version", "log_file",
    "minimum_pre_commit_version", "require_serial", "stages", "verbose",
}


@pytest.fixture(scope="module")
def hook() -> dict:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    [hook] = [h for h in hooks if h.get("id") == "ivrlint"]
    return hook


def test_the_manifest_has_what_pre_commit_requires(hook):
    assert REQUIRED <= set(hook) <= KNOWN
    assert hook["language"] == "python"  # pre-commit pip-installs this repository
    assert hook["pass_filenames"] is True
    assert shlex.split(hook["entry"])[:2] == ["ivrlint", "check"]


def selected(hook: dict, paths: list[str]) -> list[str]:
    """The files pre-commit hands the hook: `files` matches and `exclude` does not (re.search)."""
    return [p for p in paths if re.search(hook["files"], p) and not re.search(hook["exclude"], p)]


def test_it_runs_on_yaml_files_and_not_on_hidden_ci_files(hook):
    paths = ["menus/bank.yaml", "menus/sub/line.yml", "README.md", "menus/bank.yaml.orig",
             ".pre-commit-config.yaml", ".github/workflows/menus.yml", ".gitlab-ci.yml"]
    assert selected(hook, paths) == ["menus/bank.yaml", "menus/sub/line.yml"]


GOOD = """\
ivr: shop
start: main
nodes:
  main:
    type: menu
    prompt: For hours, press 1. For an agent, press 0.
    options: {1: hours, 0: agent}
    on_failure: agent
  hours: {type: message, prompt: Nine to five., next: main}
  agent: {type: queue, queue: general}
queues:
  general: {agents: 2, handle_time: 120}
"""


def run_entry(hook: dict, repo: Path) -> subprocess.CompletedProcess:
    """Run the entry in `repo` on every file pre-commit would pass it, from this environment's scripts."""
    entry = shlex.split(hook["entry"])
    script = Path(sys.executable).parent / entry[0]
    assert script.exists(), f"the console script {entry[0]} is not installed beside {sys.executable}"
    files = selected(hook, sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file()))
    return subprocess.run([str(script), *entry[1:], *files], cwd=repo, capture_output=True, text=True, timeout=120)


def test_the_entry_lints_the_menus_and_honours_the_repository_configuration(hook, tmp_path):
    (tmp_path / "menus" / "drafts").mkdir(parents=True)
    (tmp_path / ".github").mkdir()
    (tmp_path / "menus" / "shop.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "menus" / "drafts" / "wip.yaml").write_text(GOOD.replace(", next: main}", "}"), encoding="utf-8")
    (tmp_path / ".github" / "ci.yml").write_text("on: push\n", encoding="utf-8")
    (tmp_path / "setup.cfg").write_text("[ivrlint]\nexclude = menus/drafts\nselect = dead-end, unknown-target\n", encoding="utf-8")
    passing = run_entry(hook, tmp_path)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert passing.stdout == "no problems in 1 file\n"

    (tmp_path / "menus" / "shop.yaml").write_text(GOOD.replace("1: hours", "1: hour"), encoding="utf-8")
    failing = run_entry(hook, tmp_path)
    assert failing.returncode == 1
    assert failing.stdout.startswith("menus/shop.yaml:7:18: error unknown-target key 1 of 'main' goes to 'hour'")
