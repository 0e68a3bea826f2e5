"""Archy menus as ``menu`` nodes: their audio, their choices on keys, what runs when they fail.

Each choice with a ``dtmf`` key (``digit_0`` ... ``digit_9``, ``digit_star``,
``digit_pound``) is an option of the menu, labelled with the choice's name.
What the choice does becomes its target:

| choice | target |
|---|---|
| menuTransferToAcd, menuDisconnect, menuTransferToNumber/User/Group/Voicemail | the node of that action (actions.py) |
| menuJumpToMenu, menuJumpToTask | that menu, that task's first node |
| menuTask | its ``task``'s actions (``previousMenu`` in them goes back to this menu) |
| menuSubMenu | the sub-menu, a menu of its own |
| menuRepeatMenu, menuPreviousMenu | ``action: repeat``, ``action: back`` |

A key written twice in one menu is ``duplicate-key`` (the first is read). A
choice with no ``dtmf`` is reached by speech only, which ivrlint does not
model. The default choice (``defaultChildMenuRef``) is what runs after the
menu has played ``repeatCount`` times; without one the flow's error handling
does (flow.py).
"""

from __future__ import annotations

from collections.abc import Callable

from yaml.nodes import Node

from ivrlint.importers.genesys.actions import KEYS, Owner, Step, chain, construct, end_of
from ivrlint.importers.genesys.refs import resolve
from ivrlint.importers.genesys.values import text
from ivrlint.menu.document import Duplicate
from ivrlint.menu.model import KEYS as PHONE_KEYS
from ivrlint.menu.model import Node as MenuNode
from ivrlint.menu.model import Option

#: A choice's target: (node id, None) or (None, action); built when first asked for.
Way = Callable[[], tuple[str | None, str | None]]


def index_menus(fb) -> None:
    """Register the flow's menus, then the sub-menus their choices open, in the order written."""
    reader = fb.reader
    todo: list[tuple[Node, Node, object]] = []
    for item in reader.items(fb.fields.get("menus", (None, None))[1], "'menus'"):
        kind, key, body = reader.entry(item, "'menus'")
        if kind != "menu":
            reader.refuse(key, f"'menus' holds '- menu:' items; got '{kind}'")
        todo.append((key, body, None))
    while todo:
        key, body, within = todo.pop(0)
        if id(body) in fb.parts:  # an alias of a menu already met
            continue
        fields = reader.fields(body, "a menu")
        part = fb.register("menu", body, key, fb.text("name", fields), within)
        for item in reader.items(fields.get("choices", (None, None))[1], f"the choices of {fb.line.words[part.id]}"):
            written, choice_key, choice = reader.entry(item, "'choices'")
            if construct(written) == "subMenu":
                todo.append((choice_key, sub_menu(fb, choice), part))


def sub_menu(fb, choice: Node) -> Node:
    """The menu a menuSubMenu choice opens: the choice itself (it has the menu's audio and choices), or its 'menu'."""
    fields = fb.reader.fields(choice, "'menuSubMenu'")
    inner = fields.get("menu")
    return inner[1] if inner is not None and "choices" not in fields else choice


def build_menu(fb, part) -> None:
    fields = fb.reader.fields(part.body, f"menu '{part.name}'")
    node = MenuNode("", "menu", loc=fb.loc(part.key))
    settings = fb.menu_settings(fields.get("settingsMenu"), fb.settings, f"menu '{part.name}'")
    node.timeout, node.retries = settings.timeout, settings.plays - 1
    node.locs.update(settings.locs)
    fb.line.add(node, part.id, fb.line.words[part.id], reserved=True)
    if fb.say(node, fields.get("audio")).silent:
        fb.note("platform-warning", f"menu '{part.name}' has no audio: callers hear silence, and the menu plays its "
                "silence again until it gives up, so nobody learns its keys; give it an 'audio:' that says them",
                part.key, node.id, "error")
    choices = fields.get("choices")
    if choices is not None:
        node.locs["options"] = fb.loc(choices[0])
    ways: dict[int, Way] = {}
    for item in fb.reader.items(choices[1] if choices else None, f"the choices of menu '{part.name}'"):
        _choice(fb, part, node, item, ways)
    _on_failure(fb, part, node, fields, ways)


