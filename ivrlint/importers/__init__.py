"""Read menus from any supported source into the model.

A phone line comes either as one ivrlint YAML file, or as the files of one
platform: FreeSWITCH IVR XML, an Asterisk dialplan, Amazon Connect flows,
Twilio Studio flows (JSON, or Terraform's ``jsonencode``), Genesys Cloud
Architect flows in Archy YAML.
A platform's files that sit in one directory are one phone line (menus link
across them: ``menu-sub``, ``#include``, ``TransferToFlow``), so they are
loaded together.

Each importer is a module listed in IMPORTER_MODULES with an ``IMPORTER``
(an :class:`Importer`). ``read(paths)`` returns one Document: a Menu whose
locations point into the original files, and notes of what the importer
found wrong or did not understand (reported by the I4xx rules).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from importlib import import_module

from ivrlint.common.gcpause import gc_paused
from ivrlint.errors import InputError
from ivrlint.importers.importer import HEAD_BYTES, Importer
from ivrlint.importers.includes import allowed_roots
from ivrlint.menu.document import Document
from ivrlint.menu.limits import menu_problems
from ivrlint.menu.loader import read_menu
from ivrlint.menu.model import Menu
from ivrlint.menu.yamlsource import open_regular

#: Platform importers, in the order they are tried when sniffing a file.
IMPORTER_MODULES: tuple[str, ...] = ("freeswitch", "asterisk", "connect", "twilio", "genesys")

_IMPORTERS: dict[str, Importer] = {}


def importers() -> dict[str, Importer]:
    """Every platform importer by name, in sniffing order."""
    if not _IMPORTERS and IMPORTER_MODULES:
        for name in IMPORTER_MODULES:
            importer = import_module(f"{__name__}.{name}").IMPORTER
            _IMPORTERS[importer.name] = importer
    return _IMPORTERS


def format_names() -> list[str]:
    """What --from accepts."""
    return ["yaml", *importers()]


def _head(path: str) -> bytes:
    try:
        with open_regular(path) as fh:  # a named pipe is not waited on: the reader refuses it
            return fh.read(HEAD_BYTES)
    except (OSError, InputError):
        return b""


def _version(path: str) -> tuple:
    """What changes when the file does: the key under which answers about it are remembered."""
    try:
        info = os.stat(path)
    except OSError:
        return (os.path.abspath(path), None)
    return (os.path.abspath(path), info.st_mtime_ns, info.st_size)


def detect(path: str) -> str | None:
    """The platform format of the file at `path`, or None for an ivrlint YAML menu.

    A .yaml file is a YAML menu unless its head shows a platform's YAML (an
    Archy flow starts with ``inboundCall:``): one look at its first bytes."""
    return _detect(path, _version(path))


# `check` asks of each file several times (grouping, includes, loading; each
# named file lists its directory): sniff and parse includes once per version.
@lru_cache(maxsize=4096)
def _detect(path: str, _version: tuple) -> str | None:
    head = _head(path)
    for importer in importers().values():
        if path.endswith(importer.suffixes) and importer.sniff(path, head):
            return importer.name
    return None


def _includes(importer: Importer, path: str) -> list[str]:
    """The files `path` includes, by its importer (remembered per file version)."""
    return list(_includes_of(importer.name, path, _includes_key(path)))


def _includes_key(path: str) -> tuple:
    """What the files `path` includes depend on: its version, and where includes may lead in this run."""
    return (_version(path), allowed_roots())


@lru_cache(maxsize=1024)
def _includes_of(name: str, path: str, _version: tuple) -> tuple[str, ...]:
    includes = importers()[name].includes
    return tuple(includes(path)) if includes is not None else ()  # a format without includes


def _platform_files(directory: str, fmt: str | None) -> list[str]:
    """Files directly in `directory` that are of one platform format (`fmt`, or the first found)."""
    try:
        names = sorted(os.listdir(directory))
    except OSError as exc:
        raise InputError.at(None, f"cannot read directory: {exc.strerror or exc}", directory) from None
    out = []
    for name in names:
        path = os.path.join(directory, name)
        if not os.path.isfile(path) or name.startswith("."):
            continue
        found = detect(path)
        if found is not None and (fmt in (None, found)):
            fmt = found
            out.append(path)
    return out


def line_files(path: str, fmt: str) -> list[str]:
    """The phone line a named platform file belongs to: the file first, then
    the other files of format `fmt` in its directory (one directory holds one
    line's files; menus link across them)."""
    siblings = _platform_files(os.path.dirname(path) or ".", fmt)
    named = os.path.realpath(path)
    return [path, *(p for p in siblings if os.path.realpath(p) != named)]


def format_of(source: str) -> str:
    """"yaml", or the name of the platform whose files `source` (a file or a directory) holds."""
    if os.path.isdir(source):
        found = _platform_files(source, None)
        return detect(found[0]) or "yaml" if found else "yaml"
    return detect(source) or "yaml"


def load_any(source: str | Sequence[str], fmt: str | None = None) -> Menu:
    """The menu of one phone line (`read_any`), for commands that run it."""
    return read_any(source, fmt).menu


def read_any(source: str | Sequence[str], fmt: str | None = None) -> Document:
    """Read one phone line: its menu, and what reading its files found.

    `source` is a YAML menu file, a platform file (read with the files of
    its format beside it, as `check` reads it), a directory of one platform's
    files, or a list of platform files (exactly those). `fmt` ("yaml" or an
    importer's name) overrides what the content shows.
    """
    paths = [source] if isinstance(source, str) else list(source)
    if len(paths) == 1 and os.path.isdir(paths[0]):
        paths = _directory_files(paths[0], fmt)
    if fmt is None:
        fmt = detect(paths[0])
    if fmt in (None, "yaml"):
        if len(paths) > 1:
            raise InputError.at(None, "several files given, but YAML menus are read one at a time", paths[1])
        return read_menu(paths[0])
    if isinstance(source, str) and os.path.isfile(source):
        paths = line_files(source, fmt)
    return _read_platform(fmt, paths)


def read_each(group: Sequence[str], fmt: str | None = None) -> tuple[Document | None, list[tuple[InputError, list[str]]]]:
    """Read one phone line of platform files, setting aside each file that cannot be read at all.

    A directory's files are one line; when one of them is not XML, not JSON
    or not text, that file is reported and the line is read from the others,
    so their findings still show (links into the file set aside then lead
    nowhere, and say so). Returns the document (None when no file could be
    read) and each error with the files it made unreadable: the one file it
    names, or the whole group when it names none of them.
    """
    files = list(group)
    failed: list[tuple[InputError, list[str]]] = []
    while files:
        try:
            return read_any(files, fmt), failed
        except InputError as exc:
            bad = _culprit(exc, files) if len(files) > 1 else None
            if bad is None:
                failed.append((exc, files))
                return None, failed
            failed.append((exc, [bad]))
            files = [f for f in files if f != bad]
    return None, failed


def _culprit(exc: InputError, files: list[str]) -> str | None:
    """The file of `files` an error is about: the one it names, or the one including the file it names."""
    named = [loc.file for loc, _ in exc.problems if loc is not None] + ([exc.file] if exc.file else [])
    real = {os.path.realpath(f): f for f in files}
    for name in named:
        if os.path.realpath(name) in real:
            return real[os.path.realpath(name)]
    importer = importers().get(detect(files[0]) or "")
    if importer is None or importer.includes is None:
        return None
    for path in files:
        included = {os.path.realpath(f) for f in _includes(importer, path)}
        if any(os.path.realpath(name) in included for name in named):
            return path
    return None


def _directory_files(directory: str, fmt: str | None) -> list[str]:
    """The files of the phone line a directory holds (of format `fmt`, or the first found); an error when there are none."""
    if fmt == "yaml":
        raise InputError.at(None, "a directory holds many YAML menus; name one file", directory)
    paths = _platform_files(directory, fmt)
    if not paths:
        raise InputError.at(None, _no_files_message(directory, fmt), directory)
    return paths


def _read_platform(fmt: str, paths: list[str]) -> Document:
    """The phone line in `paths`, read by the importer named `fmt`; an error for an unknown format or a missing file."""
    importer = importers().get(fmt)
    if importer is None:
        raise InputError.at(None, f"unknown format '{fmt}'; use one of {', '.join(format_names())}", paths[0])
    for path in paths:
        if not os.path.isfile(path):
            if os.path.exists(path) and not os.path.isdir(path):
                open_regular(path).close()  # raises the error that says what it is: a named pipe, a device
            raise InputError.at(None, "no such file", path)
    # An import makes a few objects per line of the files and frees almost none, so collection passes
    # find nothing, yet come more often as objects pile up: half the time of a 25,000-context
    # dialplan (7.0 s, 3.7 s without), growing faster than the file.
    with gc_paused():
        document = importer.read(paths)
    problems = menu_problems(document.menu)  # a count or time past the model's limits, at its attribute or block
    if problems:
        raise InputError(problems, paths[0])
    return document


def _no_files_message(directory: str, fmt: str | None) -> str:
    """Why a directory gave no phone line: none of the format asked for (and which one it holds), or none at all."""
    wanted = importers().get(fmt) if fmt else None
    if wanted is None:
        known = ", ".join(i.title for i in importers().values()) or "none installed"
        return f"no platform menu files here (formats read: {known}); name a menu file"
    present = _platform_files(directory, None)
    held_format = detect(present[0]) if present else None  # None only when there is no file here
    held = importers()[held_format] if held_format is not None else None
    if held is None:
        return f"no {wanted.title} files here; name a directory or files of that format"
    return f"no {wanted.title} files here; the files here are {held.title} (format '{held.name}')"


def menu_sources(paths: Iterable[str], exclude: Iterable[str] = (), fmt: str | None = None,
                 skipped: list[str] | None = None) -> list[list[str]]:
    """The phone lines under `paths`, each as the list of files to load together.

    A YAML menu is a line of its own. Platform files are grouped by directory
    and format: a named platform file brings the other files of its format in
    its directory (so that links between them resolve, also when pre-commit
    names only the changed file); the first one named comes first. Order
    follows `paths`. A platform `fmt` (--from) reads every file named, and
    each directory, as that format. YAML files found under a directory that
    are not menus (a docker-compose.yml) are left out, and listed in `skipped`.
    """
    if fmt not in (None, "yaml"):
        return _named_as(list(paths), fmt)
    lines = _Lines()
    patterns = list(exclude)
    for path in paths:
        if os.path.isdir(path):
            for found in _menus_under(path, patterns, skipped):
                lines.add(found)
        else:
            lines.add(path, named=True)
    return _without_included(lines.found)


class _Lines:
    """The phone lines met so far, in the order first met: a YAML menu is one of its own,
    platform files gather by directory and format."""

    def __init__(self) -> None:
        self.found: list[list[str]] = []
        self._by_place: dict[tuple[str, str], list[str]] = {}  # (directory, format) -> that line's files

    def add(self, path: str, named: bool = False) -> None:
        """Put `path` in its phone line (a `named` platform file with the files of its format beside it)."""
        fmt = detect(path)
        if fmt is None:
            self.found.append([path])
            return
        key = (os.path.dirname(os.path.abspath(path)), fmt)
        line = self._by_place.get(key)
        if line is None:
            line = self._by_place[key] = []
            self.found.append(line)
        # a named file brings its directory's files of its format: they are one phone line (links resolve)
        for file in line_files(path, fmt) if named else [path]:
            if file not in line:
                line.append(file)


def _menus_under(directory: str, exclude: list[str], skipped: list[str] | None = None) -> Iterator[str]:
    """The menu files under `directory` (not matching `exclude`): YAML menus, then platform files.
    YAML files that are no menu (no ivr, start or nodes at the top level) go to `skipped`."""
    from ivrlint.menu.files import looks_like_menu, menu_files, walk_files

    for found in menu_files([directory], exclude):
        if detect(found) is not None or looks_like_menu(found):
            yield found
        elif skipped is not None:
            skipped.append(found)
    suffixes = tuple(s for i in importers().values() for s in i.suffixes)
    if suffixes:
        yield from (found for found in walk_files(directory, exclude, suffixes) if detect(found) is not None)


def _named_as(paths: list[str], fmt: str) -> list[list[str]]:
    """With --from: a directory is one line, named files one line per directory."""
    by_dir: dict[str, list[str]] = {}
    for path in paths:
        key = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
        by_dir.setdefault(key, []).append(path)
    # one file named alone brings the files of its format beside it, as every command reads it
    return [line_files(group[0], fmt) if len(group) == 1 and os.path.isfile(group[0]) else group
            for group in by_dir.values()]


def source_files(group: list[str]) -> list[str]:
    """The files a phone line is read from: `group` and the files they include."""
    importer = importers().get(detect(group[0]) or "")
    if importer is None or importer.includes is None:
        return list(group)
    out = list(group)
    for path in group:
        out.extend(f for f in _includes(importer, path) if f not in out)
    return out


def _without_included(groups: list[list[str]]) -> list[list[str]]:
    """`groups` less the files another group's files include (they are read with their includer)."""
    included_by: dict[str, set[int]] = {}
    for number, group in enumerate(groups):
        importer = importers().get(detect(group[0]) or "")
        if importer is None or importer.includes is None:
            continue
        for path in group:
            for found in _includes(importer, path):
                included_by.setdefault(os.path.realpath(found), set()).add(number)
    if not included_by:
        return groups
    kept = [[p for p in group if not (included_by.get(os.path.realpath(p), set()) - {number})]
            for number, group in enumerate(groups)]
    return [group for group in kept if group]


def add_from_option(parser) -> None:
    """--from FORMAT, for commands that read menus (and --include-root, as they read platform files)."""
    parser.add_argument("--from", dest="source_format", choices=format_names(), default=None, metavar="FORMAT",
                        help=f"read menus as this format ({', '.join(format_names())}); default: recognised from the content")
    add_include_root_option(parser)


def add_include_root_option(parser) -> None:
    """--include-root DIR (repeatable): where platform includes may lead besides the configuration's directory.

    The command line allows them for the run (cli/__init__.py, includes.allowing)."""
    parser.add_argument("--include-root", dest="include_roots", action="append", default=[], metavar="DIR", type=_directory,
                        help="let #include and X-PRE-PROCESS include read files under DIR too (repeatable); by default "
                             "they stay inside the configuration's directory, e.g. --include-root /etc/asterisk")


def _directory(text: str) -> str:
    """An --include-root value: a directory that exists."""
    if not os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"{text} is not a directory")
    return text
