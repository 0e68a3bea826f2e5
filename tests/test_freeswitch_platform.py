"""FreeSWITCH files read as FreeSWITCH reads them, findings in its words, suppressions in XML comments.

What FreeSWITCH does with a broken entry is in src/switch_ivr_menu.c: an
unknown action or missing digits fail the menu's build (so the menu, and
every menu that reaches it by menu-sub, is not played), an empty
menu-exec-app ends the menu, an application run without its argument
returns and the menu plays again.
"""

from __future__ import annotations

import re

import pytest
from conftest import MENUS, run_cli

from ivrlint.importers import read_any
from ivrlint.importers.freeswitch.phrases import FreeSwitchPhrases, Made, entry_xml
from ivrlint.importers.freeswitch.xmlfiles import MAX_COMMENTS
from ivrlint.lint.run import lint_document
from ivrlint.lint.settings import Settings
from ivrlint.menu.model import Node

GREETING = "say:For sales, press 1. For support, press 2. For an agent, press 0. To hear these options again, press 9."


def menu(name: str, entries: str, attrs: str = 'timeout="5000" exec-on-max-failures="transfer 1000 XML default"',
         greeting: str = GREETING) -> str:
    return f'  <menu name="{name}" greet-long="{greeting}" {attrs}>\n{entries}  </menu>\n'


AGENT = '    <entry action="menu-exec-app" digits="0" param="transfer 1000 XML default"/>\n'
REPEAT = '    <entry action="menu-top" digits="9"/>\n'


def line(write, *menus: str, name: str = "ivr.xml"):
    path = write(name, "<include>\n" + "".join(menus) + "</include>\n")
    return path, read_any(str(path), "freeswitch")


#: What the prompts say is not what these tests are about.
WORDING = ["phantom-option", "unannounced-option", "key-gaps", "key-before-action", "long-prompt"]


def found(document, rule=None):
    findings = lint_document(document, Settings(ignore=WORDING))
    return [(f.rule, f.line, f.message) for f in findings if rule is None or f.rule == rule]


# -- item 1: what FreeSWITCH skips, refuses or defaults ------------------------

@pytest.mark.parametrize("entry, problem, logged", [
    ('<entry action="menu-dance" digits="1" param="transfer 2000 XML default"/>', "unknown entry action 'menu-dance'",
     '"Invalid Action [menu-dance]"'),
    ('<entry digits="1" param="transfer 2000 XML default"/>', "an <entry> with no action", '"Invalid Action [(null)]"'),
    ('<entry action=" menu-sub" digits="1" param="sales"/>', "has blanks around it", '"Invalid Action [ menu-sub]"'),
    ('<entry action="menu-exec-app" param="transfer 2000 XML default"/>', "has no digits", ""),
])
def test_an_entry_freeswitch_cannot_bind_keeps_its_menu_and_the_menus_above_it_from_playing(write, entry, problem, logged):
    top = menu("main", '    <entry action="menu-sub" digits="2" param="support"/>\n' + AGENT + REPEAT)
    support = menu("support", f"    {entry}\n" + AGENT + REPEAT)
    _, document = line(write, top, support)
    [(_, line_no, message)] = found(document, "broken-entry")
    assert line_no == 8 and problem in message and logged in message
    assert "plays none of 'main', 'support'" in message  # main builds support with it (menu-sub), so it fails too
    assert "checked as if the entry were not there" in message
    assert sorted(document.menu.nodes["support"].options) == ["0", "9"]


def test_a_menu_reached_only_by_the_ivr_application_is_built_apart(write):
    top = menu("main", '    <entry action="menu-exec-app" digits="2" param="ivr support"/>\n' + AGENT + REPEAT)
    support = menu("support", '    <entry action="menu-dance" digits="1"/>\n' + AGENT + REPEAT)
    _, document = line(write, top, support)
    [(_, _, message)] = found(document, "broken-entry")
    assert "plays none of 'support' (" in message


