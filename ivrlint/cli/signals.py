"""SIGTERM and Ctrl-C: the same cleanup, and the exit status a shell reports for each.

A leaf of the cli package, so that a subcommand (sweep, which keeps the
scenarios it finished) can tell how it was stopped without importing the
package that loads it.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Terminated(KeyboardInterrupt):
    """SIGTERM (`timeout`, `kill`, a cancelled CI job), raised as Ctrl-C is, so the same cleanup runs
    (a report's hidden build folder deleted, a sweep's finished scenarios kept)."""


def interrupted_status(exc: KeyboardInterrupt) -> int:
    """143 after SIGTERM, 130 after Ctrl-C: what a shell reports for a process either signal ended."""
    return 128 + (signal.SIGTERM if isinstance(exc, Terminated) else signal.SIGINT)


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """While the command runs, SIGTERM raises Terminated in this process (not in forked workers)."""
    if threading.current_thread() is not threading.main_thread():  # signal handlers live in the main thread
        yield
        return
    own_pid = os.getpid()

    def terminate(signum, frame):
        if os.getpid() != own_pid:  # a forked worker inherited this: die as SIGTERM would have it
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
