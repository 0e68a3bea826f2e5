"""What a FreeSWITCH application does to a call, as menu nodes.

``menu-exec-app`` entries and the ``exec-on-max-failures`` /
``exec-on-max-timeouts`` attributes name a dialplan application and its
arguments (``transfer 1000 XML default``). Each becomes an :class:`Outcome`:
a new node, a link to another menu, or (for a broken step) replaying the
menu. Where the call goes after an application that returns (``playback``,
a script) is `after`: for a menu entry, the menu itself (FreeSWITCH plays
the greeting again); after the failure handlers, the menu's exit.

Broken steps do what FreeSWITCH does with them (src/switch_ivr_menu.c,
``switch_ivr_menu_execute``): an entry whose param names no application,
or an application FreeSWITCH cannot find (``5000 XML default``), makes
the menu give up and return to the dialplan (``exit``); an application
run without the argument it needs (``transfer`` alone) logs an error and
returns, so the menu plays again (``repeat``).

A transfer or bridge is taken to reach a person (``human``): the importer
cannot see what the extension is. Scripts (Lua, JavaScript, Perl, Python)
and applications not listed here are opaque steps (I401).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ivrlint.importers.pools import pool
from ivrlint.location import Location
from ivrlint.menu.model import DEFAULT_LANGUAGE, Node, Queue

#: Script runners: the call may go anywhere the script sends it.
SCRIPTS = ("lua", "luarun", "javascript", "perl", "python")


#: What an application's name looks like: no FreeSWITCH application starts with a digit,
#: so ``5000 XML default`` is an extension whose ``transfer`` was left out.
_APPLICATION_NAME = re.compile(r"^[A-Za-z_][\w-]*$")


@dataclass
class Outcome:
    node: Node | None = None  # a new node to add
    goto: str | None = None  # an existing menu to go to
    action: str | None = None  # "repeat" when the step does nothing and the menu plays again (broken)
    exit: bool = False  # the menu gives up and returns to the dialplan (broken)
    note: tuple[str, str] | None = None  # (rule slug, message) at the step's place


def pool_name(argument: str) -> str:
    """The pool a queue argument names: ``support@$${domain}`` -> ``support``."""
    name = argument.split()[0] if argument.split() else ""
    return name.split("@", 1)[0] if not name.startswith("@") else name


def application(text: str, node_id: str, loc: Location, after: str, queues: dict[str, Queue], going_on: str = "") -> Outcome:
    """The outcome of running the application `text` ("app arguments"); `going_on`
    words where the call goes after an application that returns (else `after`)."""
    app, _, args = text.strip().partition(" ")
    args = args.strip()
    if not app:
        return gives_up("the param names no application", 'write one, e.g. param="transfer 1000 XML default"')
    if not _APPLICATION_NAME.match(app):
        return gives_up(f"'{text.strip()}' names no application ('{app}' is not one, so FreeSWITCH finds nothing to run)",
                        f'did you mean "transfer {text.strip()}"?')
    made = lambda type_, **fields: Outcome(node=Node(node_id, type_, loc=loc, **fields))  # noqa: E731
    reached = _someone(app, args, made, loc, queues)
    if reached is not None:
        return reached
    if app == "hangup":
        return made("hangup")
    if app == "ivr" and args:
        return Outcome(goto=args.split()[0])
    if app in ("playback", "speak") and args:
        return Outcome(node=sound_node(node_id, loc, args if app == "playback" else "say:" + args.split("|")[-1], after))
    what = "a script the importer cannot follow" if app in SCRIPTS else "an application the importer does not model"
    opaque = Node(node_id, "message", loc=loc, label=f"opaque: {text.strip()}", next=after)
    return Outcome(node=opaque, note=("opaque-step", f"'{text.strip()}' runs {what}; modelled as a step that goes on to "
                                                     f"{going_on or repr(after)}"))


def _someone(app: str, args: str, made, loc: Location, queues: dict[str, Queue]) -> Outcome | None:
    """The outcome of an application that sends the call to a person, a queue or a voicemail; None for any other."""
    if app in ("transfer", "bridge", "execute_extension"):
        if not args:
            return does_nothing(f"'{app}' names no destination", f"write e.g. '{app} 1000 XML default'")
        return made("transfer", destination=args, human=True)
    if app == "callcenter" or (app == "fifo" and args.split()[1:2] in ([], ["in"])):
        name = pool_name(args)
        if not name:
            return does_nothing(f"'{app}' names no queue", f"write e.g. '{app} support@$${{domain}}'")
        pool(queues, name, loc)
        return made("queue", queue=name)
    if app == "voicemail":
        return made("voicemail", label=f"voicemail {args}".strip())
    return None


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


def gives_up(problem: str, fix: str) -> Outcome:
    """A step FreeSWITCH cannot start: the menu gives up and returns to the dialplan (ivr's caller goes on, usually to hang up)."""
    return Outcome(exit=True, note=("broken-entry", f"{problem}; FreeSWITCH ends the menu there and returns "
                                                    f"to the dialplan, which usually ends the call: {fix}"))


def does_nothing(problem: str, fix: str) -> Outcome:
    """An application run without what it needs: it logs an error and returns, and the menu plays again."""
    return Outcome(action="repeat", note=("broken-entry", f"{problem}, so the key does nothing (the application logs an error "
                                                          f"and FreeSWITCH plays the menu again); {fix}"))
