"""Callers who call again: the redial fixed point.

A caller whose call did not meet their need (the caller model says which
outcomes those are: ``sim/caller.py``) calls again with chance ``share``,
after a delay drawn from ``after``, up to ``max_attempts`` calls in all
(MENU_FORMAT.md "Redials"). A redial is a call like any other, through the
same caller chain (same intent, same language), so it reaches the pools as
first calls do and adds to their load; more load means more abandonment,
more unmet calls and more redials. The analysis solves that loop as a fixed
point: the calls per hour each pool receives, first calls plus redials, are
iterated (with Anderson acceleration, Walker & Ni 2011) until they no
longer change.

For one class of callers (an intent in a language) whose calls each go
unmet with chance u, attempt k + 1 follows attempt k with chance share x u,
so (per caller)

    calls_per_caller = sum_{k=0}^{m-1} (share u)^k,
    first_contact_resolution = 1 - u,
    callers_never_served = u (1 - share) sum_{k=0}^{m-2} (share u)^k + u (share u)^(m-1).

Through a day whose calls or pools vary, u depends on the hour, and a
redial made in hour h lands in the hour its delay takes it to (the day taken
as repeating): attempt k + 1's calls per hour are attempt k's unmet calls,
times share, moved by the delay's law. The sums above are then taken hour
by hour.

Exact where nothing of it depends on the load: when no pool a redialling
caller reaches can lose callers to their patience (nobody gives up, or
nobody staffs it, so its abandonment is the same at any load) and u is the
same all day, the per-caller figures are those of the caller chains, exact.
Otherwise they are approximate, and say why: the redials are taken as
Poisson arrivals at the fixed point (they are not: they follow the
abandonment that sent them), and where u varies over the day, each redial
is placed by its delay alone (not by the length of the call before it).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from ivrlint.analysis.hourly import Hour, PoolModel, solve_pools
from ivrlint.analysis.laws import Law, law_of
from ivrlint.analysis.menu_chain import ChainResult
from ivrlint.menu.model import Redial, Traffic
from ivrlint.sim import records as R
from ivrlint.sim.caller import Redialling
from ivrlint.sim.moves import End

#: Rounds of the fixed point before it is declared unsettled.
MAX_ROUNDS = 50
#: The fixed point is settled when no pool's calls per hour move by more than this share: a
#: ten-millionth, far inside the analysis's own error (docs/queue-approximation.md), in 5 rounds
#: where 1e-10 took 7 (each round solves every pool in every hour).
TOLERANCE = 1e-7
#: Past calls the Anderson step combines.
MEMORY = 5


def active(traffic: Traffic) -> Redial | None:
    """The traffic's redials, when any caller can call again."""
    redial = traffic.redial
    if redial is None or not redial.share > 0 or redial.max_attempts <= 1:
        return None
    return redial


@dataclass
class CallerClass:
    """The callers of one intent in one language: their share of first calls and their chain."""

    intent: str
    language: str
    weight: float  # share of all first callers
    chain: ChainResult
    reach: dict[str, float] = field(default_factory=dict)  # pool -> chance a call reaches it

    def __post_init__(self) -> None:
        for end, p in self.chain.ends.items():
            if end.kind == "queue":
                self.reach[end.what] = self.reach.get(end.what, 0.0) + p


def outcomes(ends: dict[End, float], hour: dict[str, Hour], h: int) -> dict[str, float]:
    """The chance of each outcome of one call of a class in hour `h`, its ends split by the
    pools' figures then (a pool shut that hour disconnects; served or misrouted as
    End.serves says, sim/serving.py), as traffic.intent_figures splits them over the day."""
    p: defaultdict[str, float] = defaultdict(float)
    for end, prob in ends.items():
        if end.kind == "queue":
            at = hour[end.what]
            figures = at.figures
            inside = prob * at.open if figures is not None else 0.0
            p[R.DISCONNECTED] += prob - inside
            if figures is not None:
                p[R.ABANDONED] += inside * figures["p_abandon"]
                p[R.SERVED if end.serves else R.MISROUTED] += inside * (1.0 - figures["p_abandon"])
        elif end.kind == "transfer":
            if end.what:
                p[R.SERVED if end.serves else R.MISROUTED] += prob
            else:
                p[R.CONTAINED if end.reached else R.DISCONNECTED] += prob
        else:
            p[end.what] += prob
    return p


