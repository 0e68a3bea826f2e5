"""compare on platform files: what callers meet, not layout, ids or whitespace; --git reads a platform line at a revision."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
CONNECT = ROOT / "menus" / "platforms" / "connect"
FREESWITCH = ROOT / "menus" / "platforms" / "freeswitch"

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(cwd), "PATH": "/usr/bin:/bin:/usr/local/bin"})


def _moved(flow: dict) -> dict:
    """The flow with every block moved on the designer's canvas, as a re-export does."""
    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "position" and isinstance(item, dict):
                    item.update(x=item.get("x", 0) + 140, y=item.get("y", 0) + 60)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
    walk(flow)
    return flow


def _changes(*args, cwd=None) -> list[str]:
    result = run_cli("compare", "--format", "json", *args, cwd=cwd)
    assert result.code in (0, 1), result.err
    return [change["text"] for change in json.loads(result.out)["changes"]]


def test_a_connect_flow_moved_on_the_canvas_and_reindented_is_no_change(tmp_path):
    for directory in ("old", "new"):
        (tmp_path / directory).mkdir()
        for flow in CONNECT.glob("*.json"):
            shutil.copy(flow, tmp_path / directory / flow.name)
    moved = tmp_path / "new" / "Acme Support.json"
    moved.write_text(json.dumps(_moved(json.loads(moved.read_text())), indent=1))
    assert moved.read_text() != (tmp_path / "old" / "Acme Support.json").read_text()
    assert _changes(tmp_path / "old" / "Acme Support.json", moved) == []


def test_a_freeswitch_prompt_rewrapped_is_no_change_but_a_new_key_is(tmp_path):
    for directory in ("old", "new", "keyed"):
        (tmp_path / directory).mkdir()
        for xml in FREESWITCH.glob("*.xml"):
            shutil.copy(xml, tmp_path / directory / xml.name)
    main = (FREESWITCH / "main.xml").read_text()
    assert "press" in main
    (tmp_path / "new" / "main.xml").write_text(main.replace(" press", "\n            press"))
    assert _changes(tmp_path / "old" / "main.xml", tmp_path / "new" / "main.xml") == []
    (tmp_path / "keyed" / "main.xml").write_text(main.replace('digits="1"', 'digits="5"', 1))
    changed = _changes(tmp_path / "old" / "main.xml", tmp_path / "keyed" / "main.xml")
    assert any("key 5 added" in text for text in changed) and any("key 1 removed" in text for text in changed)


@needs_git
def test_git_mode_reads_a_platform_line_as_it_was(tmp_path):
    for xml in FREESWITCH.glob("*.xml"):
        shutil.copy(xml, tmp_path / xml.name)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "first")
    assert _changes("--git", "HEAD", "main.xml", cwd=tmp_path) == []
    main = tmp_path / "main.xml"
    main.write_text(main.read_text().replace('digits="1"', 'digits="5"', 1))
    result = run_cli("compare", "--format", "json", "--git", "HEAD", "main.xml", cwd=tmp_path)
    report = json.loads(result.out)
    assert report["base"] == "main.xml@HEAD"
    assert any("key 5 added" in c["text"] for c in report["changes"])
    assert "ivrlint-git-" not in result.out  # places are named file@rev, never the scratch copy
    (tmp_path / "new.xml").write_text(main.read_text().replace('name="main"', 'name="other"'))
    missing = run_cli("compare", "--git", "HEAD", "new.xml", cwd=tmp_path)
    assert missing.code == 2 and "did not exist at HEAD" in missing.err


def test_yaml_prompt_reflowed_is_no_change(tmp_path):
    base = (ROOT / "menus" / "bank.yaml").read_text()
    assert "prompt: " in base
    (tmp_path / "a.yaml").write_text(base)
    (tmp_path / "b.yaml").write_text(base.replace(". For ", ".  For ", 3))
    assert (tmp_path / "a.yaml").read_text() != (tmp_path / "b.yaml").read_text()
    assert _changes(tmp_path / "a.yaml", tmp_path / "b.yaml") == []


@needs_git
def test_git_mode_reads_an_asterisk_line_with_its_includes_as_they_were(tmp_path):
    (tmp_path / "conf" / "inc").mkdir(parents=True)
    (tmp_path / "conf" / "extensions.conf").write_text("[general]\n#include inc/ivr.conf\n")
    ivr = tmp_path / "conf" / "inc" / "ivr.conf"
    ivr.write_text("[ivr-main]\nexten => s,1,Answer()\n same => n,Background(custom/main-menu)\n same => n,WaitExten(5)\n"
                   "exten => 1,1,Goto(sales,s,1)\nexten => 0,1,Queue(support)\nexten => 9,1,Goto(s,1)\n"
                   "exten => t,1,Goto(s,1)\nexten => i,1,Goto(s,1)\n\n[sales]\nexten => s,1,Queue(sales)\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "first")
    result = run_cli("compare", "--format", "json", "--git", "HEAD", "conf/extensions.conf", cwd=tmp_path)
    report = json.loads(result.out)
    assert report["changes"] == [] and report["findings"] == {"new": [], "fixed": []}  # no include lost
    ivr.write_text(ivr.read_text().replace("exten => 1,1,Goto(sales,s,1)", "exten => 2,1,Goto(sales,s,1)"))
    changed = _changes("--git", "HEAD", "conf/extensions.conf", cwd=tmp_path)
    assert any("key 2 added" in text for text in changed) and any("key 1 removed" in text for text in changed)
