"""The whole menu answered without simulating: caller chains per intent, a queue model per pool.

Each intent's callers (in each language) follow the caller model's
absorbing chain (menu_chain.py); the chains say how many of them reach
each pool, which gives every pool its offered load; the pool's queue
model (general_queue.py: Erlang A when talk time and patience are
exponential) then gives waits and abandonment, which flow back into the
intents' figures. The result has the shape of ``ivrlint simulate --format json``
with plain numbers (see metrics.py for the names), plus ``visits``: per
intent, the expected visits to each node.

Where it is exact: the menu part always (it is the simulation's own
model); a pool's queue figures when its talk time is exponential (any
patience) or it has one agent, the rate is flat and the pool never shuts.
Otherwise they are approximate (docs/queue-approximation.md gives the
method and its measured error), and each figure set says so: ``exact``
per pool, and per intent and overall, false where a pool they reach is
approximate; an approximate pool says why in ``approximation``. With 24
hourly rates each hour is taken as
stationary and the hours are averaged by their calls. A flat rate holds
around the clock (MENU_FORMAT.md, "Traffic"), so a pool's ``hours`` close
it for the hours it is shut, whichever form the rate takes: callers
reaching it then are disconnected, as in the simulation, and ``p_closed``
is the share of its callers who arrive then.

A pool's figures are over the hours it is open, as a workforce planner
reads them: ``occupancy`` and ``offered_load`` are averaged over its open
time, waits and abandonment over the calls it takes, and
``open_calls_per_hour`` is the rate of calls it takes while open (the rate
behind those figures). ``calls_per_hour`` is the day's average rate of
calls routed to it, open or not.
"""

from __future__ import annotations

from collections import defaultdict

from ivrlint.analysis import general_queue
from ivrlint.analysis.laws import Law, law_of
from ivrlint.analysis.menu_chain import ChainResult, chain_expectations, likely_paths
from ivrlint.menu.model import Menu
from ivrlint.sim import records as R
from ivrlint.sim.caller import CallerModel
from ivrlint.sim.durations import sampler
from ivrlint.sim.engine import collector_paused
from ivrlint.sim.metrics import SERVICE_SECONDS
from ivrlint.sim.moves import End
from ivrlint.sim.requirements import check_menu, traffic_of

MENU_METRICS = ("ivr_seconds", "keypresses", "menus_heard", "retries")
#: Visits followed to find the most travelled paths, over all intents.
PATH_BUDGET = 50_000


def analyze_menu(menu: Menu, paths: bool = True) -> dict:
    """Expected figures per intent, per queue and overall (see module
    docstring); `paths=False` leaves out the figures per path."""
    check_menu(menu)
    with collector_paused():  # many small objects, no cycles: the collector would only rescan them
        return _analyze(menu, paths)


def _analyze(menu: Menu, paths: bool) -> dict:
    model = CallerModel(menu)
    traffic = traffic_of(menu)
    shares = _normalised({name: i.share for name, i in traffic.intents.items()})
    languages = _normalised(traffic.languages or {menu.language: 1.0})
    chains = {name: _mixed([(w, chain_expectations(model.chain(name, lang))) for lang, w in languages.items()])
              for name in shares}
    reach: defaultdict[str, float] = defaultdict(float)  # pool -> share of all calls that reach it
    for name, result in chains.items():
        for end, p in result["ends"].items():
            if end.kind == "queue":
                reach[end.what] += shares[name] * p
    queues = {name: pool_figures(menu, name, reach[name], model.behaviour.talk_cv) for name in menu.queues}
    intents = {name: intent_figures(result, queues) for name, result in chains.items()}
    overall = _overall(intents, shares)
    _mark_exact(chains, queues, intents, overall)
    trapped = [name for name, result in chains.items() if result["trapped"]]
    visits = {name: dict(result["node_visits"]) for name, result in chains.items()}
    by_path = path_figures(model, shares, languages, queues) if paths else {}
    out: dict[str, object] = {"intents": intents, "queues": queues, "paths": by_path, "overall": overall, "visits": visits}
    if trapped:
        out["notes"] = [f"callers with intent '{name}' can circle forever in the menu" for name in trapped]
    return out


