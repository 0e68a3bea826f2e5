"""Writes survive SIGKILL at any point: the old output whole or the new one whole, never a mix.

The kill trials: a helper process (this file run as a script) imports
ivrlint once, then for each trial forks a writer that writes the same
output over and over (a report folder, a sweep journal with its summaries,
the YAML of `ivrlint import -o`), and kills it with SIGKILL after a random
delay. The test then looks at what is on disk, does what the next run
does first (``recover``, ``SweepStore.load``), and checks that the output
is one whole version: the one from before the trial or one the trial
wrote. A fork costs a millisecond, so the default run makes 210 trials
in a few seconds; ``-m slow`` makes 1,000 more.

Then real sweeps are killed with ``kill -9`` and resumed: the rows, CSV
and JSON are those of an uninterrupted run with the same seed, no scenario
lost or run twice, their workers die with them, and a second sweep into a
directory in use is refused, naming the process that holds it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
import traceback
from contextlib import redirect_stderr
from pathlib import Path

import pytest

if __name__ != "__main__":  # the helper process needs none of the test machinery
    from conftest import ROOT, run_cli
else:
    ROOT = Path(__file__).resolve().parent.parent

from ivrlint.common import atomic
from ivrlint.common.atomic import MARKER, STALE_AFTER, recover, remove_stale_files, report_folder
from ivrlint.whatif.store import JOURNAL, SweepStore

POSIX = hasattr(os, "fork") and sys.platform != "win32"
LINUX = sys.platform.startswith("linux")
posix_only = pytest.mark.skipif(not POSIX, reason="SIGKILL and fork are POSIX")
linux_only = pytest.mark.skipif(not LINUX, reason="reads /proc and uses Linux's parent-death signal")

#: A time far enough ahead that every leftover counts as stale: what a later run sees.
LATER = STALE_AFTER + 3600

# --- what the writers write, and how a whole version is recognised ------------------------------------------

REPORT = "rep"
REPORT_FILES = ("index.html", "metrics.csv", "menu.svg")
#: A trial's writer writes versions trial * PER_TRIAL + 1, + 2, ...: a version names the trial that wrote it.
PER_TRIAL = 100_000


def report_file(version: int, name: str) -> bytes:
    """One report file of a version: some 30 to 120 KB that differ with the version and the file."""
    digest = hashlib.sha256(f"{version}:{name}".encode()).hexdigest().encode()
    return b"version %d\n" % version + digest * (60 + version % 600)


def write_report(folder: str, version: int) -> None:
    with report_folder(os.path.join(folder, REPORT)) as building:
        for name in REPORT_FILES:
            with open(os.path.join(building, name), "wb") as fh:
                fh.write(report_file(version, name))


SETTINGS = {"menu_sha256": "0" * 64, "seed": 1, "hours": 1.0, "replications": 2, "warmup": 0.0, "set": []}


def journal_key(n: int) -> str:
    return f"scenario-{n:05d}"


def journal_row(n: int) -> dict:
    """Row n, its members in the order a run makes them (not sorted: sorting them is what the journal must not do)."""
    def measure(x: float) -> dict:
        return {"mean": x, "ci95": [x - 0.5, x + 0.5]}

    return {"values": {"queues.general.agents": str(n)},
            "overall": {"p_abandon": measure(n / 1000), "mean_wait": measure(n / 10), "service_level": measure(0.8)},
            "queues": {"general": {"p_abandon": measure(n), "occupancy": measure(0.9)}, "billing": {"mean_wait": measure(1)}},
            "intents": {f"intent{i}": {"p_goal": measure(i / 100)} for i in range(3 + n % 40)}}


def journal_summaries(n: int) -> tuple[dict, list[str], list[dict]]:
    """What the journal writer writes as sweep.json and sweep.csv after n rows."""
    table = [{"scenario": i + 1, "key": journal_key(i), "mean_wait": i / 10} for i in range(n)]
    return {"done": n, "last": journal_key(n - 1)}, ["scenario", "key", "mean_wait"], table


def csv_text(columns: list[str], table: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return buffer.getvalue()


ASTERISK = ROOT / "menus" / "platforms" / "asterisk" / "extensions.conf"
FREESWITCH = ROOT / "menus" / "platforms" / "freeswitch"
IMPORTS = (("asterisk", ASTERISK), ("freeswitch", FREESWITCH))


def import_args(n: int, out: str) -> list[str]:
    platform, source = IMPORTS[n % 2]
    return ["import", platform, str(source), "-o", out]


# --- the helper process: forks a writer per trial, kills it ---------------------------------------------------

def _write_reports(folder: str, trial: int, two_renames: bool) -> None:
    if two_renames:  # as on a system or file system without renameat2(RENAME_EXCHANGE)
        atomic.exchange = lambda a, b: False
    version = trial * PER_TRIAL
    while True:
        version += 1
        write_report(folder, version)


def _write_journal(folder: str, trial: int) -> None:
    store = SweepStore(folder, SETTINGS)
    n = len(store.load())
    while True:
        store.append(journal_key(n), journal_row(n))
        n += 1
        if n % 3 == 0:
            store.write_summaries(*journal_summaries(n))


def _write_imports(folder: str, trial: int) -> None:
    from ivrlint.cli import main

    out = os.path.join(folder, "out.yaml")
    with open(os.devnull, "w") as null, redirect_stderr(null):
        n = trial
        while True:
            assert main(import_args(n, out)) == 0
            n += 1


WRITERS = {"report": lambda d, t: _write_reports(d, t, False), "report-two-renames": lambda d, t: _write_reports(d, t, True),
           "journal": _write_journal, "import": _write_imports}


def _serve(scratch: str) -> None:
    """Read 'KIND FOLDER TRIAL DELAY' lines; for each, fork a writer of KIND into FOLDER, SIGKILL it after
    DELAY seconds, answer how it ended."""
    _import_once(scratch)  # load the importers once, here, so that every writer starts writing at once
    for line in sys.stdin:
        kind, folder, trial, delay = line.split("\t")
        pid = os.fork()
        if pid == 0:
            try:
                _slow_fsync()
                WRITERS[kind](folder, int(trial))
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(3)  # a writer only ever ends by the kill; this is a failure, with its traceback on stderr
        time.sleep(float(delay))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        print("killed" if killed else f"ended {status}", flush=True)


#: Seconds each fsync takes at least in a writer: what a disk takes, on a file system in memory too (tmpfs),
#: so that a kill lands in the middle of a write often enough to test something.
FSYNC_SECONDS = 0.002


def _slow_fsync() -> None:
    real = os.fsync

    def fsync(fd: int) -> None:
        real(fd)
        time.sleep(FSYNC_SECONDS)

    os.fsync = fsync


def _import_once(folder: str) -> None:
    from ivrlint.cli import main

    with open(os.devnull, "w") as null, redirect_stderr(null):
        for n in range(2):
            main(import_args(n, os.path.join(folder, "warm-up.yaml")))
    os.remove(os.path.join(folder, "warm-up.yaml"))


class Killer:
    """The helper process, as the tests drive it."""

    def __init__(self, scratch: Path):
        scratch.mkdir(exist_ok=True)
        self.err = scratch / "helper.err"
        self.process = subprocess.Popen([sys.executable, __file__, str(scratch)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.err.open("w"), text=True, cwd=ROOT)

    def trial(self, kind: str, folder: Path, number: int, delay: float) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{kind}\t{folder}\t{number}\t{delay:.6f}\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        assert answer == "killed", f"the writer was not killed but {answer or 'the helper died'}:\n{self.err.read_text()}"

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()


@pytest.fixture(scope="module")
def killer(tmp_path_factory):
    helper = Killer(tmp_path_factory.mktemp("killer"))
    yield helper
    helper.close()


def run_trials(killer: Killer, kind: str, folder: Path, trials: int, longest: float, check, seed: int) -> int:
    """Kill `trials` writers of `kind` at random points, within `longest` seconds of their start; check(trial)
    after each; the number of checks that found a write cut short (check returns True then)."""
    rng = random.Random(seed)
    caught = 0
    for trial in range(1, trials + 1):
        try:
            killer.trial(kind, folder, trial, rng.uniform(0, longest))
            caught += bool(check(trial))
        except AssertionError as exc:
            raise AssertionError(f"{kind}, trial {trial} of seed {seed}: {exc}") from exc
    return caught


# --- what the next run finds ------------------------------------------------------------------------------------

def report_version(target: Path) -> int:
    """The one version the report at `target` holds whole; fails on a mix, a half file or a missing file."""
    assert sorted(os.listdir(target)) == sorted([*REPORT_FILES, MARKER])
    version = int((target / "index.html").read_bytes().split(b"\n", 1)[0].split()[1])
    for name in REPORT_FILES:
        assert (target / name).read_bytes() == report_file(version, name), f"{name} is not version {version}'s"
    return version


class ReportCheck:
    """After each kill: one whole report at the target (with renameat2 even before recovery), and after the
    next run's recovery no leftovers at all."""

    def __init__(self, folder: Path, atomic_swap: bool):
        self.folder, self.atomic_swap = folder, atomic_swap
        self.version = 0
        write_report(str(folder), 0)

    def __call__(self, trial: int) -> bool:
        target = self.folder / REPORT
        leftovers = sorted(p.name for p in self.folder.iterdir() if p.name != REPORT)
        if self.atomic_swap:
            assert report_version(target) in self.allowed(trial)
        recover(str(target), now=time.time() + LATER)
        assert sorted(p.name for p in self.folder.iterdir()) == [REPORT], "the next run cleans up every leftover"
        version = report_version(target)
        assert version in self.allowed(trial), f"trial {trial} left version {version}, after {self.version}"
        self.version = version
        return bool(leftovers)

    def allowed(self, trial: int) -> set[int] | range:
        """The version before the trial, or any the trial wrote."""
        return {self.version} | set(range(trial * PER_TRIAL + 1, (trial + 1) * PER_TRIAL))


