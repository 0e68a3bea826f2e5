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

Functions take a ``ctx`` with ``menu``, ``cache`` (a dict where answers are
kept) and, for first_reached, ``graph``: the rules' Context, or the caller
model's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ivrlint.language import wording
from ivrlint.menu.model import Location, Node

#: The `language` of the one version read for a language-choice menu.
ALL_LANGUAGES = "all"


@dataclass
class Version:
    """One language version of a menu's prompt, as a caller hears it."""

    language: str  # a tag, or ALL_LANGUAGES for a language-choice menu
    text: str
    loc: Optional[Location]
    reading: wording.PromptReading

    @property
    def called(self) -> str:
        """How a message names this version: "the lv prompt", "the prompt"."""
        return "the prompt" if self.language == ALL_LANGUAGES else f"the {self.language} prompt"


def _cached(ctx, name: str, node_id: str, compute):
    table = ctx.cache.setdefault(f"wording.{name}", {})
    if node_id not in table:
        table[node_id] = compute()
    return table[node_id]


def readings(ctx, node: Node) -> list[Version]:
    """Each language version of `node`'s prompt, read for its keys (one per language)."""
    def read():
        return [
            Version(tag, text, node.locs.get(f"prompt.{tag}", node.where("prompt")), wording.read_prompt(text, tag, node.options))
            for tag, text in node.prompt.items()
            if text.strip()
        ]
    return _cached(ctx, "readings", node.id, read)


def versions(ctx, node: Node) -> list[Version]:
    """The prompts of `node` as callers hear them: one per language, or one
    for all languages together in a language-choice menu."""
    def combine():
        each = readings(ctx, node)
        if len(each) < 2 or not is_language_choice(ctx, node):
            return each
        text = "\n\n".join(v.text for v in each)  # a blank line ends a sentence
        return [Version(ALL_LANGUAGES, text, node.where("prompt"), wording.read_prompt(text, None, node.options))]
    return _cached(ctx, "versions", node.id, combine)


def is_language_choice(ctx, node: Node) -> bool:
    """Does this menu let the caller choose a language? (See the module docstring.)"""
    if node.type != "menu" or len(node.options) < 2:
        return False
    return _cached(ctx, "choice", node.id, lambda: (
        _names_languages(ctx, node) or _keys_of_their_own(ctx, node) or _leads_to_languages(ctx, node)))


def _names_languages(ctx, node: Node) -> bool:
    named: dict[str, set[str]] = {}
    for key, option in node.options.items():
        words = [option.label or ""]
        for version in readings(ctx, node):
            words.extend(a.description for a in version.reading.announced(key))
        tags = set().union(*(wording.languages_named(w) for w in words))
        if tags:
            named[key] = tags
    return len(named) >= 2 and len(set().union(*named.values())) >= 2


def _keys_of_their_own(ctx, node: Node) -> bool:
    keys = {v.language: {a.key for a in v.reading.announcements if a.key in node.options} for v in readings(ctx, node)}
    if len(keys) < 2:
        return False
    return all(mine - set().union(*(k for tag, k in keys.items() if tag != language)) for language, mine in keys.items())


def _leads_to_languages(ctx, node: Node) -> bool:
    languages = set()
    for option in node.options.values():
        target = ctx.menu.nodes.get(option.goto) if option.goto else None
        if target is None or len(target.prompt) != 1:
            continue
        languages.add(next(iter(target.prompt)))
    return len(languages) >= 2


def first_reached(ctx, stop) -> list[Node]:
    """The nodes for which `stop(node)` holds that a call reaches first from
    the start node, going on past the others (but never through a menu)."""
    nodes, found, seen, todo = ctx.menu.nodes, [], set(), [ctx.menu.start]
    while todo:
        node_id = todo.pop(0)
        if node_id in seen or node_id not in nodes:
            continue
        seen.add(node_id)
        node = nodes[node_id]
        if stop(node):
            found.append(node)
        elif node.type != "menu":
            todo.extend(ctx.graph.successors(node_id))
    return found


def menus_with_text(ctx) -> list[Node]:
    """Menus whose prompt is written in the file (a menu whose recording is
    not transcribed cannot be read)."""
    return [n for n in ctx.menu.nodes.values() if n.type == "menu" and any(t.strip() for t in n.prompt.values())]
