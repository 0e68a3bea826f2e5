"""A pool through the day: its queue figures hour by hour, and over the day weighted by its calls.

A pool whose calls, agents or opening hours change over the day is solved
hour by hour, each hour as a steady (stationary) queue at that hour's rate
and agents: the stationary independent period approximation (SIPP). Its
arrival rate is lagged by the mean talk time, Lag-SIPP (Green, Kolesar &
Soares 2001, docs/sources.md#green-kolesar-and-soares-2001): the agents busy
at time t took their calls about one talk time earlier, so hour h is solved
at the rate of the hour that ends one mean talk time before h + 1 (the
average of the rates over [h - d, h + 1 - d], d the mean talk time, the day
taken as repeating). The hour's own calls weight its figures in the day's.
The pool's opening and closing are not lagged: a pool that opens at 9 is
solved at 9 as if it had been open (what its callers find, an empty line at
first, is the transient the approximation leaves out). Such figures are
approximate ("stationary per hour"): each hour is taken as steady, and the
queue one hour carries into the next is left out
(docs/queue-approximation.md, "Through the day").

A pool with one rate, the same agents all day and no closing is one
stationary queue: its figures are those of queueing.py or general_queue.py,
exact where they are.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from ivrlint.analysis import features, general_queue
from ivrlint.analysis.laws import Law, law_of
from ivrlint.menu.model import Menu
from ivrlint.sim.durations import sampler
from ivrlint.sim.metrics import SERVICE_SECONDS
from ivrlint.sim.requirements import traffic_of

HOURS = 24
#: The day figures averaged over the calls a pool takes.
PER_CALL = ("p_wait", "p_abandon", "mean_wait", "service_level")
#: What a pool's features do (features.py), averaged over its calls too.
LINE = ("p_callback_offered", "p_callback", "abandonment_avoided", "p_left_at_announcement", "p_overflow")
#: Rounds of passing overflow between pools before it is taken as settled.
OVERFLOW_ROUNDS = 50


def open_hours(rates: list[float], hours: tuple[float, float] | None, by_hour: bool = False) -> list[tuple[float, float]]:
    """(calls per hour, share of the hour the pool is open) for each hour the
    rates describe. A flat rate holds around the clock (MENU_FORMAT.md,
    "Traffic"): for a pool that keeps `hours` (or has staff by the hour,
    `by_hour`) it is 24 hours at that rate, open or shut; for a pool that
    never shuts, one stationary hour.

    >>> open_hours([10.0], None), open_hours([10.0], (8.0, 18.0))[7:9]
    ([(10.0, 1.0)], [(10.0, 0.0), (10.0, 1.0)])
    """
    if len(rates) == 1 and not by_hour and (hours is None or hours[1] - hours[0] >= 24.0):
        return [(rates[0], 1.0)]
    day = rates * HOURS if len(rates) == 1 else rates
    return [(rate, _open_fraction(hours, h)) for h, rate in enumerate(day)]


def _open_fraction(hours: tuple[float, float] | None, hour: int) -> float:
    """Share of the hour [hour, hour+1) that a pool open `hours` is open."""
    if hours is None:
        return 1.0
    return max(0.0, min(hour + 1.0, hours[1]) - max(float(hour), hours[0]))


def lagged(rates: list[float], lag: float, opens: list[float] | None = None) -> list[float]:
    """Each hour's rate lagged by `lag` hours (Lag-SIPP): the mean of the hourly step
    function over [h - lag, h + 1 - lag], the day taken as repeating. Where that window
    reaches back into an hour the pool is not open all through (`opens`: the share of each
    hour it is open), hour h's own rate stands in: calls that found it shut load nobody.

    >>> lagged([0.0] * 23 + [60.0], 0.25)[:2], lagged([6.0] * 24, 3.7)[5]
    ([15.0, 0.0], 6.0)
    >>> lagged([0.0] * 8 + [30.0] * 10 + [0.0] * 6, 0.1, [0.0] * 8 + [1.0] * 10 + [0.0] * 6)[8:10]
    [30.0, 30.0]
    """
    if lag <= 0 or len(set(rates)) <= 1:
        return list(rates)
    n = len(rates)
    out = []
    for h in range(n):
        start, total = h - lag, 0.0
        k = math.floor(start)
        while k < h + 1 - lag:
            a, b = max(start, float(k)), min(h + 1 - lag, k + 1.0)
            hour = k % n
            rate = rates[hour] if opens is None or opens[hour] >= 1.0 or hour == h else rates[h]
            total += (b - a) * rate
            k += 1
        out.append(total)
    return out


def stationary(hourly: list[tuple[float, float]], agents: list[int]) -> bool:
    """One rate all day, the same agents, and a pool that never shuts: the steady state holds."""
    return len({rate for rate, _ in hourly}) == 1 and all(open_ >= 1.0 for _, open_ in hourly) and len(set(agents)) <= 1


@dataclass
class Hour:
    """One hour of a pool: its calls per hour (reaching it, open or not), the share of
    the hour it is open, its agents, and its queue figures (None when it is shut)."""

    rate: float
    open: float
    agents: int
    figures: dict | None


class PoolModel:
    """One pool's queue model, solved hour by hour (see the module docstring).

    `solve(per_second, agents)` is one stationary queue (cached);
    `hours(rates, reach)` the pool's hours at the traffic's `rates` (one or
    24 values) times `reach`, the share of them that reaches the pool;
    ``day_figures`` the day's figures from those hours."""

    def __init__(self, menu: Menu, name: str, talk_cv: float, force_hours: bool = False):
        self.name = name
        self.pool = menu.queues[name]
        traffic = traffic_of(menu)
        self.talk = law_of(self.pool.handle_time, "lognormal", talk_cv)
        self.waiting = features.line_of(self.pool, law_of(traffic.patience, "exponential"))
        self.patience_mean, _ = sampler(traffic.patience, "exponential")
        self.by_hour = self.pool.hourly or force_hours
        self.fed_by: list[str] = []  # pools whose callers overflow to this one
        self._solved: dict[tuple[float, int], dict] = {}

    def solve(self, per_second: float, agents: int) -> dict:
        """The pool's queue figures at one stationary rate with `agents`, with "exact"."""
        key = (per_second, agents)
        if key not in self._solved:  # a flat rate gives the same hour up to 24 times
            self._solved[key] = queue_figures(per_second, self.talk, self.waiting, agents)
        return self._solved[key]

    def hours(self, rates: list[float], reach: float, extra: list[float] | None = None) -> list[Hour]:
        """The pool's hours at `rates` x `reach` calls per hour (and `extra` calls per hour
        overflowing from other pools, on top, one value or 24)."""
        by_hour = self.by_hour or (extra is not None and len(set(extra)) > 1)
        hourly = open_hours(rates, self.pool.hours, by_hour)
        agents = [self.pool.agents_at(h) for h in range(len(hourly))] if len(hourly) == HOURS else [self.pool.agents]
        solving = [rate for rate, _ in hourly]
        opens = [open_ for _, open_ in hourly]
        steady = stationary(hourly, agents)
        if not steady:
            solving = lagged(solving, self.talk.mean / 3600.0, opens)
        if extra is None:
            added = [0.0] * len(hourly)
        else:
            added = [extra[0]] * len(hourly) if len(extra) == 1 else list(extra)
            added = added if steady else lagged(added, self.talk.mean / 3600.0, opens)
        out = []
        for (rate, open_), at, more, n in zip(hourly, solving, added, agents, strict=True):
            per_second = (at * reach + more) / 3600.0 if extra is not None else at * reach / 3600.0
            out.append(Hour(rate, open_, n, self.solve(per_second, n) if open_ > 0 else None))
        return out

