"""How a fix is written in the files a menu was read from.

A finding's fix hint tells the author what to write. For an ivrlint YAML
menu that is YAML (``add `'9': {action: repeat}```); for a FreeSWITCH
file it is an ``<entry>``, for a dialplan an ``exten =>`` line, for a
cloud flow a block, widget or choice. Rules word their fixes through the
Document's Phrases; each importer gives its Document a subclass that
speaks its platform. This class speaks ivrlint YAML.

Every method returns a phrase that fits after "add"/"set" style advice,
written so it can stand after a semicolon in a finding's message, e.g.
``"menu 'main' has no 0 key; " + phrases.add_option(node, "0", "agent")``.
Node ids in phrases are the ones the author wrote: a platform subclass
names a node the model made up (an entry's inline action) by the
construct it came from, never by its made-up id.
"""

from __future__ import annotations

from ivrlint.menu.model import Node


class Phrases:
    """Fix hints in ivrlint YAML; importers subclass this for their platform."""

    #: what the files are, as a person calls them ("ivrlint YAML", "FreeSWITCH IVR XML")
    platform = "ivrlint YAML"

    def node(self, node: Node) -> str:
        """How a finding names `node`, e.g. "menu 'main'"."""
        return f"{node.type} '{node.id}'"

    def part_of(self, node_id: str) -> str | None:
        """The node whose construct the model made node `node_id` from (a FreeSWITCH
        entry's inline action is part of its menu); None for a node written on its own.

        Rules use it to report a made-up node with the node it belongs to
        (an unreachable menu once, not once more for each of its entries), and
        per-node ignores in the configuration cover a node's parts with it."""
        return None

    def name(self, node: Node) -> str:
        """How a finding names a node it mentions in passing ("goes to 'bye'"). A platform
        whose ids are made up for its constructs names the construct, as `node` does."""
        return f"'{node.id}'"

    def add_option(self, node: Node, key: str, target: str | None) -> str:
        """Advice to give menu `node` a key `key` that goes to node `target` (None: to some agent)."""
        if target is None:
            return f"add a '{key}' option that leads to an agent queue"
        return f"add `'{key}': {target}`"

    def add_repeat(self, node: Node, key: str | None) -> str:
        """Advice to give menu `node` a key that replays its prompt (`key` None: any free key)."""
        return f"add `'{key}': {{action: repeat}}`" if key else "add a key with `{action: repeat}`"

    def add_failure(self, node: Node, target: str | None) -> str:
        """Advice to send callers whose tries at `node` run out to `target` (None: to an agent or a voicemail).

        Fits both a node with no failure path and one whose path hangs up."""
        if target is None:
            return "set an `on_failure` that leads to an agent or a voicemail"
        return f"set `on_failure: {target}`"

    def set_timeout(self, node: Node | None, seconds: float) -> str:
        """Advice to make `node` (None: every node that takes the menu's defaults) wait `seconds` for a key."""
        if node is None:
            return f"set `defaults: {{timeout: {seconds:g}s}}`"
        return f"set `timeout: {seconds:g}s`"

    def set_retries(self, node: Node | None, retries: int) -> str:
        """Advice to let callers try `retries` more times at `node` (None: at every node that takes the defaults)."""
        if node is None:
            return f"set `defaults: {{retries: {retries}}}`"
        return f"set `retries: {retries}`"
