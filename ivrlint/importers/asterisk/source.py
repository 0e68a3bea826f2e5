"""Read the text of an Asterisk dialplan: files, ``#include``, comments.

This layer knows nothing of contexts or applications. It turns the named
files into one sequence of logical lines, each remembering the file and line
it came from, with comments taken off the way Asterisk's config parser does:

* ``;`` starts a comment to the end of the line, unless written ``\\;``;
* ``;--`` opens a block comment that ``--;`` closes (they may nest);
* ``#include FILE``, ``#include "FILE"``, ``#include <FILE>`` put the named
  file's lines in place; ``#tryinclude`` does the same but a missing file is
  fine. A name with ``*``, ``?`` or ``[`` is a glob: every match, sorted;
  a glob matching nothing includes nothing (Asterisk only warns).

Relative names are looked up in the directory of the first file read (the
role /etc/asterisk plays on a live system), then next to the including
file; ``/etc/asterisk/NAME`` is also looked up there, so a copied
configuration reads as it did on the server. A missing file, an include
cycle or includes nested deeper than MAX_DEPTH stop the import with the
``#include`` line. ``#exec`` (run a program and read its output) is never
run: it is reported and skipped.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ivrlint.errors import InputError
from ivrlint.location import Location

#: Bytes read from all files of one dialplan together (as yamlsource.MAX_BYTES per YAML file).
MAX_BYTES = 64 * 1024 * 1024
#: How deep ``#include`` may nest; real configurations use two or three levels.
MAX_DEPTH = 16
#: Where a live system keeps the dialplan; absolute includes under it are looked up locally too.
CONFIG_DIR = "/etc/asterisk/"

_DIRECTIVE = re.compile(r"#\s*(include|tryinclude|exec)\b\s*(.*)$")
_GLOB_CHARS = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class Line:
    """One line of dialplan with its comment taken off.

    `text` keeps the original columns (``\\;`` stays as written), so an
    index into it plus one is the column in the file. `comment` is the text
    of a ``;`` comment on the line, stripped.
    """

    text: str
    comment: str
    file: str
    number: int

    def at(self, index: int) -> Location:
        return Location(self.file, self.number, index + 1)


@dataclass
class Directive:
    """An ``#exec`` line, which the importer reports but does not run."""

    kind: str
    argument: str
    loc: Location


class Reader:
    """Reads a root file and everything it includes, in order."""

    def __init__(self, config_dir: str):
        self.config_dir = config_dir
        self.budget = MAX_BYTES
        self.texts: dict[str, str] = {}
        self.files: list[str] = []  # every file read, in order, as named
        self.skipped: list[Directive] = []

    def lines(self, path: str) -> Iterator[Line]:
        """Every line of `path` and of the files it includes, in place."""
        yield from self._file(path, [], None)

    # -- files --------------------------------------------------------------
    def _file(self, path: str, stack: list[str], where: Location | None) -> Iterator[Line]:
        real = os.path.realpath(path)
        if real in stack:
            chain = " includes ".join(os.path.basename(p) for p in stack[stack.index(real):] + [real])
            raise InputError.at(where, f"#include cycle: {chain}; remove one of these #include lines", path)
        if len(stack) > MAX_DEPTH:
            raise InputError.at(where, f"#include nested deeper than {MAX_DEPTH} files; include the files from one place", path)
        self.files.append(path)
        text = self._read(path, where)
        depth = 0  # open block comments
        for number, raw in enumerate(text.splitlines(), start=1):
            body, comment, depth = strip_comment(raw, depth)
            if not body.strip():
                continue
            line = Line(body, comment, path, number)
            directive = _DIRECTIVE.match(body.strip())
            if directive is None:
                yield line
                continue
            kind, argument = directive.group(1), _unquote(directive.group(2).strip())
            loc = line.at(body.index("#"))
            if kind == "exec":
                self.skipped.append(Directive(kind, argument, loc))
                continue
            if not argument:
                raise InputError.at(loc, f"#{kind} names no file; write '#{kind} other.conf'", path)
            for found in self._resolve(argument, path, loc, kind == "tryinclude"):
                yield from self._file(found, stack + [real], loc)

    def _resolve(self, name: str, including: str, loc: Location, optional: bool) -> list[str]:
        """The files `name` stands for; an error when a plain name is missing."""
        candidates = []
        if os.path.isabs(name):
            candidates.append(name)
            if name.startswith(CONFIG_DIR):
                candidates.append(os.path.join(self.config_dir, name[len(CONFIG_DIR):]))
        else:
            candidates.append(os.path.join(self.config_dir, name))
            candidates.append(os.path.join(os.path.dirname(including), name))
        if _GLOB_CHARS.search(name):
            for pattern in candidates:
                found = sorted(p for p in glob.glob(pattern) if os.path.isfile(p))
                if found:
                    return found
            return []
        for candidate in dict.fromkeys(os.path.normpath(c) for c in candidates):
            if os.path.isfile(candidate):
                return [candidate]
        if optional:
            return []
        where = os.path.dirname(including) or "."
        raise InputError.at(loc, f"#include {name}: no such file next to {os.path.basename(including)}; "
                                 f"copy it into {where} or write #tryinclude for an optional file", including)

    def _read(self, path: str, where: Location | None) -> str:
        real = os.path.realpath(path)
        if real in self.texts:
            return self.texts[real]
        try:
            with open(path, "rb") as fh:
                data = fh.read(self.budget + 1)
        except OSError as exc:
            raise InputError.at(where, f"cannot read {path}: {exc.strerror or exc}", path) from None
        if len(data) > self.budget:
            raise InputError.at(where, f"the dialplan is larger than {MAX_BYTES // (1024 * 1024)} MiB in all; "
                                       "import the files of one phone line", path)
        self.budget -= len(data)
        nul = data.find(b"\0", 0, 65536)
        if nul >= 0:
            line = data.count(b"\n", 0, nul) + 1
            raise InputError.at(Location(path, line, 1), "is a binary file, not dialplan text; give extensions.conf", path)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")  # older configurations: every byte is a character
        self.texts[real] = text
        return text


def strip_comment(raw: str, depth: int = 0) -> tuple[str, str, int]:
    """(text without comments, the line comment, block comments still open).

    Characters inside a block comment become spaces, so columns stay right.
    """
    if not depth and "\\" not in raw and ";--" not in raw:  # the common line: plain text, maybe a ; comment
        cut = raw.find(";")
        return (raw.rstrip(), "", 0) if cut < 0 else (raw[:cut].rstrip(), raw[cut + 1:].strip(), 0)
    out = []
    comment = ""
    i = 0
    while i < len(raw):
        if depth:
            if raw.startswith("--;", i):
                depth -= 1
                out.append("   ")
                i += 3
            elif raw.startswith(";--", i):
                depth += 1
                out.append("   ")
                i += 3
            else:
                out.append(" ")
                i += 1
            continue
        char = raw[i]
        if char == "\\" and i + 1 < len(raw):
            out.append(raw[i:i + 2])
            i += 2
            continue
        if char == ";":
            if raw.startswith(";--", i):
                depth += 1
                out.append("   ")
                i += 3
                continue
            comment = raw[i + 1:].strip()
            break
        out.append(char)
        i += 1
    return "".join(out).rstrip(), comment, depth


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] + text[-1] in ('""', "<>"):
        return text[1:-1].strip()
    return text
