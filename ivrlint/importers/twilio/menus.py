"""gather-input-on-call and split-based-on -> menus, inputs and branches.

**Menus.** A ``gather-input-on-call`` plays its prompt ``loop`` times (1
unless set) and then waits ``timeout`` seconds (Studio's default 5,
docs/sources.md#platform-defaults) for keys. When its keypress
transition leads (past widgets callers do not notice) to a
``split-based-on`` whose input is the gather's Digits
(``{{widgets.gather_main.Digits}}``), the two are one ``menu``: each
condition ``equal_to K`` is key K, ``matches_any_of "1, 2"`` keys 1 and 2
(Studio takes the first condition that matches: a key written twice is
``duplicate-key``). A key that is the gather's ``finish_on_key`` (``#``
unless set) never reaches the split: Studio ends the input on it, so
Digits never holds it (``broken-entry``). Other conditions (``regex``,
``greater_than``, several digits) are not modelled (``opaque-step``). A
gather whose split tests no single key collects digits: an ``input``,
whose ``digits`` is its ``number_of_digits``, followed by the split as a
``branch``.

**Retries.** Studio has no retry counter. A gather gives another try by
its prompt's ``loop``, and by leading its timeout (no key) and the split's
noMatch (a key no condition takes) back to itself, usually through a
"Sorry" say-play. So: either way back to the gather, or ``loop: 0`` (the
prompt loops until a key comes), is unbounded retries (the ``retries``
rule reports it); otherwise ``retries`` is ``loop`` - 1 and
``on_failure`` is where the timeout leads (after the last play), with
the noMatch as ``on_invalid``; with one play, ``on_failure`` is the
noMatch (else the timeout) and a timeout leading elsewhere is
``on_no_input``. A transition with no ``next`` ends the call. Say-plays on
the way back are part of the retry, not nodes of their own.

**Branches.** A split reached on its own (not a menu's keys) is a
``branch``: one way per condition, and one for noMatch, shares unknown.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ivrlint.importers.connect.jsonpos import JObject
from ivrlint.importers.numbers import whole_number
from ivrlint.importers.twilio.flows import TRANSPARENT, Flow, Transition, Widget, filled_in
from ivrlint.importers.twilio.prompts import widget_prompt
from ivrlint.menu.document import Duplicate
from ivrlint.menu.model import DEFAULT_TIMEOUT, Branch, Node, Option

#: Conditions whose values are keys.
KEY_CONDITIONS = ("equal_to", "matches_any_of")
#: Studio's finish_on_key when a gather does not set one (TwiML's default).
DEFAULT_FINISH_KEY = "#"
_NO_MATCH = "no condition matches"


@dataclass
class _Condition:
    """One condition of a split's transition, and the keys it takes (none when it is not a key press)."""

    transition: Transition
    body: JObject
    keys: list[str]
    problem: str | None  # why it is not modelled, if it is not
    finish: bool = False  # the problem is that a key is the gather's finish_on_key (it never reaches the split)


def gather(b, widget: Widget, node: Node) -> None:
    """A gather's node: a menu with the keys of its split, else an input."""
    node.prompt, node.label, prop = widget_prompt(widget, b.language)
    if prop is not None:
        node.locs["prompt"] = widget.prop_loc(prop)
    node.timeout = _seconds(b, widget)
    if "timeout" in widget.properties:
        node.locs["timeout"] = widget.prop_loc("timeout")
    split = digits_split(b.flow, widget) if _one_key(widget) else None
    conditions = list(_conditions(split, widget)) if split is not None else []
    if any(c.keys for c in conditions) and split is not None:
        node.type = "menu"
        b.menus[node.id] = split.name
        _options(b, widget, split, conditions, node)
    else:
        _input(b, widget, node)
    failures(b, widget, split if node.type == "menu" else None, node)
    speech = _speech(widget)
    if speech is not None:
        b.note("opaque-step", f"gather-input-on-call '{widget.name}' also takes speech (its speech transition leads to "
               f"'{speech.next}'), which is not modelled: findings assume callers press keys",
               widget.next_loc(speech), node.id)


def _speech(gather: Widget) -> Transition | None:
    """The gather's speech transition, when it goes on somewhere."""
    speech = gather.on("speech")
    return speech if speech is not None and speech.next is not None else None


def _one_key(gather: Widget) -> bool:
    """Does the gather take one key at a time (a menu), rather than several digits (an account number, a PIN)?"""
    digits = gather.prop("number_of_digits")
    return not (isinstance(digits, int) and not isinstance(digits, bool) and digits > 1)


def digits_split(flow: Flow, gather: Widget) -> Widget | None:
    """The split-based-on that the gather's keypress leads to (past silent widgets) and that tests its Digits."""
    keypress = gather.on("keypress")
    name, seen = (keypress.next if keypress else None), set()
    while name is not None and name not in seen:
        seen.add(name)
        widget = flow.widgets.get(name)
        if widget is None or widget.type not in TRANSPARENT:
            break
        onward = widget.on(TRANSPARENT[widget.type])
        name = onward.next if onward else None
    widget = flow.widgets.get(name) if name is not None else None
    if widget is None or widget.type != "split-based-on":
        return None
    tested = widget.prop("input")
    return widget if isinstance(tested, str) and _names_digits(tested, gather.name) else None


