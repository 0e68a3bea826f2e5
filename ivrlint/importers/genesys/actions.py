"""Task actions, and the menu choices that carry an action, as nodes.

A task runs its ``actions`` in order. An action with ``outputs`` (a
``decision``'s ``yes`` and ``no``, a data action's ``success``, ``failure``
and ``timeout``) runs the actions of the output that happens, then goes on
with the action after it: an output that is not written, or whose actions
end, falls through to the next action (Architect's own behaviour). A task
whose actions run out ends the call.

| action | node |
|---|---|
| playAudio | ``message`` |
| transferToAcd | ``queue`` (the pool is its ``targetQueue``; ``preTransferAudio`` is its prompt) |
| transferToNumber, transferToUser, transferToGroup | ``transfer`` to a person |
| transferToVoicemail | ``voicemail`` |
| disconnect | ``hangup`` |
| jumpToMenu, jumpToTask | no node: the call goes to that menu or task |
| previousMenu, repeatMenu | no node: back to the menu that ran the task (in a ``menuTask``) |
| collectInput | ``input``: ``success`` is its ``next``, ``failure`` its ``on_failure`` |
| decision, switch, evaluateSchedule(Group), loop | ``branch`` with a way for each output and one that falls through |
| callData, dataTableLookup and other data actions | an opaque step (opaque-step, I401): a branch over its outputs |
| actions callers do not notice (updateData, setParticipantData, find..., set...) | passed through |
| anything else | an opaque step |

What follows a transfer that fails is not modelled (as for the other platforms).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from yaml.nodes import Node

from ivrlint.importers.genesys.values import Fields, innermost, seconds, text
from ivrlint.importers.numbers import whole_number
from ivrlint.importers.pools import pool
from ivrlint.location import Location
from ivrlint.menu.model import Branch
from ivrlint.menu.model import Node as MenuNode

Later = Callable[[], str]

#: Actions after which the next action does not run (for the model: a failed transfer is not followed).
FINAL = ("disconnect", "transferToAcd", "transferToVoicemail", "transferToNumber", "transferToUser", "transferToGroup",
         "transferToFlow", "transferToFlowSecure", "jumpToMenu", "jumpToTask", "jumpToReusableTask", "previousMenu",
         "repeatMenu", "endFlow")
#: The outputs each branching action always has: when every one is written and ends the call, nothing falls through.
OUTPUTS = {"decision": ("yes", "no"), "collectInput": ("success", "failure"), "callData": ("success", "failure", "timeout"),
           "callDataSecure": ("success", "failure", "timeout"), "dataTableLookup": ("found", "notFound", "failure"),
           "evaluateScheduleGroup": ("open", "closed", "holiday", "emergency")}
#: Data actions: what they answer decides the way, and ivrlint does not know it.
DATA = ("callData", "callDataSecure", "dataTableLookup", "callLambda", "callBotFlow", "callCommonModule")
#: Actions a caller does not notice.
SILENT = ("updateData", "setParticipantData", "getParticipantData", "setScreenPop", "setUUIData", "setWrapupCode",
          "setExternalTag", "setFlowOutcome", "initializeFlowOutcome", "addFlowMilestone", "enableParticipantRecord",
          "setWhisperAudio", "setConversationData", "getConversationData", "setSkills", "setPriority", "findQueue",
          "findQueueById", "findUser", "findUserById", "findUsersById", "findGroup", "findSkill", "findSchedule",
          "findScheduleGroup", "findEmergencyGroup", "findSystemPrompt", "findUserPrompt", "findLanguageSkill",
          "getExternalContact", "searchExternalContacts", "getExternalOrganization", "holdMusic", "flushAudio",
          "setLanguage", "setSecuredData", "getSecuredData", "setCallbackNumber")
#: Archy's names for the keys of the phone.
KEYS = {**{f"digit_{n}": str(n) for n in range(10)}, "digit_star": "*", "digit_pound": "#"}
#: The Platform API's action names (``actionTransferUser``) where Archy's YAML says ``transferToUser``.
ALIASES = {"transferExternal": "transferToNumber", "transferUser": "transferToUser", "transferGroup": "transferToGroup",
           "transferVoicemail": "transferToVoicemail", "transferFlow": "transferToFlow",
           "transferFlowSecure": "transferToFlowSecure", "jumpToReusableTask": "jumpToTask", "repeat": "repeatMenu"}


@dataclass(frozen=True)
class Owner:
    """What actions belong to: the start of their ids, how messages say it, the menu that runs them (if one does)."""

    prefix: str  # "Startup Task", "Main Menu/Life Insurance"
    words: str  # "in task 'Startup Task'", "of menu 'Main Menu'"
    menu: str | None = None  # the menu a menuTask's previousMenu returns to


def construct(written: str) -> str:
    """The action a construct is: ``menuTransferToAcd`` -> ``transferToAcd`` (choices carry actions)."""
    kind = written
    if written.startswith("menu") and len(written) > 4 and written[4].isupper():
        kind = written[4].lower() + written[5:]
    return ALIASES.get(kind, kind)


@dataclass
class Step:
    """One action (or choice) as written: its construct, key, mapping and fields."""

    fb: Any  # the FlowBuild reading it (flow.py, which imports this module's builders through build.py)
    owner: Owner
    written: str
    key: Node
    body: Node
    fields: Fields

    @classmethod
    def read(cls, fb, owner: Owner, item: Node, what: str) -> Step:
        written, key, body = fb.reader.entry(item, what)
        return cls(fb, owner, written, key, body, fb.reader.fields(body, f"'{written}'"))

    @property
    def kind(self) -> str:
        return construct(self.written)

    @property
    def name(self) -> str:
        return self.fb.text("name", self.fields) or self.written

    @property
    def loc(self) -> Location:
        return self.fb.loc(self.key)

    def words(self) -> str:
        named = self.written if self.name == self.written else f"{self.written} '{self.name}'"
        return f"{named} {self.owner.words}"

    def node(self, type_: str) -> MenuNode:
        settings = self.fb.settings
        return MenuNode("", type_, loc=self.loc, timeout=settings.timeout, retries=settings.plays - 1)

    def add(self, node: MenuNode) -> str:
        return self.fb.line.add(node, f"{self.owner.prefix}/{self.name}", self.words(), part_of=self.owner.menu)

    def note(self, rule: str, message: str, node_id: str | None = None) -> None:
        self.fb.note(rule, f"{self.words()}: {message}", self.key, node_id)

    def outputs(self) -> dict[str, tuple[Node, Node | None]]:
        """Each output written: its key, and its 'actions' list (None when it has none)."""
        reader = self.fb.reader
        out = {}
        for n, item in enumerate(reader.items(self.fields.get("cases", (None, None))[1], f"the cases of '{self.written}'"), 1):
            _, key, body = reader.entry(item, "'cases'")  # a switch: '- case:' items, each with its actions
            out[f"case {n}"] = (key, reader.fields(body, f"case {n}").get("actions", (None, None))[1])
        for name, (key, value) in reader.fields(self.fields.get("outputs", (None, None))[1], f"the outputs of '{self.written}'").items():
            out[name] = (key, reader.fields(value, f"output '{name}'").get("actions", (None, None))[1])
        return out

    def final(self) -> bool:
        """Does the call never go on to the next action after this one?"""
        if self.kind in FINAL:
            return True
        expected = OUTPUTS.get(self.kind)
        if expected is None:
            return False
        outputs = self.outputs()
        return all(name in outputs and ends(self.fb, self.owner, outputs[name][1]) for name in expected)

    def build(self, after: Later) -> str:
        """The node this action is (or where the call goes on), `after()` being the action that follows."""
        return HANDLERS.get(self.kind, _unknown)(self, after)


def ends(fb, owner: Owner, actions: Node | None) -> bool:
    """Does the action list `actions` end the call (no way out of it falls through)?"""
    steps = [Step.read(fb, owner, item, "'actions'") for item in fb.reader.items(actions, "'actions'")]
    return any(step.final() for step in steps)


def chain(fb, owner: Owner, actions: Node | None, after: Later) -> str:
    """Where a call that starts the action list `actions` goes: its first action's node, or `after()`.
    Actions after one the call never passes are not built (nothing reaches them)."""
    steps = [Step.read(fb, owner, item, "'actions'") for item in fb.reader.items(actions, "'actions'")]
    last = next((i for i, step in enumerate(steps) if step.final()), len(steps) - 1)
    following = after
    for step in reversed(steps[: last + 1]):
        target = step.build(following)
        following = _const(target)
    return following()


def _const(target: str) -> Later:
    return lambda: target


def end_of(fb, owner: Owner, where: Node) -> Later:
    """The node of a task whose actions run out: Architect ends the call (made only when some way gets there)."""
    made: list[str] = []

    def make() -> str:
        if not made:
            node = MenuNode("", "hangup", loc=fb.loc(where), label="the task's actions end: the call is disconnected")
            made.append(fb.line.add(node, f"{owner.prefix}/end", f"the end of the actions {owner.words}", part_of=owner.menu))
        return made[0]
    return make


def build_task(fb, part) -> None:
    """A reusable task's actions, from its first."""
    owner = Owner(part.id, f"in task '{part.name}'")
    actions = fb.reader.fields(part.body, f"task '{part.name}'").get("actions", (None, None))[1]
    part.entry = chain(fb, owner, actions, end_of(fb, owner, part.key))


