"""Follow a call through the dialplan to the steps that become menu nodes.

A call that arrives at a position runs steps the caller does not notice
(``Answer``, ``Set``, ``NoOp``...), follows ``Goto`` jumps and ``GotoIf``s
whose two ways end up at the same place, until it *lands*: on a step that
is a node of its own (a sound, a menu wait, a queue, a dial, a branch
that really splits), on the end of an extension (Asterisk hangs up), on a
FreePBX standard destination, or on a place that does not exist.

Each landing becomes one node, built once, however many ways lead to it.
Node ids are readable and stable: a menu is named after its context
(``ivr-2``); other nodes after where their step is written, as
context/extension/priority: ``sales`` (the start of a context's ``s``
extension, in a context that is not a menu), ``ivr-2/t`` (the start of
extension ``t``), ``ivr-2/i/final`` (a labelled priority), ``ivr-2/s/5``;
FreePBX destinations as ``ext-queues/400``. A dot (``_X.``) becomes ``~``
so that ids work in ``--set nodes.ID.FIELD`` paths.
"""

from __future__ import annotations

from collections import deque
from typing import NamedTuple

from ivrlint.importers.asterisk import freepbx
from ivrlint.importers.asterisk.apps import (
    ENDINGS,
    RETURNS,
    SOUNDS,
    SUBROUTINES,
    TRANSPARENT,
    dial_destinations,
    inner_call,
    local_channel,
)
from ivrlint.importers.asterisk.dialplan import BROKEN, Step
from ivrlint.importers.asterisk.phrases import MenuPlace, Place
from ivrlint.importers.asterisk.positions import Plan, Pos
from ivrlint.importers.asterisk.syntax import Call, find_top, is_application_name
from ivrlint.importers.numbers import whole_number
from ivrlint.location import Location
from ivrlint.menu.document import Note
from ivrlint.menu.model import Node, Queue

#: How many GotoIfs deep the search for where both ways lead goes.
MAX_DEPTH = 40
#: Menu-like steps: a context holding one of these names its menu node after itself.
MENU_APPS = ("background", "waitexten", "read")


class Landing(NamedTuple):
    kind: str  # "step", "end", "mapped", "missing", "spin", "computed" (a GotoIf way to an unknown place)
    key: tuple  # what identifies the node; equal keys are one node
    loc: Location | None  # where the way here is decided (a Goto's argument, the step)


