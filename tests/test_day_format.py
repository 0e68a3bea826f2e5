"""A whole day in the menu format (issue 14): staff by the hour, callbacks, wait announcements,
overflow and redials are read with their places, refused at the value that is wrong, set with
--set as the file would set them, published in the schema and written back by `import`."""

from __future__ import annotations

import dataclasses
import json
import textwrap

import jsonschema
import pytest
import yaml
from conftest import ROOT, findings, menu, run_cli

from ivrlint.errors import InputError, UsageError
from ivrlint.importers.yaml_out import menu_to_yaml
from ivrlint.menu.limits import MAX_ATTEMPTS, menu_problems
from ivrlint.menu.loader import load_menu, load_text
from ivrlint.menu.overrides import apply_overrides
from ivrlint.menu.queues import DEFAULT_RING_BACK
from ivrlint.menu.schema import build_schema

HOURLY = [2, 2, 2, 2, 2, 2, 3, 6, 10, 12, 12, 12, 11, 11, 12, 12, 10, 8, 6, 4, 3, 2, 2, 2]

DAY = """\
ivr: day
start: main
nodes:
  main:
    type: menu
    prompt: For billing, press 1. For anything else, press 0.
    options: {1: billing, 0: agent}
    on_failure: agent
  billing: {type: queue, queue: billing}
  agent: {type: queue, queue: general}
queues:
  general:
    agents: [2, 2, 2, 2, 2, 2, 3, 6, 10, 12, 12, 12, 11, 11, 12, 12, 10, 8, 6, 4, 3, 2, 2, 2]
    handle_time: 240
    callback: {offer_after: 90s, accept: 0.5}
    announce: {every: 45s}
  billing:
    agents: 4
    handle_time: 200
    overflow: {after: 60s, to: general}
traffic:
  calls_per_hour: 60
  patience: 2m
  redial: {share: 0.6, after: 20m}
  intents:
    bill: {share: 0.4, goal: billing}
    other: {share: 0.6, goal: agent}
"""


def day(old: str = "", new: str = "") -> str:
    assert old in DAY
    return DAY.replace(old, new, 1)


def problems(text: str) -> list[tuple[tuple[int, int], str]]:
    """The loader's problems with `text`, each as ((line, column), message)."""
    with pytest.raises(InputError) as caught:
        load_text(text, "day.yaml")
    return [((loc.line, loc.column), message) for loc, message in caught.value.problems if loc is not None]


def plain(value):
    """A model object as plain data without its source locations."""
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in ("loc", "locs", "target_loc", "goal_locs", "served_by_locs", "file")}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


# -- reading ---------------------------------------------------------------------
def test_the_new_keys_load_with_their_defaults():
    loaded = load_text(DAY, "day.yaml")
    general, billing = loaded.queues["general"], loaded.queues["billing"]
    assert general.agents_by_hour == HOURLY and general.agents == 12 and general.hourly
    assert general.agents_at(9) == 12 and general.agents_at(0) == 2 and general.agents_at(24 + 7) == 6
    assert (general.callback.offer_after, general.callback.accept) == (90.0, 0.5)
    assert (general.callback.ring_back.mean, general.callback.ring_back.distribution) == (DEFAULT_RING_BACK, "fixed")
    assert (general.announce.every, general.announce.wait_time, general.announce.position) == (45.0, True, False)
    assert billing.agents == 4 and billing.agents_by_hour is None and not billing.hourly
    assert (billing.overflow.after, billing.overflow.to) == (60.0, "general")
    redial = loaded.traffic.redial
    assert (redial.share, redial.after.mean, redial.after.distribution, redial.max_attempts) == (0.6, 1200.0, "exponential", 3)


def test_a_menu_without_the_new_keys_has_none_of_them():
    loaded = load_menu(str(ROOT / "menus" / "bank.yaml"))
    assert loaded.traffic.redial is None
    for pool in loaded.queues.values():
        assert (pool.agents_by_hour, pool.callback, pool.announce, pool.overflow) == (None, None, None, None)


