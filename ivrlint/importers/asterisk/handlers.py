"""A menu's invalid-key and silence handling: extensions ``i`` and ``t``.

Asterisk has no retry count of its own. Without ``i`` an invalid key hangs
up; without ``t`` silence hangs up. What a dialplan writes decides:

* **A counted loop** (what FreePBX writes, and careful hand-written menus):
  ``i`` and ``t`` each add one to a counter, compare it
  (``GotoIf($[${INVALID_LOOPCOUNT} > 3]?final)``) and otherwise go back to
  the menu without resetting it. The menu gets ``retries`` from the counter
  (its start value, the comparison and whether it counts before or after
  comparing) and ``on_failure`` where the comparison leads. FreePBX counts
  invalid keys and silences apart; the model has one count per visit, so
  the larger is taken, and if the two ends differ the silence's is kept
  (reported by I401).
* **A loop with no count**: both go straight back to the menu (perhaps
  after ``Playback(invalid)``). The caller hears it again with no limit:
  ``retries`` is None, which the ``retries`` rule reports as unbounded.
* **Otherwise** ``t`` and ``i`` are where silence and an invalid key go. If
  both go to one place, ``retries`` is 0 and ``on_failure`` is that place.
  If they differ, ``retries`` is 1 and ``on_no_input`` and ``on_invalid``
  lead to each (a missing one is a hang-up node).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ivrlint.importers.asterisk.dialplan import OPAQUE, Step
from ivrlint.importers.asterisk.flow import Flow, Landing
from ivrlint.importers.asterisk.phrases import Place
from ivrlint.importers.asterisk.positions import Pos, assignment
from ivrlint.importers.numbers import whole_number
from ivrlint.location import Location
from ivrlint.menu.model import Node

#: Steps the search for a counted loop follows before giving up.
MAX_STEPS = 200

_COMPARISON = re.compile(r'\$\[\s*"?\$\{(\w+)\}"?\s*(>=|<=|==|=|>|<)\s*"?([^"\]\s]+)"?\s*\]$')


@dataclass
class Count:
    """How a counted way back to the menu ends."""

    retries: int
    exit: Pos | Landing  # where the call goes once the count is used up
    exit_loc: Location


@dataclass
class Guard:
    """A way back to the menu found in ``i`` or ``t``: counted, or with no limit (count None)."""

    count: Count | None
    loc: Location  # where the count is compared, or where the way back starts


@dataclass
class _Test:
    """The GotoIf of a counted loop: ``$[${variable} operator limit]``, and the way it takes to leave."""

    variable: str
    operator: str
    limit: str
    leave: tuple[Pos | Landing, Location, str]  # (where it goes, where that is written, condition)
    loc: Location  # where the GotoIf is written


def add_handlers(flow: Flow, node: Node, context: str, menu_pos: Pos, menu_loc: Location, waits: bool) -> None:
    """Set retries, on_no_input, on_invalid and on_failure of menu `node`, written at `menu_loc`
    (see the module docstring)."""
    timeout = _start(flow, context, "t") if waits else None
    invalid = _start(flow, context, "i")
    loops = [loop_back(flow, start, menu_pos) if start else None for start in (timeout, invalid)]
    if loops[0] and loops[1]:
        _looped(flow, node, loops[0], loops[1])
        return
    ways = [_way(flow, node, context, start, name) for start, name in ((timeout, "t"), (invalid, "i"))]
    if ways[0] is None and ways[1] is None:
        node.retries = 0  # every failure hangs up
        return
    (silence, silence_loc), (wrong, wrong_loc) = [w or _hangup(flow, menu_loc, context, name)
                                                  for w, name in zip(ways, ("t", "i"), strict=True)]
    if silence == wrong:
        node.retries, node.on_failure = 0, silence
        node.locs["on_failure"] = silence_loc
        return
    node.retries = 1
    node.on_no_input, node.on_invalid, node.on_failure = silence, wrong, silence
    node.locs.update(on_no_input=silence_loc, on_invalid=wrong_loc, on_failure=silence_loc)


def _looped(flow: Flow, node: Node, silence: Guard, wrong: Guard) -> None:
    """Both ways go back to the menu: counted (retries and on_failure), or with no limit (retries None)."""
    counted = [guard.count for guard in (silence, wrong) if guard.count is not None]
    if silence.count is None or wrong.count is None:
        node.retries = None
        node.locs["retries"] = (silence if silence.count is None else wrong).loc
    else:
        kept = silence if silence.count.retries >= wrong.count.retries else wrong
        node.retries = max(silence.count.retries, wrong.count.retries)  # the larger is taken: kept's
        node.locs["retries"] = kept.loc
        if _signature(flow, silence.count.exit) != _signature(flow, wrong.count.exit):
            flow.note(OPAQUE, f"silence ends at {silence.count.exit_loc} but invalid keys at {wrong.count.exit_loc}; "
                              "the menu model has one on_failure, so the silence's is used", wrong.count.exit_loc, node.id)
    if counted:
        node.on_failure, node.locs["on_failure"] = _enter(flow, counted[0].exit, counted[0].exit_loc)


def _start(flow: Flow, context: str, name: str) -> Pos | None:
    found = flow.plan.find(context, name)
    return Pos(context, name, 1) if found and 1 in found[1].steps else None


def _way(flow: Flow, node: Node, context: str, start: Pos | None, name: str) -> tuple[str, Location] | None:
    """The node extension `name` (i or t, starting at `start`) leads to; None when there is none."""
    found = flow.plan.find(context, name) if start is not None else None
    if start is None or found is None:
        return None
    return flow.enter(start, found[1].loc)


def _hangup(flow: Flow, menu_loc: Location, context: str, name: str) -> tuple[str, Location]:
    """The hang-up Asterisk does when a menu (written at `menu_loc`) has no `name` (i or t) extension."""
    what = "a timeout" if name == "t" else "an invalid key"
    node_id = flow.unique(f"{context}/{name}")
    flow.nodes[node_id] = Node(node_id, "hangup", loc=menu_loc, label=f"no '{name}' extension: Asterisk hangs up on {what}")
    flow.added_places[node_id] = Place(context, name, what=f"the hang-up on {what} in [{context}], which has no '{name}' extension",
                                       ends=True)
    return node_id, menu_loc


def _enter(flow: Flow, where: Pos | Landing, loc: Location) -> tuple[str, Location]:
    if isinstance(where, Pos):
        return flow.enter(where, loc)
    return flow.node_for(where), loc


def loop_back(flow: Flow, start: Pos, menu_pos: Pos) -> Guard | None:
    """How `start` (i,1 or t,1) leads back to the menu at `menu_pos`, if it does, through steps
    that only count, set variables or play a sound (``Playback(invalid)``)."""
    first = flow.plan.step(start)
    if first is None:  # nothing is written at `start`: it leads nowhere
        return None
    way = _WayBack(flow)
    current = start
    for _ in range(MAX_STEPS):
        if current == menu_pos:
            return way.guard(first.exten_loc, menu_pos)
        onward = way.past(current)
        if onward is None:
            return None
        current = onward
    return None  # too long to be a way back


@dataclass
class _WayBack:
    """What a walk along a possible way back to the menu has seen: its comparison and how it counts."""

    flow: Flow
    test: _Test | None = None
    counted: dict[str, bool] = field(default_factory=dict)  # variable -> counted before the comparison?
    reset: bool = False  # the compared variable is set again after the comparison

    def past(self, current: Pos) -> Pos | None:
        """Where the way goes after the step at `current`; None when that step is not one a way back takes."""
        step = self.flow.plan.step(current)
        if step is None:
            return None
        following = Pos(current.context, current.exten, current.priority + 1)
        assigned = assignment(step)
        if assigned:
            self._assigned(*assigned)
            return following
        kind = self.flow.kind(step, current)
        if kind == "transparent" or (kind == "sound" and self.flow.call(step).name == "playback"):
            return following
        if kind == "goto":
            jump = self.flow.jump(step, current)
            return jump[0] if jump is not None and isinstance(jump[0], Pos) else None
        if kind == "gotoif" and self.test is None and step.call.name == "gotoif":
            return self._compared(step, current)
        return None

    def _assigned(self, variable: str, value: str) -> None:
        """Note what setting `variable` to `value` does to a count: adds one to it, or starts it again."""
        if re.fullmatch(r"\$\[\s*\$\{" + re.escape(variable) + r"\}\s*\+\s*1\s*\]", value):
            self.counted.setdefault(variable, self.test is None)
        elif self.test is not None and variable == self.test.variable:
            self.reset = True  # the count starts again: the loop has no end

    def _compared(self, step: Step, current: Pos) -> Pos | None:
        """Where the way goes on past GotoIf `step` when it compares a variable with a limit (kept as the test); else None."""
        sides = self.flow.sides(step, current)
        match = _COMPARISON.match(sides[0][2]) if len(sides) == 2 else None
        if match is None:
            return None
        leave, stay = (sides[0], sides[1]) if match.group(2) in (">", ">=", "=", "==") else (sides[1], sides[0])
        self.test = _Test(match.group(1), match.group(2), self.flow.plan.substitute(match.group(3), current), leave, step.call.loc)
        return stay[0] if isinstance(stay[0], Pos) else None

    def guard(self, start_loc: Location, menu_pos: Pos) -> Guard | None:
        """The guard of this way, once it is back at the menu (`start_loc`: where the way starts)."""
        if self.test is None or self.reset:
            return Guard(None, start_loc)  # back with nothing counted: no limit
        return _counted(self.flow, self.test, self.counted, menu_pos)


def _counted(flow: Flow, test: _Test, counted: dict[str, bool], menu_pos: Pos) -> Guard | None:
    """The guard of a way back that `test` ends, when it tests a counter against a number."""
    limit = whole_number(test.limit)
    if test.variable not in counted or limit is None:
        return None
    initial_count = whole_number(flow.plan.value(test.variable, menu_pos) or "0") or 0
    # the count the comparison sees at the k-th failure is initial + k (or + k - 1 when it counts after comparing)
    first_exit = (limit - initial_count + (1 if test.operator in (">", "<=") else 0)
                  + (0 if counted[test.variable] else 1))
    return Guard(Count(max(first_exit - 1, 0), test.leave[0], test.leave[1]), test.loc)


def _signature(flow: Flow, where: Pos | Landing) -> list:
    """What a call does from `where` on, step by step, to compare two ends of a menu."""
    out: list = []
    current = where
    for _ in range(30):
        if not isinstance(current, Pos):
            out.append(current.key)
            break
        outside = flow.outside(current, None)
        step = flow.plan.step(current) if outside is None else None
        if outside is not None or step is None:
            out.append(outside.key if outside else "end")
            break
        if step.call.name == "goto":
            jump = flow.jump(step, current)
            if jump is None:
                out.append(step.call.data)
                break
            current = jump[0]
            continue
        out.append((step.call.name, flow.plan.substitute(step.call.data, current)))
        current = Pos(current.context, current.exten, current.priority + 1)
    return out
