"""Fix hints written as Twilio Studio widgets, transitions and properties.

A finding on a Studio flow tells the author what to change in the flow
editor or its JSON: a transition of a ``split-based-on`` ("for Digits
equal to 0"), the timeout transition of a ``gather-input-on-call``, a
property such as ``"timeout": 5`` (seconds) or ``"loop": 3`` (plays of
the prompt, the first one counted). Widgets are named by their type and
name; the nodes the import made for a transition that leads nowhere
(``gather_main.timeout``) are named by that transition, never by their
made-up ids.
"""

from __future__ import annotations

from dataclasses import dataclass

from ivrlint.importers.twilio.flows import Flow
from ivrlint.menu.model import Node
from ivrlint.menu.phrases import Phrases

#: Where to send callers when the flow leads to no person yet.
PERSON_WIDGETS = "a `send-to-flex` or `connect-call-to` widget"


@dataclass(frozen=True)
class Made:
    """What a node the import made up (no widget of that name) stands for."""

    widget: str  # the widget whose transition it is
    event: str
    words: str  # how a finding names it: "the 'timeout' transition of widget 'gather_main'"


class StudioPhrases(Phrases):
    """Fix hints as Studio widgets, transitions and properties."""

    platform = "Twilio Studio flow JSON"

    def __init__(self, flow: Flow | None = None, menus: dict[str, str | None] | None = None,
                 made: dict[str, Made] | None = None):
        # the type of each widget, by name: all a finding says of it (the flow itself, with its JSON, is not kept
        # for as long as the findings are)
        self.types = {name: widget.type for name, widget in flow.widgets.items()} if flow is not None else {}
        self.menus = menus or {}  # gather node -> the split-based-on that holds its keys (None: it has none)
        self.made = made or {}

    def widget(self, name: str) -> str:
        """A widget by its type and name ("gather-input-on-call 'gather_main'")."""
        found = self.types.get(name)
        return f"{found} '{name}'" if found is not None else f"widget '{name}'"

    def name(self, node: Node) -> str:
        return self.node(node)

    def node(self, node: Node) -> str:
        made = self.made.get(node.id)
        return f"the end of the call at {made.words}" if made else self.widget(node.id)

    def part_of(self, node_id: str) -> str | None:
        made = self.made.get(node_id)
        if made is None:
            return None
        holders = [gather for gather, split in self.menus.items() if split == made.widget]
        return holders[0] if holders else made.widget

    def _to(self, target: str | None) -> str:
        if target is None:
            return PERSON_WIDGETS
        made = self.made.get(target)
        return f"where {made.words} leads" if made else self.widget(target)

    def add_option(self, node: Node, key: str, target: str | None) -> str:
        split = self.menus.get(node.id)
        if split is None:
            return (f"add a `split-based-on` on {{{{widgets.{node.id}.Digits}}}} after '{node.id}', with a transition "
                    f"for Digits equal to {key} to {self._to(target)}")
        return f"add a `split-based-on` transition for Digits equal to {key} to '{split}', leading to {self._to(target)}"

    def add_repeat(self, node: Node, key: str | None) -> str:
        split = self.menus.get(node.id)
        digits = f"equal to {key}" if key else "equal to a free key"
        where = f"to '{split}'" if split else f"to a `split-based-on` on {{{{widgets.{node.id}.Digits}}}}"
        return f"add a transition for Digits {digits} {where} that leads back to '{node.id}'"

    def add_failure(self, node: Node, target: str | None) -> str:
        split = self.menus.get(node.id)
        ways = f"the '{node.id}' widget's timeout transition"
        if split:
            ways += f" and the noMatch transition of '{split}'"
        return f"connect {ways} to {self._to(target)}"

    def set_timeout(self, node: Node | None, seconds: float) -> str:
        value = f"`\"timeout\": {seconds:g}`"
        if node is None:
            return f"set {value} (seconds) in the properties of each gather-input-on-call"
        return f"set {value} (seconds) in the properties of '{node.id}'"

    def set_retries(self, node: Node | None, retries: int) -> str:
        value = f"`\"loop\": {retries + 1}`"
        where = f"'{node.id}'" if node is not None else "each gather-input-on-call"
        advice = f"set {value} in {where} (how many times the prompt plays before its timeout)"
        if node is not None and node.retries is None:
            advice += " and lead its timeout and noMatch transitions on, not back to it"
        return advice
