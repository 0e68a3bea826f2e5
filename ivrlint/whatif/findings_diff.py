"""Which lint findings a menu change introduced and which it fixed.

Findings are matched by what they say, not where: the rule, the node and the
message with file names and positions taken out. An edit above a finding
moves its line without changing the finding, and a review must not call
that "one fixed, one new". When the same finding occurs several times (two
duplicate keys in one menu), the counts are compared, so one more of them
is one new finding.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ivrlint.lint.findings import Finding

#: Positions a message may quote: "line 12", "lines 3-4", "col 5", "12:3", "file.yaml:12:3".
_POSITION = re.compile(r"\b(?:lines?|col(?:umn)?)\s+\d+(?:\s*-\s*\d+)?|\b\d+:\d+(?::\d+)?\b")
_SPACE = re.compile(r"\s+")


def normalise(message: str, files: Iterable[str] = ()) -> str:
    """The message without file names, positions and spacing differences."""
    for file in sorted(set(f for f in files if f), key=len, reverse=True):
        message = message.replace(file, "<file>")
    message = _POSITION.sub("#", message)
    return _SPACE.sub(" ", message).strip()


def finding_key(finding: Finding, files: Iterable[str] = ()) -> tuple:
    """What makes two findings "the same" across versions of a menu."""
    return (finding.rule, finding.node or "", normalise(finding.message, files))


def diff_findings(base: list[Finding], head: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(new, fixed): head findings with no match in base, and base findings gone from head.

    The base menu is often read under another name (``menu.yaml@HEAD~1``);
    both files' names are taken out of messages before matching.
    """
    files = {f.file for f in base} | {f.file for f in head}
    base_keys = Counter(finding_key(f, files) for f in base)
    head_keys = Counter(finding_key(f, files) for f in head)
    new = _surplus(head, head_keys - base_keys, files)
    fixed = _surplus(base, base_keys - head_keys, files)
    return new, fixed


def _surplus(findings: list[Finding], extra: Counter, files: set[str]) -> list[Finding]:
    """The last `extra[key]` findings of each key: the ones with no partner on the other side."""
    out = []
    for finding in reversed(findings):
        key = finding_key(finding, files)
        if extra[key] > 0:
            extra[key] -= 1
            out.append(finding)
    return sorted(out, key=Finding.sort_key)
