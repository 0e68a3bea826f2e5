"""Read untrusted YAML safely into position-carrying nodes.

PyYAML's composer keeps the line and column of every node, which is what a
linter needs. This module wraps it for untrusted input:

* libyaml's C parser does the tokenising when it is installed (fast);
* composition runs in PyYAML's Python composer so that nesting depth can be
  bounded (libyaml's own composer recurses in C and crashes the interpreter
  on ~100k nested brackets);
* aliases stay shared nodes, never expanded; the loader charges every visit
  against a budget, so an alias bomb ("billion laughs") fails fast;
* scalars are not type-resolved here: the loader types each value by what
  the format expects, which also avoids YAML 1.1 surprises such as a
  language key ``no:`` turning into ``False``.
"""

from __future__ import annotations

import bisect
import errno
import gc
import os
import re
import stat
from collections.abc import Callable
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ivrlint.errors import InputError
from ivrlint.location import Location

try:  # libyaml's parser when present, else PyYAML's pure-Python one
    from yaml._yaml import CParser as _Parser  # what yaml.cyaml re-exports; ImportError without libyaml
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser):  # type: ignore[no-redef]  # the C parser's pure-Python stand-in, same name
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)  # not _Parser: that name is this class by the time it is called


#: Deepest nesting of collections a menu may use. Real menus nest 6 deep.
MAX_DEPTH = 100
#: Largest file read, in bytes. A 100,000-node menu is about 25 MiB.
MAX_BYTES = 64 * 1024 * 1024

PLAIN = "plain"  # tag of an unquoted scalar, typed later by the loader
QUOTED = "quoted"  # tag of a quoted or block scalar: always text
COLLECTION = "collection"


class _SafeComposer(Composer, _Parser):
    """PyYAML's composer over the C parser, with a nesting limit."""

    def __init__(self, text: str):
        _Parser.__init__(self, text)
        Composer.__init__(self)
        self.depth = 0
        self.count = 0

    # Resolution is the loader's job (see module docstring).
    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            return PLAIN if implicit[0] else QUOTED
        return COLLECTION

    def descend_resolver(self, parent, index):
        pass

    def ascend_resolver(self):
        pass

    def compose_node(self, parent, index):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            event = self.peek_event()
            start = event.start_mark if event is not None else None
            # libyaml's marks are another class; the error keeps PyYAML's (only line and column are read)
            mark = None if start is None else yaml.Mark(start.name, start.index, start.line, start.column, None, 0)
            raise yaml.MarkedYAMLError(
                problem=f"nesting is deeper than {MAX_DEPTH} levels",
                problem_mark=mark,
            )
        self.count += 1
        node = Composer.compose_node(self, parent, index)
        self.depth -= 1
        return node


def location(file: str, node: Node) -> Location:
    mark = node.start_mark
    return Location(file, mark.line + 1, mark.column + 1)


def _mark_location(file: str, mark) -> Location | None:
    if mark is None:
        return None
    return Location(file, mark.line + 1, mark.column + 1)


def _hint(problem: str) -> str:
    if "nesting" in problem:
        return "; a menu never nests that deep"
    if "alias" in problem or "alphabetic or numeric" in problem:
        return "; quote the keys * and # (write \"*\": and \"#\":), since YAML reads * as an alias and # as a comment"
    if "mapping values are not allowed" in problem:
        return "; put text that contains ': ' in quotes"
    return ""


#: What a path that is no regular file is, for the error that refuses it.
_SPECIAL = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def open_regular(path: str):
    """`path` opened for reading in binary, when it is a regular file; InputError when it is not.

    A named pipe blocks the reader until something writes to it, a device
    such as /dev/zero never ends: every reader of untrusted files opens them
    here. The file is opened without blocking (so opening a pipe cannot
    wait for a writer) and then asked what it is, so a path that is swapped
    between a check and the open cannot slip through. OSError as open()
    raises it (IsADirectoryError for a directory).
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
        if not stat.S_ISREG(mode):
            what = next((name for test, name in _SPECIAL if test(mode)), "not a regular file")
            raise InputError.at(None, f"is {what}, not a file: ivrlint reads regular files only (a pipe or a device "
                                      "could block or never end); save the menu to a file, or pipe it to `ivrlint check -`", path)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_text(path: str) -> str:
    """The file's text, or an InputError saying why it is not a readable menu."""
    try:
        with open_regular(path) as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError.at(None, "no such file; check the path", path) from None
    except IsADirectoryError:
        raise InputError.at(None, "is a directory; give a menu file, or the directory to `ivrlint check`", path) from None
    except OSError as exc:
        raise InputError.at(None, f"cannot be read: {exc.strerror or exc}", path) from None
    return decode(data, path)


