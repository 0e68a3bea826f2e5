"""The rule registry: one module per rule, listed here.

A rule module (see ``dead_end.py`` for a small one) has:

* its documentation as the module docstring, with the sections
  "What it checks", "Why it matters", "Options", and the menu snippets
  "Fails::" and "Passes::" (tests run the rule on both snippets);
* constants ``CODE`` (stable, e.g. ``S103``), ``SLUG`` (e.g. ``dead-end``),
  ``SEVERITY`` (default), ``SUMMARY`` (one line), ``OPTIONS`` (name ->
  default value);
* ``check(ctx, options)``, a generator of ``(location, node_id, message)``,
  or of ``(location, node_id, message, severity)`` for a finding that is
  graver (or milder) than the rule's default; a severity the user sets for
  the rule in the configuration overrides both.

Every finding comes from a rule's ``check()``: what the reader of the
menu's files noted for a rule (an importer's opaque steps and broken
entries, keys written twice) is in ``ctx.document``, and the rule yields it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from importlib import import_module
from types import ModuleType
from typing import Any

import networkx as nx

from ivrlint.language.hearing import Hearing
from ivrlint.lint.settings import Settings
from ivrlint.lint.suppressions import Leftover
from ivrlint.location import Location
from ivrlint.menu import digraph as graphs
from ivrlint.menu.document import Document, Note
from ivrlint.menu.model import Menu, Node
from ivrlint.menu.phrases import Phrases

#: The rules, in the order `ivrlint rules` lists them.
RULE_MODULES = (
    # structure (S1xx): errors by default
    "unknown_target",
    "unknown_queue",
    "dead_end",
    "unreachable",
    "trap_loop",
    "no_human_path",
    "duplicate_key",
    "invalid_key",
    # usability (U201-U210): what callers go through; warnings by default
    "no_zero_out",
    "human_too_far",
    "too_deep",
    "too_many_options",
    "hangup_on_failure",
    "retries",
    "timeout_range",
    "no_repeat",
    "key_gaps",
    "inconsistent_keys",
    # prompt wording (U211-U216): what the prompts say, in any language
    "unannounced_option",
    "phantom_option",
    "misleading_human_option",
    "key_before_action",
    "long_prompt",
    "missing_language_choice",
    # traffic (T3xx): use the exact analysis; silent on menus without traffic
    "intent_shares",
    "unreachable_goal",
    "no_agents",
    "overloaded_queue",
    "long_wait_no_callback",
    "behaviour",
    "closed_pool",
    "silent_wait",
    # imports (I4xx): what an importer found in a platform's file
    "opaque_step",
    "broken_entry",
    "platform_warning",
    # the linter itself (L0xx): run last, over what the other rules found
    "unused_suppression",
)

#: (location, node id, message), or with a fourth element: that finding's severity
Problem = tuple[Location | None, str | None, str] | tuple[Location | None, str | None, str, str]


@dataclass(frozen=True)
class Rule:
    code: str
    slug: str
    severity: str
    summary: str
    options: dict[str, Any]
    doc: str
    check: Callable[[Context, dict], Iterator[Problem]]

    @classmethod
    def from_module(cls, module: ModuleType) -> Rule:
        return cls(
            code=module.CODE,
            slug=module.SLUG,
            severity=module.SEVERITY,
            summary=module.SUMMARY,
            options=dict(getattr(module, "OPTIONS", {})),
            doc=(module.__doc__ or "").strip(),
            check=module.check,
        )


_RULES: list[Rule] = []


def all_rules() -> list[Rule]:
    """Every rule, in registry order."""
    if not _RULES:
        _RULES.extend(Rule.from_module(import_module(f"{__name__}.{name}")) for name in RULE_MODULES)
    return _RULES


def find_rule(name: str) -> Rule | None:
    """The rule with this slug or code, else None."""
    for rule in all_rules():
        if name in (rule.slug, rule.code) or name.upper() == rule.code:
            return rule
    return None


def closest_rule(name: str) -> str | None:
    """The slug or code most like `name` (a misspelt rule), else None."""
    names = [r.slug for r in all_rules()] + [r.code for r in all_rules()]
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return close[0] if close else None


@dataclass
class Context:
    """What rules look at: the document (its menu and what reading it found),
    the run's settings, and answers computed once and shared."""

    document: Document
    settings: Settings = field(default_factory=Settings)
    cache: dict = field(default_factory=dict)
    #: for the linter's own rules (L0xx), which run after the others: what the
    #: suppression comments left unused once applied to the other findings
    leftovers: list[Leftover] = field(default_factory=list)

    @property
    def menu(self) -> Menu:
        return self.document.menu

    @property
    def phrases(self) -> Phrases:
        """How fixes and nodes are worded for the files the menu came from."""
        return self.document.phrases

    def named(self, node_id: str) -> str:
        """A node the finding mentions in passing, named as the menu's files name it."""
        node = self.menu.nodes.get(node_id)
        return self.phrases.name(node) if node is not None else f"'{node_id}'"

    def notes(self, rule: str) -> list[Note]:
        """What the reader of the menu's files noted for the rule `rule` (a slug)."""
        return [note for note in self.document.notes if note.rule == rule]

    @cached_property
    def graph(self) -> nx.DiGraph:
        return graphs.build_graph(self.menu)

    @cached_property
    def reachable(self) -> set[str]:
        """Nodes a call can reach from the start node."""
        return graphs.reachable_from(self.graph, self.menu.start)

    @cached_property
    def person_hops(self) -> dict[str, int]:
        """For each node that can reach a person: fewest moves to one."""
        return graphs.hops_to(self.graph, graphs.people(self.graph))

    @cached_property
    def hearing(self) -> Hearing:
        """How callers hear each node's prompts (the wording rules read them through it)."""
        return Hearing(self.menu)

    def first_reached(self, stop: Callable[[Node], bool]) -> list[Node]:
        """The nodes for which `stop` holds that a call reaches first from the start (never through a menu)."""
        return graphs.first_reached(self.menu, self.graph, stop)

    def node_loc(self, node_id: str) -> Location | None:
        node = self.menu.nodes.get(node_id)
        return node.loc if node else self.menu.loc