@pytest.mark.parametrize("entry, words", [
    ('<entry action="menu-exec-app" digits="1" param=""/>', "the param names no application"),
    ('<entry action="menu-sub" digits="1"/>', "'menu-sub' has no param"),
    ('<entry action="menu-play-sound" digits="1" param=""/>', "'menu-play-sound' has no param"),
    ('<entry action="menu-exec-app" digits="1" param="5000 XML default"/>', "did you mean \"transfer 5000 XML default\"?"),
])
def test_an_entry_freeswitch_cannot_start_ends_the_menu_and_is_no_repeat_key(write, entry, words):
    _, document = line(write, menu("main", f"    {entry}\n" + AGENT))
    [(_, line_no, message)] = found(document, "broken-entry")
    assert line_no == 3 and words in message and "returns to the dialplan" in message
    option = document.menu.nodes["main"].options["1"]
    assert document.menu.nodes[option.goto].type == "hangup"
    assert [rule for rule, _, _ in found(document, "no-repeat")] == ["no-repeat"]


def test_an_application_without_its_argument_replays_the_menu_but_is_no_repeat_key(write):
    _, document = line(write, menu("main", '    <entry action="menu-exec-app" digits="1" param="transfer"/>\n' + AGENT))
    [(_, _, message)] = found(document, "broken-entry")
    assert "'transfer' names no destination" in message and "plays the menu again" in message
    assert document.menu.nodes["main"].options["1"].action == "repeat"  # what FreeSWITCH does: the menu again
    [(_, _, no_repeat)] = found(document, "no-repeat")  # but no prompt offers a broken key to hear the menu again
    assert no_repeat.startswith("menu 'main' gives no way to hear its options again")


def test_a_working_repeat_key_still_counts(write):
    _, document = line(write, menu("main", AGENT + REPEAT))
    assert found(document, "no-repeat") == []


def test_with_no_max_timeouts_freeswitch_counts_silences_up_to_max_failures(write):
    _, document = line(write, menu("main", AGENT + REPEAT, attrs='max-failures="5" exec-on-max-failures="hangup"'),
                       menu("other", AGENT + REPEAT, attrs='max-failures="5" max-timeouts="2"'))
    assert document.menu.nodes["main"].retries == 4
    assert document.menu.nodes["other"].retries == 1


def test_an_include_of_nothing_is_a_warning_and_the_rest_is_read(write):
    path = write("ivr.xml", '<include>\n  <X-PRE-PROCESS cmd="include" data="missing/*.xml"/>\n' + menu("main", AGENT + REPEAT)
                 + "</include>\n")
    document = read_any(str(path))
    [(_, line_no, message)] = found(document, "platform-warning")
    assert line_no == 2 and '"No files to include"' in message
    assert "main" in document.menu.nodes
    assert run_cli("check", "--no-config", path).code == 0  # a warning: the line loads, nothing fails


# -- item 4: one finding per defect, no made-up names ----------------------------

_MADE_UP = re.compile(r"'[\w-]+\.(?:\d+|star|pound|failure|exit|pattern\d+|\w+-more)(?:-\d+)?'")


def test_an_unreachable_sub_menu_is_one_finding_at_its_menu():
    document = read_any(str(MENUS / "bad" / "platforms" / "freeswitch" / "ivr.conf.xml"))
    unreachable = found(document, "unreachable")
    assert unreachable == [("unreachable", 15, "menu 'support' cannot be reached from menu 'main'; link to it or remove it")]


def test_an_unreachable_menu_names_the_menus_only_it_leads_to(write):
    top = menu("main", AGENT + REPEAT)
    old = menu("old", '    <entry action="menu-sub" digits="1" param="older"/>\n' + AGENT + REPEAT)
    older = menu("older", '    <entry action="menu-exec-app" digits="1" param="hangup"/>\n' + AGENT + REPEAT)
    _, document = line(write, top, old, older)
    [(_, line_no, message)] = found(document, "unreachable")
    assert line_no == 6 and message == ("menu 'old' cannot be reached from menu 'main', nor can menu 'older', which it "
                                        "leads to; link to it or remove them")


