"""How many tries a Connect menu gives, read from the shape of the flow.

``GetParticipantInput`` plays its prompt once. A flow gives callers another
try by leading the Timeout and Default branches (errors
``InputTimeLimitExceeded`` and ``NoMatchingCondition``) back to the block,
usually through a "Sorry, I didn't get that" message, and bounds the tries
with a ``Loop`` block: its Looping branch returns to the menu ``LoopCount``
times, then its Complete branch goes elsewhere. ivrlint's menus say the
same with ``retries`` and ``on_failure``, so:

* failure branches that reach a Loop whose Looping branch returns to the
  menu -> ``retries: LoopCount`` and ``on_failure:`` the Loop's Complete
  branch (the prompt plays at most LoopCount + 1 times, as in Connect);
* failure branches that return to the menu with no Loop -> retries
  unbounded (None; the retries rule reports it);
* otherwise one try (``retries: 0``): ``on_failure`` is where the Default
  branch goes (else the Timeout branch), and ``on_no_input`` is where the
  Timeout branch goes when that is somewhere else.

Messages and silent blocks on the way back are part of the retry and are
not nodes of their own (their words are not timed). A Loop used any other
way is a ``branch``: Looping with share N/(N+1), Complete with 1/(N+1), so
that the mean number of loops is N.
"""

from __future__ import annotations

from ivrlint.importers.connect.line import TRANSPARENT_TYPES, conditions, errors, next_action, operands
from ivrlint.importers.numbers import whole_number
from ivrlint.menu.model import Branch, Node

#: Errors that count as a failed try, per node type, with the field they fill.
_FAILURES = {
    "menu": (("on_no_input", "InputTimeLimitExceeded"), ("on_invalid", "NoMatchingCondition")),
    "input": (("on_failure", "InputTimeLimitExceeded"), ("on_failure", "InvalidPhoneNumber"),
              ("on_failure", "NoMatchingCondition")),
}


def failures(b, state, flow, action, node: Node, go) -> None:
    """Set retries, on_failure, on_no_input and on_invalid of a menu or input node."""
    found = errors(action)
    handlers = [(fld, found[kind]) for fld, kind in _FAILURES[node.type] if kind in found]
    ways = [(fld, entry, target, _back_to(flow, target, action)) for fld, (entry, target) in handlers]
    loops = [way for way in ways if isinstance(way[3], tuple)]
    count = loop_count(b, state, loops[0][3][0]) if loops else None
    if loops and count is not None:
        loop = loops[0][3][0]
        b.menu_loops[state] = loop
        node.retries = count
        node.locs["retries"] = loop.param_loc("LoopCount")
        _, done = loop_exits(loop)
        if done is not None:
            node.on_failure = go(done[1])
            node.locs["on_failure"] = loop.where(done[0], "NextAction")
        _others(node, action, go, [w for w in ways if not (isinstance(w[3], tuple) and w[3][0] is loop) and w[3] != "self"])
        return
    if any(way[3] == "self" for way in ways):
        node.retries = None
        node.locs["retries"] = action.where(next(w[1] for w in ways if w[3] == "self"), "NextAction")
        _others(node, action, go, [w for w in ways if w[3] != "self"])
        return
    node.retries = 0
    if not ways:
        return
    failure = ways[-1] if node.type == "menu" else ways[0]  # a menu's Default branch, else its Timeout branch
    _set(node, action, go, "on_failure", failure)
    if node.type == "menu" and len(ways) == 2 and ways[0][2] != ways[1][2]:
        _set(node, action, go, "on_no_input", ways[0])


def _others(node: Node, action, go, ways) -> None:
    """Failure branches that leave the menu (not back to it): handlers of their kind of failure."""
    for way in ways:
        if way[0] != "on_failure" or node.on_failure is None:
            _set(node, action, go, way[0], way)


def _set(node: Node, action, go, field: str, way) -> None:
    setattr(node, field, go(way[2]))
    node.locs[field] = action.where(way[1], "NextAction")


def _back_to(flow, target: str | None, menu, through_loop: bool = True):
    """Where a failure branch leads, passing messages and silent blocks: "self" when back to
    `menu`, (loop,) when to a Loop whose Looping branch comes back to it, else None."""
    seen: set = set()
    while target is not None and target not in seen:
        seen.add(target)
        action = flow.actions.get(target)
        if action is None:
            return None
        if action is menu:
            return "self"
        if action.type == "Loop" and through_loop:
            again, _ = loop_exits(action)
            back = again is not None and _back_to(flow, again[1], menu, False) == "self"
            return (action,) if back else None
        if action.type != "MessageParticipant" and action.type not in TRANSPARENT_TYPES:
            return None
        target = next_action(action)
    return None


def loop_exits(loop) -> tuple[tuple[dict, str] | None, tuple[dict, str] | None]:
    """((entry, target) of the Looping branch, (entry, target) of the Complete branch)."""
    again: tuple[dict, str] | None = None
    done: tuple[dict, str] | None = None
    for entry, target in conditions(loop):
        words = [str(v) for v in operands(entry)]
        if target and "ContinueLooping" in words and again is None:
            again = (entry, target)
        elif target and "DoneLooping" in words and done is None:
            done = (entry, target)
    following = next_action(loop)
    if done is None and following:
        done = (loop.transitions, following)
    return again, done


def loop_count(b, state, loop) -> int | None:
    value = str(loop.params.get("LoopCount", "")).strip()
    count = whole_number(value)  # ASCII digits of any length ("²" is isdigit() but no number)
    if count is not None:
        return count
    if value.startswith("$."):
        b.note("opaque-step", f"the loop count is set while the call runs ({value}); the Loop is kept as a branch",
               loop.param_loc("LoopCount"), state)
        return None
    b.note("broken-entry", f"Loop count '{value}' is not a whole number; write how many times to loop, such as \"3\"",
           loop.param_loc("LoopCount") if "LoopCount" in loop.params else loop.loc, state)
    return None


def loop_branch(b, state, loop, node: Node, go) -> None:
    """A Loop that is not a menu's retries: a branch whose shares give the mean number of loops."""
    count = loop_count(b, state, loop)
    again, done = loop_exits(loop)
    node.type, node.label = "branch", f"loop {count if count is not None else '?'} times"
    if again is not None:
        share = None if count is None else round(count / (count + 1), 6)
        node.branches.append(Branch(go(again[1]), share, "loops again", loop.where(again[0], "NextAction")))
    if done is not None:
        share = None if count is None else round(1 / (count + 1), 6)
        node.branches.append(Branch(go(done[1]), share, "after the last loop", loop.where(done[0], "NextAction")))
