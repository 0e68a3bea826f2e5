"""An Asterisk dialplan as data: contexts, extensions, numbered steps.

Parsing follows Asterisk's pbx_config:

* ``[name]`` opens a context; ``[name](!)`` a template (not a context);
  ``[name](tpl1,tpl2)`` starts with the templates' lines; ``[name](+)`` adds
  to an earlier ``[name]``. A name written twice is one context.
* ``exten => EXT,PRIORITY,App(args)`` (``=`` works as ``=>``),
  ``same => PRIORITY,App(args)`` continues the last extension. A priority is
  a number, ``n`` (one more than the line before, in this context, as in
  Asterisk: not per extension), ``s`` (the same as the line before) or
  ``hint`` (a device state hint, not a step), with an optional ``(label)``.
* ``include => other`` makes the other context's extensions match here.
* ``[general]`` is read for ``autofallthrough``; ``[globals]`` for variables.

Malformed lines are errors (file:line:col). Lines Asterisk would load with
a complaint (a priority written twice, an extension without priority 1) and
directives with no effect on the call flow the importer can model become
import notes for the I4xx rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from ivrlint.errors import InputError
from ivrlint.importers.asterisk.freepbx import GENERATED, INTERNAL
from ivrlint.importers.asterisk.source import Line
from ivrlint.importers.asterisk.syntax import Call, parse_call
from ivrlint.location import Location
from ivrlint.menu.document import Note

OPAQUE = "opaque-step"  # I401
BROKEN = "broken-entry"  # I402

_HEADER = re.compile(r"\s*\[([^\]]*)\]\s*(?:\(([^)]*)\))?\s*$")
_ENTRY = re.compile(r"\s*([A-Za-z_][\w.-]*)\s*(=>|=)\s*")
_PRIORITY = re.compile(r"(\d+|n|next|s|same|hint)(?:\(([^()]+)\))?$", re.IGNORECASE)


@dataclass
class Step:
    """One priority of one extension."""

    context: str
    exten: str
    priority: int
    label: str | None
    call: Call
    line: Line
    exten_loc: Location  # where the extension's name (or `same`) is written


@dataclass
class Extension:
    name: str
    loc: Location  # the first line that names it
    comment: str  # the comment on that line, e.g. "; Sales"
    steps: dict[int, Step] = field(default_factory=dict)
    labels: dict[str, int] = field(default_factory=dict)

    def first(self) -> int | None:
        return min(self.steps) if self.steps else None


@dataclass
class Include:
    context: str
    loc: Location
    condition: str  # a time condition ("09:00-17:00,mon-fri,*,*") or ""


@dataclass
class Context:
    name: str
    loc: Location
    comment: str
    extensions: dict[str, Extension] = field(default_factory=dict)
    includes: list[Include] = field(default_factory=list)


@dataclass
class Dialplan:
    contexts: dict[str, Context] = field(default_factory=dict)
    globals: dict[str, str] = field(default_factory=dict)
    autofallthrough: bool = True  # [general] autofallthrough, Asterisk's default yes
    notes: list[Note] = field(default_factory=list)

    def note(self, slug: str, message: str, loc: Location, node_id: str | None = None) -> None:
        self.notes.append(Note(slug, message, loc, node_id))


@dataclass
class _Section:
    """The lines under one ``[header]``, before templates are applied."""

    name: str
    loc: Location
    comment: str
    template: bool
    entries: list[tuple[str, str, int, Line]] = field(default_factory=list)  # key, value, value column, line


def parse(lines: Iterable[Line]) -> Dialplan:
    """The dialplan written in `lines` (from source.Reader)."""
    plan = Dialplan()
    for section in _sections(lines):
        name = section.name.lower()
        if section.template:
            continue
        if name == "general":
            for key, value, _, _ in section.entries:
                if key.lower() == "autofallthrough":
                    plan.autofallthrough = value.strip().lower() not in ("no", "false", "0", "off")
        elif name == "globals":
            for key, value, _, _ in section.entries:
                plan.globals[key] = value.strip()
        else:
            _Builder(plan, section).run()
    for context in plan.contexts.values():
        _check_first_priorities(plan, context)
        _check_includes(plan, context)
    return plan


def _sections(lines: Iterable[Line]) -> list[_Section]:
    out: list[_Section] = []
    by_name: dict[str, _Section] = {}
    current: _Section | None = None
    for line in lines:
        header = _HEADER.match(line.text)
        if header:
            current, new = _header(line, header, by_name)
            if new:
                out.append(current)
                by_name[current.name] = current
            continue
        entry = _ENTRY.match(line.text)
        if entry is None:
            raise InputError.at(line.at(len(line.text) - len(line.text.lstrip())),
                                f"'{line.text.strip()}' is not a dialplan line; write exten => EXT,PRIORITY,App(args), "
                                "same => n,App(args) or [context]", line.file)
        if current is None:
            raise InputError.at(line.at(entry.start(1)), f"'{entry.group(1)} {entry.group(2)}' before any [context]; "
                                                         "put a [context] line above it", line.file)
        value_at = entry.end()
        current.entries.append((entry.group(1), line.text[value_at:], value_at, line))
    return out


def _header(line: Line, header: re.Match, by_name: dict[str, _Section]) -> tuple[_Section, bool]:
    """The section a header opens, and whether it is a new one (not an addition with (+))."""
    name = header.group(1).strip()
    loc = line.at(line.text.index("["))
    if not name:
        raise InputError.at(loc, "a context with no name; write [name]", line.file)
    options = [o.strip() for o in (header.group(2) or "").split(",") if o.strip()]
    if "+" in options:
        if name not in by_name:
            raise InputError.at(loc, f"[{name}](+) adds to a context, but no [{name}] comes before it; write [{name}]", line.file)
        return by_name[name], False
    section = _Section(name, loc, line.comment, template="!" in options)
    for template in (o for o in options if o != "!"):
        if template not in by_name or not by_name[template].template:
            raise InputError.at(loc, f"[{name}]({template}) names no template [{template}](!) written above it; "
                                     f"define [{template}](!) first", line.file)
        section.entries.extend(by_name[template].entries)
    return section, True


class _Builder:
    """Adds one section's lines to its context, numbering priorities as Asterisk does."""

    def __init__(self, plan: Dialplan, section: _Section):
        self.plan = plan
        self.section = section
        if section.name not in plan.contexts:
            plan.contexts[section.name] = Context(section.name, section.loc, section.comment)
        self.context = plan.contexts[section.name]
        self.last_priority: int | None = None
        self.last_exten: str | None = None

    def run(self) -> None:
        for key, value, value_at, line in self.section.entries:
            kind = key.lower()
            if kind == "exten":
                self.exten(value, value_at, line)
            elif kind == "same":
                if self.last_exten is None:
                    raise InputError.at(line.at(line.text.index(key)), "same => with no exten => before it in this context; "
                                                                      "start the extension with exten => EXT,1,App()", line.file)
                self.step(self.last_exten, line.at(line.text.index(key)), value_at, line)
            elif kind == "include":
                self.include(value, value_at, line)
            elif kind == "ignorepat":
                continue  # what dial tone a phone hears; no effect on callers from outside
            else:
                self.plan.note(OPAQUE, f"'{key} =>' in [{self.context.name}] is not read by the importer; "
                                       "calls it sends elsewhere are not in the menu", line.at(line.text.index(key)))

    def exten(self, value: str, value_at: int, line: Line) -> None:
        comma = value.find(",")
        name = (value if comma < 0 else value[:comma]).strip()
        name_at = value_at + len(value) - len(value.lstrip())
        if not name:
            raise InputError.at(line.at(name_at), "exten => with no extension; write exten => EXT,1,App(args)", line.file)
        if comma < 0:
            raise InputError.at(line.at(name_at + len(name)),
                                f"exten => {name} has no priority; write exten => {name},1,App(args)", line.file)
        name = name.split("/", 1)[0].strip()  # EXT/CALLERID: the caller-ID part only narrows who matches
        self.last_exten = name
        self.step(name, line.at(name_at), value_at + comma + 1, line)

    def step(self, exten: str, exten_loc: Location, at: int, line: Line) -> None:
        text = line.text
        comma = text.find(",", at)
        raw = (text[at:] if comma < 0 else text[at:comma])
        priority_at = at + len(raw) - len(raw.lstrip())
        written = raw.strip()
        match = _PRIORITY.match(written)
        if match is None:
            raise InputError.at(line.at(priority_at), f"'{written}' is not a priority; write 1, n or n(label)", line.file)
        kind, label = match.group(1).lower(), match.group(2)
        if kind == "hint":
            return
        if comma < 0:
            raise InputError.at(line.at(priority_at + len(written)), f"priority {written} has no application; "
                                                                     f"add one: {written},Playback(hello-world)", line.file)
        if kind.isdigit():
            priority = int(kind)
            if priority < 1:
                raise InputError.at(line.at(priority_at), "priorities start at 1; write 1 or n", line.file)
        elif self.last_priority is None:
            raise InputError.at(line.at(priority_at), f"priority '{kind}' on the first line of [{self.context.name}]; write 1", line.file)
        else:
            priority = self.last_priority + (1 if kind in ("n", "next") else 0)
        self.last_priority = priority
        call = parse_call(line, comma + 1)
        extension = self.context.extensions.get(exten)
        if extension is None:
            extension = self.context.extensions[exten] = Extension(exten, exten_loc, line.comment)
        if priority in extension.steps:
            first = extension.steps[priority].line
            self.plan.note(BROKEN, f"priority {priority} of extension {exten} is already used at {first.file}:{first.number}; "
                                   "Asterisk ignores this line; use n or another number", line.at(priority_at))
            return
        extension.steps[priority] = Step(self.context.name, exten, priority, label, call, line, exten_loc)
        if label:
            extension.labels.setdefault(label, priority)

    def include(self, value: str, value_at: int, line: Line) -> None:
        raw = value.strip()
        parts = re.split(r"[,|]", raw, maxsplit=1)
        name = parts[0].strip()
        if not name:
            raise InputError.at(line.at(value_at), "include => names no context; write include => other-context", line.file)
        loc = line.at(value_at + len(value) - len(value.lstrip()))
        condition = parts[1].strip() if len(parts) > 1 else ""
        if condition:
            self.plan.note(OPAQUE, f"include => {name} only at {condition}: the importer does not model the time "
                                   f"condition, so [{name}]'s extensions count at all hours", loc)
        self.context.includes.append(Include(name, loc, condition))