def solve_pools(models: dict[str, PoolModel], rates: dict[str, list[float]], reach: dict[str, float]) -> dict[str, list[Hour]]:
    """Every pool's hours at its `rates` x `reach`; a pool others overflow to also takes their
    callers still waiting (features.py), passed on until what overflows settles."""
    hours = {name: models[name].hours(rates[name], reach[name]) for name in models}
    sources: dict[str, list[str]] = {name: [] for name in models}
    for name, model in models.items():
        if model.pool.overflow is not None and model.pool.overflow.to in sources:
            sources[model.pool.overflow.to].append(name)
    for name, fed in sources.items():
        models[name].fed_by = fed
    if not any(sources.values()):
        return hours
    passed: dict[str, list[float]] = {}
    for _ in range(OVERFLOW_ROUNDS):
        now = {name: _overflowing(fed, hours, reach) for name, fed in sources.items() if fed}
        if now == passed:
            break
        passed = now
        for name, extra in now.items():
            hours[name] = models[name].hours(rates[name], reach[name], extra)
    return hours


def _overflowing(fed: list[str], hours: dict[str, list[Hour]], reach: dict[str, float]) -> list[float]:
    """Calls per hour still waiting in the pools `fed` when their overflow passes (one value or 24)."""
    length = max(len(hours[name]) for name in fed)
    out = [0.0] * length
    for name in fed:
        own = hours[name] * length if len(hours[name]) == 1 else hours[name]
        for h, hour in enumerate(own):
            if hour.figures is not None:
                out[h] += hour.rate * reach[name] * hour.open * hour.figures.get("p_overflow", 0.0)
    return [round(x, 9) for x in out]


