"""broken-entry (I402): a step of a platform's file that the platform cannot carry out.

What it checks
    What an importer found broken in the original file: a FreeSWITCH
    ``<entry>`` with no ``action``, an unknown action, no ``digits``, a
    ``menu-exec-app`` whose ``param`` names no application, an application
    missing its argument (``transfer`` with no extension, ``callcenter`` with
    no queue), a ``<menu>`` with no name; in the other platforms, a step
    missing a parameter or linking to a flow, context or file that is not
    among the files given. The finding points at the step's line. A
    FreeSWITCH entry whose key is kept becomes an option that repeats the
    menu (the platform plays the greeting again); other rules leave that
    stand-in alone, so one broken entry is one finding.

    A link to a menu that does not exist (``menu-sub`` to a missing menu) is
    not reported here: the option keeps the missing name, and unknown-target
    (S101) reports it at the entry's line.

Why it matters
    The caller presses the key the greeting offers and nothing they were
    promised happens: the platform logs an error and plays the menu again,
    or drops the call. Such entries are usually left over from an edit (an
    application deleted in a web form, a queue renamed).

Options
    None.

Fails::

    <include>
      <menu name="main" greet-long="say:For sales, press 1. For an agent, press 0."
            timeout="5000" max-failures="3" exec-on-max-failures="transfer 1000 XML default">
        <entry action="menu-exec-app" digits="1" param=""/>
        <entry action="menu-exec-app" digits="0" param="transfer 1000 XML default"/>
      </menu>
    </include>

Passes::

    <include>
      <menu name="main" greet-long="say:For sales, press 1. For an agent, press 0."
            timeout="5000" max-failures="3" exec-on-max-failures="transfer 1000 XML default">
        <entry action="menu-exec-app" digits="1" param="transfer 2000 XML default"/>
        <entry action="menu-exec-app" digits="0" param="transfer 1000 XML default"/>
      </menu>
    </include>
"""

CODE = "I402"
SLUG = "broken-entry"
SEVERITY = "error"
SUMMARY = "a step of a platform's file the platform cannot carry out (no application, missing parameter, missing file)"
OPTIONS: dict = {}


def check(ctx, options):
    """What the importer noted for this rule while it read the platform's files."""
    for note in ctx.notes(SLUG):
        yield note.loc, note.node_id, note.message
