"""FreeSWITCH IVR XML: ``ivr.conf.xml`` and ``ivr_menus/*.xml`` (mod_dptools' ``ivr`` menus).

A phone line is the menus of the files given (and of the files they
include): ``<configuration name="ivr.conf"><menus><menu ...>`` or
``<include><menu ...>``, as the stock configuration and FusionPBX write
them. xmlfiles.py reads the XML safely with positions, digits.py reduces
entry digits to keys, steps.py maps applications to nodes, build.py puts
the menus together.
"""

from __future__ import annotations

import os
import re

from ivrlint.errors import InputError
from ivrlint.importers.freeswitch.build import Builder
from ivrlint.importers.freeswitch.xmlfiles import read_files
from ivrlint.importers.importer import Importer
from ivrlint.menu.document import Document

_CONFIGURATION = re.compile(rb"<configuration\s[^>]*name\s*=\s*[\"']ivr\.conf[\"']")
_MENU = re.compile(rb"<menu\s[^>]*(greet-long|greet-short)\s*=")


def sniff(path: str, head: bytes) -> bool:
    """An ivr.conf configuration, or an XML file with a <menu> that has a greeting or entries."""
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return False
    return bool(_CONFIGURATION.search(head) or (_MENU.search(head)) or (b"<menu " in head and b"<entry " in head))


def read(paths: list[str]) -> Document:
    return Builder(read_files(paths), paths[0]).build()


def includes(path: str) -> list[str]:
    """The files `path` includes with X-PRE-PROCESS (none when it cannot be read: loading reports why)."""
    try:
        seen = read_files([path]).seen
    except InputError:
        return []
    return sorted(seen - {os.path.realpath(path)})


IMPORTER = Importer("freeswitch", "FreeSWITCH IVR XML", (".xml",), sniff, read, includes)
