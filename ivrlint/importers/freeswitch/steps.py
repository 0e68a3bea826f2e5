"""What a FreeSWITCH application does to a call, as menu nodes.

``menu-exec-app`` entries and the ``exec-on-max-failures`` /
``exec-on-max-timeouts`` attributes name a dialplan application and its
arguments (``transfer 1000 XML default``). Each becomes an :class:`Outcome`:
a new node, a link to another menu, or (for a broken step) replaying the
menu. Where the call goes after an application that returns (``playback``,
a script) is `after`: for a menu entry, the menu itself (FreeSWITCH plays
the greeting again); after the failure handlers, the menu's exit.

A transfer or bridge is taken to reach a person (``human``): the importer
cannot see what the extension is. Scripts (Lua, JavaScript, Perl, Python)
and applications not listed here are opaque steps (I401).
"""

from __future__ import annotations

from dataclasses import dataclass

from ivrlint.importers.pools import pool
from ivrlint.location import Location
from ivrlint.menu.model import DEFAULT_LANGUAGE, Node, Queue

#: Script runners: the call may go anywhere the script sends it.
SCRIPTS = ("lua", "luarun", "javascript", "perl", "python")


@dataclass
class Outcome:
    node: Node | None = None  # a new node to add
    goto: str | None = None  # an existing menu to go to
    action: str | None = None  # "repeat" when the step does nothing (broken)
    note: tuple[str, str] | None = None  # (rule slug, message) at the step's place


def pool_name(argument: str) -> str:
    """The pool a queue argument names: ``support@$${domain}`` -> ``support``."""
    name = argument.split()[0] if argument.split() else ""
    return name.split("@", 1)[0] if not name.startswith("@") else name


def application(text: str, node_id: str, loc: Location, after: str, queues: dict[str, Queue]) -> Outcome:
    """The outcome of running the application `text` ("app arguments")."""
    app, _, args = text.strip().partition(" ")
    args = args.strip()
    made = lambda type_, **fields: Outcome(node=Node(node_id, type_, loc=loc, **fields))  # noqa: E731
    if not app:
        return _broken("the param names no application, so the key does nothing; write one, e.g. param=\"transfer 1000 XML default\"")
    if app in ("transfer", "bridge", "execute_extension"):
        if not args:
            return _broken(f"'{app}' names no destination; write e.g. '{app} 1000 XML default'")
        return made("transfer", destination=args, human=True)
    if app == "callcenter" or (app == "fifo" and args.split()[1:2] in ([], ["in"])):
        name = pool_name(args)
        if not name:
            return _broken(f"'{app}' names no queue; write e.g. '{app} support@$${{domain}}'")
        pool(queues, name, loc)
        return made("queue", queue=name)
    if app == "voicemail":
        return made("voicemail", label=f"voicemail {args}".strip())
    if app == "hangup":
        return made("hangup")
    if app == "ivr" and args:
        return Outcome(goto=args.split()[0])
    if app in ("playback", "speak") and args:
        return Outcome(node=sound_node(node_id, loc, args if app == "playback" else "say:" + args.split("|")[-1], after))
    what = "a script the importer cannot follow" if app in SCRIPTS else "an application the importer does not model"
    opaque = Node(node_id, "message", loc=loc, label=f"opaque: {text.strip()}", next=after)
    return Outcome(node=opaque, note=("opaque-step", f"'{text.strip()}' runs {what}; modelled as a step that goes on to '{after}'"))


def sound_node(node_id: str, loc: Location, sound: str, after: str) -> Node:
    """A message that plays `sound` (a file, or TTS text after ``say:``) and goes on to `after`."""
    text = tts_text(sound)
    if text is not None:
        return Node(node_id, "message", loc=loc, prompt={DEFAULT_LANGUAGE: text}, next=after)
    return Node(node_id, "message", loc=loc, label=f"plays {sound.strip()}", next=after)


def tts_text(sound: str) -> str | None:
    """The words of a ``say:`` sound (text to speech), else None (a file, phrase or tone)."""
    sound = sound.strip()
    if sound.startswith("say:"):
        text = sound[4:].strip()
        return text or None
    return None


def _broken(message: str) -> Outcome:
    return Outcome(action="repeat", note=("broken-entry", message))
