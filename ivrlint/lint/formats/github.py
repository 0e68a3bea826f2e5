"""GitHub Actions workflow commands: each finding becomes an annotation.

``::error file=F,line=L,col=C,title=S103 dead-end::message`` shows the
message on the line of the pull request's diff. Levels: error, warning,
and notice for info. Values are escaped as the Actions toolkit does
(``%``, CR and LF in the message; also ``:`` and ``,`` in properties), so
a menu's text can never end the command or start another. The summary line
that follows is plain log text.
"""

from __future__ import annotations

from ivrlint.common.text import printable
from ivrlint.lint.formats.paths import relative_path
from ivrlint.lint.formats.text import summary

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(escaped)  # no escape sequence reaches the log


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties) -> str:
    """One workflow command line; properties that are None are left out."""
    props = ",".join(f"{name}={escape_property(str(value))}" for name, value in properties.items() if value is not None)
    return f"::{level} {props}::{escape_data(message)}"


def render(report, stream, color: bool = False) -> None:
    for f in report.findings:
        stream.write(command(LEVELS.get(f.severity, "error"), f.message, file=relative_path(f.file),
                             line=f.line, col=f.column, title=f"{f.code} {f.rule}") + "\n")
    for u in report.unreadable:
        for loc, message in u.problems:
            stream.write(command("error", message, file=relative_path(loc.file if loc else u.file),
                                 line=loc.line if loc else None, col=loc.column if loc else None,
                                 title="unreadable menu") + "\n")
    stream.write(summary(report) + "\n")
