"""The caller model hears prompts as the prompt rules do: a language-choice
menu plays every version in turn, any other menu only the caller's language."""

from __future__ import annotations

import pytest

from ivrlint.language.prompts import speaking_seconds
from ivrlint.menu.loader import load_text
from ivrlint.sim.caller import CallerModel

LINE = """
ivr: baltic
start: language
language: lt
nodes:
  language:
    type: menu
    prompt:
      lt: Lietuviškai spauskite 1.
      lv: Latviski spiediet 2.
      en: For English, press 3.
    options: {1: main, 2: main, 3: main}
    on_failure: main
  main:
    type: menu
    prompt:
      lt: Dėl sąskaitų spauskite 1. Konsultantui spauskite 0.
      lv: Rēķiniem spiediet 1. Konsultantam spiediet 0.
      en: For billing, press 1. For an adviser, press 0.
    options: {1: agent, 0: agent}
    on_failure: agent
  agent: {type: queue, queue: general}
queues:
  general: {agents: 2, handle_time: 120}
"""


def test_a_language_choice_menu_plays_every_version_to_every_caller():
    menu = load_text(LINE, "line.yaml")
    model = CallerModel(menu)
    whole = speaking_seconds("\n\n".join(menu.nodes["language"].prompt.values()))
    for language in ("lt", "lv", "en"):
        seconds, announced = model.prompt(menu.nodes["language"], language)
        assert seconds == pytest.approx(whole)
    assert announced["1"] < announced["2"] < announced["3"] == 1.0  # the English key comes last


def test_other_menus_play_only_the_callers_language():
    menu = load_text(LINE, "line.yaml")
    model = CallerModel(menu)
    seconds, _ = model.prompt(menu.nodes["main"], "lv")
    assert seconds == pytest.approx(speaking_seconds(menu.nodes["main"].prompt["lv"]))
