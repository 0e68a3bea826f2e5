"""Gaps left after the first round of issue 17, each closed with a test that failed before.

- sweep plots are written durably (temporary file, fsync, rename, fsync of the folder), as reports are;
- what a sweep reads back (its journal, the menu it hashes) is opened as menus are: a named pipe or a device
  is refused, not waited on, and a link in the output folder never makes a sweep overwrite the file it names;
- sweep.csv cells that a spreadsheet would run as a formula get a ``'``;
- ``compare --git REV`` reads a platform line's includes as they were at REV, confined to the revision's copy
  of the configuration's directory and of each ``--include-root``, or refuses one line where it cannot.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT, run_cli

from ivrlint.common import atomic
from ivrlint.errors import UsageError
from ivrlint.importers import read_any
from ivrlint.importers.includes import allowing
from ivrlint.whatif import gitrev
from ivrlint.whatif.gitfile import document_at_revision
from ivrlint.whatif.scenarios import Vary
from ivrlint.whatif.store import JOURNAL, LOCK, SweepStore
from ivrlint.whatif.sweep_plots import plot_sweep
from ivrlint.whatif.sweep_table import summaries

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and links are POSIX")
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SETTINGS = {"menu_sha256": "0" * 64, "seed": 1, "hours": 1.0, "replications": 2, "warmup": 0.0, "set": []}
MENU = """\
ivr: small-line
start: main
nodes:
  main:
    type: menu
    prompt: For billing, press 1. To speak with a representative, press 0.
    options: {1: billing, 0: agent}
    on_failure: agent
  billing: {type: queue, queue: billing}
  agent: {type: queue, queue: general}
queues:
  general: {agents: 2, handle_time: 3m}
  billing: {agents: 2, handle_time: 2m}
traffic:
  calls_per_hour: 120
  patience: 2m
  intents:
    pay: {share: 0.5, goal: billing}
    other: {share: 0.5, goal: agent}
