"""The figures of intents, paths and the whole line from the caller chains and the pools' figures.

traffic.py computes the chains and the pools; this module turns them into
the figures ``analyze`` gives (their names are those of sim/metrics.py).
"""

from __future__ import annotations

from collections import defaultdict

from ivrlint.analysis.menu_chain import ChainResult, likely_paths
from ivrlint.sim import records as R
from ivrlint.sim.caller import CallerModel
from ivrlint.sim.moves import End

MENU_METRICS = ("ivr_seconds", "keypresses", "menus_heard", "retries")
#: Visits followed to find the most travelled paths, over all intents.
PATH_BUDGET = 50_000


def mixed(parts: list[tuple[float, ChainResult]]) -> dict:
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


def path_figures(model: CallerModel, shares: dict, languages: dict, queues: dict, min_share: float = 1e-4,
                 calls: dict | None = None) -> dict:
    """Per path (as records write it): the share of all calls that take it,
    seconds in the menu, and the chances to reach the goal, a person, or to
    abandon; most travelled first. Paths rarer than `min_share` are left out.
    `calls`: per (intent, language), its calls per caller over the mean (redials), when they differ."""
    acc: dict = defaultdict(lambda: defaultdict(float))
    for name, share in shares.items():
        for lang, weight in languages.items():
            if calls is not None:
                weight *= calls[(name, lang)]
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


def mark_exact(chains: dict, queues: dict, intents: dict, overall: dict) -> None:
    """Each intent's and the overall figures are exact when every pool their callers reach is."""
    for name, chain in chains.items():
        reached = {end.what for end, p in chain["ends"].items() if end.kind == "queue" and p > 0}
        intents[name]["exact"] = all(queues[pool]["exact"] for pool in reached)
    overall["exact"] = all(figures["exact"] for figures in intents.values())


def overall_figures(intents: dict, shares: dict) -> dict:
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


def normalised(weights: dict) -> dict:
    total = sum(weights.values())
    if total <= 0:
        return {k: 1.0 / len(weights) for k in weights}
    return {k: w / total for k, w in weights.items()}
