"""Bugs that mypy found (the `mypy` run of `make checks`), each pinned here.

* ``whatif/reach.py`` read ``retries: None`` (unlimited) as "use the
  defaults" and then took ``max(None, 1)``: the seconds to a person, and so
  `ivrlint compare`, crashed with a TypeError on any menu whose defaults say
  ``retries: unlimited``. Unlimited retries never run out, so on_failure is
  no route to anyone (as the simulation and the hangup-on-failure rule have
  it).
* ``menu/yamlsource.py``'s stand-in for libyaml's parser called
  ``_Parser.__init__`` from inside the class that rebinds that name, so
  without libyaml (a PyYAML built without it) every menu failed to load.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from ivrlint.menu.loader import load_text
from ivrlint.whatif.measures import analysed_measures
from ivrlint.whatif.reach import seconds_graph, seconds_to_person

LOOPING = """
ivr: loop
start: main
defaults: {retries: RETRIES}
nodes:
  main:
    type: menu
    prompt: For opening hours, press 1. To hear this again, press 9.
    options: {1: hours, 9: {action: repeat}}
    NODE_RETRIES
    on_failure: agent
  hours: {type: message, prompt: We are open from nine to five., next: bye}
  agent: {type: queue, queue: general}
  bye: {type: hangup}
queues:
  general: {agents: 3, handle_time: {mean: 2m, distribution: exponential}}
traffic:
  calls_per_hour: 30
  patience: {mean: 3m, distribution: exponential}
  intents: {hours: {share: 1, goal: hours}}
"""


def looping(retries: str = "unlimited", node_retries: str = "") -> str:
    text = LOOPING.replace("RETRIES", retries, 1)
    return text.replace("NODE_RETRIES", f"retries: {node_retries}" if node_retries else "")


def test_seconds_to_person_with_unlimited_default_retries_does_not_crash():
    menu = load_text(looping(), "loop.yaml")
    assert menu.defaults.retries is None
    # the only way to the agent is on_failure, which unlimited retries never reach
    assert seconds_to_person(menu)["overall"] is None
    assert not seconds_graph(menu).has_edge("main", "agent")


def test_a_node_with_unlimited_retries_under_finite_defaults_has_no_failure_route():
    menu = load_text(looping("2", node_retries="unlimited"), "loop.yaml")
    assert menu.nodes["main"].retries is None
    assert seconds_to_person(menu)["overall"] is None


def test_finite_retries_still_route_through_on_failure():
    menu = load_text(looping("2"), "loop.yaml")
    overall = seconds_to_person(menu)["overall"]
    assert overall is not None and overall > 0
    assert seconds_graph(menu).has_edge("main", "agent")


def test_compare_measures_of_an_unlimited_menu():
    measures = analysed_measures(load_text(looping(), "loop.yaml"))
    assert measures["overall"]["seconds_to_person"] is None
    assert "error" not in measures


def test_menus_load_without_libyaml():
    # a fresh interpreter where PyYAML has no C extension: the pure-Python parser stands in
    script = textwrap.dedent("""
        import sys
        sys.modules["yaml._yaml"] = None
        sys.modules["yaml.cyaml"] = None
        import yaml
        assert not yaml.__with_libyaml__
        from ivrlint.errors import InputError
        from ivrlint.menu.loader import load_text
        from ivrlint.menu.yamlsource import comments
        menu = load_text("ivr: x\\nstart: a\\nnodes:\\n  a: {type: hangup}  # bye\\n", "x.yaml")
        assert menu.start == "a" and list(menu.nodes) == ["a"]
        assert [c[2] for c in comments("a: 1  # note\\n")] == ["# note"]
        try:
            load_text("a: " + "[" * 200, "deep.yaml")
        except InputError as exc:
            assert "deep.yaml:1:" in str(exc) and "nesting is deeper" in str(exc), str(exc)
        else:
            raise AssertionError("deep nesting was accepted")
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_a_goal_added_in_code_without_a_place_is_checked_at_the_intent():
    """An intent extended in code (goals longer than their places) is linted, not a crash."""
    from conftest import menu as load

    from ivrlint.lint.run import lint_document
    from ivrlint.menu.document import Document

    m = load("""
        ivr: t
        start: main
        nodes:
          main: {type: menu, prompt: For an agent press 0., options: {0: agent}, on_failure: agent}
          agent: {type: queue, queue: q}
        queues:
          q: {agents: 2, handle_time: 60}
        traffic:
          calls_per_hour: 10
          patience: 60
          intents:
            talk: {share: 1, goal: agent}
        """)
    intent = m.traffic.intents["talk"]
    intent.goals.append("nowhere")
    found = [f for f in lint_document(Document(m)) if f.rule == "unknown-target"]
    assert [(f.line, "'nowhere'" in f.message) for f in found] == [(intent.loc.line, True)]