def _names_digits(text: str, gather: str) -> bool:
    """Does `text` (a split's input) name the Digits of widget `gather` ("{{widgets.gather_main.Digits}}")?"""
    marker = f"widgets.{gather}.Digits"
    at = text.find(marker)
    while at >= 0:
        after = text[at + len(marker):at + len(marker) + 1]
        before = text[at - 1:at] if at else ""
        if not (after.isalnum() or after == "_") and not (before.isalnum() or before in "_."):
            return True
        at = text.find(marker, at + 1)
    return False


def _conditions(split: Widget, gather: Widget) -> Iterator[_Condition]:
    """Each condition of the split's match transitions, with the keys it takes."""
    finish = gather.prop("finish_on_key")
    finish = DEFAULT_FINISH_KEY if finish is None else str(finish)
    for transition in split.transitions:
        if transition.event != "match":
            continue
        if len(transition.conditions) != 1:
            body = transition.conditions[1] if transition.conditions else transition.body
            yield _Condition(transition, body, [], f"a transition with {len(transition.conditions)} conditions")
            continue
        body = transition.conditions[0]
        kind, value = str(body.get("type") or "no type"), str(body.get("value") or "")
        if kind not in KEY_CONDITIONS or not value.strip():
            words = f"{kind} {value}".strip()
            yield _Condition(transition, body, [], f"a condition '{words}'")
            continue
        keys = [v.strip() for v in value.split(",")] if kind == "matches_any_of" else [value.strip()]
        several = [k for k in keys if len(k) != 1]
        problem = f"a condition '{kind} {value}', on what is not one key ('{several[0]}')" if several else None
        if finish and finish in keys:
            problem = (f"key '{finish}' is the finish_on_key of '{gather.name}': pressing it ends the input, so Digits "
                       "never holds it")
        yield _Condition(transition, body, [k for k in keys if len(k) == 1 and k != finish], problem, bool(finish and finish in keys))


def _options(b, gather: Widget, split: Widget, conditions: list[_Condition], node: Node) -> None:
    for found in conditions:
        if found.problem is not None:
            _unmodelled(b, gather, split, found, node)
        transition = found.transition
        if not found.keys:
            continue
        if transition.next is None:
            b.note("platform-warning", f"the condition for key {', '.join(found.keys)} of split-based-on '{split.name}' "
                   "leads nowhere: Studio ends the call when a caller presses it; connect its transition",
                   split.where(transition.body, "event"), node.id)
        target = b.go(split, transition)
        for key in found.keys:
            loc = split.where(found.body, "value")
            first = node.options[key].loc if key in node.options else None
            if first is not None:
                b.duplicates.append(Duplicate(key, f"widget '{split.name}'", loc, first))
                continue
            option = Option(key, goto=target, loc=loc, target_loc=split.next_loc(transition))
            if target == node.id:  # back to the gather: Studio's way to replay the menu
                option.goto, option.action = None, "repeat"
            node.options[key] = option


def _unmodelled(b, gather: Widget, split: Widget, found: _Condition, node: Node) -> None:
    loc = split.where(found.body, "value")
    if found.finish:
        b.note("broken-entry", f"{found.problem}, and this condition of '{split.name}' never matches; set finish_on_key "
               f"of '{gather.name}' to \"\" or to a key no condition uses", loc, node.id)
        return
    b.note("opaque-step", f"{found.problem} of split-based-on '{split.name}' is not a key press; not modelled "
           "(callers cannot take that way in the model)", loc, node.id)


def _input(b, widget: Widget, node: Node) -> None:
    """A gather that collects digits: its keypress goes on (an account number to a Function, a PIN to a split)."""
    node.type = "input"
    b.menus[node.id] = None
    digits = widget.prop("number_of_digits")
    if isinstance(digits, int) and not isinstance(digits, bool) and digits > 0:
        node.digits = digits
        node.locs["digits"] = widget.prop_loc("number_of_digits")
    keypress = widget.on("keypress")
    if (keypress is None or keypress.next is None) and _speech(widget) is None:
        b.note("platform-warning", f"the keypress transition of '{widget.name}' leads nowhere: Studio ends the call "
               "as soon as a caller presses a key; connect it", widget.where(keypress.body, "event") if keypress else widget.loc,
               node.id)
    node.next = b.go(widget, keypress, "keypress")
    if keypress is not None and keypress.next is not None:
        node.locs["next"] = widget.next_loc(keypress)


