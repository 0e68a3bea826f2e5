"""A progress bar on stderr for long simulations, and nothing at all elsewhere.

It draws only when stderr is a terminal: a log file, a pipe or CI gets no
carriage returns and no partial lines. ``--quiet`` turns it off on a
terminal too. It plugs into ``run_simulation(progress=...)``, which calls
it with (replications done, replications in all).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import TextIO

WIDTH = 28


class ProgressBar:
    """``bar(done, total)`` redraws one line: ``simulating [#####.....] 3/10 replications, 0:12 left``."""

    def __init__(self, stream: TextIO, label: str = "simulating", clock: Callable[[], float] = time.monotonic):
        self.stream = stream
        self.label = label
        self.clock = clock
        self.started = clock()
        self.finished = False

    def __call__(self, done: int, total: int) -> None:
        if self.finished or total <= 0:
            return
        done = max(0, min(done, total))
        filled = round(WIDTH * done / total)
        elapsed = self.clock() - self.started
        line = f"\r{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total} replications"
        if 0 < done < total:
            line += f", {_clock(elapsed / done * (total - done))} left"
        elif done == total:
            line += f" in {_clock(elapsed)}"
        self.stream.write(line + "\x1b[K")  # clear what a longer previous line left
        if done == total:
            self.stream.write("\n")
            self.finished = True
        self.stream.flush()


def progress_bar(quiet: bool = False, stream: TextIO | None = None) -> ProgressBar | None:
    """A bar on `stream` (stderr) when it is a terminal and not `quiet`; else None, which draws nothing."""
    stream = stream if stream is not None else sys.stderr
    if quiet or os.environ.get("TERM") == "dumb":
        return None
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):  # closed or not a real file
        return None
    return ProgressBar(stream)


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
