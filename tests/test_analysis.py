"""The exact analysis: the validation values of
docs/sources.md#validation-targets, and the caller model's expectations
worked out by hand on menus small enough to follow."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import GOOD_MENUS, menu

from ivrlint.analysis import absorbing_chain, analyze_menu
from ivrlint.analysis.menu_chain import solve_visits
from ivrlint.errors import InputError
from ivrlint.language.prompts import announced_at
from ivrlint.sim.caller import CallerModel

#: Every probability is zero unless a test sets it: callers then do exactly
#: what the test says, so the expectations can be worked out by hand.
STILL = "{think_median: 2, think_sigma: 0, wrong_key: 0, wrong_key_per_option: 0, silence: 0, zero_out: 0, " \
        "menu_hangup: 0, retry_hangup: 0, lost_back: 0, lost_zero: 0, lost_hangup: 1}"


def queue_menu(agents: int, patience: str = "5m", rate: float = 200) -> str:
    return f"""
    ivr: erlang
    start: agent
    nodes:
      agent: {{type: queue, queue: general}}
    queues:
      general: {{agents: {agents}, handle_time: {{mean: 3m, distribution: exponential}}}}
    traffic:
      calls_per_hour: {rate}
      patience: {{mean: {patience}, distribution: exponential}}
      intents: {{any: {{share: 1, goal: agent}}}}
    """


def test_absorbing_chain_reproduces_the_grinstead_snell_example():
    q = [[0.05, 0.45, 0.35], [0.10, 0.10, 0.0], [0.10, 0.0, 0.0]]
    r = [[0.0, 0.10, 0.05], [0.60, 0.20, 0.0], [0.30, 0.50, 0.10]]
    out = absorbing_chain(q, r, [12, 8, 10])
    assert out["steps"] == pytest.approx(2.139, abs=5e-4)
    assert out["seconds"] == pytest.approx(22.54, abs=5e-3)
    assert out["outcomes"].tolist() == pytest.approx([0.468, 0.434, 0.098], abs=5e-4)


def test_sparse_solver_gives_the_dense_answer():
    rng = np.random.default_rng(3)
    n = 200
    q = rng.random((n, n)) * (rng.random((n, n)) < 0.03)
    q *= (0.9 / np.maximum(q.sum(axis=1), 1e-9))[:, None]  # every state keeps 10% chance to end
    rows, cols = np.nonzero(q)
    dense = np.linalg.solve((np.eye(n) - q).T, np.eye(n)[0])  # dense LAPACK, as the analysis solved small chains before
    sparse = solve_visits(n, rows, cols, q[rows, cols], 0)
    assert np.allclose(dense, sparse, rtol=1e-9, atol=1e-12)
    assert dense[0] >= 1


@pytest.mark.parametrize("agents, p_wait, p_abandon, wait_minutes", [
    (13, 0.2258, 0.0250, 0.1248), (12, 0.3318, 0.0427, 0.2136), (14, 0.1453, 0.0140, 0.0699),
])
def test_analyze_reproduces_the_erlang_a_values_of_research(agents, p_wait, p_abandon, wait_minutes):
    pool = analyze_menu(menu(queue_menu(agents)))["queues"]["general"]
    assert pool["p_wait"] == pytest.approx(p_wait, abs=5e-5)
    assert pool["p_abandon"] == pytest.approx(p_abandon, abs=5e-5)
    assert pool["mean_wait"] / 60 == pytest.approx(wait_minutes, abs=5e-5)
    assert pool["offered_load"] == pytest.approx(10.0)
    assert pool["exact"] is True and pool["overloaded"] is False


def test_analyze_reproduces_the_erlang_c_values_when_nobody_gives_up():
    pool = analyze_menu(menu(queue_menu(14, patience="100000h")))["queues"]["general"]
    assert pool["p_wait"] == pytest.approx(0.1741319, abs=5e-5)
    assert pool["service_level"] == pytest.approx(0.88835, abs=5e-5)
    assert pool["mean_wait"] == pytest.approx(7.836, abs=5e-3)
    short = analyze_menu(menu(queue_menu(11, patience="100000h")))["queues"]["general"]
    assert short["p_wait"] == pytest.approx(0.6821182, abs=5e-5)
    assert short["service_level"] == pytest.approx(0.3896138, abs=5e-5)


def test_occupancy_is_the_answered_load_per_agent():
    pool = analyze_menu(menu(queue_menu(13)))["queues"]["general"]
    assert pool["occupancy"] == pytest.approx(0.750, abs=5e-4)


SILENT_MENU = """
ivr: t
start: main
defaults: {{timeout: 5, retries: 1}}
nodes:
  main:
    type: menu
    prompt: For billing, press 1. For an agent, press 0.
    prompt_seconds: 10
    options: {{1: billing, 0: agent}}
    on_failure: agent
  billing: {{type: queue, queue: billing}}
  agent: {{type: queue, queue: general}}
queues:
  billing: {{agents: 50, handle_time: 60}}
  general: {{agents: 50, handle_time: 60}}
traffic:
  calls_per_hour: 1
  patience: 1h
  behaviour: {behaviour}
  intents: {{bill: {{share: 1, goal: billing}}}}