def day_figures(model: PoolModel, hours: list[Hour], reach: float) -> dict:
    """A pool's figures over its open hours: per call weighted by the calls of each hour,
    occupancy by the agents on duty (see traffic.py's docstring)."""
    pool = model.pool
    weighted: defaultdict[str, float] = defaultdict(float)
    loads: list[tuple[float, float]] = []  # (open share of the hour, offered load)
    arrivals, duty, overloaded = 0.0, 0.0, False
    for hour in hours:
        figures, open_, rate = hour.figures, hour.open, hour.rate
        if figures is None:
            continue
        loads.append((open_, figures["offered_load"]))
        if model.by_hour:  # occupancy: busy agent time over agent time on duty
            weighted["occupancy"] += open_ * hour.agents * figures["occupancy"]
            duty += open_ * hour.agents
        else:
            weighted["occupancy"] += open_ * figures["occupancy"]
        for metric in PER_CALL:
            weighted[metric] += rate * open_ * figures[metric]
        arrivals += rate * open_
        overloaded = overloaded or (rate > 0 and figures["offered_load"] >= hour.agents)
    total_rate = sum(hour.rate for hour in hours)
    open_time = sum(f for f, _ in loads)
    duty = duty if model.by_hour else open_time
    out: dict[str, object] = {metric: (weighted[metric] / arrivals if arrivals > 0 else _idle(metric, pool.agents, model.patience_mean))
                              for metric in PER_CALL}
    peak = max((load for _, load in loads), default=0.0)
    solved = [hour.figures for hour in hours if hour.figures is not None]
    out.update(
        occupancy=weighted["occupancy"] / duty if duty else 0.0,
        offered_load=sum(f * load for f, load in loads) / open_time if open_time else 0.0,
        peak_load=peak,
        agents=pool.agents,
        calls_per_hour=reach * total_rate / len(hours),
        open_calls_per_hour=reach * arrivals / open_time if open_time else 0.0,
        p_closed=1.0 - arrivals / total_rate if total_rate > 0 else 0.0,
        overloaded=bool(reach > 0 and (overloaded if model.by_hour else peak >= pool.agents)),
        exact=stationary([(h.rate, h.open) for h in hours], [h.agents for h in hours])
        and all(figures["exact"] for figures in solved),
    )
    out.update(_line_day(hours, arrivals))
    if pool.agents_by_hour is not None:
        out["agents_by_hour"] = list(pool.agents_by_hour)
    line = features.reasons(pool, model.fed_by)
    if line:
        out["exact"] = False
    if not out["exact"]:
        out["approximation"] = why_approximate(hours, model.talk, line)
    return out


