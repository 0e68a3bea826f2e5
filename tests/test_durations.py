"""One reader of durations: the menu format's, used by the loader, the JSON Schema, --vary and staffing targets."""

from __future__ import annotations

import itertools
import json

import jsonschema
import pytest
from conftest import ROOT, run_cli
from test_staff import ERLANG_C

from ivrlint.errors import UsageError
from ivrlint.menu.schema import build_schema
from ivrlint.menu.values import DURATION_PATTERN, DURATION_UNITS, parse_duration
from ivrlint.whatif.scenarios import as_number
from ivrlint.whatif.staffing import parse_target

#: The units MENU_FORMAT.md's durations may carry, and the seconds in one.
UNITS = {"ms": 0.001, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}


# -- the parser -----------------------------------------------------------------

def test_the_unit_table_is_the_menu_formats():
    assert DURATION_UNITS == UNITS


@pytest.mark.parametrize("unit, seconds", sorted(UNITS.items()))
def test_each_unit_is_read(unit, seconds):
    assert parse_duration(f"3{unit}") == pytest.approx(3 * seconds)
    assert parse_duration(f" 1.5 {unit} ") == pytest.approx(1.5 * seconds)
    assert parse_duration(f".5{unit}") == pytest.approx(0.5 * seconds)


def test_a_number_alone_is_seconds():
    assert [parse_duration(t) for t in ("40", "0", "2.", ".25", " 7 ")] == [40.0, 0.0, 2.0, 0.25, 7.0]
    assert (parse_duration("90s"), parse_duration("2m"), parse_duration("1h")) == (90.0, 120.0, 3600.0)


@pytest.mark.parametrize("text", ["3 weeks", "2hours", "5d", "10%", "-5s", "+5s", "1e3", "1,5m", "5 s s", "", "s", "M"])
def test_a_bad_duration_is_refused_with_the_units_it_could_have_had(text):
    with pytest.raises(ValueError) as caught:
        parse_duration(text, "the patience")
    message = str(caught.value)
    assert message.startswith("the patience must be a duration like 40, 40s, 2m or 1.5h")
    assert "ms, s, sec, m, min, h" in message
    assert message.endswith(f"got '{text}'")


def test_the_loader_says_the_same(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("ivr: t\nstart: a\nnodes:\n  a: {type: menu, prompt: Hi, timeout: 3 weeks, options: {1: b}}\n"
                    "  b: {type: hangup}\n", encoding="utf-8")
    result = run_cli("check", "--no-config", str(path))
    assert result.code != 0
    assert "must be a duration like 40, 40s, 2m or 1.5h (a number of seconds, or with a unit: ms, s, sec, m, min, h); " \
           "got '3 weeks'" in result.out + result.err


def test_vary_values_are_plotted_in_the_same_seconds():
    assert [as_number(f"2{unit}") for unit in UNITS] == [pytest.approx(2 * s) for s in UNITS.values()]
    assert as_number("2 weeks") is None


# -- the JSON Schema --------------------------------------------------------------

def _samples() -> list[str]:
    """Durations and near misses: numbers, units and spacing in every combination."""
    numbers = ["0", "40", "1.5", ".5", "3.", "007", "-1", "+1", "1e3", "1,5", "1.2.3", ".", "", "x", "0x10", "1_000"]
    units = [*UNITS, "", "S", "M", "H", "MS", "Min", "secs", "mins", "hr", "hours", "d", "%", "sm", "mss", "s s", "1"]
    spaces = ["", " ", "\t"]
    out = [f"{a}{n}{b}{u}{c}" for n, u in itertools.product(numbers, units) for a, b, c in
           itertools.product(spaces, repeat=3)]
    return out + ["40s\n", "\n40s", "4 0s", "40 s 40 s", "s40", "h"]


def test_the_schema_publishes_the_parsers_pattern():
    packaged = json.loads((ROOT / "ivrlint" / "menu" / "menu.schema.json").read_text())
    for schema in (build_schema(), packaged):
        [number, text] = schema["$defs"]["duration"]["anyOf"]
        assert text == {"type": "string", "pattern": DURATION_PATTERN}


def test_the_schema_pattern_accepts_exactly_what_the_parser_accepts():
    validator = jsonschema.Draft202012Validator(build_schema()["$defs"]["duration"])
    samples = _samples()
    accepted = 0
    for text in samples:
        try:
            parse_duration(text)
            parsed = True
        except ValueError:
            parsed = False
        assert validator.is_valid(text) == parsed, repr(text)
        accepted += parsed
    assert 100 < accepted < len(samples) - 100  # both sides of the line are sampled


# -- staffing targets (on the Erlang C example of test_staff) -------------------


def _agents(path, target: str) -> int:
    result = run_cli("staff", path, "--model", "erlang-c", "--no-confirm", "--format", "json", "--target", target)
    assert result.code == 0, result.err
    return json.loads(result.out)["pools"]["general"]["agents"]


@pytest.mark.parametrize("unit", sorted(UNITS))
def test_a_wait_target_in_each_unit_works_through_the_cli(write, unit):
    path = write("erlang-c.yaml", ERLANG_C)
    amount = f"{36 / UNITS[unit]:g}"  # 36 s in this unit: 36000ms, 36s, 36sec, 0.6m, 0.6min, 0.01h
    assert _agents(path, f"mean_wait<={amount}{unit}") == _agents(path, "mean_wait<=36") == 13
    if UNITS[unit] != 1.0:
        assert _agents(path, f"mean_wait<={amount}") != 13  # the unit was not ignored


def test_a_wait_target_takes_what_a_menu_file_takes():
    assert parse_target("mean_wait<=30sec").value == 30.0
    assert parse_target("mean_wait <= 1.5 min").value == 90.0
    assert parse_target("mean_wait<=500ms").value == 0.5
    with pytest.raises(UsageError, match=r"mean_wait takes seconds; its value must be a duration like .*got '2 weeks'"):
        parse_target("mean_wait<=2 weeks")


def test_a_bad_wait_target_is_a_usage_error_through_the_cli(write):
    path = write("erlang-c.yaml", ERLANG_C)
    result = run_cli("staff", path, "--no-confirm", "--target", "mean_wait<=30d")
    assert result.code == 2
    assert "target 'mean_wait<=30d': mean_wait takes seconds" in result.err
    assert "ms, s, sec, m, min, h" in result.err