"""


def test_silences_count_against_retries_then_on_failure():
    behaviour = STILL.replace("silence: 0", "silence: 0.5")
    figures = analyze_menu(menu(SILENT_MENU.format(behaviour=behaviour)))["intents"]["bill"]
    press = announced_at("For billing, press 1. For an agent, press 0.")["1"] * 10 + 2  # announced, then 2 s of thought
    silent = 10 + 5  # the whole prompt, then the timeout
    # attempt 1: half press, half stay silent; attempt 2 likewise; then on_failure
    assert figures["p_goal"] == pytest.approx(0.75)
    assert figures["ivr_seconds"] == pytest.approx(0.5 * press + 0.5 * (silent + 0.5 * press + 0.5 * silent))
    assert figures["keypresses"] == pytest.approx(0.75)
    assert figures["menus_heard"] == pytest.approx(1.5)
    assert figures["retries"] == pytest.approx(0.75)
    assert figures["p_misrouted"] == pytest.approx(0.25, abs=1e-6)


def test_paths_are_written_as_records_write_them_with_their_shares():
    behaviour = STILL.replace("silence: 0", "silence: 0.5")
    paths = analyze_menu(menu(SILENT_MENU.format(behaviour=behaviour)))["paths"]
    assert list(paths) == ["main>1>billing", "main>agent"]  # most travelled first
    assert paths["main>1>billing"]["share"] == pytest.approx(0.75)
    assert paths["main>agent"]["share"] == pytest.approx(0.25)
    assert paths["main>agent"]["ivr_seconds"] == pytest.approx(30.0)  # two silent prompts
    assert paths["main>agent"]["p_goal"] == 0 and paths["main>1>billing"]["p_goal"] == 1


def test_a_lost_caller_presses_the_person_key_or_hangs_up_in_the_given_proportions():
    behaviour = STILL.replace("lost_zero: 0", "lost_zero: 0.3").replace("lost_hangup: 1", "lost_hangup: 0.2")
    text = SILENT_MENU.format(behaviour=behaviour).replace("goal: billing", "goal: nowhere")
    text = text.replace("  agent: {type: queue, queue: general}", "  agent: {type: queue, queue: general}\n  nowhere: {type: hangup}")
    figures = analyze_menu(menu(text))["intents"]["bill"]
    assert figures["p_goal"] == 0
    assert figures["p_person"] == pytest.approx(0.3 / 0.5, abs=1e-6)
    assert figures["p_hung_up"] == pytest.approx(0.2 / 0.5)
    assert figures["p_lost"] == pytest.approx(0.4)


def test_wrong_keys_grow_with_the_number_of_options():
    model = CallerModel(menu(SILENT_MENU.format(behaviour="{}")))
    b = model.behaviour
    assert b.wrong_chance(2) < b.wrong_chance(6) <= 0.5
    assert b.wrong_chance(6) == pytest.approx(b.wrong_key + 5 * b.wrong_key_per_option)


@pytest.mark.parametrize("path", GOOD_MENUS, ids=lambda p: p.name)
def test_every_caller_ends_one_way_or_another(path):
    from ivrlint.menu.loader import load_menu

    figures = analyze_menu(load_menu(str(path)))
    for name, intent in figures["intents"].items():
        ends = ("containment", "p_person", "p_abandon", "p_hung_up", "p_disconnected", "p_voicemail")
        assert sum(intent[e] for e in ends) == pytest.approx(1.0, abs=1e-9), name
        assert 0 <= intent["p_goal"] <= 1 and intent["ivr_seconds"] > 0


def test_the_load_a_pool_gets_follows_the_routing():
    text = """
    ivr: t
    start: main
    nodes:
      main:
        type: menu
        prompt: For sales, press 1. For support, press 2.
        options: {1: sales, 2: support}
        on_failure: support
      sales: {type: queue, queue: sales}
      support: {type: queue, queue: support}
    queues:
      sales: {agents: 3, handle_time: 100}
      support: {agents: 2, handle_time: 400}
    traffic:
      calls_per_hour: 36
      patience: 2m
      behaviour: BEHAVIOUR
      intents:
        buy: {share: 0.25, goal: sales}
        fix: {share: 0.75, goal: support}
    """.replace("BEHAVIOUR", STILL)
    queues = analyze_menu(menu(text))["queues"]
    assert queues["sales"]["calls_per_hour"] == pytest.approx(9.0)
    assert queues["sales"]["offered_load"] == pytest.approx(9.0 * 100 / 3600)
    assert queues["support"]["offered_load"] == pytest.approx(27.0 * 400 / 3600)  # 3 agents' worth for 2
    assert queues["support"]["overloaded"] and not queues["sales"]["overloaded"]


def test_a_pool_closed_half_the_day_disconnects_half_its_callers():
    text = queue_menu(13).replace("calls_per_hour: 200", "calls_per_hour: [" + ", ".join(["10"] * 24) + "]")
    text = text.replace("exponential}}\n", 'exponential}, hours: "08:00-20:00"}\n', 1)
    figures = analyze_menu(menu(text))
    assert figures["queues"]["general"]["p_closed"] == pytest.approx(0.5)
    assert figures["intents"]["any"]["p_disconnected"] == pytest.approx(0.5)
    assert figures["queues"]["general"]["exact"] is False


def test_a_menu_without_traffic_cannot_be_analysed():
    with pytest.raises(InputError, match="no 'traffic' section"):
        analyze_menu(menu("ivr: t\nstart: a\nnodes:\n  a: {type: hangup}\n"))


def test_a_caller_who_can_never_leave_is_reported_not_solved():
    text = """
    ivr: t
    start: a
    nodes:
      a: {type: message, prompt: One., next: b}
      b: {type: message, prompt: Two., next: a}
    traffic:
      calls_per_hour: 1
      patience: 1m
      intents: {x: {share: 1, goal: a}}
    """
    figures = analyze_menu(menu(text))
    assert figures["intents"]["x"]["ivr_seconds"] is None
    assert "circle forever" in figures["notes"][0]
