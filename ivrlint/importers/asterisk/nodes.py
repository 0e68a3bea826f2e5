"""Build the node a landing stands for (see flow.py): one function per kind of step.

Sounds are not text: a message or menu gets no prompt, and its label says
which sound files it plays (``plays custom/main-menu``), so findings and
the YAML name them. Steps the importer does not understand are kept as
opaque message nodes that continue where Asterisk continues (I401).
"""

from __future__ import annotations

from collections.abc import Callable

from ivrlint.importers.asterisk import menus
from ivrlint.importers.asterisk.apps import ENDINGS, SUBROUTINES, dial_destinations, local_channel
from ivrlint.importers.asterisk.dialplan import BROKEN, OPAQUE, Step
from ivrlint.importers.asterisk.flow import Flow, Landing
from ivrlint.importers.asterisk.positions import Pos
from ivrlint.importers.pools import pool
from ivrlint.location import Location
from ivrlint.menu.model import Branch, Node


def build_all(flow: Flow) -> None:
    """Build every node asked for, including those building others asks for."""
    for node_id, landing in flow.pending():
        flow.nodes[node_id] = build(flow, node_id, landing)


def build(flow: Flow, node_id: str, landing: Landing) -> Node:
    if landing.kind == "mapped":
        return _mapped(flow, node_id, landing)
    if landing.kind == "end":
        _, context, exten = landing.key
        found = flow.plan.find(context, exten)
        loc = found[1].steps[max(found[1].steps)].call.loc if found and found[1].steps else landing.loc
        return Node(node_id, "hangup", loc=loc, label=f"end of extension {exten}: Asterisk hangs up")
    pos = landing.key[1]  # a spin, computed or step landing is at a step
    step = flow.plan.step(pos)
    if step is None:  # no step there (flow.py does not land so): Asterisk hangs up
        return Node(node_id, "hangup", loc=landing.loc, label=f"end of extension {pos.exten}: Asterisk hangs up")
    if landing.kind == "spin":
        loc = landing.loc or step.call.loc  # the Goto leading back here
        flow.note(BROKEN, "Goto leads back here with no step in between: Asterisk loops forever; "
                          "jump to a step that plays or asks something", loc, node_id)
        return Node(node_id, "hangup", loc=loc, label="endless Goto loop")
    if landing.kind == "computed":
        return opaque_end(flow, node_id, step, landing.loc or step.call.loc, "GotoIf to a place computed while the call runs")
    return BUILDERS[flow.kind(step, pos)](flow, node_id, step, pos)


def _mapped(flow: Flow, node_id: str, landing: Landing) -> Node:
    destination = landing.key[3]
    node = Node(node_id, destination.type, loc=landing.loc, label=destination.label)
    if destination.type == "queue":
        node.queue = destination.value
        pool(flow.queues, destination.value, landing.loc)
    elif destination.type == "transfer":
        node.destination = destination.value
    return node


def opaque_end(flow: Flow, node_id: str, step: Step, loc: Location, why: str) -> Node:
    """A step whose continuation is unknown: a hang-up node labelled opaque (I401)."""
    shown = f"{step.call.app}({step.call.data})"
    flow.note(OPAQUE, f"{shown}: {why}; the importer cannot tell where the call goes, so the menu ends here", loc, node_id)
    return Node(node_id, "hangup", loc=loc, label=f"opaque: {shown}")


def _opaque(flow: Flow, node_id: str, step: Step, pos: Pos) -> Node:
    shown = f"{step.call.app}({step.call.data})"
    if step.call.name in SUBROUTINES:
        why = ("the subroutine does more than set variables (it may play, branch or hang up) and the importer "
               "does not follow subroutines; kept as a step that continues at the next priority, as after Return()")
    else:
        why = "not understood by the importer; kept as a step that continues at the next priority"
    flow.note(OPAQUE, f"{shown}: {why}", step.call.loc, node_id)
    node = Node(node_id, "message", loc=step.call.loc, label=f"opaque: {shown}")
    node.next, node.locs["next"] = flow.enter_step(step, pos)
    return node


def _computed_goto(flow: Flow, node_id: str, step: Step, pos: Pos) -> Node:
    return opaque_end(flow, node_id, step, step.call.arg_loc(0), "Goto to a place computed while the call runs")


def _empty(flow: Flow, node_id: str, step: Step, pos: Pos) -> Node:
    flow.note(BROKEN, f"priority {step.priority} of {step.exten} names no application; Asterisk hangs up here; "
                      "write one, for example Playback(hello-world)", step.call.loc, node_id)
    return Node(node_id, "hangup", loc=step.call.loc, label="no application")


def _no_such_app(flow: Flow, node_id: str, step: Step, pos: Pos) -> Node:
    flow.note(BROKEN, f"'{step.call.app}' is not the name of an application (Asterisk reads the name up to the '('): "
                      "a call reaching this step finds no such application and is hung up; write App(arguments)",
              step.call.loc, node_id)
    return Node(node_id, "hangup", loc=step.call.loc, label=f"no application '{step.call.app}'")


