"""One Connect block -> menu nodes.

| block | node |
|---|---|
| GetParticipantInput | ``menu``: Conditions ``Equals <key>`` are its options; ``input`` when it stores the digits (``StoreInput``) |
| MessageParticipant | ``message`` |
| TransferContactToQueue | ``queue`` for the working queue; with a QueueAtCapacity branch, a ``branch`` in front of it whose at-capacity way has share 0 (how often the queue is full is not in the flow) |
| TransferParticipantToThirdParty | ``transfer`` to its phone number |
| DisconnectParticipant, EndFlowExecution | ``hangup`` |
| Compare, CheckHoursOfOperation, CheckStaffing, CheckMetricData, DistributeByPercentage, Loop | ``branch`` with a way for each condition and one for "no match" |
| anything else | an opaque node (opaque-step, I401) |

Menus and input steps get their retries from the flow (retries.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from ivrlint.importers.connect import retries
from ivrlint.importers.connect.flows import arn_id, display_name
from ivrlint.importers.connect.line import TRANSPARENT_TYPES, conditions, errors, next_action, operands
from ivrlint.importers.numbers import whole_number
from ivrlint.menu.model import Branch, Node, Option

_KIND_WORDS = {
    "GetParticipantInput": "menu", "MessageParticipant": "message", "TransferContactToQueue": "queue",
    "TransferParticipantToThirdParty": "transfer", "DisconnectParticipant": "hangup", "EndFlowExecution": "end",
    "Loop": "loop", "Compare": "compare", "CheckHoursOfOperation": "hours", "CheckStaffing": "staffing",
    "CheckMetricData": "staffing", "DistributeByPercentage": "split", "TransferToFlow": "flow",
}
BRANCH_TYPES = ("Compare", "CheckHoursOfOperation", "CheckStaffing", "CheckMetricData", "DistributeByPercentage", "Loop")
#: Operands of CheckHoursOfOperation and the staffing checks, as words.
_TRUTH = {"true": "yes", "false": "no"}
#: The words of a branch's "no condition matches" way (DistributeByPercentage gives it the rest of the calls).
_NO_MATCH = "no condition matches"


@dataclass
class _Way:
    """One way out of a block: the object its NextAction is written in, that NextAction, and words for it."""

    entry: dict
    target: str
    words: str | None


def kind_word(action) -> str:
    if action.type == "GetParticipantInput" and stores_input(action):
        return "input"
    return _KIND_WORDS.get(action.type, "step")


def stores_input(action) -> bool:
    return str(action.params.get("StoreInput", "")).strip().lower() == "true"


def build(b, state, flow, action) -> list[tuple[str, Node]]:
    """The nodes of one block reached in `state`, as (id suffix, node); targets are Refs."""
    kind = action.type
    node = Node("", "message", loc=action.loc, timeout=None, retries=None)
    pool = state[2]
    go = lambda target: b.resolve(flow, target, pool)  # noqa: E731
    if kind == "GetParticipantInput" and not any(k in action.params for k in ("LexBot", "LexV2Bot")):
        (_input if stores_input(action) else _menu)(b, state, flow, action, node, go)
    elif kind == "MessageParticipant":
        _message(b, state, flow, action, node, go)
    elif kind == "TransferContactToQueue":
        return _queue(b, state, action, node, go)
    elif kind == "TransferParticipantToThirdParty":
        _transfer(b, state, action, node)
    elif kind in ("DisconnectParticipant", "EndFlowExecution"):
        node.type = "hangup"
        node.label = "end of flow" if kind == "EndFlowExecution" else None
    elif kind in BRANCH_TYPES:
        _branch(b, state, action, node, go)
    elif kind == "TransferToFlow":
        _broken_link(b, state, action, node)
    elif kind in TRANSPARENT_TYPES:
        _silent_end(b, state, flow, action, node, go)
    elif not kind:  # no Type (flows.py noted it): nothing says what the block does
        node.type, node.label = "hangup", "broken: block with no Type"
    else:
        _opaque(b, state, action, node, go, f"block {kind}")
    return [("", node)]


def _next(node: Node, action, go) -> None:
    target = next_action(action)
    if target is not None:
        node.next = go(target)
        node.locs["next"] = action.where(action.transitions, "NextAction")


def _message(b, state, flow, action, node: Node, go) -> None:
    """A Play prompt block's node: a message, then its next block."""
    if b.prompt(node, flow, action) is None:
        b.note("broken-entry", "Play prompt has no prompt (Text, SSML, PromptId or Media); choose what it says",
               action.loc, state)
    _next(node, action, go)