def delay_shift(after: Law, hours: int) -> np.ndarray:
    """M[h, j]: the chance that a redial of a call made in hour h (at a time uniform over the hour)
    comes in hour h + j (modulo the day): the delay's law spread over whole hours."""
    if hours == 1:
        return np.ones((1, 1))
    offsets = np.arange(hours * 4 + 1)  # far enough: a delay past 4 days is folded in below
    u = (np.arange(64) + 0.5) / 64  # where in the hour the call was
    # P(j <= u + D/3600 < j + 1) = S(3600 (j - u)) - S(3600 (j + 1 - u)), S the delay's survival
    edges = 3600.0 * (offsets[:, None] - u[None, :])
    survival = np.where(edges <= 0, 1.0, after.survival(np.maximum(edges, 0.0)))
    chance = (survival[:-1] - survival[1:]).mean(axis=1)
    chance[-1] += max(0.0, 1.0 - chance.sum())  # the rest of a long tail
    spread = np.zeros(hours)
    np.add.at(spread, offsets[:-1] % hours, chance)
    return np.array([np.roll(spread, h) for h in range(hours)])


@dataclass
class Solution:
    """The fixed point: per class its calls per hour by attempt, per class and hour the
    chance a call goes unmet, per pool its calls per hour (first calls and redials) and hours."""

    attempts: dict[tuple[str, str], list[np.ndarray]]
    unmet: dict[tuple[str, str], np.ndarray]
    again: dict[tuple[str, str], list[np.ndarray]]  # per attempt k (from 0): the chance, per hour, of another call
    first: dict[str, np.ndarray]  # per pool: first calls per hour
    rates: dict[str, np.ndarray]  # per pool: all calls per hour
    hours: dict[str, list[Hour]]
    rounds: int
    settled: bool


class FixedPoint:
    """The redial loop of a menu (see the module docstring)."""

    def __init__(self, classes: list[CallerClass], pools: dict[str, PoolModel], rates: list[float], redial: Redial,
                 caller: Redialling):
        self.classes, self.pools, self.redial, self.caller = classes, pools, redial, caller
        self.hours = len(rates)
        self.base = np.asarray(rates, dtype=float)
        self.shift = delay_shift(law_of(redial.after, "exponential"), self.hours)
        self.names = list(pools)

    def _first(self) -> dict[str, np.ndarray]:
        out = {name: np.zeros(self.hours) for name in self.names}
        for c in self.classes:
            for pool, p in c.reach.items():
                out[pool] += self.base * c.weight * p
        return out

    def _hours(self, rates: dict[str, np.ndarray]) -> dict[str, list[Hour]]:
        return solve_pools(self.pools, {name: [float(r) for r in rates[name]] for name in self.names},
                           dict.fromkeys(self.names, 1.0))

    def _outcomes(self, hours: dict[str, list[Hour]]) -> dict[tuple[str, str], list[dict[str, float]]]:
        """Per class, per hour: the chance of each outcome of a call."""
        return {(c.intent, c.language): [outcomes(c.chain.ends, {name: hours[name][h] for name in c.reach}, h)
                                          for h in range(self.hours)] for c in self.classes}

    def _unmet(self, chances: dict[tuple[str, str], list[dict[str, float]]]) -> dict[tuple[str, str], np.ndarray]:
        """Per class, per hour: the chance a call leaves the caller's need unmet (the caller model's UNMET)."""
        unmet = self.caller.unmet
        return {key: np.clip([sum(p for what, p in at.items() if unmet(what)) for at in per_hour], 0.0, 1.0)
                for key, per_hour in chances.items()}

    def _again(self, chances: dict[tuple[str, str], list[dict[str, float]]]) -> dict[tuple[str, str], list[np.ndarray]]:
        """Per class and attempt: the chance per hour that the caller calls again (the caller model's chance)."""
        chance = self.caller.chance
        return {key: [np.array([sum(p * chance(what, k + 1) for what, p in at.items()) for at in per_hour])
                      for k in range(self.redial.max_attempts)] for key, per_hour in chances.items()}

    def _attempts(self, again: dict[tuple[str, str], list[np.ndarray]]) -> dict[tuple[str, str], list[np.ndarray]]:
        out = {}
        for c in self.classes:
            key = (c.intent, c.language)
            current = self.base * c.weight
            calls = [current]
            for k in range(self.redial.max_attempts - 1):
                current = (current * again[key][k]) @ self.shift
                calls.append(current)
            out[key] = calls
        return out

    def _rates(self, attempts: dict[tuple[str, str], list[np.ndarray]]) -> dict[str, np.ndarray]:
        out = {name: np.zeros(self.hours) for name in self.names}
        for c in self.classes:
            total = sum(attempts[(c.intent, c.language)])
            for pool, p in c.reach.items():
                out[pool] += total * p
        return out

    def _step(self, x: np.ndarray) -> np.ndarray:
        rates = self._unpack(x)
        hours = self._hours(rates)
        self._last = (x, hours)
        return self._pack(self._rates(self._attempts(self._again(self._outcomes(hours)))))

    def _pack(self, rates: dict[str, np.ndarray]) -> np.ndarray:
        return np.concatenate([rates[name] for name in self.names]) if self.names else np.zeros(0)

    def _unpack(self, x: np.ndarray) -> dict[str, np.ndarray]:
        return {name: x[k * self.hours:(k + 1) * self.hours] for k, name in enumerate(self.names)}

    def solve(self) -> Solution:
        first = self._first()
        x, rounds, settled = anderson(self._step, self._pack(first))
        rates = self._unpack(x)
        hours = self._last[1]  # the hours at x, solved by the last step
        chances = self._outcomes(hours)
        again = self._again(chances)
        return Solution(self._attempts(again), self._unmet(chances), again, first, rates, hours, rounds, settled)


