"""The flows of one phone line: how they link, where calls enter, which
blocks a caller can pass.

**Links.** ``TransferToFlow`` names its flow by ARN
(``arn:aws:connect:...:instance/<i>/contact-flow/<id>``), sometimes with the
flow's name shown in the block's metadata. A flow file is found by that id
(a file named ``<id>.json``, or whose Metadata has that ``id`` or ``arn``),
else by that name (the file's ``Metadata.name``, else its file name without
``.json``), ignoring case. A ``ContactFlowId`` that is not an ARN is looked
up as both.

**Entry.** The entry flow is one no other flow transfers to, preferring
inbound flows over queue, hold and whisper flows; among several, the first
file. When every flow is linked to (sub-flows going "back to the main
menu"), it is the hub: the flow linked with the most other flows, then the
first file (name the entry flow's file first to choose it). Flows the entry never reaches are not
part of this phone line.

**Caller transitions.** A block's ``NextAction``, its ``Conditions`` and the
errors a caller causes (:data:`CALLER_ERRORS`: no input, no matching key,
queue at capacity, invalid number). Other errors (``NoMatchingError``, a
failed Lambda, a failed call) are system failures: callers do not choose
them, and the menu model has no place for them, so blocks only they lead to
are not imported.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

from ivrlint.importers.connect.flows import Action, Flow, arn_id, display_name, is_arn

#: Errors a caller causes, which the menu model follows.
CALLER_ERRORS = ("InputTimeLimitExceeded", "NoMatchingCondition", "QueueAtCapacity", "InvalidPhoneNumber")
#: Blocks after which the flow does not go on with NextAction: the call has
#: left the menu (a queue, a person, the end).
TERMINAL_TYPES = ("TransferContactToQueue", "TransferParticipantToThirdParty", "DisconnectParticipant",
                  "EndFlowExecution", "TransferToFlow")

#: Blocks a caller does not notice; the call goes on with their NextAction.
TRANSPARENT_TYPES = (
    "UpdateContactAttributes", "UpdateContactData", "UpdateContactEventHooks", "UpdateContactRecordingBehavior",
    "UpdateContactRecordingAndAnalyticsBehavior", "UpdateContactMediaStreamingBehavior", "UpdateContactRoutingBehavior",
    "UpdateContactCallbackNumber", "UpdateContactTextToSpeechVoice", "UpdateFlowLoggingBehavior", "SetLoggingBehavior",
    "UpdateFlowAttributes", "UpdateContactTargetQueue", "InvokeLambdaFunction", "InvokeExternalResource",
    "GetMetricData", "CreateTask", "TagContact", "UnTagContact",
)
Place = tuple[str, str]  # (flow path, action id)


def next_action(action: Action) -> str | None:
    value = action.transitions.get("NextAction")
    return value if isinstance(value, str) and value else None


def conditions(action: Action) -> tuple[tuple[dict, str | None], ...]:
    """(condition entry, its NextAction) for each of the block's Conditions (read once per block)."""
    found = action.read.get("conditions")
    if found is None:
        found = action.read["conditions"] = tuple(_conditions(action))
    return found


def _conditions(action: Action) -> Iterator[tuple[dict, str | None]]:
    found = action.transitions.get("Conditions")
    for entry in found if isinstance(found, list) else ():
        if isinstance(entry, dict):
            target = entry.get("NextAction")
            yield entry, target if isinstance(target, str) and target else None


def errors(action: Action) -> dict[str, tuple[dict, str]]:
    """ErrorType -> (error entry, its NextAction), the first of each type (read once per block: do not change it)."""
    found = action.read.get("errors")
    if found is None:
        found = action.read["errors"] = _errors(action)
    return found


def _errors(action: Action) -> dict[str, tuple[dict, str]]:
    out: dict[str, tuple[dict, str]] = {}
    found = action.transitions.get("Errors")
    for entry in found if isinstance(found, list) else ():
        if isinstance(entry, dict) and isinstance(entry.get("ErrorType"), str):
            target = entry.get("NextAction")
            if isinstance(target, str) and target:
                out.setdefault(entry["ErrorType"], (entry, target))
    return out


def operands(entry: dict) -> list:
    condition = entry.get("Condition")
    found = condition.get("Operands") if isinstance(condition, dict) else None
    return list(found) if isinstance(found, list) else []


