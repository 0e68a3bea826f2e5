"""A menu given as text rather than a file: an editor's unsaved buffer, or `check -` reading stdin.

The text is read as the file `path` would be: a YAML menu from the text
itself; a platform file with the files of its phone line, as `check`
reads it. When the text is not what is saved at `path`, the line is read
from scratch copies with the text in its file's place, and every place is
named by the real file again (``relabel``).
"""

from __future__ import annotations

import os
import tempfile

from ivrlint.importers import importers, line_files, read_any
from ivrlint.importers.importer import HEAD_BYTES
from ivrlint.menu.document import Document, relabel
from ivrlint.menu.loader import read_text


def platform_of(path: str, text: str) -> str | None:
    """The importer that reads `path` with content `text`, or None for an ivrlint YAML menu."""
    head = text.encode("utf-8", "surrogatepass")[:HEAD_BYTES]
    for importer in importers().values():
        if path.endswith(importer.suffixes) and importer.sniff(path, head):
            return importer.name
    return None


def read_buffer(path: str, text: str) -> Document:
    """The document in buffer `text` of file `path` (YAML, or a platform file with its line)."""
    fmt = platform_of(path, text)
    if fmt is None:
        return read_text(text, path)
    if _saved(path, text):
        return read_any(path, fmt)
    return _read_copies(path, text, fmt)


def _saved(path: str, text: str) -> bool:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read() == text
    except (OSError, UnicodeDecodeError):
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
