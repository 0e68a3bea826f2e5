"""Genesys Cloud Architect flows written in Archy YAML (``inboundCall:``), as a menu.

Archy (Genesys' command-line flow tool) and Architect's "Export" write a flow
as YAML: ``inboundCall:`` with ``name``, ``startUpRef``, ``initialGreeting``,
``settingsMenu``, ``settingsErrorHandling``, ``menus`` (each with ``audio``
and ``choices`` on ``dtmf`` keys) and ``tasks`` (lists of actions). A file
is recognised by that content, not by its name, so a ``.yaml`` flow and an
ivrlint YAML menu can sit side by side. Modules, in the order the import runs:

* source.py: the file through the YAML menus' own position-keeping reader,
  its comments, keys written twice;
* values.py, audio.py, refs.py: Archy's value forms, what audio says, references;
* flow.py: one flow's menus and tasks, settings and references;
* start.py, menus.py, actions.py: where calls begin, menus and their choices,
  task actions, as nodes;
* line.py, build.py: the flows of one phone line as one Menu;
* phrases.py: fix hints in Archy's words.
"""

from __future__ import annotations

import gc
import re

from ivrlint.importers.genesys.build import build
from ivrlint.importers.genesys.source import FLOW_TYPES, read_file
from ivrlint.importers.importer import Importer
from ivrlint.menu.document import Document

#: A flow file's first content line is its flow type alone (``inboundCall:``), and an indented line follows.
_FLOW_HEAD = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:[ \t]*(?:#[^\n]*)?\r?\n|---[^\n]*\n)*(?:" + b"|".join(t.encode() for t in FLOW_TYPES)
    + rb"):[ \t]*(?:#[^\n]*)?\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]+[^\s#]")


def sniff(path: str, head: bytes) -> bool:
    """An Archy flow: the first key of the file names a flow type (``inboundCall:``) and holds indented settings."""
    return _FLOW_HEAD.match(head) is not None


def read(paths: list[str]) -> Document:
    enabled = gc.isenabled()
    gc.disable()  # the YAML trees are acyclic and stay alive while the flows are read: collection passes only cost time
    try:
        return build([read_file(path) for path in paths])
    finally:
        if enabled:
            gc.enable()


IMPORTER = Importer(
    name="genesys",
    title="Genesys Cloud Archy YAML",
    suffixes=(".yaml", ".yml"),
    sniff=sniff,
    read=read,
)