def _transfer(b, state, action, node: Node) -> None:
    """A Transfer to phone number block's node: a transfer to its number ("unknown" when it names none)."""
    node.type = "transfer"
    number = action.params.get("ThirdPartyPhoneNumber")
    node.destination = number.strip() if isinstance(number, str) and number.strip() else "unknown"
    node.locs["destination"] = action.param_loc("ThirdPartyPhoneNumber")
    if node.destination == "unknown":
        b.note("broken-entry", "Transfer to phone number names no number (ThirdPartyPhoneNumber)", action.loc, state)


def _menu(b, state, flow, action, node: Node, go) -> None:
    node.type = "menu"
    if b.prompt(node, flow, action) is None:
        b.note("broken-entry", "Get customer input has no prompt (Text, SSML, PromptId or Media); callers hear "
               "silence, then the timeout", action.loc, state)
    _timeout(b, state, action, node)
    for entry, target in conditions(action):
        condition = _condition(entry)
        where = action.where(entry, "NextAction")
        if condition.get("Operator") != "Equals" or not operands(entry) or target is None:
            b.note("opaque-step", f"a condition of Get customer input ({condition.get('Operator') or 'no operator'}) "
                   "that is not a key press with a next block; not modelled", where, state)
            continue
        found = condition.get("Operands")
        for index, key in enumerate(operands(entry)):
            loc = action.where(found, index)
            key = str(key).strip()
            if key in node.options:
                b.duplicate_keys.append((state, key, loc, node.options[key].loc))
                continue
            node.options[key] = Option(key, goto=go(target), loc=loc, target_loc=where)
    retries.failures(b, state, flow, action, node, go)


def _input(b, state, flow, action, node: Node, go) -> None:
    node.type = "input"
    b.prompt(node, flow, action)
    _timeout(b, state, action, node)
    validation = action.params.get("InputValidation")
    custom = validation.get("CustomValidation") if isinstance(validation, dict) else None
    longest = custom.get("MaximumLength") if isinstance(custom, dict) else action.params.get("MaxDigits")
    most = whole_number(str(longest or "").strip())
    if most:
        node.digits = most
    _next(node, action, go)
    retries.failures(b, state, flow, action, node, go)


def _timeout(b, state, action, node: Node) -> None:
    value = action.params.get("InputTimeLimitSeconds")
    node.timeout = 5.0  # Connect's default (docs/sources.md#platform-defaults; the model's DEFAULT_TIMEOUT)
    if value is None:
        return
    if str(value).strip().startswith("$."):
        b.note("opaque-step", f"the timeout is set while the call runs ({str(value).strip()}); modelled as 5 s",
               action.param_loc("InputTimeLimitSeconds"), state)
        return
    try:
        seconds = float(str(value).strip())
    except ValueError:
        seconds = -1.0
    if seconds <= 0:
        b.note("broken-entry", f"InputTimeLimitSeconds '{value}' is not a number of seconds; write one such as \"5\"",
               action.param_loc("InputTimeLimitSeconds"), state)
        return
    node.timeout = seconds
    node.locs["timeout"] = action.param_loc("InputTimeLimitSeconds")


def _queue(b, state, action, node: Node, go) -> list[tuple[str, Node]]:
    pool = state[2]
    if pool is None:
        b.note("broken-entry", "Transfer to queue with no working queue set on the way here; add a "
               "Set working queue block before it (Connect takes the Error branch)", action.loc, state)
        node.type, node.label = "hangup", "broken: transfer to queue with no working queue"
        return [("", node)]
    node.type, node.queue = "queue", pool
    node.locs["queue"] = b.queues[pool].loc
    full = errors(action).get("QueueAtCapacity")
    if full is None:
        return [("", node)]
    entry, target = full
    queue_node = node
    gate = Node("", "branch", loc=action.loc, label=f"queue {pool}, unless it is at capacity")
    gate.branches = [
        Branch(Suffix("-queue"), None, "the queue takes the call", action.loc),
        Branch(go(target), 0.0, "the queue is at capacity (share unknown; set it)", action.where(entry, "NextAction")),
    ]
    queue_node.loc = action.loc
    return [("", gate), ("-queue", queue_node)]


class Suffix(str):
    """A target inside the same block: the block's own id plus this suffix (set when ids are known)."""


def _branch(b, state, action, node: Node, go) -> None:
    node.type = "branch"
    kind = action.type
    if kind == "Loop":
        return retries.loop_branch(b, state, action, node, go)
    ways: list[_Way] = []
    for entry, target in conditions(action):
        if target is not None:
            ways.append(_Way(entry, target, _condition_words(action, entry)))
    nomatch = errors(action).get("NoMatchingCondition")
    following = next_action(action)
    if nomatch is not None:
        ways.append(_Way(nomatch[0], nomatch[1], _NO_MATCH))
    elif following and not ways:
        ways.append(_Way(action.transitions, following, None))
    shares = _percentages(action, ways) if kind == "DistributeByPercentage" else [None] * len(ways)
    for way, share in zip(ways, shares, strict=True):
        node.branches.append(Branch(go(way.target), share, way.words, action.where(way.entry, "NextAction")))
    node.label = _branch_label(b, action)


