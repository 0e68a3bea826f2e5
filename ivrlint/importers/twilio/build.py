"""Walk the widgets a caller can pass and turn them into one Menu.

**Entry.** Calls start where the Trigger's ``incomingCall`` transition
leads (the Trigger is the flow's ``initial_state``). The phone line's flow
is the first flow given that takes calls; other flows that take calls are
other phone lines, reported once each (``unreachable``), and flows that
take none (messaging, REST API, subflows) are not part of the line.

**Transitions.** A widget's caller transitions are followed (widgets.py
and menus.py say which per widget); ``speech`` transitions, and the
failures of a system (a Function that fails, a queue that cannot take the
call, what follows a finished call) are not, so widgets only they lead to
are not imported. Widgets nothing leads to at all (left unconnected on the
canvas) are imported, and reported ``unreachable``.

**Widgets callers do not notice** (``set-variables``, ``fork-stream``,
``record-call``, ``send-message``) are not nodes: a transition to one goes
on to the first widget after it that plays, asks, branches or ends
something.

**Node ids** are the widgets' names, which Studio keeps unique in a flow.
A transition with no ``next`` ends the call; where the model needs a node
there (a key, a branch), it is a ``hangup`` named ``<widget>.<event>``
(``split_main.match-3`` for a condition), which fix hints call by the
transition it stands for.
"""

from __future__ import annotations

from collections import deque

from ivrlint.importers.twilio import widgets
from ivrlint.importers.twilio.flows import TRANSPARENT, Flow, FlowFile, Transition, Widget, trigger_of
from ivrlint.importers.twilio.jsontext import end_of
from ivrlint.importers.twilio.phrases import Made, StudioPhrases
from ivrlint.importers.twilio.prompts import flow_language
from ivrlint.location import Location
from ivrlint.menu.document import Document, Duplicate, Note
from ivrlint.menu.model import Defaults, Menu, Node


