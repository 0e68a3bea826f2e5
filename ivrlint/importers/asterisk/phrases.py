"""Fix hints in dialplan: what to write in extensions.conf for what a finding asks.

A menu is a context: its prompt is a run of ``Background()`` ending in
``WaitExten()`` (or a ``Read()`` whose key is tested), its keys are the
context's extensions, its handling of silence and wrong keys the ``t`` and
``i`` extensions. So a missing key is an ``exten => KEY,1,...`` line to add
to that context, a repeat key an extension that goes back to where the
prompt plays, a timeout WaitExten's argument, and where callers go when
their tries run out the end of ``i`` and ``t``.

Nodes are named by where they are written (``menu [main]``, ``queue at
extension 2 of [main]``, ``message at main,s,3``), never by the ids the
importer made up for the model (``main/2``), and a place is reached with
the ``Goto()`` that leads there (``Goto(main,2,1)``, or ``Goto(2,1)``
from within the same context).
"""

from __future__ import annotations

from dataclasses import dataclass

from ivrlint.menu.model import Node
from ivrlint.menu.phrases import Phrases

#: What a hint writes for "some agent" when the finding names no target.
ANY_PERSON = "Queue(QUEUE)"


@dataclass(frozen=True)
class Place:
    """Where a node is written in the dialplan."""

    context: str
    exten: str | None = None  # None: the context itself (a call enters it at s)
    priority: str = "1"  # a number or a label
    #: how to name a place that is not a step a call runs: "the end of extension t of [main]", "FreePBX queue 400"
    what: str = ""
    ends: bool = False  # the call ends here (the end of an extension): reached by Hangup(), not a Goto

    def goto(self, here: str | None = None) -> str:
        """The application that sends a call here, as written in context `here` (shorter within the same context)."""
        return "Hangup()" if self.ends else f"Goto({self.target(here)})"

    def target(self, here: str | None = None) -> str:
        """``[context,]exten,priority`` as Goto and GotoIf take it, written in context `here`."""
        exten = self.exten if self.exten is not None else "s"
        return f"{exten},{self.priority}" if here == self.context else f"{self.context},{exten},{self.priority}"

    def name(self, kind: str) -> str:
        """How a finding names a node of type `kind` written here."""
        if self.what:
            return self.what
        if self.exten is None:
            return f"{kind} at [{self.context}]"
        if self.priority == "1":
            return f"{kind} at extension {self.exten} of [{self.context}]"
        return f"{kind} at {self.context},{self.exten},{self.priority}"


@dataclass(frozen=True)
class MenuPlace:
    """What a menu (or a Read that collects digits) is made of in the dialplan."""

    context: str  # where its keys are extensions (Background's fourth argument, or its own context)
    wait: str  # "WaitExten", "Read", or "" for Backgrounds that end the extension (keys only while they play)
    prompt: Place  # where its prompt starts: where a repeat key goes back to
    handlers: tuple[str, ...] = ()  # which of "t" and "i" the context has
    uses: tuple[str, ...] = ("t", "i")  # which of them the menu meets: silence only when it waits
    variable: str = ""  # for a Read: the variable its key goes to


