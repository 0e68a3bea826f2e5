"""`ivrlint staff`: the fewest agents that meet targets, by the formulas, confirmed by simulation."""

from __future__ import annotations

import json

import pytest
from conftest import menu, run_cli

from ivrlint.errors import UsageError
from ivrlint.whatif.staffing import staff

#: The Erlang C example (docs/sources.md#erlang-c): 100 calls per 30 min
#: (200 an hour), 180 s exponential talk, callers who (practically) never
#: hang up; the known answer for 80% answered within 20 s is 14 agents
#: (13 give 0.7956).
ERLANG_C = """\
ivr: erlang-c-example
start: line
nodes:
  line: {type: queue, queue: general}
queues:
  general: {agents: 10, handle_time: {mean: 180, distribution: exponential}}
traffic:
  calls_per_hour: 200
  patience: {mean: 1000h, distribution: exponential}
  intents:
    any: {share: 1.0, goal: line}
"""


def test_erlang_c_example_needs_14_agents_for_80_percent_in_20_seconds():
    [general] = staff(menu(ERLANG_C), ["service_level>=0.8"], model="erlang-c")
    assert (general.pool, general.agents_now, general.agents) == ("general", 10, 14)
    assert general.offered_load == pytest.approx(10.0)
    assert general.analysed["service_level"] == pytest.approx(0.88835, abs=1e-5)
    assert general.analysed["p_wait"] == pytest.approx(0.1741319, abs=1e-6)


def test_erlang_a_with_patience_this_long_agrees_and_more_targets_only_add_agents():
    assert staff(menu(ERLANG_C), ["service_level>=0.8"])[0].agents == 14
    assert staff(menu(ERLANG_C), ["service_level>=0.8", "mean_wait<=2s"])[0].agents > 14


def test_the_cli_reports_the_staffing_and_the_simulation_confirms_it(write):
    path = write("erlang-c.yaml", ERLANG_C)
    result = run_cli("staff", path, "--target", "service_level>=0.8", "--model", "erlang-c",
                     "--hours", "8", "--replications", "10", "--jobs", "1", "--format", "json")
    assert result.code == 0, result.err
    pool = json.loads(result.out)["pools"]["general"]
    assert pool["agents"] == 14
    low, high = pool["simulated"]["service_level"]["ci95"]
    assert low - 0.02 <= 0.88835 <= high + 0.02  # the simulation agrees with Erlang C within its noise
    assert pool["verdict"] in ("confirmed", "borderline")
    text = run_cli("staff", path, "--target", "service_level>=0.8", "--model", "erlang-c", "--no-confirm").out
    assert "general: 14 agents (+4), now 10" in text


def test_unknown_pools_and_targets_more_agents_cannot_meet_are_usage_errors(write):
    with pytest.raises(UsageError, match="no such pool"):
        staff(menu(ERLANG_C), ["service_level>=0.8"], pools=["billing"])
    result = run_cli("staff", write("m.yaml", ERLANG_C), "--target", "service_level<=0.8", "--no-confirm")
    assert result.code == 2 and "cannot be met by adding agents" in result.err


def test_a_menu_without_traffic_cannot_be_staffed(write):
    no_traffic = ERLANG_C.split("traffic:")[0]
    result = run_cli("staff", write("m.yaml", no_traffic), "--target", "service_level>=0.8")
    assert result.code == 2 and "no traffic section" in result.err
