"""An Asterisk dialplan as data: contexts, extensions, numbered steps.

Parsing follows Asterisk's config.c (sections, ``name => value`` lines)
and pbx_config.c (what a dialplan line means):

* ``[name]`` opens a context; ``[name](!)`` a template (not a context);
  ``[name](tpl1,tpl2)`` starts with the lines of those sections;
  ``[name](+)`` adds to an earlier ``[name]``. A name written twice is one
  context.
* ``exten => EXT,PRIORITY,App(args)`` (``=`` works as ``=>``),
  ``same => PRIORITY,App(args)`` continues the last extension. A priority is
  a number, ``n`` (one more than the line before, in this context, as in
  Asterisk: not per extension), ``s`` (the same as the line before), a
  label an earlier line of the extension defines (its priority), or
  ``hint`` (a device state hint, not a step); then an optional ``+N``
  (``n+101``, ``lookup+101``) and an optional ``(label)``.
* ``include => other`` makes the other context's extensions match here.
* ``[general]`` is read for ``autofallthrough``; ``[globals]`` for variables.

What Asterisk skips with a warning, ivrlint skips too and reports at its
line (platform-warning): a line with no usable priority (``exten =>
t,Set(...)``: "Invalid priority/label"), ``n`` on a context's first line,
``same =>`` with no extension before it, a priority written twice, a line
with no ``=``, an unknown ``name =>``. When what was skipped leaves an
extension with no priority 1, the finding is an error and says what that
does to callers. What config.c refuses (a line before any ``[context]``,
a template that is not there) makes Asterisk stop reading the file; ivrlint
reports it as an error and reads on. Steps Asterisk loads but cannot run
(an extension without priority 1, a gap) and directives the importer does
not model become broken-entry and opaque-step notes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from ivrlint.importers.asterisk.freepbx import GENERATED, INTERNAL
from ivrlint.importers.asterisk.sections import Section, quoted, sections
from ivrlint.importers.asterisk.source import PLATFORM_WARNING, Line
from ivrlint.importers.asterisk.syntax import Call, parse_call
from ivrlint.importers.numbers import strtol
from ivrlint.location import Location
from ivrlint.menu.document import Note

OPAQUE = "opaque-step"  # I401
BROKEN = "broken-entry"  # I402
WARNING = PLATFORM_WARNING  # I403

#: What sscanf("%d") reads at the start of a priority.
_NUMBER = re.compile(r"\s*[+-]?\d+")
#: Extensions whose steps a caller never meets: nothing is lost for callers when they do not start.
_NOT_FOR_CALLERS = ("h",)
#: More lines than this of one file repeating another file's priorities make it a copy, reported once.
COPY_LINES = 5
#: A priority field that is an application call: the priority was left out.
_LOOKS_LIKE_A_STEP = re.compile(r"[A-Za-z_]\w*\s*\(")


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
    written: str = ""  # the priority as written: "1", "n", "n(menu)", "lookup+101(failed)"


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


@dataclass(frozen=True)
class Skip:
    """A line Asterisk skips with a warning."""

    context: str
    exten: str | None  # the extension it was for, if it names one
    loc: Location
    what: str  # what Asterisk does
    fix: str  # what to write
    first: Line | None = None  # for a priority written twice: the line that has it first


@dataclass
class Dialplan:
    contexts: dict[str, Context] = field(default_factory=dict)
    globals: dict[str, str] = field(default_factory=dict)
    autofallthrough: bool = True  # [general] autofallthrough, Asterisk's default yes
    notes: list[Note] = field(default_factory=list)
    #: lines Asterisk skips, reported once parsing knows whether their extensions still start (_skipped_notes)
    skipped: list[Skip] = field(default_factory=list)

    def note(self, slug: str, message: str, loc: Location, node_id: str | None = None, severity: str | None = None) -> None:
        self.notes.append(Note(slug, message, loc, node_id, severity))


def parse(lines: Iterable[Line]) -> Dialplan:
    """The dialplan written in `lines` (from source.Reader)."""
    plan = Dialplan()
    for section in sections(lines, plan.note):
        name = section.name.lower()
        if section.template:
            continue
        if name == "general":
            for key, value, _, _ in section.entries:
                if key.lower() == "autofallthrough":  # ast_true()
                    plan.autofallthrough = value.strip().lower() in ("yes", "true", "y", "t", "1", "on")
        elif name == "globals":
            for key, value, _, _ in section.entries:
                plan.globals[key] = value.strip()
        else:
            _Builder(plan, section).run()
    skipped_starts = _skipped_notes(plan)
    for context in plan.contexts.values():
        _check_first_priorities(plan, context, skipped_starts)
        _check_includes(plan, context)
    return plan


class _Builder:
    """Adds one section's lines to its context, numbering priorities as Asterisk does."""

    def __init__(self, plan: Dialplan, section: Section):
        self.plan = plan
        self.section = section
        if section.name not in plan.contexts:
            plan.contexts[section.name] = Context(section.name, section.loc, section.comment)
        self.context = plan.contexts[section.name]
        self.last_priority: int | None = None  # Asterisk's lastpri; None before the first line (its -2)
        self.last_exten: str | None = None

    def run(self) -> None:
        for key, value, value_at, line in self.section.entries:
            kind = key.lower()
            if kind == "exten":
                self.exten(value, value_at, line)
                continue
            key_loc = line.at(line.text.index(key))
            if kind.startswith("same"):  # pbx_config compares the first four letters only
                if self.last_exten is None:
                    self.skip(None, key_loc, f"same => with no exten => before it in [{self.context.name}]: Asterisk logs "
                                             "'No previous pattern' and skips the line", "start the extension with exten => EXT,1,App()")
                else:
                    self.step(self.last_exten, key_loc, value_at, line)
            elif kind == "include":
                self.include(value, value_at, line)
            elif kind == "ignorepat":
                continue  # what dial tone a phone hears; no effect on callers from outside
            elif kind in ("switch", "lswitch", "eswitch"):
                self.plan.note(OPAQUE, f"'{key} =>' in [{self.context.name}] looks extensions up elsewhere ({value.strip()}); "
                                       "the importer does not follow it, so calls it sends elsewhere are not in the menu", key_loc)
            else:
                self.plan.note(WARNING, f"{quoted(line, key + ' =>')} in [{self.context.name}] is no dialplan directive: Asterisk logs "
                                        "'Unknown directive' and ignores the line; write exten =>, same =>, include => or remove it",
                               key_loc)

    def skip(self, exten: str | None, loc: Location, what: str, fix: str, first: Line | None = None) -> None:
        """A line Asterisk skips (`what` happens, `fix` is what to write); reported once the context is read (see _skipped_notes)."""
        self.plan.skipped.append(Skip(self.context.name, exten, loc, what, fix, first))

    def exten(self, value: str, value_at: int, line: Line) -> None:
        comma = _top_comma(value)
        name = (value if comma < 0 else value[:comma]).strip()
        name_at = value_at + len(value) - len(value.lstrip())
        name = name.split("/", 1)[0].strip()  # EXT/CALLERID: the caller-ID part only narrows who matches
        if not name:
            self.last_exten = None
            self.skip(None, line.at(name_at), "exten => with no extension: no call can dial an extension with no name, "
                                              "so the line never runs", "write exten => EXT,1,App(args)")
            return
        self.last_exten = name
        if comma < 0:
            self.skip(name, line.at(name_at + len(value.strip())),
                      f"exten => {name} has no priority: Asterisk logs \"Invalid priority/label ''\" and skips the line",
                      f"write exten => {name},1,App(args)")
            return
        self.step(name, line.at(name_at), value_at + comma + 1, line)

    def step(self, exten: str, exten_loc: Location, at: int, line: Line) -> None:
        text = line.text
        comma = text.find(",", at)
        raw = text[at:] if comma < 0 else text[at:comma]
        priority_at = at + len(raw) - len(raw.lstrip())
        read = self.priority(exten, raw.strip(), line, priority_at, text[at:].strip())
        if read is None:
            return
        priority, label = read
        call = parse_call(line, comma + 1, warn=self.warn) if comma >= 0 else Call("", line.at(len(text)), (), "", line, len(text))
        extension = self.context.extensions.get(exten)
        if extension is None:
            extension = self.context.extensions[exten] = Extension(exten, exten_loc, line.comment)
        if priority in extension.steps:
            first = extension.steps[priority].line
            self.skip(exten, line.at(priority_at), f"priority {priority} of extension {exten} is already used at "
                                           f"{os.path.basename(first.file)}:{first.number}: Asterisk logs 'Unable to register "
                                           "extension' and skips this line", "use n or another number", first)
            return
        extension.steps[priority] = Step(self.context.name, exten, priority, label, call, line, exten_loc, raw.strip())
        if label:
            extension.labels.setdefault(label, priority)

    def priority(self, exten: str, written: str, line: Line, at: int, rest: str) -> tuple[int, str | None] | None:
        """The priority and label `written` (at index `at` of `line`) gives, as pbx_config reads them; None for a
        line Asterisk skips (`rest`: the line from the priority on, for the fix)."""
        base, label = written, None
        if "(" in written:
            base, _, after = written.partition("(")
            if ")" not in after:
                self.skip(exten, line.at(at), f"'{written}': the label has no closing ')': Asterisk logs 'Label missing trailing ')'' "
                                      "and skips the line", "write n(label)")
                return None
            label = after.split(")", 1)[0]
        base, plus, offset = base.partition("+")
        base = base.strip()
        if base == "hint":
            self.last_priority = -1  # Asterisk's PRIORITY_HINT: an n after a hint counts from it
            return None
        priority = self.numbered(exten, base, written, line, at, rest)
        if priority is None:
            return None
        if plus:
            found = _NUMBER.match(offset)
            priority += strtol(found.group()) if found else 0  # atoi()
        self.last_priority = priority
        if priority < 1:  # only an n after a hint gets here: Asterisk drops it without a word
            self.skip(exten, line.at(at), f"priority '{written}' after a hint line counts on from the hint to {priority}: Asterisk "
                                  "does not add the line", "number it 1")
            return None
        return priority, label

    def numbered(self, exten: str, base: str, written: str, line: Line, at: int, rest: str) -> int | None:
        """The priority a base (``1``, ``n``, ``s``, a label) stands for; None for a line Asterisk skips
        (reported at index `at` of `line`)."""
        if base in ("n", "next", "s", "same"):
            if self.last_priority is None:
                word = "next" if base.startswith("n") else "same"
                self.skip(exten, line.at(at), f"priority '{written}' on the first line of [{self.context.name}]: Asterisk logs "
                                      f"\"Can't use '{word}' priority on the first entry\" and skips the line", "write 1")
                return None
            return self.last_priority + (1 if base in ("n", "next") else 0)
        found = _NUMBER.match(base)
        if found is not None:
            if strtol(found.group()) < 1:
                self.skip(exten, line.at(at), f"priority '{written}': priorities start at 1; Asterisk logs 'Invalid priority' "
                                      "and skips the line", "write 1 or n")
                return None
            return strtol(found.group())
        extension = self.context.extensions.get(exten)
        if extension is not None and base in extension.labels:
            return extension.labels[base]  # a label of an earlier line: its priority
        if _LOOKS_LIKE_A_STEP.match(written):  # exten => t,Set(...): the priority is left out
            self.skip(exten, line.at(at), f"exten => {exten},{_short(rest)} has no priority: Asterisk reads '{base}' as one, logs "
                                  f"\"Invalid priority/label '{base}'\" and skips the line", f"write exten => {exten},1,{_short(rest)}")
        else:
            self.skip(exten, line.at(at), f"'{written}' is not a priority (nor a label of an earlier line of {exten}): Asterisk logs "
                                  f"\"Invalid priority/label '{base}'\" and skips the line", "write 1, n or n(label)")
        return None

    def warn(self, loc: Location, message: str) -> None:
        self.plan.note(WARNING, message, loc)

    def include(self, value: str, value_at: int, line: Line) -> None:
        raw = value.strip()
        parts = re.split(r"[,|]", raw, maxsplit=1)
        name = parts[0].strip()
        loc = line.at(value_at + len(value) - len(value.lstrip()))
        if not name:
            self.plan.note(WARNING, "include => names no context: Asterisk cannot include it and skips the line; "
                                    "write include => other-context", loc)
            return
        condition = parts[1].strip() if len(parts) > 1 else ""
        if condition:
            self.plan.note(OPAQUE, f"include => {name} only at {condition}: the importer does not model the time "
                                   f"condition, so [{name}]'s extensions count at all hours", loc)
        self.context.includes.append(Include(name, loc, condition))