# -- the actions --------------------------------------------------------------------

def _play(step: Step, after: Later) -> str:
    node = step.node("message")
    step.fb.say(node, step.fields.get("audio"))
    node.next = after()
    return step.add(node)


def _disconnect(step: Step, after: Later) -> str:
    return step.add(step.node("hangup"))


def queue_node(step: Step) -> MenuNode:
    """A transfer to ACD: a queue node for its targetQueue, its preTransferAudio as the prompt."""
    node = step.node("queue")
    found = step.fields.get("targetQueue") or step.fields.get("queue")
    value = step.fb.reader.value(found[1]) if found else None
    name = _entity_name(step.fb, value)
    if name is None:
        written = value.text if value is not None and value.form in ("exp", "var") else ""
        name = written or "unknown"
        if written:
            step.note("opaque-step", f"the queue is chosen while the call runs ({written}); modelled as one pool of that name")
        else:
            step.note("broken-entry", "names no queue (targetQueue); Archy refuses to publish it: choose the queue")
    node.queue = name
    where = step.fb.loc(found[1]) if found else step.loc
    node.locs["queue"] = where
    pool(step.fb.line.queues, name, where)
    step.fb.say(node, step.fields.get("preTransferAudio"))
    node.label = node.label if node.prompt else None
    return node


