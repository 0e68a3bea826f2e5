"""misleading-human-option (U213): an option offered as a person that leads elsewhere.

What it checks
    An option whose label, or whose words in the prompt, offer a person
    must lead to one. The words of an option are the clause that asks for
    its key ("To speak with an operator, press 0", "Press 0 for an
    agent"); in a sentence with several keys each key keeps its own
    clause, and "or hold for an agent" after a key is the no-input path,
    not that key's. A person is offered by a person noun in any of the
    lexicon's languages, inflected forms included (agent, operator, representative,
    adviser; konsultantu, operatoriumi; konsultantu, operatoru; оператором,
    консультантом; موظف، ممثلي; ügyintézővel, munkatársunkkal; Mitarbeiter;
    conseiller; asesor; konsultantem), or by "someone", "a person", "our
    team" together with a word of talking ("to talk to someone"); not
    when the words make the caller the person ("if you are an agent or a
    broker", "jei esate atstovas").

    The option leads to a person when the caller reaches a ``queue`` or a
    ``transfer`` to a person without another choice to make: directly, or
    through nodes that ask nothing more (a "please hold" message, a
    business-hours branch, an account-number step) - the same test as
    ``no-zero-out``. Another menu on the way, a repeat, a voicemail (unless
    the option's words speak of leaving a message or a callback), a
    recorded message that hangs up: each is reported, saying what happens
    instead.

Why it matters
    Being promised a person and landing in another menu, or back at the
    start, is the complaint callers make most
    (docs/sources.md#the-complaints-the-tool-exists-for); GetHuman's first
    rule (docs/sources.md#gethuman-standard) is that a person can be
    reached, and the caller who asked for one is the caller who most needs
    it.

Options
    None.

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For opening hours, press 1. To speak with an operator, press 0.
        options: {1: hours, 0: {action: repeat}, 9: agent}
        on_failure: agent
      hours: {type: message, prompt: We are open from nine to five., next: main}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}

Passes::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For opening hours, press 1. To speak with an operator, press 0.
        options: {1: hours, 0: hold}
        on_failure: agent
      hours: {type: message, prompt: We are open from nine to five., next: main}
      hold: {type: message, prompt: Please hold for the next operator., next: agent}
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

from __future__ import annotations

from ivrlint.language import wording
from ivrlint.lint.rules._usability import PASS_THROUGH, shorten, someone_reached

CODE = "U213"
SLUG = "misleading-human-option"
SEVERITY = "warning"
SUMMARY = "an option offered as a person (agent, operator...) that does not lead to one"
OPTIONS: dict = {}


def check(ctx, options):
    for node in (n for n in ctx.menu.nodes.values() if n.type == "menu"):
        for key, option in node.options.items():
            offer = _person_offer(ctx, node, key)
            if offer is None:
                continue
            if option.goto is not None and option.goto not in ctx.menu.nodes:
                continue  # unknown-target reports it
            reached = someone_reached(ctx, option.goto) if option.action is None else None
            if reached == "person" or (reached == "callback" and wording.mentions_callback(offer)):
                continue
            yield option.loc, node.id, (
                f"option {key} of {ctx.phrases.node(node)} is offered as a person (\"{offer}\") but {_instead(ctx, node, option)}; "
                f"callers who ask for a person and do not get one give up or start again: send it to an agent queue "
                f"(or a message that leads to one), or stop offering a person"
            )


def _person_offer(ctx, node, key) -> str | None:
    """The words that offer option `key` as a person, if any: its label or its clause of the prompt."""
    label = node.options[key].label
    if label and wording.offers_person(label):
        return label
    for version in ctx.hearing.readings(node):
        for said in version.reading.announced(key):
            if wording.offers_person(said.description):
                return " ".join(said.description.split())
    return None


def _instead(ctx, node, option) -> str:
    """What the option does instead of reaching a person, for the message."""
    if option.action == "repeat" or option.goto == node.id:
        return "it repeats the menu"
    if option.action in ("back", "top"):
        return "it goes back to a menu" if option.action == "back" else "it goes to the start of the line"
    way = _way(ctx, option.goto)
    last = ctx.menu.nodes[way[-1]]
    through = f" through {shorten([ctx.phrases.node(ctx.menu.nodes[n]) for n in way[:-1]], ', ')}" if len(way) > 1 else ""
    ending = {
        "menu": f"to {ctx.phrases.node(last)}, another menu to get through",
        "hangup": f"to a hang-up ({ctx.named(last.id)})",
        "transfer": f"to {ctx.phrases.node(last)}, which is not a person (human: false)",
    }.get(last.type, f"to {ctx.phrases.node(last)}")
    return f"it leads{through} {ending}"


def _way(ctx, node_id: str) -> list[str]:
    """The nodes a call goes through from `node_id` while nothing is asked of the caller."""
    way = [node_id]
    while True:
        here = ctx.menu.nodes[way[-1]]
        if here.type not in PASS_THROUGH:
            return way
        after = here.branches[0].goto if here.type == "branch" and here.branches else here.next
        if after is None or after not in ctx.menu.nodes or after in way:
            return way
        way.append(after)
