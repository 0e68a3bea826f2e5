"""Suppression comments in menu files: ``# ivrlint: disable=RULE[,RULE]``.

Reading: ``from_text`` finds the comments (yamlsource.comments tells real
comments from a '#' inside a prompt) and parses their directives into
``Suppression`` records; the lint run reads them from the text of each
file of the document it lints.

Applying: ``apply`` drops the findings a suppression covers and returns
what silenced nothing (an unused rule name, an unknown one, a comment that
is not a directive), for the ``unused-suppression`` rule to report.

* ``disable=...`` at the end of a line covers findings on that line; on a
  line of its own it covers the next line that holds YAML (so several
  comments may stack above one node). When that line is where a node
  starts (``main:``, a ``<menu>``, a ``[context]``), it covers every
  finding reported for that node, wherever in the node it points.
* ``disable-file=...`` anywhere covers the whole file.
* Rules are named by slug or code; text after the list is a free note
  (``# ivrlint: disable=long-prompt  legal text, cannot be cut``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from ivrlint.lint.findings import Finding
from ivrlint.location import Location
from ivrlint.menu.document import Comment
from ivrlint.menu.yamlsource import comments


@dataclass
class Suppression:
    """A ``# ivrlint: disable=RULE[,RULE]`` comment of a menu file.

    It silences the named rules' findings on `line` (the comment's own line,
    or for a comment on a line of its own the next line with content), or in
    the whole file for ``disable-file``. `problem` says why a comment that
    starts with ``ivrlint:`` is not a suppression one can act on.
    """

    loc: Location  # where 'ivrlint:' is written
    rules: list[tuple[str, Location]]  # each rule named, as written, and where
    file_wide: bool = False
    line: int | None = None  # the line it applies to; None when file-wide
    problem: str | None = None



#: 'ivrlint:' right after a comment's '#', then the directive.
_DIRECTIVE = re.compile(r"#\s*ivrlint\s*:\s*(?P<kind>[A-Za-z_-]*)\s*(?P<equals>=?)[ \t]*"
                        r"(?P<names>[A-Za-z0-9_-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_-]+)*)?")
#: The same directive in a comment whose marker the importer has taken off (';', '<!--').
_BODY_DIRECTIVE = re.compile(_DIRECTIVE.pattern.removeprefix("#\\s*"))
_NAME = re.compile(r"[A-Za-z0-9_-]+")
KINDS = ("disable", "disable-file")
USAGE = "write '# ivrlint: disable=RULE[,RULE]' or '# ivrlint: disable-file=RULE[,RULE]'"
#: The same, for a platform file's comment (';', '<!-- -->'), whose marker is the platform's.
BODY_USAGE = "write 'ivrlint: disable=RULE[,RULE]' or 'ivrlint: disable-file=RULE[,RULE]' in the comment"


def from_text(text: str, file: str) -> list[Suppression]:
    """The suppression comments of a YAML menu's text."""
    if "ivrlint" not in text:  # the common case costs one search, not a second scan
        return []
    out = []
    for line, column, body, target in comments(text):
        for match in _DIRECTIVE.finditer(body):
            out.append(_parse(match, file, line, column, target))
    return out


def from_comments(comments: Iterable[Comment]) -> list[Suppression]:
    """The suppression directives in a platform file's comments (XML, dialplan, Archy YAML)."""
    out = []
    for comment in comments:
        text = comment.body.lstrip()
        match = _BODY_DIRECTIVE.match(text)  # the directive opens the comment, as '# ivrlint:' does in YAML
        if match:
            column = comment.column + len(comment.body) - len(text)
            out.append(_parse(match, comment.file, comment.line, column, comment.target, BODY_USAGE))
    return out


