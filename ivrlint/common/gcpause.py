"""Garbage collection paused while a large acyclic structure is built and read.

Python's cyclic collector runs whenever enough objects have been made, and
each full pass visits every live object. Reading a 20,000-node menu makes
millions of objects (the YAML node tree, the model, the tokens of every
prompt) and lets none of them form cycles that reference counting would
not free, so those passes found nothing and took about 40% of the time to
read and lint such a menu, with the same findings and the same peak memory
with collection paused (benchmarks/lint_speed.py). The simulator pauses it
for the same reason (ivrlint/sim/engine.py).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Collection off inside the block, and back as it was after it (nested blocks keep it off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
