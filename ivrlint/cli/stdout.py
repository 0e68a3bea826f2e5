"""Standard output that a reader may close (`ivrlint check | head`) or a disk may refuse (`>/dev/full`).

A closed pipe is not an error of the run: the command goes on, with the exit
status it would have had (CI with `set -o pipefail` must still fail on
findings). Output that cannot be written at all is a usage error (exit 2),
never the status 1 that means "findings".
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from ivrlint.errors import UsageError


def discard_stdout() -> None:
    """Send whatever is still to be printed, and what is still buffered, to the null device.

    Python flushes standard output once more at exit; pointing the file
    descriptor elsewhere keeps that flush from failing a second time.
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, io.UnsupportedOperation):  # not a real file (tests' StringIO)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


@contextmanager
def printing() -> Iterator[None]:
    """Print the run's results: a reader that left ends the printing quietly; a full disk is a usage error."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        discard_stdout()
    except OSError as exc:
        discard_stdout()
        raise UsageError(f"cannot write standard output: {exc.strerror or exc}") from None
