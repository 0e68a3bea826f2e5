"""Menus: where a caller's keys choose the way on.

A menu is a run of ``Background()`` sounds followed by ``WaitExten()``
(also ``ExecIf(cond?Background(...))``, as FreePBX writes it). Its options
are the context's extensions a caller can dial (its own and those of the
contexts it includes): ``1``, ``#``, and for dialling by extension
``100`` or a pattern ``_1XX``, which take the key they start with. Several
extensions starting with one key make that key a branch (``dials 100``,
``dials 101``). ``i`` and ``t`` are what happens on an invalid key and on
silence (handlers.py).

A run of Backgrounds that ends the extension is a menu too: keys work while
the prompts play, then Asterisk hangs up (``autofallthrough=yes``, its
default: timeout 0) or waits the response timeout (``autofallthrough=no``
in ``[general]``). Backgrounds followed by anything else are a message.

``Read(VAR,prompt,1,...)`` followed by ``GotoIf($["${VAR}" = "1"]?...)``
tests is a menu with one option per test; the step after the tests is
where invalid keys and silence go. Any other ``Read()`` collects digits:
an input node.

Timeouts are seconds: ``WaitExten(5)``; an empty WaitExten waits the
channel's response timeout, ``Set(TIMEOUT(response)=N)`` or Asterisk's
default of 10 s.
"""

from __future__ import annotations

import re

from ivrlint.importers.asterisk import handlers
from ivrlint.importers.asterisk.apps import sound_names
from ivrlint.importers.asterisk.dialplan import Step
from ivrlint.importers.asterisk.flow import Flow
from ivrlint.importers.asterisk.phrases import MenuPlace, Place
from ivrlint.importers.asterisk.positions import Pos, pattern_keys
from ivrlint.importers.numbers import whole_number
from ivrlint.menu.model import Branch, Node, Option

#: Asterisk's response timeout when nothing sets one (chan->pbx->rtimeoutms).
RESPONSE_TIMEOUT = 10.0

_NUMBER = re.compile(r"\d+(\.\d+)?$")


def sound_run(flow: Flow, node_id: str, step: Step, pos: Pos) -> Node:
    """Consecutive sounds: a menu when Backgrounds lead to WaitExten (or end the extension), else a message."""
    plan = flow.plan
    backgrounds = flow.call(step).name == "background"
    sounds: list[str] = []
    first_call = None
    current = pos
    while True:
        here = plan.step(current)
        if here is None:
            break
        kind = flow.kind(here, current)
        if kind == "sound" and (flow.call(here).name == "background") == backgrounds:
            call = flow.call(here)
            first_call = first_call or call
            sounds.extend(plan.substitute(name, current) for name in sound_names(call))
        elif kind != "transparent":
            break
        current = Pos(current.context, current.exten, current.priority + 1)
    after = plan.step(current)
    if backgrounds:
        option_context = (first_call.arg(3) if first_call is not None else "") or pos.context
        if after is not None and flow.kind(after, current) == "waitexten":
            return menu(flow, node_id, step, pos, sounds, option_context, after, current)
        if after is None and any(True for _ in plan.key_extensions(option_context)):
            return menu(flow, node_id, step, pos, sounds, option_context, None, current)
    node = Node(node_id, "message", loc=step.call.loc, label=_sound_label(sounds))
    node.next, node.locs["next"] = flow.enter(current, (after or step).call.loc)
    return node


def wait_only(flow: Flow, node_id: str, step: Step, pos: Pos) -> Node:
    """WaitExten() with no prompt before it: a menu the caller hears nothing of."""
    return menu(flow, node_id, step, pos, [], pos.context, step, pos)


def menu(flow: Flow, node_id: str, step: Step, pos: Pos, sounds: list[str], option_context: str,
         wait: Step | None, wait_pos: Pos) -> Node:
    plan = flow.plan
    context = plan.contexts[pos.context]
    label = _sound_label(sounds) if sounds else "no prompt: WaitExten() alone"
    node = Node(node_id, "menu", loc=step.call.loc, label=f"{context.comment} ({label})" if context.comment else label)
    if wait is not None:
        written = plan.substitute(wait.call.arg(0), wait_pos)
        node.timeout = float(written) if _NUMBER.match(written) else response_timeout(flow, wait_pos)
        node.locs["timeout"] = wait.call.arg_loc(0) if wait.call.args else wait.call.loc
    else:
        node.timeout = response_timeout(flow, wait_pos) if not plan.dialplan.autofallthrough else 0.0
        node.locs["timeout"] = step.call.loc
    add_options(flow, node, option_context)
    waits = wait is not None or not plan.dialplan.autofallthrough
    handlers.add_handlers(flow, node, option_context, pos, step.call.loc, waits=waits)
    present = tuple(name for name in ("t", "i") if (found := plan.find(option_context, name)) and 1 in found[1].steps)
    flow.menu_places[node_id] = MenuPlace(option_context, "WaitExten" if wait is not None else "", prompt_place(flow, pos),
                                          present, ("t", "i") if waits else ("i",))
    return node


def prompt_place(flow: Flow, pos: Pos) -> Place:
    """Where a menu whose prompt starts at `pos` is best gone back to: the nearest label on it or on the
    steps before it that the caller does not notice (``n(menu),Background(...)``), else its priority."""
    for priority in range(pos.priority, 0, -1):
        here = Pos(pos.context, pos.exten, priority)
        step = flow.plan.step(here)
        if step is None or (priority != pos.priority and flow.kind(step, here) != "transparent"):
            break
        if step.label:
            return Place(pos.context, pos.exten, step.label)
    return Place(pos.context, pos.exten, str(pos.priority))


