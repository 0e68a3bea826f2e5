"""compare on Archy flows: two exports that differ in refIds, whitespace or key order are no change; a key is."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import yaml
from conftest import ROOT, run_cli

from ivrlint.importers import read_any
from ivrlint.whatif.compare import compare_menus

GOOD = ROOT / "menus" / "platforms" / "genesys" / "Acme Support.yaml"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _renumbered(text: str) -> str:
    """The flow as another export writes it: new refIds (and every reference to them), keys in another order,
    another indentation and line width, other quoting."""
    flow = yaml.safe_load(text)
    ids: dict[str, str] = {}

    def walk(value, change):
        if isinstance(value, dict):
            for key, item in value.items():
                value[key] = change(key, item) if isinstance(item, str) else walk(item, change)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                value[index] = walk(item, change)
        return value

    def renumber(key, item):
        if key == "refId":
            ids[item] = f"ref_{len(ids) + 40}"
            return ids[item]
        return item

    def repoint(key, item):
        for old, new in ids.items():
            item = item.replace(f"[{old}]", f"[{new}]")
        return item
    walk(walk(flow, renumber), repoint)
    return yaml.safe_dump(flow, sort_keys=True, indent=4, width=50, default_flow_style=False, allow_unicode=True)


def _pair(tmp_path, head: str) -> tuple[str, str]:
    for side, text in (("old", GOOD.read_text(encoding="utf-8")), ("new", head)):
        (tmp_path / side).mkdir()
        (tmp_path / side / GOOD.name).write_text(text, encoding="utf-8")
    return str(tmp_path / "old" / GOOD.name), str(tmp_path / "new" / GOOD.name)


def _changes(*args, cwd=None) -> list[str]:
    result = run_cli("compare", "--format", "json", *args, cwd=cwd)
    assert result.code in (0, 1), result.err
    return [change["text"] for change in json.loads(result.out)["changes"]]


def test_a_renumbered_reindented_reordered_export_is_no_change(tmp_path):
    head = _renumbered(GOOD.read_text(encoding="utf-8"))
    assert "Main Menu_10" not in head and "    -   menu:" not in GOOD.read_text() and head.index("menus:") < head.index("name: Acme")
    base_path, head_path = _pair(tmp_path, head)
    report = compare_menus(read_any(base_path), read_any(head_path))
    assert (report["changes"], report["findings"]) == ([], {"new": [], "fixed": []})
    assert _changes(base_path, head_path) == []


def test_a_key_moved_to_another_digit_is_a_change(tmp_path):
    head = GOOD.read_text(encoding="utf-8").replace("dtmf: digit_2\n              targetQueue:", "dtmf: digit_3\n              targetQueue:")
    changed = _changes(*_pair(tmp_path, head))
    assert "menu 'Main Menu': key 3 added, goes to Main Menu/Technical Support" in changed
    assert any(text.startswith("menu 'Main Menu': key 2 removed") for text in changed)


def test_a_reworded_prompt_and_a_longer_wait_are_changes(tmp_path):
    head = GOOD.read_text(encoding="utf-8").replace("seconds: 7", "seconds: 9").replace("Thank you for calling Acme.",
                                                                                      "Thanks for calling Acme.")
    changed = _changes(*_pair(tmp_path, head))
    assert any("timeout 7 -> 9" in text for text in changed) and any("prompt reworded" in text for text in changed)


@needs_git
def test_git_mode_reads_the_flow_as_it_was(tmp_path):
    shutil.copy(GOOD, tmp_path / GOOD.name)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
           "HOME": str(tmp_path), "PATH": "/usr/bin:/bin:/usr/local/bin"}
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "first"]):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True, env=env)
    (tmp_path / GOOD.name).write_text(_renumbered(GOOD.read_text(encoding="utf-8")), encoding="utf-8")
    assert _changes("--git", "HEAD", GOOD.name, cwd=tmp_path) == []
    (tmp_path / GOOD.name).write_text(GOOD.read_text(encoding="utf-8").replace("digit_0", "digit_8", 1), encoding="utf-8")
    changed = _changes("--git", "HEAD", GOOD.name, cwd=tmp_path)
    assert any("key 8 added" in text for text in changed)