def _mixed(parts: list[tuple[float, ChainResult]]) -> dict:
    """The languages' chains combined by their shares of callers."""
    ends: defaultdict[End, float] = defaultdict(float)
    node_visits: defaultdict[str, float] = defaultdict(float)
    out: dict[str, object] = {"ends": ends, "trapped": any(r.trapped for _, r in parts), "node_visits": node_visits}
    for metric, attr in zip(MENU_METRICS, ("seconds", "keypresses", "menus_heard", "retries"), strict=True):
        values = [(w, getattr(r, attr)) for w, r in parts]
        out[metric] = None if any(v is None for _, v in values) else sum(w * v for w, v in values)
    for w, r in parts:
        for end, p in r.ends.items():
            ends[end] += w * p
        for node, v in r.node_visits.items():
            node_visits[node] += w * v
    return out


def pool_figures(menu: Menu, name: str, reach: float, talk_cv: float) -> dict:
    """Erlang A figures of one pool fed `reach` of all calls."""
    pool = menu.queues[name]
    traffic = traffic_of(menu)
    rates = traffic.calls_per_hour
    talk, waiting = law_of(pool.handle_time, "lognormal", talk_cv), law_of(traffic.patience, "exponential")
    patience, _ = sampler(traffic.patience, "exponential")
    hourly = open_hours(rates, pool.hours)
    weighted: defaultdict[str, float] = defaultdict(float)
    loads: list[tuple[float, float]] = []  # (open share of the hour, offered load)
    arrivals = 0.0
    solved: dict[float, dict] = {}
    for rate, open_ in hourly:
        if open_ <= 0:
            continue
        per_second = rate * reach / 3600.0
        if per_second not in solved:  # a flat rate gives the same hour up to 24 times
            solved[per_second] = _pool_queue(per_second, talk, waiting, pool.agents)
        figures = solved[per_second]
        loads.append((open_, figures["offered_load"]))
        weighted["occupancy"] += open_ * figures["occupancy"]
        for metric in ("p_wait", "p_abandon", "mean_wait", "service_level"):
            weighted[metric] += rate * open_ * figures[metric]
        arrivals += rate * open_
    total_rate = sum(rate for rate, _ in hourly)
    open_time = sum(f for f, _ in loads)
    out: dict[str, object] = {metric: (weighted[metric] / arrivals if arrivals > 0 else _idle(metric, pool.agents, patience))
           for metric in ("p_wait", "p_abandon", "mean_wait", "service_level")}
    peak = max((load for _, load in loads), default=0.0)
    out.update(
        occupancy=weighted["occupancy"] / open_time if open_time else 0.0,
        offered_load=sum(f * load for f, load in loads) / open_time if open_time else 0.0,
        peak_load=peak,
        agents=pool.agents,
        calls_per_hour=reach * total_rate / len(hourly),
        open_calls_per_hour=reach * arrivals / open_time if open_time else 0.0,
        p_closed=1.0 - arrivals / total_rate if total_rate > 0 else 0.0,
        overloaded=bool(reach > 0 and peak >= pool.agents),
        exact=_stationary(hourly) and all(figures["exact"] for figures in solved.values()),
    )
    if not out["exact"]:
        out["approximation"] = _why_approximate(hourly, solved, talk)
    return out


def _why_approximate(hourly: list[tuple[float, float]], solved: dict, talk: Law) -> str:
    """Why a pool's queue figures are approximate, in words for its readers."""
    reasons = []
    if not all(figures["exact"] for figures in solved.values()):
        spread = f", cv {talk.cv:g}" if talk.kind == "lognormal" else ""
        reasons.append(f"talk time {talk.kind}{spread}, not exponential")
    if not _stationary(hourly):
        reasons.append("calls vary over the day or the pool closes: each hour is taken as steady")
    return "; ".join(reasons)