def _line_day(hours: list[Hour], arrivals: float) -> dict:
    """The day's figures of a pool's features (features.py), per call as the others; the callback
    wait over those who took one."""
    weighted: defaultdict[str, float] = defaultdict(float)
    names = [m for m in LINE if any(h.figures is not None and m in h.figures for h in hours)]
    for hour in hours:
        if hour.figures is None:
            continue
        calls = hour.rate * hour.open
        for metric in names:
            weighted[metric] += calls * hour.figures.get(metric, 0.0)
        if hour.figures.get("callback_wait") is not None:
            weighted["callback_wait"] += calls * hour.figures["p_callback"] * hour.figures["callback_wait"]
    out: dict[str, float | None] = {metric: weighted[metric] / arrivals if arrivals > 0 else 0.0 for metric in names}
    if "p_callback" in out:
        taken = weighted["p_callback"]
        out["callback_wait"] = weighted["callback_wait"] / taken if taken > 0 else None
    return out


def why_approximate(hours: list[Hour], talk: Law, line: list[str] = ()) -> str:  # type: ignore[assignment]
    """Why a pool's queue figures are approximate, in words for its readers."""
    reasons = list(line)
    if not all(h.figures["exact"] for h in hours if h.figures is not None):
        spread = f", cv {talk.cv:g}" if talk.kind == "lognormal" else ""
        reasons.append(f"talk time {talk.kind}{spread}, not exponential")
    if not stationary([(h.rate, h.open) for h in hours], [h.agents for h in hours]):
        reasons.append("calls or agents vary over the day or the pool closes: stationary per hour, "
                       "each hour taken as steady at its rate lagged by the mean talk time")
    return "; ".join(reasons)


def hour_entries(model: PoolModel, hours: list[Hour], reach: float) -> list[dict]:
    """The pool's figures for each clock hour, as `hours` in analyze's JSON gives them:
    calls per hour that find it open, and its queue figures (None when shut or unused)."""
    out = []
    for hour in hours:
        calls = hour.rate * reach * hour.open
        figures = hour.figures if hour.figures is not None and calls > 0 else None
        entry: dict[str, object] = {"calls": calls, "agents": hour.agents}
        for metric in ("mean_wait", "p_abandon", "service_level", "p_wait"):
            entry[metric] = figures[metric] if figures else None
        entry["occupancy"] = hour.figures["occupancy"] if hour.figures is not None and hour.agents > 0 else None
        entry["offered_load"] = hour.figures["offered_load"] if hour.figures is not None else 0.0
        entry["exact"] = False
        out.append(entry)
    return out


def queue_figures(per_second: float, talk: Law, patience: Law | features.Line, agents: int) -> dict:
    """A pool's queue figures at one stationary rate, with "exact": whether they are
    (general_queue.py: exact for exponential talk or one agent, else approximate;
    features.py: a line with callbacks, announcements or overflow, approximate)."""
    if isinstance(patience, features.Line):
        return _line_queue(per_second, talk, patience, agents)
    if agents <= 0:  # nobody answers: every caller waits out their patience
        return {"p_wait": 1.0, "p_abandon": 1.0, "mean_wait": patience.mean, "service_level": 0.0,
                "occupancy": 0.0, "offered_load": per_second * talk.mean, "exact": True}
    figures, exact = general_queue.pool_figures(per_second, talk, patience, agents, threshold=SERVICE_SECONDS)
    return {**figures, "exact": exact}


def _line_queue(per_second: float, talk: Law, line: features.Line, agents: int) -> dict:
    """The figures of a pool whose line has features (features.py): approximate."""
    if agents <= 0 or features.unstable(line, per_second, talk, agents):
        figures = features.unstable_figures(line, per_second, talk, max(agents, 1))
        if agents <= 0:
            figures["occupancy"] = 0.0
    elif per_second <= 0:
        figures, _ = general_queue.pool_figures(0.0, talk, line.patience, agents, threshold=SERVICE_SECONDS)
        figures = {**figures, **{m: 0.0 for m in line.figure_names()}}
    else:
        figures = general_queue.OfferedWait(per_second, talk, line, agents, SERVICE_SECONDS).figures()  # type: ignore[arg-type]
    return {**figures, "exact": False}


def _idle(metric: str, agents: int, patience: float) -> float:
    if agents <= 0:
        return {"p_wait": 1.0, "p_abandon": 1.0, "mean_wait": patience, "service_level": 0.0}[metric]
    return {"p_wait": 0.0, "p_abandon": 0.0, "mean_wait": 0.0, "service_level": 1.0}[metric]
