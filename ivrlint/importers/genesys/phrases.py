"""Fix hints in the words of Archy YAML: choices on ``digit_N``, ``settingsMenu``, ``defaultChildMenuRef``.

A finding about an imported flow names what its author wrote: ``menu 'Main
Menu'``, ``menuTransferToAcd 'Sales' of menu 'Main Menu'``, ``playAudio
'Closed' in task 'Check Hours'`` (the reading keeps, for each node id, the
words for the construct it came from), and says what to write in the flow:
``add a `menuTransferToAcd` choice on digit_0 to menu 'Main Menu'``.
"""

from __future__ import annotations

from ivrlint.menu.model import Node
from ivrlint.menu.phrases import Phrases

#: Archy's name of each phone key, as a choice's ``dtmf`` writes it.
DIGITS = {**{str(n): f"digit_{n}" for n in range(10)}, "*": "digit_star", "#": "digit_pound"}


class ArchyPhrases(Phrases):
    """Fix hints for a Genesys Cloud Architect flow written in Archy YAML."""

    platform = "Genesys Cloud Archy YAML"

    def __init__(self, words: dict[str, str] | None = None, constructs: dict[str, tuple[str, str]] | None = None,
                 parts: dict[str, str] | None = None, flow: str = ""):
        self.words = dict(words or {})  # node id -> how the flow names it
        self.constructs = dict(constructs or {})  # node id -> (the choice that leads there, what it names)
        self.parts = dict(parts or {})  # node id -> the menu whose choice it was made from
        self.flow = flow  # the entry flow's name

    def part_of(self, node_id: str) -> str | None:
        return self.parts.get(node_id)

    def name(self, node: Node) -> str:
        return self.node(node)

    def node(self, node: Node) -> str:
        return self.words.get(node.id) or f"{node.type} '{node.id}'"

    def _named(self, target: str) -> str:
        return self.words.get(target, f"'{target}'")

    def add_option(self, node: Node, key: str, target: str | None) -> str:
        digit = DIGITS.get(key, f"the key {key}")
        if target is None:
            return f"add a `menuTransferToAcd` choice on {digit} to {self.node(node)}, with the targetQueue of an agent queue"
        construct, names = self.constructs.get(target, ("menuJumpToTask", f"a task that leads to {self._named(target)}"))
        return f"add a `{construct}` choice on {digit} to {self.node(node)} ({names})"

    def add_repeat(self, node: Node, key: str | None) -> str:
        digit = DIGITS.get(key, "a free key") if key else "a free key"
        return f"add a `menuRepeatMenu` choice on {digit} to {self.node(node)}"

    def add_failure(self, node: Node, target: str | None) -> str:
        goal = f"to {self._named(target)}" if target else "to a person or a closing message"
        if node.type == "menu":
            return (f"set the `defaultChildMenuRef` of {self.node(node)} to a choice that leads {goal} "
                    "(or make the flow's `settingsErrorHandling` a `transferToAcd`)")
        if node.type == "input":
            return f"give the `failure` output of {self.node(node)} actions that lead {goal}"
        return f"make the way out of {self.node(node)} lead {goal}"

    def set_timeout(self, node: Node | None, seconds: float) -> str:
        if node is None:
            return f"set `settingsMenu: menuSelectionTimeout: lit: {{seconds: {seconds:g}}}` of flow '{self.flow}'"
        if node.type == "input":
            return f"set the `noEntryTimeout` of {self.node(node)} to `lit: {{seconds: {seconds:g}}}`"
        return f"set `settingsMenu: menuSelectionTimeout: lit: {{seconds: {seconds:g}}}` in {self.node(node)}"

    def set_retries(self, node: Node | None, retries: int) -> str:
        # Archy counts how often the menu plays (repeatCount 3: the first time and two more), ivrlint the tries after the first
        if node is not None and node.type == "input":  # Collect Input asks once: a retry is a way back to it
            return (f"lead the `failure` output of {self.node(node)} back to it, {retries} times at most "
                    "(a `loop` action around it counts them)")
        where = self.node(node) if node is not None else f"flow '{self.flow}'"
        return f"set `settingsMenu: repeatCount: lit: {retries + 1}` in {where} (it counts every time the menu plays)"