def anderson(step, x: np.ndarray) -> tuple[np.ndarray, int, bool]:
    """The fixed point x = step(x) from `x`, by Anderson acceleration with MEMORY past steps
    (falling back to the plain step when a combined one does worse); (x, rounds, settled)."""
    xs: list[np.ndarray] = []
    fs: list[np.ndarray] = []
    best = math.inf
    for rounds in range(1, MAX_ROUNDS + 1):
        g = step(x)
        f = g - x
        size = float(np.abs(f).max()) if len(f) else 0.0
        scale = max(1.0, float(np.abs(g).max())) if len(g) else 1.0
        if size <= TOLERANCE * scale:
            return x, rounds, True  # x, whose step moves it by less than the tolerance
        if size > best:  # the combined step did worse: forget the past, take the plain step
            xs, fs = [], []
        best = min(best, size)
        xs.append(x)
        fs.append(f)
        xs, fs = xs[-MEMORY - 1:], fs[-MEMORY - 1:]
        if len(fs) > 1:
            df = np.array([fs[k + 1] - fs[k] for k in range(len(fs) - 1)]).T
            dx = np.array([xs[k + 1] - xs[k] for k in range(len(xs) - 1)]).T
            gamma, *_ = np.linalg.lstsq(df, f, rcond=None)
            x = np.maximum(x + f - (dx + df) @ gamma, 0.0)
        else:
            x = g
    step(x)  # the hours at the x returned
    return x, MAX_ROUNDS, False


def per_caller(solution: Solution, keys: list[tuple[str, str]]) -> dict:
    """first_contact_resolution, calls_per_caller and callers_never_served of the callers of `keys`."""
    callers = calls = first_met = never = 0.0
    for key in keys:
        attempts, u = solution.attempts[key], solution.unmet[key]
        callers += float(attempts[0].sum())
        first_met += float((attempts[0] * (1.0 - u)).sum())
        for k, rate in enumerate(attempts):
            calls += float(rate.sum())
            never += float((rate * (u - solution.again[key][k])).sum())  # unmet, and no call after it
    if callers <= 0:
        return {"first_contact_resolution": None, "calls_per_caller": None, "callers_never_served": None}
    return {"first_contact_resolution": first_met / callers, "calls_per_caller": calls / callers,
            "callers_never_served": never / callers}