class JournalCheck:
    """After each kill: the journal holds rows 0..m-1, each whole and as written, none twice, m never
    shrinking; the summaries are whole files of some earlier count; the lock died with the writer."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.rows = 0

    def __call__(self, trial: int) -> bool:
        journal = self.folder / JOURNAL
        text = journal.read_text(encoding="utf-8") if journal.exists() else ""  # killed before its header was in
        torn = bool(text) and not text.endswith("\n")
        store = SweepStore(str(self.folder), SETTINGS)
        done = store.load()  # refused if the killed writer's lock outlived it
        try:
            rows = len(done)
            assert list(done) == [journal_key(n) for n in range(rows)], "a row lost, or one twice"
            for n in range(rows):
                assert json.dumps(done[journal_key(n)]) == json.dumps(journal_row(n))  # same members, same order
            assert rows >= self.rows, f"the journal lost rows: {self.rows} before, {rows} now"
            lines = (self.folder / JOURNAL).read_text(encoding="utf-8").splitlines()
            assert [json.loads(line).get("key") for line in lines[1:]] == list(done)  # the next run left it clean
            self.rows = rows
            partial = self._summaries_whole(rows)
        finally:
            store.close()
        return torn or partial

    def _summaries_whole(self, rows: int) -> bool:
        """sweep.json and sweep.csv, where written yet, are whole files of some count of rows <= `rows`;
        True if a write of one was cut short (its temporary file is left, for a later write to remove)."""
        json_path, csv_path = self.folder / "sweep.json", self.folder / "sweep.csv"
        partial = bool(remove_stale_files(str(json_path), now=time.time() + LATER))
        partial |= bool(remove_stale_files(str(csv_path), now=time.time() + LATER))
        if json_path.exists():
            summary = json.loads(json_path.read_text(encoding="utf-8"))
            assert summary == json.loads(json.dumps(journal_summaries(summary["done"])[0])) and summary["done"] <= rows
        if csv_path.exists():
            text = csv_path.read_text(encoding="utf-8")
            lines = text.count("\n") - 1
            assert text == csv_text(*journal_summaries(lines)[1:]) and lines <= rows
        return partial


class ImportCheck:
    """After each kill: out.yaml is one of the two imports whole; a later write removes the temporary file."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.out = folder / "out.yaml"
        self.expected = set()
        for n in range(2):
            result = run_cli(*import_args(n, str(self.out)))
            assert result.code == 0, result.err
            self.expected.add(self.out.read_bytes())
        assert len(self.expected) == 2

    def __call__(self, trial: int) -> bool:
        assert self.out.read_bytes() in self.expected
        partial = remove_stale_files(str(self.out), now=time.time() + LATER)
        assert sorted(p.name for p in self.folder.iterdir()) == ["out.yaml"]
        assert stat.S_IMODE(self.out.stat().st_mode) == 0o644
        return bool(partial)


