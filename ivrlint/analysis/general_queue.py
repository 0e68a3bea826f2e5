"""Pools whose talk time or patience is not exponential: M/G/n+G, through the offered wait.

Erlang A (queueing.py) is exact only when talk time and patience are both
exponential. Menus default to lognormal talk time (Brown et al. 2005) and
may give patience any distribution, so this module answers the general
pool, M/G/n+G: Poisson arrivals at rate lambda, n agents, talk time S and
patience T of any of the menu format's distributions (laws.py), first come
first served. The method, its sources and its measured error are in
docs/queue-approximation.md; in short:

The *offered wait* V is how long a caller who arrives now would wait if
they never gave up (Baccelli & Hebuterne 1981). A caller who finds V = x
joins for good when their patience is longer (probability P(T > x)); the
others leave without holding anyone up, so the offered wait only grows by
those who stay. Its stationary law has an atom at 0 (an agent is free)
and a density v on x > 0 that solves the renewal (Volterra) equation

    v(x) = lambda p[n-1] Ga(x) + lambda * integral_0^x v(y) P(T > y) Gb(x - y) dy,

where p[n-1] is the chance that n - 1 agents are busy, Ga(t) is the chance
that the jump of V made by a caller who takes the last free agent exceeds
t, and Gb(t) the same for a caller who joins the queue. From v:

    P(wait) = integral v;  P(abandon) = integral v P(T <= x);
    mean wait (all callers) = integral v E[min(T, x)];
    answered within t = P(V = 0) + integral_0^t v P(T > x).

* Exponential talk (rate mu): the jumps are exponential with rate n mu,
  and v = lambda p[n-1] exp(lambda E[min(T, x)] - n mu x) exactly
  (Baccelli & Hebuterne 1981, as restated by Zeltyn & Mandelbaum 2005,
  section 2): ``exact``.
* One agent: Ga = Gb = P(S > t) and the equation is exact for M/G/1+G
  (Baccelli, Boyer & Hebuterne 1984): ``exact``.
* Otherwise the jumps are those of Tijms, van Hoorn & Federgruen's M/G/c
  approximation (1981): a caller who takes the last free agent waits, for
  the next agent, the shortest of a fresh talk time and n - 1 residual
  talk times (independent, with the equilibrium law of talk time), so
  Ga(t) = P(S > t) Pe(t)^(n-1); each further caller adds a talk time shared
  by n agents, Gb(t) = P(S > nt); and below n busy agents the state
  distribution is that of M/G/n/n (insensitive: Poisson(lambda E[S])
  truncated). Putting those jumps into the exact offered-wait equation is
  this module's own combination: ``approximate``, with the error measured
  against the simulation in docs/queue-approximation.md.

A pool's line with a callback offer or announcements (features.py's
``Line``) takes the patience law's place: its ``survival`` is the chance a
caller who would wait x stays to be answered, its ``partial_mean`` that
chance's integral and its ``held`` how long such a caller is in line; the
equation and the figures are the same, and ``line_figures`` adds the
features' own (approximate) figures from the same law.

The equation is solved on a uniform grid (step h) by product-trapezoid
quadrature: the product v P(T > .) is taken piecewise linear between grid
points and integrated exactly against Gb, whose integrals laws.py gives in
closed form (so a fixed talk time, whose Gb jumps, costs no accuracy). The
convolution is split in halves and the earlier half's effect on the later
half added by FFT, which solves M points in O(M log^2 M).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.linalg import solve_triangular, toeplitz
from scipy.signal import fftconvolve

from ivrlint.analysis.laws import Law
from ivrlint.analysis.queueing import erlang_a_metrics, erlang_b, erlang_c, erlang_c_metrics
from ivrlint.errors import UsageError

#: Grid steps per shortest time scale (a talk time shared by the agents,
#: the service-level threshold, the patience's median).
STEPS_PER_SCALE = 16
#: Most grid points: the grid is doubled until what it leaves out is below
#: TAIL, up to this many points.
MAX_POINTS = 1 << 20
#: What the grid may leave out: the share of the offered wait's mass that
#: callers who would join beyond the grid's end (and add their jumps) hold.
#: The mass beyond the end made by callers who joined before it is counted.
TAIL = 1e-10
#: Grid points solved directly (a triangular system); larger spans split in two.
LEAF = 128
#: Below this chance that all agents are busy, a pool's grid is coarse (COARSE_POINTS over its reach):
#: its figures differ by less than the chance itself, and a pool of a thousand idle agents no longer
#: takes a fine grid (seconds) per hour of the day.
NEGLIGIBLE_WAIT = 1e-9
COARSE_POINTS = 1024
#: Rescale the solution when it grows past this (an overloaded pool of patient callers).
HUGE = 1e200


def pool_figures(arrival_rate: float, talk: Law, patience: Law, agents: int, threshold: float = 20.0) -> tuple[dict, bool]:
    """(figures, exact) of a pool of `agents` answering Poisson calls at `arrival_rate` per second.

    The figures are those of queueing.erlang_a_metrics. `exact` is True
    where the method is exact (exponential talk time; or one agent) and
    False where it is the approximation of the module docstring.
    """
    if talk.kind == "never" or not talk.mean > 0 or math.isinf(talk.mean):
        raise ValueError(f"talk time must have a positive finite mean; got {talk}")
    if talk.exponential and patience.exponential:
        return erlang_a_metrics(arrival_rate, talk.mean, patience.mean, agents, threshold), True
    if talk.exponential and patience.kind == "never":
        return erlang_c_metrics(arrival_rate, talk.mean, agents, threshold), True
    a = arrival_rate * talk.mean
    erlang_c_metrics(arrival_rate, talk.mean, agents, threshold)  # the same argument checks
    if a == 0.0:
        return _figures(0.0, 0.0, 0.0, 1.0, 0.0, 0.0, True), True
    if patience.kind == "never" and a >= agents:
        return _figures(1.0, 0.0, math.inf, 0.0, 1.0, a, False), talk.exponential or agents == 1
    return OfferedWait(arrival_rate, talk, patience, agents, threshold).figures(), talk.exponential or agents == 1


class OfferedWait:
    """The offered wait's law for one pool, solved on a grid (see the module docstring).

    `closed_form=False` solves the renewal equation even for exponential
    talk time, where the closed form is known (the tests compare the two).
    """

    def __init__(self, rate: float, talk: Law, patience: Law, agents: int, threshold: float, closed_form: bool = True):
        self.rate, self.talk, self.patience, self.n, self.threshold = rate, talk, patience, agents, threshold
        self.closed_form = closed_form and talk.exponential
        share = talk.mean / agents  # the mean jump a queued caller adds
        scales = [share] + [s for s in (threshold, patience.quantile(0.5)) if 0 < s < math.inf]
        step = min(scales) / getattr(patience, "steps_per_scale", STEPS_PER_SCALE)
        # a grid point on the threshold, or on the jump of a fixed patience (or of a fixed talk
        # time that one agent's callers wait out), where a grid rule would lose accuracy
        jumps = [law.mean for law, matters in ((patience, True), (talk, agents == 1))
                 if matters and law.kind == "fixed" and law.mean > 0]
        jumps = [t for t in getattr(patience, "anchors", ()) if t > 0] + jumps  # a line's own jumps (features.py)
        anchor = jumps[0] if jumps else threshold
        self.h = anchor / math.ceil(anchor / step) if anchor > 0 else step

    def figures(self) -> dict:
        """The pool's figures, as queueing.erlang_a_metrics gives them."""
        points = self._first_extent()
        while True:
            x = np.arange(points) * self.h
            stay = self.patience.survival(x)  # P(T > x)
            u, factor = self._density(x, stay)  # v = lambda p[n-1] u / factor
            beyond = self._beyond(x, stay, u, factor)
            # joins beyond the grid are left out: they must not matter (to what an approximate line needs)
            if stay[-1] * beyond <= getattr(self.patience, "tail_mass", TAIL) * self.h * float(u.sum()) or points >= MAX_POINTS:
                return self._measure(x, stay, u, factor, beyond)
            points *= 2

    def _first_extent(self) -> int:
        """Grid points to start with (doubled until the offered wait beyond them does not matter)."""
        jump = self.talk.mean / self.n
        reach = max(16 * jump, 2 * self.threshold, 2 * min(self.patience.quantile(0.5), 1e3 * jump))
        if self.patience.kind == "never":
            reach = 16 * jump / max(1 - self.rate * jump, 1e-3)
        patient = getattr(self.patience, "patient", 0.0)  # a share who never leave (features.py: callbacks)
        if patient > 0:
            reach = max(reach, 16 * jump / max(1 - self.rate * patient * jump, 1e-3))
        if self._hardly_anyone_waits():  # the grid's step follows talk / agents, so a big idle pool
            self.h = max(self.h, reach / COARSE_POINTS)  # took a million points to say nobody waits
        return int(min(MAX_POINTS, 1 << max(6, math.ceil(math.log2(reach / self.h + 2)))))

    def _hardly_anyone_waits(self) -> bool:
        """Is the chance that all agents are busy negligible (Erlang C below NEGLIGIBLE_WAIT)? Then the
        offered wait's density is nearly all at 0 and a coarse grid gives the same figures."""
        load = self.rate * self.talk.mean
        return load < self.n and erlang_c(self.n, load) < NEGLIGIBLE_WAIT

    def _density(self, x: np.ndarray, stay: np.ndarray) -> tuple[np.ndarray, float]:
        """(u, factor) with v = lambda p[n-1] u / factor on the grid x (the factor keeps u finite)."""
        if self.closed_form:  # M/M/n+G
            log_u = self.rate * self.patience.partial_mean(x) - self.n / self.talk.mean * x
            top = max(0.0, float(log_u.max()))
            return np.exp(log_u - top), math.exp(-top)
        talk, n, h = self.talk, self.n, self.h
        forcing = talk.survival(x) * (talk.tail(x) / talk.mean) ** (n - 1)
        # integrals of Gb(t) = P(S > n t) over the cells [(k-1)h, kh], plain and times t
        edges = np.arange(len(x) + 2) * h
        tail0, tail1 = talk.tail(n * edges) / n, talk.tail_moment(n * edges) / (n * n)
        k = np.arange(1, len(edges))
        plain, moment = tail0[:-1] - tail0[1:], tail1[:-1] - tail1[1:]
        before, after = moment / h - (k - 1) * plain, k * plain - moment / h  # A_k, B_k for k = 1..M+1
        weights = np.concatenate(([after[0]], before[:-1] + after[1:]))  # W_0 = B_1, W_d = A_d + B_{d+1}
        return _solve_renewal(forcing, stay, weights, after, self.rate)

    def _beyond(self, x: np.ndarray, stay: np.ndarray, u: np.ndarray, factor: float) -> float:
        """The mass of u beyond the grid's end X, counting the jumps of callers who joined
        before X (and none after): what the grid leaves out."""
        end = float(x[-1])
        if self.closed_form:  # u decays at least at rate n mu - lambda P(T > X) past X
            out = self.n / self.talk.mean - self.rate * float(stay[-1])
            return float(u[-1]) / out if out > 0 else math.inf
        talk, n = self.talk, self.n
        weights = np.full(len(x), self.h)
        weights[0] = weights[-1] = self.h / 2
        jumps = self.rate * float((weights * stay * u) @ (talk.tail(n * (end - x)) / n))
        rest = float(talk.tail(np.array(end)))  # the forcing's own tail, at most E[(S - X)+] Pe(X)^(n-1)
        return jumps + factor * rest * (rest / talk.mean) ** (n - 1)

    def _measure(self, x: np.ndarray, stay: np.ndarray, u: np.ndarray, factor: float, beyond: float) -> dict:
        lam, h = self.rate, self.h
        trapezoid = np.full(len(x), h)
        trapezoid[0] = trapezoid[-1] = h / 2
        mass = float(trapezoid @ u) + beyond
        blocking = erlang_b(self.n - 1, lam * self.talk.mean)  # p[n-1] / sum of p[k], k < n
        # lambda p[n-1] / factor, with p[n-1] (1 / blocking + lambda mass / factor) = 1
        scale = lam / (factor / blocking + lam * mass) if blocking > 0 else 0.0
        end = float(x[-1])
        if self.patience.kind == "never":
            abandon_beyond, wait_beyond = 0.0, end
        elif hasattr(self.patience, "beyond_wait"):  # a line with features (features.py)
            abandon_beyond = 1.0 - float(stay[-1])
            wait_beyond = self.patience.beyond_wait(end)
        else:  # callers who find an offered wait past the end nearly all give up
            abandon_beyond = 1.0 - float(stay[-1])
            wait_beyond = float(self.patience.partial_mean(np.array(end))) + float(self.patience.tail(np.array(end))) / 2
        p_wait = scale * mass
        p_abandon = scale * (float(trapezoid @ (u * (1.0 - stay))) + beyond * abandon_beyond)
        held = getattr(self.patience, "held", self.patience.partial_mean)(x)  # E[min(T, x)]: the wait of a caller who finds x
        mean_wait = scale * (float(trapezoid @ (u * held)) + beyond * wait_beyond)
        answered = _integral_to(u * stay, h, self.threshold)
        out = _figures(p_wait, p_abandon, mean_wait, 1.0 - p_wait + scale * answered,
                       lam * (1.0 - p_abandon) * self.talk.mean / self.n, lam * self.talk.mean, True)
        if hasattr(self.patience, "line_figures"):  # what a line's features do (features.py), from the same law
            out.update(self.patience.line_figures(x, scale * trapezoid * u, scale * beyond, out, lam, self.talk.mean, self.n))
        return out


