"""The menu as an absorbing Markov chain (Grinstead & Snell, chapter 11.2).

With Q the transient-to-transient transition matrix and R transient to
absorbing, the fundamental matrix N = (I - Q)^-1 holds expected visits;
N·1 the expected steps, N·tau the expected seconds (tau: mean seconds per
visit), N·R the absorption probabilities. Only the row of the start state
is needed, so we solve one linear system y (I - Q) = e_start instead of
inverting: dense LAPACK for chains of up to DENSE_LIMIT states, otherwise
the same y as the sum of probability mass flowing through the chain,
sparse and linear in the number of moves.

``absorbing_chain`` takes Q, R and tau directly (the example of
docs/sources.md#menu-effort-absorbing-markov-chain);
``chain_expectations`` reads a caller chain compiled by the caller model
(sim/caller.py), the same chain the simulation draws from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from heapq import heappop, heappush
from itertools import count

import numpy as np

#: Largest chain solved with a dense LAPACK solve (memory n^2 floats).
DENSE_LIMIT = 2500
#: Mass left in the chain below which the sparse iteration stops.
TOLERANCE = 1e-13
MAX_ITERATIONS = 200_000


def absorbing_chain(Q, R, tau, start: int = 0) -> dict:
    """Expected visits per state, steps, seconds and absorption probabilities
    from `start`, for transition matrices Q (transient to transient) and R
    (transient to absorbing) and mean seconds per visit `tau`.

    >>> out = absorbing_chain([[0.5]], [[0.5]], [10.0])
    >>> round(out["steps"], 6), round(out["seconds"], 6), out["outcomes"].round(6).tolist()
    (2.0, 20.0, [1.0])
    """
    Q, R, tau = np.asarray(Q, float), np.asarray(R, float), np.asarray(tau, float)
    n = Q.shape[0]
    rows, cols = np.nonzero(Q)
    visits = solve_visits(n, rows, cols, Q[rows, cols], start)
    return {"visits": visits, "steps": float(visits.sum()), "seconds": float(visits @ tau),
            "outcomes": visits @ R}


def solve_visits(n: int, rows, cols, probs, start: int) -> np.ndarray:
    """Expected visits to each state from `start`: y with y (I - Q) = e_start,
    Q given as (row, column, probability) triplets."""
    rows, cols, probs = np.asarray(rows, int), np.asarray(cols, int), np.asarray(probs, float)
    e = np.zeros(n)
    e[start] = 1.0
    if n <= DENSE_LIMIT:
        q = np.zeros((n, n))
        np.add.at(q, (rows, cols), probs)
        return np.linalg.solve((np.eye(n) - q).T, e)
    mass: np.ndarray = e  # np.bincount with weights counts in floats; its stub says integers
    visits = e.copy()
    for _ in range(MAX_ITERATIONS):
        mass = np.bincount(cols, weights=mass[rows] * probs, minlength=n)
        visits += mass
        if mass.sum() < TOLERANCE:
            return visits
    raise ArithmeticError("the chain does not settle: callers keep circling")


@dataclass
class ChainResult:
    """Expectations of one caller chain (one intent in one language)."""

    seconds: float | None
    keypresses: float | None
    menus_heard: float | None
    retries: float | None
    ends: dict = field(default_factory=dict)  # End -> probability
    node_visits: dict = field(default_factory=dict)  # node id -> expected visits
    trapped: bool = False  # some caller state can never end: no finite expectations


def chain_expectations(chain) -> ChainResult:
    """Expected seconds in the menu, keypresses, menus, retries and the
    probability of each way the menu part of a call ends."""
    n = len(chain.states)
    rows, cols, probs = [], [], []
    rewards = np.zeros((n, 4))
    exits = []
    for i, moves in enumerate(chain.moves):
        for m in moves:
            rewards[i] += (m.prob * m.mean, m.prob * m.keys, m.prob * m.menus, m.prob * m.retries)
            if m.end is not None:
                exits.append((i, m.end, m.prob))
            else:
                rows.append(i)
                cols.append(m.next)
                probs.append(m.prob)
    if _trapped(n, rows, cols, {i for i, _, _ in exits}):
        return ChainResult(None, None, None, None, trapped=True)
    visits = solve_visits(n, rows, cols, probs, chain.start)
    ends: dict = defaultdict(float)
    for i, end, p in exits:
        ends[end] += visits[i] * p
    node_visits: dict = defaultdict(float)
    for state, v in zip(chain.states, visits, strict=True):
        if state[3] == 0:  # a new visit, not another attempt within one
            node_visits[state[0]] += float(v)
    seconds, keys, menus, retries = (float(x) for x in visits @ rewards)
    return ChainResult(seconds, keys, menus, retries, dict(ends), dict(node_visits))


def _trapped(n: int, rows: list, cols: list, ending: set) -> bool:
    """Is there a state from which no sequence of moves ends the call?"""
    back = defaultdict(list)
    for r, c in zip(rows, cols, strict=True):
        back[c].append(r)
    seen, todo = set(ending), list(ending)
    while todo:
        for r in back[todo.pop()]:
            if r not in seen:
                seen.add(r)
                todo.append(r)
    return len(seen) < n


def visit_exits(chain, i: int) -> list[tuple]:
    """How a visit that starts in state `i` ends: (probability, mean seconds
    of the whole visit, key, next state or None, End or None) for each way
    out, with the retries inside the visit summed up exactly (failures only
    grow within a visit, so its attempts form a small acyclic chain)."""
    mass, time = {i: 1.0}, {i: 0.0}  # per attempt state: probability, probability x seconds
    exits: dict = {}
    order = [i]
    for state in order:
        p, pt = mass[state], time[state]
        for m in chain.moves[state]:
            q, qt = p * m.prob, (pt + p * m.mean) * m.prob
            if not m.leaves:
                if m.next not in mass:
                    mass[m.next], time[m.next] = 0.0, 0.0
                    order.append(m.next)
                mass[m.next] += q
                time[m.next] += qt
                continue
            key = (m.key, m.next, m.end)
            old_q, old_t = exits.get(key, (0.0, 0.0))
            exits[key] = (old_q + q, old_t + qt)
    return [(q, qt / q if q else 0.0, *key) for key, (q, qt) in exits.items()]


def likely_paths(chain, min_share: float = 1e-4, budget: int = 100_000, longest: int = 60) -> dict:
    """The ways through the menu that at least `min_share` of callers take.

    Returns {(path, End): (probability, expected seconds)}, with paths
    written as the simulation's records write them (``main>1>billing``).
    Visits are followed most probable first while the path's probability
    stays above `min_share`, for at most `budget` visits and paths of at
    most `longest` visits; what is left out is whole rare (or endless) paths,
    so the figures of the paths given are exact.
    """
    found: dict = {}
    exits_of: dict = {}
    order = count()  # ties broken by insertion, so the result never depends on comparing states
    # (-probability, tie-break, state, seconds so far, the visits' path steps)
    queue: list[tuple[float, int, int, float, tuple[str, ...]]] = [(-1.0, next(order), chain.start, 0.0, ())]
    while queue and budget > 0:
        negative, _, i, t, steps = heappop(queue)
        p = -negative
        if i not in exits_of:
            exits_of[i] = visit_exits(chain, i)
        node = chain.states[i][0]
        for prob, seconds, key, following, end in exits_of[i]:
            budget -= 1
            q = p * prob
            if q < min_share:
                continue
            done = steps + (node if key is None else f"{node}>{key}",)
            if end is None:
                if len(done) < longest:
                    heappush(queue, (-q, next(order), following, t + seconds, done))
                continue
            path = (">".join(done), end)
            share, total = found.get(path, (0.0, 0.0))
            found[path] = (share + q, total + q * (t + seconds))
    return {path: (share, total / share) for path, (share, total) in found.items()}