def exchange_works(tmp_path: Path) -> bool:
    """Whether this system and file system swap two folders in one step (renameat2's RENAME_EXCHANGE)."""
    a, b = tmp_path / "swap-a", tmp_path / "swap-b"
    a.mkdir()
    b.mkdir()
    (a / "from-a").touch()
    try:
        return atomic.exchange(str(a), str(b)) and (b / "from-a").exists()
    finally:
        for folder in (a, b):
            for child in folder.iterdir():
                child.unlink()
            folder.rmdir()


def _trials(killer: Killer, kind: str, tmp_path: Path, trials: int, seed: int) -> int:
    """The trials of one kind; each kill comes within about two rounds of writing."""
    folder = tmp_path / kind
    folder.mkdir()
    if kind.startswith("report"):
        check = ReportCheck(folder, atomic_swap=kind == "report" and exchange_works(tmp_path))
        return run_trials(killer, kind, folder, trials, 0.08, check, seed)
    if kind == "journal":
        return run_trials(killer, kind, folder, trials, 0.04, JournalCheck(folder), seed)
    return run_trials(killer, kind, folder, trials, 0.04, ImportCheck(folder), seed)


#: Trials in the default run, per kind: 210 in all.
DEFAULT_TRIALS = {"report": 40, "report-two-renames": 30, "journal": 70, "import": 70}