class Builder:
    """One walk over the line's flow; :meth:`document` gives the result."""

    def __init__(self, files: list[FlowFile]):
        self.files = files
        flows = [flow for file in files for flow in file.flows]
        takes_calls = [flow for flow in flows if _call_start(flow) is not None]
        self.flow: Flow = (takes_calls or flows)[0]
        self.others = [flow for flow in takes_calls if flow is not self.flow]
        self.language = flow_language(self.flow)
        self.nodes: dict[str, Node] = {}
        self.made: dict[str, Made] = {}
        self.todo: deque[str] = deque()
        self._queued: set[str] = set()
        self.queues: dict = {}
        self.notes: dict[tuple, str | None] = {}
        self.duplicates: list[Duplicate] = []
        self.menus: dict[str, str | None] = {}  # menu node -> the split-based-on widget that holds its keys
        self._kept: set[str] = set()  # silent widgets kept as nodes (nothing after them, or a loop of them)

    # -- notes -------------------------------------------------------------
    def note(self, slug: str, message: str, loc: Location, node: str | None = None, severity: str | None = None) -> None:
        self.notes.setdefault((slug, message, loc, severity), node)

    # -- following transitions ---------------------------------------------
    def resolve(self, name: str) -> str:
        """The node a transition to widget `name` lands on, past widgets callers do not notice; new ones are queued.
        A name that is no widget stays as written (unknown-target reports it)."""
        seen: set[str] = set()
        while name not in self._kept and name not in seen:
            widget = self.flow.widgets.get(name)
            if widget is None:
                return name
            seen.add(name)
            onward = widget.on(TRANSPARENT[widget.type]) if widget.type in TRANSPARENT else None
            if onward is None or onward.next is None:
                if widget.type in TRANSPARENT:
                    self._kept.add(name)  # nothing after it: the call ends there, at a node of its own
                break
            name = onward.next
        else:
            self._kept.add(name)  # a loop of silent widgets: one of them is kept as a node
        if name not in self._queued:
            self._queued.add(name)
            self.todo.append(name)
        return name

    def go(self, owner: Widget, transition: Transition | None, event: str | None = None) -> str:
        """The node `transition` of `owner` leads to; where it leads nowhere, a hangup standing for it."""
        if transition is not None and transition.next is not None:
            return self.resolve(transition.next)
        return self.end(owner, transition, event or (transition.event if transition else "next"))

    def target(self, transition: Transition | None) -> str | None:
        """The node `transition` leads to; None when it leads nowhere (the call ends)."""
        return self.resolve(transition.next) if transition is not None and transition.next is not None else None

    def end(self, owner: Widget, transition: Transition | None, event: str) -> str:
        """A hangup node for a transition of `owner` that leads nowhere (or that `owner` lacks)."""
        suffix = f"match-{transition.index + 1}" if transition is not None and transition.event == "match" else event
        node_id = f"{owner.name}.{suffix}"
        if node_id not in self.nodes:
            loc = owner.where(transition.body, "event") if transition is not None else owner.loc
            words = f"the '{event}' transition{_condition_words(transition)} of widget '{owner.name}'"
            self.nodes[node_id] = Node(node_id, "hangup", loc=loc, label=f"the call ends: {words} leads nowhere")
            self.made[node_id] = Made(owner.name, event, words)
        return node_id

    def is_kept(self, name: str) -> bool:
        return name in self._kept

    # -- the walk ------------------------------------------------------------
    def document(self) -> Document:
        start = self._start()
        for widget in self.flow.duplicates:
            self.note("broken-entry", f"a second widget named '{widget.name}'; Studio refuses a flow whose widgets "
                      "share a name: give each widget its own name", widget.loc)
        for name in _unconnected(self.flow):
            self.resolve(name)
        while self.todo:
            name = self.todo.popleft()
            if name not in self.nodes:
                self.nodes[name] = widgets.build(self, self.flow.widgets[name])
        for flow in self.others:
            self.note("unreachable", f"flow '{flow.name}' takes calls of its own (its Trigger's incomingCall leads to a "
                      "widget), so it is another phone line; check it on its own, in a directory of its own",
                      flow.initial_loc)
        self._repeats()
        menu = Menu(ivr=self.flow.name, start=start, nodes=self._in_file_order(start), file=self.flow.path,
                    language=self.language, defaults=Defaults(), queues=self.queues, loc=Location(self.flow.path, 1, 1),
                    locs={"start": self._start_loc()})
        notes = [Note(slug, message, loc, node, severity) for (slug, message, loc, severity), node in self.notes.items()]
        phrases = StudioPhrases(self.flow, self.menus, self.made)
        return Document(menu, self.duplicates, notes, phrases=phrases)

    def _start(self) -> str:
        """The node calls start at: where the Trigger's incomingCall leads (a hangup when it leads nowhere)."""
        trigger = trigger_of(self.flow)
        if self.flow.initial is None:
            self.note("broken-entry", "the flow has no \"initial_state\"; Studio starts a flow at the Trigger it names "
                      "and refuses a flow without one: add \"initial_state\": \"Trigger\"", self.flow.initial_loc)
        if trigger is None:
            return self.flow.initial or "Trigger"  # not a widget: unknown-target reports the start
        if trigger.type != "trigger":
            return self.resolve(trigger.name)
        call = trigger.on("incomingCall")
        if call is not None and call.next is not None:
            return self.resolve(call.next)
        loc = trigger.where(call.body, "event") if call is not None else trigger.loc
        self.nodes[trigger.name] = Node(trigger.name, "hangup", loc=trigger.loc, label="the Trigger takes no calls")
        self.note("platform-warning", "the Trigger's incomingCall transition leads nowhere, so Studio ends every call "
                  "at once; connect it to the flow's first widget (or check the flow that takes this line's calls)",
                  loc, trigger.name)
        return trigger.name

    def _start_loc(self) -> Location:
        trigger = trigger_of(self.flow)
        call = trigger.on("incomingCall") if trigger is not None else None
        return trigger.next_loc(call) if trigger is not None and call is not None else self.flow.initial_loc

    def _in_file_order(self, start: str) -> dict[str, Node]:
        """The start node, then the others line by line."""
        rest = sorted((n for n in self.nodes.values() if n.id != start),
                      key=lambda n: (n.loc.line, n.loc.column) if n.loc else (0, 0))
        first = [self.nodes[start]] if start in self.nodes else []
        return {node.id: node for node in first + rest}

    def _repeats(self) -> None:
        """Member names written twice (Studio's JSON reader keeps one of them; which one is not documented)."""
        for file in self.files:
            for key, at, first in file.repeats:
                self.duplicates.append(Duplicate(key, _holder(file, at), file.source.loc(at), file.source.loc(first)))


def _condition_words(transition: Transition | None) -> str:
    """' (equal_to 1)' for a match transition with one condition; else nothing."""
    if transition is None or transition.event != "match" or len(transition.conditions) != 1:
        return ""
    condition = transition.conditions[0]
    return f" ({condition.get('type', '?')} {condition.get('value', '')})".replace(" )", ")")


def _call_start(flow: Flow) -> str | None:
    """The widget the flow's Trigger sends calls to, or None when it takes no calls."""
    trigger = trigger_of(flow)
    if trigger is None or trigger.type != "trigger":
        return None
    call = trigger.on("incomingCall")
    return call.next if call is not None else None


def _unconnected(flow: Flow) -> list[str]:
    """Widgets no transition leads to (and not the Trigger): left unconnected on the canvas."""
    linked = {t.next for w in flow.widgets.values() for t in w.transitions if t.next}
    first = trigger_of(flow)
    return [name for name, w in flow.widgets.items() if name not in linked and w.type != "trigger" and w is not first]


def _holder(file: FlowFile, offset: int) -> str:
    """What holds the member at `offset`: the widget it is written in, else the flow."""
    for flow in file.flows:
        for widget in flow.widgets.values():
            if widget.body.at <= offset < end_of(widget.body):
                return f"widget '{widget.name}'"
    return "the flow definition"