def test_every_new_value_keeps_where_it_is_written():
    loaded = load_text(DAY, "day.yaml")
    lines = DAY.splitlines()
    general = loaded.queues["general"]
    agents_line = next(i for i, line in enumerate(lines, 1) if line.strip().startswith("agents: [2"))
    hour_7 = general.locs["agents.7"]
    assert (hour_7.line, lines[hour_7.line - 1][hour_7.column - 1]) == (agents_line, "6")
    assert general.callback.locs["accept"].line == agents_line + 2
    assert lines[general.callback.locs["accept"].line - 1][general.callback.locs["accept"].column - 1:].startswith("0.5")
    assert general.announce.locs["every"].line == agents_line + 3
    overflow = loaded.queues["billing"].overflow
    assert lines[overflow.locs["to"].line - 1][overflow.locs["to"].column - 1:].startswith("general}")
    redial = loaded.traffic.redial
    assert lines[redial.locs["after"].line - 1][redial.locs["after"].column - 1:].startswith("20m")
    assert loaded.traffic.locs["redial"] == redial.loc


@pytest.mark.parametrize("old, new, at, expected", [
    ("3, 6, 10", "3, 6.5, 10", "6.5", "the agents of queue 'general' at 07:00 must be a whole number; got 6.5"),
    ("2, 2, 2]", "2, 2, -1]", "-1]", "the agents of queue 'general' at 23:00 must be at least 0; got -1"),
    ("3, 6, 10", "3, 6, 200000", "200000", "the agents of queue 'general' at 08:00 must be at most 100,000; got 200,000"),
    ("2, 2, 2]", "2, 2]", "[2, 2", "the agents of queue 'general' by the hour need 24 whole numbers, one per hour from "
                                   "midnight; got 23"),
    ("accept: 0.5}", "acept: 0.5}", "acept", "unknown key 'acept' in the callback of queue 'general'; did you mean 'accept'?"),
    ("accept: 0.5}", "acept: 0.5}", "{offer_after", "the callback of queue 'general' needs 'accept', for example "
                                                    "{offer_after: 90s, accept: 0.5}"),
    ("accept: 0.5}", "accept: 2}", "2}", "'accept' of the callback of queue 'general' (the chance a caller takes the offer) "
                                         "must be between 0 and 1; got 2"),
    ("{every: 45s}", "{every: 5s}", "5s", "'every' of the announcements of queue 'general' must be at least 10 s (callers "
                                          "would hear little but announcements); got 5 s"),
    ("{every: 45s}", "{every: 45s, position: maybe}", "maybe", "'position' of the announcements of queue 'general' must be "
                                                               "true or false; got 'maybe'"),
    ("{every: 45s}", "{wait_time: true}", "{wait_time", "the announcements of queue 'general' needs 'every', for example "
                                                        "{every: 45s, wait_time: true}"),
    ("to: general}", "to: billing}", "billing}", "the overflow of queue 'billing' sends callers to the pool they already "
                                                 "wait for; name another pool"),
    ("to: general}", "too: general}", "too", "unknown key 'too' in the overflow of queue 'billing'; did you mean 'to'?"),
    ("after: 20m}", "after: 20m, max_attempts: 0}", "0}", "'max_attempts' of 'traffic.redial' must be at least 1; got 0"),
    ("after: 20m}", f"after: 20m, max_attempts: {MAX_ATTEMPTS + 1}}}", f"{MAX_ATTEMPTS + 1}}}",
     f"'max_attempts' of 'traffic.redial' must be at most {MAX_ATTEMPTS}; got {MAX_ATTEMPTS + 1}: no caller calls a "
     "line that often"),
    ("share: 0.6, after: 20m", "share: 1.6, after: 20m", "1.6", "the share of 'traffic.redial' (callers whose need was "
                                                                "not met who call again) must be between 0 and 1; got 1.6"),
    ("after: 20m}", "after: {mean: 20m, distribution: gamma}}", "gamma", "unknown distribution 'gamma'; allowed here: "
                                                                         "exponential, lognormal, fixed"),
    ("after: 20m}", "after: 20m, every: 3}", "every", "unknown key 'every' in 'traffic.redial'; allowed here: share, after, "
                                                      "max_attempts"),
    ("{share: 0.6, after: 20m}", "{share: 0.6}", "{share", "'traffic.redial' needs 'after', for example "
                                                           "{share: 0.6, after: 20m}"),
])
def test_a_wrong_value_is_refused_where_it_is_written(old, new, at, expected):
    text = day(old, new)
    lines = text.splitlines()
    places = [place for place, message in problems(text) if message == expected]
    assert places, problems(text)
    line, column = places[0]
    assert lines[line - 1][column - 1:].startswith(at)


def test_problems_in_several_new_keys_are_all_reported_at_once():
    text = day("accept: 0.5}", "accept: 7}").replace("{every: 45s}", "{every: 1s}").replace("max_attempts", "x")
    text = text.replace("after: 20m}", "after: 20m, max_attempts: 0}")
    assert len(problems(text)) == 3