@posix_only
@pytest.mark.parametrize("kind", list(DEFAULT_TRIALS))
def test_a_writer_killed_at_a_random_point_leaves_the_old_output_whole_or_the_new_one(killer, kind, tmp_path):
    caught = _trials(killer, kind, tmp_path, DEFAULT_TRIALS[kind], seed=sum(map(ord, kind)))
    assert caught > 0, "no kill landed in the middle of a write: the trials tested nothing"


@posix_only
@pytest.mark.slow
@pytest.mark.parametrize("kind", list(DEFAULT_TRIALS))
def test_many_more_kills_at_random_points(killer, kind, tmp_path):
    assert _trials(killer, kind, tmp_path, 250, seed=random.randrange(1 << 30)) > 0


# --- fsync of the file, then of its folder ----------------------------------------------------------------------

class Syncs:
    """Every fsync and replace, in order, as (what, inode): what reached the disk, and when."""

    def __init__(self, monkeypatch):
        self.events: list[tuple[str, int]] = []
        real_fsync, real_replace = os.fsync, os.replace

        def fsync(fd):
            self.events.append(("fsync", os.fstat(fd).st_ino))
            return real_fsync(fd)

        def replace(src, dst, **kwargs):
            real_replace(src, dst, **kwargs)
            self.events.append(("replace", os.stat(dst).st_ino))

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", replace)

    def assert_durable(self, path: Path) -> None:
        """`path` was fsynced, then renamed into place, then its folder fsynced."""
        file, folder = path.stat().st_ino, path.parent.stat().st_ino
        synced = self.events.index(("fsync", file))
        renamed = self.events.index(("replace", file), synced)
        assert ("fsync", folder) in self.events[renamed:], f"{path.parent} not fsynced after {path.name} was renamed in"