def _choice(fb, part, node: MenuNode, item: Node, ways: dict[int, Way]) -> None:
    step = Step.read(fb, Owner(part.id, f"of menu '{part.name}'", menu=part.id), item, f"the choices of menu '{part.name}'")
    way = _way(fb, part, step)
    ways[id(step.body)] = way
    key, where = _key(fb, step)
    if key is None or where is None:
        return
    first = node.options[key].loc if key in node.options else None
    if first is not None:
        fb.line.duplicates.append(Duplicate(text(step.fields["dtmf"][1]), f"menu '{part.name}'", where, first))
        return
    goto, action = way()
    label = fb.text("name", step.fields) or None
    node.options[key] = Option(key, goto=goto, action=action, label=label, loc=where, target_loc=step.loc)
    if text(step.fields.get("globalDtmf", (None, None))[1]).lower() == "true":
        step.note("opaque-step", f"globalDtmf: true offers {text(step.fields['dtmf'][1])} in every menu of the flow; "
                  "ivrlint models it in this menu only")


def _key(fb, step: Step):
    """(phone key, where it is written) of a choice; (None, None), noted, when it has no usable dtmf."""
    found = step.fields.get("dtmf")
    written = fb.reader.value(found[1]).text if found else ""
    if found is None or not written:
        step.note("opaque-step", "has no dtmf key, so only speech reaches it; ivrlint models key presses only")
        return None, None
    key = KEYS.get(written, written if written in PHONE_KEYS else None)
    if key is None:
        step.note("broken-entry", f"dtmf '{written}' is not a phone key; write digit_0 to digit_9, digit_star or digit_pound")
        return None, None
    return key, fb.loc(found[1])


def _way(fb, part, step: Step) -> Way:
    """What the choice does, built the first time it is asked for (a choice no key and no default reaches is not built)."""
    made: list[tuple[str | None, str | None]] = []

    def build() -> tuple[str | None, str | None]:
        if not made:
            made.append(_target(fb, part, step))
        return made[0]
    return build


def _target(fb, part, step: Step) -> tuple[str | None, str | None]:
    kind = step.kind
    if kind in ("repeatMenu", "previousMenu"):
        return None, "repeat" if kind == "repeatMenu" else "back"
    if kind == "subMenu":
        return fb.go(fb.parts[id(sub_menu(fb, step.body))]), None
    if kind == "task":
        owner = Owner(f"{part.id}/{step.name}", f"in {step.written} '{step.name}' of menu '{part.name}'", menu=part.id)
        task = fb.reader.fields(step.fields.get("task", (None, step.body))[1], f"the task of '{step.name}'")
        return chain(fb, owner, task.get("actions", (None, None))[1], end_of(fb, owner, step.key)), None
    return step.build(lambda: part.id), None  # an action the importer does not model goes back to the menu


def _on_failure(fb, part, node: MenuNode, fields, ways: dict[int, Way]) -> None:
    """After the last play: the default choice (defaultChildMenuRef), else the flow's error handling."""
    found = fields.get("defaultChildMenuRef")
    if found is not None and text(found[1]):
        resolved = resolve(fb.reader, part.body, text(found[1]))
        way = ways.get(id(resolved)) if resolved is not None else None
        if way is not None:
            goto, action = way()
            if action == "repeat":  # the default replays the menu: it never gives up
                node.retries, node.locs["retries"] = None, fb.loc(found[1])
                return
            if goto is not None:
                node.on_failure, node.locs["on_failure"] = goto, fb.loc(found[1])
                return
            fb.note("opaque-step", f"the default choice of menu '{part.name}' goes back to the previous menu, which "
                    "depends on the way in; not modelled", found[1], node.id)
        else:
            fb.note("broken-entry", f"defaultChildMenuRef '{text(found[1])}' of menu '{part.name}' names no choice of "
                    "this menu; Archy refuses to publish a reference to nothing: write ./choices/TYPE[refId]", found[1], node.id)
    target, where = fb.error_handling()
    if target is not None:
        node.on_failure = target
        if where is not None:
            node.locs["on_failure"] = where
