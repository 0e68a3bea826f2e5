"""What each dialplan application means for a caller, in the menu model.

Applications fall into a few kinds: steps the caller does not notice
(TRANSPARENT), jumps (Goto, GotoIf), sounds (Playback, Background, Say*),
the menu wait (WaitExten), and steps that become a node of their own
(Queue, Dial, VoiceMail, Hangup...). Anything else is opaque: kept as a
node, reported by I401.
"""

from __future__ import annotations

import re

from ivrlint.importers.asterisk.source import Line
from ivrlint.importers.asterisk.syntax import Call, find_top, parse_call

#: Steps with no effect on where the call goes or what the caller hears.
TRANSPARENT = frozenset({
    "answer", "noop", "set", "mset", "wait", "ringing", "progress", "verbose", "log", "setmusiconhold",
    "mixmonitor", "stopmixmonitor", "monitor", "stopmonitor", "userevent", "celgenuserevent", "resetcdr",
    "nocdr", "setamaflags", "importvar", "setcallerpres", "setlanguage", "waitforsilence", "playtones",
    "stopplaytones", "system", "trysystem", "dumpchan", "pausemonitor", "unpausemonitor", "startmusiconhold",
    "stopmusiconhold", "senddtmf", "chanisavail",
})
#: Applications that play something and move on.
SOUNDS = frozenset({"playback", "background", "saydigits", "saynumber", "sayalpha", "sayphonetic",
                    "sayunixtime", "saycountedadj", "saycountednoun", "saymoney", "sayordinal"})
#: Applications that end the call, with what the caller hears.
ENDINGS = {"hangup": None, "busy": "busy tone", "congestion": "congestion tone",
           "musiconhold": "music on hold until the caller hangs up"}
#: Subroutine calls: transparent when the subroutine only has transparent steps.
SUBROUTINES = frozenset({"gosub", "macro"})
#: Steps that end a subroutine.
RETURNS = frozenset({"return", "macroexit"})

def inner_call(call: Call, line: Line) -> Call | None:
    """The application ``ExecIf(cond?App(args):Other(args))`` runs when its
    condition holds, as a Call with places in the line; None if there is none."""
    start = call.data_at
    question = find_top(line.text, "?", start, start + len(call.data))
    if question < 0:
        return None
    end = find_top(line.text, ":", question + 1, start + len(call.data))
    end = start + len(call.data) if end < 0 else end
    if not line.text[question + 1:end].strip():
        return None
    return parse_call(line, question + 1, end)


def sound_names(call: Call) -> list[str]:
    """The sound files (or the spoken value) a sound step plays: ``a&b`` -> [a, b]."""
    if call.name in ("playback", "background"):
        return [name.strip() for name in call.arg(0).split("&") if name.strip()]
    return [f"{call.app}({call.data})"]


def dial_destinations(data: str) -> list[str]:
    """The channels ``Dial(PJSIP/100&SIP/200,20)`` rings."""
    first = data.split(",", 1)[0]
    return [d.strip() for d in first.split("&") if d.strip()]


_LOCAL = re.compile(r"Local/([^@/]+)@([^/]+)(?:/.*)?$", re.IGNORECASE)


def local_channel(destination: str) -> tuple[str, str] | None:
    """(exten, context) of a ``Local/EXT@CONTEXT[/n]`` channel, else None."""
    match = _LOCAL.match(destination)
    return (match.group(1), match.group(2)) if match else None