"""


def ivrlint(*args, cwd=None) -> subprocess.CompletedProcess:
    """The command in a process of its own: a hang is a timeout (30 s), not a stuck suite."""
    return subprocess.run([sys.executable, "-m", "ivrlint", *map(str, args)], cwd=cwd or ROOT, capture_output=True,
                          text=True, timeout=30, env={**os.environ, "NO_COLOR": "1"})


# -- 1. sweep plots are durable ------------------------------------------------------------------------------

def _plan_and_rows(values=("8", "10", "12")):
    plan = SimpleNamespace(varies=[Vary("queues.general.agents", tuple(values))], menu=SimpleNamespace(ivr="t", file="t.yaml"),
                           scenarios=[()] * len(values), settings=lambda: dict(SETTINGS))
    rows = [{"scenario": i + 1, "values": {"queues.general.agents": v},
             "overall": {"p_abandon": {"mean": 0.3 / (i + 1), "ci95": [0.2 / (i + 1), 0.4 / (i + 1)]}}}
            for i, v in enumerate(values)]
    return plan, rows


def test_sweep_plots_are_fsynced_renamed_in_and_their_folder_fsynced(tmp_path, monkeypatch):
    events: list[tuple[str, str]] = []
    real_replace, real_sync = os.replace, atomic.fsync_folder

    def replace(src, dst, **kwargs):
        real_replace(src, dst, **kwargs)
        events.append(("replace", os.fspath(dst)))

    def fsync_folder(folder):
        events.append(("fsync folder", os.fspath(folder)))
        real_sync(folder)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(atomic, "fsync_folder", fsync_folder)
    plan, rows = _plan_and_rows()
    [path] = plot_sweep(plan, rows, str(tmp_path), ["overall.p_abandon"])
    assert Path(path).read_bytes().startswith(b"\x89PNG")
    renamed = events.index(("replace", os.path.realpath(path)))
    assert ("fsync folder", os.path.realpath(tmp_path)) in events[renamed:]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_a_plot_that_fails_while_it_is_drawn_leaves_the_old_plot_whole(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    plan, rows = _plan_and_rows()
    [path] = plot_sweep(plan, rows, str(tmp_path), ["overall.p_abandon"])
    old = Path(path).read_bytes()

    def half_then_fail(self, target, **kwargs):  # a full disk, a kill: half a PNG, then nothing more
        if isinstance(target, str | os.PathLike):
            with open(target, "wb") as fh:
                fh.write(old[:100])
        else:
            target.write(old[:100])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Figure, "savefig", half_then_fail)
    with pytest.raises(OSError):
        plot_sweep(plan, rows, str(tmp_path), ["overall.p_abandon"])
    assert Path(path).read_bytes() == old


# -- 2. what a sweep reads back is opened as menus are ---------------------------------------------------------

@posix_only
def test_a_named_pipe_for_a_journal_is_refused_not_waited_on(tmp_path):
    menu = tmp_path / "line.yaml"
    menu.write_text(MENU, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / JOURNAL)
    result = ivrlint("sweep", menu, "--vary", "queues.general.agents=2,3", "--out", out, "--hours", "0.05",
                     "--replications", "1", "--no-plots", "--quiet")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{out / JOURNAL} is a named pipe (FIFO), not a file, not a sweep journal" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@posix_only
def test_a_named_pipe_where_the_hashed_menu_was_is_refused(tmp_path):
    pipe = tmp_path / "menu.yaml"
    os.mkfifo(pipe)
    code = ("import sys\nfrom ivrlint.errors import InputError\nfrom ivrlint.whatif.scenarios import file_hash\n"
            "try:\n    file_hash(sys.argv[1])\nexcept InputError as exc:\n    print(exc)\n")
    result = subprocess.run([sys.executable, "-c", code, str(pipe)], capture_output=True, text=True, timeout=30)
    assert f"{pipe}: error: is a named pipe (FIFO), not a file" in result.stdout, result.stderr


def test_a_folder_where_the_journal_should_be_is_one_line(tmp_path):
    (tmp_path / JOURNAL).mkdir()
    with pytest.raises(UsageError, match=f"cannot read the sweep journal {tmp_path / JOURNAL}: Is a directory"):
        SweepStore(str(tmp_path), SETTINGS).load()


@posix_only
def test_a_journal_that_links_to_a_file_of_yours_moves_aside_and_the_file_stays(tmp_path):
    mine = tmp_path / "notes.txt"
    mine.write_text("my own notes\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(mine, out / JOURNAL)
    store = SweepStore(str(out), SETTINGS)
    assert store.load() == {}
    store.close()
    assert mine.read_text(encoding="utf-8") == "my own notes\n"
    assert store.fresh_reason == "the journal there is not an ivrlint sweep journal"
    assert os.readlink(out / "journal.previous.jsonl") == str(mine)  # the link moved, not what it names
    assert not (out / JOURNAL).is_symlink() and json.loads((out / JOURNAL).read_text())["settings"] == SETTINGS


@posix_only
def test_a_lock_that_links_to_a_file_of_yours_is_refused_and_the_file_kept(tmp_path):
    mine = tmp_path / "notes.txt"
    mine.write_text("my own notes\n", encoding="utf-8")
    os.symlink(mine, tmp_path / LOCK)
    with pytest.raises(UsageError, match="is a symbolic link, so it cannot be the sweep's lock"):
        SweepStore(str(tmp_path), SETTINGS).load()
    assert mine.read_text(encoding="utf-8") == "my own notes\n"  # the process id was not written over it


# -- 3. sweep.csv holds no formula -----------------------------------------------------------------------------

def test_sweep_csv_cells_that_start_like_a_formula_are_prefixed(tmp_path):
    values = ("=1+2", "@SUM(A1)", "+1-1", "-2", "12", "-cmd|' /C calc'!A0")
    plan, rows = _plan_and_rows(values)
    plan.varies = [Vary("nodes.main.prompt", values)]
    for row in rows:
        row["values"] = {"nodes.main.prompt": row["values"]["queues.general.agents"]}
    store = SweepStore(str(tmp_path), SETTINGS)
    store.load()
    store.write_summaries(*summaries(plan, rows))
    store.close()
    with open(tmp_path / "sweep.csv", newline="", encoding="utf-8") as fh:
        cells = [row["nodes.main.prompt"] for row in csv.DictReader(fh)]
    assert cells == ["'=1+2", "'@SUM(A1)", "'+1-1", "-2", "12", "'-cmd|' /C calc'!A0"]  # numbers stay numbers
    summary = json.loads((tmp_path / "sweep.json").read_text(encoding="utf-8"))
    assert [r["values"]["nodes.main.prompt"] for r in summary["rows"]] == ["=1+2", "@SUM(A1)", "+1-1", -2, 12,
                                                                           "-cmd|' /C calc'!A0"]


def test_a_sweep_of_a_formula_prompt_writes_it_inert(tmp_path):
    menu = tmp_path / "line.yaml"
    menu.write_text(MENU, encoding="utf-8")
    result = run_cli("sweep", menu, "--vary", "nodes.main.prompt==1+2 press 1 or 0", "--vary", "queues.general.agents=2",
                     "--out", tmp_path / "out", "--hours", "0.05", "--replications", "1", "--jobs", "1", "--quiet",
                     "--no-plots")
    assert result.code == 0, result.err
    text = (tmp_path / "out" / "sweep.csv").read_text(encoding="utf-8")
    assert "\n1,'=1+2 press 1 or 0,2," in text


# -- 4. compare --git REV reads includes as they were at REV ---------------------------------------------------

def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(cwd), "PATH": os.environ.get("PATH", "/usr/bin:/bin")})


def _commit(repo: Path) -> None:
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "first")


MAIN = ("[main]\nexten => s,1,Background(menu)\n same => n,WaitExten(5)\nexten => 1,1,Goto(sales,s,1)\n"
        "exten => 0,1,Dial(SIP/op)\nexten => 9,1,Goto(s,1)\n")
SALES = "[sales]\nexten => s,1,Queue(sales)\n"
SALES_MENU = ("[sales]\nexten => s,1,Background(sales)\n same => n,WaitExten(5)\nexten => 1,1,Queue(sales)\n"
              "exten => 2,1,Queue(vip)\n")


def _report(*args, cwd) -> dict:
    result = run_cli("compare", "--format", "json", *args, cwd=cwd)
    assert result.code in (0, 1), result.err
    assert "ivrlint-git-" not in result.out  # the scratch copy is never named
    return json.loads(result.out)


def _asterisk_repo(tmp_path: Path, include: str) -> Path:
    (tmp_path / "conf").mkdir()
    (tmp_path / "lib").mkdir()
    (tmp_path / "conf" / "extensions.conf").write_text(MAIN + f"#include {include}\n", encoding="utf-8")
    (tmp_path / "lib" / "sales.conf").write_text(SALES, encoding="utf-8")
    _commit(tmp_path)
    return tmp_path


@needs_git
def test_an_include_under_an_include_root_is_read_as_it_was_at_the_revision(tmp_path):
    repo = _asterisk_repo(tmp_path, "../lib/sales.conf")
    same = _report("--git", "HEAD", "--include-root", "lib", "conf/extensions.conf", cwd=repo)
    assert same["changes"] == [] and same["findings"] == {"new": [], "fixed": []}
    (repo / "lib" / "sales.conf").write_text(SALES_MENU, encoding="utf-8")
    changed = _report("--git", "HEAD", "--include-root", "lib", "conf/extensions.conf", cwd=repo)
    texts = [change["text"] for change in changed["changes"]]
    assert any("sales/2" in text and "added" in text for text in texts), texts


@needs_git
def test_an_absolute_include_into_the_working_tree_is_refused_at_its_line(tmp_path):
    repo = _asterisk_repo(tmp_path, str(tmp_path.resolve() / "lib" / "sales.conf"))
    (repo / "lib" / "sales.conf").write_text(SALES_MENU, encoding="utf-8")  # not what HEAD holds
    result = run_cli("compare", "--git", "HEAD", "--include-root", "lib", "conf/extensions.conf", cwd=repo)
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert result.err.startswith("conf/extensions.conf@HEAD:7:1: error: under --git HEAD this include would read "
                                 "a file of the working tree")
    assert "ivrlint-git-" not in result.err


@needs_git
def test_an_include_root_outside_the_repository_is_refused_only_when_an_include_leads_there(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "sales.conf").write_text(SALES, encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "extensions.conf").write_text(MAIN + "[sales]\nexten => s,1,Queue(sales)\n", encoding="utf-8")
    _commit(repo)
    quiet = _report("--git", "HEAD", "--include-root", elsewhere, "extensions.conf", cwd=repo)
    assert quiet["changes"] == []  # no include leads there: nothing to refuse
    (repo / "extensions.conf").write_text(MAIN + f"#include {elsewhere / 'sales.conf'}\n", encoding="utf-8")
    _git(repo, "commit", "-qam", "include")
    result = run_cli("compare", "--git", "HEAD", "--include-root", elsewhere, "extensions.conf", cwd=repo)
    assert result.code == 2 and "extensions.conf@HEAD:7:1: error: under --git HEAD this include" in result.err


@needs_git
def test_an_include_renamed_since_the_revision_is_read_under_its_old_name(tmp_path):
    (tmp_path / "inc").mkdir()
    (tmp_path / "extensions.conf").write_text(MAIN + "#include inc/old.conf\n", encoding="utf-8")
    (tmp_path / "inc" / "old.conf").write_text(SALES, encoding="utf-8")
    _commit(tmp_path)
    (tmp_path / "inc" / "old.conf").rename(tmp_path / "inc" / "new.conf")
    (tmp_path / "extensions.conf").write_text(MAIN + "#include inc/new.conf\n", encoding="utf-8")
    report = _report("--git", "HEAD", "extensions.conf", cwd=tmp_path)
    assert report["changes"] == [] and report["findings"] == {"new": [], "fixed": []}


FS_CONF = ('<configuration name="ivr.conf">\n  <menus>\n    <X-PRE-PROCESS cmd="include" data="menus/*.xml"/>\n'
           '  </menus>\n</configuration>\n')


def _fs_menu(name: str, extra: str = "") -> str:
    return (f'<include>\n  <menu name="{name}" greet-long="say:For an agent, press 0. To repeat, press 9.">\n'
            '    <entry action="menu-exec-app" digits="0" param="transfer 1000 XML default"/>\n'
            f'{extra}    <entry action="menu-top" digits="9"/>\n  </menu>\n</include>\n')


@needs_git
def test_a_freeswitch_glob_matches_the_files_of_the_revision(tmp_path):
    (tmp_path / "menus").mkdir()
    (tmp_path / "ivr.conf.xml").write_text(FS_CONF, encoding="utf-8")
    (tmp_path / "menus" / "main.xml").write_text(_fs_menu("main", '    <entry action="menu-sub" digits="1" param="extra"/>\n'),
                                                 encoding="utf-8")
    (tmp_path / "menus" / "extra.xml").write_text(_fs_menu("extra"), encoding="utf-8")
    _commit(tmp_path)
    (tmp_path / "menus" / "extra.xml").unlink()  # gone from the working tree, there at HEAD
    texts = [c["text"] for c in _report("--git", "HEAD", "ivr.conf.xml", cwd=tmp_path)["changes"]]
    assert any("'extra'" in text and "removed" in text for text in texts), texts


@needs_git
@posix_only
def test_a_link_of_the_revision_to_a_file_of_the_machine_is_not_copied(tmp_path):
    secret = tmp_path / "secret.conf"
    secret.write_text("[sales]\nexten => s,1,Queue(hunter2)\n", encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "extensions.conf").write_text(MAIN + "#include link.conf\n", encoding="utf-8")
    os.symlink(secret, repo / "link.conf")
    os.symlink("extensions.conf", repo / "inside.conf")
    _commit(repo)
    with gitrev.RevisionCopy(gitrev.Repository.of(str(repo / "extensions.conf"), "HEAD"), str(repo / "extensions.conf")) as copy:
        copy.add_folder(str(repo), recursive=True)
        copy.fetch()
        assert sorted(os.listdir(copy.scratch)) == ["extensions.conf", "inside.conf"]
        assert os.readlink(os.path.join(copy.scratch, "inside.conf")) == "extensions.conf"
    with allowing([str(tmp_path)]):  # where the link leads is allowed: the working tree's file would be read
        base = document_at_revision(str(repo / "extensions.conf"), "HEAD")
        head = read_any(str(repo / "extensions.conf"))
    assert "hunter2" in head.menu.queues and "hunter2" not in base.menu.queues


@needs_git
def test_a_revision_folder_too_large_to_copy_is_one_line(tmp_path, monkeypatch):
    repo = _asterisk_repo(tmp_path, "../lib/sales.conf")
    monkeypatch.setattr(gitrev, "MAX_FILES", 1)
    result = run_cli("compare", "--git", "HEAD", "--include-root", "lib", "conf/extensions.conf", cwd=repo)
    assert result.code == 2 and "holds more than 1 files at HEAD" in result.err
    assert len(result.err.strip().splitlines()) == 1
