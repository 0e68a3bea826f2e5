"""The menu graph: edges say why a call moves, and the graph questions."""

from __future__ import annotations

import doctest

from conftest import menu

import ivrlint.menu.digraph
from ivrlint.menu.digraph import build_graph, hops_to, people, trapped_regions

MENU = """
ivr: t
start: main
nodes:
  main:
    type: menu
    prompt: For billing, press 1. For an agent, press 0.
    options: {1: billing, 0: agent, 9: {action: repeat}}
    on_no_input: main
    on_failure: agent
  billing:
    type: menu
    prompt: To go back, press star.
    options: {"*": {action: back}, 8: {action: top}}
  agent: {type: queue, queue: q}
  fax: {type: transfer, destination: "+1555", human: false}
queues:
  q: {agents: 1, handle_time: 60}
"""


def test_doctests_in_graph_module_pass():
    assert doctest.testmod(ivrlint.menu.digraph).failed == 0


def test_edges_carry_every_cause_with_its_key():
    g = build_graph(menu(MENU))
    assert g.edges["main", "billing"]["causes"] == [("key", "1")]
    assert g.edges["main", "agent"]["causes"] == [("key", "0"), ("failure", None)]
    assert sorted(g.edges["main", "main"]["causes"], key=str) == [("no_input", None), ("repeat", "9")]
    assert ("back", "*") in g.edges["billing", "main"]["causes"]
    assert ("top", "8") in g.edges["billing", "main"]["causes"]


def test_node_attributes_say_who_is_a_person_and_where_calls_end():
    g = build_graph(menu(MENU))
    assert people(g) == ["agent"]
    assert g.nodes["fax"]["ends"] and not g.nodes["fax"]["person"]
    assert g.nodes["billing"]["ends"]  # no on_failure: the platform disconnects
    assert not g.nodes["main"]["ends"]


def test_hops_to_a_person_count_the_fewest_moves():
    g = build_graph(menu(MENU))
    assert hops_to(g, people(g)) == {"agent": 0, "main": 1, "billing": 2}


def test_no_trapped_regions_in_a_menu_with_exits():
    assert trapped_regions(build_graph(menu(MENU))) == []
