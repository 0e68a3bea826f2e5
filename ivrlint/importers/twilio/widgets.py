"""One Studio widget -> one menu node.

| widget | node |
|---|---|
| gather-input-on-call | ``menu`` when its keypress goes to a split-based-on of its Digits, else ``input`` (menus.py) |
| split-based-on | ``branch`` when reached on its own (menus.py) |
| say-play | ``message``; a ``hangup`` that says its words when nothing follows (how a Studio call says goodbye) |
| enqueue-call, send-to-flex | ``queue``; the pool is its ``queue_name``, else its TaskRouter workflow (``workflow_sid``, ``workflow``) |
| connect-call-to | ``transfer`` to a person: a number, a client, a SIP address, a SIM or a conference |
| record-voicemail | ``voicemail``, then its recordingComplete transition |
| run-function, make-http-request, run-subflow, add-twiml-redirect, ... | an opaque step (opaque-step, I401), then its success transition |
| set-variables, fork-stream, record-call, send-message | passed through (build.py); a ``hangup`` when nothing follows |

What follows a queue or a transfer once the call is over (callComplete,
callCompleted) and a system's failures (failedToEnqueue, fail) are not
followed: callers do not choose them.
"""

from __future__ import annotations

from ivrlint.importers import pools
from ivrlint.importers.twilio import menus
from ivrlint.importers.twilio.flows import TRANSPARENT, Widget, filled_in
from ivrlint.importers.twilio.prompts import widget_prompt
from ivrlint.menu.model import Branch, Node

#: Opaque widgets: what they do, in words, and the transition the call goes on with.
OPAQUE = {
    "run-function": ("runs a Twilio Function", "success"),
    "make-http-request": ("makes an HTTP request", "success"),
    "run-subflow": ("runs another flow as a subflow", "completed"),
    "add-twiml-redirect": ("hands the call to TwiML at a URL", "return"),
    "connect-virtual-agent": ("connects a virtual agent (Dialogflow)", "return"),
    "send-to-autopilot": ("hands the call to an Autopilot bot", "sessionEnded"),
    "capture-payments": ("takes a card payment", "success"),
    "send-and-wait-for-reply": ("sends a text message and waits for the reply", "incomingMessage"),
    "make-outgoing-call-v2": ("places another call", "answered"),
    "trigger": ("is the flow's Trigger, reached again", "incomingCall"),
}


def build(b, widget: Widget) -> Node:
    """The node of one widget; its targets resolved (new widgets queued on `b`)."""
    node = Node(widget.name, "message", loc=widget.loc)
    kind = widget.type
    if kind == "gather-input-on-call":
        menus.gather(b, widget, node)
    elif kind == "split-based-on":
        menus.branch(b, widget, node)
    elif kind == "say-play":
        _say(b, widget, node)
    elif kind in ("enqueue-call", "send-to-flex"):
        _queue(b, widget, node)
    elif kind == "connect-call-to":
        _transfer(b, widget, node)
    elif kind == "record-voicemail":
        node.type = "voicemail"
        node.next = b.target(widget.on("recordingComplete"))
        _next_loc(widget, node, "recordingComplete")
    elif b.is_kept(widget.name):
        _silent(b, widget, node)
    else:
        _opaque(b, widget, node)
    return node


def _next_loc(widget: Widget, node: Node, event: str) -> None:
    found = widget.on(event)
    if found is not None and found.next is not None:
        node.locs["next"] = widget.next_loc(found)


def _say(b, widget: Widget, node: Node) -> None:
    node.prompt, node.label, prop = widget_prompt(widget, b.language)
    if prop is not None:
        node.locs["prompt"] = widget.prop_loc(prop)
    else:
        b.note("broken-entry", f"say-play '{widget.name}' says nothing (no say, play or digits); Studio refuses "
               "the flow: write what it says", widget.loc, widget.name)
    node.next = b.target(widget.on("audioComplete"))
    _next_loc(widget, node, "audioComplete")
    if node.next is None:
        node.type = "hangup"  # the call ends after the message


def _queue(b, widget: Widget, node: Node) -> None:
    fields = ("queue_name", "workflow_sid") if widget.type == "enqueue-call" else ("workflow",)
    field = next((f for f in fields if isinstance(widget.prop(f), str) and widget.prop(f).strip()), None)
    if field is None:
        node.type, node.label = "hangup", f"broken: {widget.type} with no queue"
        b.note("broken-entry", f"{widget.type} '{widget.name}' names no queue ({' or '.join(fields)}); Studio refuses "
               "the flow: choose the queue or TaskRouter workflow", widget.loc, widget.name)
        return
    name = widget.prop(field).strip()
    loc = widget.prop_loc(field)
    if filled_in(name) == "while the call runs":  # a Terraform placeholder names one queue per deployment
        b.note("opaque-step", f"{widget.type} '{widget.name}' chooses its queue while the call runs ({name}); "
               "modelled as one pool of that name", loc, widget.name)
    node.type, node.queue = "queue", name
    node.locs["queue"] = loc
    pools.pool(b.queues, name, loc)
    if widget.type == "send-to-flex":
        node.label = "Flex"


def _transfer(b, widget: Widget, node: Node) -> None:
    noun = str(widget.prop("noun") or "number").strip()
    field = "sip_endpoint" if noun == "sip" else "to"
    found = widget.prop(field)
    node.type = "transfer"
    node.destination = found.strip() if isinstance(found, str) and found.strip() else "unknown"
    node.locs["destination"] = widget.prop_loc(field)
    node.label = f"connect-call-to {noun}"
    if node.destination == "unknown":
        b.note("broken-entry", f"connect-call-to '{widget.name}' names no one to call ({field}); Studio refuses the "
               "flow: write the number, client or address", widget.loc, widget.name)


def _silent(b, widget: Widget, node: Node) -> None:
    """A widget callers do not notice, kept as a node: nothing follows it, or it is in a loop of such widgets."""
    onward = widget.on(TRANSPARENT[widget.type])
    if onward is None or onward.next is None:
        node.type, node.label = "hangup", f"{widget.type} with nothing after it: the call ends"
        return
    node.label = f"step: {widget.type}"
    node.next = b.resolve(onward.next)
    node.locs["next"] = widget.next_loc(onward)


def _opaque(b, widget: Widget, node: Node) -> None:
    what, event = OPAQUE.get(widget.type, (f"is a widget of type '{widget.type}', which ivrlint does not know", None))
    node.label = f"opaque: {widget.type}"
    if event is not None:
        ways = [t for t in widget.transitions if t.event == event and t.next]
    else:
        ways = [t for t in widget.transitions if t.next]
    if not ways:
        node.type = "hangup"
        goes = "the call ends there, as far as ivrlint knows"
    elif len(ways) == 1:
        node.next = b.resolve(ways[0].next)
        node.locs["next"] = widget.next_loc(ways[0])
        goes = f"the call goes on with its {ways[0].event} transition"
    else:
        node.type = "branch"
        node.branches = [Branch(b.resolve(t.next), None, t.event, widget.next_loc(t)) for t in ways]
        goes = "its transitions are kept as an even split"
    b.note("opaque-step", f"{widget.type} '{widget.name}' {what}, which is not modelled (kept as a step that says "
           f"nothing; {goes})", widget.loc, widget.name)
