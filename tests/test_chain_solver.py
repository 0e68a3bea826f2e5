"""The absorbing-chain solver (analysis/menu_chain.py): one sparse LU solve of
y (I - Q) = e_start, checked against a dense LAPACK solve, against closed
forms on chains whose states keep callers with chance 0.99 (the 50,000-state
case the old mass-passing iteration gave up on), and on chains that never end."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import GOOD_MENUS

from ivrlint.analysis import absorbing_chain
from ivrlint.analysis.menu_chain import chain_expectations, solve_visits, trapped_states
from ivrlint.importers import load_any
from ivrlint.sim.caller import CallerModel
from ivrlint.sim.requirements import traffic_of


def dense_visits(n: int, rows, cols, probs, start: int) -> np.ndarray:
    q = np.zeros((n, n))
    np.add.at(q, (rows, cols), probs)
    return np.linalg.solve((np.eye(n) - q).T, np.eye(n)[start])


def line(n: int, stay: float, on: float) -> tuple:
    """State k keeps the caller with `stay` and passes them to k + 1 with `on`; the rest ends the call."""
    k = np.arange(n)
    return (np.concatenate([k, k[:-1]]), np.concatenate([k, k[:-1] + 1]),
            np.concatenate([np.full(n, stay), np.full(n - 1, on)]))


@pytest.mark.parametrize("seed", range(6))
def test_the_sparse_solve_gives_the_dense_answer_on_random_chains(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 300))
    moves = int(rng.integers(n, 6 * n))
    rows, cols = rng.integers(0, n, moves), rng.integers(0, n, moves)  # self-loops and repeated pairs included
    weights = rng.random(moves)
    leak = rng.uniform(0.001, 0.3, n)  # each state's chance to end the call
    totals = np.bincount(rows, weights=weights, minlength=n)
    probs = weights * (1 - leak[rows]) / totals[rows]
    start = int(rng.integers(0, n))
    sparse = solve_visits(n, rows, cols, probs, start)
    assert sparse == pytest.approx(dense_visits(n, rows, cols, probs, start), rel=1e-9, abs=1e-12)
    assert sparse[start] >= 1


def test_repeated_moves_between_the_same_states_add_up():
    # two moves from 0 to 1 of 0.25 each are one of 0.5
    assert solve_visits(2, [0, 0], [1, 1], [0.25, 0.25], 0).tolist() == pytest.approx([1.0, 0.5])
    assert solve_visits(2, [0], [1], [0.25], 0).tolist() == pytest.approx([1.0, 0.25])


def test_a_line_of_states_that_keep_callers_with_099_has_the_closed_form_visits():
    # v0 = 1/(1 - 0.99) = 100; each next state receives 0.005 of the visits before it and keeps them 100 times
    n = 12
    visits = solve_visits(n, *line(n, 0.99, 0.005), 0)
    assert visits == pytest.approx([100 * 0.5 ** k for k in range(n)], rel=1e-9)


def test_a_50000_state_chain_with_self_loops_of_099_gets_the_exact_answer():
    # the chain the old iteration gave up on (ArithmeticError after 200,000 rounds): 100 visits per state, 5 million steps
    n = 50_000
    rows, cols, probs = line(n, 0.99, 1 - 0.99)
    visits = solve_visits(n, rows, cols, probs, 0)
    assert visits.min() == pytest.approx(100, rel=1e-9) and visits.max() == pytest.approx(100, rel=1e-9)
    assert visits.sum() == pytest.approx(5_000_000, rel=1e-9)


def test_absorbing_chain_takes_the_same_chain_as_sparse_matrices():
    n = 50_000
    rows, cols, probs = line(n, 0.99, 1 - 0.99)
    q = sp.csr_array((probs, (rows, cols)), shape=(n, n))
    r = sp.csr_array(([0.01], ([n - 1], [0])), shape=(n, 1))  # the last state ends the call
    out = absorbing_chain(q, r, np.full(n, 2.0))
    assert out["steps"] == pytest.approx(5_000_000, rel=1e-9)
    assert out["seconds"] == pytest.approx(10_000_000, rel=1e-9)
    assert out["outcomes"].tolist() == pytest.approx([1.0], rel=1e-9)


@pytest.mark.slow
def test_a_500000_state_chain_with_self_loops_of_099_gets_the_exact_answer():
    n = 500_000
    visits = solve_visits(n, *line(n, 0.99, 1 - 0.99), 0)
    assert visits.min() == pytest.approx(100, rel=1e-9) and visits.max() == pytest.approx(100, rel=1e-9)


def test_absorbing_chain_gives_the_same_answer_from_dense_and_sparse_matrices():
    q = [[0.05, 0.45, 0.35], [0.10, 0.10, 0.0], [0.10, 0.0, 0.0]]
    r = [[0.0, 0.10, 0.05], [0.60, 0.20, 0.0], [0.30, 0.50, 0.10]]
    dense, sparse = absorbing_chain(q, r, [12, 8, 10]), absorbing_chain(sp.csr_array(q), sp.csr_array(r), [12, 8, 10])
    assert sparse["visits"].tolist() == pytest.approx(dense["visits"].tolist(), rel=1e-12)
    assert sparse["outcomes"].tolist() == pytest.approx([0.468, 0.434, 0.098], abs=5e-4)


def test_trapped_states_are_those_that_cannot_reach_an_ending_state():
    # 0 -> 1 ends; 2 <-> 3 circle forever; 4 leads into the circle
    rows, cols = [0, 2, 3, 4], [1, 3, 2, 2]
    assert trapped_states(5, rows, cols, [1]).tolist() == [2, 3, 4]
    assert trapped_states(5, rows, cols, [1, 3]).tolist() == []  # once 3 can end the call, nobody is trapped
    assert trapped_states(3, [], [], [0, 1, 2]).tolist() == []


def test_a_chain_that_never_ends_is_refused_with_the_state_named():
    with pytest.raises(ArithmeticError, match=r"1 of its 2 states never reach an absorbing state \(the first is state 1\)"):
        absorbing_chain([[0.5, 0.3], [0.0, 1.0]], [[0.2], [0.0]], [1.0, 1.0])  # 1 keeps its callers for ever
    with pytest.raises(ArithmeticError, match=r"2 of its 2 states never reach an absorbing state \(the first is state 0\)"):
        absorbing_chain([[0.5, 0.5], [0.0, 1.0]], [[0.0], [0.0]], [1.0, 1.0])  # 0 has no way out but into 1
    out = absorbing_chain([[0.5, 0.5], [0.0, 0.9]], [[0.0], [0.1]], [1.0, 1.0])  # the same with an exit from 1
    assert out["steps"] == pytest.approx(12.0)


def test_a_stored_zero_is_no_way_out():
    # state 1 keeps its callers for ever; a stored 0 from 1 to 0 (which can end the call) is no move
    q = sp.csr_array((np.array([0.5, 0.3, 1.0, 0.0]), ([0, 0, 1, 1], [0, 1, 1, 0])), shape=(2, 2))
    with pytest.raises(ArithmeticError, match=r"1 of its 2 states never reach an absorbing state \(the first is state 1\)"):
        absorbing_chain(q, sp.csr_array(np.array([[0.2], [0.0]])), [1.0, 1.0])


def test_an_exactly_singular_system_raises_arithmetic_error():
    # 0 and 1 send callers to each other for ever: I - Q = [[1, -1], [-1, 1]]
    with pytest.raises(ArithmeticError, match="I - Q is singular"):
        solve_visits(2, [0, 1], [1, 0], [1.0, 1.0], 0)


@pytest.mark.parametrize("path", GOOD_MENUS, ids=lambda p: p.name)
def test_every_bundled_menu_chain_solves_as_a_dense_solve_does(path):
    menu = load_any(str(path))
    model = CallerModel(menu)
    for intent in traffic_of(menu).intents:
        chain = model.chain(intent, menu.language)
        n = len(chain.states)
        moves = [(i, m) for i, ms in enumerate(chain.moves) for m in ms]
        inside = [(i, m.next, m.prob) for i, m in moves if m.end is None]
        visits = dense_visits(n, *(np.array(x) for x in zip(*inside, strict=True)), chain.start)
        result = chain_expectations(chain)
        assert result.seconds == pytest.approx(sum(visits[i] * m.prob * m.mean for i, m in moves), rel=1e-9)
        ends: dict = {}
        for i, m in moves:
            if m.end is not None:
                ends[m.end] = ends.get(m.end, 0.0) + visits[i] * m.prob
        assert result.ends == pytest.approx(ends, rel=1e-9, abs=1e-15)
