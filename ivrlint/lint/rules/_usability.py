"""What the usability rules (U201-U210) share: the reserved-key profile,
what pressing an option does for the caller, and how many menus stand
between the start and a node.

Answers are computed once per menu and kept in ``ctx.cache``.
"""

from __future__ import annotations

from itertools import pairwise

import networkx as nx

from ivrlint.lint.settings import DEFAULT_RESERVED_KEYS
from ivrlint.menu import digraph as graphs
from ivrlint.menu.model import Node, Option

#: Nodes a call passes without the caller choosing anything: a "please hold"
#: message, a business-hours branch, an identification step before an agent.
PASS_THROUGH = ("message", "branch", "input")

#: Moves a caller makes on purpose (or that simply follow): a key, the next
#: node, a branch. Failing a menu's retries is not a way anyone chooses, and
#: ``back`` is left out because its edges stand for every menu a caller might
#: have come from, not the one they did.
CHOSEN_CAUSES = ("key", "next", "branch", "top")

#: What an option does, as rules print it.
MEANING_WORDS = {
    "person": "reach a person",
    "repeat": "repeat the menu",
    "back": "go back",
    "top": "go to the main menu",
}


def profile(ctx) -> dict[str, str]:
    """The reserved-key profile of this run: role -> key."""
    keys = getattr(ctx.settings, "reserved_keys", None)
    return dict(DEFAULT_RESERVED_KEYS if keys is None else keys)


def reserved_key(ctx, role: str) -> str | None:
    """The key the profile reserves for `role` (person, back, repeat...), if any."""
    return profile(ctx).get(role)


def _near(ctx) -> tuple[set[str], set[str]]:
    """Nodes from which a call reaches a person, and a voicemail, passing only
    PASS_THROUGH nodes; computed once per menu."""
    if "usability.near" not in ctx.cache:
        graph = ctx.graph
        passable = [n for n, kind in graph.nodes(data="type") if kind in PASS_THROUGH]
        people = graphs.people(graph)
        voicemail = [n for n, kind in graph.nodes(data="type") if kind == "voicemail"]
        ctx.cache["usability.near"] = tuple(
            set(graphs.hops_to(graph.subgraph(passable + targets), targets)) for targets in (people, voicemail)
        )
    return ctx.cache["usability.near"]


def someone_reached(ctx, node_id: str | None) -> str | None:
    """``"person"`` when a call sent to `node_id` reaches a live person with no
    further choice (through messages, branches and input steps),
    ``"callback"`` when it reaches a voicemail that way, else None."""
    person, callback = _near(ctx)
    if node_id in person:
        return "person"
    if node_id in callback:
        return "callback"
    return None


def meaning(ctx, node: Node, option: Option) -> str:
    """What pressing `option` in menu `node` does: ``repeat``, ``back``,
    ``top``, ``person`` (a person, or a callback when it leads to a voicemail),
    or ``go to 'X'``."""
    if option.action is not None:
        return option.action
    if option.goto == node.id:
        return "repeat"
    if someone_reached(ctx, option.goto):
        return "person"
    return f"go to {ctx.named(option.goto)}"


def describe(what: str) -> str:
    return MEANING_WORDS.get(what, what)


def is_navigation(ctx, node: Node, option: Option) -> bool:
    """Is `option` a way around the menu rather than a choice in it?

    Repeat, back and top are, on any key; so is the profile's person key when
    it leads to a person. A reserved key used for an ordinary destination is
    a choice like any other.
    """
    what = meaning(ctx, node, option)
    if what in ("repeat", "back", "top"):
        return True
    return what == "person" and option.key == reserved_key(ctx, "person")


def menus(ctx) -> list[Node]:
    return [n for n in ctx.menu.nodes.values() if n.type == "menu"]


def chosen_moves(ctx) -> nx.DiGraph:
    """ctx.graph with only the edges a caller takes on purpose (CHOSEN_CAUSES)."""
    def chosen(source, target):
        return any(cause in CHOSEN_CAUSES for cause, _ in ctx.graph.edges[source, target]["causes"])

    return nx.subgraph_view(ctx.graph, filter_edge=chosen)


def menus_on_the_way(ctx) -> tuple[dict[str, int], Ways]:
    """For each node a caller can reach from the start by choosing keys: the
    fewest menus they pass through before it (the node itself not counted),
    and its ways (``ways[node]`` is one such way, start first)."""
    if "usability.ways" not in ctx.cache:
        start = ctx.menu.start
        if start not in ctx.graph:
            ctx.cache["usability.ways"] = ({}, Ways({}))
        else:
            types = ctx.graph.nodes(data="type")

            def menu_weight(source, _target, _data):
                return 1 if types[source] == "menu" else 0

            # predecessors, not every path: a deep menu's paths would take memory squared in its depth
            before, menus = nx.dijkstra_predecessor_and_distance(chosen_moves(ctx), start, weight=menu_weight)
            ctx.cache["usability.ways"] = (menus, Ways(before))
    return ctx.cache["usability.ways"]


class Ways:
    """One fewest-menus way to each node, rebuilt from Dijkstra's predecessors on demand."""

    def __init__(self, before: dict[str, list[str]]):
        self.before = before

    def __getitem__(self, node_id: str) -> list[str]:
        return self.tail(node_id, None)

    def tail(self, node_id: str, menus: int | None, types=None) -> list[str]:
        """The end of the way to `node_id` holding its last `menus` menus (the
        whole way when None); `types` maps a node to its type."""
        way, seen, counted = [node_id], {node_id}, 0
        while self.before.get(way[-1]) and (menus is None or counted < menus):
            previous = self.before[way[-1]][0]
            if previous in seen:  # zero-weight cycles have equal-distance predecessors
                break
            seen.add(previous)
            way.append(previous)
            counted += menus is not None and types[previous] == "menu"
        return way[::-1]


def shorten(names: list[str], sep: str = " > ", keep: int = 3) -> str:
    """`names` joined for a message, the middle left out when long, so a
    finding on a deep menu stays one readable line."""
    if len(names) <= 2 * keep + 1:
        return sep.join(names)
    return sep.join([*names[:keep], f"... ({len(names) - 2 * keep} more)", *names[-keep:]])


def last_menu_option(ctx, way: list[str]) -> Option | None:
    """The option of the last menu on `way` that the caller presses to go on."""
    for here, after in reversed(list(pairwise(way))):
        node = ctx.menu.nodes[here]
        if node.type == "menu":
            return next((o for o in node.options.values() if o.goto == after), None)
    return None


def retry_settings(ctx, field: str):
    """Where the `field` (timeout or retries) of each menu and input node comes
    from: yields ``(value, location, whose, node id)``, one for every node
    that sets its own, and one for all the nodes that take it from
    ``defaults`` (at the ``defaults:`` line that sets it, when one does; node
    id None). `whose` names them for a message: "menu 'main'", "the defaults
    (used by 'main', 'billing')"."""
    defaults = ctx.menu.defaults
    inherited: list[str] = []
    for node in ctx.menu.nodes.values():
        if node.type not in ("menu", "input"):
            continue
        value = getattr(node, field)
        if field in node.locs or value != getattr(defaults, field):  # importers may set values without a place
            yield value, node.where(field), ctx.phrases.node(node), node.id
        else:
            inherited.append(node.id)
    if inherited:
        loc = defaults.locs.get(field) or ctx.menu.where("defaults")
        names = ", ".join(ctx.named(n) for n in inherited[:4]) + (", ..." if len(inherited) > 4 else "")
        whose = "the defaults" if field in defaults.locs else "the built-in default"
        yield getattr(defaults, field), loc, f"{whose} (used by {names})", None
