"""Read the text of an Asterisk dialplan: files, ``#include``, comments.

This layer knows nothing of contexts or applications. It turns the named
files into one sequence of logical lines, each remembering the file and line
it came from, with comments taken off the way Asterisk's config parser does:

* ``;`` starts a comment to the end of the line, unless a backslash comes
  just before it (``\\;``, also in ``\\\\;``, as config.c reads it);
* ``;--`` opens a block comment that ``--;`` closes (they may nest);
* ``#include FILE``, ``#include "FILE"``, ``#include <FILE>`` put the named
  file's lines in place; ``#tryinclude`` does the same but a missing file is
  fine. A name with ``*``, ``?`` or ``[`` is a glob: every match, sorted
  (one matching nothing is, for Asterisk, a missing file).

Relative names are looked up in the directory of the first file read (the
role /etc/asterisk plays on a live system), then next to the including
file; ``/etc/asterisk/NAME`` is also looked up there, so a copied
configuration reads as it did on the server. ``#exec`` (run a program and
read its output) is never run: it is reported and skipped.

Includes stay inside that directory (includes.py): ``#include /etc/shadow``
or ``../../etc/passwd`` is an error at its line and is not read, unless
``--include-root`` allows the directory. Nor does a message ever quote a
line of a file reached only through an include (sections.py names the line
instead): a file the user did not name does not reach the output.

What Asterisk's config.c refuses is reported at its line (platform-warning)
and reading goes on, so the rest of the dialplan is still linted:

* ``#include`` of a file that is not there (or a glob that matches none):
  Asterisk 1.6 and later log "was listed as a #include but it does not
  exist" and read no more of the including file, so it is an error; the
  rest is read as if the file were there and empty. ``#tryinclude`` of a
  missing file is what #tryinclude is for: Asterisk says nothing, nor does
  ivrlint.
* an include cycle or includes nested deeper than MAX_DEPTH (Asterisk's
  "Maximum Include level" of 10): the include is not followed.
* ``#include`` with no file name: Asterisk warns and skips the line.

Only a file that cannot be read as text (binary, unreadable, over the
size limit) stops the import.

Comments are kept too, as Comment records for suppressions
(``; ivrlint: disable=RULE``): a ``;`` comment's text, where it starts,
and for a comment alone on its line the next line that holds dialplan.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ivrlint.errors import InputError
from ivrlint.importers.includes import fixed_part, inside, outside_message
from ivrlint.location import Location
from ivrlint.menu.document import Comment, Note
from ivrlint.menu.yamlsource import open_regular

#: Bytes read from all files of one dialplan together (as yamlsource.MAX_BYTES per YAML file).
MAX_BYTES = 64 * 1024 * 1024
#: How many files deep ``#include`` may nest, the first file counting as one: Asterisk's
#: MAX_INCLUDE_LEVEL (config.c); real configurations use two or three levels.
MAX_DEPTH = 10
#: The rule that reports what Asterisk skips or refuses while reading its files (I403).
PLATFORM_WARNING = "platform-warning"
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
    #: reached only through an #include, not named by the user: messages do not quote it
    included: bool = False

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

    def __init__(self, config_dir: str, named: tuple[str, ...] = ()):
        self.config_dir = config_dir
        self.named = {os.path.realpath(path) for path in named}  # files the user gave; others are only included
        self.budget = MAX_BYTES
        self.texts: dict[str, str] = {}
        self.files: list[str] = []  # every file read, in order, as named
        self.skipped: list[Directive] = []
        self.notes: list[Note] = []  # what Asterisk would skip or refuse (platform-warning)
        self.comments: list[Comment] = []

    def lines(self, path: str) -> Iterator[Line]:
        """Every line of `path` and of the files it includes, in place."""
        yield from self._file(path, [], None)

    def _warn(self, message: str, loc: Location, severity: str | None = None) -> None:
        self.notes.append(Note(PLATFORM_WARNING, message, loc, None, severity))

    # -- files --------------------------------------------------------------
    def _file(self, path: str, stack: list[str], where: Location | None) -> Iterator[Line]:
        self.files.append(path)
        text = self._read(path, where)
        included = bool(stack) and os.path.realpath(path) not in self.named
        depth = 0  # open block comments
        waiting: list[tuple[int, int, str]] = []  # comments alone on their line, before the next content
        for number, raw in enumerate(text.splitlines(), start=1):
            body, comment, depth, cut = strip_comment(raw, depth)
            if cut >= 0:
                column = cut + 2  # where the text after the ';' starts
                if body.strip():
                    self.comments.append(Comment(path, number, column, raw[column - 1:].rstrip(), None))
                else:
                    waiting.append((number, column, raw[column - 1:].rstrip()))
            if not body.strip():
                continue
            self.comments.extend(Comment(path, line, column, said, number) for line, column, said in waiting)
            waiting.clear()
            line = Line(body, comment, path, number, included)
            directive = _DIRECTIVE.match(body.strip())
            if directive is None:
                yield line
            else:
                yield from self._directive(line, directive, stack + [os.path.realpath(path)])
        self.comments.extend(Comment(path, line, column, said, None) for line, column, said in waiting)

    def _directive(self, line: Line, directive: re.Match, stack: list[str]) -> Iterator[Line]:
        """What an ``#include``, ``#tryinclude`` or ``#exec`` line brings (`stack`: the files including it, outermost first)."""
        kind, argument = directive.group(1), _unquote(directive.group(2).strip())
        loc = line.at(line.text.index("#"))
        if kind == "exec":
            self.skipped.append(Directive(kind, argument, loc))
            return
        if not argument:
            self._warn(f"#{kind} names no file: Asterisk warns and skips the line; write '#{kind} other.conf' or remove it", loc)
            return
        found, outside = self._resolve(argument, line.file)
        for path in outside:
            link = os.path.relpath(path, self.config_dir or os.curdir)
            what = argument if path == argument else f"{argument} matches {link}, a link that"
            self._warn(f"#{kind} {what} {outside_message(self.config_dir)}", loc, "error")
        if not found and not outside and kind == "include":
            self._missing(argument, line.file, loc)
        for path in found:
            real = os.path.realpath(path)
            if real in stack:
                chain = " includes ".join(os.path.basename(p) for p in stack[stack.index(real):] + [real])
                self._warn(f"#include cycle: {chain}; Asterisk reads these files over and over until its include limit, "
                           "then refuses the innermost; remove one of these #include lines (ivrlint reads each once)", loc, "error")
            elif len(stack) >= MAX_DEPTH:
                self._warn(f"#include nested deeper than {MAX_DEPTH} files: Asterisk logs 'Maximum Include level exceeded' "
                           f"and does not read {os.path.basename(path)} (nor does ivrlint); include the files from one place",
                           loc, "error")
            else:
                yield from self._file(path, stack, loc)

    def _missing(self, name: str, including: str, loc: Location) -> None:
        """The note for an ``#include`` whose file is not there."""
        here = os.path.basename(including)
        where = os.path.dirname(including) or "."
        self._warn(f"#include {name}: no such file next to {here}; Asterisk 1.6 and later log 'The file was listed as "
                   f"a #include but it does not exist' and read no more of {here} (if it is extensions.conf, no dialplan "
                   f"loads at all); ivrlint reads on as if the file were empty: copy it into {where}, or write #tryinclude "
                   "for a file that may be absent", loc, "error")

    def _resolve(self, name: str, including: str) -> tuple[list[str], list[str]]:
        """The files `name` stands for: the file, or every match of a glob (sorted); none when nothing is there.
        And what of it leads outside the directories an include may read (includes.py): `name` itself, or
        the matches of a glob that are links leading out. What lies outside is neither read nor looked for."""
        candidates = []
        if os.path.isabs(name):
            if name.startswith(CONFIG_DIR):  # a copied configuration: its copy first, the live path if allowed
                candidates.append(os.path.join(self.config_dir, name[len(CONFIG_DIR):]))
            candidates.append(name)
        else:
            candidates.append(os.path.join(self.config_dir, name))
            candidates.append(os.path.join(os.path.dirname(including), name))
        candidates = list(dict.fromkeys(os.path.normpath(c) for c in candidates))
        allowed = [c for c in candidates if inside(fixed_part(c), self.config_dir)]
        globbing = _GLOB_CHARS.search(name) is not None
        for pattern in allowed:
            if globbing:
                found = sorted(p for p in glob.glob(pattern) if os.path.isfile(p))
            else:  # a named pipe is found too, and refused when read (it would block)
                found = [pattern] if os.path.exists(pattern) and not os.path.isdir(pattern) else []
            if found:
                kept = [p for p in found if inside(p, self.config_dir)]  # not a link inside that leads out
                return kept, [p for p in found if p not in kept] if globbing else ([] if kept else [name])
        return [], [name] if len(allowed) < len(candidates) else []

    def _read(self, path: str, where: Location | None) -> str:
        real = os.path.realpath(path)
        if real in self.texts:
            return self.texts[real]
        try:
            with open_regular(path) as fh:  # a named pipe or a device is refused, not waited on
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


