"""platform-warning (I403): a line of a platform's file the platform skips or warns about, and loads the rest.

What it checks
    What an importer found that the platform itself tolerates with a
    warning: an Asterisk ``exten =>`` line with no priority (Asterisk logs
    a warning and skips the line), an ``#include`` or ``#tryinclude`` of a
    file that is not there, a flow block of a type the importer does not
    know, a transition to nothing. ivrlint reads the files the way the
    platform does, so the rest of the file is still linted, and the skipped
    line is reported at its own line. When what was skipped leaves a step
    with nothing to run (a ``t`` or ``i`` extension with no priority 1, so
    timeouts or invalid keys go nowhere), the finding is an error.

Why it matters
    The platform's warning scrolls past in a log nobody reads; the caller
    meets the consequence: a timeout that hangs up, a key that does
    nothing. A file that loads is not a file that works.

Options
    None.

Fails::

    [ivr-main]
    exten => s,1,Answer()
     same => n,Background(custom/main-menu)
     same => n,WaitExten(5)
    exten => 1,1,Goto(sales,s,1)
    exten => 0,1,Queue(support)
    exten => t,Set(CALLERID(name)=timeout)

Passes::

    [ivr-main]
    exten => s,1,Answer()
     same => n,Background(custom/main-menu)
     same => n,WaitExten(5)
    exten => 1,1,Goto(sales,s,1)
    exten => 0,1,Queue(support)
    exten => t,1,Goto(s,1)
"""

CODE = "I403"
SLUG = "platform-warning"
SEVERITY = "warning"
SUMMARY = "a line of a platform's file the platform skips or warns about (no priority, missing #include, unknown block)"
OPTIONS: dict = {}


def check(ctx, options):
    """What the importer noted for this rule; a note whose skip leaves a step with nothing to run is an error."""
    for note in ctx.notes(SLUG):
        if note.severity:
            yield note.loc, note.node_id, note.message, note.severity
        else:
            yield note.loc, note.node_id, note.message
