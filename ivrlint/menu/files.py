"""Find the menu files a command was pointed at."""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Iterable

from ivrlint.errors import InputError
from ivrlint.menu.yamlsource import open_regular

MENU_SUFFIXES = (".yaml", ".yml")
#: A menu's own top-level keys, at the start of a line (block style) or after '{' (flow style).
_MENU_KEY = re.compile(rb"""(?m)(?:^|^\{\s*|,\s*)["']?(?:ivr|start|nodes)["']?[ \t]*:""")
#: How much of a YAML file is read to tell a menu from other YAML.
HEAD = 64 * 1024


def looks_like_menu(path: str) -> bool:
    """Could the YAML file at `path` be an ivrlint menu? It has `ivr:`, `start:` or `nodes:`
    at the top level of its first 64 KiB. A directory search skips the YAML files that cannot
    (a docker-compose.yml, a CI configuration); a menu that is broken still has those keys, so
    it is read and its error reported."""
    try:
        with open_regular(path) as fh:
            head = fh.read(HEAD)
    except (OSError, InputError):
        return True  # let the reader report why it cannot be read
    return bool(_MENU_KEY.search(head))


def menu_files(paths: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    """Files named directly, and *.yaml / *.yml files under directories.

    A file named directly is always included (so that a missing one is
    reported); files found under a directory are skipped when they match an
    `exclude` pattern (fnmatch, against the path or any of its parts).
    Hidden directories and files (.gitlab-ci.yml, .pre-commit-config.yaml,
    .ivrlint.yaml) are not searched: they are never menus. Nor is what is
    no regular file (a named pipe called menu.yaml would block the search).
    """
    patterns = list(exclude)
    out: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            out.extend(walk_files(path, patterns, MENU_SUFFIXES))
        else:
            out.append(path)
    return out


def walk_files(directory: str, exclude: Iterable[str], suffixes: tuple[str, ...]) -> list[str]:
    """Regular files under `directory` whose names end with one of `suffixes`, sorted,
    skipping hidden directories and files, paths matching an `exclude` pattern, and
    named pipes, devices and sockets (a pipe called menu.yaml would block whoever reads it)."""
    patterns = list(exclude)
    out: list[str] = []
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _excluded(os.path.join(root, d), patterns))
        for name in sorted(names):
            full = os.path.join(root, name)
            if name.endswith(suffixes) and not name.startswith(".") and not _excluded(full, patterns) and _regular(full):
                out.append(full)
    return out


def _regular(path: str) -> bool:
    """Is `path` a regular file (following a symbolic link), or gone (the reader then says so)?"""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


def is_excluded(path: str, patterns: Iterable[str]) -> bool:
    """Whether `path`, or a directory it lies in, matches an `exclude` pattern.

    For files named on the command line (``check --force-exclude``): a
    directory search never enters an excluded directory in the first place.
    """
    patterns = list(patterns)
    current = os.path.abspath(path)
    while patterns:
        if _excluded(current, patterns):
            return True
        parent = os.path.dirname(current)
        if parent == current:
            return False
        current = parent
    return False


def _excluded(path: str, patterns: list[str]) -> bool:
    norm = os.path.normpath(path)
    absolute = os.path.abspath(path)
    for pattern in patterns:
        pattern = os.path.normpath(pattern)
        if fnmatch.fnmatch(norm, pattern) or fnmatch.fnmatch(absolute, pattern) or fnmatch.fnmatch(os.path.basename(norm), pattern):
            return True
        if fnmatch.fnmatch(absolute, os.path.join("*", pattern)):
            return True
    return False
