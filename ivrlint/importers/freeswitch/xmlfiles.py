"""Read FreeSWITCH XML files into elements that know their line and column.

The standard library's expat parser does the reading, so that untrusted
files cost bounded time and memory: a file larger than MAX_BYTES or nesting
deeper than MAX_DEPTH is refused, and so is a DOCTYPE (FreeSWITCH
configuration never has one, and without it no entity can be declared, so no
"billion laughs" expansion and no external entity is possible); the file
must be UTF-8, as FreeSWITCH reads it.

``X-PRE-PROCESS cmd="include"`` lines are followed as FreeSWITCH's
preprocessor does, relative to the including file's folder (the stock
``autoload_configs/ivr.conf.xml`` includes ``../ivr_menus/*.xml``); the
included ``<include>`` elements take the place of the line. Each file is
read once, however often it is named or included, and includes nest at
most MAX_INCLUDE_DEPTH deep. An include that matches no file is noted and
skipped, as FreeSWITCH logs "No files to include" and reads the rest.

Includes stay inside the configuration's directory (includes.py): the
folder of the first file named, or its parent for a file in
``autoload_configs/`` (FreeSWITCH's conf directory, which the stock
``../ivr_menus/*.xml`` include reaches). An include of an absolute path or
a glob that leads elsewhere (``/etc/*``, ``../../../etc/passwd``) is noted
at its line and not read, unless ``--include-root`` allows that directory.
What a glob matches that is no regular file (a named pipe) is skipped.

Comments that mention ivrlint are kept (:class:`Comment`, with the line
they cover), for suppressions written as ``<!-- ivrlint: disable=RULE -->``.
"""

from __future__ import annotations

import bisect
import functools
import glob
import os
import re
import xml.parsers.expat as expat
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate

from ivrlint.errors import InputError
from ivrlint.importers.includes import fixed_part, inside, is_glob
from ivrlint.importers.textfile import decode_utf8, read_capped
from ivrlint.location import Location
from ivrlint.menu.document import Comment

MAX_INCLUDE_DEPTH = 10
#: Most comments mentioning ivrlint kept from one file (a line needs a handful; this bounds a hostile file's memory).
MAX_COMMENTS = 10_000
#: Deepest nesting of elements read (a configuration nests 5 deep).
MAX_DEPTH = 100
#: The folder FreeSWITCH keeps module configurations in, inside its conf directory.
AUTOLOAD_CONFIGS = "autoload_configs"


@dataclass
class Element:
    """An XML element: tag, attributes in written order, and where each is written."""

    tag: str
    attrs: dict[str, str]
    loc: Location
    attr_locs: dict[str, Location] = field(default_factory=dict)
    children: list[Element] = field(default_factory=list)

    def where(self, name: str) -> Location:
        """Where attribute `name` is written, else the element."""
        return self.attr_locs.get(name, self.loc)


class _Positions:
    """Byte offsets of a file -> line and column (columns in characters)."""

    def __init__(self, path: str, data: bytes):
        self.path, self.data = path, data
        # where each line starts: one past each newline (the lengths of the pieces between them, added up in C)
        self.line_starts = list(accumulate(map((1).__add__, map(len, data.split(b"\n")[:-1])), initial=0))
        self.ascii = data.isascii()  # then a column is a count of bytes

    def at(self, offset: int) -> Location:
        line = bisect.bisect_right(self.line_starts, offset) - 1
        start = self.line_starts[line]
        column = offset - start + 1 if self.ascii else len(self.data[start:offset].decode("utf-8", "replace")) + 1
        return Location(self.path, line + 1, column)

    def attribute_locs(self, offset: int, names: list[str]) -> dict[str, Location]:
        """Where each attribute of the start tag at `offset` is written (they come in order)."""
        out: dict[str, Location] = {}
        if not names:
            return out
        # one pass over the tag: each `name="value"` in turn (expat has read the tag, so it is well formed)
        found = _ATTRIBUTE.finditer(self.data, offset)
        for name in names:
            match = next(found, None)
            if match is None or match.group(1) != name.encode():  # not as expected: look each name up on its own
                return self._searched(offset, names)
            out[name] = self.at(match.start(1))
        return out

    def _searched(self, offset: int, names: list[str]) -> dict[str, Location]:
        """attribute_locs, one search per name."""
        out = {}
        for name in names:
            found = _attribute_pattern(name).search(self.data, offset)
            if found is None:
                break
            out[name] = self.at(found.start())
            closing = self.data.find(found.group(1), found.end())
            offset = found.end() if closing < 0 else closing + 1
        return out


