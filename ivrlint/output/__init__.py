"""Views over one list of findings: one module per --format."""

from __future__ import annotations

from importlib import import_module
from typing import TextIO

from ..findings import Finding

#: --format name -> module under ivrlint.output with render(report, stream)
FORMATS = {"text": "text", "json": "json_format"}


class Report:
    """What a check run found: findings, unreadable files, files read."""

    def __init__(self, findings: list[Finding], errors: list[str], files: list[str]):
        self.findings = findings
        self.errors = errors  # one line each, "file:line:col: error: ..."
        self.files = files


def render(report: Report, fmt: str, stream: TextIO, color: bool = False) -> None:
    module = import_module(f"{__name__}.{FORMATS[fmt]}")
    module.render(report, stream, color=color)
