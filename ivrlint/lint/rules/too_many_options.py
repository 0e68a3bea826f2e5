"""too-many-options (U204): more than 5 choices in one menu.

What it checks
    The choices a menu offers, not counting its ways around the menu: the
    reserved-key profile's person key when it leads to a person, and any
    key that repeats the menu, goes back or goes to the top. A reserved key
    used for an ordinary destination is a choice like any other.

Why it matters
    Callers must hold every option in memory until they hear theirs; past
    four or five they forget the first ones, replay the menu or guess.
    Avaya's IVR guide advises "no more than four or five" and Plum at most
    5 (docs/sources.md#design-rules-with-numbers). Broad menus can beat deep
    ones (Virzi & Huitema 1997; Commarford & Lewis 2008), so this is a
    warning with a configurable limit, not a hard cap.

Options
    ``max_options`` (default 5): the most choices in one menu (Avaya IR
    guide; Plum). The navigation keys not counted come from the top-level
    ``reserved-keys`` setting.

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: >
          For orders, press 1. For returns, press 2. For delivery, press 3.
          For gift cards, press 4. For opening hours, press 5. For careers,
          press 6. For an agent, press 0.
        options: {1: agent, 2: agent, 3: agent, 4: agent, 5: agent, 6: agent, 0: agent}
        on_failure: agent
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}

Passes::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: >
          For orders, press 1. For returns, press 2. For delivery, press 3.
          For gift cards, press 4. For anything else, press 5. For an agent,
          press 0. To hear these options again, press 9.
        options: {1: agent, 2: agent, 3: agent, 4: agent, 5: agent, 0: agent, 9: {action: repeat}}
        on_failure: agent
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

from __future__ import annotations

from ivrlint.lint.rules import _usability as usability

CODE = "U204"
SLUG = "too-many-options"
SEVERITY = "warning"
SUMMARY = "more than 5 choices in a menu, not counting the navigation keys"
OPTIONS = {"max_options": 5}


def check(ctx, options):
    limit = options["max_options"]
    for node in usability.menus(ctx):
        choices = [o.key for o in node.options.values() if not usability.is_navigation(ctx, node, o)]
        if len(choices) > limit:
            yield node.where("options"), node.id, (
                f"{ctx.phrases.node(node)} offers {len(choices)} choices ({', '.join(choices)}; more than {limit}); "
                "group them or move rare ones a level down"
            )