def strip_comment(raw: str, depth: int = 0) -> tuple[str, str, int, int]:
    """(text without comments, the line comment, block comments still open, index of the comment's ``;`` or -1).

    Characters inside a block comment become spaces, so columns stay right.
    """
    if not depth and "\\" not in raw and ";--" not in raw:  # the common line: plain text, maybe a ; comment
        cut = raw.find(";")
        return (raw.rstrip(), "", 0, -1) if cut < 0 else (raw[:cut].rstrip(), raw[cut + 1:].strip(), 0, cut)
    out = []
    cut = -1
    i = 0
    while i < len(raw):
        if depth:
            step = 3 if raw.startswith(("--;", ";--"), i) else 1
            depth += 1 if raw.startswith(";--", i) else -1 if step == 3 else 0
            out.append(" " * step)
            i += step
            continue
        char = raw[i]
        if char == ";" and i and raw[i - 1] == "\\":  # config.c: a ';' after a backslash is no comment
            out.append(char)
            i += 1
            continue
        if char == ";":
            if raw.startswith(";--", i):
                depth += 1
                out.append("   ")
                i += 3
                continue
            cut = i
            break
        out.append(char)
        i += 1
    return "".join(out).rstrip(), raw[cut + 1:].strip() if cut >= 0 else "", depth, cut


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] + text[-1] in ('""', "<>"):
        return text[1:-1].strip()
    return text
