"""The menu as an absorbing Markov chain (Grinstead & Snell, chapter 11.2).

With Q the transient-to-transient transition matrix and R transient to
absorbing, the fundamental matrix N = (I - Q)^-1 holds expected visits;
N·1 the expected steps, N·tau the expected seconds (tau: mean seconds per
visit), N·R the absorption probabilities. Only the row of the start state
is needed, so we solve one linear system y (I - Q) = e_start instead of
inverting, with one sparse LU factorisation of (I - Q)^T (SuperLU, through
scipy.sparse): time and memory follow the moves and the factors' fill, not
n^2, and the answer is exact (to rounding) however long callers circle;
a 50,000-state chain whose states keep callers with chance 0.99 solves in
a few hundredths of a second (benchmarks/chain_speed.py). A chain with
states from which the call can never end has a singular I - Q: callers
find those states first (``trapped_states``).

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
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order
from scipy.sparse.linalg import splu


def absorbing_chain(Q, R, tau, start: int = 0) -> dict:
    """Expected visits per state, steps, seconds and absorption probabilities
    from `start`, for transition matrices Q (transient to transient) and R
    (transient to absorbing) and mean seconds per visit `tau`. Q and R may
    be dense (lists, arrays) or scipy.sparse matrices, for chains too large
    to write densely. Raises ArithmeticError, naming a state, when some
    state can never reach an absorbing one (I - Q is then singular).

    >>> out = absorbing_chain([[0.5]], [[0.5]], [10.0])
    >>> round(out["steps"], 6), round(out["seconds"], 6), out["outcomes"].round(6).tolist()
    (2.0, 20.0, [1.0])
    """
    q = sp.coo_array(Q, dtype=float)
    q.eliminate_zeros()  # a stored zero is no move: it must not hide a trapped state
    r = sp.csr_array(R, dtype=float)
    n = q.shape[0]
    trapped = trapped_states(n, q.row, q.col, np.flatnonzero(r.sum(axis=1) > 0))
    if trapped.size:
        raise ArithmeticError(f"the chain does not settle: {trapped.size} of its {n} states never reach an absorbing state "
                              f"(the first is state {trapped[0]}), so I - Q is singular")
    visits = solve_visits(n, q.row, q.col, q.data, start)
    return {"visits": visits, "steps": float(visits.sum()), "seconds": float(visits @ np.asarray(tau, float)),
            "outcomes": r.T @ visits}


def solve_visits(n: int, rows, cols, probs, start: int) -> np.ndarray:
    """Expected visits to each state from `start`: y with y (I - Q) = e_start,
    Q given as (row, column, probability) triplets (repeated pairs add up).

    One sparse LU factorisation (SuperLU, columns ordered by COLAMD to keep
    the fill small) of (I - Q)^T. A singular system (states that never end:
    check ``trapped_states`` first) raises ArithmeticError."""
    diagonal = np.arange(n)
    # (I - Q)^T from its triplets: 1 on the diagonal, -p at (column, row); repeated pairs are summed
    system = sp.csc_array((np.concatenate([np.ones(n), -np.asarray(probs, float)]),
                           (np.concatenate([diagonal, np.asarray(cols, np.intp)]),
                            np.concatenate([diagonal, np.asarray(rows, np.intp)]))), shape=(n, n))
    e = np.zeros(n)
    e[start] = 1.0
    try:
        visits = splu(system).solve(e)
    except RuntimeError as exc:  # SuperLU's "Factor is exactly singular"
        raise ArithmeticError("the chain does not settle: I - Q is singular, some callers can never end the call") from exc
    if not np.isfinite(visits).all():
        raise ArithmeticError("the chain does not settle: the expected visits overflow, some callers (almost) never end the call")
    return visits


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
    if trapped_states(n, rows, cols, [i for i, _, _ in exits]).size:
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


def trapped_states(n: int, rows, cols, ending) -> np.ndarray:
    """The states from which no sequence of moves ends the call (sorted):
    those that cannot reach a state in `ending` along the moves (rows[k] ->
    cols[k]). Any of them makes I - Q singular.

    A breadth-first search backwards from an extra state n that every
    ending state leads to (scipy.sparse.csgraph, linear in the moves).

    >>> trapped_states(4, [0, 1, 2, 3], [1, 0, 3, 2], [1]).tolist()
    [2, 3]
    """
    ending = np.asarray(ending, np.intp).reshape(-1)
    backwards = np.concatenate([np.asarray(cols, np.intp).reshape(-1), np.full(ending.size, n)])
    to = np.concatenate([np.asarray(rows, np.intp).reshape(-1), ending])
    graph = sp.csr_array((np.ones(to.size), (backwards, to)), shape=(n + 1, n + 1))
    ends = np.zeros(n + 1, bool)
    ends[breadth_first_order(graph, n, directed=True, return_predecessors=False)] = True
    return np.flatnonzero(~ends[:n])


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
