"""A place in a source file: what every finding and error points at.

A true leaf (it imports nothing of ivrlint's), so that errors, the menu
model and the importers can all name places without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A place in a source file; line and column count from 1."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"