class Exactness:
    """Which figures of a redialling menu are exact, and why the others are not (module docstring)."""

    def __init__(self, solution: Solution, classes: list[CallerClass], pools: dict[str, PoolModel], redial: Redial):
        self.solution, self.redial = solution, redial
        # pools whose abandonment changes with their load: agents on duty and callers who give up
        moved = {name for name, model in pools.items() if getattr(model.waiting, "patience", model.waiting).kind != "never"
                 and any(h.figures is not None and h.agents > 0 for h in solution.hours[name])}
        self.by_load = {(c.intent, c.language) for c in classes if any(p > 0 and name in moved for name, p in c.reach.items())}
        self.by_hour = {key for key, u in solution.unmet.items() if float(np.ptp(u)) > 1e-12}
        self.settled = solution.settled
        self.returning = {name for c in classes for end, p in c.chain.ends.items()
                          if end.kind == "queue" and p > 0 and _may_fail(end, solution.hours[end.what])
                          for name in (end.what,)}
        self.classes = classes

    def approximate(self, keys) -> bool:
        keys = set(keys)
        return self.redial.share > 0 and (not self.settled or bool(keys & (self.by_load | self.by_hour)))

    def reasons(self, keys) -> list[str]:
        if self.redial.share <= 0:
            return []
        keys = set(keys)
        out = []
        if not self.settled:
            out.append(f"the redial fixed point did not settle in {MAX_ROUNDS} rounds")
        if keys & self.by_load:
            out.append("redials depend on the queues' abandonment and add to their load: solved as a fixed point, "
                       "redials taken as Poisson arrivals")
        if keys & self.by_hour:
            out.append("the chance a call goes unmet varies over the day: each redial is placed by its delay alone")
        return out

    def mark(self, queues: dict, intents: dict, overall: dict, chains: dict) -> None:
        from ivrlint.analysis.figures import mark_exact

        every = [(c.intent, c.language) for c in self.classes]
        for name, figures in queues.items():
            if figures.get("redial_calls_per_hour", 0.0) <= 0:
                continue
            feeding = [(c.intent, c.language) for c in self.classes if c.reach.get(name, 0.0) > 0]
            why = ["redials taken as Poisson arrivals at the fixed point"] if self.approximate(feeding) else []
            if name in self.returning:
                why.append("a caller may call this pool again after an unmet call here, so its calls are not Poisson")
            if why:
                figures["exact"] = False
                figures["approximation"] = "; ".join(filter(None, [figures.get("approximation", ""), *why]))
        mark_exact(chains, queues, intents, overall)
        for name, figures in intents.items():
            keys = [k for k in every if k[0] == name]
            figures["exact"] = figures["exact"] and not self.approximate(keys)
        overall["exact"] = all(figures["exact"] for figures in intents.values())

    def summary(self) -> dict:
        every = [(c.intent, c.language) for c in self.classes]
        out: dict[str, object] = {"share": self.redial.share, "after": self.redial.after.mean,
                                  "max_attempts": self.redial.max_attempts, "rounds": self.solution.rounds,
                                  "settled": self.settled, "exact": not self.approximate(every)}
        if not out["exact"]:
            out["approximation"] = "; ".join(self.reasons(every))
        return out

    def notes(self) -> list[str]:
        every = [(c.intent, c.language) for c in self.classes]
        if not self.approximate(every):
            return []
        return ["redials: the per-caller figures (first-contact resolution, calls per caller, callers never served) "
                f"are approximate ({'; '.join(self.reasons(every))})"]


def _may_fail(end: End, hours: list[Hour]) -> bool:
    """Can a call that reaches this pool end unmet there (misrouted, shut out or abandoned)?"""
    if not end.serves:
        return True
    return any(h.figures is None or h.open < 1.0 or h.figures["p_abandon"] > 0 for h in hours if h.rate > 0)
