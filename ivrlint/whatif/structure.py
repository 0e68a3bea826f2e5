"""What changed between two versions of a menu, as plain ``Change`` records.

A reviewer of a menu change wants the answer to "what will callers meet
that they did not before?": nodes added or removed, a node that became
another kind of node, keys added, removed or pointed somewhere else, exits
(``next``, ``on_failure``...) re-pointed, prompts and timings changed, pools
that gained or lost agents, and traffic assumptions that moved. Line numbers
are deliberately absent: they shift with every edit and say nothing about
the change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from ivrlint.common.text import plural
from ivrlint.menu.model import Duration, Intent, Menu, Node, Option, Queue, Traffic

#: Change kinds, grouped the way reports show them.
STRUCTURE_KINDS = ("start-changed", "node-added", "node-removed", "type-changed",
                   "option-added", "option-removed", "option-repointed", "exit-repointed")
SETTING_KINDS = ("setting-changed", "prompt-changed")
POOL_KINDS = ("queue-added", "queue-removed", "queue-changed")
TRAFFIC_KINDS = ("traffic-changed", "intent-added", "intent-removed", "intent-changed")

#: Node fields that send the call somewhere, compared as exits.
EXIT_FIELDS = ("next", "on_failure", "on_no_input", "on_invalid", "queue")
#: Node fields that change what the caller hears or how long things take.
SETTING_FIELDS = ("prompt", "prompt_seconds", "timeout", "retries", "duration", "success",
                  "digits", "destination", "human")


@dataclass(frozen=True)
class Change:
    """One difference between the base and the head version of a menu.

    ``where`` names the node, pool or intent; ``what`` the key or field.
    ``before`` and ``after`` are plain values (None where absent).
    """

    kind: str
    where: str
    what: str = ""
    before: Any = None
    after: Any = None

    def as_dict(self) -> dict:
        return asdict(self)

    def describe(self) -> str:
        """One line a reviewer reads, e.g. "menu 'main': key 2 now goes to 'tech' (was 'billing')"."""
        b, a = _show(self.before), _show(self.after)
        w = self.where
        return {
            "start-changed": f"calls now start at {a} (was {b})",
            "node-added": f"node '{w}' added ({self.after})",
            "node-removed": f"node '{w}' removed (was {self.before})",
            "type-changed": f"node '{w}' is now a {self.after} (was a {self.before})",
            "option-added": f"menu '{w}': key {self.what} added, goes to {a}",
            "option-removed": f"menu '{w}': key {self.what} removed (went to {b})",
            "option-repointed": f"menu '{w}': key {self.what} now goes to {a} (was {b})",
            "exit-repointed": f"node '{w}': {self.what} now {a} (was {b})",
            "setting-changed": f"node '{w}': {self.what} {b} -> {a}",
            "prompt-changed": f"node '{w}': prompt reworded ({self.after})",
            "queue-added": f"pool '{w}' added ({a})",
            "queue-removed": f"pool '{w}' removed (was {b})",
            "queue-changed": f"pool '{w}': {self.what} {b} -> {a}",
            "traffic-changed": f"traffic: {self.what} {b} -> {a}",
            "intent-added": f"intent '{w}' added ({a})",
            "intent-removed": f"intent '{w}' removed (was {b})",
            "intent-changed": f"intent '{w}': {self.what} {b} -> {a}",
        }[self.kind]


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"'{value}'" if " " not in value and not value.startswith("(") else value
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value) or "none"
    return str(value)


def diff_menus(base: Menu, head: Menu) -> list[Change]:
    """Every change from `base` to `head`, structure first, in node order."""
    changes: list[Change] = []
    if base.start != head.start:
        changes.append(Change("start-changed", head.ivr, "start", base.start, head.start))
    changes.extend(_node_changes(base, head))
    changes.extend(_queue_changes(base.queues, head.queues))
    changes.extend(_traffic_changes(base.traffic, head.traffic))
    return changes


def _node_changes(base: Menu, head: Menu) -> Iterator[Change]:
    for node_id in base.nodes:
        if node_id not in head.nodes:
            yield Change("node-removed", node_id, before=base.nodes[node_id].type)
    for node_id, new in head.nodes.items():
        old = base.nodes.get(node_id)
        if old is None:
            yield Change("node-added", node_id, after=new.type)
            continue
        if old.type != new.type:
            yield Change("type-changed", node_id, "type", old.type, new.type)
        yield from _option_changes(old, new)
        yield from _exit_changes(old, new)
        yield from _setting_changes(old, new)


def _target(option: Option) -> str:
    """Where an option leads: the node id, or "(action)" for repeat, back and top."""
    return option.goto if option.goto is not None else f"({option.action})"


def _option_changes(old: Node, new: Node) -> Iterator[Change]:
    for key, option in old.options.items():
        if key not in new.options:
            yield Change("option-removed", old.id, key, _target(option))
    for key, option in new.options.items():
        if key not in old.options:
            yield Change("option-added", new.id, key, after=_target(option))
        elif _target(old.options[key]) != _target(option):
            yield Change("option-repointed", new.id, key, _target(old.options[key]), _target(option))


def _exit_changes(old: Node, new: Node) -> Iterator[Change]:
    for name in EXIT_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            yield Change("exit-repointed", new.id, name, before, after)
    before = [_branch(b) for b in old.branches]
    after = [_branch(b) for b in new.branches]
    if before != after:
        yield Change("exit-repointed", new.id, "branches", before, after)


def _branch(branch) -> str:
    share = "" if branch.share is None else f" {branch.share:g}"
    when = f" when {branch.when}" if branch.when else ""
    return f"{branch.goto}{share}{when}"


def _setting_changes(old: Node, new: Node) -> Iterator[Change]:
    for name in SETTING_FIELDS:
        before, after = _setting(old, name), _setting(new, name)
        if before != after:
            if name == "prompt":  # the text is long: say which languages changed
                langs = sorted(set(old.prompt) | set(new.prompt))
                changed = [lang for lang in langs if before.get(lang) != after.get(lang)]
                yield Change("prompt-changed", new.id, "prompt", None, ", ".join(changed))
            else:
                yield Change("setting-changed", new.id, name, before, after)


def _setting(node: Node, name: str) -> Any:
    value = getattr(node, name)
    if isinstance(value, Duration):
        return _duration(value)
    if name == "prompt":  # what callers hear: a reflowed line or re-indented XML attribute is no change
        return {lang: _words(text) for lang, text in value.items()}
    return value


def _words(text: str) -> str:
    return " ".join(text.split())


def _duration(value: Duration | None) -> str | None:
    """A duration as written in a report: "240 s", "240 s lognormal cv 0.8"."""
    if value is None:
        return None
    text = f"{value.mean:g} s"
    if value.distribution:
        text += f" {value.distribution}"
    if value.cv is not None:
        text += f" cv {value.cv:g}"
    return text


def _queue_changes(base: dict[str, Queue], head: dict[str, Queue]) -> Iterator[Change]:
    for name, pool in base.items():
        if name not in head:
            yield Change("queue-removed", name, before=plural(pool.agents, "agent"))
    for name, pool in head.items():
        old = base.get(name)
        if old is None:
            yield Change("queue-added", name, after=plural(pool.agents, "agent"))
            continue
        for field, before, after in (("agents", old.agents, pool.agents),
                                     ("handle_time", _duration(old.handle_time), _duration(pool.handle_time)),
                                     ("hours", old.hours, pool.hours)):
            if before != after:
                yield Change("queue-changed", name, field, before, after)


def _traffic_changes(base: Traffic | None, head: Traffic | None) -> Iterator[Change]:
    if base is None and head is None:
        return
    if base is None or head is None:
        yield Change("traffic-changed", "traffic", "traffic", "set" if base else None, "set" if head else None)
        return
    yield from _assumption_changes(base, head)
    yield from _intent_changes(base.intents, head.intents)


def _assumption_changes(base: Traffic, head: Traffic) -> Iterator[Change]:
    """What moved in the assumptions about callers: their rate, patience, languages and behaviour."""
    if base.calls_per_hour != head.calls_per_hour:
        yield Change("traffic-changed", "traffic", "calls_per_hour", _rate(base.calls_per_hour), _rate(head.calls_per_hour))
    if _duration(base.patience) != _duration(head.patience):
        yield Change("traffic-changed", "traffic", "patience", _duration(base.patience), _duration(head.patience))
    for field in ("languages", "behaviour"):
        old, new = getattr(base, field), getattr(head, field)
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                yield Change("traffic-changed", "traffic", f"{field}.{key}", old.get(key), new.get(key))


def _intent_changes(base: dict[str, Intent], head: dict[str, Intent]) -> Iterator[Change]:
    """Which intents were added or removed, and which changed their share or goals."""
    for name, intent in base.items():
        if name not in head:
            yield Change("intent-removed", name, before=f"share {intent.share:g}")
    for name, intent in head.items():
        old = base.get(name)
        if old is None:
            yield Change("intent-added", name, after=f"share {intent.share:g}, goal {', '.join(intent.goals)}")
            continue
        if old.share != intent.share:
            yield Change("intent-changed", name, "share", old.share, intent.share)
        if old.goals != intent.goals:
            yield Change("intent-changed", name, "goal", old.goals, intent.goals)


def _rate(values: list[float]) -> Any:
    """A flat rate as one number; a 24-hour profile as its daily total."""
    if len(values) == 1:
        return values[0]
    return f"{sum(values):g} calls/day (hourly profile)"