def _pool_queue(per_second: float, talk: Law, patience: Law, agents: int) -> dict:
    """A pool's queue figures at one stationary rate, with "exact": whether they are
    (general_queue.py: exact for exponential talk or one agent, else approximate)."""
    if agents <= 0:  # nobody answers: every caller waits out their patience
        return {"p_wait": 1.0, "p_abandon": 1.0, "mean_wait": patience.mean, "service_level": 0.0,
                "occupancy": 0.0, "offered_load": per_second * talk.mean, "exact": True}
    figures, exact = general_queue.pool_figures(per_second, talk, patience, agents, threshold=SERVICE_SECONDS)
    return {**figures, "exact": exact}


def _idle(metric: str, agents: int, patience: float) -> float:
    if agents <= 0:
        return {"p_wait": 1.0, "p_abandon": 1.0, "mean_wait": patience, "service_level": 0.0}[metric]
    return {"p_wait": 0.0, "p_abandon": 0.0, "mean_wait": 0.0, "service_level": 1.0}[metric]


def open_hours(rates: list[float], hours: tuple[float, float] | None) -> list[tuple[float, float]]:
    """(calls per hour, share of the hour the pool is open) for each hour the
    rates describe. A flat rate holds around the clock (MENU_FORMAT.md,
    "Traffic"): for a pool that keeps `hours` it is 24 hours at that rate,
    open or shut; for a pool that never shuts, one stationary hour.

    >>> open_hours([10.0], None), open_hours([10.0], (8.0, 18.0))[7:9]
    ([(10.0, 1.0)], [(10.0, 0.0), (10.0, 1.0)])
    """
    if len(rates) == 1 and (hours is None or hours[1] - hours[0] >= 24.0):
        return [(rates[0], 1.0)]
    day = rates * 24 if len(rates) == 1 else rates
    return [(rate, _open_fraction(hours, h)) for h, rate in enumerate(day)]


def _stationary(hourly: list[tuple[float, float]]) -> bool:
    """One rate all day and a pool that never shuts: Erlang A's steady state holds."""
    return len({rate for rate, _ in hourly}) == 1 and all(open_ >= 1.0 for _, open_ in hourly)


def _open_fraction(hours: tuple[float, float] | None, hour: int) -> float:
    """Share of the hour [hour, hour+1) that a pool open `hours` is open."""
    if hours is None:
        return 1.0
    return max(0.0, min(hour + 1.0, hours[1]) - max(float(hour), hours[0]))


def intent_figures(chain: dict, queues: dict) -> dict:
    """One intent's figures: the chain's menu expectations and its ends,
    with each queue end split by that pool's abandonment; a person who can
    serve the intent serves, any other misroutes (End.serves, sim/serving.py)."""
    out = {metric: chain[metric] for metric in MENU_METRICS}
    p: defaultdict[str, float] = defaultdict(float)  # p_goal and the chance of each outcome
    entered, wait, answered = 0.0, 0.0, 0.0
    for end, prob in chain["ends"].items():
        if end.reached:
            p["p_goal"] += prob
        if end.kind == "queue":
            q = queues[end.what]
            inside = prob * (1.0 - q["p_closed"])
            p[R.DISCONNECTED] += prob - inside
            p["closed"] += prob - inside  # found the pool shut: disconnected, counted apart too
            p[R.ABANDONED] += inside * q["p_abandon"]
            p[R.SERVED if end.serves else R.MISROUTED] += inside * (1.0 - q["p_abandon"])
            entered += inside
            wait += inside * q["mean_wait"]
            answered += inside * q["service_level"]
        elif end.kind == "transfer":
            if end.what:
                p[R.SERVED if end.serves else R.MISROUTED] += prob
            else:
                p[R.CONTAINED if end.reached else R.DISCONNECTED] += prob
        else:
            p[end.what] += prob
    out.update(
        p_goal=p["p_goal"],
        containment=p[R.CONTAINED],
        p_person=p[R.SERVED] + p[R.MISROUTED],
        p_abandon=p[R.ABANDONED],
        p_hung_up=p[R.HUNG_UP],
        p_disconnected=p[R.DISCONNECTED],
        p_closed=p["closed"],
        p_misrouted=p[R.MISROUTED],
        p_voicemail=p[R.VOICEMAIL],
        p_lost=p[R.HUNG_UP] + p[R.DISCONNECTED],
        p_queue=entered,
        mean_wait=wait / entered if entered > 0 else None,
        service_level=answered / entered if entered > 0 else None,
    )
    return out