def decode(data: bytes, path: str) -> str:
    if len(data) > MAX_BYTES:
        raise InputError.at(None, f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB; split the menu into smaller files", path)
    nul = data.find(b"\0", 0, 65536)
    if nul >= 0:
        raise InputError.at(byte_location(data, nul, path), "the file is binary, not YAML text; give a .yaml menu", path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.at(
            byte_location(data, exc.start, path), "the file is not valid UTF-8 text; save the menu as UTF-8", path
        ) from None


def byte_location(data: bytes, offset: int, path: str) -> Location:
    """The line and column (counted in bytes) of byte `offset` of a file's `data`:
    where a file that cannot be read as text goes wrong."""
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return Location(path, line, column)


def compose(text: str, file: str) -> tuple[Node | None, int]:
    """The YAML document in `text` as a node tree, and how many nodes it has.

    Returns (None, 0) for an empty document. Raises InputError with the
    position of any syntax problem.
    """
    try:
        composer = _SafeComposer(text)
    except UnicodeEncodeError as exc:  # a lone surrogate: bytes that were not UTF-8 (a command-line argument)
        raise InputError.at(None, f"invalid text: character {exc.start + 1} stands for a byte that is not UTF-8; "
                                  "write it in UTF-8", file) from None
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the node tree is acyclic; collection passes only cost time
    try:
        node = composer.get_single_node()
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or "is not valid YAML"
        if "another document" in problem:
            problem = "a menu file holds one YAML document; remove the second '---'"
        mark = exc.problem_mark or exc.context_mark
        if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            problem = "a tab character; indent with spaces, not tabs"
        loc = _mark_location(file, mark)
        raise InputError.at(loc, f"invalid YAML: {problem}{_hint(problem)}", file) from None
    except yaml.YAMLError as exc:  # errors without a position (reader errors)
        raise InputError.at(None, f"invalid YAML: {exc}", file) from None
    finally:
        if gc_was_enabled:
            gc.enable()
        composer.dispose()
    return node, composer.count


def _char_at(text: str, line: int, column: int) -> str:
    """The character at a 0-based line and column of `text`, or ''."""
    start = 0
    for _ in range(line):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    return text[start + column: start + column + 1]


def kind(node: Node) -> str:
    """A reader's name for a node's kind, for error messages."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == PLAIN and node.value in ("", "~", "null", "Null", "NULL"):
        return "empty"
    return f"'{_short(node.value)}'"


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- comments -------------------------------------------------------------------

#: A comment of a YAML text: 1-based line and column of its '#', its text
#: from the '#' to the end of the line, and, when it stands on a line of its
#: own, the line of the first token after it (else None).
Comment = tuple[int, int, str, int | None]

_COMMENT = re.compile(r"#[^\n]*")
_BLOCK_HEADER_COMMENT = re.compile(r"[|>][0-9+-]*[ \t]+(#[^\n]*)")


def _tokens(text: str, offset: Callable[[Any], int]) -> tuple[list[tuple[int, int, int]], list[int]] | None:
    """The tokens of `text` that take room, as (start offset, end offset, 0-based line), and the
    offsets of the comments that lie inside a token (a block scalar's header); None if it does not scan."""
    tokens: list[tuple[int, int, int]] = []
    hashes: list[int] = []
    parser = _Parser(text)
    try:
        while parser.check_token():
            token = parser.get_token()
            if token is None or isinstance(token, yaml.StreamEndToken):  # None: no token after all
                break
            start, end = offset(token.start_mark), offset(token.end_mark)
            if isinstance(token, yaml.ScalarToken) and token.style in ("|", ">"):
                # "prompt: |  # note": a block scalar's header comment lies inside its token
                header = _BLOCK_HEADER_COMMENT.match(text, start)
                if header:
                    hashes.append(header.start(1))
            if end > start:  # a block's end takes no room: it is not the line a comment above it means
                tokens.append((start, end, token.start_mark.line))
    except yaml.YAMLError:  # compose() accepted the text; this guards the unexpected
        return None
    finally:
        parser.dispose()
    return tokens, hashes


def comments(text: str) -> list[Comment]:
    """Every comment of an already composed YAML `text`, in order.

    PyYAML's scanner drops comments, but it knows where every token is: a
    '#' inside a quoted, plain or block scalar lies inside a token, and a
    comment lies in the gaps between tokens. So only the gaps are searched,
    which keeps "press # for more" in a prompt from looking like a comment.
    """
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def offset(mark) -> int:
        return line_starts[mark.line] + mark.column if mark.line < len(line_starts) else len(text)

    scanned = _tokens(text, offset)
    if scanned is None:
        return []
    tokens, hashes = scanned
    gap_start = 0
    for start, end, _ in tokens + [(len(text), len(text), -1)]:
        hashes.extend(m.start() for m in _COMMENT.finditer(text, gap_start, max(start, gap_start)))
        gap_start = max(gap_start, end)
    token_starts = [start for start, _, _ in tokens]
    out: list[Comment] = []
    for hash_at in sorted(hashes):
        line = bisect.bisect_right(line_starts, hash_at) - 1
        end = text.find("\n", hash_at)
        body = text[hash_at: end if end >= 0 else len(text)].rstrip("\r")
        target = None
        if not text[line_starts[line]:hash_at].strip():  # a comment on a line of its own
            following = bisect.bisect_left(token_starts, hash_at)
            target = tokens[following][2] + 1 if following < len(tokens) else None
        out.append((line + 1, hash_at - line_starts[line] + 1, body, target))
    return out
