"""Ignores from the configuration: ``per-file-ignores``, per file and per node.

A JSON flow has no comments to hold a suppression, so the configuration
says which rules not to report where, as ruff's and flake8's
``per-file-ignores`` do: a glob and the rules, or ``GLOB#NODE`` for one
node of those files (its id as findings give it; for a node an importer
made for part of another, that other's id covers it too). It works for
every kind of file.

``apply`` drops the findings an entry covers and returns, as suppression
comments do, what silenced nothing: an entry (and rule) that matches files
of this phone line, for a rule the run applied, and covered no finding
there, for the ``unused-suppression`` rule to report at the
configuration's line.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ivrlint.lint.findings import Finding
from ivrlint.lint.settings import FileIgnore
from ivrlint.lint.suppressions import Leftover

#: How many "part of" steps lead from a made-up node to the node it was written in, at most.
_MAX_PARTS = 16


@dataclass(frozen=True)
class UnusedIgnore(Leftover):
    """A rule of a per-file-ignores entry that silenced nothing in the files of this line it matches."""

    pattern: str = ""  # the entry as written ("flows/*.json#Main/menu")


def matches_file(ignore: FileIgnore, file: str) -> bool:
    """Whether `file` is one of the files `ignore` names."""
    path = os.path.abspath(file)
    if os.path.isabs(ignore.glob):
        return fnmatch.fnmatch(path, os.path.normpath(ignore.glob))
    relative = os.path.relpath(path, ignore.base)
    if "/" not in ignore.glob and fnmatch.fnmatch(os.path.basename(path), ignore.glob):
        return True
    return fnmatch.fnmatch(relative, os.path.normpath(ignore.glob))


def _node_names(node_id: str | None, part_of: Callable[[str], str | None]) -> set[str]:
    """`node_id` and the nodes it is part of (what a GLOB#NODE entry may name to cover it)."""
    names: set[str] = set()
    while node_id is not None and node_id not in names and len(names) < _MAX_PARTS:
        names.add(node_id)
        node_id = part_of(node_id)
    return names


def apply(
    findings: Iterable[Finding],
    ignores: list[FileIgnore],
    selected: set[str],
    resolve: Callable[[str], str | None],
    files: set[str],
    part_of: Callable[[str], str | None],
) -> tuple[list[Finding], list[Leftover]]:
    """The findings no entry covers, and the (entry, rule) pairs that covered none in `files`.

    `selected` holds the slugs of the rules this run applied; `resolve` turns
    a rule as written into its slug; `files` are the files of the phone line
    (an entry that matches none of them may be meant for another line)."""
    if not ignores:
        return list(findings), []
    rules = [{resolve(name) for name, _ in ignore.rules} for ignore in ignores]
    matched: dict[str, list[int]] = {}  # file -> the entries that name it
    used: set[tuple[int, str]] = set()
    kept = []
    for finding in findings:
        if finding.file not in matched:
            matched[finding.file] = [i for i, ignore in enumerate(ignores) if matches_file(ignore, finding.file)]
        names = _node_names(finding.node, part_of)
        covering = [i for i in matched[finding.file]
                    if finding.rule in rules[i] and (ignores[i].node is None or ignores[i].node in names)]
        used.update((i, finding.rule) for i in covering)
        if not covering:
            kept.append(finding)
    relevant = {i for i, ignore in enumerate(ignores) if any(matches_file(ignore, file) for file in files)}
    leftovers: list[Leftover] = []
    for i in sorted(relevant):
        ignore = ignores[i]
        for name, where in ignore.rules:
            slug = resolve(name)
            if slug in selected and (i, slug) not in used:
                loc = where or ignore.loc
                if loc is not None:
                    leftovers.append(UnusedIgnore(loc, "unused-ignore", name, pattern=ignore.pattern))
    return kept, leftovers
