"""Errors a user can act on: input that cannot be read, or a command used wrongly.

Every error renders as one line, ``file:line:col: error: what is wrong; what
to write instead``, and the command line turns it into exit status 2.

One line means one line whatever the input holds: messages quote names,
values and file names from untrusted files, so control characters in them
(a newline, a carriage return, an escape sequence) and Unicode's line and
paragraph separators are written as escapes (``\\n``, ``\\x1b``,
``\\u2028``). A value holding ``"\\n::error::X"`` must not start a line of
its own on stderr, where a CI runner would read it as a workflow command.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ivrlint.location import Location

#: What could end or rewrite a line of output: C0 controls (tab, newline, CR, escape...),
#: DEL, C1 controls (NEL among them) and the Unicode line and paragraph separators.
_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    """`text` with every character that could break or rewrite its line written as an escape.

    >>> one_line("unknown type 'x\\n::error::X'")
    "unknown type 'x\\\\n::error::X'"
    """
    return _BREAKING.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


class InputError(Exception):
    """One or more problems that stop a file from being read as a menu."""

    def __init__(self, problems: Iterable[tuple[Location | None, str]], file: str = ""):
        self.problems = _in_reading_order(list(problems))
        self.file = file
        super().__init__(self.lines()[0] if self.problems else file)

    @classmethod
    def at(cls, loc: Location | None, message: str, file: str = "") -> InputError:
        return cls([(loc, message)], file or (loc.file if loc else ""))

    def lines(self) -> list[str]:
        out = []
        for loc, message in self.problems:
            where = str(loc) if loc else self.file
            out.append(one_line(f"{where}: error: {message}" if where else f"error: {message}"))
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __reduce__(self):
        """Pickled with its problems and file, so an InputError raised in a worker process (a sweep's
        scenario, a replication) reaches the parent as itself: Exception's own pickling would call the
        constructor with the message alone."""
        return (type(self), (self.problems, self.file))


def _in_reading_order(problems: list[tuple[Location | None, str]]) -> list[tuple[Location | None, str]]:
    """Each file's problems by line and column (the loader finds them section by section, not top to
    bottom), files in the order first met; problems with no place keep their order, after the rest."""
    files: dict[str, int] = {}
    for loc, _ in problems:
        if loc is not None:
            files.setdefault(loc.file, len(files))

    def place(problem):
        loc = problem[0]
        return (1, 0, 0, 0) if loc is None else (0, files[loc.file], loc.line, loc.column)

    return sorted(problems, key=place)


class UsageError(Exception):
    """A command line or configuration that cannot be carried out (printed as one line, as InputError)."""

    def __str__(self) -> str:
        return one_line(super().__str__())


def write_error(path: str, exc: OSError) -> UsageError:
    """The one line for a file that could not be written (read-only folder, full disk, name too long)."""
    return UsageError(f"cannot write {path}: {exc.strerror or exc}")
