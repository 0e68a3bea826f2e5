"""What an editor's buffer says: lint the text being typed, as `check` would lint the saved file
(reading it: ivrlint.importers.buffers).

Nothing here raises: a buffer that cannot be read gives its problems as
findings-to-be (``Outcome.problems``), and anything unexpected becomes one
problem at the top of the file, so the editor is told and the server lives on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ivrlint.errors import InputError
from ivrlint.importers.buffers import read_buffer
from ivrlint.lint.config import find_config, load_config
from ivrlint.lint.findings import Finding
from ivrlint.lint.run import lint_document
from ivrlint.lint.settings import Settings
from ivrlint.location import Location
from ivrlint.menu.document import Document


@dataclass
class Outcome:
    """What linting a buffer gave: the document and its findings, or why it could not be read."""

    document: Document | None = None
    findings: list[Finding] = field(default_factory=list)
    #: problems that stop the buffer (or its configuration) from being read: (place, message)
    problems: list[tuple[Location | None, str]] = field(default_factory=list)


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