def _empty_goto(flow: Flow, node_id: str, step: Step, pos: Pos) -> Node:
    flow.note(BROKEN, f"{step.call.app}() names no place: Asterisk logs 'Goto requires an argument' and hangs up, so a "
                      f"call reaching extension {step.exten} of [{step.context}] here goes nowhere; write "
                      f"{step.call.app}(context,extension,priority)", step.call.loc, node_id)
    return Node(node_id, "hangup", loc=step.call.loc, label=f"{step.call.app}() without a place")


def _missing_argument(flow: Flow, node_id: str, step: Step, what: str) -> Node:
    flow.note(BROKEN, f"{step.call.app}() without {what}: Asterisk cannot run it and hangs up; "
                      f"write {step.call.app}({what.split()[-1].upper()})", step.call.loc, node_id)
    return Node(node_id, "hangup", loc=step.call.loc, label=f"{step.call.app}() without {what}")


def _queue(flow: Flow, node_id: str, step: Step, pos: Pos) -> Node:
    name = flow.plan.substitute(step.call.arg(0), pos)
    if not name:
        return _missing_argument(flow, node_id, step, "a queue")
    loc = step.call.arg_loc(0)
    pool(flow.queues, name, loc)
    return Node(node_id, "queue", loc=step.call.loc, queue=name, locs={"queue": loc})


def _dial(flow: Flow, node_id: str, step: Step, pos: Pos) -> Node:
    destinations = dial_destinations(flow.plan.substitute(step.call.data, pos))
    if not destinations:
        return _missing_argument(flow, node_id, step, "a destination")
    loc = step.call.arg_loc(0)
    for destination in destinations:
        local = local_channel(destination)
        if local and local[1] not in flow.plan.contexts:
            flow.note(BROKEN, f"Dial({destination}): context '{local[1]}' is not among the files; "
                              "Asterisk cannot ring it; name an existing context or add its file", loc, node_id)
    return Node(node_id, "transfer", loc=step.call.loc, destination="&".join(destinations), human=True,
                locs={"destination": loc})


def _after(flow: Flow, step: Step, pos: Pos) -> tuple[str, Location] | None:
    """Where the call goes after a voicemail or task, and where that is decided: None when it just ends there."""
    following = Pos(pos.context, pos.exten, pos.priority + 1)
    landing = flow.resolve(following)
    if landing.kind == "end":
        return None
    if landing.kind == "step":
        next_step = flow.plan.step(landing.key[1])
        if next_step is not None and next_step.call.name == "hangup":
            return None
    return flow.enter(following, step.call.loc)


def _voicemail(flow: Flow, node_id: str, step: Step, pos: Pos) -> Node:
    mailbox = flow.plan.substitute(step.call.arg(0), pos)
    if not mailbox:
        return _missing_argument(flow, node_id, step, "a mailbox")
    node = Node(node_id, "voicemail", loc=step.call.loc, label=f"voicemail {mailbox}")
    after = _after(flow, step, pos)
    if after is not None:
        node.next, node.locs["next"] = after
    return node


def _voicemail_main(flow: Flow, node_id: str, step: Step, pos: Pos) -> Node:
    node = Node(node_id, "self_service", loc=step.call.loc, label="listen to voicemail (VoiceMailMain)")
    after = _after(flow, step, pos)
    if after is not None:
        node.next, node.locs["next"] = after
    return node


def _directory(flow: Flow, node_id: str, step: Step, pos: Pos) -> Node:
    return Node(node_id, "transfer", loc=step.call.loc, destination="dial-by-name directory", human=True,
                label="Directory(): the caller spells a name and is put through")


def _ending(flow: Flow, node_id: str, step: Step, pos: Pos) -> Node:
    return Node(node_id, "hangup", loc=step.call.loc, label=ENDINGS[step.call.name])


def _branch(flow: Flow, node_id: str, step: Step, pos: Pos) -> Node:
    node = Node(node_id, "branch", loc=step.call.loc)
    timed = step.call.name == "gotoiftime"
    for side, loc, when in flow.sides(step, pos):
        if timed:
            when = f"time is {when}" if not when.startswith("not ") else "otherwise"
        if isinstance(side, Landing):
            goto = flow.node_for(side) if side.kind != "missing" else side.key[1]
        else:
            goto, loc = flow.enter(side, loc)
        node.branches.append(Branch(goto, None, when, loc))
    return node


BUILDERS: dict[str, Callable[[Flow, str, Step, Pos], Node]] = {
    "sound": menus.sound_run,
    "waitexten": menus.wait_only,
    "read": menus.read,
    "queue": _queue,
    "dial": _dial,
    "voicemail": _voicemail,
    "voicemailmain": _voicemail_main,
    "directory": _directory,
    "ending": _ending,
    "gotoif": _branch,
    "goto": _computed_goto,
    "empty-goto": _empty_goto,
    "no-such-app": _no_such_app,
    "dial-local": _computed_goto,
    "opaque": _opaque,
    "empty": _empty,
}