#: One attribute of a start tag: its name (after a blank), '=', its quoted value.
_ATTRIBUTE = re.compile(rb"""[ \t\r\n]([^ \t\r\n=/>]+)[ \t\r\n]*=[ \t\r\n]*(?:"[^"]*"|'[^']*')""")


@functools.lru_cache(maxsize=256)
def _attribute_pattern(name: str) -> re.Pattern[bytes]:
    """`name="` (or with single quotes) as written in a start tag; compiled once per attribute name."""
    return re.compile(rb"(?<![\w.:-])" + re.escape(name.encode()) + rb"\s*=\s*(['\"])")


class _Refused(Exception):
    def __init__(self, loc: Location, message: str):
        self.loc, self.message = loc, message


def read_bytes(path: str) -> bytes:
    """The file's bytes, checked to be UTF-8 text of a sane size."""
    data = read_capped(path, "FreeSWITCH IVR files are far smaller")
    if not data.strip():
        raise InputError.at(Location(path, 1, 1), 'the file is empty; a FreeSWITCH IVR file holds '
                            '<include><menu name="..."> ... </menu></include>', path)
    decode_utf8(data, path, "FreeSWITCH reads its XML as UTF-8, so save the file as UTF-8")
    return data


def parse(path: str) -> tuple[Element, list[Comment]]:
    """The root element of the XML file at `path`, and its comments that mention ivrlint."""
    data = read_bytes(path)
    where = _Positions(path, data)
    parser = expat.ParserCreate("UTF-8")
    parser.ordered_attributes = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Element] = []
    roots: list[Element] = []
    comments = _Comments(where)

    def start(tag: str, flat: list[str]) -> None:
        offset = parser.CurrentByteIndex
        if len(stack) >= MAX_DEPTH:
            raise _Refused(where.at(offset), f"elements nest deeper than {MAX_DEPTH} levels; FreeSWITCH menus nest 4 deep")
        names = flat[0::2]
        element = Element(tag, dict(zip(names, flat[1::2], strict=True)), where.at(offset), where.attribute_locs(offset, names))
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def refuse_doctype(*_args) -> None:
        at = data.rfind(b"<!DOCTYPE", 0, parser.CurrentByteIndex + 1)
        raise _Refused(where.at(at if at >= 0 else parser.CurrentByteIndex),
                       "a DOCTYPE is not allowed (it could declare entities that expand without limit); "
                       "FreeSWITCH configuration files have none, so remove it")

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: stack.pop()
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.CommentHandler = lambda body: comments.add(parser.CurrentByteIndex, body)
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        raise InputError.at(exc.loc, exc.message, path) from None
    except expat.ExpatError as exc:
        what = expat.errors.messages[exc.code]
        raise InputError.at(Location(path, exc.lineno, exc.offset + 1), f"invalid XML: {what}; {_hint(what)}", path) from None
    finally:
        # the handlers refer to the parser, which holds them: without this loop of references broken, the parser,
        # and every element through `stack` and `roots`, would wait for the garbage collector, which imports pause
        parser.StartElementHandler = parser.EndElementHandler = parser.StartDoctypeDeclHandler = None
        parser.CommentHandler = None
    return roots[0], comments.done()


_CONTENT = re.compile(rb"[^ \t\r\n]")


class _Comments:
    """The comments of one file that mention ivrlint, each with the line a suppression in it covers.

    A comment with only blanks before it on its line covers the next line
    that holds content (blank lines and other comments skipped, so several
    may stack above one element); a comment after content covers its own
    line. Finding that next line resumes where the previous comment's search
    stopped, so a file of many comments is read once, not once per comment.
    """

    def __init__(self, where: _Positions):
        self.where, self.data = where, where.data
        self.found: list[tuple[int, str]] = []  # (offset of '<!--', body)

    def add(self, offset: int, body: str) -> None:
        if "ivrlint" in body:
            if len(self.found) >= MAX_COMMENTS:
                raise _Refused(self.where.at(offset), f"more than {MAX_COMMENTS} comments mention ivrlint in this file; "
                               "use one disable-file comment, or per-file-ignores in the configuration")
            self.found.append((offset, body))

    def done(self) -> list[Comment]:
        out, content = [], -1  # where the last search for content ended
        for offset, body in self.found:
            start = self.where.at(offset + 4)  # the body starts after '<!--'
            line_start = self.where.line_starts[start.line - 1]
            target = None
            if not self.data[line_start:offset].strip():  # alone on its line (nothing before it)
                if content < offset:
                    content = self._content_after(offset)
                target = self.where.at(content).line if content < len(self.data) else None
            out.append(Comment(start.file, start.line, start.column, body, target))
        return out

    def _content_after(self, offset: int) -> int:
        """The offset of the first character after the comment at `offset` that is neither blank nor in a comment."""
        at = offset
        while True:
            end = self.data.find(b"-->", at + 4)
            at = len(self.data) if end < 0 else end + 3
            found = _CONTENT.search(self.data, at)
            if found is None:
                return len(self.data)
            if not self.data.startswith(b"<!--", found.start()):
                return found.start()
            at = found.start()


