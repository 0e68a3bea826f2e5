"""Fix hints written as FreeSWITCH IVR XML.

A finding on a FreeSWITCH line tells the author what to write in the
``<menu>``: an ``<entry action="..." digits="..." param="..."/>``, an
attribute such as ``timeout="5000"`` (milliseconds) or
``max-failures="3"`` (tries, not retries). Menus are named by their
``name``. The nodes the importer made for what an entry or an attribute
runs (``main.1``, ``main.failure``) are named by that construct ("the
entry for digit 1 of menu 'main'"), never by their made-up ids; an
entry to one of them repeats what its own entry says.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from ivrlint.menu.model import Node
from ivrlint.menu.phrases import Phrases

#: What to write for an agent when the menu leads to none yet.
AGENT_APPLICATION = "callcenter QUEUE@$${domain}"


@dataclass(frozen=True)
class Made:
    """A node the importer made from part of a ``<menu>``."""

    menu: str  # the name of the <menu> it is part of
    words: str  # how a finding names it: "the entry for digit 1 of menu 'main'"
    #: (action, param) of an <entry> that does what it does: ("menu-exec-app", "transfer 1000 XML default");
    #: param None for an action that takes none (menu-exit)
    entry: tuple[str, str | None]


def entry_xml(action: str, digits: str, param: str | None = None) -> str:
    """``<entry action="..." digits="..." param="..."/>``, values escaped as XML attributes."""
    attrs = [("action", action), ("digits", digits)] + ([("param", param)] if param is not None else [])
    return "<entry " + " ".join(f'{name}="{_attr(value)}"' for name, value in attrs) + "/>"


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


class FreeSwitchPhrases(Phrases):
    """Fix hints as ``<entry>`` elements and ``<menu>`` attributes."""

    platform = "FreeSWITCH IVR XML"

    def __init__(self, start: str = "", made: dict[str, Made] | None = None):
        self.start = start  # the menu the `ivr` application runs: menu-top goes back to it
        self.made = made or {}

    def name(self, node: Node) -> str:
        return self.node(node)

    def node(self, node: Node) -> str:
        made = self.made.get(node.id)
        return made.words if made else f"menu '{node.id}'" if node.type == "menu" else super().node(node)

    def part_of(self, node_id: str) -> str | None:
        made = self.made.get(node_id)
        return made.menu if made else None

    def entry_to(self, target: str) -> tuple[str, str | None]:
        """(action, param) of an entry that leads where node `target` is: what its own entry runs, else a menu-sub to it."""
        made = self.made.get(target)
        if made is not None:
            return made.entry
        return ("menu-top", None) if target == self.start else ("menu-sub", target)

    def add_option(self, node: Node, key: str, target: str | None) -> str:
        if target is None:
            return f"add {entry_xml('menu-exec-app', key, AGENT_APPLICATION)} for an agent queue"
        action, param = self.entry_to(target)
        return f"add {entry_xml(action, key, param)}"

    def add_repeat(self, node: Node, key: str | None) -> str:
        # menu-top plays the first menu again; a menu-sub naming the menu itself replays any menu
        digits = key or "KEY"
        if node.id == self.start:
            return f"add {entry_xml('menu-top', digits)}"
        return f"add {entry_xml('menu-sub', digits, node.id)}"

    def add_failure(self, node: Node, target: str | None) -> str:
        application = self.application_for(target) if target is not None else AGENT_APPLICATION
        return f'set exec-on-max-failures and exec-on-max-timeouts to "{_attr(application)}"'

    def application_for(self, target: str) -> str:
        """The application that sends a call to `target`, as exec-on-max-failures runs it."""
        action, param = self.entry_to(target)
        if action == "menu-exec-app" and param:
            return param
        if action == "menu-play-sound" and param:
            return f"playback {param}"
        if action in ("menu-sub", "menu-top"):
            return f"ivr {param or self.start}"
        return "hangup"

    def set_timeout(self, node: Node | None, seconds: float) -> str:
        value = f'timeout="{round(seconds * 1000)}"'
        if node is None:
            return f"set {value} on each <menu> without one (FreeSWITCH waits 10000 ms there)"
        return f"set {value}"

    def set_retries(self, node: Node | None, retries: int) -> str:
        # FreeSWITCH counts tries: the first and then `retries` more
        value = f'max-failures="{retries + 1}" and max-timeouts="{retries + 1}"'
        if node is None:
            return f"set {value} on each <menu> without them (FreeSWITCH allows 3 tries there)"
        return f"set {value}"


def digit_words(digits: str) -> str:
    """'digit 1', 'digits 11', 'digits /^(10[01][0-9])$/'."""
    return f"digit {digits}" if len(digits) == 1 else f"digits {digits}"
