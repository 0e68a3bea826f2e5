"""The caller model's vocabulary: a move a caller may make, where a call's menu part ends,
and the compiled chain of an intent's states. The caller model (caller.py) makes them;
the simulation draws from them and the analysis solves them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from ivrlint.sim.durations import Draw


class End(NamedTuple):
    """Where the menu part of a call ends: an outcome, a queue or a transfer."""

    kind: str  # "outcome", "queue" or "transfer"
    what: Any  # the outcome, the pool name, or whether the transfer is to a person
    reached: bool  # the caller entered one of their goal nodes on the way
    serves: bool = False  # a person is here who can serve the caller's intent (serving.py); else misrouted


@dataclass(slots=True)
class Move:
    """One thing a caller may do next, with its chance and its time.

    Time is ``base`` plus, when ``think`` > 0, a think time below that limit,
    plus, when ``draw`` is set, a random task duration; ``mean`` is its
    expectation. After compiling, ``next`` is the index of the next state.
    """

    prob: float
    event: str
    key: str | None = None
    next: Any = None
    end: End | None = None
    base: float = 0.0
    mean: float = 0.0
    think: float = 0.0
    draw: Draw | None = None
    keys: int = 0
    menus: int = 0
    retries: int = 0
    leaves: bool = True  # False: another attempt at the same node (same visit)


@dataclass
class Chain:
    """Every state a caller with one intent and language can reach, with its moves."""

    states: list
    moves: list  # moves[i]: the Moves of states[i], `next` as indexes
    cumulative: list  # cumulative[i]: running sums of the moves' chances
    start: int = 0


def outcome(what: str, reached: bool) -> End:
    return End("outcome", what, reached)