def _to_acd(step: Step, after: Later) -> str:
    node = queue_node(step)
    found = step.add(node)
    step.fb.line.constructs.setdefault(found, ("menuTransferToAcd", f"targetQueue '{node.queue}'"))
    return found


def _entity_name(fb, value) -> str | None:
    """The name of a literal queue, user or group: ``lit: {name: Sales}`` (or ``lit: Sales``)."""
    if value is None or value.form not in ("lit", "plain") or value.node is None:
        return None
    if value.text:
        return value.text
    name = fb.text("name", fb.reader.fields(value.node, "a literal"))
    return name or None


_TRANSFER = {"transferToNumber": (("targetNumber", "number", "destination"), "number", "menuTransferToNumber"),
             "transferToUser": (("targetUser", "user"), "user", "menuTransferToUser"),
             "transferToGroup": (("targetGroup", "group"), "group", "menuTransferToGroup")}


def _transfer(step: Step, after: Later) -> str:
    keys, what, choice = _TRANSFER[step.kind]
    found = next((step.fields[k] for k in keys if k in step.fields), None)
    value = step.fb.reader.value(found[1]) if found else None
    name = _entity_name(step.fb, value) or (value.text if value is not None and value.text else None)
    node = step.node("transfer")
    node.destination = f"{what} {name}" if name else f"{what} unknown"
    node.locs["destination"] = step.fb.loc(found[1]) if found else step.loc
    if found is None:
        step.note("broken-entry", f"names no {what} to transfer to; Archy refuses to publish it")
    step.fb.say(node, step.fields.get("preTransferAudio"))
    made = step.add(node)
    step.fb.line.constructs.setdefault(made, (choice, node.destination))
    return made


def _voicemail(step: Step, after: Later) -> str:
    node = step.node("voicemail")
    destination = step.fb.reader.fields(step.fields.get("destination", (None, None))[1], "the voicemail destination")
    for what, (_, value) in destination.items():
        inner = step.fb.reader.fields(value, what)
        target = next((inner[k] for k in ("targetQueue", "targetUser", "targetGroup", "user", "group") if k in inner), None)
        name = _entity_name(step.fb, step.fb.reader.value(target[1])) if target else None
        node.label = f"voicemail of {what} {name}" if name else f"voicemail of a {what}"
        break
    step.fb.say(node, step.fields.get("preTransferAudio"))
    made = step.add(node)
    step.fb.line.constructs.setdefault(made, ("menuTransferToVoicemail", node.label or "a voicemail destination"))
    return made


def _to_flow(step: Step, after: Later) -> str:
    found = step.fields.get("targetFlow") or step.fields.get("flow")
    value = step.fb.reader.value(found[1]) if found else None
    name = _entity_name(step.fb, value)
    linked = step.fb.line.flows.get(name) if name else None
    if linked is not None:
        return linked.enter()
    node = step.node("hangup")
    node.label = f"opaque: transfer to flow {name or '(not named)'}"
    made = step.add(node)
    step.note("opaque-step", f"transfers the call to flow '{name}', which is not among the files read; what callers meet "
              "there is not checked (name that flow's file too)" if name else
              "transfers to a flow chosen while the call runs; what callers meet there is not checked", made)
    return made


def _jump(step: Step, after: Later) -> str:
    kinds = ("menu",) if step.kind == "jumpToMenu" else ("task",)
    ref = "targetMenuRef" if kinds == ("menu",) else "targetTaskRef"
    found = step.fields.get(ref)
    target = step.fb.refer(step.body, found, f"the {ref} of {step.written} '{step.name}'", kinds)
    if target is not None:
        return target
    node = step.node("hangup")
    node.label = f"broken: {ref} names nothing"
    made = step.add(node)
    if found is None:
        step.note("broken-entry", f"has no {ref}; Archy refuses to publish it: say where the call goes", made)
    return made


