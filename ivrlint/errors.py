"""Errors a user can act on: input that cannot be read, or a command used wrongly.

Every error renders as one line, ``file:line:col: error: what is wrong; what
to write instead``, and the command line turns it into exit status 2.
"""

from __future__ import annotations

from collections.abc import Iterable

from ivrlint.location import Location


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
            out.append(f"{where}: error: {message}" if where else f"error: {message}")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


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
    """A command line or configuration that cannot be carried out."""


def write_error(path: str, exc: OSError) -> UsageError:
    """The one line for a file that could not be written (read-only folder, full disk, name too long)."""
    return UsageError(f"cannot write {path}: {exc.strerror or exc}")