def _seconds(b, widget: Widget) -> float:
    """The gather's timeout: its own, else Studio's 5 s."""
    value = widget.prop("timeout")
    if value is None:
        return DEFAULT_TIMEOUT
    loc = widget.prop_loc("timeout")
    text = str(value).strip()
    when = filled_in(text)
    if when:
        b.note("opaque-step", f"the timeout of '{widget.name}' is filled in {when} ({text}); modelled as 5 s",
               loc, widget.name)
        return DEFAULT_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if seconds <= 0 or isinstance(value, bool):
        b.note("broken-entry", f"the timeout of '{widget.name}' ('{text}') is not a number of seconds; write one "
               "such as 5", loc, widget.name)
        return DEFAULT_TIMEOUT
    return seconds


def _plays(b, widget: Widget) -> int:
    """How many times the gather plays its prompt before its timeout (0: until a key comes)."""
    value = widget.prop("loop")
    if value is None:
        return 1
    text = str(value).strip()
    count = whole_number(text)
    if count is not None and not isinstance(value, bool):
        return count
    when = filled_in(text)
    if when:
        b.note("opaque-step", f"the loop of '{widget.name}' is filled in {when} ({text}); modelled as 1",
               widget.prop_loc("loop"), widget.name)
    else:
        b.note("broken-entry", f"the loop of '{widget.name}' ('{text}') is not a whole number; write how many times "
               "the prompt plays, such as 2", widget.prop_loc("loop"), widget.name)
    return 1


def failures(b, gather: Widget, split: Widget | None, node: Node) -> None:
    """Set retries, on_failure, on_no_input and on_invalid of a gather's menu or input node."""
    ways = [("on_no_input", gather, gather.on("timeout"))]
    if split is not None:
        ways.append(("on_invalid", split, split.on("noMatch")))
    back = {fld: t is not None and t.next is not None and returns_to(b.flow, t.next, gather) for fld, _, t in ways}
    plays = _plays(b, gather)
    if plays == 0 or any(back.values()):
        _unbounded(b, gather, node, ways, back, plays)
        return
    node.retries = plays - 1
    if "loop" in gather.properties:
        node.locs["retries"] = gather.prop_loc("loop")
    timeout = ways[0][2]
    if node.retries == 0:
        owner, failure = (ways[-1][1], ways[-1][2])
        _set(b, node, "on_failure", owner, failure, ends=False)
        elsewhere = timeout is not None and timeout.next is not None and timeout.next != (failure.next if failure else None)
        if split is not None and elsewhere:
            _set(b, node, "on_no_input", gather, timeout, ends=True)
        return
    _set(b, node, "on_failure", gather, timeout, ends=False)
    if split is not None:
        _set(b, node, "on_invalid", split, ways[1][2], ends=True)


def _unbounded(b, gather: Widget, node: Node, ways, back: dict, plays: int) -> None:
    """Retries without end: the prompt loops forever, or a failure leads back to the gather; the other failures are handlers."""
    node.retries = None
    if plays == 0:
        node.locs["retries"] = gather.prop_loc("loop")
    else:
        owner, transition = next((o, t) for fld, o, t in ways if back[fld])
        node.locs["retries"] = owner.next_loc(transition)
    for fld, owner, transition in ways:
        if not back[fld] and not (plays == 0 and fld == "on_no_input"):
            _set(b, node, fld, owner, transition, ends=True)


def _set(b, node: Node, fld: str, owner: Widget, transition: Transition | None, ends: bool) -> None:
    """Point `fld` of `node` where `transition` leads. Leading nowhere ends the call: None where the model
    reads None so (`ends` False: on_failure), else a hangup node standing for the transition."""
    if transition is not None and transition.next is not None:
        setattr(node, fld, b.resolve(transition.next))
        node.locs[fld] = owner.next_loc(transition)
    elif ends:
        setattr(node, fld, b.go(owner, transition, "timeout" if fld == "on_no_input" else "noMatch"))


def returns_to(flow: Flow, name: str | None, gather: Widget) -> bool:
    """Does a transition to `name` come back to `gather`, through say-plays and silent widgets only?"""
    seen: set[str] = set()
    while name is not None and name not in seen:
        if name == gather.name:
            return True
        seen.add(name)
        widget = flow.widgets.get(name)
        if widget is None:
            return False
        event = "audioComplete" if widget.type == "say-play" else TRANSPARENT.get(widget.type)
        onward = widget.on(event) if event else None
        name = onward.next if onward else None
    return False


def branch(b, split: Widget, node: Node) -> None:
    """A split reached on its own: a branch the caller does not choose."""
    node.type = "branch"
    tested = split.prop("input")
    node.label = f"split on {tested}" if isinstance(tested, str) and tested.strip() else None
    for transition in split.transitions:
        if transition.event == "match":
            words = " and ".join(f"{c.get('type', '?')} {c.get('value', '')}".strip() for c in transition.conditions) or "match"
        elif transition.event == "noMatch":
            words = _NO_MATCH
        else:
            continue
        node.branches.append(Branch(b.go(split, transition), None, words, split.where(transition.body, "next")))