@pytest.mark.parametrize("source", [MENUS / "bad" / "platforms" / "freeswitch", MENUS / "platforms" / "freeswitch"])
def test_no_message_names_a_node_the_importer_made_up(source, write):
    messages = [message for _, _, message in found(read_any(str(source)))]
    tricky = line(write, menu("main", '    <entry action="menu-exec-app" digits="1" param="transfer"/>\n'
                                      '    <entry action="menu-exec-app" digits="11" param="transfer 11 XML default"/>\n'
                                      '    <entry action="menu-sub" digits="12" param="nowhere"/>\n',
                                 attrs='timeout="20000" max-failures="9" exec-on-max-failures="lua fail.lua"'))[1]
    messages += [message for _, _, message in found(tricky)]
    assert messages and not [m for m in messages if _MADE_UP.search(m)]


def test_a_branch_to_a_missing_menu_is_named_by_its_entries(write):
    _, document = line(write, menu("main", '    <entry action="menu-exec-app" digits="1" param="transfer 1 XML default"/>\n'
                                           '    <entry action="menu-sub" digits="12" param="nowhere"/>\n' + AGENT + REPEAT))
    [(_, _, message)] = found(document, "unknown-target")
    assert message == "a branch of the entries whose digits start with 1 in menu 'main' goes to 'nowhere', which does not exist"


# -- fix hints in FreeSWITCH XML ----------------------------------------------------

def test_fix_hints_are_freeswitch_xml(write):
    attrs = 'timeout="20000" max-failures="6"'
    _, document = line(write, menu("main", '    <entry action="menu-sub" digits="2" param="support"/>\n', attrs=attrs),
                       menu("support", '    <entry action="menu-exec-app" digits="1" param="callcenter support@$${domain}"/>\n',
                            greeting="say:For support, press 1."))
    messages = {rule: message for rule, _, message in found(document) if "menu 'main'" in message}
    assert messages["no-repeat"].endswith('add <entry action="menu-top" digits="9"/> and say so at the end of the prompt')
    assert 'add <entry action="menu-exec-app" digits="0" param="callcenter support@$${domain}"/>' in messages["no-zero-out"]
    assert '(set timeout="5000")' in messages["timeout-range"]
    assert 'set max-failures="3" and max-timeouts="3"' in messages["retries"]
    assert 'set exec-on-max-failures and exec-on-max-timeouts to "callcenter QUEUE@$${domain}"' in messages["hangup-on-failure"]


def test_a_sub_menu_repeats_itself_by_naming_itself_in_menu_sub():
    phrases = FreeSwitchPhrases("main")
    assert phrases.add_repeat(Node("main", "menu"), "9") == 'add <entry action="menu-top" digits="9"/>'
    assert phrases.add_repeat(Node("billing", "menu"), "9") == 'add <entry action="menu-sub" digits="9" param="billing"/>'


def test_phrases_name_made_up_nodes_by_their_construct_and_escape_xml():
    made = {"main.1": Made("main", "the entry for digit 1 of menu 'main'", ("menu-exec-app", 'bridge a&b "x"')),
            "main.exit": Made("main", "the exit of menu 'main' (back to the dialplan)", ("menu-exit", None))}
    phrases = FreeSwitchPhrases("main", made)
    assert phrases.node(Node("main.1", "transfer")) == "the entry for digit 1 of menu 'main'"
    assert phrases.node(Node("main", "menu")) == "menu 'main'"
    assert (phrases.part_of("main.1"), phrases.part_of("main")) == ("main", None)
    assert phrases.add_option(Node("sub", "menu"), "0", "main.1") == \
        'add <entry action="menu-exec-app" digits="0" param="bridge a&amp;b &quot;x&quot;"/>'
    assert phrases.add_option(Node("sub", "menu"), "0", "sales") == 'add <entry action="menu-sub" digits="0" param="sales"/>'
    assert phrases.add_option(Node("sub", "menu"), "*", "main") == 'add <entry action="menu-top" digits="*"/>'
    assert phrases.add_failure(Node("sub", "menu"), "main.exit") == \
        'set exec-on-max-failures and exec-on-max-timeouts to "hangup"'
    assert phrases.set_timeout(None, 5) == 'set timeout="5000" on each <menu> without one (FreeSWITCH waits 10000 ms there)'
    assert entry_xml("menu-top", "9") == '<entry action="menu-top" digits="9"/>'


