"""The fuzz net's own harness catches what it says it catches: a traceback, a run past its CPU time,
past its memory or hung, a status other than 0, 1 or 2, and an exit 2 that names no place; and
lets a clean run through. Bounds here are small so that the suite stays fast."""

from __future__ import annotations

import time

import pytest
from fuzzing import Run, assert_clean, cli_target, run_bounded
from seeds import ROOT

pytestmark = pytest.mark.fuzz


def _raises():
    raise ValueError("Exceeds the limit (4300 digits)")


def _burns():
    while True:
        pass


def _eats():
    hoard = []
    while True:
        hoard.append(bytearray(50 * 2**20))


def _hangs():
    time.sleep(60)


@pytest.mark.parametrize(("target", "kind"), [(_raises, "ValueError: Exceeds the limit"), (_burns, "over 1 s of CPU time"),
                                              (_eats, "over 100 MB of memory"), (_hangs, "no end after 2 s")])
def test_a_crash_a_cpu_burner_a_memory_eater_and_a_hang_fail_the_property(target, kind):
    run = run_bounded(target, cpu_seconds=1, memory_mb=100, hang_seconds=2)
    assert kind in run.crash
    with pytest.raises(AssertionError, match=kind.split(":")[0]):
        assert_clean(run)


def test_a_clean_run_of_each_status_passes():
    for args, status in ((["check", "--no-config", str(ROOT / "menus" / "bank.yaml")], 0),
                         (["check", "--no-config", str(ROOT / "menus" / "bad" / "dead-end.yaml")], 1),
                         (["check", "--no-config", str(ROOT / "README.md")], 2)):
        run = run_bounded(cli_target(args))
        run.status, run.out, run.err = run.value
        assert run.status == status, run.err
        assert_clean(run)


@pytest.mark.parametrize(("status", "err", "message"), [
    (3, "", "exit status 3"),
    (1, "Traceback (most recent call last):\n  ...", "Traceback"),
    (2, "", "exit 2 with nothing on stderr"),
    (2, "something went wrong\n", "exit 2 without an error line"),
    (2, "error: no place at all\n", "names no place"),
])
def test_runs_that_end_badly_fail_the_property(status, err, message):
    with pytest.raises(AssertionError, match=message):
        assert_clean(Run(status=status, err=err))
