"""Random durations (MENU_FORMAT.md, "Durations"): their means and how to draw them.

A duration is a mean, or a mean with a named distribution. When the menu
names none, the kind of duration decides: talk time is lognormal (Brown et
al. 2005), patience exponential (Erlang A; Gans, Koole & Mandelbaum 2003),
self-service and input durations lognormal (an assumption, parameters.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from random import Random

from ivrlint.menu.model import Duration

Draw = Callable[[Random], float]


def lognormal_params(mean: float, cv: float) -> tuple[float, float]:
    """(mu, sigma) of the lognormal with this mean and coefficient of variation."""
    sigma = math.sqrt(math.log1p(cv * cv))
    return math.log(mean) - sigma * sigma / 2.0, sigma


def sampler(duration: Duration | None, default: str, default_cv: float = 1.0) -> tuple[float, Draw | None]:
    """(mean, draw) for a duration; draw is None when the duration is fixed.

    `default` is the distribution used when the menu names none; lognormal
    durations without a cv use `default_cv`.
    """
    if duration is None or duration.mean <= 0:
        return 0.0, None
    mean = duration.mean
    kind = duration.distribution or default
    if kind == "fixed":
        return mean, None
    if kind == "exponential":
        rate = 1.0 / mean
        return mean, lambda rng: rng.expovariate(rate)
    cv = duration.cv if duration.cv is not None else default_cv
    if cv <= 0:
        return mean, None
    mu, sigma = lognormal_params(mean, cv)
    return mean, lambda rng: rng.lognormvariate(mu, sigma)


def is_exponential(duration: Duration | None, default: str) -> bool:
    """Does this duration follow the exponential law (where Erlang A is exact)?"""
    return duration is not None and (duration.distribution or default) == "exponential"
