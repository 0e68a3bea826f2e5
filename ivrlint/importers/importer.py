"""What a platform's importer module provides: its ``IMPORTER``, an Importer.

A leaf of the importers package: the platform packages import it, and the
package's registry (``ivrlint.importers``) loads them by name, so neither
imports the other's module in a circle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ivrlint.menu.document import Document

#: How many bytes of a file sniffing looks at.
HEAD_BYTES = 8192


@dataclass(frozen=True)
class Importer:
    name: str  # what --from takes, e.g. "freeswitch"
    title: str  # what a person calls it, e.g. "FreeSWITCH IVR XML"
    suffixes: tuple[str, ...]  # file name endings a directory search considers
    sniff: Callable[[str, bytes], bool]  # (path, first HEAD_BYTES bytes) -> is it ours?
    read: Callable[[list[str]], Document]  # the files of one phone line -> its menu and notes
    #: the files a file pulls in (#include...), so a directory search does not
    #: lint an included file a second time as a phone line of its own
    includes: Callable[[str], list[str]] | None = None
