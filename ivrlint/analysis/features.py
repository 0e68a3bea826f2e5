"""Pools that offer callbacks, announce waits or overflow: what the queue analysis makes of them.

The exact formulas (queueing.py, general_queue.py) know callers who wait
until they are answered or their patience runs out. A callback offer, an
announcement that makes callers leave early and an overflow to another pool
are not in them. ivrlint gives those pools' figures **approximate**, with
the reason, from the offered-wait method of general_queue.py, whose one
input about callers is what a caller who would wait x does (how likely they
stay to be answered, how long they hold). docs/queue-approximation.md ("Callbacks,
announcements and overflow") gives the models and their measured error:

* **What a caller is told.** The engine's expected wait is place x mean
  talk time / agents on duty: the wait as if nobody ahead gave up. With m
  callers ahead the line moves at n mu + m theta (theta = 1 / mean
  patience), so a caller who would wait x is at about place
  (n mu / theta)(e^(theta x) - 1) and is told E(x) = (e^(theta x) - 1) / theta,
  more than x (``Line.announced``).
* **Callback** (offer_after o, accept a): the engine offers on joining when
  the expected wait is at least o, else when the wait reaches o. The
  analysis takes a caller who would wait x to be offered on joining when
  E(x) >= o, that is x >= log(1 + theta o) / theta; they accept with chance
  a, then wait x (calling back at their turn) and never abandon; the later
  offer (a wait that reaches o though the estimate did not) is left out.
  So a caller finding x stays with chance a + (1 - a) P(T > x) past that
  threshold and P(T > x) below it. Ring-back time counts in occupancy but is
  left out of the waits it adds.
* **Announcement** of the wait or the place (every e; with only the place the
  caller works out the same estimate): a caller leaves at the first
  announcement whose said wait is longer than the patience they have left.
  The first one (at e, with x - e left, told E(x - e)) is the binding one:
  a caller who would wait x > e stays to be answered when T > e + E(x - e)
  (and T > x), leaves at e when e < T below that
  (``p_left_at_announcement``), and gives up at T before e otherwise. An
  announcement of neither ("please hold") changes nothing and leaves the
  figures as they were.
* **Overflow** (after t, to B): both pools' figures are taken pessimistically:
  pool A as if nobody left its line for B, and pool B as if every caller
  still waiting in A after t (``p_overflow``: still in A's line at t) joined
  B's load and only B answered them.
"""

from __future__ import annotations

import math

import numpy as np

from ivrlint.analysis.laws import Law, law_of
from ivrlint.menu.model import Queue