class AsteriskPhrases(Phrases):
    """Fix hints as dialplan lines; `places` and `menus` are what the importer read, by node id."""

    platform = "Asterisk dialplan"

    def __init__(self, places: dict[str, Place], menus: dict[str, MenuPlace], parts: dict[str, str] | None = None):
        self.places = places
        self.menus = menus
        #: node id -> the menu it is part of: a node at the extensions of a menu's context (its keys, its i and t)
        self.parts = parts if parts is not None else parts_of(places, menus, {})

    def part_of(self, node_id: str) -> str | None:
        return self.parts.get(node_id)

    def name(self, node: Node) -> str:
        return self.node(node)

    def node(self, node: Node) -> str:
        place = self.places.get(node.id)
        if place is None:
            return super().node(node)
        if node.type == "menu" and node.id == place.context:
            return f"menu [{place.context}]"  # the menu a context is named after
        return place.name(node.type)

    def add_option(self, node: Node, key: str, target: str | None) -> str:
        context = self._context(node)
        line = f"`exten => {key},1,{self._goto(target, context)}`"
        where = f" to [{context}]" if context else ""
        return f"add {line}{where}" + (" (a queue of people, or a Dial() of an operator)" if target is None else "")

    def add_repeat(self, node: Node, key: str | None) -> str:
        menu = self.menus.get(node.id) if node is not None else None
        if menu is None:
            return f"add an extension on {'key ' + key if key else 'a free key'} that goes back to the menu's prompt with Goto()"
        back = menu.prompt.goto(menu.context)
        if menu.wait == "Read":
            press = key or "9"
            return (f"test the key for a replay after the Read(): `same => n,GotoIf($[\"${{{menu.variable}}}\" = \"{press}\"]?"
                    f"{menu.prompt.target(menu.context)})`" + ("" if key else f" (or another free key than {press})"))
        if key is None:
            return f"add an extension on a free key that replays the prompt, e.g. `exten => 9,1,{back}`, to [{menu.context}]"
        return f"add `exten => {key},1,{back}` to [{menu.context}]"

    def add_failure(self, node: Node, target: str | None) -> str:
        menu = self.menus.get(node.id) if node is not None else None
        goto = self._goto(target, menu.context if menu else None)
        person = " (a queue of people, or a Dial() of an operator)" if target is None else ""
        if menu is None:
            return f"send callers whose input fails on to `{goto}`{person}"
        if menu.wait == "Read":
            return f"after the Read()'s key tests in [{menu.context}], go on with `same => n,{goto}`{person}"
        missing = [h for h in menu.uses if h not in menu.handlers]
        written = [h for h in menu.uses if h in menu.handlers]
        parts = []
        if written:
            names = " and ".join(f"`{h}`" for h in written)
            parts.append(f"end the {names} extension{'s' if len(written) > 1 else ''} of [{menu.context}] with `{goto}` "
                         "once the caller's tries run out")
        if missing:
            lines = " and ".join(f"`exten => {h},1,{goto}`" for h in missing)
            parts.append(f"add {lines} to [{menu.context}]")
        return "; ".join(parts) + person

    def set_timeout(self, node: Node | None, seconds: float) -> str:
        menu = self.menus.get(node.id) if node is not None else None
        if menu is None:
            return f"wait {seconds:g} s for a key (`WaitExten({seconds:g})`)"
        if menu.wait == "Read":
            return f"give the Read() in [{menu.context}] a timeout of {seconds:g} (its sixth argument)"
        if menu.wait == "WaitExten":
            return f"write `WaitExten({seconds:g})` in [{menu.context}]"
        return f"add `same => n,WaitExten({seconds:g})` after the Background() in [{menu.context}], so callers have time to press"

    def set_retries(self, node: Node | None, retries: int) -> str:
        menu = self.menus.get(node.id) if node is not None else None
        if menu is not None and menu.wait == "Read":
            return f"let the Read() in [{menu.context}] try {retries + 1} times (its fifth argument)"
        where = f" of [{menu.context}]" if menu is not None else ""
        back = menu.prompt.goto(menu.context) if menu is not None else "Goto(s,1)"
        times = "once" if retries == 1 else f"{retries} times"
        return (f"let the `i` and `t` extensions{where} count the failures and go back to the menu {times}: "
                f"`Set(TRIES=$[${{TRIES}} + 1])`, `GotoIf($[${{TRIES}} > {retries}]?failed)`, `{back}`")

    # -- helpers --------------------------------------------------------------
    def _context(self, node: Node | None) -> str | None:
        if node is None:
            return None
        menu = self.menus.get(node.id)
        if menu is not None:
            return menu.context
        place = self.places.get(node.id)
        return place.context if place is not None else None

    def _goto(self, target: str | None, here: str | None) -> str:
        """The application that sends a call to node `target` from context `here`; ANY_PERSON for None."""
        if target is None:
            return ANY_PERSON
        place = self.places.get(target)
        if place is None:  # a place the files do not have: named context/extension[/priority], as the Goto wrote it
            parts = target.replace("~", ".").split("/")
            return f"Goto({','.join(parts + ['s', '1'][len(parts) - 1:] if len(parts) < 3 else parts)})"
        return place.goto(here)


def parts_of(places: dict[str, Place], menus: dict[str, MenuPlace], included: dict[str, list[str]]) -> dict[str, str]:
    """Node id -> the menu (named after its context) it is part of: a node written in that context, or in
    a context only that menu's context includes (`included`: each menu context's includes, all the way down)."""
    owners: dict[str, set[str]] = {}
    for node_id, menu in menus.items():
        if node_id == menu.context:
            for context in [menu.context, *included.get(menu.context, [])]:
                owners.setdefault(context, set()).add(node_id)
    parts = {}
    for node_id, place in places.items():
        found = owners.get(place.context, set())
        if len(found) == 1 and node_id not in found:
            parts[node_id] = next(iter(found))
    return parts
