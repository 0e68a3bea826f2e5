"""The menu compiled for the engine (``Story``, built once and shared by replications) and the arrivals.

engine.py plays a replication from these: the caller model's chains as
plain tuples, the traffic's draws, the arrival process.
"""

from __future__ import annotations

from itertools import accumulate
from random import Random

from ivrlint.errors import InputError
from ivrlint.menu.model import Menu
from ivrlint.sim import records as R
from ivrlint.sim.caller import CallerModel
from ivrlint.sim.durations import sampler
from ivrlint.sim.requirements import traffic_of
from ivrlint.sim.serving import serving_pools
from ivrlint.sim.table import Events

#: Why a call's last step ended when the menu did not say: too many moves, a pool that was shut.
HANGUP, CLOSED = "hangup", "closed"
#: How the menu part of a call ends (the first field of a compiled end).
AT_POOL, ENDED = 0, 1
_OUTCOME = {name: i for i, name in enumerate(R.OUTCOMES)}
_SERVED, _MISROUTED = _OUTCOME[R.SERVED], _OUTCOME[R.MISROUTED]


def arrival_times(rates: list[float], horizon: float, rng: Random, start_hour: float = 0.0):
    """Poisson arrival times in [0, horizon) seconds at `rates` calls per hour
    (one flat rate, or 24 hourly rates from `start_hour`)."""
    t = 0.0
    if len(rates) == 1:
        rate = rates[0] / 3600.0
        if rate <= 0:
            return
        while True:
            t += rng.expovariate(rate)
            if t >= horizon:
                return
            yield t
    while t < horizon:
        clock = start_hour + t / 3600.0
        edge = min(horizon, (int(clock) + 1 - start_hour) * 3600.0)
        rate = rates[int(clock) % 24] / 3600.0
        gap = rng.expovariate(rate) if rate > 0 else float("inf")
        if t + gap >= edge:
            t = edge
            continue
        t += gap
        yield t


class Story:
    """The caller model of one menu compiled for the engine (built once, shared by replications).

    Each intent and language has its chain of states; each state its moves
    as tuples ``(fixed, base, think, inside, draw, counts, keys, menus,
    retries, leaves, next, end, label, event)``: ``fixed`` when the time is
    ``base`` alone, ``inside`` the chance that a think time falls below
    ``think`` (caller.py), ``counts`` when the move adds keys, menus or
    retries, ``label`` the (node, key) step it adds to the call's path when
    it ``leaves`` the visit, and ``end`` the compiled end of the menu part:
    ``(AT_POOL, reached, pool, serves)`` or ``(ENDED, reached, outcome,
    reached_person)``.
    """

    def __init__(self, menu: Menu, model: CallerModel | None = None):
        check_overflows(menu)  # here, in the process that starts the run, before any replication
        model = model or CallerModel(menu)
        traffic = traffic_of(menu)
        self.menu, self.model = menu, model
        self.rates = traffic.calls_per_hour
        self.patience_mean, self.patience_draw = sampler(traffic.patience, "exponential")
        languages = traffic.languages or {menu.language: 1.0}
        self.intents, self.intent_cum = list(traffic.intents), _cumulative([i.share for i in traffic.intents.values()])
        self.languages, self.language_cum = list(languages), _cumulative(list(languages.values()))
        self.queues = list(menu.queues)
        self.labels: list[tuple[str, str | None]] = []
        self._label_index: dict[tuple[str, str | None], int] = {}
        self.events = Events((HANGUP, CLOSED))  # why a step ended: the moves' events, and these two
        self.chains = [[self._compile(model.chain(intent, language)) for language in self.languages]
                       for intent in self.intents]
        self.stuck = {node: self.label(node, None) for node in menu.nodes}  # the last step of a call ended at MAX_MOVES
        self.whole_day = whole_day(menu)
        self.redial = model.redialling if model.redialling.active else None
        # who can serve each intent at each pool, for callers a pool they did not choose answers (overflow)
        overflow = any(q.overflow is not None for q in menu.queues.values())
        self.serves = [[name in serving_pools(menu, need) for name in self.queues] for need in traffic.intents.values()] \
            if overflow else []

    def label(self, node: str, key: str | None) -> int:
        found = self._label_index.get((node, key))
        if found is None:
            found = self._label_index[node, key] = len(self.labels)
            self.labels.append((node, key))
        return found

    def _compile(self, chain) -> tuple:
        """(moves per state, cumulative chances per state, node per state, the start state)."""
        pools = {name: i for i, name in enumerate(self.queues)}
        behaviour = self.model.behaviour
        nodes = [state[0] for state in chain.states]
        compiled = []
        for node, moves in zip(nodes, chain.moves, strict=True):
            compiled.append([(not m.think and m.draw is None, m.base, m.think, behaviour.think_cdf(m.think) if m.think else 0.0,
                              m.draw, bool(m.keys or m.menus or m.retries), m.keys, m.menus, m.retries, m.leaves, m.next,
                              _compile_end(m.end, pools), self.label(node, m.key), self.events.code(m.event)) for m in moves])
        return compiled, chain.cumulative, nodes, chain.start


def check_overflows(menu: Menu) -> None:
    """InputError (at the overflow's `to:`) unless every pool's overflow names another pool of the menu.

    The simulation (its Story) and the analysis both ask this before they start,
    so the error reaches the user as itself, not from a worker process.
    """
    names = set(menu.queues)
    for name, queue in menu.queues.items():
        overflow = queue.overflow
        if overflow is not None and (overflow.to not in names or overflow.to == name):
            where = overflow.locs.get("to", overflow.loc) or queue.loc
            others = ", ".join(sorted(names - {name})) or "(none: add a queue)"
            raise InputError.at(where, f"queue '{name}' overflows to '{overflow.to}', which is not another queue; "
                                f"name one of {others}", menu.file)


def whole_day(menu: Menu) -> bool:
    """Does the menu use a whole-day feature: staff by the hour, redials, callbacks, announcements, overflow?"""
    redial = menu.traffic.redial if menu.traffic is not None else None
    return (redial is not None and redial.share > 0 and redial.max_attempts > 1) or any(
        q.agents_by_hour is not None or q.callback is not None or q.overflow is not None
        or (q.announce is not None and (q.announce.wait_time or q.announce.position)) for q in menu.queues.values())


def _compile_end(end, pools: dict[str, int]) -> tuple | None:
    if end is None:
        return None
    if end.kind == "queue":
        return (AT_POOL, end.reached, pools[end.what], end.serves)
    if end.kind == "transfer":
        if end.what:
            return (ENDED, end.reached, _SERVED if end.serves else _MISROUTED, True)
        return (ENDED, end.reached, _OUTCOME[R.CONTAINED if end.reached else R.DISCONNECTED], False)
    return (ENDED, end.reached, _OUTCOME[end.what], False)


def _cumulative(weights: list[float]) -> list[float]:
    """Running sums of `weights`, normalised so that the last is exactly 1."""
    total = sum(weights)
    if total <= 0:
        weights, total = [1.0] * len(weights), float(len(weights))
    running = [w / total for w in accumulate(weights)]
    running[-1] = 1.0
    return running
