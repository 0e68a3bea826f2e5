"""The sections of a dialplan as config.c reads them: ``[header]`` lines and ``name => value`` entries.

This layer knows nothing of extensions. A ``[name]`` opens a section,
``[name](!)`` a template, ``[name](tpl1,tpl2)`` one that starts with the
entries of earlier sections, ``[name](+)`` adds to an earlier ``[name]``;
the options follow the ``]`` at once, as config.c reads them. A line
before any section, a header with no ``]`` and a section to inherit from
or add to that is not there make Asterisk stop reading the file; a line
with no ``=`` is skipped with a warning. Both are reported (platform-warning)
and reading goes on.

A line of a file the user did not name (one only an ``#include`` brought)
is never quoted in these messages, only named by its file and number: what
an include reads must not reach the output, even where ivrlint cannot make
sense of it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ivrlint.importers.asterisk.source import PLATFORM_WARNING, Line
from ivrlint.location import Location

WARNING = PLATFORM_WARNING
#: Where a finding goes: (rule, message, place, node id, severity).
Note = Callable[..., None]


@dataclass
class Section:
    """The lines under one ``[header]``, before templates are applied."""

    name: str
    loc: Location
    comment: str
    template: bool
    entries: list[tuple[str, str, int, Line]] = field(default_factory=list)  # key, value, value column, line


def sections(lines: Iterable[Line], note: Note) -> list[Section]:
    """The sections `lines` write, in order, each with its entries; what config.c refuses or skips goes to `note`."""
    out: list[Section] = []
    by_name: dict[str, Section] = {}
    current: Section | None = None
    for line in lines:
        text = line.text.strip()
        at = line.text.index(text[0])
        if text.startswith("["):
            current, new = _header(line, at, by_name, note)
            if new:
                out.append(current)
                by_name[current.name] = current
            continue
        equals = line.text.find("=", at)
        key = line.text[at:equals].strip() if equals >= 0 else ""
        if not key:
            what = "no '=' (equal sign)" if equals < 0 else "no name before '='"
            note(WARNING, f"{quoted(line, text)} is not a dialplan line ({what}): Asterisk warns and skips it; write "
                          "exten => EXT,PRIORITY,App(args), same => n,App(args) or [context]", line.at(at))
            continue
        if current is None:
            note(WARNING, f"{quoted(line, key + ' =>')} before any [context]: Asterisk logs 'No category context' and reads no more of "
                          f"{os.path.basename(line.file)}; put a [context] line above it", line.at(at), severity="error")
            continue
        value_at = equals + 1 + (line.text.startswith(">", equals + 1))
        value_at += len(line.text[value_at:]) - len(line.text[value_at:].lstrip())
        current.entries.append((key, line.text[value_at:], value_at, line))
    return out


def quoted(line: Line, text: str) -> str:
    """`text` of `line` in quotes; for a line of a file only included (not named by the user), just where it is."""
    return f"line {line.number} of {os.path.basename(line.file)}" if line.included else f"'{text}'"


def _header(line: Line, at: int, by_name: dict[str, Section], note: Note) -> tuple[Section, bool]:
    """The section a ``[header]`` line opens, and whether it is a new one (not an addition with (+)).

    As config.c: the name runs to the first ``]``; options follow it at once in ``(...)``."""
    text = line.text
    loc = line.at(at)
    close = text.find("]", at)
    refused = f"Asterisk stops reading {os.path.basename(line.file)} here; ivrlint reads on"
    if close < 0:
        note(WARNING, f"{quoted(line, text[at:].strip())} has no closing ']': {refused} with it as a context; write [name]", loc,
                  severity="error")
        close = len(text)
    name = text[at + 1:close].strip()
    options: list[str] = []
    if text.startswith("(", close + 1):
        end = text.find(")", close + 2)
        if end < 0:
            note(WARNING, f"[{name}]( has no closing ')': {refused} without the options; write [{name}](options)", loc,
                      severity="error")
        else:
            options = [o.strip() for o in text[close + 2:end].split(",") if o.strip()]
    if "+" in options:
        if name in by_name:
            return by_name[name], False
        note(WARNING, f"[{name}](+) adds to a context, but no [{name}] comes before it: {refused} with a new [{name}]; "
                      f"write [{name}]", loc, severity="error")
    section = Section(name, loc, line.comment, template="!" in options)
    for base in (o for o in options if o not in ("!", "+")):
        if base not in by_name:
            note(WARNING, f"[{name}]({base}) inherits from [{base}], which is not written above it: {refused} "
                          f"without it; define [{base}](!) first", loc, severity="error")
            continue
        section.entries.extend(by_name[base].entries)
    return section, True
