"""Settings of a lint run: which rules, at what severity, with which options.

Plain data, and a leaf of the lint package: the rules read it (the
reserved-key profile, their options) and ``config`` builds it from the
user's files after checking rule names against the rules, so neither
imports the other's module in a circle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ivrlint.location import Location

#: What a reserved key does, the same in every menu of a line.
RESERVED_ROLES = ("person", "back", "repeat", "top", "end")

#: The default reserved-key profile (docs/sources.md#design-rules-with-numbers):
#: 0 for a person (GetHuman rule 1; ETSI ETR 096 names 0 the operator key),
#: * to go back and # to end an entry (ISO/IEC 13714), 9 to repeat
#: (sipXconfig and FreeSWITCH demo defaults). No key goes to the top menu.
DEFAULT_RESERVED_KEYS = {"person": "0", "back": "*", "repeat": "9", "end": "#"}


@dataclass(frozen=True)
class FileIgnore:
    """One ``per-file-ignores`` entry: rules not reported in the files `glob` matches,
    or only at node `node` of them (written ``GLOB#NODE``).

    A relative `glob` is matched against a file's path from `base` (the
    configuration's directory), and one without a ``/`` against its name too;
    ``*`` matches across folders, as in ``exclude``.
    """

    pattern: str  # as written in the configuration
    glob: str
    node: str | None
    rules: tuple[tuple[str, Location | None], ...]  # each rule as written (slug or code), and where
    base: str
    loc: Location | None = None  # where the entry is written


@dataclass
class Settings:
    #: rules to run (slugs or codes); None means every rule
    select: list[str] | None = None
    #: rules never to run
    ignore: list[str] = field(default_factory=list)
    #: per-rule severity overrides: slug -> info|warning|error
    severity: dict[str, str] = field(default_factory=dict)
    #: per-rule options: slug -> {option: value}
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: paths (globs) not to check when a directory is given
    exclude: list[str] = field(default_factory=list)
    #: the reserved-key profile: role (RESERVED_ROLES) -> DTMF key
    reserved_keys: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_RESERVED_KEYS))
    #: rules not reported in some files, or at some nodes of them (``per-file-ignores``)
    per_file_ignores: list[FileIgnore] = field(default_factory=list)
    #: where these settings were read from, for messages
    source: str | None = None