def response_timeout(flow: Flow, pos: Pos) -> float:
    written = flow.plan.substitute(flow.plan.value("TIMEOUT(response)", pos) or "", pos)
    return float(written) if _NUMBER.match(written) else RESPONSE_TIMEOUT


def add_options(flow: Flow, node: Node, context: str) -> None:
    """One option per key a caller can press in `context` (see the module docstring)."""
    plan = flow.plan
    by_key: dict[str, list] = {}
    for name, _, extension in plan.key_extensions(context):
        if extension.first() != 1:
            continue  # Asterisk never starts it (dialplan.py reports it)
        keys = [name] if len(name) == 1 else ([name[0]] if not name.startswith("_") else pattern_keys(name))
        for key in keys:
            by_key.setdefault(key, []).append((name, extension))
    for key, found in by_key.items():
        literal = [(name, ext) for name, ext in found if name == key]
        chosen = literal or found
        name, extension = chosen[0]
        option = Option(key, label=extension.comment or None, loc=extension.loc)
        if len(chosen) == 1:
            option.goto, option.target_loc = flow.enter(Pos(context, name, 1), extension.loc)
        else:
            option.goto, option.target_loc = _dial_branch(flow, node, context, key, chosen), extension.loc
        node.options[key] = option


def _dial_branch(flow: Flow, node: Node, context: str, key: str, found: list) -> str:
    """Several extensions start with `key`: the digits the caller dials next choose among them."""
    branch_id = flow.unique(f"{context}/dial-{key}")
    branch = Node(branch_id, "branch", loc=found[0][1].loc, label=f"dialling by extension after {key}")
    flow.added_places[branch_id] = Place(context, what=f"the choice among the extensions starting with {key} in [{context}]")
    for name, extension in found:
        goto, loc = flow.enter(Pos(context, name, 1), extension.loc)
        branch.branches.append(Branch(goto, None, f"dials {name}", loc))
    flow.nodes[branch_id] = branch
    return branch_id


def read(flow: Flow, node_id: str, step: Step, pos: Pos) -> Node:
    """Read(VAR,prompt,maxdigits,options,attempts,timeout): a menu when its digit is tested key by key."""
    plan, call = flow.plan, step.call
    sounds = [plan.substitute(s.strip(), pos) for s in call.arg(1).split("&") if s.strip()]
    digits = call.arg(2)
    tests, after = _key_tests(flow, call.arg(0), Pos(pos.context, pos.exten, pos.priority + 1))
    flow.menu_places[node_id] = MenuPlace(pos.context, "Read", prompt_place(flow, pos), variable=call.arg(0))
    if digits == "1" and tests:
        node = Node(node_id, "menu", loc=call.loc, label=_sound_label(sounds) if sounds else "Read() with no prompt")
        timeout = plan.substitute(call.arg(5), pos)
        node.timeout = float(timeout) if _NUMBER.match(timeout) else response_timeout(flow, pos)
        node.locs["timeout"] = call.arg_loc(5) if call.arg(5) else call.loc
        attempts = call.arg(4)
        node.retries = max((whole_number(attempts) or 0) - 1, 0)
        node.locs["retries"] = call.arg_loc(4) if attempts else call.loc
        for key, target, loc in tests:
            option = Option(key, loc=loc, target_loc=loc)
            option.goto, option.target_loc = flow.enter(target, loc) if isinstance(target, Pos) else (target, loc)
            node.options.setdefault(key, option)
        node.on_failure, node.locs["on_failure"] = flow.enter(after, call.loc)
        return node
    node = Node(node_id, "input", loc=call.loc, label=_sound_label(sounds) if sounds else f"Read({call.data})")
    node.digits = whole_number(digits) or None
    timeout, attempts = plan.substitute(call.arg(5), pos), call.arg(4)
    node.timeout = float(timeout) if _NUMBER.match(timeout) else response_timeout(flow, pos)
    node.retries = max((whole_number(attempts) or 0) - 1, 0)
    node.locs.update(timeout=call.arg_loc(5) if call.arg(5) else call.loc, retries=call.arg_loc(4) if attempts else call.loc)
    # with no digits (or too few) Read() still goes on to the next priority: failure and success meet there
    node.next, node.locs["next"] = flow.enter_step(step, pos)
    node.on_failure, node.locs["on_failure"] = node.next, node.locs["next"]
    return node


def _key_tests(flow: Flow, variable: str, pos: Pos) -> tuple[list, Pos]:
    """The ``GotoIf($["${VAR}" = "K"]?place)`` tests that follow a Read, and the position after them."""
    test = re.compile(r'\$\[\s*"?\$\{' + re.escape(variable) + r'\}"?\s*==?\s*"?([0-9*#])"?\s*\]$')
    tests = []
    current = pos
    while True:
        step = flow.plan.step(current)
        if step is None or not variable:
            break
        kind = flow.kind(step, current)
        if kind == "transparent":
            current = Pos(current.context, current.exten, current.priority + 1)
            continue
        sides = flow.sides(step, current) if kind == "gotoif" and step.call.name == "gotoif" else []
        match = test.match(sides[0][2]) if len(sides) == 2 else None
        if match is None or sides[1][0] != Pos(current.context, current.exten, current.priority + 1):
            break
        target = sides[0][0]
        tests.append((match.group(1), target if isinstance(target, Pos) else flow.node_for(target), sides[0][1]))
        current = sides[1][0]
    return tests, current


def _sound_label(sounds: list[str]) -> str:
    return "plays " + " & ".join(sounds) if sounds else "plays nothing"

