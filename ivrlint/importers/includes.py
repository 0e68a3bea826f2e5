"""Where a platform file's includes may lead: inside its configuration's directory, or where the user allows.

Asterisk's ``#include`` and FreeSWITCH's ``X-PRE-PROCESS cmd="include"``
name any file, absolute (``#include /etc/shadow``) or relative
(``../../etc/passwd``), and globs. A linter run over files from elsewhere
(a pull request, a customer's export) must not read the machine's other
files through them, nor print what they hold. So an include is followed
only when the file it names, symbolic links resolved, lies inside the
configuration's directory (the directory of the first file named: what
/etc/asterisk is on a live system), or inside a directory the user allows
with ``--include-root DIR``. Anything else is reported at the include line
and not read: not opened, not even looked for, so no message says whether it
exists.

A leaf of the importers package: the platform importers ask it, the
command line sets what it allows for the length of one run (`allowing`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: The directories --include-root allows, resolved, for the run in progress.
_ALLOWED: ContextVar[tuple[str, ...]] = ContextVar("include_roots", default=())
_GLOB_CHARS = re.compile(r"[*?\[]")


@contextmanager
def allowing(roots: Iterable[str]) -> Iterator[None]:
    """While the block runs, includes may also lead into each directory of `roots` (and below)."""
    token = _ALLOWED.set(tuple(os.path.realpath(root) for root in roots))
    try:
        yield
    finally:
        _ALLOWED.reset(token)


def allowed_roots() -> tuple[str, ...]:
    """The directories --include-root allows in this run (resolved), beyond each configuration's own."""
    return _ALLOWED.get()


def inside(path: str, config_dir: str) -> bool:
    """May an include read `path`: does it lie, links resolved, in `config_dir` or an allowed root?

    For a glob, `path` is the part before its first wildcard (`fixed_part`),
    so nothing outside is listed either.
    """
    real = os.path.realpath(path)
    for root in (os.path.realpath(config_dir or "."), *allowed_roots()):
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            return True
    return False


def is_glob(pattern: str) -> bool:
    """Does `pattern` hold a wildcard (``*``, ``?``, ``[``), as glob reads it?"""
    return _GLOB_CHARS.search(pattern) is not None


def fixed_part(pattern: str) -> str:
    """The directory a glob `pattern` lists (its part before the first wildcard component), or `pattern` itself."""
    wildcard = _GLOB_CHARS.search(pattern)
    if wildcard is None:
        return pattern
    return os.path.dirname(pattern[:wildcard.start()]) or os.curdir


def outside_message(config_dir: str) -> str:
    """What to say of an include that leads outside `config_dir`: that it is not read, and what to do."""
    where = os.path.join(config_dir or os.curdir, "")
    return (f"leads outside {where}, the configuration's directory: not read, as ivrlint reads no file there unless "
            f"--include-root allows it (the rest is read as if this line were not there); copy the file into {where}, "
            "or allow a directory you trust with --include-root DIR")