def _parse(match: re.Match, file: str, line: int, column: int, target: int | None, usage: str = USAGE) -> Suppression:
    loc = Location(file, line, column + match.start())
    kind = match["kind"]
    if kind not in KINDS:
        return Suppression(loc, [], problem=f"'{kind or match.group(0)}' is not an ivrlint directive; {usage}")
    if not match["equals"] or not match["names"]:
        return Suppression(loc, [], problem=f"'{kind}' names no rule; {usage}")
    base = column + match.start("names")
    names = [(m.group(0), Location(file, line, base + m.start())) for m in _NAME.finditer(match["names"])]
    if kind == "disable-file":
        return Suppression(loc, names, file_wide=True)
    return Suppression(loc, names, line=target if target is not None else line)


@dataclass(frozen=True)
class Leftover:
    """Part of a suppression that silenced nothing, and why."""

    loc: Location
    reason: str  # "unused", "unknown" or "malformed"
    name: str  # the rule as written, or the comment's problem for "malformed"
    file_wide: bool = False
    line: int | None = None  # the line a line suppression applies to
    suggestion: str | None = None  # for an unknown name: the rule it is closest to


#: Where a suppression silences a rule: (file, line, slug), the line None for the whole file.
_Place = tuple[str, int | None, str]


def apply(
    findings: Iterable[Finding],
    suppressions: list[Suppression],
    selected: set[str],
    resolve: Callable[[str], str | None],
    node_starts: Mapping[str, Location] | None = None,
) -> tuple[list[Finding], list[Leftover]]:
    """The findings no suppression covers, and what the suppressions left unused.

    `selected` holds the slugs of the rules this run applied: naming a rule
    that did not run is not an unused suppression. `resolve` turns a name as
    written (slug or code) into a slug, or None for no such rule.
    `node_starts` gives where each node starts, so that a suppression of
    that line covers the node's findings on its other lines too.
    """
    covers, leftovers = _places(suppressions, resolve)
    starts = node_starts or {}
    used: set[tuple[int, str]] = set()  # (id of the suppression, name)
    kept = []
    for finding in findings:
        covering = covers.get((finding.file, finding.line, finding.rule), []) + covers.get((finding.file, None, finding.rule), [])
        start = starts.get(finding.node) if finding.node else None
        if start is not None and (start.file, start.line) != (finding.file, finding.line):
            covering += covers.get((start.file, start.line, finding.rule), [])
        used.update((id(s), name) for s, name in covering)
        if not covering:
            kept.append(finding)
    leftovers.extend(_unused(suppressions, used, selected, resolve))
    return kept, sorted(leftovers, key=lambda left: (left.loc.line, left.loc.column))


def _places(
    suppressions: list[Suppression], resolve: Callable[[str], str | None]
) -> tuple[dict[_Place, list[tuple[Suppression, str]]], list[Leftover]]:
    """Which suppressions (and the rule name each wrote) cover each place, and those that
    can cover nothing: a malformed comment, a name that is no rule."""
    covers: dict[_Place, list[tuple[Suppression, str]]] = {}
    leftovers: list[Leftover] = []
    for s in suppressions:
        if s.problem:
            leftovers.append(Leftover(s.loc, "malformed", s.problem))
            continue
        for name, where in s.rules:
            slug = resolve(name)
            if slug is None:
                leftovers.append(Leftover(where, "unknown", name, s.file_wide, s.line))
            elif s.file_wide:
                covers.setdefault((s.loc.file, None, slug), []).append((s, name))
            else:
                assert s.line is not None, "_parse() gives every suppression but a file-wide one its line"
                covers.setdefault((s.loc.file, s.line, slug), []).append((s, name))
    return covers, leftovers


def _unused(
    suppressions: list[Suppression], used: set[tuple[int, str]], selected: set[str], resolve: Callable[[str], str | None]
) -> Iterator[Leftover]:
    """The rule names that silenced no finding, of the rules that ran (`selected`)."""
    for s in suppressions:
        for name, where in s.rules if not s.problem else ():
            slug = resolve(name)
            if slug in selected and (id(s), name) not in used:
                yield Leftover(where, "unused", name, s.file_wide, s.line)