# -- item 5: suppressions in XML comments ----------------------------------------------

def test_a_comment_at_the_end_of_a_line_or_above_an_element_silences_a_rule(write):
    entries = ('    <entry action="menu-exec-app" digits="1" param="transfer"/>  <!-- ivrlint: disable=broken-entry -->\n'
               + AGENT)
    above = "  <!-- ivrlint: disable=no-repeat  the prompt is legal text -->\n  <!-- kept apart -->\n\n"
    _, document = line(write, above + menu("main", entries))
    assert found(document) == []


def test_a_comment_above_a_multi_line_start_tag_covers_the_whole_menu(write):
    start = ('  <!-- ivrlint: disable=timeout-range -->\n  <menu name="main"\n        greet-long="' + GREETING + '"\n'
             '        timeout="30000"\n        exec-on-max-failures="transfer 1000 XML default">\n')
    path = write("ivr.xml", "<include>\n" + start + AGENT + REPEAT + "  </menu>\n</include>\n")
    assert found(read_any(str(path))) == []


def test_disable_file_anywhere_covers_the_file_and_unused_or_malformed_comments_are_reported(write):
    text = ("<include>\n  <!--\n    ivrlint: disable-file=timeout-range\n  -->\n"
            + menu("main", AGENT + REPEAT, attrs='timeout="30000" exec-on-max-failures="transfer 1000 XML default"')
            + "  <!-- ivrlint: disable=dead-end -->\n  <!-- ivrlint: disabel=no-repeat -->\n</include>\n")
    path = write("ivr.xml", text)
    reported = found(read_any(str(path)))
    assert [(rule, line_no) for rule, line_no, _ in reported] == [("unused-suppression", 9), ("unused-suppression", 10)]
    assert "'dead-end' is disabled" in reported[0][2] and "'disabel' is not an ivrlint directive" in reported[1][2]


def test_comments_in_included_files_count_where_they_are_written(write):
    write("menus/main.xml", "<include>\n  <!-- ivrlint: disable=no-repeat -->\n" + menu("main", AGENT) + "</include>\n")
    conf = write("ivr.conf.xml", '<configuration name="ivr.conf">\n  <menus>\n'
                 '    <X-PRE-PROCESS cmd="include" data="menus/*.xml"/>\n  </menus>\n</configuration>\n')
    assert found(read_any(str(conf))) == []


def test_a_comment_that_does_not_mention_ivrlint_is_not_kept(write):
    path, document = line(write, "  <!-- menus for the spring campaign -->\n" + menu("main", AGENT + REPEAT))
    assert document.comments == []
    path, document = line(write, "  <!-- ivrlint: disable=no-repeat -->\n" + menu("main", AGENT + REPEAT))
    [comment] = document.comments
    assert (comment.line, comment.column, comment.body, comment.target) == (2, 7, " ivrlint: disable=no-repeat ", 3)


def test_stacked_comments_all_cover_the_element_below_them(write):
    comments = "".join(f"  <!-- ivrlint: disable=no-repeat {i} -->\n" for i in range(5_000))
    path, document = line(write, comments + menu("main", AGENT + REPEAT))
    assert len(document.comments) == 5_000 and {c.target for c in document.comments} == {5_002}


def test_a_file_of_endless_ivrlint_comments_is_one_error(write):
    comments = "".join(f"  <!-- ivrlint: disable=no-repeat {i} -->\n" for i in range(MAX_COMMENTS + 1))
    path = write("ivr.xml", "<include>\n" + comments + menu("main", AGENT + REPEAT) + "</include>\n")
    result = run_cli("check", "--from", "freeswitch", path)
    assert result.code == 2
    [error] = result.err.splitlines()
    assert error.startswith(f"{path}:{MAX_COMMENTS + 2}:3: error: more than {MAX_COMMENTS} comments mention ivrlint")