def _back(step: Step, after: Later) -> str:
    if step.owner.menu is not None:
        return step.owner.menu
    node = step.node("hangup")
    node.label = "opaque: back to the menu the caller came from"
    made = step.add(node)
    step.note("opaque-step", "goes back to the menu the caller came from, which depends on the way in; not modelled", made)
    return made


def _collect(step: Step, after: Later) -> str:
    node = step.node("input")
    step.fb.say(node, step.fields.get("inputAudio"))
    node.timeout, node.retries = step.fb.no_entry_timeout, 0
    found = step.fields.get("noEntryTimeout")
    got = seconds(step.fb.reader, step.fb.reader.value(found[1])) if found else None
    if found is not None and got is not None:
        node.timeout, node.locs["timeout"] = got, step.fb.loc(innermost(found[1]))
    node.digits = _most_digits(step)
    outputs = step.outputs()
    made = step.add(node)
    node.next = chain(step.fb, step.owner, outputs.get("success", (None, None))[1], after)
    node.on_failure = chain(step.fb, step.owner, outputs.get("failure", (None, None))[1], after)
    for name, field in (("success", "next"), ("failure", "on_failure")):
        if name in outputs:
            node.locs[field] = step.fb.loc(outputs[name][0])
    return made


def _most_digits(step: Step) -> int | None:
    digits = step.fb.reader.fields(step.fields.get("digits", (None, None))[1], "the digits")
    for form in ("exact", "range"):
        if form in digits:
            inner = digits[form][1]
            written = text(inner) if form == "exact" else step.fb.text("max", step.fb.reader.fields(inner, "the range"))
            return whole_number(written) or None  # ASCII digits only ("²" is isdigit()), of any length
    return None


def _branch(step: Step, after: Later) -> str:
    """An action with outputs: a branch with a way for each output written, and one that falls through."""
    data = step.kind in DATA
    outputs = step.outputs()
    node = step.node("branch")
    node.label = f"opaque: data action {step.name}" if data else f"{step.written} '{step.name}'"
    made = step.add(node)
    ways = [(name, key, chain(step.fb, step.owner, actions, after)) for name, (key, actions) in outputs.items()]
    missing = [name for name in OUTPUTS.get(step.kind, ()) if name not in outputs]
    if missing or step.kind not in OUTPUTS:  # an output not written goes on with the next action
        ways.append((" or ".join(missing) or "otherwise", step.key, after()))
    condition = _shown(step.fb.reader.value(step.fields.get("condition", (None, None))[1]).text) if step.kind == "decision" else ""
    node.branches = [Branch(target, None, f"{name}: {condition}" if condition and name in ("yes", "no") else name,
                            step.fb.loc(key)) for name, key, target in ways]
    if data:
        step.note("opaque-step", "a data action is not modelled; its ways out are kept as an even split", made)
    elif len({b.goto for b in node.branches}) == 1:  # every way meets again: nothing to branch on
        del step.fb.line.nodes[made], step.fb.line.words[made]
        return node.branches[0].goto
    return made


def _shown(condition: str, limit: int = 60) -> str:
    return condition if len(condition) <= limit else condition[: limit - 3] + "..."


def _silent(step: Step, after: Later) -> str:
    return after()


def _unknown(step: Step, after: Later) -> str:
    if step.fields.get("outputs") is not None:
        made = _branch(step, after)
        if made in step.fb.line.nodes:
            step.fb.line.nodes[made].label = f"opaque: {step.written}"
    else:
        node = step.node("message")
        node.label = f"opaque: {step.written}"
        node.next = after()
        made = step.add(node)
    step.note("opaque-step", "this action is not modelled (kept as a step that says nothing; the call goes on after it)",
              made if made in step.fb.line.nodes else None)
    return made


HANDLERS: dict[str, Callable[[Step, Later], str]] = {
    "playAudio": _play, "disconnect": _disconnect, "endFlow": _disconnect, "transferToAcd": _to_acd,
    "transferToNumber": _transfer, "transferToUser": _transfer, "transferToGroup": _transfer,
    "transferToVoicemail": _voicemail, "transferToFlow": _to_flow, "transferToFlowSecure": _to_flow,
    "jumpToMenu": _jump, "jumpToTask": _jump, "previousMenu": _back, "repeatMenu": _back,
    "collectInput": _collect, "decision": _branch, "switch": _branch, "evaluateSchedule": _branch,
    "evaluateScheduleGroup": _branch, "loop": _branch,
    **{kind: _branch for kind in DATA}, **{kind: _silent for kind in SILENT},
}
