"""Sweep scenarios and the resumable store: --vary parsing, combinations, keys, journal."""

from __future__ import annotations

import json

import pytest

from ivrlint.errors import UsageError
from ivrlint.whatif.scenarios import as_number, combinations, json_value, parse_vary, scenario_key
from ivrlint.whatif.store import JOURNAL, PREVIOUS, SweepStore


def test_values_lists_and_inclusive_ranges_expand_in_order():
    assert parse_vary("queues.general.agents=4:12:2").values == ("4", "6", "8", "10", "12")
    assert parse_vary("queues.general.agents=4:6,10").values == ("4", "5", "6", "10")
    assert parse_vary("traffic.intents.a.share=0.1:0.3:0.1").values == ("0.1", "0.2", "0.3")
    assert parse_vary("traffic.patience=1m,90s,2m").values == ("1m", "90s", "2m")
    assert parse_vary("queues.general.agents=8,8,9").values == ("8", "9")  # duplicates once


def test_values_that_only_look_like_ranges_stay_as_written():
    assert parse_vary("queues.general.hours=8:00-18:00").values == ("8:00-18:00",)


@pytest.mark.parametrize("text,fragment", [
    ("queues.general.agents", "PATH=V1,V2"),
    ("agents=1,2", "not a menu path"),
    ("queues.general.agents=12:4", "ends below its start"),
    ("queues.general.agents=1:5:0", "step"),
    ("queues.general.agents=1:100000000", "more than"),
    ("queues.general.agents=1,,2", "empty value"),
])
def test_bad_vary_is_a_usage_error(text, fragment):
    with pytest.raises(UsageError, match=fragment):
        parse_vary(text)


def test_every_combination_once_the_last_vary_fastest():
    combos = combinations([parse_vary("a.x=1,2"), parse_vary("b.y=p,q,r")])
    assert combos == [(("a.x", v1), ("b.y", v2)) for v1 in ("1", "2") for v2 in ("p", "q", "r")]
    with pytest.raises(UsageError, match="given twice"):
        combinations([parse_vary("a.x=1"), parse_vary("a.x=2")])


def test_values_as_numbers_for_plots_and_json():
    assert [as_number(v) for v in ("12", "0.5", "2m", "90s", "lognormal")] == [12.0, 0.5, 120.0, 90.0, None]
    assert [json_value(v) for v in ("12", "0.5", "2m")] == [12, 0.5, "2m"]


def test_scenario_keys_depend_on_values_and_settings():
    s = {"menu_sha256": "abc", "seed": 1, "hours": 1.0, "replications": 5, "warmup": 0.0}
    key = scenario_key((("a.x", "1"),), s)
    assert key == scenario_key((("a.x", "1"),), dict(s))
    assert key != scenario_key((("a.x", "2"),), s)
    assert key != scenario_key((("a.x", "1"),), dict(s, seed=2))
    assert key != scenario_key((("a.x", "1"),), dict(s, menu_sha256="abd"))


SETTINGS = {"menu_sha256": "abc", "seed": 1, "hours": 1.0, "replications": 5, "warmup": 0.0}


def test_the_journal_keeps_rows_across_runs_and_drops_a_torn_last_line(tmp_path):
    store = SweepStore(str(tmp_path), SETTINGS)
    assert store.load() == {}
    store.append("k1", {"values": {"a.x": "1"}})
    store.append("k2", {"values": {"a.x": "2"}})
    store.close()
    with open(tmp_path / JOURNAL, "a") as fh:
        fh.write('{"key": "k3", "row": {"val')  # a kill in the middle of a write
    again = SweepStore(str(tmp_path), SETTINGS)
    assert set(again.load()) == {"k1", "k2"}
    again.append("k3", {"values": {"a.x": "3"}})
    lines = (tmp_path / JOURNAL).read_text().splitlines()
    assert [json.loads(line).get("key") for line in lines] == [None, "k1", "k2", "k3"]


def test_changed_settings_start_afresh_and_keep_the_old_journal(tmp_path):
    store = SweepStore(str(tmp_path), SETTINGS)
    store.load()
    store.append("k1", {"values": {}})
    store.close()
    changed = SweepStore(str(tmp_path), dict(SETTINGS, menu_sha256="def", hours=2.0))
    assert changed.load() == {}
    assert changed.fresh_reason == "changed since the last run: hours, the menu file"
    assert (tmp_path / PREVIOUS).exists()


def test_a_second_sweep_into_the_same_directory_is_refused_while_the_first_runs(tmp_path):
    first = SweepStore(str(tmp_path), SETTINGS)
    first.load()
    with pytest.raises(UsageError, match="another sweep is writing to"):
        SweepStore(str(tmp_path), SETTINGS).load()
    first.close()
    SweepStore(str(tmp_path), SETTINGS).load()


def test_summaries_are_replaced_whole(tmp_path):
    store = SweepStore(str(tmp_path), SETTINGS)
    store.load()
    files = store.write_summaries({"rows": [1]}, ["scenario", "a.x"], [{"scenario": 1, "a.x": "4"}])
    assert [p.rsplit("/", 1)[-1] for p in files] == ["sweep.csv", "sweep.json"]
    assert (tmp_path / "sweep.csv").read_text() == "scenario,a.x\n1,4\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]  # report.atomic's temporary files
