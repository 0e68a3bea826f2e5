"""How callers hear a menu's prompts: each language version read once, and
which menus let the caller choose a language. The prompt-wording rules
(U211-U216) read prompts through this, and the caller model times a
language-choice menu by it.

A menu's prompt is read per language: a caller hears the version of the
language they chose, so each version must announce the menu's keys. A
language-choice menu is the exception: nobody has chosen yet, so the
platform plays its versions one after another, and they are read as one
prompt (the Lithuanian version announces 1, the Latvian one 2...).

A menu lets the caller choose a language when at least two of its options
name languages (in their labels or in the words of the prompt that offer
them: "For English", "Lietuviškai", "на русском языке"), when each
language version of its prompt announces one of the menu's keys that no
other version does, or
when its options lead to nodes whose prompts are each in one language, and
not all the same one.

``Hearing(menu)`` answers these questions for one menu and remembers each
answer per node; the linter's Context and the caller model each keep one.
"""

from __future__ import annotations

from dataclasses import dataclass

from ivrlint.language import wording
from ivrlint.location import Location
from ivrlint.menu.model import Menu, Node

#: The `language` of the one version read for a language-choice menu.
ALL_LANGUAGES = "all"


@dataclass
class Version:
    """One language version of a menu's prompt, as a caller hears it."""

    language: str  # a tag, or ALL_LANGUAGES for a language-choice menu
    text: str
    loc: Location | None
    reading: wording.PromptReading

    @property
    def called(self) -> str:
        """How a message names this version: "the lv prompt", "the prompt"."""
        return "the prompt" if self.language == ALL_LANGUAGES else f"the {self.language} prompt"


class Hearing:
    """How callers hear the prompts of one menu; every answer is computed once per node."""

    def __init__(self, menu: Menu):
        self.menu = menu
        self._readings: dict[str, list[Version]] = {}
        self._versions: dict[str, list[Version]] = {}
        self._choice: dict[str, bool] = {}

    def readings(self, node: Node) -> list[Version]:
        """Each language version of `node`'s prompt, read for its keys (one per language)."""
        if node.id not in self._readings:
            self._readings[node.id] = [
                Version(tag, text, node.locs.get(f"prompt.{tag}", node.where("prompt")),
                        wording.read_prompt(text, tag, node.options))
                for tag, text in node.prompt.items()
                if text.strip()
            ]
        return self._readings[node.id]

    def versions(self, node: Node) -> list[Version]:
        """The prompts of `node` as callers hear them: one per language, or one
        for all languages together in a language-choice menu."""
        if node.id not in self._versions:
            each = self.readings(node)
            if len(each) >= 2 and self.is_language_choice(node):
                text = "\n\n".join(v.text for v in each)  # a blank line ends a sentence
                each = [Version(ALL_LANGUAGES, text, node.where("prompt"), wording.read_prompt(text, None, node.options))]
            self._versions[node.id] = each
        return self._versions[node.id]

    def is_language_choice(self, node: Node) -> bool:
        """Does this menu let the caller choose a language? (See the module docstring.)"""
        if node.type != "menu" or len(node.options) < 2:
            return False
        if node.id not in self._choice:
            self._choice[node.id] = (self._names_languages(node) or self._keys_of_their_own(node)
                                     or self._leads_to_languages(node))
        return self._choice[node.id]

    def menus_with_text(self) -> list[Node]:
        """Menus whose prompt is written in the file (a menu whose recording is
        not transcribed cannot be read)."""
        return [n for n in self.menu.nodes.values() if n.type == "menu" and any(t.strip() for t in n.prompt.values())]

    def _names_languages(self, node: Node) -> bool:
        named: dict[str, set[str]] = {}
        for key, option in node.options.items():
            words = [option.label or ""]
            for version in self.readings(node):
                words.extend(a.description for a in version.reading.announced(key))
            tags = set().union(*(wording.languages_named(w) for w in words))
            if tags:
                named[key] = tags
        return len(named) >= 2 and len(set().union(*named.values())) >= 2

    def _keys_of_their_own(self, node: Node) -> bool:
        keys = {v.language: {a.key for a in v.reading.announcements if a.key in node.options}
                for v in self.readings(node)}
        if len(keys) < 2:
            return False
        return all(mine - set().union(*(k for tag, k in keys.items() if tag != language))
                   for language, mine in keys.items())

    def _leads_to_languages(self, node: Node) -> bool:
        languages = set()
        for option in node.options.values():
            target = self.menu.nodes.get(option.goto) if option.goto else None
            if target is None or len(target.prompt) != 1:
                continue
            languages.add(next(iter(target.prompt)))
        return len(languages) >= 2
