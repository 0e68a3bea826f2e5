"""Worker processes for ``--jobs``: one start method, chosen on purpose, for every pool.

ivrlint's workers compute (a replication, a sweep scenario) and share
nothing with the parent but their inputs and results, and the parent starts
its pool before any thread of its own. So where the platform has it, the
pool forks: a worker starts in milliseconds with the modules and the menu
already in memory, where a spawned one would import ivrlint again (about
half a second) and be sent the menu. Elsewhere (Windows, macOS builds
without fork) it spawns. The choice is explicit, so Python 3.14's new
default (forkserver on Linux) does not change how ivrlint runs.

Workers die with the process that started them: a ``kill -9`` of a sweep
or a simulation must not leave its workers computing for nobody (and, in a
sweep, holding its directory). On Linux each worker asks the kernel for
SIGKILL when its parent ends (``prctl(PR_SET_PDEATHSIG)``, through
ctypes); elsewhere, and for a pool started from a thread other than the
main one (the signal follows the thread that forked), a thread in each
worker watches the parent's process id and ends the worker once the parent
is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

#: The start method every ivrlint worker pool uses.
START_METHOD = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
#: Seconds between a watching worker's looks at its parent, where the kernel cannot signal it.
WATCH_EVERY = 0.5
#: prctl's option that sets the signal a process gets when its parent (thread) ends.
_PR_SET_PDEATHSIG = 1


def worker_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of `jobs` worker processes, started the one way ivrlint starts them."""
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(START_METHOD),
                               initializer=die_with_parent,
                               initargs=(os.getpid(), threading.current_thread() is threading.main_thread()))


def die_with_parent(parent: int, main_thread: bool = True) -> None:
    """Run in each new worker: end it when the process `parent` ends (see the module's docstring)."""
    if not (main_thread and _parent_death_signal()):
        threading.Thread(target=_watch, args=(parent,), name="ivrlint-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent ended before the worker got this far
        os._exit(1)


def _parent_death_signal() -> bool:
    """Ask Linux for SIGKILL when the parent ends; False where that cannot be asked."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return False
    return prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_EVERY)
    os._exit(1)
