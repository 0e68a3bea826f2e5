"""Views over one list of findings: one module per --format."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import import_module
from typing import TextIO
from urllib.parse import quote

from ivrlint.errors import InputError
from ivrlint.lint.findings import Finding
from ivrlint.location import Location

#: --format name -> module under ivrlint.output with render(report, stream, color)
FORMATS = {"text": "text", "json": "json_format", "sarif": "sarif", "github": "github", "junit": "junit"}


@dataclass
class Unreadable:
    """A phone line whose files could not be read as a menu, and why."""

    files: list[str]  # one YAML file, or the files of one platform's line
    problems: list[tuple[Location | None, str]]  # where (when known) and what
    lines: list[str]  # the same, as printed: "file:line:col: error: ..."

    @classmethod
    def from_error(cls, exc: InputError, files: list[str]) -> Unreadable:
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
