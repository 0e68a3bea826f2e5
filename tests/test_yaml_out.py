"""Writing a menu as YAML (`ivrlint import`): readable, and read back as the same menu."""

from __future__ import annotations

import pytest
from conftest import GOOD_MENUS, menu, menu_shape

from ivrlint.importers.pools import pool
from ivrlint.importers.yaml_out import menu_to_yaml
from ivrlint.location import Location
from ivrlint.menu.document import Document, Note
from ivrlint.menu.loader import load_menu, load_text
from ivrlint.menu.model import Menu, Node, Option


def round_trip(original, notes=()):
    text = menu_to_yaml(original, notes)
    return load_text(text, "written.yaml"), text


@pytest.mark.parametrize("path", GOOD_MENUS, ids=lambda p: p.name)
def test_example_menus_read_back_the_same(path):
    original = load_menu(str(path))
    again, _ = round_trip(original)
    assert menu_shape(again) == menu_shape(original)


AWKWARD = """
ivr: "line: one # two"
start: "главное меню"
language: lt
defaults: {timeout: 7.25, retries: 1, speech_rate: 150}
nodes:
  "главное меню":
    type: menu
    label: "null"
    prompt:
      lt: "Norėdami sužinoti sąskaitos likutį, spauskite vienetą. Norėdami kalbėti su operatoriumi, spauskite nulį."
      ru: "Строка одна\\nСтрока две\\n"
      ar: "للفواتير اضغط ١"
      en: "  leading spaces,\\ttab and a \\u0085 next-line"
    options:
      1: {goto: "a: b", label: "yes"}
      "*": {action: back}
      "#": {action: repeat}
      0: "#hash"
    timeout: 0.125
    on_failure: "#hash"
  "a: b": {type: message, prompt: "multi\\n\\n  indented\\n\\n\\n", next: "главное меню"}
  "#hash": {type: transfer, destination: "${domain} 1000", human: false}
"""


def test_awkward_names_scripts_and_whitespace_read_back_the_same():
    original = menu(AWKWARD)
    again, text = round_trip(original)
    assert menu_shape(again) == menu_shape(original)
    assert "главное меню:" in text  # any script stays as written, not escaped


def test_short_forms_and_quoted_keys():
    _, text = round_trip(menu(AWKWARD))
    assert '      "*": {action: back}' in text
    assert '      0: "#hash"' in text
    assert '      1: {goto: "a: b", label: "yes"}' in text


def test_long_prompts_are_folded_blocks_and_line_breaks_literal_ones():
    _, text = round_trip(menu(AWKWARD))
    assert "      lt: >-\n        Norėdami sužinoti" in text
    assert "      ru: |\n        Строка одна\n        Строка две\n" in text


def imported_document() -> Document:
    at = lambda line: Location("/etc/freeswitch/ivr_menus/main.xml", line, 3)  # noqa: E731
    nodes = {
        "main": Node("main", "menu", loc=at(2), options={"1": Option("1", goto="sales")}, timeout=10, retries=2),
        "sales": Node("sales", "queue", loc=at(3), queue="sales"),
    }
    imported = Menu("main", "main", nodes, file="/etc/freeswitch/ivr_menus/main.xml", loc=at(1))
    pool(imported.queues, "sales", at(3))
    return Document(imported, notes=[Note("opaque-step", "lua weather.lua is not modelled", at(4), "main")])


def test_each_node_says_where_it_came_from_and_what_the_importer_found():
    imported = imported_document()
    text = menu_to_yaml(imported.menu, imported.notes)
    assert text.startswith("# Imported by ivrlint from main.xml.\n")
    assert "  # opaque-step: lua weather.lua is not modelled\n  # from main.xml:2\n  main:\n" in text
    assert "  # from main.xml:3\n  sales:\n" in text


def test_pools_staffed_by_the_importer_and_missing_traffic_are_pointed_out():
    imported = imported_document()
    text = menu_to_yaml(imported.menu, imported.notes)
    assert "# agents and handle_time are not in the platform's files" in text
    assert "#     agent: {share: 1, goal: sales}" in text
    again, _ = round_trip(imported.menu, imported.notes)
    assert menu_shape(again) == menu_shape(imported_document().menu)


def test_any_text_survives_as_a_label_and_a_prompt():
    import random

    rng = random.Random(7)
    alphabet = "ab Z09 :#-*&!|>'\"%@`,[]{}?\\\t\n\r\x00\x07\x7f\x85\xa0\u2028\ufeffšЖع中😀"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 120)))
        if rng.random() < 0.5:  # words and lines, as prompts are: the block styles
            words = "".join(c for c in text if c.isprintable() or c == " ").split()
            text = rng.choice((" ", "\n")).join(" ".join(words) for _ in range(3)) + "\n" * rng.randint(0, 2)
        original = Menu("t", "m", {"m": Node("m", "hangup", label=text, prompt={"en": text})}, file="t.yaml")
        again, written = round_trip(original)
        assert (again.nodes["m"].label, again.nodes["m"].prompt) == (text, {"en": text}), written
