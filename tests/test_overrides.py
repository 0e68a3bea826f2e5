"""--set PATH=VALUE: what-if changes to a loaded menu, read the way the file would be."""

from __future__ import annotations

import dataclasses
import textwrap

import pytest
from conftest import menu

from ivrlint.errors import UsageError
from ivrlint.menu.overrides import apply_overrides, parse_assignment

BASE = """\
    ivr: test
    start: main
    defaults: {timeout: 5, retries: 3}
    nodes:
      main:
        type: menu
        prompt: For billing, press 1. For support, press 2.
        timeout: 4
        options:
          1: billing
          2: {goto: support, label: Support}
          9: {action: repeat}
        on_failure: agent
      billing:
        type: self_service
        duration: 40
        success: 0.8
        next: bye
        on_failure: agent
      split:
        type: branch
        branches:
          - {goto: agent, share: 0.7}
          - {goto: support, share: 0.3}
      support: {type: queue, queue: technical}
      agent: {type: queue, queue: general}
      bye: {type: hangup}
    queues:
      general: {agents: 8, handle_time: 240}
      technical: {agents: 5, handle_time: {mean: 420, distribution: lognormal, cv: 0.8}}
    traffic:
      calls_per_hour: 300
      patience: 120
      intents:
        pay: {share: 0.6, goal: billing}
        fix: {share: 0.4, goal: support}
"""


def plain(value):
    """A model object as plain data without its source locations, to compare values only."""
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in ("loc", "locs", "target_loc", "goal_locs")}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def written(old: str, new: str):
    """The base menu with one line of its YAML changed, loaded by the loader."""
    text = textwrap.dedent(BASE)
    assert old in text
    return menu(text.replace(old, new, 1))


@pytest.mark.parametrize(
    "assignment, old, new",
    [
        ("queues.general.agents=10", "general: {agents: 8,", "general: {agents: 10,"),
        ("queues.general.handle_time=4m", "handle_time: 240}", "handle_time: 4m}"),
        ("queues.general.handle_time={mean: 200, distribution: exponential}",
         "handle_time: 240}", "handle_time: {mean: 200, distribution: exponential}}"),
        ("queues.technical.handle_time.distribution=exponential", "distribution: lognormal", "distribution: exponential"),
        ("queues.general.hours=08:00-18:00", "handle_time: 240}", "handle_time: 240, hours: \"08:00-18:00\"}"),
        ("traffic.calls_per_hour=500", "calls_per_hour: 300", "calls_per_hour: 500"),
        ("traffic.calls_per_hour=" + ",".join(str(h) for h in range(24)),
         "calls_per_hour: 300", "calls_per_hour: [" + ", ".join(str(h) for h in range(24)) + "]"),
        ("traffic.patience=2m", "patience: 120", "patience: 2m"),
        ("traffic.patience.mean=90s", "patience: 120", "patience: {mean: 90s}"),
        ("traffic.intents.pay.share=0.3", "pay: {share: 0.6,", "pay: {share: 0.3,"),
        ("traffic.intents.fix.goal=[support, agent]", "goal: support}", "goal: [support, agent]}"),
        ("traffic.behaviour.wrong_key=0.05", "  patience: 120\n", "  patience: 120\n  behaviour: {wrong_key: 0.05}\n"),
        ("traffic.languages.lt=0.4", "  patience: 120\n", "  patience: 120\n  languages: {lt: 0.4}\n"),
        ("nodes.main.timeout=8s", "timeout: 4", "timeout: 8s"),
        ("nodes.main.retries=2", "    timeout: 4\n", "    timeout: 4\n    retries: 2\n"),
        ("nodes.main.on_failure=bye", "on_failure: agent\n  billing", "on_failure: bye\n  billing"),
        ("nodes.main.options.1=support", "1: billing", "1: support"),
        ("nodes.main.options.3={goto: agent, label: Agent}", "1: billing", "1: billing\n      3: {goto: agent, label: Agent}"),
        ("nodes.main.options.2.label=Help", "label: Support}", "label: Help}"),
        ("nodes.main.options.2.action=top", "{goto: support, label: Support}", "{action: top, label: Support}"),
        ("nodes.main.prompt=Press # for help: now", "prompt: For billing, press 1. For support, press 2.",
         "prompt: 'Press # for help: now'"),
        ("nodes.main.prompt.lt=Sąskaitoms spauskite 1", "prompt: For billing, press 1. For support, press 2.",
         "prompt: {en: 'For billing, press 1. For support, press 2.', lt: Sąskaitoms spauskite 1}"),
        ("nodes.billing.success=0.5", "success: 0.8", "success: 0.5"),
        ("nodes.billing.duration.distribution=fixed", "duration: 40", "duration: {mean: 40, distribution: fixed}"),
        ("nodes.split.branches.1.share=0.4", "{goto: support, share: 0.3}", "{goto: support, share: 0.4}"),
        ("nodes.agent.queue=technical", "agent: {type: queue, queue: general}", "agent: {type: queue, queue: technical}"),
        ("defaults.retries=1", "retries: 3}", "retries: 1}"),
        ("start=billing", "start: main", "start: billing"),
    ],
)
def test_each_kind_of_path_gives_what_the_file_would(assignment, old, new):
    changed = apply_overrides(menu(BASE), [assignment])
    assert plain(changed) == plain(written(old, new))


