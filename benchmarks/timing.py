"""What the benchmarks share: runs that take turns with their baselines, and the spread of the pairs.

A figure is a ratio against a baseline measured in the same time window:
each round runs every side once, the order alternating from round to round
(so neither side always runs after the other has warmed a cache or left
garbage), and the ratio of each round's pair is kept. On a machine shared
with other work a busy moment then slows both sides of a pair alike; the
median and the smallest ratio of the pairs are given.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable


def spread(values: list[float]) -> dict:
    """Median, min and max of some measurements."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def seconds(fn: Callable[[], object]) -> float:
    """Wall seconds of one call of `fn`, garbage of earlier runs collected first."""
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def take_turns(runs: dict[str, Callable[[], object]], pairs: int) -> dict[str, list[float]]:
    """Seconds of each run over `pairs` rounds in which every run goes once."""
    names = list(runs)
    out: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(pairs):
        for name in names if round_ % 2 == 0 else names[::-1]:
            out[name].append(seconds(runs[name]))
    return out


def ratios(times: dict[str, list[float]], subject: str, baseline: str) -> dict:
    """Spread of subject / baseline over the rounds."""
    return spread([a / b for a, b in zip(times[subject], times[baseline], strict=True)])


def gc_off(fn: Callable[[], object]) -> Callable[[], object]:
    """`fn` run with the garbage collector off."""
    def run() -> object:
        was = gc.isenabled()
        gc.disable()
        try:
            return fn()
        finally:
            if was:
                gc.enable()
    return run
