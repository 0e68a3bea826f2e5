"""Text output: one finding per line, then a summary line."""

from __future__ import annotations

from collections import Counter

COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
RESET, BOLD = "\033[0m", "\033[1m"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render(report, stream, color: bool = False) -> None:
    for f in report.findings:
        severity = f"{COLORS.get(f.severity, '')}{f.severity}{RESET}" if color else f.severity
        where = f"{BOLD}{f.file}:{f.line}:{f.column}:{RESET}" if color else f"{f.file}:{f.line}:{f.column}:"
        stream.write(f"{where} {severity} {f.rule} {f.message}\n")
    counts = Counter(f.severity for f in report.findings)
    parts = [_plural(counts[s], s) for s in ("error", "warning", "info") if counts[s]]
    checked = len(report.files) - len(report.errors)
    summary = (", ".join(parts) if parts else "no problems") + f" in {_plural(checked, 'file')}"
    if report.errors:
        summary += f"; {_plural(len(report.errors), 'file')} could not be read"
    stream.write(summary + "\n")
