"""One inboundCall flow: its menus and tasks, its settings, its references, where calls start.

Menus and tasks are indexed first (sub-menus too: a ``menuSubMenu`` choice is a
menu of its own), each with the id its name gives. A menu or task is built
only when something a call can reach leads to it: the ``startUpRef``, a
choice, a jump, the flow's error handling. What nothing leads to is reported
once, at its ``- menu:`` or ``- task:`` line, and not built.

Settings, as Architect applies them (docs/sources.md#genesys-architect):

* ``settingsMenu``: ``menuSelectionTimeout`` (10 s unless set) is how long a
  menu waits for a key before it plays again; ``repeatCount`` (3 unless set)
  is how many times it plays. A menu's own ``settingsMenu`` overrides the
  flow's where it does not say ``noValue: true``.
* After the last play the menu's default choice (``defaultChildMenuRef``)
  runs; a menu with none goes to the flow's error handling
  (``settingsErrorHandling``: disconnect, transferToAcd, jumpToMenu,
  jumpToTask, after its ``preHandlingAudio``), which is its ``on_failure``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from yaml.nodes import Node

from ivrlint.importers.genesys.audio import Audio, audio
from ivrlint.importers.genesys.line import Line
from ivrlint.importers.genesys.refs import resolve
from ivrlint.importers.genesys.source import ArchyFile
from ivrlint.importers.genesys.values import Fields, Reader, innermost, seconds, text, whole
from ivrlint.location import Location
from ivrlint.menu.model import DEFAULT_LANGUAGE
from ivrlint.menu.model import Node as MenuNode

#: Architect's defaults for a flow that does not set them (docs/sources.md#genesys-architect).
DEFAULT_SELECTION_TIMEOUT = 10.0
DEFAULT_REPEAT_COUNT = 3
DEFAULT_NO_ENTRY_TIMEOUT = 5.0
_LANGUAGE = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*$")


@dataclass
class MenuSettings:
    """How long a menu waits for a key, how many times it plays, and where each is written."""

    timeout: float
    plays: int
    locs: dict[str, Location] = field(default_factory=dict)


@dataclass
class Part:
    """A menu or a task of the flow."""

    kind: str  # "menu" or "task"
    body: Node  # its mapping
    key: Node  # the key that opens it ('menu:', 'menuSubMenu:', 'task:')
    id: str
    name: str
    queued: bool = False
    entry: str | None = None  # a task's first node, once built
    within: Part | None = None  # the menu a sub-menu is a choice of


class FlowBuild:
    """What one flow file gives the phone line."""

    def __init__(self, line: Line, source: ArchyFile, builders: dict[str, Callable], prefix: str = ""):
        #: what builds a part ("menu", "task") and where calls begin ("enter", "error handling"), by the
        #: modules that build nodes (build.py hands them in, so that they and this one import in one direction)
        self.builders = builders
        self.line, self.source, self.prefix = line, source, prefix
        self.reader = reader = Reader(source)
        self.fields = reader.fields(source.flow, f"'{source.kind}'")
        self.name = self.text("name") or os.path.splitext(os.path.basename(source.path))[0]
        self.language = _language(self.text("defaultLanguage"))
        self.settings = self.menu_settings(self.fields.get("settingsMenu"),
                                           MenuSettings(DEFAULT_SELECTION_TIMEOUT, DEFAULT_REPEAT_COUNT), "the flow")
        self.no_entry_timeout = self._no_entry_timeout()
        self.parts: dict[int, Part] = {}
        self.entered: str | None = None  # where calls begin, once asked
        self._error_handling: tuple[str | None, Location | None] | None = None
        self._placeholder_noted = False
        builders["index"](self)
        self._index_tasks()

    # -- plumbing ----------------------------------------------------------
    def text(self, key: str, fields: Fields | None = None) -> str:
        found = (self.fields if fields is None else fields).get(key)
        return text(found[1]) if found else ""

    def loc(self, node: Node) -> Location:
        return self.reader.loc(node)

    def note(self, rule: str, message: str, node: Node, node_id: str | None = None, severity: str | None = None) -> None:
        self.line.note(rule, message, self.loc(node), node_id, severity)

    def register(self, kind: str, body: Node, key: Node, name: str, within: Part | None = None) -> Part:
        words = f"{kind} '{name}'" if name else f"the {kind} at line {self.loc(key).line}"
        if self.prefix:  # a flow the entry flow transfers to: its menus are named with the flow
            words += f" of flow '{self.name}'"
        part = Part(kind, body, key, self.line.reserve(self.prefix + (name or f"{kind} {self.loc(key).line}"), words), name,
                    within=within)
        self.parts[id(body)] = part
        return part

    def unreached(self) -> None:
        """Report each menu and task no call reaches, once: a sub-menu of an unreached menu is not reported again."""
        for part in self.parts.values():
            if not part.queued and (part.within is None or part.within.queued):
                self.note("unreachable", f"{self.line.words[part.id]} is never reached: no choice, jump, startUpRef "
                          "or error handling leads to it; link it, or remove it", part.key)

    def _index_tasks(self) -> None:
        for item in self.reader.items(self.fields.get("tasks", (None, None))[1], "'tasks'"):
            kind, key, body = self.reader.entry(item, "'tasks'")
            if kind != "task":
                self.reader.refuse(key, f"'tasks' holds '- task:' items; got '{kind}'")
            self.register("task", body, key, self.reader.name(body))

    # -- settings ------------------------------------------------------------
    def menu_settings(self, found: tuple[Node, Node] | None, inherited: MenuSettings, what: str) -> MenuSettings:
        """`inherited`, with what the settingsMenu `found` sets instead."""
        fields = self.reader.fields(found[1], f"'settingsMenu' of {what}") if found else {}
        out = MenuSettings(inherited.timeout, inherited.plays, dict(inherited.locs))
        if "menuSelectionTimeout" in fields:
            written = self.reader.value(fields["menuSelectionTimeout"][1])
            got = seconds(self.reader, written)
            if got is not None:
                out.timeout, out.locs["timeout"] = got, self.loc(innermost(fields["menuSelectionTimeout"][1]))
            elif written.form != "none":
                self._unread(fields["menuSelectionTimeout"][1], "menuSelectionTimeout", what, f"{inherited.timeout:g} s")
        if "repeatCount" in fields:
            written = self.reader.value(fields["repeatCount"][1])
            count = whole(written)
            if count is not None and count >= 1:
                out.plays, out.locs["retries"] = count, self.loc(innermost(fields["repeatCount"][1]))
            elif written.form != "none":
                self._unread(fields["repeatCount"][1], "repeatCount", what, str(inherited.plays))
        return out

    def _unread(self, node: Node, setting: str, what: str, assumed: str) -> None:
        self.note("opaque-step", f"the {setting} of {what} is not a literal the importer reads (an expression?); "
                  f"{assumed} is assumed", node)

    def _no_entry_timeout(self) -> float:
        """Collect Input's no-entry timeout: settingsActionDefaults.collectInput.noEntryTimeout, else Architect's 5 s."""
        defaults = self.reader.fields(self.fields.get("settingsActionDefaults", (None, None))[1], "'settingsActionDefaults'")
        collect = self.reader.fields(defaults.get("collectInput", (None, None))[1], "'collectInput'")
        found = collect.get("noEntryTimeout")
        got = seconds(self.reader, self.reader.value(found[1])) if found else None
        return DEFAULT_NO_ENTRY_TIMEOUT if got is None else got

    # -- what a node says ------------------------------------------------------
    def say(self, node: MenuNode, found: tuple[Node, Node] | None) -> Audio:
        """Give `node` the words of the audio value `found` (or the label of what plays)."""
        heard = audio(self.reader, found[1] if found else None)
        if heard.words is not None:
            node.prompt = {self.language: heard.words}
        elif heard.label is not None and node.label is None:
            node.label = heard.label
        if found is not None and not heard.silent:
            node.locs["prompt"] = self.loc(found[1])
        if heard.placeholder and not self._placeholder_noted and found is not None:
            self._placeholder_noted = True
            self.note("opaque-step", "audio here is a template placeholder ({{...}}), so this file is a template of a "
                      "flow: render it (terraform's templatefile does) to check the words callers hear", found[1], node.id or None)
        return heard

    # -- where calls go ------------------------------------------------------
    def go(self, part: Part) -> str:
        """The target a call reaching `part` goes to (a menu's id; a task's first node, filled in later)."""
        if not part.queued:
            part.queued = True
            self.line.todo.append(lambda: self.builders[part.kind](self, part))
        if part.kind == "menu":
            self.line.constructs.setdefault(part.id, ("menuJumpToMenu", f"targetMenuRef to menu '{part.name}'"))
            return part.id
        return self.line.later(lambda: self._entry(part))

    def _entry(self, part: Part) -> str:
        assert part.entry is not None, "every queued task is built before placeholders are filled in"
        self.line.constructs.setdefault(part.entry, ("menuJumpToTask", f"targetTaskRef to task '{part.name}'"))
        return part.entry

    def refer(self, holder: Node, found: tuple[Node, Node] | None, what: str, kinds: tuple[str, ...] = ("menu", "task")) -> str | None:
        """The target of the reference `found` (key, value) written in `holder`; None, noted, when it names nothing."""
        if found is None or not text(found[1]):
            return None
        written = text(found[1])
        resolved = resolve(self.reader, holder, written)
        part = self.parts.get(id(resolved)) if resolved is not None else None
        if part is None or part.kind not in kinds:
            self.note("broken-entry", f"{what} names '{written}', which is no {' or '.join(kinds)} of this flow; Archy "
                      f"refuses to publish a reference to nothing: {self._refs_here(kinds)}", found[1])
            return None
        return self.go(part)

    def _refs_here(self, kinds: tuple[str, ...]) -> str:
        """What a reference could name instead: the refIds of the flow's menus or tasks."""
        written = [self.text("refId", self.reader.fields(part.body, part.kind)) for part in self.parts.values()
                   if part.kind in kinds and part.within is None]
        written = [ref for ref in written if ref]
        if not written:
            return f"give the {kinds[0]} a refId and name it as /{self.source.kind}/{kinds[0]}s/{kinds[0]}[REFID]"
        shown = ", ".join(written[:5]) + (", ..." if len(written) > 5 else "")
        return f"name one by its refId, as /{self.source.kind}/{kinds[0]}s/{kinds[0]}[REFID] (refIds here: {shown})"

    def enter(self) -> str:
        """Where calls to this flow begin: its initial greeting, then its startUpRef."""
        if self.entered is None:
            self.entered = self.builders["enter"](self)
        return self.entered

    def error_handling(self) -> tuple[str | None, Location | None]:
        """Where the flow's error handling sends a call (None: it disconnects), and where that is written."""
        if self._error_handling is None:
            self._error_handling = self.builders["error handling"](self)
        return self._error_handling


def _language(code: str) -> str:
    """The primary subtag of the flow's defaultLanguage (``en-us`` -> ``en``)."""
    match = _LANGUAGE.match(code)
    return match.group(1).lower() if match else DEFAULT_LANGUAGE