def _hint(problem: str) -> str:
    if "mismatched tag" in problem or "no element found" in problem:
        return "every <menu> needs its </menu> and every <entry .../> its closing slash"
    if "undefined entity" in problem or "reference" in problem:
        return "write & as &amp; and < as &lt; inside attribute values"
    return "check the quotes and angle brackets on that line; inside a value write & as &amp; and < as &lt;"


@dataclass
class Files:
    """The elements of a phone line's files, includes followed, each file once."""

    roots: list[Element] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    #: comments that mention ivrlint (suppressions), of every file read
    comments: list[Comment] = field(default_factory=list)
    #: (what, location) of include lines that matched no file
    missing: list[tuple[str, Location]] = field(default_factory=list)
    #: where includes may lead (with what --include-root allows)
    config_dir: str = ""
    #: (what, the match that is a link leading out or None, location) of include lines leading
    #: outside config_dir: not read
    outside: list[tuple[str, str | None, Location]] = field(default_factory=list)


def configuration_dir(path: str) -> str:
    """The configuration's directory of the file at `path`: its folder, or FreeSWITCH's conf directory
    for a file in ``conf/autoload_configs``."""
    folder = os.path.dirname(path)
    if os.path.basename(os.path.abspath(folder or os.curdir)) == AUTOLOAD_CONFIGS:
        return os.path.normpath(os.path.join(folder or os.curdir, os.pardir))
    return folder


def read_files(paths: list[str]) -> Files:
    """Every named file, in order, with the files they include spliced in."""
    files = Files(config_dir=configuration_dir(paths[0]) if paths else "")
    for path in paths:
        _read(path, files, 0)
    return files


def _read(path: str, files: Files, depth: int) -> None:
    key = os.path.realpath(path)
    if key in files.seen:
        return
    files.seen.add(key)
    root, comments = parse(path)
    files.comments.extend(comments)
    _follow_includes(root, path, files, depth)
    files.roots.append(root)


def _follow_includes(element: Element, path: str, files: Files, depth: int) -> None:
    spliced: list[Element] = []
    for child in element.children:
        if child.tag == "X-PRE-PROCESS" and child.attrs.get("cmd", "").lower() == "include":
            spliced.extend(_include(child, path, files, depth))
            continue
        _follow_includes(child, path, files, depth)
        spliced.append(child)
    element.children = spliced


def _include(line: Element, path: str, files: Files, depth: int) -> list[Element]:
    pattern = line.attrs.get("data", "")
    if depth >= MAX_INCLUDE_DEPTH:
        raise InputError.at(line.loc, f"includes nest deeper than {MAX_INCLUDE_DEPTH} files; include the menu files from one place", path)
    full = os.path.normpath(os.path.join(os.path.dirname(path), pattern))
    if pattern.strip() and not inside(fixed_part(full), files.config_dir):
        files.outside.append((pattern, None, line.where("data")))  # neither listed nor read
        return []
    found = sorted(glob.glob(full)) if pattern.strip() else []
    if is_glob(full):
        found = [name for name in found if os.path.isfile(name)]  # a named pipe among the matches would block
    escaping = [name for name in found if not inside(name, files.config_dir)]  # links that lead out
    files.outside.extend((pattern, os.path.relpath(name, files.config_dir or os.curdir), line.where("data"))
                         for name in escaping)
    found = [name for name in found if name not in escaping]
    if not found:
        if not escaping:
            files.missing.append((pattern, line.where("data")))
        return []
    out: list[Element] = []
    for name in found:
        before = len(files.roots)
        _read(name, files, depth + 1)
        # the included file's root takes the include line's place, not the top level
        out.extend(files.roots[before:])
        del files.roots[before:]
    return out


Visitor = Callable[[Element, Element | None], None]


def walk(element: Element, visit: Visitor, parent: Element | None = None) -> None:
    """Call visit(element, parent) for `element` and everything under it, in document order."""
    pending = [(element, parent)]
    while pending:
        current, above = pending.pop()
        visit(current, above)
        pending.extend((child, current) for child in reversed(current.children))