def _condition(entry: dict) -> dict:
    """The Condition of one of a block's Conditions; {} when it has none."""
    condition = entry.get("Condition")
    return condition if isinstance(condition, dict) else {}


def _condition_words(action, entry: dict) -> str:
    condition = _condition(entry)
    values = [str(v) for v in operands(entry)]
    if action.type in ("CheckHoursOfOperation", "CheckStaffing", "CheckMetricData"):
        return ", ".join(_TRUTH.get(v.lower(), v) for v in values)
    subject = action.params.get("ComparisonValue", "value")
    return f"{subject} {condition.get('Operator', '?')} {', '.join(values)}"


def _percentages(action, ways: list[_Way]) -> list[float | None]:
    """Shares of DistributeByPercentage: its conditions give running totals ('NumberLessThan 30'),
    and the rest of the calls take the "no condition matches" way."""
    out: list[float | None] = []
    below = 0.0
    for way in ways:
        if way.words == _NO_MATCH:
            out.append(round(max(0.0, 100.0 - below) / 100.0, 6))
            continue
        try:
            upto = min(100.0, max(below, float(operands(way.entry)[0])))
        except (IndexError, TypeError, ValueError):
            out.append(None)
            continue
        out.append(round((upto - below) / 100.0, 6))
        below = upto
    return out


def _branch_label(b, action) -> str | None:
    if action.type == "CheckHoursOfOperation":
        hours = display_name(action, "HoursOfOperationId")
        return f"in hours{f' ({hours})' if hours else ''}?"
    if action.type in ("CheckStaffing", "CheckMetricData"):
        return f"staffing: {action.params.get('MetricType', 'agents available')}?"
    return None


def _broken_link(b, state, action, node: Node) -> None:
    value = action.params.get("ContactFlowId")
    node.type = "hangup"
    if isinstance(value, str) and value.strip().startswith("$."):
        node.label = f"opaque: transfer to the flow in {value.strip()}"
        b.note("opaque-step", f"Transfer to flow chooses the flow while the call runs ({value.strip()}); "
               "where the call goes is unknown", action.param_loc("ContactFlowId"), state)
        return
    if not isinstance(value, str) or not value.strip():
        node.label = "broken: transfer to flow with no flow named"
        b.note("broken-entry", "Transfer to flow names no flow (ContactFlowId); choose the flow", action.loc, state)
        return
    shown = display_name(action, "ContactFlowId")
    name = f"'{shown}' ({arn_id(value)})" if shown else f"'{arn_id(value)}'"
    node.label = f"broken: transfer to flow {shown or arn_id(value)}"
    b.note("broken-entry", f"Transfer to flow goes to flow {name}, which is not among the flows given; add that "
           "flow's file (named after the flow or its id, or with the flow's name in Metadata.name)",
           action.param_loc("ContactFlowId"), state)


def _silent_end(b, state, flow, action, node: Node, go) -> None:
    """A block callers do not notice, kept as a node: nothing follows it, or it loops to itself."""
    if next_action(action) is None:
        node.type, node.label = "hangup", f"{action.type} with nothing after it"
        b.note("broken-entry", f"{action.type} has no next block; Connect ends the call here. Connect its "
               "Success branch", action.loc, state)
        return
    node.label = f"step: {action.type}"
    _next(node, action, go)


def _opaque(b, state, action, node: Node, go, what: str) -> None:
    ways: list[_Way] = []
    following = next_action(action)
    if following:
        ways.append(_Way(action.transitions, following, "next"))
    for entry, target in conditions(action):
        if target:
            ways.append(_Way(entry, target, ", ".join(str(v) for v in operands(entry)) or None))
    for kind, (entry, target) in errors(action).items():
        if kind != "NoMatchingError":
            ways.append(_Way(entry, target, kind))
    node.label = f"opaque: {what}"
    if not ways:
        node.type = "hangup"
        where = "the call ends there, as far as ivrlint knows"
    elif len(ways) == 1:
        node.next = go(ways[0].target)
        node.locs["next"] = action.where(ways[0].entry, "NextAction")
        where = "the call goes on to its next block"
    else:
        node.type = "branch"
        node.branches = [Branch(go(way.target), None, way.words, action.where(way.entry, "NextAction")) for way in ways]
        where = "its ways out are kept as an even split"
    b.note("opaque-step", f"{what} is not modelled (kept as a step that says nothing; {where})", action.loc, state)
