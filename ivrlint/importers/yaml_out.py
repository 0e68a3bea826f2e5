"""Write a Menu as an ivrlint YAML menu (the format of MENU_FORMAT.md).

`ivrlint import` uses this to turn a platform's files into a YAML menu a
person can read and edit. The output is what the loader reads back as the
same menu (same nodes, options, targets, prompts, queues and traffic); each
node has a comment saying where it came from (``# from ivr.conf.xml:12``),
and what the importer reported about it (I4xx findings) stands above it as
comments, since the YAML itself no longer carries them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from ivrlint.importers.pools import is_default
from ivrlint.importers.yaml_scalars import hours, number, scalar, text_block
from ivrlint.location import Location
from ivrlint.menu.document import Note
from ivrlint.menu.model import Defaults, Duration, Menu, Node, Option, Queue, Traffic
from ivrlint.menu.queues import DEFAULT_RING_BACK, REDIAL_DISTRIBUTION, RING_BACK_DISTRIBUTION

#: The order the loader's tables list each node type's keys in.
_TARGET_FIELDS = ("on_no_input", "on_invalid", "on_failure")


def menu_to_yaml(menu: Menu, notes: Sequence[Note] = ()) -> str:
    """The menu as YAML text, ending with a newline; what the importer noted
    (`notes`) becomes comments on the nodes they are about, or at the top."""
    sources = _sources(menu)
    base = _common_folder(sources)
    out = _header(menu, notes, sources, base)
    out.append(f"ivr: {scalar(menu.ivr)}")
    out.append(f"start: {scalar(menu.start)}")
    out.append(f"language: {scalar(menu.language)}")
    out.extend(_defaults(menu.defaults))
    out.append("")
    out.append("nodes:")
    by_node = _notes_by_node(menu, notes)
    for node in menu.nodes.values():
        out.extend(f"  # {line}" for line in by_node.get(node.id, ()))
        if node.loc is not None:
            out.append(f"  # from {_where(node.loc, base)}")
        out.extend(_node(node, menu))
    if menu.queues:
        out.append("")
        out.extend(_queues(menu))
    if menu.traffic is not None:
        out.append("")
        out.extend(_traffic(menu.traffic))
    elif sources:
        out.append("")
        out.extend(_traffic_hint(menu))
    return "\n".join(out) + "\n"


def _header(menu: Menu, notes: Sequence[Note], sources: list[str], base: str) -> list[str]:
    if not sources:
        return []
    names = ", ".join(_relative(path, base) for path in sources)
    out = [f"# Imported by ivrlint from {names}.", "# Each node says where it came from in the original files."]
    for note in notes:
        if note.node_id is None or note.node_id not in menu.nodes:
            out.append(f"# {note.rule} at {_where(note.loc, base)}: {note.message}")
    return out + [""]


def _sources(menu: Menu) -> list[str]:
    """The original files of an imported menu, in order; empty for a YAML menu
    (a .yaml file can be a platform's too: an Archy flow)."""
    from ivrlint.importers import detect

    if menu.file.startswith("<") or (menu.file.endswith((".yaml", ".yml")) and detect(menu.file) is None):
        return []
    seen = {menu.file: None}
    for node in menu.nodes.values():
        if node.loc is not None:
            seen.setdefault(node.loc.file, None)
    return list(seen)


def _common_folder(paths: list[str]) -> str:
    if not paths:
        return ""
    folders = [os.path.dirname(os.path.abspath(p)) for p in paths]
    return os.path.commonpath(folders)


def _relative(path: str, base: str) -> str:
    return os.path.relpath(os.path.abspath(path), base) if base else path


def _where(loc: Location, base: str) -> str:
    return f"{_relative(loc.file, base)}:{loc.line}"


def _notes_by_node(menu: Menu, notes: Sequence[Note]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for note in notes:
        if note.node_id is not None and note.node_id in menu.nodes:
            out.setdefault(note.node_id, []).append(f"{note.rule}: {note.message}")
    return out


def _defaults(defaults: Defaults) -> list[str]:
    plain = Defaults()
    fields = [
        (name, "unlimited" if value is None else number(value))
        for name, value in (("timeout", defaults.timeout), ("retries", defaults.retries), ("speech_rate", defaults.speech_rate))
        if value != getattr(plain, name)
    ]
    if not fields:
        return []
    return ["defaults:", *(f"  {name}: {value}" for name, value in fields)]


def _node(node: Node, menu: Menu) -> list[str]:
    """A node's lines, its keys in the order the loader's tables list them."""
    out = [f"  {scalar(node.id)}:", f"    type: {node.type}"]
    if node.label is not None:
        out.append(f"    label: {text_block(node.label, 6)}")
    out.extend(_prompt(node, menu.language))
    if node.prompt_seconds is not None:
        out.append(f"    prompt_seconds: {number(node.prompt_seconds)}")
    if node.type == "menu":
        out.extend(_options(node.options.values()))
    out.extend(_tries(node, menu.defaults))
    out.extend(_work(node))
    if node.type == "branch":
        out.extend(_branches(node))
    out.extend(_destination(node))
    out.extend(_ways_on(node))
    return out


def _tries(node: Node, defaults: Defaults) -> list[str]:
    """timeout and retries of a menu or input node, where they differ from the menu's defaults."""
    if node.type not in ("menu", "input"):
        return []
    out = []
    if node.timeout is not None and node.timeout != defaults.timeout:
        out.append(f"    timeout: {number(node.timeout)}")
    if node.retries != defaults.retries:
        out.append(f"    retries: {'unlimited' if node.retries is None else node.retries}")
    return out


def _work(node: Node) -> list[str]:
    """What an input or self-service step takes: digits, duration, chance of success."""
    if node.type not in ("input", "self_service"):
        return []
    out = []
    if node.digits is not None and node.type == "input":
        out.append(f"    digits: {node.digits}")
    if node.duration is not None:
        out.append(f"    duration: {_duration(node.duration)}")
    if node.success is not None:
        out.append(f"    success: {number(node.success)}")
    return out


def _destination(node: Node) -> list[str]:
    """Where a queue or transfer node sends the call."""
    if node.type == "queue" and node.queue is not None:
        return [f"    queue: {scalar(node.queue)}"]
    if node.type != "transfer":
        return []
    out = [f"    destination: {scalar(node.destination)}"] if node.destination is not None else []
    return out + ([] if node.human else ["    human: false"])


def _ways_on(node: Node) -> list[str]:
    """next, and the on_* targets the node's type may carry."""
    out = []
    if node.type in ("message", "input", "self_service", "voicemail") and node.next is not None:
        out.append(f"    next: {scalar(node.next)}")
    for field in _TARGET_FIELDS:
        value = getattr(node, field)
        allowed = node.type == "menu" or (field == "on_failure" and node.type in ("input", "self_service"))
        if value is not None and allowed:
            out.append(f"    {field}: {scalar(value)}")
    return out


def _prompt(node: Node, language: str) -> list[str]:
    if not node.prompt:
        return []
    if list(node.prompt) == [language]:
        return [f"    prompt: {text_block(node.prompt[language], 6)}"]
    out = ["    prompt:"]
    for tag, text in node.prompt.items():
        out.append(f"      {scalar(tag)}: {text_block(text, 8)}")
    return out


def _options(options: Iterable[Option]) -> list[str]:
    out = ["    options:"]
    for option in options:
        key = scalar(option.key)
        if option.action is None and option.label is None and option.goto is not None:
            out.append(f"      {key}: {scalar(option.goto)}")
            continue
        if option.action is not None:
            parts = [f"action: {option.action}"]
        elif option.goto is not None:
            parts = [f"goto: {scalar(option.goto)}"]
        else:  # no importer makes one: the loader needs exactly one of goto and action
            raise ValueError(f"option {option.key} has neither a goto nor an action")
        if option.label is not None:
            parts.append(f"label: {scalar(option.label)}")
        out.append(f"      {key}: {{{', '.join(parts)}}}")
    return out


def _branches(node: Node) -> list[str]:
    out = ["    branches:"]
    for branch in node.branches:
        parts = [f"goto: {scalar(branch.goto)}"]
        if branch.share is not None:
            parts.append(f"share: {number(branch.share)}")
        if branch.when is not None:
            parts.append(f"when: {scalar(branch.when)}")
        out.append(f"      - {{{', '.join(parts)}}}")
    return out


def _duration(duration: Duration, default: str | None = None) -> str:
    """A random duration: its mean alone when it names no distribution (or the loader's `default` for it) and no cv."""
    if duration.distribution in (None, default) and duration.cv is None:
        return number(duration.mean)
    parts = [f"mean: {number(duration.mean)}"]
    if duration.distribution is not None:
        parts.append(f"distribution: {duration.distribution}")
    if duration.cv is not None:
        parts.append(f"cv: {number(duration.cv)}")
    return "{" + ", ".join(parts) + "}"


def _queues(menu: Menu) -> list[str]:
    out = ["queues:"]
    for queue in menu.queues.values():
        if is_default(queue):
            out.append("  # agents and handle_time are not in the platform's files: defaults; write your own")
        agents = str(queue.agents) if queue.agents_by_hour is None else "[" + ", ".join(map(str, queue.agents_by_hour)) + "]"
        fields = [("agents", agents), ("handle_time", _duration(queue.handle_time))]
        if queue.hours is not None:
            fields.append(("hours", hours(queue.hours)))
        fields.extend(_day(queue))
        if queue.hourly or len(fields) > 3:  # a pool with a day's features, one key a line
            out.append(f"  {scalar(queue.name)}:")
            out.extend(f"    {key}: {value}" for key, value in fields)
        else:
            out.append(f"  {scalar(queue.name)}: {{{', '.join(f'{key}: {value}' for key, value in fields)}}}")
    return out


def _day(queue: Queue) -> list[tuple[str, str]]:
    """A pool's callback offer, announcements and overflow, as (key, flow mapping), those it has."""
    out = []
    if queue.callback is not None:
        parts = [f"offer_after: {number(queue.callback.offer_after)}", f"accept: {number(queue.callback.accept)}"]
        ring_back = queue.callback.ring_back
        if (ring_back.mean, ring_back.distribution, ring_back.cv) != (DEFAULT_RING_BACK, RING_BACK_DISTRIBUTION, None):
            parts.append(f"ring_back: {_duration(ring_back, RING_BACK_DISTRIBUTION)}")
        out.append(("callback", "{" + ", ".join(parts) + "}"))
    if queue.announce is not None:
        announce = queue.announce
        out.append(("announce", f"{{every: {number(announce.every)}, wait_time: {str(announce.wait_time).lower()}, "
                                f"position: {str(announce.position).lower()}}}"))
    if queue.overflow is not None:
        out.append(("overflow", f"{{after: {number(queue.overflow.after)}, to: {scalar(queue.overflow.to)}}}"))
    return out


def _traffic(traffic: Traffic) -> list[str]:
    rate = traffic.calls_per_hour
    out = ["traffic:", f"  calls_per_hour: {number(rate[0]) if len(rate) == 1 else '[' + ', '.join(number(r) for r in rate) + ']'}"]
    out.append(f"  patience: {_duration(traffic.patience)}")
    if traffic.languages:
        out.append("  languages: {" + ", ".join(f"{scalar(t)}: {number(s)}" for t, s in traffic.languages.items()) + "}")
    if traffic.behaviour:
        out.append("  behaviour: {" + ", ".join(f"{scalar(k)}: {number(v)}" for k, v in traffic.behaviour.items()) + "}")
    if traffic.redial is not None:
        redial = traffic.redial
        out.append(f"  redial: {{share: {number(redial.share)}, after: {_duration(redial.after, REDIAL_DISTRIBUTION)}, "
                   f"max_attempts: {redial.max_attempts}}}")
    out.append("  intents:")
    for intent in traffic.intents.values():
        served_by = f", served_by: {_names(intent.served_by)}" if intent.served_by else ""
        out.append(f"    {scalar(intent.name)}: {{share: {number(intent.share)}, goal: {_names(intent.goals)}{served_by}}}")
    return out


def _names(names: list[str]) -> str:
    """One name, or a flow list of several."""
    written = [scalar(name) for name in names]
    return written[0] if len(written) == 1 else "[" + ", ".join(written) + "]"


def _traffic_hint(menu: Menu) -> list[str]:
    """A commented-out traffic section: the platform's files do not say who calls."""
    goal = _first_person(menu) or menu.start
    return [
        "# The platform's files do not say who calls. To simulate or analyse, add traffic, for example:",
        "# traffic:",
        "#   calls_per_hour: 100",
        "#   patience: 120",
        "#   intents:",
        f"#     agent: {{share: 1, goal: {scalar(goal)}}}",
    ]


def _first_person(menu: Menu) -> str | None:
    for node in menu.nodes.values():
        if node.type == "queue" or (node.type == "transfer" and node.human):
            return node.id
    return None

