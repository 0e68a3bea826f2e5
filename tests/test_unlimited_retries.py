"""`retries: unlimited`: a menu that replays until the caller answers, as
importers find on platforms (a timeout branch straight back to the menu).
It loads, round-trips through YAML, is reported, and callers in the
simulation and the analysis keep trying (or hang up) instead of being
sent to on_failure."""

from __future__ import annotations

import pytest

from ivrlint.analysis import analyze_menu
from ivrlint.importers.yaml_out import menu_to_yaml
from ivrlint.lint.run import lint_document
from ivrlint.menu.loader import load_text, read_text
from ivrlint.sim import run_simulation

LOOPING = """
ivr: loop
start: main
defaults: {retries: RETRIES}
nodes:
  main:
    type: menu
    prompt: For opening hours, press 1. For an agent, press 0. To hear this again, press 9.
    options: {1: hours, 0: agent, 9: {action: repeat}}
    on_failure: bye
  hours: {type: message, prompt: We are open from nine to five., next: bye}
  agent: {type: queue, queue: general}
  bye: {type: hangup}
queues:
  general: {agents: 3, handle_time: {mean: 2m, distribution: exponential}}
traffic:
  calls_per_hour: 30
  patience: {mean: 3m, distribution: exponential}
  behaviour: {silence: 0.3}
  intents: {hours: {share: 1, goal: hours}}
"""


def looping(retries="unlimited"):
    return load_text(LOOPING.replace("RETRIES", str(retries)), "loop.yaml")


def test_unlimited_loads_as_no_limit_and_round_trips():
    menu = looping()
    assert menu.nodes["main"].retries is None and menu.defaults.retries is None
    again = load_text(menu_to_yaml(menu), "again.yaml")
    assert again.nodes["main"].retries is None


def test_a_node_may_set_unlimited_under_finite_defaults():
    text = LOOPING.replace("RETRIES", "2").replace("    on_failure: bye\n", "    retries: unlimited\n    on_failure: bye\n", 1)
    menu = load_text(text, "loop.yaml")
    assert menu.nodes["main"].retries is None
    assert "retries: unlimited" in menu_to_yaml(menu)


def test_unlimited_is_an_error_of_the_retries_rule_not_a_hangup_on_failure():
    found = {f.rule: f.severity for f in lint_document(read_text(LOOPING.replace("RETRIES", "unlimited"), "loop.yaml"))}
    assert found.get("retries") == "error"
    assert "hangup-on-failure" not in found


def test_a_misspelt_word_is_an_error_naming_the_line():
    from ivrlint.errors import InputError

    with pytest.raises(InputError) as caught:
        load_text(LOOPING.replace("RETRIES", "forever"), "loop.yaml")
    assert "loop.yaml:4:" in str(caught.value) and "retries" in str(caught.value)


def test_callers_of_an_unlimited_menu_keep_trying_instead_of_failing_over():
    limited = analyze_menu(looping(1))["intents"]["hours"]
    unlimited = analyze_menu(looping())["intents"]["hours"]
    assert unlimited["p_disconnected"] == pytest.approx(0.0, abs=1e-12)
    assert limited["p_disconnected"] > 0.05
    assert unlimited["p_goal"] > limited["p_goal"]
    assert unlimited["retries"] > limited["retries"]


def test_the_simulation_agrees_with_the_analysis_on_an_unlimited_menu():
    exact = analyze_menu(looping())["intents"]["hours"]
    simulated = run_simulation(looping(), hours=40, replications=4, seed=3, jobs=1).metrics["intents"]["hours"]
    for name in ("p_goal", "retries"):
        low, high = simulated[name]["ci95"]
        margin = 0.5 * (high - low) + 0.01
        assert low - margin <= exact[name] <= high + margin, (name, exact[name], simulated[name])