@pytest.mark.parametrize("command, name", [
    (("import", "asterisk", str(ASTERISK), "-o"), "out.yaml"),
    (("check", "--format", "json", "menus/bad/dead-end.yaml", "--output-file"), "findings.json"),
    (("graph", "menus/bank.yaml", "-o"), "bank.dot"),
])
def test_written_files_are_fsynced_then_renamed_then_their_folder_fsynced(command, name, tmp_path, monkeypatch):
    syncs = Syncs(monkeypatch)
    result = run_cli(*command, tmp_path / name, cwd=ROOT)
    assert result.code in (0, 1), result.err
    syncs.assert_durable(tmp_path / name)


def test_a_sweep_journal_and_its_summaries_are_durable(tmp_path, monkeypatch):
    syncs = Syncs(monkeypatch)
    store = SweepStore(str(tmp_path), SETTINGS)
    store.load()
    syncs.assert_durable(tmp_path / JOURNAL)  # the header, written whole
    del syncs.events[:]
    store.append(journal_key(0), journal_row(0))
    assert syncs.events == [("fsync", (tmp_path / JOURNAL).stat().st_ino)]  # appended in place, then fsynced
    store.write_summaries(*journal_summaries(1))
    store.close()
    syncs.assert_durable(tmp_path / "sweep.json")
    syncs.assert_durable(tmp_path / "sweep.csv")


@pytest.mark.parametrize("swap", ["exchange", "two renames"])
def test_every_file_of_a_report_is_fsynced_before_it_is_swapped_in_and_the_swap_after(swap, tmp_path, monkeypatch):
    if swap == "two renames":
        monkeypatch.setattr(atomic, "exchange", lambda a, b: False)
    write_report(str(tmp_path), 1)
    syncs = Syncs(monkeypatch)
    write_report(str(tmp_path), 2)
    target = tmp_path / REPORT
    files = [(target / name).stat().st_ino for name in (*REPORT_FILES, MARKER)]
    synced = [ino for what, ino in syncs.events if what == "fsync"]
    assert set(files) | {target.stat().st_ino} <= set(synced)
    last_file = max(synced.index(ino) for ino in files)
    assert tmp_path.stat().st_ino in synced[last_file + 1:], "the parent folder is fsynced after the swap"
    assert report_version(target) == 2 and sorted(os.listdir(tmp_path)) == [REPORT]


# --- what may be replaced ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("command, name", [
    (("import", "asterisk", str(ASTERISK), "-o"), "out.yaml"),
    (("check", "menus/bank.yaml", "--output-file"), "findings.txt"),
    (("graph", "menus/bank.yaml", "-o"), "bank.dot"),
])
@posix_only
def test_a_fifo_is_refused_not_replaced_and_nothing_blocks(command, name, tmp_path):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    result = run_cli(*command, fifo, cwd=ROOT)
    assert result.code == 2
    assert result.err.endswith(f"cannot write {fifo}: it is a pipe (FIFO), and ivrlint writes files whole, by "
                               "replacing a regular file; name a regular file or a new one\n")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(os.listdir(tmp_path)) == [name]


@posix_only
def test_a_device_is_refused_not_replaced(tmp_path):
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # /dev/null's numbers, in a folder of the test's
    except PermissionError:
        pytest.skip("making a device needs root")
    result = run_cli("import", "asterisk", ASTERISK, "-o", device)
    assert result.code == 2 and "it is a character device" in result.err
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_a_folder_is_refused(tmp_path):
    result = run_cli("import", "asterisk", ASTERISK, "-o", tmp_path)
    assert result.code == 2 and f"cannot write {tmp_path}: it is a folder" in result.err


