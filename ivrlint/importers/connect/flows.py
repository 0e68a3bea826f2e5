"""Amazon Connect flow files read into flows and actions, with positions.

A flow file is the flow language JSON that the Connect console exports
(``{"Version": "2019-10-30", "StartAction": id, "Metadata": {...},
"Actions": [...]}``). This module checks the shape a flow must have (an
object with ``StartAction`` and a list of ``Actions``, each an object with an
``Identifier`` and a ``Type``) and raises InputError at the place that breaks
it; what the actions mean is build.py's business.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from ivrlint.errors import InputError
from ivrlint.importers.connect.jsonpos import JArray, JObject, Source, parse
from ivrlint.importers.textfile import decode_utf8, read_capped
from ivrlint.location import Location

#: Flow types that run beside the caller's path (while they wait in a queue,
#: are on hold, or are connected to an agent) rather than on it. A directory
#: of exported flows holds them too; they are not part of the phone menu.
SIDE_FLOW_TYPES = ("customerqueue", "customerhold", "customerwhisper", "agenthold", "agentwhisper",
                   "outboundwhisper", "campaign")

_ARN_ID = re.compile(r"^arn:aws[\w-]*:connect:[^/]*/(.+)$")
_UUID_LIKE = re.compile(r"^[0-9a-fA-F-]{16,}$")


@dataclass
class Action:
    """One block of a flow."""

    id: str
    type: str
    params: JObject
    transitions: JObject
    body: JObject  # the action object itself
    loc: Location  # where its "Identifier" is written
    meta: dict  # Metadata.ActionMetadata[id], or {}
    flow: Flow = field(repr=False, default=None)  # type: ignore[assignment]

    def where(self, obj: Any, key: Any) -> Location:
        """Where the value of `key` in `obj` (an object or list of this file) is written."""
        if isinstance(obj, JObject) and key in obj.value_at:
            return self.flow.source.loc(obj.value_at[key])
        if isinstance(obj, JArray) and isinstance(key, int) and key < len(obj.item_at):
            return self.flow.source.loc(obj.item_at[key])
        return self.loc

    def param_loc(self, name: str) -> Location:
        return self.where(self.params, name)


@dataclass
class Flow:
    """One flow file: its name, type, start and actions in file order."""

    path: str
    name: str
    type: str  # Metadata.type, lower case without '_' ("contactflow"), or ""
    start: str
    start_loc: Location
    actions: dict[str, Action]
    source: Source
    duplicates: list[Action] = field(default_factory=list)  # a second action with an Identifier already used
    keys: set[str] = field(default_factory=set)  # what a TransferToFlow may call it (lower case)

    @property
    def runs_beside_caller(self) -> bool:
        return self.type in SIDE_FLOW_TYPES


def read_flow(path: str) -> Flow:
    """The flow in the file at `path`; InputError when it is not a readable flow."""
    source = Source(_read_text(path), path)
    root = parse(source)
    here = source.loc
    if not isinstance(root, JObject):
        raise InputError.at(here(0), "a flow file is a JSON object with StartAction and Actions", path)
    if "Actions" not in root or not isinstance(root["Actions"], JArray):
        raise InputError.at(here(root.value_at.get("Actions", root.at)),
                            "the flow needs \"Actions\": [...], the list of its blocks", path)
    if not isinstance(root.get("StartAction"), str):
        raise InputError.at(here(root.value_at.get("StartAction", root.at)),
                            "the flow needs \"StartAction\": \"<Identifier of its first block>\"", path)
    metadata = root.get("Metadata")
    if not isinstance(metadata, JObject):
        metadata = _empty_object(root.at)
    stem = os.path.splitext(os.path.basename(path))[0]
    shown = metadata.get("name")
    name = shown if isinstance(shown, str) and shown.strip() else stem
    kind = str(metadata.get("type") or "").lower().replace("_", "")
    action_meta = metadata.get("ActionMetadata")
    if not isinstance(action_meta, dict):
        action_meta = {}
    actions: JArray = root["Actions"]
    flow = Flow(path, name.strip(), kind, root["StartAction"], here(root.value_at["StartAction"]), {}, source)
    for index, body in enumerate(actions):
        action = _action(body, actions.item_at[index], source, action_meta)
        action.flow = flow
        if action.id in flow.actions:
            flow.duplicates.append(action)
        else:
            flow.actions[action.id] = action
    flow.keys = {key.lower() for key in (stem, flow.name, str(metadata.get("id") or ""), arn_id(str(metadata.get("arn") or ""))) if key}
    return flow


def _action(body: Any, at: int, source: Source, action_meta: dict) -> Action:
    here = source.loc
    if not isinstance(body, JObject):
        raise InputError.at(here(at), "each of Actions is an object with Identifier, Type, Parameters and Transitions", source.file)
    for key in ("Identifier", "Type"):
        if not isinstance(body.get(key), str) or not body[key].strip():
            raise InputError.at(here(body.value_at.get(key, body.at)), f"this action has no \"{key}\"; every block needs one", source.file)
    params = body.get("Parameters")
    if not isinstance(params, JObject):
        params = _empty_object(body.at)
    transitions = body.get("Transitions")
    if not isinstance(transitions, JObject):
        transitions = _empty_object(body.at)
    meta = action_meta.get(body["Identifier"])
    return Action(body["Identifier"], body["Type"], params, transitions, body,
                  here(body.key_at["Identifier"]), meta if isinstance(meta, dict) else {})


def _empty_object(at: int) -> JObject:
    """An object the file leaves out (no "Parameters"...), placed where its owner is written."""
    out = JObject()
    out.at, out.key_at, out.value_at = at, {}, {}
    return out


def _read_text(path: str) -> str:
    data = read_capped(path, "exported flows are far smaller; check that this is a flow file")
    return decode_utf8(data, path, "export the flow again or save it as UTF-8")


def arn_id(value: str) -> str:
    """The id at the end of a Connect ARN (``.../contact-flow/<id>`` -> ``<id>``); other text as it is."""
    match = _ARN_ID.match(value.strip())
    return match.group(1).rsplit("/", 1)[-1] if match else value.strip()


def is_arn(value: str) -> bool:
    return bool(_ARN_ID.match(value.strip()))


def is_generated_id(identifier: str) -> bool:
    """Is this Identifier a generated UUID rather than a name a person gave the block?"""
    return bool(_UUID_LIKE.match(identifier))


def display_name(action: Action, param: str) -> str | None:
    """The name the flow's metadata shows for a parameter (a queue, prompt, flow or hours), if any.

    Exports write it as ``ActionMetadata[id].parameters.<Param>.displayName``;
    older ones as an entry ``{"id": <the ARN>, "text": <name>}`` (``queue``,
    ``ContactFlow``, ``Hours``...) or ``promptName``.
    """
    meta = action.meta
    shown = meta.get("parameters", {}).get(param) if isinstance(meta.get("parameters"), dict) else None
    if isinstance(shown, dict) and isinstance(shown.get("displayName"), str) and shown["displayName"].strip():
        return shown["displayName"].strip()
    value = action.params.get(param)
    for entry in meta.values():
        if isinstance(entry, dict) and isinstance(entry.get("text"), str) and value and entry.get("id") == value:
            if entry["text"].strip():
                return entry["text"].strip()
    if param == "PromptId" and isinstance(meta.get("promptName"), str) and meta["promptName"].strip():
        return meta["promptName"].strip()
    return None
