"""Amazon Connect flows (the flow language JSON the console exports) as a menu.

A phone line is one flow file, or the flow files of a directory linked by
``TransferToFlow`` (line.py says how links and the entry flow are found).
Modules, in the order the import runs:

* jsonpos.py: JSON with the position of every value, bounded;
* flows.py: files -> flows and actions, checking the shape of the flow;
* line.py: links between flows, the entry flow, the caller's transitions;
* build.py: the walk over the blocks a caller can pass -> one Menu;
* blocks.py, retries.py, prompts.py: what each block becomes.
"""

from __future__ import annotations

from ivrlint.importers.connect.build import Builder
from ivrlint.importers.connect.flows import read_flow
from ivrlint.importers.connect.line import PhoneLine
from ivrlint.importers.importer import Importer
from ivrlint.menu.document import Document


def sniff(path: str, head: bytes) -> bool:
    """A JSON object that names a StartAction (exports write it before Metadata and Actions),
    or one whose first keys are Actions with Identifier and Transitions."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"{"):
        return False
    return b'"StartAction"' in head or (b'"Actions"' in head and b'"Identifier"' in head and b'"Transitions"' in head)


def read(paths: list[str]) -> Document:
    line = PhoneLine([read_flow(path) for path in paths])
    builder = Builder(line)
    builder.unreached_flows()
    return builder.document()


IMPORTER = Importer(
    name="connect",
    title="Amazon Connect flow JSON",
    suffixes=(".json",),
    sniff=sniff,
    read=read,
)
