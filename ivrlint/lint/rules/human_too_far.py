"""human-too-far (U202): too many menus before a person can be reached.

What it checks
    The shortest way from the start to a live person (a ``queue``, or a
    ``transfer`` to a person), counting the menus the caller must listen to
    and answer on the way. Only moves a caller makes on purpose count: keys,
    ``next`` and branches; failing a menu until its ``on_failure`` takes
    over is not a way anyone would choose. The message names the menus on
    the way and estimates the seconds of prompts the caller hears on it
    (measured ``prompt_seconds`` where given, else the words at the menu's
    speech rate, in its default language).

Why it matters
    Callers who need a person measure the menu by how long it keeps them
    from one. Software Advice's 2014 study of 50 Fortune-500 phone lines
    and Dunlap (1998, a person within 2 presses) put the limit at about 3
    menus (docs/sources.md#design-rules-with-numbers).

Options
    ``max_menus`` (default 3): the most menus a caller may pass before a
    person (Software Advice 2014; Dunlap 1998).

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For orders, press 1. For opening hours, press 2.
        options: {1: orders, 2: hours, 9: {action: repeat}}
        on_failure: agent
      orders:
        type: menu
        prompt: For a new order, press 1. For an existing order, press 2.
        options: {1: bye, 2: existing}
        on_failure: agent
      existing:
        type: menu
        prompt: For delivery, press 1. For returns, press 2.
        options: {1: bye, 2: returns}
        on_failure: agent
      returns:
        type: menu
        prompt: For a refund, press 1. To speak with an agent, press 2.
        options: {1: bye, 2: agent}
        on_failure: agent
      hours: {type: message, prompt: We are open from nine to five., next: bye}
      bye: {type: hangup}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}

Passes::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For orders, press 1. For opening hours, press 2. For an agent, press 0.
        options: {1: orders, 2: hours, 0: agent}
        on_failure: agent
      orders:
        type: menu
        prompt: For a new order, press 1. For an agent, press 0.
        options: {1: bye, 0: agent}
        on_failure: agent
      hours: {type: message, prompt: We are open from nine to five., next: bye}
      bye: {type: hangup}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

from __future__ import annotations

from ivrlint.language.prompts import prompt_seconds
from ivrlint.lint.rules import _usability as usability
from ivrlint.menu import digraph as graphs

CODE = "U202"
SLUG = "human-too-far"
SEVERITY = "warning"
SUMMARY = "more than 3 menus before a person can be reached"
OPTIONS = {"max_menus": 3}


def check(ctx, options):
    menu = ctx.menu
    people = graphs.people(ctx.graph)
    if menu.start not in menu.nodes or menu.start not in ctx.person_hops:
        return  # no-human-path reports a line with no person at all
    menus_before, ways = usability.menus_on_the_way(ctx)
    reached = [p for p in people if p in menus_before]
    if not reached:
        yield menu.where("start"), menu.start, (
            "no key leads to a person: callers reach one from the start only by failing a menu's retries; "
            f"offer an agent by a key (0) within {options['max_menus']} menus"
        )
        return
    fewest = min(menus_before[p] for p in reached)
    tied = [p for p in reached if menus_before[p] == fewest][:50]  # ways are rebuilt one by one: a few suffice
    nearest = min(tied, key=lambda p: len(ways[p]))
    count = menus_before[nearest]
    if count <= options["max_menus"]:
        return
    way = ways[nearest]
    seconds = sum(prompt_seconds(menu.nodes[n], menu.language, menu.defaults.speech_rate) for n in way[:-1])
    first = next(n for n in way if menu.nodes[n].type == "menu")
    names = usability.shorten(way)
    yield ctx.node_loc(first), first, (
        f"a person is {count} menus from the start (more than {options['max_menus']}): {names}, "
        f"about {seconds:.0f} s of prompts; offer an agent (0) in '{first}' or a menu soon after it"
    )
