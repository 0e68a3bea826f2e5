"""Studio flow files read into flows and widgets, with positions.

A flow file is one of:

* the flow definition as Studio exports it, ``{"description", "states": [...],
  "initial_state", "flags"}`` (also a Terraform ``templatefile`` JSON with
  ``${VAR}`` placeholders inside its strings);
* the REST API's Flow resource, which wraps it: ``{"sid", "friendly_name",
  "definition": {...}}``, or a list of those (``twilio api:studio:v2:flows:fetch -o json``);
* a Terraform ``.tf`` file whose ``definition = jsonencode({...})`` writes the
  flow inline (hcl.py), one flow per ``jsonencode``.

This module checks the shape a flow must have (a list of ``states``, each
an object with a ``name`` and a ``type``; ``transitions`` a list of objects
with an ``event``) and raises InputError at the place that breaks it; what
the widgets mean is build.py's business.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ivrlint.errors import InputError
from ivrlint.importers.connect.jsonpos import JArray, JObject, Source
from ivrlint.importers.textfile import decode_utf8, read_capped
from ivrlint.importers.twilio import hcl, jsontext
from ivrlint.importers.twilio.jsontext import Repeat
from ivrlint.location import Location

_LIQUID = re.compile(r"\{\{.*?\}\}")
_TERRAFORM = re.compile(r"\$\{.*?\}")
#: Widgets callers do not notice, and the transition the call goes on with after each.
TRANSPARENT = {"set-variables": "next", "fork-stream": "next", "record-call": "success", "send-message": "sent"}
#: The description Studio gives every new flow: no name a person chose.
STUDIO_DEFAULT_DESCRIPTION = "A New Flow"


@dataclass
class Transition:
    """One of a widget's transitions: its event, the widget it leads to (None: the call ends), its conditions."""

    event: str
    next: str | None
    body: JObject
    conditions: list[JObject]
    index: int  # its place among the widget's transitions


