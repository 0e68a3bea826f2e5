"""A sweep killed with kill -9 resumes to the rows of an uninterrupted run, and its directory is free at once.

The killed sweep is a real ``ivrlint sweep`` process, killed with SIGKILL
once its journal holds a random number of rows (and a random moment
later); the same command then finishes it. Its rows, sweep.csv and
sweep.json are byte for byte those of a run never interrupted, with every
scenario in the journal exactly once. Its worker processes die with it,
and the lock of its directory does not outlive it, even in a worker that
does; a second sweep into a directory in use is refused, naming the
process that uses it.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from test_sweep import MENU

from ivrlint.errors import UsageError
from ivrlint.whatif.store import JOURNAL, LOCK, SweepStore

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; SIGKILL and flock")

#: Six scenarios of short runs: the tests pin rows and bookkeeping, not statistics. Each takes a
#: few tenths of a second (150 h of 120 calls an hour), so that a sweep killed after two rows
#: still has scenarios running: at 0.25 h the whole sweep ended within the poll, once the
#: simulation got faster, and left no worker to kill.
SWEEP = ("--vary", "queues.general.agents=2:7", "--hours", "150", "--replications", "2", "--seed", "5",
         "--quiet", "--no-plots")
SCENARIOS = 6
#: Seconds a test waits at most for a process to get somewhere (not a time it must keep: a bound on a hang).
PATIENCE = 120.0


@pytest.fixture(scope="module")
def menu(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("menu") / "line.yaml"
    path.write_text(MENU)
    return path


@pytest.fixture(scope="module")
def uninterrupted(menu, tmp_path_factory) -> Path:
    """The output of the same sweep run once, start to end, in one process."""
    out = tmp_path_factory.mktemp("uninterrupted")
    result = run_cli("sweep", menu, *SWEEP, "--jobs", "1", "--out", out)
    assert result.code == 0, result.err
    return out


def journal_keys(out: Path) -> list[str]:
    """The scenario keys of the journal's whole lines, in order."""
    try:
        lines = (out / JOURNAL).read_text(encoding="utf-8").split("\n")[1:-1]
    except FileNotFoundError:
        return []
    return [json.loads(line)["key"] for line in lines]


def children(pid: int) -> list[int]:
    """Processes whose parent is `pid` and that run what it runs (forked workers, not helpers it started)."""
    found = []
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            same = Path(f"/proc/{entry}/cmdline").read_bytes() == command
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid and same:
            found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    """Running, not ended (a zombie has ended: it only waits for a parent to read its status)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, f"waited {PATIENCE:g} s for {what}"
        time.sleep(0.01)


def start_sweep(menu: Path, out: Path, jobs: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ivrlint", "sweep", str(menu), *SWEEP, "--jobs", str(jobs),
                             "--out", str(out)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def kill_after(sweep: subprocess.Popen, out: Path, rows: int, extra: float) -> list[int]:
    """SIGKILL `sweep` once its journal holds `rows` rows and `extra` seconds more; its workers at that moment."""
    wait_until(lambda: len(journal_keys(out)) >= rows or sweep.poll() is not None, f"{rows} rows in the journal")
    time.sleep(extra)
    workers = children(sweep.pid)
    sweep.kill()
    sweep.wait()
    return workers


def assert_resumes_to_the_uninterrupted_rows(menu: Path, out: Path, uninterrupted: Path, jobs: int) -> None:
    resumed = run_cli("sweep", menu, *SWEEP, "--jobs", str(jobs), "--out", out)
    assert resumed.code == 0, resumed.err
    keys = journal_keys(out)
    assert len(keys) == len(set(keys)) == SCENARIOS, "a scenario lost, or journaled twice"
    assert sorted(keys) == sorted(journal_keys(uninterrupted))
    assert (out / "sweep.csv").read_bytes() == (uninterrupted / "sweep.csv").read_bytes()  # columns in the same order too
    assert (out / "sweep.json").read_bytes() == (uninterrupted / "sweep.json").read_bytes()


def test_a_sweep_killed_part_way_resumes_to_the_rows_of_an_uninterrupted_run_and_leaves_no_worker(
        menu, uninterrupted, tmp_path):
    out = tmp_path / "out"
    sweep = start_sweep(menu, out, jobs=2)
    workers = kill_after(sweep, out, rows=2, extra=0.0)
    assert sweep.returncode == -signal.SIGKILL
    assert len(workers) == 2
    wait_until(lambda: not any(alive(pid) for pid in workers), "the workers to die with their sweep")
    assert 2 <= len(journal_keys(out)) < SCENARIOS
    assert_resumes_to_the_uninterrupted_rows(menu, out, uninterrupted, jobs=2)


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(8))
def test_sweeps_killed_at_random_points_resume_to_the_rows_of_an_uninterrupted_run(menu, uninterrupted, tmp_path,
                                                                                   trial):
    rng = random.Random(trial)
    jobs = 1 + trial % 2
    out = tmp_path / "out"
    for _ in range(2):  # killed twice, then finished
        kill_after(start_sweep(menu, out, jobs), out, rng.randrange(SCENARIOS), rng.uniform(0, 1.0))
    assert_resumes_to_the_uninterrupted_rows(menu, out, uninterrupted, jobs)


def test_the_directory_is_free_at_once_after_a_kill_even_while_a_forked_child_lives_on(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import os, sys, time\n"
        "from ivrlint.whatif.store import SweepStore\n"
        "SweepStore(sys.argv[1], {}).load()\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    time.sleep(600)\n"  # a worker the parent-death signal does not reach
        "    os._exit(0)\n"
        "print(child, flush=True)\n"
        "time.sleep(600)\n"), str(tmp_path)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert holder.stdout is not None
    child = int(holder.stdout.readline())
    try:
        with pytest.raises(UsageError, match=f"another sweep is writing to {tmp_path} \\(process {holder.pid}\\)"):
            SweepStore(str(tmp_path), {}).load()
        holder.kill()
        holder.wait()
        assert alive(child)
        store = SweepStore(str(tmp_path), {})
        store.load()  # not refused: the child closed its copy of the lock when it was forked
        store.close()
    finally:
        os.kill(child, signal.SIGKILL)


def test_a_second_sweep_into_a_directory_in_use_is_refused_naming_the_process(menu, tmp_path):
    first = SweepStore(str(tmp_path), {"any": "settings"})
    first.load()
    try:
        before = (tmp_path / JOURNAL).read_bytes()
        result = run_cli("sweep", menu, *SWEEP, "--out", tmp_path)
    finally:
        first.close()
    assert result.code == 2
    assert result.err == (f"ivrlint: error: another sweep is writing to {tmp_path} (process {os.getpid()}); "
                          "wait for it, or give another --out\n")
    assert (tmp_path / JOURNAL).read_bytes() == before  # the refused sweep wrote nothing


def test_a_lock_held_after_the_sweep_that_took_it_ended_is_named_as_such(tmp_path):
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    fd = os.open(tmp_path / LOCK, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a process the ended sweep started would hold it
        os.write(fd, f"{ended.pid}\n".encode())
        with pytest.raises(UsageError) as caught:
            SweepStore(str(tmp_path), {}).load()
    finally:
        os.close(fd)
    assert str(caught.value) == (f"{tmp_path / LOCK} is still locked, but the sweep that took it (process {ended.pid}) "
                                 "has ended: a process it started holds the lock; end that process, or give another --out")
    store = SweepStore(str(tmp_path), {})
    store.load()  # free once that process lets go
    store.close()
