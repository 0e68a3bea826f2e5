"""Findings on an Archy flow speak Archy: its names, its choices on digit_N, settingsMenu; '#' comments suppress."""

from __future__ import annotations

import textwrap

from ivrlint.importers import read_any
from ivrlint.importers.genesys.phrases import ArchyPhrases
from ivrlint.lint.run import lint_document
from ivrlint.menu.model import Node
from ivrlint.menu.phrases import Phrases

MAIN = Node("Main Menu", "menu")
ASK = Node("Ask/Account", "input")
PHRASES = ArchyPhrases(
    words={"Main Menu": "menu 'Main Menu'", "Main Menu/Agent": "menuTransferToAcd 'Agent' of menu 'Main Menu'",
           "Ask/Account": "collectInput 'Account' in task 'Ask'", "Billing": "menu 'Billing'"},
    constructs={"Main Menu/Agent": ("menuTransferToAcd", "targetQueue 'Support'"),
                "Billing": ("menuJumpToMenu", "targetMenuRef to menu 'Billing'")},
    parts={"Main Menu/Agent": "Main Menu"}, flow="Acme")

FLOW = """\
inboundCall:
  name: Acme
  startUpRef: /inboundCall/menus/menu[main]
  menus:
    - menu:
        name: Main Menu
        refId: main
        audio:
          tts: "For sales, press 1. Press # to finish."
        choices:
          - menuTransferToAcd:
              name: Sales
              dtmf: digit_1
              targetQueue:
                lit:
                  name: Sales
          - menuDisconnect:
              name: Goodbye
              dtmf: digit_2
"""


def lint(write, text: str):
    return [f for f in lint_document(read_any(str(write("line/flow.yaml", textwrap.dedent(text)))))]


def test_nodes_are_named_as_the_flow_names_them_never_by_a_made_up_id():
    assert PHRASES.node(Node("Main Menu/Agent", "queue")) == "menuTransferToAcd 'Agent' of menu 'Main Menu'"
    assert PHRASES.node(Node("elsewhere", "hangup")) == "hangup 'elsewhere'"  # a node built in code keeps its id
    assert (PHRASES.part_of("Main Menu/Agent"), PHRASES.part_of("Main Menu")) == ("Main Menu", None)
    assert PHRASES.platform == "Genesys Cloud Archy YAML" != Phrases.platform


def test_a_missing_key_is_a_choice_on_its_digit_of_the_kind_that_reaches_the_target():
    assert PHRASES.add_option(MAIN, "0", "Main Menu/Agent") == (
        "add a `menuTransferToAcd` choice on digit_0 to menu 'Main Menu' (targetQueue 'Support')")
    assert PHRASES.add_option(MAIN, "*", "Billing") == (
        "add a `menuJumpToMenu` choice on digit_star to menu 'Main Menu' (targetMenuRef to menu 'Billing')")
    assert PHRASES.add_option(MAIN, "0", None) == (
        "add a `menuTransferToAcd` choice on digit_0 to menu 'Main Menu', with the targetQueue of an agent queue")
    assert "`menuJumpToTask`" in PHRASES.add_option(MAIN, "#", "Ask/Account")


def test_repeat_failure_timeout_and_retries_name_archys_settings():
    assert PHRASES.add_repeat(MAIN, "9") == "add a `menuRepeatMenu` choice on digit_9 to menu 'Main Menu'"
    assert PHRASES.add_repeat(MAIN, None) == "add a `menuRepeatMenu` choice on a free key to menu 'Main Menu'"
    assert PHRASES.add_failure(MAIN, "Main Menu/Agent").startswith(
        "set the `defaultChildMenuRef` of menu 'Main Menu' to a choice that leads to menuTransferToAcd 'Agent'")
    assert PHRASES.add_failure(ASK, None) == (
        "give the `failure` output of collectInput 'Account' in task 'Ask' actions that lead to a person or a closing message")
    assert PHRASES.set_timeout(MAIN, 5) == "set `settingsMenu: menuSelectionTimeout: lit: {seconds: 5}` in menu 'Main Menu'"
    assert PHRASES.set_timeout(ASK, 5) == "set the `noEntryTimeout` of collectInput 'Account' in task 'Ask' to `lit: {seconds: 5}`"
    assert PHRASES.set_timeout(None, 7) == "set `settingsMenu: menuSelectionTimeout: lit: {seconds: 7}` of flow 'Acme'"
    # repeatCount counts every play: two retries are three plays
    assert PHRASES.set_retries(MAIN, 2).startswith("set `settingsMenu: repeatCount: lit: 3` in menu 'Main Menu'")
    assert PHRASES.set_retries(None, 2).startswith("set `settingsMenu: repeatCount: lit: 3` in flow 'Acme'")
    assert PHRASES.set_retries(ASK, 2) == ("lead the `failure` output of collectInput 'Account' in task 'Ask' back to it, "
                                           "2 times at most (a `loop` action around it counts them)")


def test_the_importer_gives_its_document_these_phrases(write):
    document = read_any(str(write("line/flow.yaml", FLOW)))
    assert isinstance(document.phrases, ArchyPhrases)
    assert document.phrases.node(document.menu.nodes["Main Menu/Sales"]) == "menuTransferToAcd 'Sales' of menu 'Main Menu'"


def test_check_words_its_fixes_in_archy(write):
    found = {f.rule: f.message for f in lint(write, FLOW)}
    assert "add a `menuTransferToAcd` choice on digit_0 to menu 'Main Menu'" in found["no-zero-out"]
    assert "add a `menuRepeatMenu` choice on digit_9 to menu 'Main Menu'" in found["no-repeat"]
    assert "`defaultChildMenuRef` of menu 'Main Menu'" in found["hangup-on-failure"]
    assert not any("{action: repeat}" in m or "on_failure:" in m for m in found.values())


def test_a_disable_comment_at_the_end_of_a_line_silences_that_rule_there(write):
    line = FLOW.splitlines().index("              dtmf: digit_2") + 1
    plain = {(f.rule, f.line) for f in lint(write, FLOW)}
    assert ("unannounced-option", line) in plain
    quiet = {(f.rule, f.line) for f in lint(write, FLOW.replace("dtmf: digit_2", "dtmf: digit_2  # ivrlint: disable=unannounced-option"))}
    assert ("unannounced-option", line) not in quiet and not any(rule == "unused-suppression" for rule, _ in quiet)


def test_a_disable_file_comment_silences_the_rule_in_the_whole_flow(write):
    found = lint(write, "# ivrlint: disable-file=no-zero-out,no-repeat  we send callers to the web\n" + FLOW)
    assert not {"no-zero-out", "no-repeat", "unused-suppression"} & {f.rule for f in found}


def test_a_disable_comment_that_silences_nothing_is_reported(write):
    found = lint(write, FLOW.replace("name: Sales\n", "name: Sales  # ivrlint: disable=long-prompt\n", 1))
    line = FLOW.splitlines().index("              name: Sales") + 1
    assert [(f.rule, f.line) for f in found if f.rule == "unused-suppression"] == [("unused-suppression", line)]


def test_a_hash_inside_a_prompt_is_not_a_comment(write):
    document = read_any(str(write("line/flow.yaml", FLOW)))
    assert document.menu.nodes["Main Menu"].prompt["en"] == "For sales, press 1. Press # to finish."
    assert document.comments == []