@posix_only
def test_a_symlink_is_written_through_and_kept(tmp_path):
    real = tmp_path / "menus" / "line.yaml"
    real.parent.mkdir()
    real.write_text("old\n")
    os.chmod(real, 0o600)
    link = tmp_path / "line.yaml"
    link.symlink_to(real)
    result = run_cli("import", "asterisk", ASTERISK, "-o", link)
    assert result.code == 0, result.err
    assert link.is_symlink() and os.readlink(link) == str(real)
    plain = tmp_path / "plain.yaml"
    assert run_cli("import", "asterisk", ASTERISK, "-o", plain).code == 0
    assert real.read_bytes() == plain.read_bytes()
    assert stat.S_IMODE(real.stat().st_mode) == 0o600  # the file keeps its permissions
    assert sorted(os.listdir(real.parent)) == ["line.yaml"]


@posix_only
def test_a_dangling_symlink_gets_the_file_it_names(tmp_path):
    link = tmp_path / "line.yaml"
    link.symlink_to(tmp_path / "made.yaml")
    assert run_cli("import", "asterisk", ASTERISK, "-o", link).code == 0
    assert link.is_symlink() and "ivr:" in (tmp_path / "made.yaml").read_text()


def test_a_new_file_is_0644_and_a_replaced_one_keeps_its_mode(tmp_path):
    out = tmp_path / "out.yaml"
    atomic.write_file(str(out), b"one\n")
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    os.chmod(out, 0o640)
    atomic.write_file(str(out), b"two\n")
    assert out.read_bytes() == b"two\n" and stat.S_IMODE(out.stat().st_mode) == 0o640


def test_a_stale_temporary_file_of_a_killed_write_is_removed_by_the_next_write_and_a_fresh_one_kept(tmp_path):
    out = tmp_path / "out.yaml"
    stale, fresh, other = (tmp_path / ".out.yaml.ab12cd34.partial", tmp_path / ".out.yaml.zz99yy88.partial",
                           tmp_path / ".other.yaml.ab12cd34.partial")
    for path in (stale, fresh, other):
        path.write_text("half")
    then = time.time() - STALE_AFTER - 60
    os.utime(stale, (then, then))
    os.utime(other, (then, then))
    atomic.write_file(str(out), b"whole\n")
    assert not stale.exists() and fresh.exists() and other.exists()  # another writer may be writing the fresh one


# --- the report swap, undone or finished by the next run --------------------------------------------------------

def _aside(tmp_path: Path, version: int | None) -> Path:
    """A report renamed aside by a run that was then killed: whole (version), or half deleted (None)."""
    aside = tmp_path / ".rep.old-ab12cd34"
    aside.mkdir()
    if version is None:
        (aside / "menu.svg").write_bytes(b"half")
        return aside
    for name in REPORT_FILES:
        (aside / name).write_bytes(report_file(version, name))
    (aside / MARKER).touch()
    return aside


def test_a_report_stranded_between_the_two_renames_is_put_back(tmp_path):
    aside = _aside(tmp_path, 7)
    assert recover(str(tmp_path / REPORT)) == [str(aside)]
    assert report_version(tmp_path / REPORT) == 7 and sorted(os.listdir(tmp_path)) == [REPORT]


def test_an_old_report_left_half_deleted_beside_the_new_one_is_deleted(tmp_path):
    write_report(str(tmp_path), 8)
    _aside(tmp_path, None)
    write_report(str(tmp_path), 9)  # the next run
    assert report_version(tmp_path / REPORT) == 9 and sorted(os.listdir(tmp_path)) == [REPORT]


def test_a_half_deleted_old_report_is_not_put_back(tmp_path):
    _aside(tmp_path, None)
    recover(str(tmp_path / REPORT))
    assert os.listdir(tmp_path) == []


def test_the_next_report_restores_then_replaces_a_stranded_one(tmp_path, monkeypatch):
    _aside(tmp_path, 7)
    monkeypatch.setattr(atomic, "exchange", lambda a, b: False)
    write_report(str(tmp_path), 10)
    assert report_version(tmp_path / REPORT) == 10 and sorted(os.listdir(tmp_path)) == [REPORT]


if __name__ == "__main__":
    _serve(sys.argv[1])