def _top_comma(value: str) -> int:
    """Where the extension's name ends: pbx_strsep's first ',' outside [...] and not after a backslash; -1 if none."""
    square, i = 0, 0
    while i < len(value):
        char = value[i]
        if char == "\\":
            i += 1
        elif char == "[":
            square += 1
        elif char == "]":
            square = max(square - 1, 0)
        elif char == "," and not square:
            return i
        i += 1
    return -1


def _skipped_notes(plan: Dialplan) -> set[tuple[str, str]]:
    """Report the lines Asterisk skips; an error when the skip leaves an extension callers meet with no priority 1.
    Returns those (context, extension), which _check_first_priorities has no more to say about."""
    unstarted: set[tuple[str, str]] = set()
    for skip in _without_copies(plan):
        context, exten = skip.context, skip.exten
        extension = plan.contexts[context].extensions.get(exten) if exten is not None else None
        if exten is None or exten in _NOT_FOR_CALLERS or (extension is not None and 1 in extension.steps):
            plan.note(WARNING, f"{skip.what}; {skip.fix}", skip.loc)
            continue
        unstarted.add((context, exten))
        plan.note(WARNING, f"{skip.what}, so extension {exten} of [{context}] has no priority 1 and never runs: "
                           f"{_what_callers_meet(context, exten)}; {skip.fix}", skip.loc, severity="error")
    return unstarted


