"""Amazon Connect flow files read into flows and actions, with positions.

A flow file is the flow language JSON that the Connect console exports
(``{"Version": "2019-10-30", "StartAction": id, "Metadata": {...},
"Actions": [...]}``). This module checks the shape a flow must have (an
object with ``StartAction`` and a list of ``Actions``) and raises InputError at
the place that breaks it. A block that breaks the shape (not an object, no
``Identifier``, no ``Type``, ``Parameters`` that is not an object) would make
Connect refuse the flow; it is noted (broken-entry) at its place and the
other blocks are read, so their defects are found too. So is a member name
written twice (platform-warning: JSON readers keep the last one). What the
actions mean is build.py's business.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from ivrlint.errors import InputError
from ivrlint.importers.connect.jsonpos import FAST_CHARS, JArray, JObject, Source, parse
from ivrlint.importers.textfile import decode_utf8, read_capped
from ivrlint.location import Location

#: Flow types that run beside the caller's path (while they wait in a queue,
#: are on hold, or are connected to an agent) rather than on it. A directory
#: of exported flows holds them too; they are not part of the phone menu.
SIDE_FLOW_TYPES = ("customerqueue", "customerhold", "customerwhisper", "agenthold", "agentwhisper",
                   "outboundwhisper", "campaign", "contactflowmodule", "whisperorqueue")

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
    #: its file's text, for places (not the Flow: a Flow holds its actions, and a loop of references lives on
    #: until the garbage collector runs, which an import pauses)
    source: Source = field(repr=False, default=None)  # type: ignore[assignment]
    #: what line.py reads off the block once (its conditions, errors, where a call can go next): walks ask often
    read: dict = field(repr=False, compare=False, default_factory=dict)

    def where(self, obj: Any, key: Any) -> Location:
        """Where the value of `key` in `obj` (an object or list of this file) is written."""
        if isinstance(obj, JObject) and key in obj.value_at:
            return self.source.loc(obj.value_at[key])
        if isinstance(obj, JArray) and isinstance(key, int) and key < len(obj.item_at):
            return self.source.loc(obj.item_at[key])
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
    #: (rule slug, message, where) for what is wrong in the file's shape; the builder reports them
    problems: list[tuple[str, str, Location]] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)  # what a TransferToFlow may call it (lower case)

    @property
    def runs_beside_caller(self) -> bool:
        return self.type in SIDE_FLOW_TYPES


def read_flow(path: str) -> Flow:
    """The flow in the file at `path`; InputError when it is not a readable flow."""
    source = Source(_read_text(path), path)
    root = _parse(source)
    here = source.loc
    _check_shape(root, source)
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
    _read_actions(flow, actions, action_meta)
    flow.keys = {key.lower() for key in (stem, flow.name, str(metadata.get("id") or ""), arn_id(str(metadata.get("arn") or ""))) if key}
    _written_twice(flow)
    flow.type = flow.type or _type_from_blocks(flow)
    return flow


def _type_from_blocks(flow: Flow) -> str:
    """The kind of a flow whose metadata names none (DescribeContactFlow's Content carries no type), from its blocks:
    EndFlowExecution is available only in whisper and customer queue flows, EndFlowModuleExecution only in modules
    (docs/sources.md#amazon-connect-flow-language); "" for any other flow."""
    kinds = {action.type for action in flow.actions.values()}
    if "EndFlowModuleExecution" in kinds:
        return "contactflowmodule"
    return "whisperorqueue" if "EndFlowExecution" in kinds else ""


def _check_shape(root, source: Source) -> None:
    """InputError unless `root` is a flow: an object with a list of Actions and a StartAction."""
    here, path = source.loc, source.file
    if not isinstance(root, JObject):
        raise InputError.at(here(0), "a flow file is a JSON object with StartAction and Actions", path)
    if "Actions" not in root and isinstance(root.get("modules"), JArray):
        raise InputError.at(here(root.value_at["modules"]), "this is the flow designer's old export format (\"modules\"), "
                            "not the flow language; open the flow in the current designer and export it again", path)
    if "Actions" not in root or not isinstance(root["Actions"], JArray):
        raise InputError.at(here(root.value_at.get("Actions", root.at)),
                            "the flow needs \"Actions\": [...], the list of its blocks", path)
    if not isinstance(root.get("StartAction"), str):
        raise InputError.at(here(root.value_at.get("StartAction", root.at)),
                            "the flow needs \"StartAction\": \"<Identifier of its first block>\"", path)


def _read_actions(flow: Flow, actions: JArray, action_meta: dict) -> None:
    """The blocks of `actions` into `flow` (a second one with a used Identifier into its duplicates)."""
    for index, body in enumerate(actions):
        action = _action(body, actions.item_at[index], flow, action_meta)
        if len(flow.problems) > MAX_SHAPE_PROBLEMS:
            _too_many(flow, actions, index)
            return
        if action is None:
            continue
        if action.id in flow.actions:
            flow.duplicates.append(action)
        else:
            flow.actions[action.id] = action


#: What Connect makes of a block whose shape is broken: it refuses the whole flow.
_REFUSED = "Connect refuses to save or import a flow with such a block"
#: How many blocks of the wrong shape are noted one by one (the rest are counted), so a hostile file stays small in memory.
MAX_SHAPE_PROBLEMS = 100


def _action(body: Any, at: int, flow: Flow, action_meta: dict) -> Action | None:
    """The block `body` of `flow` (written at offset `at`); None for one that cannot be a block, noted why."""
    here = flow.source.loc
    if not isinstance(body, JObject):
        flow.problems.append(("broken-entry", "this item of Actions is not a block (an object with Identifier, Type, Parameters "
                              f"and Transitions); {_REFUSED}, and ivrlint leaves it out", here(at)))
        return None
    identifier = body.get("Identifier")
    if not isinstance(identifier, str) or not identifier.strip():
        flow.problems.append(("broken-entry", f"this block has no \"Identifier\", so no transition can lead to it; {_REFUSED}, "
                              "and ivrlint leaves it out", here(body.value_at.get("Identifier", body.at))))
        return None
    kind = body.get("Type")
    if not isinstance(kind, str) or not kind.strip():
        flow.problems.append(("broken-entry", f"block '{identifier}' has no \"Type\", so nothing says what it does; {_REFUSED}, "
                              "and ivrlint takes the call as ending there", here(body.value_at.get("Type", body.key_at["Identifier"]))))
        kind = ""
    params = _object_member(body, "Parameters", flow, identifier)
    transitions = _object_member(body, "Transitions", flow, identifier)
    meta = action_meta.get(identifier)
    action = Action(identifier, kind, params, transitions, body, here(body.key_at["Identifier"]), meta if isinstance(meta, dict) else {})
    action.source = flow.source
    return action


def _too_many(flow: Flow, actions: JArray, index: int) -> None:
    """Stop noting blocks of the wrong shape one by one: one note says how many more blocks were not read."""
    del flow.problems[MAX_SHAPE_PROBLEMS:]
    flow.problems.append(("broken-entry", f"and the {len(actions) - index} blocks from here on are not read: more than "
                          f"{MAX_SHAPE_PROBLEMS} blocks of this flow break the flow language's shape; export the flow again",
                          flow.source.loc(actions.item_at[index])))


def _object_member(body: JObject, key: str, flow: Flow, identifier: str) -> JObject:
    """The object `body[key]`; an empty one, placed at the block, when it is left out or (noted) not an object."""
    value = body.get(key)
    if isinstance(value, JObject):
        return value
    if key in body:
        flow.problems.append(("broken-entry", f"\"{key}\" of block '{identifier}' is not an object; {_REFUSED}, and ivrlint "
                              "reads the block as if it had none", flow.source.loc(body.value_at[key])))
    return _empty_object(body.at)


def _written_twice(flow: Flow) -> None:
    """Note each member name written twice in one object (JSON readers keep the last, so the first is lost)."""
    source = flow.source
    for name, first, again in source.duplicates:
        flow.problems.append(("platform-warning", f"\"{name}\" is written twice in this object (first at line "
                              f"{source.loc(first).line}); JSON readers, the Connect console's among them, keep the last one "
                              "and drop the first without a word, as ivrlint does: remove one of them", source.loc(again)))
    if source.more_duplicates:
        flow.problems.append(("platform-warning", f"{source.more_duplicates} more member names are written twice in this file "
                              "(only the first ones are listed); remove the repeated members", source.loc(len(source.text))))


def _empty_object(at: int) -> JObject:
    """An object the file leaves out (no "Parameters"...), placed where its owner is written."""
    out = JObject()
    out.at, out.key_at, out.value_at = at, {}, {}
    return out


def _parse(source: Source) -> Any:
    """The JSON value of `source` with positions: a large text by jsonfast.py, unless it is one only jsonpos's reader
    reads as Connect needs (a name written twice, a mistake to report at its place)."""
    if len(source.text) >= FAST_CHARS:
        from ivrlint.importers.connect import jsonfast  # numpy's import is worth it only for a large text

        found = jsonfast.parse(source.text)
        if found is not None:
            return found[0]
    return parse(source)


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
