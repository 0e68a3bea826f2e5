"""Who can serve a caller: the people whose help meets an intent's need.

A caller who talks to a person is *served* when that person can help with
what they called for, and *misrouted* when not. The menu says who can help
with an intent in three ways:

* a goal that is a person: a queue node (its pool) or a transfer to a
  person (its destination);
* where a goal task's own failure leads: a self-service or input goal that
  fails sends the caller on by its ``on_failure``; the people that path
  reaches without the caller choosing (through messages, branches, further
  tasks' ``next`` and ``on_failure``, never through a menu, where the caller
  chooses) are the ones the menu's designer hands that need to;
* the intent's ``served_by``: pools named outright.

People are counted by pool (or transfer destination), not by node: a
caller who presses 0 and reaches the pool their goal's failure path leads
to talks to the same team as one sent there by the failure, and both are
served. When none of the three names anyone, the menu does not say who
serves the intent, so nobody is counted as the wrong person for it.

This is the one definition: the caller model marks each end of an
intent's chain with it (``End.serves``), and the simulation and the exact
analysis both read that mark.
"""

from __future__ import annotations

from collections.abc import Iterator

from ivrlint.menu.digraph import is_person, node_exits
from ivrlint.menu.model import Intent, Menu, Node

#: Goal types whose task can fail and leave the caller still needing help.
TASKS = ("input", "self_service")


def serving_people(menu: Menu, intent: Intent) -> frozenset[str]:
    """The person nodes (queues, transfers to a person) whose people can serve `intent`."""
    pools, lines = _named(menu, intent)
    people = [node for node in menu.nodes.values() if is_person(node)]
    if not pools and not lines:  # the menu does not say who serves this need
        return frozenset(node.id for node in people)
    return frozenset(node.id for node in people if (node.queue in pools if node.type == "queue" else node.destination in lines))


def serving_pools(menu: Menu, intent: Intent) -> frozenset[str]:
    """The pools (of ``queues``) whose agents can serve `intent`: those whose queue nodes
    serving_people counts, and the pools ``served_by`` names. A caller who overflows to
    another pool (``overflow``) is served there when it is one of these, else misrouted."""
    pools, lines = _named(menu, intent)
    if not pools and not lines:
        return frozenset(menu.queues)
    return frozenset(name for name in menu.queues if name in pools)


def _named(menu: Menu, intent: Intent) -> tuple[set[str | None], set[str | None]]:
    """(pools, transfer destinations) the menu names as serving `intent` (both empty: it does not say)."""
    pools: set[str | None] = set(intent.served_by)
    lines: set[str | None] = set()  # destinations of transfers to a person
    for goal in intent.goals:
        node = menu.nodes.get(goal)
        if node is None:
            continue
        for person in [node] if is_person(node) else _after_failure(menu, node):
            if person.type == "queue":
                pools.add(person.queue)
            else:
                lines.add(person.destination)
    return pools, lines


def _after_failure(menu: Menu, goal: Node) -> Iterator[Node]:
    """The people a failed goal task sends its caller to without the caller choosing."""
    if goal.type not in TASKS:
        return
    todo, seen = [goal.on_failure], {goal.id}
    while todo:
        node_id = todo.pop()
        node = menu.nodes.get(node_id) if node_id is not None else None
        if node is None or node.id in seen:
            continue
        seen.add(node.id)
        if is_person(node):
            yield node
        elif node.type != "menu":  # in a menu the caller chooses: the path is no longer the failure's
            todo.extend(target for target, cause, _ in node_exits(node, menu.start) if cause != "back")
