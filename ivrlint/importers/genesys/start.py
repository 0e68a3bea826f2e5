"""Where calls to a flow begin, and where its error handling sends them.

A call hears the flow's ``initialGreeting`` (a ``message``), then runs what
``startUpRef`` names: a menu or a task. A flow whose ``startUpRef`` is
missing or names nothing cannot be published; it is read as starting at its
first menu or task, with the broken reference reported.

``settingsErrorHandling`` says what Architect does when something fails,
such as a menu that ran out of plays with no default choice: it plays the
``preHandlingAudio``, then disconnects (Architect's default), transfers to a
queue, or jumps to a menu or a task.
"""

from __future__ import annotations

from yaml.nodes import Node

from ivrlint.importers.genesys.actions import Owner, Step
from ivrlint.location import Location
from ivrlint.menu.model import Node as MenuNode

_HANDLED = ("disconnect", "transferToAcd", "jumpToMenu", "jumpToTask")


def enter(fb) -> str:
    """The node calls to the flow begin at."""
    found = fb.fields.get("startUpRef")
    start = fb.refer(fb.source.flow, found, "the startUpRef")
    if start is None:
        start = _first_part(fb, found)
    greeting = fb.fields.get("initialGreeting")
    if greeting is None:
        return start
    node = MenuNode("", "message", loc=fb.loc(greeting[0]), timeout=fb.settings.timeout, retries=fb.settings.plays - 1)
    if fb.say(node, greeting).silent:
        return start
    node.next = start
    if found is not None:
        node.locs["next"] = fb.loc(found[1])
    return fb.line.add(node, fb.name, f"the initialGreeting of flow '{fb.name}'")


def _first_part(fb, found: tuple[Node, Node] | None) -> str:
    """Where a flow without a usable startUpRef is read as starting: its first menu or task, else nowhere."""
    if found is None:
        fb.note("broken-entry", "the flow has no startUpRef, so Archy cannot tell where calls begin: write "
                "startUpRef: /inboundCall/menus/menu[REFID] (or a task)", fb.source.key)
    first = next(iter(fb.parts.values()), None)
    if first is not None:
        return fb.go(first)
    node = MenuNode("", "hangup", loc=fb.loc(fb.source.key), label="the flow has no menu and no task")
    fb.note("broken-entry", "the flow has no menus and no tasks: calls have nothing to run", fb.source.key)
    return fb.line.add(node, fb.name, f"flow '{fb.name}'")


def error_handling(fb) -> tuple[str | None, Location | None]:
    """(where the flow's error handling sends a call, where that is written); (None, ...) when it disconnects."""
    reader = fb.reader
    settings = reader.fields(fb.fields.get("settingsErrorHandling", (None, None))[1], "'settingsErrorHandling'")
    handling = reader.fields(settings.get("errorHandling", (None, None))[1], "'errorHandling'")
    if not handling:
        return None, None  # Architect's default handling: disconnect
    kind, (key, body) = next(iter(handling.items()))
    owner = Owner(f"{fb.name}/settingsErrorHandling", "of the flow's error handling (settingsErrorHandling)")
    target = None
    if kind in _HANDLED and kind != "disconnect":
        target = Step(fb, owner, kind, key, body, reader.fields(body, f"'{kind}'")).build(lambda: "")
    elif kind != "disconnect":
        fb.note("opaque-step", f"the flow's error handling '{kind}' is not modelled; read as a disconnect", key)
    return _after_audio(fb, owner, settings.get("preHandlingAudio"), target, key), fb.loc(key)


def _after_audio(fb, owner: Owner, audio: tuple[Node, Node] | None, target: str | None, key: Node) -> str | None:
    """The preHandlingAudio as a message in front of `target` (a disconnect when None)."""
    node = MenuNode("", "message", loc=fb.loc(audio[0]) if audio else fb.loc(key))
    if audio is None or fb.say(node, audio).silent:
        return target
    if target is None:
        end = MenuNode("", "hangup", loc=fb.loc(key), label="error handling: disconnect")
        target = fb.line.add(end, f"{owner.prefix}/disconnect", f"the disconnect {owner.words}", part_of=fb.name)
    node.next = target
    return fb.line.add(node, f"{owner.prefix}/preHandlingAudio", f"the preHandlingAudio {owner.words}")