def path_figures(model: CallerModel, shares: dict, languages: dict, queues: dict, min_share: float = 1e-4) -> dict:
    """Per path (as records write it): the share of all calls that take it,
    seconds in the menu, and the chances to reach the goal, a person, or to
    abandon; most travelled first. Paths rarer than `min_share` are left out."""
    acc: dict = defaultdict(lambda: defaultdict(float))
    for name, share in shares.items():
        for lang, weight in languages.items():
            # a path may gather its share over several intents and languages:
            # follow each chain's paths down to a hundredth of what is shown
            budget = max(2_000, int(PATH_BUDGET * share * weight))  # visits followed, over all chains
            floor = min_share * 1e-2 / max(share * weight, 1e-300)
            for (path, end), (p, seconds) in likely_paths(model.chain(name, lang), floor, budget).items():
                w = share * weight * p
                figures = acc[path]
                figures["share"] += w
                figures["ivr_seconds"] += w * seconds
                figures["p_goal"] += w * end.reached
                if end.kind == "queue":
                    pool = queues[end.what]
                    entered = w * (1.0 - pool["p_closed"])
                    figures["p_abandon"] += entered * pool["p_abandon"]
                    figures["p_person"] += entered * (1.0 - pool["p_abandon"])
                    figures["queued"] += entered
                    figures["wait"] += entered * pool["mean_wait"]
                elif end.kind == "transfer" and end.what:
                    figures["p_person"] += w
    out = {}
    for path, f in sorted(acc.items(), key=lambda item: -item[1]["share"]):
        share = f["share"]
        if share < min_share:
            break
        out[path] = {"share": share, "ivr_seconds": f["ivr_seconds"] / share, "p_goal": f["p_goal"] / share,
                     "p_person": f["p_person"] / share, "p_abandon": f["p_abandon"] / share,
                     "mean_wait": f["wait"] / f["queued"] if f["queued"] else None}
    return out


def _mark_exact(chains: dict, queues: dict, intents: dict, overall: dict) -> None:
    """Each intent's and the overall figures are exact when every pool their callers reach is."""
    for name, chain in chains.items():
        reached = {end.what for end, p in chain["ends"].items() if end.kind == "queue" and p > 0}
        intents[name]["exact"] = all(queues[pool]["exact"] for pool in reached)
    overall["exact"] = all(figures["exact"] for figures in intents.values())


def _overall(intents: dict, shares: dict) -> dict:
    """Share-weighted figures over all callers (waits over those who queue)."""
    out: dict = {}
    for metric in MENU_METRICS + ("p_goal", "containment", "p_person", "p_abandon", "p_hung_up",
                                  "p_disconnected", "p_closed", "p_misrouted", "p_voicemail", "p_lost", "p_queue"):
        values = [(shares[n], f[metric]) for n, f in intents.items()]
        out[metric] = None if any(v is None for _, v in values) else sum(w * v for w, v in values)
    queued = sum(shares[n] * f["p_queue"] for n, f in intents.items())
    for metric in ("mean_wait", "service_level"):
        total = sum(shares[n] * f["p_queue"] * f[metric] for n, f in intents.items() if f[metric] is not None)
        out[metric] = total / queued if queued > 0 else None
    return out


def _normalised(weights: dict) -> dict:
    total = sum(weights.values())
    if total <= 0:
        return {k: 1.0 / len(weights) for k in weights}
    return {k: w / total for k, w in weights.items()}