def test_check_refuses_a_bad_new_key_in_one_line_and_exit_2(tmp_path):
    path = tmp_path / "day.yaml"
    path.write_text(day("accept: 0.5}", "acept: 0.5}"), encoding="utf-8")
    result = run_cli("check", "--no-config", str(path))
    assert result.code == 2 and "Traceback" not in result.err + result.out
    assert f"{path}:15:34: error: unknown key 'acept' in the callback of queue 'general'; did you mean 'accept'?" in result.err


def test_an_unknown_overflow_pool_is_an_unknown_queue_finding():
    found = findings(day("to: general}", "to: genral}"), "unknown-queue")
    assert [(f.line, f.column, f.message) for f in found] == [
        (20, 32, "pool 'billing' overflows to pool 'genral', which is not defined; did you mean 'general'?")]


def test_limits_of_an_imported_menu_hold_in_every_hour():
    loaded = load_text(DAY, "day.yaml")
    loaded.queues["general"].agents_by_hour[9] = 10**9
    assert [message for _, message in menu_problems(loaded)] == [
        "the agents of queue 'general' must be at most 100,000; got 1,000,000,000"]


# -- --set -----------------------------------------------------------------------
@pytest.mark.parametrize("assignment, old, new", [
    ("traffic.redial.share=0", "share: 0.6, after", "share: 0, after"),
    ("traffic.redial.after=30m", "after: 20m}", "after: 30m}"),
    ("traffic.redial.after.distribution=lognormal", "after: 20m}", "after: {mean: 20m, distribution: lognormal}}"),
    ("traffic.redial.max_attempts=2", "after: 20m}", "after: 20m, max_attempts: 2}"),
    ("traffic.redial={share: 0.1, after: 1h}", "{share: 0.6, after: 20m}", "{share: 0.1, after: 1h}"),
    ("queues.general.callback.accept=0.3", "accept: 0.5}", "accept: 0.3}"),
    ("queues.general.callback.ring_back=45s", "accept: 0.5}", "accept: 0.5, ring_back: 45s}"),
    ("queues.general.callback.ring_back.mean=30", "accept: 0.5}", "accept: 0.5, ring_back: 30}"),
    ("queues.general.announce.position=true", "{every: 45s}", "{every: 45s, position: true}"),
    ("queues.general.agents=5", "[" + ", ".join(map(str, HOURLY)) + "]", "5"),
    ("queues.billing.agents=" + ",".join(map(str, HOURLY)), "agents: 4", "agents: [" + ", ".join(map(str, HOURLY)) + "]"),
    ("queues.general.agents.9=20", "3, 6, 10, 12, 12", "3, 6, 10, 20, 12"),
    ("queues.billing.agents.0=1", "agents: 4", "agents: [1" + ", 4" * 23 + "]"),
    ("queues.billing.overflow.after=2m", "after: 60s, to", "after: 2m, to"),
    ("queues.general.overflow={after: 30s, to: billing}", "announce: {every: 45s}",
     "announce: {every: 45s}\n    overflow: {after: 30s, to: billing}"),
])
def test_set_changes_a_day_key_as_writing_it_would(assignment, old, new):
    assert plain(apply_overrides(load_text(DAY, "day.yaml"), [assignment])) == plain(load_text(day(old, new), "day.yaml"))


@pytest.mark.parametrize("assignment, what", [
    ("queues.general.callback=", "callback"), ("queues.general.announce=~", "announce"),
    ("queues.billing.overflow=null", "overflow"),
])
def test_set_with_an_empty_value_removes_a_pool_feature(assignment, what):
    changed = apply_overrides(load_text(DAY, "day.yaml"), [assignment])
    pool = changed.queues[assignment.split(".")[1]]
    assert getattr(pool, what) is None


def test_set_with_an_empty_value_removes_redials_and_leaves_the_menu_untouched():
    original = load_text(DAY, "day.yaml")
    assert apply_overrides(original, ["traffic.redial=null"]).traffic.redial is None
    assert original.traffic.redial is not None


def test_set_keeps_where_the_unchanged_keys_are_written():
    original = load_text(DAY, "day.yaml")
    changed = apply_overrides(original, ["queues.general.callback.accept=0.3"]).queues["general"].callback
    assert changed.locs["offer_after"] == original.queues["general"].callback.locs["offer_after"]
    assert changed.loc == original.queues["general"].callback.loc


