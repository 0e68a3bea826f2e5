"""A menu given as text rather than a file: an editor's unsaved buffer, or `check -` reading stdin.

The text is read as the file `path` would be: a YAML menu from the text
itself; a platform file with the files of its phone line, as `check`
reads it. When the text is not what is saved at `path`, the line is read
from scratch copies with the text in its file's place, and every place is
named by the real file again (``relabel``).
"""

from __future__ import annotations

import os
import re
import tempfile

from ivrlint.errors import InputError
from ivrlint.importers import importers, line_files, read_any
from ivrlint.importers.importer import HEAD_BYTES
from ivrlint.location import Location
from ivrlint.menu.document import Document, relabel
from ivrlint.menu.loader import read_text
from ivrlint.menu.yamlsource import MAX_BYTES, open_regular

_SURROGATE = re.compile("[\ud800-\udfff]")


def platform_of(path: str, text: str) -> str | None:
    """The importer that reads `path` with content `text`, or None for an ivrlint YAML menu."""
    head = text.encode("utf-8", "surrogatepass")[:HEAD_BYTES]
    for importer in importers().values():
        if path.endswith(importer.suffixes) and importer.sniff(path, head):
            return importer.name
    return None


def read_buffer(path: str, text: str) -> Document:
    """The document in buffer `text` of file `path` (YAML, or a platform file with its line)."""
    _refuse_surrogates(path, text)
    fmt = platform_of(path, text)
    if fmt is None:
        return read_text(text, path)
    if _saved(path, text):
        return read_any(path, fmt)
    return _read_copies(path, text, fmt)


def _refuse_surrogates(path: str, text: str) -> None:
    """An InputError at the first lone surrogate of `text`: an editor's buffer may hold one (LSP text is
    JSON, whose "\\udcff" decodes to it), but it is no character, and no file or parser can take it."""
    found = _SURROGATE.search(text)
    if found is None:
        return
    at = found.start()
    line, column = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
    raise InputError.at(Location(path, line, column), f"the text holds U+{ord(found.group()):04X}, half of a UTF-16 "
                        "surrogate pair and no character; remove it or save the file as UTF-8", path)


def _saved(path: str, text: str) -> bool:
    try:
        with open_regular(path) as fh:  # --stdin-filename may name a pipe: it is not waited on
            return fh.read(MAX_BYTES + 1).decode("utf-8") == text
    except (OSError, UnicodeDecodeError, InputError):
        return False


def _read_copies(path: str, text: str, fmt: str) -> Document:
    """The line of `path` with `text` in its place, read from scratch copies and named by the real files."""
    files = line_files(path, fmt) if os.path.isfile(path) else [path]
    with tempfile.TemporaryDirectory(prefix="ivrlint-buffer-") as scratch:
        labels: dict[str, str] = {}
        for file in files:
            copy = os.path.join(scratch, os.path.basename(file))
            if file == path:
                with open(copy, "w", encoding="utf-8", newline="") as fh:
                    fh.write(text)
            else:
                with open(file, "rb") as source, open(copy, "wb") as fh:
                    fh.write(source.read())
            labels[copy] = file
        document = read_any(list(labels), fmt)
        relabel(document, labels)
        return document