class PhoneLine:
    """The flow files given, linked to each other."""

    def __init__(self, flows: list[Flow]):
        self.flows = flows
        self.by_path = {flow.path: flow for flow in flows}
        self._ways: dict[tuple[int, int, bool], tuple[Place, ...]] = {}  # what successors() found, per block
        self.entry = self._entry()
        self.reached = self._reached_flows()

    # -- links between flows ---------------------------------------------
    def linked_flow(self, action: Action) -> Flow | None:
        """The flow a TransferToFlow block goes to, when it is among the files given."""
        value = action.params.get("ContactFlowId")
        if not isinstance(value, str) or not value.strip():
            return None
        wanted = [arn_id(value).lower()]
        if not is_arn(value):
            wanted.append(value.strip().lower())
        shown = display_name(action, "ContactFlowId")
        if shown:
            wanted.append(shown.lower())
        for key in wanted:
            for flow in self.flows:
                if key in flow.keys:
                    return flow
        return None

    def _entry(self) -> Flow:
        callers: dict[str, set[str]] = {flow.path: set() for flow in self.flows}
        callees: dict[str, set[str]] = {flow.path: set() for flow in self.flows}
        for flow in self.flows:
            for action in flow.actions.values():
                found = self.linked_flow(action) if action.type == "TransferToFlow" else None
                if found is not None and found is not flow:
                    callers[found.path].add(flow.path)
                    callees[flow.path].add(found.path)
        inbound = [f for f in self.flows if not f.runs_beside_caller] or self.flows
        roots = [f for f in inbound if not callers[f.path]]
        if roots:
            return roots[0]
        # Every flow is linked to (sub-flows going "back to the main menu"):
        # the hub, linked with the most other flows; then the first file.
        return max(inbound, key=lambda f: (len(callers[f.path] | callees[f.path]), -inbound.index(f)))

    # -- where callers can go ---------------------------------------------
    def successors(self, flow: Flow, action: Action, system_errors: bool = False) -> tuple[Place, ...]:
        """Places a call can go from `action` of `flow` (caller transitions; all transitions with `system_errors`)."""
        key = (id(action), id(flow), system_errors)  # the line holds its flows and their blocks: ids stay theirs
        found = self._ways.get(key)
        if found is None:
            found = self._ways[key] = tuple(self._successors(flow, action, system_errors))
        return found

    def _successors(self, flow: Flow, action: Action, system_errors: bool) -> Iterator[Place]:
        if action.type == "TransferToFlow":
            linked = self.linked_flow(action)
            if linked is not None:
                yield linked.path, linked.start
        elif action.type not in TERMINAL_TYPES:
            following = next_action(action)
            if following:
                yield flow.path, following
        for _, target in conditions(action):
            if target:
                yield flow.path, target
        for kind, (_, target) in errors(action).items():
            if system_errors or kind in CALLER_ERRORS:
                yield flow.path, target

    def action_at(self, place: Place) -> Action | None:
        flow = self.by_path.get(place[0])
        return flow.actions.get(place[1]) if flow else None

    def walk(self, starts: Iterable[Place], system_errors: bool = False, stop=lambda action: False) -> set[Place]:
        """Every place reachable from `starts` (not going past actions where `stop` holds)."""
        seen: set[Place] = set()
        todo = deque(starts)
        while todo:
            place = todo.popleft()
            action = self.action_at(place)
            if place in seen or action is None:
                continue
            seen.add(place)
            if not stop(action):
                todo.extend(self.successors(self.by_path[place[0]], action, system_errors))
        return seen

    def _reached_flows(self) -> list[Flow]:
        """The entry flow and the flows its blocks link to, also from blocks nothing leads to (the
        importer builds those too, to report them unreachable, and follows their links) and also
        when the linked flow's StartAction names no block (a walk stops there; the builder does not)."""
        paths, seen = {self.entry.path}, set()
        todo = deque([(self.entry.path, self.entry.start), *((self.entry.path, a) for a in self.entry.actions)])
        while todo:
            place = todo.popleft()
            action = self.action_at(place)
            if place in seen or action is None:
                continue
            seen.add(place)
            for target in self.successors(self.by_path[place[0]], action, system_errors=True):
                if target[0] not in paths:  # a flow newly reached: every block of it is built
                    paths.add(target[0])
                    todo.extend((target[0], a) for a in self.by_path[target[0]].actions)
                todo.append(target)
        return [flow for flow in self.flows if flow.path in paths]

    def orphans(self) -> list[Place]:
        """Blocks of the reached flows that nothing leads to (left on the canvas, unconnected)."""
        starts = [(flow.path, flow.start) for flow in self.reached]
        linked = self.walk(starts, system_errors=True)
        return [(flow.path, a) for flow in self.reached for a in flow.actions if (flow.path, a) not in linked]

    def queue_dependent(self) -> set[Place]:
        """Blocks whose meaning depends on the working queue: from them a caller can reach
        TransferContactToQueue without passing an UpdateContactTargetQueue."""
        preds: dict[Place, list[Place]] = {}
        for flow in self.reached:
            for action in flow.actions.values():
                if action.type != "UpdateContactTargetQueue":
                    for target in self.successors(flow, action):
                        preds.setdefault(target, []).append((flow.path, action.id))
        found = {(f.path, a.id) for f in self.reached for a in f.actions.values() if a.type == "TransferContactToQueue"}
        todo = deque(found)
        while todo:
            for pred in preds.get(todo.popleft(), ()):
                if pred not in found:
                    found.add(pred)
                    todo.append(pred)
        return found
