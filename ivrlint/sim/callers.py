"""Figures per caller, and of the features of a whole day a pool may have: redials, callbacks, announcements, overflow.

A caller is a person with a need: their first call and the redials that
follow it when the need was not met (MENU_FORMAT.md "Redials"; which
outcomes are met: ``columns.MET``). Per intent and overall:

* ``callers``: callers whose first call was counted (after the warm-up; their
  redials are counted with them, even after the horizon);
* ``first_contact_resolution``: the share of callers whose first call met their need;
* ``calls_per_caller``: calls over callers (exactly 1 without redials);
* ``callers_never_served``: the share of callers none of whose calls met their need.

Per pool (its calls are those that entered its line, as for its other
figures), each only for a pool that has the feature (``Features``):

* redials (``traffic.redial``): ``redial_calls``, the pool's calls that were
  redials, and ``redial_load``, the agent time of the redials the pool's
  agents took over the run's length (Erlangs: the extra load redials add);
* a callback offer: ``callbacks_offered``, ``callbacks_taken``, ``p_callback``
  (the share of the pool's calls that took one), ``callback_wait`` (mean
  wait of those who took one, until the agent started calling back) and
  ``abandonment_avoided`` (the share of the pool's calls that took a
  callback and would have given up before it came);
* announcements: ``p_left_at_announcement``, the share that hung up on hearing one;
* overflow: ``p_overflow``, the share still waiting when the overflow pool
  became theirs too; a pool others overflow to, ``overflow_answered``: the
  calls its agents took from another pool's line.

Overall, ``redial_calls`` (with redials) and ``p_callback`` (with any callback
offer; a share of all calls).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ivrlint.menu.model import Menu
from ivrlint.sim.columns import TAKEN, Columns, Groups, plain, ratio


@dataclass(frozen=True)
class Features:
    """Which pools offer callbacks, announce waits or overflow, and whether callers redial."""

    redial: bool = False
    callback: frozenset[str] = field(default_factory=frozenset)
    announce: frozenset[str] = field(default_factory=frozenset)
    overflow: frozenset[str] = field(default_factory=frozenset)
    overflow_to: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, menu: Menu) -> Features:
        queues = menu.queues.values()
        return cls(redial=menu.traffic is not None and menu.traffic.redial is not None,
                   callback=frozenset(q.name for q in queues if q.callback is not None),
                   announce=frozenset(q.name for q in queues if q.announce is not None),
                   overflow=frozenset(q.name for q in queues if q.overflow is not None),
                   overflow_to=frozenset(q.overflow.to for q in queues if q.overflow is not None))


def caller_figures(c: Columns, g: Groups) -> list[dict]:
    """Per group (of calls, by intent or all together): the per-caller figures."""
    first = c.first
    callers = g.count if first is None else g.sum(None, first)
    if first is None:  # every call its caller's only one
        fcr = ever = g.sum(None, c.met)
    else:
        fcr = g.sum(None, first & c.met)
        ever = g.sum(None, first & _ever_met(c))
    out: list[dict] = []
    for k in range(g.size):
        n = callers[k]
        if not g.count[k]:
            out.append({})
            continue
        out.append(plain({"callers": int(n), "first_contact_resolution": ratio(fcr[k], n),
                          "calls_per_caller": ratio(g.count[k], n), "callers_never_served": ratio(n - ever[k], n)}))
    return out


def _ever_met(c: Columns) -> np.ndarray:
    """Per call: did any call of its caller meet the need? (read at the callers' first calls)"""
    if c.caller is None:
        return c.met
    return np.isin(c.caller, c.caller[c.met])


def pool_figures(c: Columns, waited: Groups, took: Groups, pools: list[str], features: Features,
                 window: float, span: tuple[float, float] | None = None) -> list[dict]:
    """Per pool: the figures of the features it has. `waited` groups calls by the pool they
    waited for first, `took` by the pool whose agent answered; `span` (from, until: seconds of the
    replication, `window` long) is the counted window the redials' agent time is taken in, as occupancy's."""
    entered = waited.sum(None, c.queued)
    redials = _redials(c, waited, took, span) if features.redial else None
    callbacks = _callbacks(c, waited) if features.callback else None
    from_others = took.sum(None, waited.group != took.group) if features.overflow_to else None
    out = []
    for k, pool in enumerate(pools):
        figures: dict = {}
        if redials is not None:
            figures.update(redial_calls=int(redials[0][k]), redial_load=ratio(redials[1][k], window))
        if callbacks is not None and pool in features.callback:
            figures.update(_callback_figures(callbacks, k, entered[k]))
        if pool in features.announce:
            figures["p_left_at_announcement"] = _share(c.left_at_announcement, waited, k, entered[k])
        if pool in features.overflow:
            figures["p_overflow"] = _share(c.overflowed, waited, k, entered[k])
        if from_others is not None and pool in features.overflow_to:
            figures["overflow_answered"] = int(from_others[k])
        out.append(plain(figures))
    return out


def _redials(c: Columns, waited: Groups, took: Groups, span: tuple[float, float] | None) -> tuple[np.ndarray, np.ndarray]:
    """Per pool: redials that entered its line, and the agent seconds of the redials its agents took
    inside the counted window `span` (all of them when None)."""
    if c.first is None:
        return np.zeros(waited.size), np.zeros(waited.size)
    redial = ~c.first
    busy = c.busy if span is None else c.busy_within(*span)
    return waited.sum(None, c.queued & redial), took.sum(busy, redial & ~np.isnan(c.busy))


def _callbacks(c: Columns, waited: Groups) -> dict[str, np.ndarray]:
    if c.callback is None:
        zero = np.zeros(waited.size)
        return {"offered": zero, "taken": zero, "wait": zero, "avoided": zero}
    took = c.callback == TAKEN
    avoided = waited.sum(None, took & (c.avoided != 0)) if c.avoided is not None else np.zeros(waited.size)
    return {"offered": waited.sum(None, c.callback > 0), "taken": waited.sum(None, took),
            "wait": waited.sum(c.wait, took), "avoided": avoided}


def _callback_figures(taken: dict[str, np.ndarray], k: int, entered: float) -> dict:
    return {"callbacks_offered": int(taken["offered"][k]), "callbacks_taken": int(taken["taken"][k]),
            "p_callback": ratio(taken["taken"][k], entered), "callback_wait": ratio(taken["wait"][k], taken["taken"][k]),
            "abandonment_avoided": ratio(taken["avoided"][k], entered)}


def _share(flag: np.ndarray | None, waited: Groups, k: int, entered: float) -> float | None:
    if not entered:
        return None
    return 0.0 if flag is None else float(waited.sum(None, flag != 0)[k] / entered)


def overall_figures(c: Columns, features: Features) -> dict:
    """The overall figures of the whole day's features (none for a menu without them)."""
    figures: dict = {}
    if features.redial:
        figures["redial_calls"] = 0 if c.first is None else int(c.n - np.count_nonzero(c.first))
    if features.callback:
        taken = 0 if c.callback is None else int(np.count_nonzero(c.callback == TAKEN))
        figures["p_callback"] = ratio(taken, c.n)
    return figures