def _without_copies(plan: Dialplan) -> list[Skip]:
    """The skipped lines, less those of a file that gives again the priorities another file gives (an old
    copy of a dialplan beside the current one): one note for each such file, at its first such line."""
    copied: dict[tuple[str, str], list[Skip]] = {}
    for skip in plan.skipped:
        if skip.first is not None and skip.first.file != skip.loc.file:
            copied.setdefault((skip.loc.file, skip.first.file), []).append(skip)
    many = {pair: skips for pair, skips in copied.items() if len(skips) > COPY_LINES}
    for (copy, original), skips in many.items():
        first = skips[0]
        plan.note(WARNING, f"{len(skips)} lines of {os.path.basename(copy)} give again priorities that {os.path.basename(original)} "
                           f"gives (the first: priority of extension {first.exten} of [{first.context}]): Asterisk keeps the first "
                           "and skips the others; is one of the files an old copy of the other? Lint the files Asterisk loads "
                           "(its extensions.conf and what that includes)", first.loc)
    dropped = {id(skip) for skips in many.values() for skip in skips}
    return [skip for skip in plan.skipped if id(skip) not in dropped]


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _what_callers_meet(context: str, exten: str) -> str:
    """What a caller meets when extension `exten` of `context` never runs."""
    if exten == "t":
        return f"a caller who presses nothing at a menu of [{context}] is hung up"
    if exten == "i":
        return f"a caller who presses a key [{context}] has no extension for is hung up"
    if exten == "s":
        return f"a call sent to [{context}] finds nothing to run and is hung up"
    return f"a caller who dials {exten} in [{context}] is treated as dialling an invalid key"