@dataclass
class Widget:
    """One state of a flow."""

    name: str
    type: str
    transitions: list[Transition]
    properties: JObject
    body: JObject
    loc: Location  # where its "name" is written
    #: its file's text, for places (not the Flow: a Flow holds its widgets, and a loop of references lives on
    #: until the garbage collector runs, which an import pauses)
    source: Source = field(repr=False, default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self._by_event: dict[str, Transition] = {}
        for transition in self.transitions:
            self._by_event.setdefault(transition.event, transition)

    def on(self, event: str) -> Transition | None:
        """Its first transition for `event`, if any."""
        return self._by_event.get(event)

    def where(self, obj: Any, key: Any) -> Location:
        """Where the value of `key` in `obj` (an object or list of this widget) is written; else the widget."""
        if isinstance(obj, JObject) and key in obj.value_at:
            return self.source.loc(obj.value_at[key])
        if isinstance(obj, JArray) and isinstance(key, int) and key < len(obj.item_at):
            return self.source.loc(obj.item_at[key])
        if isinstance(obj, JObject):
            return self.source.loc(obj.at)
        return self.loc

    def prop(self, name: str) -> Any:
        return self.properties.get(name)

    def prop_loc(self, name: str) -> Location:
        return self.where(self.properties, name)

    def next_loc(self, transition: Transition) -> Location:
        """Where a transition's "next" is written (else the transition itself)."""
        return self.where(transition.body, "next")


@dataclass
class Flow:
    """One flow: its name, first widget and widgets in file order."""

    path: str
    name: str
    initial: str | None
    initial_loc: Location
    widgets: dict[str, Widget]
    source: Source
    duplicates: list[Widget] = field(default_factory=list)  # a second widget with a name already used


def trigger_of(flow: Flow) -> Widget | None:
    """The widget calls enter the flow at: the one "initial_state" names, else (a flow without one) its first trigger."""
    if flow.initial is not None:
        return flow.widgets.get(flow.initial)
    return next((w for w in flow.widgets.values() if w.type == "trigger"), None)


@dataclass
class FlowFile:
    """One file: the flows it holds, and the member names written twice in it."""

    path: str
    source: Source
    flows: list[Flow]
    repeats: list[Repeat]


def read_flows(path: str) -> FlowFile:
    """The flows in the file at `path`; InputError when it cannot be read as Studio flows."""
    text = decode_utf8(read_capped(path, "exported Studio flows are far smaller; check that this is a flow file"),
                       path, "export the flow again or save it as UTF-8")
    source = Source(text, path)
    stem = os.path.splitext(os.path.basename(path))[0]
    if path.endswith(".tf"):
        objects, repeats = hcl.jsonencoded_flows(source)
        names = [stem if len(objects) == 1 else f"{stem}_{n}" for n in range(1, len(objects) + 1)]
        return FlowFile(path, source, [_flow(obj, source, None, name) for obj, name in zip(objects, names, strict=True)], repeats)
    root, repeats = jsontext.parse(source)
    return FlowFile(path, source, [_flow(obj, source, shown, stem) for obj, shown in _definitions(root, source)], repeats)


def _definitions(root: Any, source: Source) -> Iterator[tuple[JObject, str | None]]:
    """The flow definitions of a JSON file, each with the friendly name the REST API's wrapper gives it."""
    entries = list(root) if isinstance(root, JArray) else [root]
    for n, entry in enumerate(entries):
        if not isinstance(entry, JObject):
            at = root.item_at[n] if isinstance(root, JArray) else 0
            raise InputError.at(source.loc(at), "a Studio flow file is a JSON object with \"states\" and \"initial_state\"", source.file)
        wrapped = entry.get("definition")
        if isinstance(wrapped, str):
            raise InputError.at(source.loc(entry.value_at["definition"]),
                                "the flow's definition is a JSON string here; save the definition itself as the "
                                "flow's file (jq '.definition | fromjson')", source.file)
        yield (wrapped, _text(entry.get("friendly_name"))) if isinstance(wrapped, JObject) else (entry, None)


def _text(value: Any) -> str | None:
    """A name written as text (not one Terraform fills in)."""
    if not isinstance(value, str) or not value.strip() or _TERRAFORM.fullmatch(value.strip()):
        return None
    return value.strip()


def filled_in(text: str) -> str | None:
    """When a value written as `text` is known: "while the call runs" for Liquid (``{{flow.variables.x}}``),
    "when Terraform deploys the flow" for ``${var.x}``; None for a value written out."""
    if _LIQUID.search(text):
        return "while the call runs"
    if _TERRAFORM.search(text):
        return "when Terraform deploys the flow"
    return None


def _flow(root: JObject, source: Source, shown: str | None, stem: str) -> Flow:
    """The flow `root` defines, named `shown` (the REST API's friendly name), else by its description, else `stem`."""
    here = source.loc
    states = root.get("states")
    if not isinstance(states, JArray):
        raise InputError.at(here(root.value_at.get("states", root.at)),
                            "the flow needs \"states\": [...], the list of its widgets", source.file)
    initial = root.get("initial_state")
    if "initial_state" in root and not isinstance(initial, str):
        raise InputError.at(here(root.value_at["initial_state"]),
                            "\"initial_state\" names the flow's Trigger widget, as a string", source.file)
    described = _text(root.get("description"))
    name = shown or (described if described != STUDIO_DEFAULT_DESCRIPTION else None) or stem
    flow = Flow(source.file, name, initial, here(root.value_at.get("initial_state", root.at)), {}, source)
    for index, body in enumerate(states):
        widget = _widget(body, states.item_at[index], source)
        widget.source = source
        if widget.name in flow.widgets:
            flow.duplicates.append(widget)
        else:
            flow.widgets[widget.name] = widget
    return flow


def _widget(body: Any, at: int, source: Source) -> Widget:
    here = source.loc
    if not isinstance(body, JObject):
        raise InputError.at(here(at), "each of \"states\" is an object with name, type, transitions and properties", source.file)
    for key in ("name", "type"):
        if not isinstance(body.get(key), str) or not body[key].strip():
            raise InputError.at(here(body.value_at.get(key, body.at)), f"this widget has no \"{key}\"; every widget needs one",
                                source.file)
    properties = body.get("properties", None)
    if properties is None:
        properties = _empty_object(body.at)
    elif not isinstance(properties, JObject):
        raise InputError.at(here(body.value_at["properties"]), "a widget's \"properties\" is an object", source.file)
    return Widget(body["name"].strip(), body["type"].strip(), _transitions(body, source), properties, body,
                  here(body.key_at["name"]))


def _transitions(body: JObject, source: Source) -> list[Transition]:
    here = source.loc
    found = body.get("transitions", None)
    if found is None:
        return []
    if not isinstance(found, JArray):
        raise InputError.at(here(body.value_at["transitions"]), "a widget's \"transitions\" is a list of {\"event\", \"next\"}",
                            source.file)
    out = []
    for index, entry in enumerate(found):
        if not isinstance(entry, JObject) or not isinstance(entry.get("event"), str):
            where = entry.value_at.get("event", entry.at) if isinstance(entry, JObject) else found.item_at[index]
            raise InputError.at(here(where), "each transition is an object with an \"event\" (and a \"next\")", source.file)
        target = entry.get("next")
        if target is not None and not isinstance(target, str):
            raise InputError.at(here(entry.value_at["next"]), "a transition's \"next\" names a widget, as a string", source.file)
        conditions = entry.get("conditions")
        if conditions is not None and not isinstance(conditions, JArray):
            raise InputError.at(here(entry.value_at["conditions"]), "a transition's \"conditions\" is a list", source.file)
        kept = [c for c in conditions or () if isinstance(c, JObject)]
        out.append(Transition(entry["event"], target.strip() if target and target.strip() else None, entry, kept, index))
    return out


def _empty_object(at: int) -> JObject:
    """An object the file leaves out (no "properties"), placed where its owner is written."""
    out = JObject()
    out.at, out.key_at, out.value_at = at, {}, {}
    return out