def _integral_to(values: np.ndarray, h: float, end: float) -> float:
    """The integral from 0 to `end` of the piecewise-linear function through `values` on a grid of step h."""
    if end <= 0:
        return 0.0
    whole = min(int(end / h + 1e-9), len(values) - 1)
    total = (float(values[: whole + 1].sum()) - (values[0] + values[whole]) / 2) * h
    part = min(end / h - whole, 1.0) if whole + 1 < len(values) else 0.0
    if part > 1e-9:
        between = values[whole] + part * (values[whole + 1] - values[whole])
        total += (values[whole] + between) / 2 * part * h
    return total


def _solve_renewal(forcing: np.ndarray, stay: np.ndarray, weights: np.ndarray, after: np.ndarray,
                   rate: float) -> tuple[np.ndarray, float]:
    """Solve u_i = f_i + rate * (sum_{j<=i} W_{i-j} s_j u_j - B_{i+1} s_0 u_0) (u_0 = f_0) for u.

    Spans of LEAF points are solved as triangular systems; a longer span is
    split in two, and the first half's effect on the second added by FFT.
    The solution is rescaled (all of it, by one factor) when it nears
    overflow; the factor is returned with it: (u * factor, factor).
    """
    m = len(forcing)
    u = np.zeros(m)
    g = np.zeros(m)  # stay * u
    u[0] = forcing[0]
    g[0] = stay[0] * u[0]
    rhs = forcing.astype(float)  # the forcing plus what earlier spans add
    rhs[1:] -= rate * after[1:m] * g[0]
    rhs[1:] += rate * weights[1:m] * g[0]
    diagonal = 1.0 - rate * weights[0] * stay
    state = {"scale": 1.0}
    column = -rate * weights[:LEAF]
    column[0] = 0.0
    within = toeplitz(column, np.zeros(LEAF))  # a leaf's own terms, below the diagonal

    def span(lo: int, hi: int) -> None:
        if hi - lo <= LEAF:
            size = hi - lo
            system = within[:size, :size] * stay[lo:hi][None, :] + np.diag(diagonal[lo:hi])
            u[lo:hi] = solve_triangular(system, rhs[lo:hi], lower=True, check_finite=False)
            g[lo:hi] = stay[lo:hi] * u[lo:hi]
            top = float(np.abs(u[lo:hi]).max())
            if top > HUGE:
                u[:hi] /= top
                g[:hi] /= top
                rhs[hi:] /= top
                state["scale"] /= top
            return
        mid = (lo + hi) // 2
        span(lo, mid)
        convolve = fftconvolve if hi - lo > 1024 else np.convolve
        effect = convolve(g[lo:mid], weights[: hi - lo])[mid - lo: hi - lo]
        rhs[mid:hi] += rate * effect
        span(mid, hi)

    span(1, m)
    if not np.all(np.isfinite(u)):
        raise UsageError("the queue analysis lost precision on this pool's talk time and patience; simulate it instead")
    return u, state["scale"]


def _figures(p_wait, p_abandon, mean_wait, service_level, occupancy, offered_load, stable) -> dict:
    """The figures as queueing.erlang_a_metrics names them, as plain floats (shares clipped to [0, 1])."""
    def share(x) -> float:
        return min(max(float(x), 0.0), 1.0)

    return {
        "p_wait": share(p_wait), "p_abandon": share(p_abandon), "mean_wait": max(float(mean_wait), 0.0),
        "service_level": share(service_level), "occupancy": share(occupancy), "offered_load": float(offered_load),
        "stable": stable,
    }