def test_the_original_menu_is_untouched():
    original = menu(BASE)
    before = plain(original)
    changed = apply_overrides(original, ["queues.general.agents=1", "nodes.main.options.1=bye", "traffic.patience=1"])
    assert plain(original) == before
    assert changed.queues["general"].agents == 1 and original.queues["general"].agents == 8
    assert changed.nodes["main"].options["1"] is not original.nodes["main"].options["1"]


def test_default_timeout_reaches_only_nodes_that_inherit_it():
    changed = apply_overrides(menu(BASE), ["defaults.timeout=7"])
    assert changed.defaults.timeout == 7.0
    assert changed.nodes["main"].timeout == 4.0  # its own timeout stands
    assert changed.nodes["billing"].timeout == 7.0
    later = apply_overrides(menu(BASE), ["nodes.main.retries=2", "defaults.retries=9"])
    assert later.nodes["main"].retries == 2  # set explicitly first, so no longer inherited
    assert later.nodes["billing"].retries == 9


def test_assignments_apply_in_order():
    changed = apply_overrides(menu(BASE), ["queues.general.agents=3", "queues.general.agents=12"])
    assert changed.queues["general"].agents == 12


def test_parse_assignment_splits_at_the_first_equals_sign():
    assert parse_assignment("queues.general.agents=10") == ("queues.general.agents", "10")
    assert parse_assignment(" nodes.main.prompt = a=b ") == ("nodes.main.prompt", "a=b")
    for bad in ("queues.general.agents", "=3", "queues..agents=3"):
        with pytest.raises(UsageError, match="expected PATH=VALUE"):
            parse_assignment(bad)


@pytest.mark.parametrize(
    "assignment, message",
    [
        ("queues.genral.agents=3", r"--set queues.genral.agents=3: pool 'genral' does not exist; did you mean 'general'"),
        ("nodes.mian.timeout=3", r"node 'mian' does not exist; did you mean 'main'"),
        ("nodes.main.timout=3", r"a menu node has no 'timout'; did you mean 'timeout'"),
        ("nodes.billing.options.1=bye", r"a self_service node has no 'options'"),
        ("trafic.patience=3", r"the menu has no 'trafic'; did you mean 'traffic'"),
        ("traffic.intents.payy.share=0.2", r"intent 'payy' does not exist; did you mean 'pay'"),
        ("queues.general=3", r"name a key of queue 'general': agents, handle_time, hours"),
        ("nodes.main.options.5.goto=bye", r"node 'main' has no option '5'"),
        ("nodes.split.branches.7.share=0.1", r"node 'split' has branches 0 to 1; got '7'"),
        ("nodes.main.type=hangup", r"type cannot be changed"),
        ("ivr.name=x", r"'ivr' is a single value"),
    ],
)
def test_unknown_paths_are_named_with_the_nearest_valid_names(assignment, message):
    with pytest.raises(UsageError, match=message):
        apply_overrides(menu(BASE), [assignment])


@pytest.mark.parametrize(
    "assignment, message",
    [
        ("queues.general.agents=2.5", r"the agents of queue 'general' must be a whole number; got 2.5"),
        ("queues.general.agents=many", r"the agents of queue 'general' must be a number"),
        ("traffic.patience=soon", r"the patience must be a duration like 40, 40s, 2m or 1.5h"),
        ("traffic.intents.pay.share=1.5", r"must be between 0 and 1"),
        ("traffic.calls_per_hour=100,200", r"needs 24 values, one per hour from midnight; got 2"),
        ("nodes.main.on_failure=agnet", r"names node 'agnet', which does not exist; did you mean 'agent'"),
        ("nodes.main.options.1=nowhere", r"option 1 of node 'main' names node 'nowhere'"),
        ("nodes.main.options.2.action=jump", r"unknown action 'jump'"),
        ("nodes.agent.queue=nobody", r"pool 'nobody' does not exist"),
        ("start=nowhere", r"'start' names node 'nowhere'"),
        ("traffic.intents.fix.goal=[nowhere]", r"intent 'fix' names node 'nowhere'"),
        ("nodes.main.options.1={goto: bye", r"invalid YAML"),
        ("queues.technical.handle_time.distribution=normal", r"unknown distribution 'normal'"),
    ],
)
def test_values_of_the_wrong_type_are_refused_with_the_path(assignment, message):
    with pytest.raises(UsageError, match=message) as error:
        apply_overrides(menu(BASE), [assignment])
    assert str(error.value).startswith(f"--set {assignment}: ")


def test_a_menu_without_traffic_says_so():
    no_traffic = menu(textwrap.dedent(BASE).split("traffic:")[0])
    with pytest.raises(UsageError, match="no 'traffic' section"):
        apply_overrides(no_traffic, ["traffic.calls_per_hour=10"])


def test_node_names_with_dots_are_found():
    dotted = menu(textwrap.dedent(BASE).replace("  bye: {type: hangup}", "  bye.now: {type: hangup}")
                  .replace("next: bye", "next: bye.now"))
    changed = apply_overrides(dotted, ["nodes.bye.now.prompt=Goodbye"])
    assert changed.nodes["bye.now"].prompt == {"en": "Goodbye"}
