"""Bugs in the importers that type checking (mypy) found."""

from __future__ import annotations

import pytest

from ivrlint.importers import read_any

DIAL_BY_VARIABLE = """\
[menu]
exten => s,1,Answer()
 same => n,Set(DEST={dest})
 same => n,Background(custom/menu)
 same => n,WaitExten(5)
exten => 1,1,Dial(${{DEST}})

[sales]
exten => 100,1,Playback(custom/sales)
 same => n,Hangup()
"""


@pytest.mark.parametrize("dest", [
    "Local/100@sales,30",  # a timeout after the channel: the context was read as "sales,30", a missing node
    "Local/100@sales,30,tT",
    "&Local/100@sales",  # the Dial's first channel was read as "", and the import crashed (TypeError)
])
def test_a_dial_of_a_local_channel_in_a_variable_goes_where_asterisk_goes(write, dest):
    # Asterisk puts the variable in before it splits Dial's arguments and channels; the
    # importer decided that the Dial was a Local/ jump that way, but followed it the other way.
    document = read_any(str(write("extensions.conf", DIAL_BY_VARIABLE.format(dest=dest))), "asterisk")
    menu = document.menu
    assert menu.nodes["menu"].options["1"].goto == "sales"
    assert menu.nodes["sales"].type == "message"
    assert not [note for note in document.notes if note.rule == "broken-entry"]