@pytest.mark.parametrize("assignment, message", [
    ("queues.billing.callback.accept=0.2", "the callback of queue 'billing' is not set; set it whole first"),
    ("queues.general.callback.accept=1.5", "must be between 0 and 1; got 1.5"),
    ("queues.general.callback.accept.mean=3", "'accept' of the callback of queue 'general' is a single value; "
                                              "write queues.general.callback.accept=VALUE"),
    ("queues.general.callback.bogus=1", "the callback of queue 'general' has no 'bogus'"),
    ("queues.general.announce.every=5", "must be at least 10 s"),
    ("queues.general.agents.24=3", "one hour of the agents of queue 'general' is set as agents.H=N, H from 0 to 23"),
    ("queues.general.agents=1,2", "by the hour need 24 whole numbers"),
    ("queues.billing.overflow.to=nowhere", "queue 'billing' overflows to pool 'nowhere', which does not exist"),
    ("queues.billing.overflow.to=billing", "sends callers to the pool they already wait for"),
    ("traffic.redial.max_attempts=0", "must be at least 1"),
    ("traffic.redial.nothing=0", "'traffic.redial' has no 'nothing'"),
])
def test_set_refuses_what_the_file_would_refuse(assignment, message):
    with pytest.raises(UsageError) as caught:
        apply_overrides(load_text(DAY, "day.yaml"), [assignment])
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"--set {assignment}: ")


def test_simulate_accepts_set_on_the_day_keys():
    result = run_cli("simulate", "menus/whole-day.yaml", "--hours", "0.5", "--replications", "1", "--jobs", "1", "--quiet",
                     "--set", "traffic.redial.share=0", "--set", "queues.general.callback.accept=0.3",
                     "--set", "queues.general.agents=5", cwd=ROOT)
    assert result.code == 0, result.err


# -- the schema and `import` ------------------------------------------------------
def test_the_schema_takes_the_day_keys_and_refuses_what_the_loader_refuses():
    schema = build_schema()
    data = yaml.safe_load(DAY)
    jsonschema.validate(data, schema)
    for old, new in (("2, 2, 2]", "2, 2]"), ("accept: 0.5}", "acept: 0.5}"), ("{every: 45s}", "{every: 45s, loud: true}"),
                     ("after: 20m}", "after: 20m, max_attempts: 0}"), ("to: general}", "to: general, by: 1}"),
                     ("3, 6, 10", "3, 6.5, 10")):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(yaml.safe_load(day(old, new)), schema)


def test_the_whole_day_menu_validates_against_the_packaged_schema():
    schema = json.loads((ROOT / "ivrlint" / "menu" / "menu.schema.json").read_text())
    jsonschema.validate(yaml.safe_load((ROOT / "menus" / "whole-day.yaml").read_text()), schema)


@pytest.mark.parametrize("text", [DAY, (ROOT / "menus" / "whole-day.yaml").read_text(encoding="utf-8"),
                                  day("accept: 0.5}", "accept: 0.5, ring_back: {mean: 25, distribution: lognormal, cv: 0.3}}")
                                  .replace("after: 20m}", "after: {mean: 20m, distribution: fixed}, max_attempts: 5}")])
def test_yaml_out_writes_the_day_keys_back_as_the_same_menu(text):
    loaded = load_text(text, "day.yaml")
    written = menu_to_yaml(loaded)
    assert plain(load_text(written, "day.yaml")) == plain(loaded)


def test_yaml_out_writes_menus_without_the_day_keys_as_before():
    loaded = load_text(textwrap.dedent(DAY.split("queues:")[0]) + "queues:\n  general: {agents: 3, handle_time: 200}\n"
                       "  billing: {agents: 2, handle_time: 100}\n", "day.yaml")
    written = menu_to_yaml(loaded)
    assert "  general: {agents: 3, handle_time: 200}\n" in written and "redial" not in written


def test_the_bundled_whole_day_menu_is_clean_and_uses_every_day_key():
    path = ROOT / "menus" / "whole-day.yaml"
    loaded = load_menu(str(path))
    pools = loaded.queues.values()
    assert sum(pool.hourly for pool in pools) >= 1 and len(loaded.traffic.calls_per_hour) == 24
    assert any(pool.callback and pool.announce for pool in pools) and any(pool.overflow for pool in pools)
    assert loaded.traffic.redial is not None
    assert menu(path.read_text(encoding="utf-8"))
    result = run_cli("check", str(path), cwd=ROOT)
    assert result.code == 0 and "no problems" in result.out, result.out