class Flow:
    """Builds the nodes of one dialplan, on demand, from the positions calls reach."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.nodes: dict[str, Node] = {}
        self.queues: dict[str, Queue] = {}
        self._ids: dict[tuple, str] = {}
        self._used: set[str] = set()
        self._pending: deque[tuple[str, Landing]] = deque()
        self._resolved: dict[Pos, Landing] = {}
        self._effective: dict[int, Call] = {}
        self._noted: set[Note] = set()
        self.visited: set[str] = set()  # the contexts calls walk through
        #: for fix hints (phrases.py): what each menu is made of, and where nodes the model adds are written
        self.menu_places: dict[str, MenuPlace] = {}
        self.added_places: dict[str, Place] = {}
        self.menu_contexts = {
            ctx.name for ctx in plan.contexts.values()
            if any(self.call(step).name in MENU_APPS for ext in ctx.extensions.values() for step in ext.steps.values())
        }

    def note(self, slug: str, message: str, loc: Location, node_id: str | None = None) -> None:
        entry = Note(slug, message, loc, node_id)
        if entry not in self._noted:  # a path may be walked more than once
            self._noted.add(entry)
            self.plan.dialplan.notes.append(entry)

    # -- entering -----------------------------------------------------------
    def enter(self, pos: Pos, referrer: Location) -> tuple[str, Location]:
        """The node a call arriving at `pos` is in, and where that is decided."""
        landing = self.resolve(pos)
        return self.node_for(landing), landing.loc or referrer

    def enter_step(self, step: Step, pos: Pos) -> tuple[str, Location]:
        """The node a call reaches after `step` (at `pos`) is done: the next priority."""
        return self.enter(Pos(pos.context, pos.exten, pos.priority + 1), step.call.loc)

    def node_for(self, landing: Landing) -> str:
        if landing.kind == "missing":
            return landing.key[1]
        if landing.key not in self._ids:
            node_id = self.unique(self._name(landing))
            self._ids[landing.key] = node_id
            self._pending.append((node_id, landing))
        return self._ids[landing.key]

    def pending(self):
        """(node id, landing) for every node still to be built, as they are asked for."""
        while self._pending:
            yield self._pending.popleft()

    # -- resolving ----------------------------------------------------------
    def resolve(self, pos: Pos, depth: int = 0) -> Landing:
        """Where a call arriving at `pos` lands (see the module docstring)."""
        if pos in self._resolved:
            return self._resolved[pos]
        landing = self._walk(pos, depth)
        if depth == 0:
            self._resolved[pos] = landing
        return landing

    def _walk(self, pos: Pos, depth: int) -> Landing:
        seen: set[Pos] = set()
        via: Location | None = None
        current: Pos | Landing = pos
        while isinstance(current, Pos):
            if current in seen:
                return Landing("spin", ("spin", current), via)
            seen.add(current)
            self.visited.add(current.context)
            outside = self.outside(current, via)
            if outside is not None:
                return outside
            step = self.plan.step(current)
            if step is None:
                return Landing("end", ("end", current.context, current.exten), via)
            kind = self.kind(step, current)
            if kind == "transparent":
                current = Pos(current.context, current.exten, current.priority + 1)
            elif kind in ("goto", "dial-local"):
                jump = self.jump(step, current)
                if jump is None:  # a computed target: the step is a node of its own (opaque)
                    return Landing("step", ("step", current), via or step.call.loc)
                current, via = jump
            elif kind == "gotoif" and depth < MAX_DEPTH:
                landings = [self._side(side, current, depth) for side, _, _ in self.sides(step, current)]
                if any(landing.key != landings[0].key for landing in landings):
                    return Landing("step", ("step", current), via or step.call.loc)
                return landings[0]._replace(loc=landings[0].loc or via or step.call.loc)
            else:
                return Landing("step", ("step", current), via or step.call.loc)
        return current

    def _side(self, side: Pos | Landing, at: Pos, depth: int) -> Landing:
        return side if isinstance(side, Landing) else self.resolve(side, depth + 1)

    def outside(self, pos: Pos, via: Location | None) -> Landing | None:
        """A landing for a position outside the files' steps: FreePBX, missing."""
        defined = pos.context in self.plan.contexts
        mapped = freepbx.destination(pos.context, pos.exten, defined)
        if mapped is not None:
            return Landing("mapped", ("mapped", pos.context.lower(), pos.exten, mapped), via)
        if not defined or self.plan.find(pos.context, pos.exten) is None:
            name = pos.context if pos.exten == "s" and not defined else f"{pos.context}/{pos.exten}"
            return Landing("missing", ("missing", _clean(name)), via)
        return None

    # -- jumps --------------------------------------------------------------
    def jump(self, step: Step, pos: Pos) -> tuple[Pos | Landing, Location] | None:
        """Where a Goto (or a Dial of one Local/ channel) at `pos` goes; None when computed."""
        if step.call.name == "dial":
            local = self.local_target(step, pos)
            if local is None:  # not one Local/ channel: kind() does not send such a Dial here
                return None
            exten, context = local
            return Pos(context, exten, 1), step.call.arg_loc(0)
        return self.place(step.call.data, step.call.arg_loc(0), pos)

    def place(self, text: str, loc: Location, pos: Pos) -> tuple[Pos | Landing, Location] | None:
        """The position ``[[context,]exten,]priority`` names, or the missing place's landing."""
        target = self.plan.target(text, loc, pos)
        if target.computed:
            return None
        found = self.plan.find(target.context, target.exten)
        if found is None or not self.plan.contexts.get(target.context):
            return Pos(target.context, target.exten, 1), loc
        priority = self.plan.priority(target.context, target.exten, target.priority)
        if priority is None:
            if whole_number(target.priority) is not None:
                self.note(BROKEN, f"{target.context},{target.exten} has no priority {target.priority}; "
                                  "Asterisk hangs up here; jump to an existing priority or a label", loc)
                return Landing("end", ("end", target.context, target.exten), loc), loc
            name = _clean(f"{target.context}/{target.exten}/{target.priority}")
            return Landing("missing", ("missing", name), loc), loc
        return Pos(target.context, target.exten, priority), loc

    def sides(self, step: Step, pos: Pos) -> list[tuple[Pos | Landing, Location, str]]:
        """The two ways of a GotoIf/GotoIfTime: (where it goes, where it is written, condition)."""
        line, start = step.line, step.call.data_at
        end = start + len(step.call.data)
        question = find_top(line.text, "?", start, end)
        condition = line.text[start:question if question >= 0 else end].strip()
        next_pos = Pos(pos.context, pos.exten, pos.priority + 1)
        if question < 0:
            return [(next_pos, step.call.loc, condition)]
        colon = find_top(line.text, ":", question + 1, end)
        ways = [(question + 1, colon if colon >= 0 else end, condition)]
        ways.append((colon + 1, end, f"not ({condition})") if colon >= 0 else (end, end, f"not ({condition})"))
        out: list[tuple[Pos | Landing, Location, str]] = []
        for a, b, when in ways:
            text = line.text[a:b]
            if not text.strip():
                out.append((next_pos, step.call.loc, when))
                continue
            loc = line.at(a + len(text) - len(text.lstrip()))
            found = self.place(text.strip(), loc, pos)
            out.append((found[0], loc, when) if found else (Landing("computed", ("computed", pos, a), loc), loc, when))
        return out

    # -- kinds of steps -----------------------------------------------------
    def call(self, step: Step) -> Call:
        """The call a step makes: for ExecIf(cond?App()) the App, else the step's own."""
        if id(step) not in self._effective:
            call = step.call
            if call.name == "execif":
                call = inner_call(call, step.line) or call
            self._effective[id(step)] = call
        return self._effective[id(step)]

    def kind(self, step: Step, pos: Pos) -> str:
        name = step.call.name
        inner = self.call(step).name
        if name == "execif":
            return "transparent" if inner in TRANSPARENT else ("sound" if inner in ("background", "playback") else "opaque")
        if name in TRANSPARENT or (name in SUBROUTINES and self._plain_subroutine(step, pos)):
            return "transparent"
        if name and not is_application_name(step.call.app):
            return "no-such-app"
        if name == "goto":
            return "goto" if step.call.args and step.call.data.strip() else "empty-goto"
        if name in ("gotoif", "gotoiftime"):
            return "gotoif"
        if name == "dial" and self._local_dial(step, pos):
            return "dial-local"
        if name in SOUNDS:
            return "sound"
        if name in ENDINGS:
            return "ending"
        if name in ("waitexten", "read", "queue", "dial", "voicemail", "voicemailmain", "directory", ""):
            return name or "empty"
        return "opaque"

    def local_target(self, step: Step, pos: Pos) -> tuple[str, str] | None:
        """(exten, context) of the one ``Local/`` channel a Dial at `pos` rings, else None. Asterisk
        puts variables in before it splits the arguments (``${DEST}`` may hold ``Local/100@sales,30``)."""
        destinations = dial_destinations(self.plan.substitute(step.call.data, pos))
        return local_channel(destinations[0]) if len(destinations) == 1 else None

    def _local_dial(self, step: Step, pos: Pos) -> bool:
        local = self.local_target(step, pos)
        if local is None:
            return False
        exten, context = local
        return context in self.plan.contexts or freepbx.destination(context, exten, False) is not None

    def _plain_subroutine(self, step: Step, pos: Pos) -> bool:
        """Does the Gosub/Macro call a subroutine whose steps the caller never notices?"""
        if step.call.name == "macro":
            context = f"macro-{step.call.arg(0)}"
        else:
            parts = [p.strip() for p in step.call.data.split("(", 1)[0].split(",")]
            context = parts[0] if len(parts) == 3 else pos.context
        ctx = self.plan.contexts.get(context)
        if ctx is None:
            return False
        plain = TRANSPARENT | RETURNS | {"goto", "gotoif", "execif"}
        return all(s.call.name in plain for ext in ctx.extensions.values() for s in ext.steps.values())

    # -- names --------------------------------------------------------------
    def _name(self, landing: Landing) -> str:
        if landing.kind == "mapped":
            return f"{landing.key[1]}/{landing.key[2]}"
        if landing.kind == "end":
            return f"{landing.key[1]}/{landing.key[2]}/end"
        pos = landing.key[1]
        step = self.plan.step(pos)  # there is one at a step, spin or computed landing; else the priority names it
        menu_step = landing.kind == "step" and step is not None and self.call(step).name in MENU_APPS
        if menu_step and _clean(pos.context) not in self._used:
            return pos.context
        if landing.kind == "step" and self.resolve(Pos(pos.context, pos.exten, 1)).key == landing.key:
            return pos.context if self._bare(pos.context, pos.exten) else f"{pos.context}/{pos.exten}"
        return f"{pos.context}/{pos.exten}/{step.label if step is not None and step.label else pos.priority}"

    def _bare(self, context: str, exten: str) -> bool:
        """May a node at the start of `exten` take the context's own name?"""
        if context in self.menu_contexts:
            return False
        if exten == "s":
            return True
        ctx = self.plan.contexts.get(context)
        return ctx is not None and list(ctx.extensions) == [exten] and not ctx.includes

    def unique(self, name: str) -> str:
        name = _clean(name)
        out, n = name, 1
        while out in self._used:
            n += 1
            out = f"{name}#{n}"
        self._used.add(out)
        return out


def _clean(name: str) -> str:
    return name.replace(".", "~")
