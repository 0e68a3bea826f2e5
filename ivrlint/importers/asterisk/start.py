"""Where calls begin: which context a call from outside enters.

A dialplan does not say which context a trunk delivers calls to (that is in
pjsip.conf, sip.conf or the FreePBX database), so the importer follows a
fixed rule:

1. the first of ENTRY_CONTEXTS that exists and leads to a menu (by its
   Gotos, GotoIfs, Local/ dials, Gosubs or includes): ``from-pstn`` and
   ``from-trunk`` (FreePBX, Issabel), ``ext-did`` (FreePBX's inbound routes,
   when only extensions_additional.conf is given), then the names people
   give the incoming context by hand: ``incoming``, ``inbound``,
   ``from-external``, ``default``;
2. else the first menu context (in file order) that no other context leads to;
3. else the first menu context; else the first context.

A context is entered at its ``s`` extension. One without ``s`` (inbound
routes keyed by the number dialled) starts with a branch on the number
dialled, one way per extension, unless they all lead to one place.
"""

from __future__ import annotations

import re

from ivrlint.importers.asterisk.flow import Flow
from ivrlint.importers.asterisk.phrases import Place
from ivrlint.importers.asterisk.positions import Plan, Pos
from ivrlint.menu.model import Branch, Node

ENTRY_CONTEXTS = ("from-pstn", "from-trunk", "ext-did", "incoming", "inbound", "from-external", "default")
#: Extensions that are not numbers a caller dials in (hangup, invalid, timeout, fax detection...).
SPECIAL_EXTENSIONS = ("h", "i", "t", "e", "o", "a", "T", "fax", "talk")

_TOKENS = re.compile(r"""[^,?:()@&/\s\[\]$="'^|{}]+""")  # a name a step's arguments may hold: Set(DEST=ivr-2)


def choose_start(flow: Flow, links: dict[str, set[str]]) -> tuple[str, str | None]:
    """The start node id and the context calls enter (`links`: what `references` gives)."""
    plan = flow.plan
    menus = [name for name in plan.contexts if name in flow.menu_contexts]
    for name in ENTRY_CONTEXTS:
        if name in plan.contexts and reaches(links, name, set(menus)):
            return enter_context(flow, name), name
    targets = {target for name, found in links.items() for target in found if target != name}
    first = next((name for name in menus if name not in targets), menus[0] if menus else next(iter(plan.contexts), None))
    if first is None:
        return "", None
    return enter_context(flow, first), first


def enter_context(flow: Flow, name: str) -> str:
    """The node a call entering context `name` from outside is in."""
    plan = flow.plan
    context = plan.contexts[name]
    if any("s" in ctx.extensions for ctx in plan.search_order(name)):  # a literal s, not a pattern like _. matching it
        return flow.enter(Pos(name, "s", 1), context.loc)[0]
    ways = []
    seen: set[str] = set()
    for ctx in plan.search_order(name):
        for exten, extension in ctx.extensions.items():
            if exten in SPECIAL_EXTENSIONS or exten in seen or 1 not in extension.steps:
                continue
            seen.add(exten)
            goto, loc = flow.enter(Pos(name, exten, 1), extension.loc)
            ways.append(Branch(goto, None, f"dialled {exten}", loc))
    if not ways:
        return name
    if len({way.goto for way in ways}) == 1:
        return ways[0].goto
    node_id = flow.unique(name)
    flow.nodes[node_id] = Node(node_id, "branch", loc=context.loc, branches=ways, label="the number the caller dialled")
    flow.added_places[node_id] = Place(name, what=f"the start of [{name}] (a branch on the number dialled)")
    return node_id


def references(plan: Plan) -> dict[str, set[str]]:
    """For each context, the contexts its steps and includes name (``Macro(name)`` names ``macro-name``)."""
    out: dict[str, set[str]] = {}
    for name, context in plan.contexts.items():
        found = {include.context for include in context.includes}
        for extension in context.extensions.values():
            for step in extension.steps.values():
                found.update(t for t in _TOKENS.findall(step.call.data) if t in plan.contexts)
                if step.call.name == "macro":
                    found.add(f"macro-{step.call.arg(0)}")
        out[name] = found
    return out


def reaches(links: dict[str, set[str]], start: str, wanted: set[str]) -> bool:
    """Does `start` lead (by the names its steps and includes mention) to one of `wanted`?"""
    return not wanted.isdisjoint(linked(links, [start]))


def linked(links: dict[str, set[str]], starts) -> set[str]:
    """The contexts `starts` lead to by the names their steps and includes mention, `starts` among them."""
    seen: set[str] = set()
    todo = list(starts)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(links.get(name, ()))
    return seen
