"""Views over one list of findings: one module per --format.

The format modules are loaded by name when asked for (FORMATS); what they
share with each other is in ``paths``, a leaf, so none imports this package
back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import TextIO

from ivrlint.errors import InputError
from ivrlint.lint.findings import Finding
from ivrlint.location import Location

#: --format name -> module of this package with render(report, stream, color)
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
