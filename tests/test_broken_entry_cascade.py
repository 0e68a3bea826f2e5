"""One broken entry in a platform file is one finding: the key the importer
keeps for it (an option that repeats the menu, as the platform replays it)
is neither a gap in the numbering nor a key that 'repeats instead of
reaching a person'."""

from __future__ import annotations

from conftest import MENUS, findings

from ivrlint.importers import read_any
from ivrlint.lint.run import lint_document

MENU = """
ivr: shop
start: main
nodes:
  main:
    type: menu
    prompt: For sales, press 1. For support, press 2. For store hours, press 3. For an agent, press 0.
    options: {1: {action: repeat}, 2: agent, 3: agent, 0: agent}
    on_failure: agent
  agent: {type: queue, queue: general}
queues:
  general: {agents: 2, handle_time: 120}
"""


def test_a_number_used_by_a_repeat_key_is_no_gap_in_the_choices():
    assert findings(MENU, "key-gaps") == []


def test_a_number_no_key_uses_is_still_a_gap():
    text = MENU.replace("1: {action: repeat}, 2: agent", "1: agent, 9: {action: repeat}")
    (gap,) = findings(text, "key-gaps")
    assert "numbers its choices 1, 3" in gap.message


def test_the_bad_freeswitch_example_reports_its_defects_and_no_key_gap():
    doc = read_any(str(MENUS / "bad" / "platforms" / "freeswitch" / "ivr.conf.xml"))
    found = {(f.rule, f.line) for f in lint_document(doc)}
    assert ("broken-entry", 10) in found and ("unknown-target", 11) in found and ("opaque-step", 12) in found
    assert "key-gaps" not in {rule for rule, _ in found}


def test_an_empty_param_on_the_agent_key_is_one_broken_entry_finding(tmp_path):
    (tmp_path / "main.xml").write_text(
        '<include>\n'
        '  <menu name="main" greet-long="say:For billing, press 1. For an agent, press 0." timeout="5000"\n'
        '        max-failures="3" exec-on-max-failures="callcenter support@$${domain}">\n'
        '    <entry action="menu-exec-app" digits="1" param="callcenter billing@$${domain}"/>\n'
        '    <entry action="menu-exec-app" digits="0" param=""/>\n'
        '  </menu>\n'
        '</include>\n', encoding="utf-8")
    found = [(f.rule, f.line) for f in lint_document(read_any(str(tmp_path / "main.xml")))]
    # the broken key leaves the menu (FreeSWITCH gives up on it), and is no repeat key: the menu has none
    assert found == [("no-repeat", 2), ("broken-entry", 5)]
