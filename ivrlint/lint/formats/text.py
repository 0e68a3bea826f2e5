"""Text output: one finding per line, then a summary line."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from typing import TextIO

from ivrlint.common.text import plural, printable

COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
RESET, BOLD = "\033[0m", "\033[1m"


def use_color(stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """Colour on a terminal only, as CPython decides it for its own output.

    NO_COLOR (set and not empty, no-color.org) turns it off, then
    FORCE_COLOR (set and not empty) turns it on even in a pipe or a CI log;
    TERM=dumb turns it off.
    """
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def summary(report) -> str:
    """'2 errors, 1 warning in 3 files; 1 file could not be read', or '1 file could not be read' alone
    when no file was read (not 'no problems in 0 files', which reads as a pass)."""
    counts = Counter(f.severity for f in report.findings)
    parts = [plural(counts[s], s) for s in ("error", "warning", "info") if counts[s]]
    unreadable = report.unreadable_files()
    read = len(report.files) - unreadable
    checked = (", ".join(parts) if parts else "no problems") + f" in {plural(read, 'file')}"
    if not unreadable:
        return checked
    not_read = f"{plural(unreadable, 'file')} could not be read"
    return not_read if read == 0 and not parts else f"{checked}; {not_read}"


def render(report, stream, color: bool = False) -> None:
    for f in report.findings:
        severity = f"{COLORS.get(f.severity, '')}{f.severity}{RESET}" if color else f.severity
        file = printable(f.file)  # a file named "x\n::error::y.yaml" in the repository stays on its line
        where = f"{BOLD}{file}:{f.line}:{f.column}:{RESET}" if color else f"{file}:{f.line}:{f.column}:"
        stream.write(f"{where} {severity} {f.rule} {printable(f.message)}\n")
    stream.write(summary(report) + "\n")