def _check_includes(plan: Dialplan, context: Context) -> None:
    """Includes of contexts that are not among the files: FreePBX's empty ``-custom`` hooks and its
    generated contexts are expected to be missing; any other is a mistake."""
    for include in context.includes:
        name = include.context
        if name in plan.contexts or name.endswith("-custom") or name.lower() in GENERATED + INTERNAL:
            continue
        plan.note(BROKEN, f"include => {name}: no context [{name}] among the files, so its extensions never match "
                          f"in [{context.name}]; add the file that defines it or remove the line", include.loc)


def _check_first_priorities(plan: Dialplan, context: Context, reported: set[tuple[str, str]]) -> None:
    """Extensions Asterisk can never start: no priority 1 (unless a skipped line already says so: `reported`),
    or a gap after which steps never run."""
    for extension in context.extensions.values():
        numbers = sorted(extension.steps)
        if not numbers:
            continue
        if numbers[0] != 1:
            if (context.name, extension.name) in reported:
                continue
            step = extension.steps[numbers[0]]
            why = ", since 'n' counts on from the line before, in any extension" if step.written[:1] in "ns" else ""
            plan.note(BROKEN, f"extension {extension.name} of [{context.name}] has no priority 1 (its first line is "
                              f"priority {numbers[0]}{why}), so Asterisk never runs it; write 1 on its first line",
                      step.line.at(step.exten_loc.column - 1))
            continue
        for before, after in pairwise(numbers):
            if after != before + 1 and extension.steps[after].label is None:
                step = extension.steps[after]
                plan.note(BROKEN, f"extension {extension.name} of [{context.name}] jumps from priority {before} to {after}: "
                                  f"Asterisk stops after {before} and never runs this line; number it {before + 1} or use n",
                          step.call.loc)
                break
