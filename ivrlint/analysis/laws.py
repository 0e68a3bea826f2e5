"""The distributions of talk time and patience, as the queue analysis needs them.

A `Law` is what a menu's duration means to the simulator (sim/durations.py):
exponential, lognormal with a coefficient of variation, fixed, or "never"
(a patience that never runs out: callers of Erlang C). The analysis needs
more of a law than a sampler does: its survival function P(X > t) and the
integrals of it that the offered-wait equation (general_queue.py) is made
of, each in closed form:

* ``partial_mean(z)`` = E[min(X, z)] = the integral of the survival from 0 to z;
* ``tail(z)`` = E[(X - z)+] = its integral from z to infinity;
* ``tail_moment(z)`` = the integral of t P(X > t) from z to infinity = E[(X^2 - z^2)+] / 2.

The tails are computed as tails (not as a total minus a partial sum), so
they stay accurate where they are tiny.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

from ivrlint.menu.model import Duration

KINDS = ("exponential", "lognormal", "fixed", "never")


@dataclass(frozen=True)
class Law:
    """A nonnegative random duration: its kind, mean (seconds) and, for lognormal, its cv."""

    kind: str
    mean: float
    cv: float = 1.0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown distribution '{self.kind}'; expected one of {', '.join(KINDS)}")
        if self.kind != "never" and not (self.mean >= 0 and math.isfinite(self.mean)):
            raise ValueError(f"a duration's mean must be finite and >= 0; got {self.mean}")
        if self.kind == "lognormal" and not (self.cv > 0 and math.isfinite(self.cv)):
            raise ValueError(f"a lognormal duration needs a cv > 0; got {self.cv}")

    @property
    def exponential(self) -> bool:
        return self.kind == "exponential" and self.mean > 0

    @property
    def second_moment(self) -> float:
        """E[X^2]."""
        return {"exponential": 2.0, "lognormal": 1.0 + self.cv ** 2, "fixed": 1.0}.get(self.kind, math.inf) * self.mean ** 2

    def _lognormal(self) -> tuple[float, float]:
        sigma = math.sqrt(math.log1p(self.cv * self.cv))
        return math.log(self.mean) - sigma * sigma / 2.0, sigma

    def survival(self, t: np.ndarray) -> np.ndarray:
        """P(X > t) for t >= 0; at a fixed duration's own value, the mean of the limits
        either side (1/2), so a grid rule integrates its jump exactly there."""
        t = np.asarray(t, dtype=float)
        if self.kind == "never":
            return np.ones_like(t)
        if self.mean <= 0:
            return np.zeros_like(t)
        if self.kind == "fixed":
            return np.where(t < self.mean, 1.0, np.where(t == self.mean, 0.5, 0.0))
        if self.kind == "exponential":
            return np.exp(-t / self.mean)
        mu, sigma = self._lognormal()
        with np.errstate(divide="ignore"):
            return ndtr((mu - np.log(t)) / sigma)

    def tail(self, z: np.ndarray) -> np.ndarray:
        """E[(X - z)+] for z >= 0: the integral of the survival from z on."""
        z = np.asarray(z, dtype=float)
        if self.kind == "never":
            return np.full_like(z, math.inf)
        if self.mean <= 0 or self.kind == "fixed":
            return np.maximum(self.mean - z, 0.0)
        if self.kind == "exponential":
            return self.mean * np.exp(-z / self.mean)
        mu, sigma = self._lognormal()
        with np.errstate(divide="ignore"):
            d = (mu - np.log(z)) / sigma
        return np.maximum(self.mean * ndtr(d + sigma) - z * ndtr(d), 0.0)

    def tail_moment(self, z: np.ndarray) -> np.ndarray:
        """The integral of t P(X > t) dt from z to infinity, E[(X^2 - z^2)+] / 2."""
        z = np.asarray(z, dtype=float)
        if self.kind == "never":
            return np.full_like(z, math.inf)
        if self.mean <= 0 or self.kind == "fixed":
            return np.maximum(self.mean ** 2 - z * z, 0.0) / 2.0
        if self.kind == "exponential":
            return self.mean * np.exp(-z / self.mean) * (z + self.mean)
        mu, sigma = self._lognormal()
        with np.errstate(divide="ignore"):
            d = (mu - np.log(z)) / sigma
        return np.maximum(math.exp(2 * mu + 2 * sigma * sigma) * ndtr(d + 2 * sigma) - z * z * ndtr(d), 0.0) / 2.0

    def partial_mean(self, z: np.ndarray) -> np.ndarray:
        """E[min(X, z)]: the integral of the survival from 0 to z."""
        z = np.asarray(z, dtype=float)
        if self.kind == "never":
            return z.copy()
        return np.maximum(self.mean - self.tail(z), 0.0)

    def quantile(self, p: float) -> float:
        """The smallest t with P(X > t) <= 1 - p (p in (0, 1)); infinite for "never"."""
        if self.kind == "never":
            return math.inf
        if self.mean <= 0 or self.kind == "fixed":
            return self.mean
        if self.kind == "exponential":
            return -self.mean * math.log1p(-p)
        mu, sigma = self._lognormal()
        return math.exp(mu + sigma * float(ndtri(p)))


NEVER = Law("never", math.inf)


def law_of(duration: Duration | None, default: str, default_cv: float = 1.0) -> Law:
    """The law the simulator draws `duration` from (sim/durations.py ``sampler``):
    `default` when the menu names no distribution, `default_cv` for a
    lognormal without a cv; a lognormal with cv <= 0 is fixed, as is a
    duration with mean 0."""
    if duration is None or not duration.mean > 0:
        return Law("fixed", 0.0)
    if math.isinf(duration.mean):
        return NEVER
    kind = duration.distribution or default
    if kind == "lognormal":
        cv = duration.cv if duration.cv is not None else default_cv
        return Law("lognormal", duration.mean, cv) if cv > 0 else Law("fixed", duration.mean)
    return Law(kind, duration.mean)
