"""Views over one list of findings: one module per --format."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib import import_module
from typing import Optional, TextIO
from urllib.parse import quote

from ..errors import InputError
from ..findings import Finding
from ..model import Location

#: --format name -> module under ivrlint.output with render(report, stream, color)
FORMATS = {"text": "text", "json": "json_format", "sarif": "sarif", "github": "github", "junit": "junit"}


@dataclass
class Unreadable:
    """A phone line whose files could not be read as a menu, and why."""

    files: list[str]  # one YAML file, or the files of one platform's line
    problems: list[tuple[Optional[Location], str]]  # where (when known) and what
    lines: list[str]  # the same, as printed: "file:line:col: error: ..."

    @classmethod
    def from_error(cls, exc: InputError, files: list[str]) -> "Unreadable":
        return cls(list(files), list(exc.problems), exc.lines())

    @property
    def file(self) -> str:
        """The file to point at when a problem has no location of its own."""
        return self.files[0]


@dataclass
class Report:
    """What a check run found: findings, unreadable phone lines, files given."""

    findings: list[Finding]
    unreadable: list[Unreadable] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """Every line saying why a file could not be read."""
        return [line for u in self.unreadable for line in u.lines]

    def unreadable_files(self) -> int:
        return sum(len(u.files) for u in self.unreadable)


def render(report: Report, fmt: str, stream: TextIO, color: bool = False) -> None:
    module = import_module(f"{__name__}.{FORMATS[fmt]}")
    module.render(report, stream, color=color)


#: Control characters (C0, DEL, C1) as a menu's double-quoted strings can hold them.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def plural(n: int, word: str) -> str:
    """'1 agent', '2 agents', '0 files': a count with its noun (regular plurals only)."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def printable(text: str) -> str:
    """`text` with control characters written as escapes (\\n, \\x1b).

    Menu names and prompts reach messages; a newline in one must not split a
    finding's line, nor an escape sequence reach the terminal.
    """
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(0), f"\\x{ord(m.group(0)):02x}"), text)


def relative_path(path: str) -> str:
    """`path` relative to the current directory, with forward slashes.

    CI annotations and SARIF locations are read relative to the checkout,
    which is where CI runs ivrlint. A path outside it stays absolute.
    """
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # another drive on Windows
        relative = absolute
    if relative.startswith(os.pardir + os.sep) or relative == os.pardir:
        relative = absolute
    return relative.replace(os.sep, "/")


def file_uri(path: str) -> str:
    """A URI reference for `path`: relative (percent-encoded) inside the current directory, else file://."""
    relative = relative_path(path)
    if os.path.isabs(relative) or relative.startswith("/"):
        absolute = relative if relative.startswith("/") else "/" + relative
        return "file://" + quote(absolute, safe="/:")
    return quote(relative)
