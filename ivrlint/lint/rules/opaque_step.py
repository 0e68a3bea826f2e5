"""opaque-step (I401): a step of a platform's file that the importer does not model.

What it checks
    What an importer read but could not turn into menu nodes: a FreeSWITCH
    ``menu-exec-app`` that runs a Lua or JavaScript script or an application
    the importer does not know, a ``digits`` pattern it cannot read, a
    ``pin``, different handlers for too many silences and too many wrong
    keys, an ``X-PRE-PROCESS include`` that matches no file; an Asterisk
    application or a Connect block it does not know. The step is
    kept as an opaque node, never dropped: a ``message`` with no prompt,
    labelled ``opaque: <what>``, whose ``next`` is where the platform goes on
    after it (for a FreeSWITCH entry: back to its menu's greeting), or a
    ``hangup`` with that label when where it goes on is unknown. The finding
    points at the step's line in the original file.

Why it matters
    Everything ivrlint says about the menu (ways to a person, loops, the
    time callers spend) assumes the opaque step is as harmless as a short
    message. A script may route the call anywhere, play long prompts, or
    hang up. Check what it does, or rewrite it with constructs the importer
    reads (``transfer``, ``callcenter``, ``playback``, ``menu-sub``...), so
    that the lint and the simulation describe the menu callers get.

Options
    None. Ignore the rule (``--ignore opaque-step``) once the opaque steps
    have been checked by hand.

Fails::

    <include>
      <menu name="main" greet-long="say:For opening hours, press 1. For the weather, press 2. For an agent, press 0."
            timeout="5000" max-failures="3" exec-on-max-failures="transfer 1000 XML default">
        <entry action="menu-exec-app" digits="1" param="playback ivr/opening-hours.wav"/>
        <entry action="menu-exec-app" digits="2" param="lua weather.lua"/>
        <entry action="menu-exec-app" digits="0" param="transfer 1000 XML default"/>
      </menu>
    </include>

Passes::

    <include>
      <menu name="main" greet-long="say:For opening hours, press 1. For the weather, press 2. For an agent, press 0."
            timeout="5000" max-failures="3" exec-on-max-failures="transfer 1000 XML default">
        <entry action="menu-exec-app" digits="1" param="playback ivr/opening-hours.wav"/>
        <entry action="menu-exec-app" digits="2" param="playback weather/today.wav"/>
        <entry action="menu-exec-app" digits="0" param="transfer 1000 XML default"/>
      </menu>
    </include>
"""

CODE = "I401"
SLUG = "opaque-step"
SEVERITY = "warning"
SUMMARY = "a step of a platform's file the importer does not model (kept as an opaque node)"
OPTIONS: dict = {}


def check(ctx, options):
    """What the importer noted for this rule while it read the platform's files."""
    for note in ctx.notes(SLUG):
        yield note.loc, note.node_id, note.message
