"""A menu as read from its files: the menu, and what reading them found.

The Menu is what callers meet. What the reader noticed on the way is not
part of it, and travels beside it in a Document for the linter: keys
written twice in one mapping (the ``duplicate-key`` rule), what an
importer could not model or found broken (``opaque-step``,
``broken-entry``), and the text of each file read, where the linter finds
suppression comments. Commands that only run the menu (simulate, analyze)
take ``document.menu``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ivrlint.location import Location
from ivrlint.menu.model import Menu
from ivrlint.menu.phrases import Phrases


@dataclass
class Duplicate:
    """A key written twice in one mapping; the first one is kept."""

    key: str
    where: str  # what the mapping is, e.g. "menu 'main'" or "nodes"
    loc: Location
    first: Location


@dataclass(frozen=True)
class Note:
    """Something a reader found in a platform's file, for the rule `rule` (a slug) to report."""

    rule: str
    message: str
    loc: Location
    node_id: str | None = None
    #: the finding's severity when it is not the rule's own (platform-warning: "error"
    #: for a skipped line that leaves a step with nothing to run)
    severity: str | None = None


@dataclass(frozen=True)
class Comment:
    """A comment in a platform's file (XML ``<!-- -->``, dialplan ``;``, Archy YAML ``#``).

    The importer's parser knows what is a comment in its syntax; the linter
    reads suppression directives (``ivrlint: disable=RULE``) out of `body`.
    """

    file: str
    line: int
    column: int  # 1-based column where `body` starts, after the comment marker
    body: str  # the comment's text without its markers
    #: for a comment alone on its line, the next line that holds content
    #: (what a ``disable=`` there covers); None for a comment after content
    target: int | None = None


@dataclass
class Document:
    """One phone line as read: its menu, and what the linter needs of the reading."""

    menu: Menu
    duplicates: list[Duplicate] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    #: file -> its text, for the files whose comments may hold suppressions
    texts: dict[str, str] = field(default_factory=dict)
    #: comments of platform files, read by their importer, where suppressions may be
    comments: list[Comment] = field(default_factory=list)
    #: how fix hints are written for these files (the importer's platform, or YAML)
    phrases: Phrases = field(default_factory=Phrases)


def relabel(document: Document, labels: dict[str, str]) -> None:
    """Name the files of `document` by `labels` (path read -> name to show) wherever it mentions them.

    For a line read from copies (a git revision's files, an editor's unsaved
    text): every Location, the menu's file and the texts' keys then name the
    file the user knows, never the scratch copy."""
    _relabel(document, labels, set())


def _relabel(value: object, labels: dict[str, str], seen: set[int]) -> object:
    """`value` with its places renamed: records, lists and dicts in place (they may be shared), the rest anew."""
    if isinstance(value, Location):
        return dataclasses.replace(value, file=labels.get(value.file, value.file))
    if isinstance(value, str):
        return labels.get(value, value)
    if isinstance(value, tuple):
        return tuple(_relabel(item, labels, seen) for item in value)
    if id(value) in seen:
        return value
    seen.add(id(value))
    if isinstance(value, list):
        value[:] = [_relabel(item, labels, seen) for item in value]
    elif isinstance(value, dict):
        items = [(_relabel(k, labels, seen), _relabel(v, labels, seen)) for k, v in value.items()]
        value.clear()
        value.update(items)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for record_field in dataclasses.fields(value):
            renamed = _relabel(getattr(value, record_field.name), labels, seen)
            object.__setattr__(value, record_field.name, renamed)  # frozen records (Note, Comment) too
    return value
