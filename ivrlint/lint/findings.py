"""A finding: one thing a rule has to say about one place in a menu."""

from __future__ import annotations

from dataclasses import asdict, dataclass

SEVERITIES = ("info", "warning", "error")


def severity_rank(severity: str) -> int:
    """info < warning < error; anything else ranks above error (never hidden)."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


@dataclass(frozen=True)
class Finding:
    rule: str  # the rule's slug, e.g. "dead-end"
    code: str  # the rule's stable code, e.g. "S103"
    severity: str
    message: str
    file: str
    line: int
    column: int
    node: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.code, self.message)