class Line:
    """What a caller who would wait x does in a pool's line with a callback offer and/or
    announcements that callers act on; the patience law's place in general_queue.OfferedWait.

    ``survival(x)``: the chance they stay to be answered; ``partial_mean(x)``: its integral
    from 0 (the closed form's exponent); ``held(x)``: how long they are in line (callers who
    took a callback until the agent calls back); ``line_figures``: the features' own figures."""

    kind = "line"
    exponential = False
    #: What the grid may leave out (general_queue.TAIL for the exact laws): figures approximate
    #: to a percent or so need no more.
    tail_mass = 1e-5
    #: Grid steps per shortest time scale (general_queue.STEPS_PER_SCALE for the exact laws): a figure
    #: approximate to a percent or so moves by about 1e-4 with half the steps.
    steps_per_scale = 8

    def __init__(self, patience: Law, offer: float | None, accept: float, every: float | None,
                 overflow_after: float | None = None, ring_back: float = 0.0):
        self.patience, self.offer, self.accept, self.every = patience, offer, accept if offer is not None else 0.0, every
        self.overflow_after, self.ring_back = overflow_after, ring_back
        self.mean = patience.mean
        self.patient = self.accept  # those who take a callback never leave
        # the rate at which each caller ahead gives up, for what an announced wait says (announced)
        self.theta = 1.0 / patience.mean if patience.kind != "never" and 0 < patience.mean < math.inf else 0.0
        # the wait x at which the expected wait said on joining reaches offer_after (announced(x) = offer)
        if offer is None:
            self.threshold: float | None = None
        else:
            self.threshold = math.log1p(offer * self.theta) / self.theta if self.theta > 0 else offer
        self.anchors = tuple(t for t in (self.threshold,) if t is not None and t > 0)

    def quantile(self, p: float) -> float:
        return self.patience.quantile(p)

    def figure_names(self) -> list[str]:
        """The figures ``line_figures`` gives for this line."""
        return ((["p_callback_offered", "p_callback", "abandonment_avoided"] if self.offer is not None else [])
                + (["p_left_at_announcement"] if self.every is not None else [])
                + (["p_overflow"] if self.overflow_after is not None else []))

    def announced(self, r: np.ndarray) -> np.ndarray:
        """The expected wait a caller is told (place x mean talk time / agents) when r is what they have
        left. With m callers ahead the line moves at n mu + m theta (an agent frees, or one of them gives
        up, each at rate theta), so a caller at place p waits about (1/theta) log(1 + p theta / (n mu)),
        while told p / (n mu): told (e^(theta r) - 1) / theta for a wait r."""
        r = np.asarray(r, dtype=float)
        if self.theta <= 0:
            return r
        with np.errstate(over="ignore"):
            return np.expm1(self.theta * r) / self.theta

    def _offered(self, x: np.ndarray) -> np.ndarray:
        """1 where a caller who would wait x is offered a callback on joining (half on the threshold itself)."""
        if self.threshold is None:
            return np.zeros_like(x)
        return np.where(x > self.threshold, 1.0, np.where(x == self.threshold, 0.5, 0.0))

    def _bar(self, x: np.ndarray) -> np.ndarray:
        """The patience a caller who takes no callback and would wait x needs to stay to be answered: x, or
        with announcements, enough to outlast the wait said at the first one (e), e + announced(x - e)."""
        if self.every is None:
            return x
        e = self.every
        return np.where(x > e, np.maximum(x, e + self.announced(np.maximum(x - e, 0.0))), x)

    def _declined_stay(self, x: np.ndarray) -> np.ndarray:
        bar = self._bar(x)
        return np.where(np.isinf(bar), 0.0, self.patience.survival(np.where(np.isinf(bar), 0.0, bar)))

    def survival(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        taken = self.accept * self._offered(x)
        return taken + (1.0 - taken) * self._declined_stay(x)

    def partial_mean(self, x: np.ndarray) -> np.ndarray:
        """The integral of the survival from 0 to x (the closed form's exponent): in closed form without
        announcements, else by the trapezoid rule on the grid x (ascending from 0) or a fine one."""
        x = np.asarray(x, dtype=float)
        if self.every is None:
            plain = self.patience.partial_mean(x)
            if self.threshold is None:
                return plain
            o = np.array(self.threshold)
            since = np.maximum(x - self.threshold, 0.0)  # the integral of a (1 - S) from the threshold to x
            return plain + self.accept * (since - (plain - self.patience.partial_mean(np.minimum(x, o))))
        if x.ndim == 1 and len(x) > 1 and x[0] == 0 and np.all(np.diff(x) > 0):
            stay = self.survival(x)
            return np.concatenate(([0.0], np.cumsum((stay[1:] + stay[:-1]) / 2 * np.diff(x))))
        top = float(np.max(x)) if x.size else 0.0
        grid = np.linspace(0.0, top, max(2, int(top / 0.25) + 2))
        return np.interp(x, grid, self.partial_mean(grid))

    def _declined_wait(self, x: np.ndarray) -> np.ndarray:
        """How long a caller who takes no callback and would wait x is in line: min(T, x); with
        announcements, one whose patience does not outlast what the first one says (at e) leaves then."""
        plain = self.patience.partial_mean(x)
        if self.every is None:
            return plain
        e = np.array(self.every)
        early = self.patience.partial_mean(np.minimum(x, e)) + np.maximum(x - self.every, 0.0) * self._declined_stay(x)
        return np.where(x > self.every, early, plain)

    def held(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        taken = self.accept * self._offered(x)
        return taken * x + (1.0 - taken) * self._declined_wait(x)

    def beyond_wait(self, end: float) -> float:
        """The wait of a caller who finds an offered wait past the grid's end (taken as just past it)."""
        return float(self.held(np.array(end)))

    def line_figures(self, x: np.ndarray, mass: np.ndarray, beyond: float, figures: dict, rate: float,
                     talk: float, agents: int) -> dict:
        """The features' figures from the offered wait's law: `mass` per grid point x, `beyond` past it."""
        out: dict[str, float | None] = {}
        s = self.patience.survival(x)
        s_end = float(s[-1])
        if self.offer is not None:
            offered = self._offered(x)
            p_offered = float(mass @ offered) + beyond
            taken = self.accept * p_offered
            out["p_callback_offered"] = p_offered
            out["p_callback"] = taken
            out["abandonment_avoided"] = self.accept * (float(mass @ (offered * (1.0 - s))) + beyond * (1.0 - s_end))
            wait = self.accept * (float(mass @ (offered * x)) + beyond * float(x[-1]))
            out["callback_wait"] = wait / taken if taken > 0 else None
            out["occupancy"] = min(1.0, figures["occupancy"] + rate * taken * self.ring_back / agents)
        declined = 1.0 - self.accept * self._offered(x)
        if self.every is not None:
            e = self.every
            left = np.where(x > e, np.maximum(float(self.patience.survival(np.array(e))) - self._declined_stay(x), 0.0), 0.0)
            out["p_left_at_announcement"] = float(mass @ (declined * left))
        if self.overflow_after is not None:
            t = self.overflow_after
            there = self.patience.survival(np.array(t))  # still in line at t: not left before it
            if self.every is not None and self.every <= t:
                there = self._declined_stay(x)  # the early leavers went at the first announcement
            h = float(x[1] - x[0]) if len(x) > 1 else 1.0
            past = np.clip((x - t) / h + 0.5, 0.0, 1.0)  # the share of each grid cell past t
            waiting = past * declined * there
            out["p_overflow"] = float(mass @ waiting) + beyond * (1.0 - self.accept) * float(np.atleast_1d(there)[-1])
        return out


def has_features(pool: Queue) -> bool:
    """Does the pool have anything the plain queue formulas leave out?"""
    return pool.callback is not None or acts_on_announcements(pool) or pool.overflow is not None


def acts_on_announcements(pool: Queue) -> bool:
    """An announcement of the wait or the place: callers act on it (a "please hold" changes nothing)."""
    return pool.announce is not None and (pool.announce.wait_time or pool.announce.position)


def line_of(pool: Queue, patience: Law) -> Law | Line:
    """What the offered-wait method takes as the callers' patience in this pool."""
    if not has_features(pool):
        return patience
    callback, announce = pool.callback, pool.announce
    ring = law_of(callback.ring_back, "fixed").mean if callback is not None else 0.0
    return Line(patience, callback.offer_after if callback else None, callback.accept if callback else 0.0,
                announce.every if announce is not None and acts_on_announcements(pool) else None,
                pool.overflow.after if pool.overflow is not None else None, ring)


def reasons(pool: Queue, fed_by: list[str]) -> list[str]:
    """Why a pool's figures are approximate because of its features (module docstring)."""
    out = []
    if pool.callback is not None:
        out.append("callbacks approximated: offered on joining exactly when the caller's wait would reach "
                   "offer_after; ring-back time left out of the waits")
    if acts_on_announcements(pool):
        out.append("announcements approximated: callers taken to hear their true remaining wait, so those who "
                   "would give up leave at the first announcement")
    if pool.overflow is not None:
        out.append(f"overflow approximated: figures as if nobody left this line for pool '{pool.overflow.to}' (pessimistic)")
    if fed_by:
        names = ", ".join(f"'{name}'" for name in fed_by)
        out.append(f"takes callers still waiting in {names} as extra calls, as if only this pool answered them (pessimistic)")
    return out


def unstable(line: Law | Line, rate: float, talk: Law, agents: int) -> bool:
    """Callers who took a callback never leave: past agents' worth of them, the line grows without end."""
    return isinstance(line, Line) and line.patient > 0 and rate * line.patient * talk.mean >= agents


def unstable_figures(line: Line, rate: float, talk: Law, agents: int) -> dict:
    """A line that grows without end: everyone waits for ever; who does not take a callback gives up."""
    a = rate * talk.mean
    out = {"p_wait": 1.0, "p_abandon": 1.0 - line.patient, "mean_wait": math.inf, "service_level": 0.0,
           "occupancy": 1.0, "offered_load": a, "stable": False}
    if line.offer is not None:
        out.update(p_callback_offered=1.0, p_callback=line.patient, abandonment_avoided=line.patient, callback_wait=math.inf)
    if line.every is not None:
        out["p_left_at_announcement"] = 1.0 - line.patient
    if line.overflow_after is not None:
        out["p_overflow"] = 0.0
    return out
