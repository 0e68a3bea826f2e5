"""Worker processes for ``--jobs``: one start method, chosen on purpose, for every pool.

ivrlint's workers compute (a replication, a sweep scenario) and share
nothing with the parent but their inputs and results, and the parent starts
its pool before any thread of its own. So where the platform has it, the
pool forks: a worker starts in milliseconds with the modules and the menu
already in memory, where a spawned one would import ivrlint again (about
half a second) and be sent the menu. Elsewhere (Windows, macOS builds
without fork) it spawns. The choice is explicit, so Python 3.14's new
default (forkserver on Linux) does not change how ivrlint runs.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

#: The start method every ivrlint worker pool uses.
START_METHOD = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def worker_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of `jobs` worker processes, started the one way ivrlint starts them."""
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(START_METHOD))
