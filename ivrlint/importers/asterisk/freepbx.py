"""FreePBX's standard destinations, read by what they mean.

FreePBX (and Issabel, which shares its dialplan) sends a call to any
destination with ``Goto(context,exten,1)`` into contexts it generates:
``ext-queues,400`` is queue 400, ``from-did-direct,200`` rings extension
200, ``ext-local,vmb200`` is its voicemail, ``app-blackhole,hangup`` ends
the call. Those contexts are long and full of macros that say nothing more
about the caller's path, so the importer reads these destinations by their
name, whether or not the generated context is among the files. The internal
dialling contexts ``from-internal`` and ``from-internal-xfer`` are read the
same way only when the files do not define them (hand-written dialplans
often have their own ``[from-internal]``).
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Destination(NamedTuple):
    type: str  # a node type: queue, transfer, voicemail, hangup
    value: str  # the queue name, the transfer's destination
    label: str


#: Read by name even when the files define them.
GENERATED = ("from-did-direct", "ext-local", "ext-queues", "ext-group", "ext-findmefollow", "app-blackhole")
#: Read by name only when the files do not define them.
INTERNAL = ("from-internal", "from-internal-xfer")

_VOICEMAIL = re.compile(r"vm([bsui])(\d+)$", re.IGNORECASE)
_VOICEMAIL_KINDS = {"b": "busy", "s": "no message", "u": "unavailable", "i": "instructions only"}


def destination(context: str, exten: str, defined: bool) -> Destination | None:
    """What FreePBX's `context`,`exten` does, if it is one of its standard destinations."""
    name = context.lower()
    if name not in GENERATED and (defined or name not in INTERNAL):
        return None
    if name == "ext-queues":
        return Destination("queue", exten, f"FreePBX queue {exten}")
    if name == "app-blackhole":
        return Destination("hangup", exten, f"FreePBX terminate call: {exten}")
    if name == "ext-group":
        return Destination("transfer", f"ring group {exten}", f"FreePBX ring group {exten}")
    if name == "ext-findmefollow":
        return Destination("transfer", f"follow me {exten}", f"FreePBX follow me {exten}")
    voicemail = _VOICEMAIL.match(exten)
    if voicemail:
        kind = _VOICEMAIL_KINDS[voicemail.group(1).lower()]
        return Destination("voicemail", voicemail.group(2), f"voicemail of {voicemail.group(2)} ({kind} greeting)")
    return Destination("transfer", exten, f"extension {exten}")
