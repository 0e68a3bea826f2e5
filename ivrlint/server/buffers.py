"""What an editor's buffer says: lint the text being typed, as `check` would lint the saved file.

The buffer may differ from the file on disk. A YAML menu is read from the
text itself. A platform file is read with the files of its phone line,
as `check` reads it; when the buffer is not what is saved, the line is
read from scratch copies with the buffer in its file's place, and every
place is named by the real file again (``relabel``).

Nothing here raises: a buffer that cannot be read gives its problems as
findings-to-be (``Outcome.problems``), and anything unexpected becomes one
problem at the top of the file, so the editor is told and the server lives on.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field

from ivrlint.errors import InputError
from ivrlint.importers import importers, line_files, read_any
from ivrlint.importers.importer import HEAD_BYTES
from ivrlint.lint.config import find_config, load_config
from ivrlint.lint.findings import Finding
from ivrlint.lint.run import lint_document
from ivrlint.lint.settings import Settings
from ivrlint.location import Location
from ivrlint.menu.document import Document, relabel
from ivrlint.menu.loader import read_text


@dataclass
class Outcome:
    """What linting a buffer gave: the document and its findings, or why it could not be read."""

    document: Document | None = None
    findings: list[Finding] = field(default_factory=list)
    #: problems that stop the buffer (or its configuration) from being read: (place, message)
    problems: list[tuple[Location | None, str]] = field(default_factory=list)


def platform_of(path: str, text: str) -> str | None:
    """The importer that reads `path` with content `text`, or None for an ivrlint YAML menu."""
    head = text.encode("utf-8", "surrogatepass")[:HEAD_BYTES]
    for importer in importers().values():
        if path.endswith(importer.suffixes) and importer.sniff(path, head):
            return importer.name
    return None


def settings_for(path: str) -> Settings:
    """The settings `check` would use for `path`: the configuration found from its directory."""
    config = find_config(os.path.dirname(os.path.abspath(path)))
    return load_config(config)[0] if config else Settings()


def lint_buffer(path: str, text: str) -> Outcome:
    """Read and lint the buffer `text` of file `path`; never raises."""
    try:
        settings = settings_for(path)
        document = read_buffer(path, text)
        return Outcome(document, lint_document(document, settings))
    except InputError as exc:
        return Outcome(problems=[(loc, message) for loc, message in exc.problems])
    except Exception as exc:  # noqa: BLE001 - the editor must hear of it, and the server must live on
        return Outcome(problems=[(Location(path, 1, 1), f"ivrlint could not lint this file ({type(exc).__name__}: {exc})")])


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
