"""Exact queueing formulas for agent pools: Erlang B, Erlang C and Erlang A.

Every rate is per second and every time is in seconds. The formulas:

* Erlang B (loss) and Erlang C (M/M/n, callers wait as long as it takes):
  A. K. Erlang, "Solution of some problems in the theory of probabilities of
  significance in automatic telephone exchanges" (1917); the stable recursion
  and the service-level formula 1 - C e^{-(n mu - lambda) t} as in Gans, Koole
  & Mandelbaum, "Telephone call centers: tutorial, review, and research
  prospects", MSOM 5(2), 2003, section 4.1.
* Erlang A (M/M/n+M: exponential patience with rate theta): Palm (1943);
  Garnett, Mandelbaum & Reiman, "Designing a call center with impatient
  customers", MSOM 4(3), 2002; Gans et al. 2003, section 4.2.3. It is solved
  here as a birth-death chain (state k = callers in the system; death rate
  min(k, n) mu + max(k - n, 0) theta), truncated where the neglected tail mass
  is below TAIL; the closed form with the incomplete gamma function
  (docs/sources.md#erlang-a) gives the same numbers (the tests check it).

Service level is the share of *all* callers answered within the threshold
(callers who abandon count against it, however soon they hang up). For Erlang
A it is derived exactly: a caller who arrives to k >= n callers in the system
(PASTA) has m = k - n callers ahead; each advance (the head of the queue is
answered, rate n mu, or someone ahead gives up, rate m theta) races against
the caller's own patience (rate theta). The caller is answered with
probability n mu / (n mu + M theta), M = k - n + 1 (the product telescopes),
and given that, the wait is a sum of exponentials with rates n mu + i theta,
i = 1..M, whose distribution function is the regularized incomplete beta
I_x(M, n mu / theta + 1) with x = 1 - e^{-theta t}: the upper tail of a
negative binomial, computed below as a sum of positive terms.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ivrlint.errors import UsageError

#: Tail probability mass the chain and the sums may neglect.
TAIL = 1e-13
#: Most states the Erlang A chain may hold; reached only when a mean patience
#: spans billions of arrivals, where the queue is effectively unstable.
MAX_STATES = 2_000_000
#: Largest ratio of rates (and so state number) the chain is built with: past 2^53 whole numbers are no
#: longer exact in floating point, and at 1e308 (a patience of 1e308 s) lgamma and the sums overflow.
MAX_SCALE = 2.0**53

Metrics = dict


def erlang_b(n: int, a: float) -> float:
    """Blocking probability of n servers at offered load a (Erlangs).

    Uses B(k) = a B(k-1) / (k + a B(k-1)), which never overflows, unlike
    a^n / n! over the sum of a^k / k!.
    """
    _check(n, a)
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(n: int, a: float) -> float:
    """Probability that a caller waits (Erlang C); 1.0 when a >= n (unstable)."""
    _check(n, a)
    if a <= 0.0:
        return 0.0
    if a >= n:
        return 1.0
    b = erlang_b(n, a)
    return n * b / (n - a * (1.0 - b))


def erlang_c_metrics(arrival_rate: float, mean_handle: float, n: int, threshold: float = 20.0) -> Metrics:
    """Pool measures of M/M/n: callers wait as long as it takes (no abandonment).

    A pool with offered load a = arrival_rate * mean_handle >= n cannot keep
    up: its queue grows without bound (mean_wait inf, `stable` False).
    """
    a = _load(arrival_rate, mean_handle, n, threshold)
    if a == 0.0:
        return _idle(n)
    if a >= n:
        return _metrics(1.0, 0.0, math.inf, 0.0, 1.0 if n else 0.0, a, False)
    c = erlang_c(n, a)
    gap = (n - a) / mean_handle  # n mu - lambda, the rate the queue drains at
    return _metrics(c, 0.0, c / gap, 1.0 - c * math.exp(-gap * threshold), a / n, a, True)


def erlang_a_metrics(
    arrival_rate: float, mean_handle: float, mean_patience: float, n: int, threshold: float = 20.0
) -> Metrics:
    """Pool measures of M/M/n+M (Erlang A): callers give up after an exponential patience.

    Infinite patience is Erlang C. With any finite patience the pool is
    stable (`stable` True) however few its agents: callers leave instead.
    """
    a = _load(arrival_rate, mean_handle, n, threshold)
    if not mean_patience > 0:
        raise ValueError(f"mean patience must be positive; got {mean_patience}")
    if math.isinf(mean_patience):
        return erlang_c_metrics(arrival_rate, mean_handle, n, threshold)
    if a == 0.0:
        return _idle(n)
    mu, theta = 1.0 / mean_handle, 1.0 / mean_patience
    lo, probs = erlang_a_chain(arrival_rate, mu, theta, n)
    k = np.arange(lo, lo + len(probs))
    queued = np.maximum(k - n, 0)
    waiting = k >= n
    mean_queue = float(queued @ probs)
    busy = float(np.minimum(k, n) @ probs)
    answered_soon = float(probs[~waiting].sum())
    if waiting.any():
        phases = queued[waiting] + 1  # M: the caller's own phase count
        c = n * mu
        within = _answered_within(phases, c, theta, threshold)
        answered_soon += float(probs[waiting] @ (c / (c + phases * theta) * within))
    return _metrics(
        p_wait=float(probs[waiting].sum()),
        p_abandon=theta * mean_queue / arrival_rate,  # abandonment flow / arrival flow
        mean_wait=mean_queue / arrival_rate,  # Little's law over all callers
        service_level=answered_soon,
        occupancy=busy / n if n else 0.0,
        offered_load=a,
        stable=True,
    )


def erlang_a_chain(arrival_rate: float, mu: float, theta: float, n: int) -> tuple[int, np.ndarray]:
    """Stationary distribution of the M/M/n+M chain as (first state, probabilities).

    Only the window of states around the mode whose outside mass is below
    TAIL is kept; the mass outside is bounded with the geometric decay of
    the ratios w(k+1)/w(k), which fall on both sides of the mode.
    """
    lam = arrival_rate
    if not max(lam / mu, lam / theta, n * mu / theta, n) < MAX_SCALE:  # inf and nan too: 1e308 and 1e-308 meet here
        raise UsageError("a pool's call rate, handle time and patience are too far apart for the exact analysis "
                         "(their ratios pass 2^53, where floating point loses whole numbers); bring them closer")
    death = lambda k: min(k, n) * mu + max(k - n, 0) * theta  # noqa: E731
    mode = math.floor(lam / mu) if lam < n * mu else n + math.floor((lam - n * mu) / theta)

    def logw(k: int) -> float:  # log of the unnormalized weight of state k
        if k <= n:
            return k * math.log(lam / mu) - math.lgamma(k + 1)
        j, r = k - n, n * mu / theta
        return logw(n) + j * math.log(lam / theta) - math.lgamma(r + j + 1) + math.lgamma(r + 1)

    top, budget = logw(mode), math.log(TAIL)

    def above_ok(k: int) -> bool:  # mass beyond k is negligible
        ratio = lam / death(k + 1)
        return ratio < 1 and logw(k) - top + math.log(ratio / (1 - ratio)) < budget

    def below_ok(k: int) -> bool:  # mass under k is negligible
        if k == 0:
            return True
        ratio = death(k) / lam
        return ratio < 1 and logw(k) - top + math.log(ratio / (1 - ratio)) < budget

    hi = mode + _first(lambda d: above_ok(mode + d), MAX_STATES // 2)
    lo = mode - _first(lambda d: below_ok(mode - d), min(mode, MAX_STATES // 2))
    ks = np.arange(lo + 1, hi + 1)
    deaths = np.minimum(ks, n) * mu + np.maximum(ks - n, 0) * theta
    logs = np.concatenate(([0.0], np.cumsum(np.log(lam / deaths))))
    weights = np.exp(logs - logs.max())
    return lo, weights / weights.sum()


def _first(ok: Callable[[int], bool], cap: int) -> int:
    """Smallest d in 0..cap with ok(d), for ok monotone in d (else cap)."""
    if ok(0) or cap == 0:
        return 0
    low, high = 0, 1
    while high < cap and not ok(high):
        low, high = high, min(2 * high, cap)
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (low, mid) if ok(mid) else (mid, high)
    return high


def _answered_within(phases: np.ndarray, c: float, theta: float, t: float) -> np.ndarray:
    """P(a sum of exponentials with rates c + i theta, i = 1..M, is <= t) for each M.

    That is I_x(M, b) with x = 1 - e^{-theta t}, b = c / theta + 1, the upper
    tail P(N >= M) = 1 - P(N < M) of a negative binomial N with pmf
    T_j = Gamma(j + b) / (j! Gamma(b)) x^j (1 - x)^b. The pmf is built in
    logs (no underflow) up to the largest M, or to where N's own tail is
    negligible (mean + 40 sd), so the work is bounded by the chain's window.
    """
    if t <= 0:
        return np.zeros(len(phases))
    if theta * t > 40:  # N's mean exceeds e^40: every phase count here is passed within t
        return np.ones(len(phases))
    b, log_x = c / theta + 1.0, math.log(-math.expm1(-theta * t))
    grow = math.exp(theta * t)  # 1 / (1 - x)
    mean, sd = b * (grow - 1.0), math.sqrt(b * grow * (grow - 1.0))
    last = int(min(phases.max() - 1, math.ceil(mean + 40 * sd + 50)))
    if last > MAX_STATES:
        raise UsageError("the queue's patience, handle time and threshold are too far apart for the exact analysis")
    j = np.arange(1, last + 1)
    log_pmf = -b * theta * t + np.concatenate(([0.0], np.cumsum(log_x + np.log((j - 1 + b) / j))))
    below = np.cumsum(np.exp(log_pmf))  # below[i] = P(N <= i)
    out = np.zeros(len(phases))
    inside = phases - 1 <= last
    out[inside] = np.maximum(1.0 - below[phases[inside] - 1], 0.0)
    return out


def _check(n: int, a: float) -> None:
    if int(n) != n or n < 0:
        raise ValueError(f"the number of agents must be a whole number >= 0; got {n}")
    if not a >= 0 or math.isinf(a):
        raise ValueError(f"offered load must be a finite number >= 0; got {a}")


def _load(arrival_rate: float, mean_handle: float, n: int, threshold: float) -> float:
    if not mean_handle > 0 or math.isinf(mean_handle):
        raise ValueError(f"mean handle time must be positive and finite; got {mean_handle}")
    if not threshold >= 0:
        raise ValueError(f"service-level threshold must be >= 0 s; got {threshold}")
    a = arrival_rate * mean_handle
    _check(n, a)
    return a


def _idle(n: int) -> Metrics:
    return _metrics(0.0, 0.0, 0.0, 1.0, 0.0, 0.0, True)


def _metrics(p_wait, p_abandon, mean_wait, service_level, occupancy, offered_load, stable) -> Metrics:
    return {
        "p_wait": p_wait, "p_abandon": p_abandon, "mean_wait": mean_wait, "service_level": service_level,
        "occupancy": occupancy, "offered_load": offered_load, "stable": stable,
    }