def _check_includes(plan: Dialplan, context: Context) -> None:
    """Includes of contexts that are not among the files: FreePBX's empty ``-custom`` hooks and its
    generated contexts are expected to be missing; any other is a mistake."""
    for include in context.includes:
        name = include.context
        if name in plan.contexts or name.endswith("-custom") or name.lower() in GENERATED + INTERNAL:
            continue
        plan.note(BROKEN, f"include => {name}: no context [{name}] among the files, so its extensions never match "
                          f"in [{context.name}]; add the file that defines it or remove the line", include.loc)


def _check_first_priorities(plan: Dialplan, context: Context) -> None:
    """Extensions Asterisk can never start: no priority 1, or a gap after which steps never run."""
    for extension in context.extensions.values():
        numbers = sorted(extension.steps)
        if not numbers:
            continue
        if numbers[0] != 1:
            step = extension.steps[numbers[0]]
            plan.note(BROKEN, f"extension {extension.name} of [{context.name}] has no priority 1 (its first line is "
                              f"priority {numbers[0]}, since 'n' counts on from the line before), so Asterisk never "
                              "runs it; write 1 on its first line", step.line.at(step.exten_loc.column - 1))
            continue
        for before, after in pairwise(numbers):
            if after != before + 1 and extension.steps[after].label is None:
                step = extension.steps[after]
                plan.note(BROKEN, f"extension {extension.name} of [{context.name}] jumps from priority {before} to {after}: "
                                  f"Asterisk stops after {before} and never runs this line; number it {before + 1} or use n",
                          step.call.loc)
                break
