"""Seconds from dialling to a live person, along the fastest route.

This is the number a caller who just wants a person feels, and the one a
menu change most often makes worse without anyone noticing ("we moved the
representative under Other options"). It is computed from the menu alone,
so it exists even for menus with no traffic section:

* at a menu, a caller who knows the key presses as soon as its option has
  been announced (``prompts.announced_at``), so the cost of a key is the
  share of the prompt played by then;
* a caller who presses nothing hears the prompt and waits out the timeout
  on every try before ``on_failure`` (or ``on_no_input``) takes them on;
  with ``retries: unlimited`` the tries never run out, so ``on_failure``
  is no route at all and ``on_invalid`` follows the first wrong key;
* messages cost their prompt; input and self-service nodes their prompt
  plus the task's mean duration;
* a branch costs nothing beyond its prompt; ``back``, ``repeat`` and
  ``top`` never make a route shorter and are left out.

The route is found with networkx's Dijkstra over these seconds.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from ivrlint.language.prompts import announced_at, prompt_seconds, prompt_text
from ivrlint.menu.digraph import is_person, node_exits
from ivrlint.menu.model import Menu, Node


def _exit_seconds(menu: Menu, node: Node, cause: str, key: str | None) -> float | None:
    """Seconds a caller spends at `node` before leaving it by `cause` (and `key`);
    None when the caller never leaves that way."""
    rate = menu.defaults.speech_rate
    prompt = prompt_seconds(node, menu.language, rate)
    if cause == "key":
        share = announced_at(prompt_text(node, menu.language)).get(key, 1.0) if key is not None else 1.0
        return prompt * share
    if node.retries is None and cause == "failure" and node.type != "self_service":
        return None  # unlimited retries never run out: on_failure is never taken (as in the simulation)
    # node.retries is the effective count (the node's own, else the menu's
    # defaults); None is unlimited, where on_invalid follows the first wrong key
    tries = max(node.retries, 1) if node.retries is not None else 1
    timeout = node.timeout if node.timeout is not None else menu.defaults.timeout
    if node.type == "menu" and cause == "no_input":
        return prompt + timeout
    if node.type == "menu" and cause in ("failure", "invalid"):
        return tries * (prompt + timeout)
    task = node.duration.mean if node.duration is not None else 0.0
    return prompt + task


def seconds_graph(menu: Menu) -> nx.DiGraph:
    """The menu's moves a caller chooses or waits for, weighted by seconds spent before each."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(menu.nodes)
    for node in menu.nodes.values():
        for target, cause, key in node_exits(node, menu.start):
            if target is None or target not in menu.nodes or cause in ("repeat", "back", "top"):
                continue
            seconds = _exit_seconds(menu, node, cause, key)
            if seconds is None:
                continue
            if not graph.has_edge(node.id, target) or graph.edges[node.id, target]["seconds"] > seconds:
                graph.add_edge(node.id, target, seconds=seconds)
    return graph


def seconds_to(menu: Menu, targets: Iterable[str], graph: nx.DiGraph | None = None) -> float | None:
    """Fewest seconds from the start to any of `targets`; None when none can be reached."""
    graph = graph if graph is not None else seconds_graph(menu)
    targets = [t for t in targets if t in graph]
    if menu.start not in graph or not targets:
        return None
    lengths = nx.single_source_dijkstra_path_length(graph, menu.start, weight="seconds")
    reached = [lengths[t] for t in targets if t in lengths]
    return round(min(reached), 3) if reached else None


def person_nodes(menu: Menu) -> list[str]:
    return [n.id for n in menu.nodes.values() if is_person(n)]


def seconds_to_person(menu: Menu) -> dict:
    """Fastest seconds to a person: ``{"overall": s, "intents": {name: s}}``.

    Per intent only for intents whose goal is a person (a queue or a human
    transfer): the route ends at that goal. Intents met in self-service
    have no entry; for them the overall figure (the nearest person from the
    start) is the one that matters. None where no person can be reached.
    """
    graph = seconds_graph(menu)
    people = person_nodes(menu)
    overall = seconds_to(menu, people, graph)
    intents = {}
    if menu.traffic is not None:
        for name, intent in menu.traffic.intents.items():
            goals = [g for g in intent.goals if g in menu.nodes and is_person(menu.nodes[g])]
            if goals:
                intents[name] = seconds_to(menu, goals, graph)
    return {"overall": overall, "intents": intents}
