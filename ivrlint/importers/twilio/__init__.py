"""Twilio Studio flows (the flow definition JSON) as a menu.

A phone line is the flow that takes its calls: one flow file, or the
first flow taking calls among the files of a directory (build.py).
Modules, in the order the import runs:

* jsontext.py, hcl.py: JSON, and Terraform's ``jsonencode({...})``, with the
  position of every value and the names written twice, bounded;
* flows.py: files -> flows and widgets, checking the shape of the flow;
* build.py: the walk over the widgets a caller can pass -> one Menu;
* widgets.py, menus.py, prompts.py: what each widget becomes;
* phrases.py: fix hints in Studio's terms.
"""

from __future__ import annotations

import re

from ivrlint.errors import InputError
from ivrlint.importers.importer import Importer
from ivrlint.importers.twilio.build import Builder
from ivrlint.importers.twilio.flows import read_flows
from ivrlint.menu.document import Document

_JSON_STATES = re.compile(rb'"states"\s*:\s*\[\s*\{')
_JSON_TRANSITIONS = re.compile(rb'"transitions"\s*:\s*\[')
_STRING_STATES = re.compile(rb'\\"states\\"\s*:\s*\[')
_HCL_CALL = re.compile(rb"jsonencode\s*\(")
_HCL_STATES = re.compile(rb'(?:^|[\s{,])"?states"?\s*[=:]\s*\[')


def sniff(path: str, head: bytes) -> bool:
    """A JSON object (or list) with a "states" list of widgets that have "transitions";
    or a Terraform file that hands such an object to jsonencode()."""
    if path.endswith(".tf"):
        return bool(_HCL_CALL.search(head) and _HCL_STATES.search(head))
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith((b"{", b"[")):
        return False
    if _JSON_STATES.search(head) and _JSON_TRANSITIONS.search(head) and b'"type"' in head:
        return True
    return b'"definition"' in head and bool(_STRING_STATES.search(head))  # the definition as a JSON string: read says what to do


def read(paths: list[str]) -> Document:
    files = [read_flows(path) for path in paths]
    if not any(file.flows for file in files):
        raise InputError.at(None, "no Studio flow here: a .tf file is read for `definition = jsonencode({...})`; for "
                            "`definition = file(...)` or `templatefile(...)`, check the JSON file it names", paths[0])
    return Builder(files).document()


IMPORTER = Importer(
    name="twilio",
    title="Twilio Studio flow JSON",
    suffixes=(".json", ".tf"),
    sniff=sniff,
    read=read,
)
