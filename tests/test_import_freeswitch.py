"""FreeSWITCH IVR XML: stock and FusionPBX layouts, defects at their lines, bad files refused."""

from __future__ import annotations

import pytest
from conftest import ROOT, menu_shape, run_cli, within_cpu

from ivrlint.importers import detect, load_any, read_any
from ivrlint.importers.yaml_out import menu_to_yaml
from ivrlint.lint.run import lint_document
from ivrlint.menu.loader import read_text
from ivrlint.menu.model import Duration, Intent, Traffic
from ivrlint.sim.runner import run_simulation

FIXTURES = ROOT / "tests" / "fixtures" / "freeswitch"
STOCK_CONF = FIXTURES / "stock" / "autoload_configs" / "ivr.conf.xml"
STOCK_MENUS = FIXTURES / "stock" / "ivr_menus"
FUSIONPBX = FIXTURES / "fusionpbx" / "ivr.conf.xml"


def menu_xml(entries: str, attrs: str = 'timeout="5000" exec-on-max-failures="transfer 1000 XML default"', name="main") -> str:
    """One <include> file with one menu, its first entry on line 3."""
    return (f'<include>\n  <menu name="{name}" greet-long="say:For sales, press 1. For an agent, press 0." {attrs}>\n'
            f"{entries}  </menu>\n</include>\n")


def found(document, rule):
    return [(f.line, f.column, f.message) for f in lint_document(document) if f.rule == rule]


# -- the stock layout: ivr.conf.xml including ivr_menus/*.xml ---------------

def test_stock_configuration_follows_its_include_of_the_menu_files():
    menu = load_any(str(STOCK_CONF))
    assert menu.start == "demo_ivr"
    assert menu.nodes["demo_ivr"].options["4"].goto == "demo_ivr_submenu"
    assert menu.nodes["demo_ivr_submenu"].loc.file.endswith("ivr_menus/demo_ivr_submenu.xml")


def test_a_folder_of_menu_files_is_one_phone_line():
    from_folder = load_any(str(STOCK_MENUS))
    assert menu_shape(from_folder) == menu_shape(load_any(str(STOCK_CONF)))


def test_milliseconds_become_seconds_and_attempts_become_retries():
    menu = load_any(str(STOCK_MENUS))
    assert (menu.nodes["demo_ivr"].timeout, menu.nodes["demo_ivr_submenu"].timeout) == (10.0, 15.0)
    assert menu.nodes["demo_ivr"].retries == 2  # max-failures="3": three tries, two after the first


def test_recorded_greetings_leave_the_prompt_empty():
    menu = load_any(str(STOCK_MENUS))
    main = menu.nodes["demo_ivr"]
    assert (main.prompt, main.label) == ({}, "plays phrase:demo_ivr_main_menu")


def test_a_key_shared_with_an_extension_pattern_leads_to_a_branch_naming_both():
    main = load_any(str(STOCK_MENUS)).nodes
    option = main["demo_ivr"].options["1"]
    branch = main[option.goto]
    assert [(main[b.goto].destination, b.when) for b in branch.branches] == [
        ("sofia/$${domain}/888@conference.freeswitch.org", "1 alone"),
        ("$1 XML features", "dials /^(10[01][0-9])$/"),
    ]


def test_menu_top_in_the_first_menu_repeats_it_and_elsewhere_goes_to_the_top():
    nodes = load_any(str(STOCK_MENUS)).nodes
    assert nodes["demo_ivr"].options["9"].action == "repeat"
    assert nodes["demo_ivr_submenu"].options["*"].action == "top"


def test_options_point_at_their_entry_lines():
    option = load_any(str(STOCK_MENUS)).nodes["demo_ivr"].options["4"]
    assert (option.loc.file.rsplit("/", 1)[1], option.loc.line, option.loc.column) == ("demo_ivr.xml", 21, 30)
    assert (option.target_loc.line, option.target_loc.column) == (21, 41)


# -- FusionPBX: one document with every IVR of a domain -----------------------

def test_fusionpbx_menus_queues_voicemail_and_failure_handling():
    menu = load_any(str(FUSIONPBX))
    main = menu.nodes["main-ivr"]
    assert (menu.start, main.label, main.timeout) == ("main-ivr", "Main IVR", 3.0)
    assert main.prompt["en"].startswith("Thank you for calling Example.")
    assert menu.nodes[main.options["1"].goto].queue == "sales"  # callcenter sales@${domain_name}
    assert set(menu.queues) == {"sales", "support"}
    assert menu.nodes[main.options["3"].goto].type == "voicemail"
    failure = menu.nodes[main.on_failure]
    assert (failure.type, failure.destination, failure.human) == ("transfer", "100 XML ${domain_name}", True)


def test_dial_by_extension_is_one_option_to_a_person_on_a_free_first_key():
    main = load_any(str(FUSIONPBX)).nodes
    extension = main["main-ivr"].options["4"]  # /^([2-8][0-9]{2})$/: 2 and 3 are taken
    assert extension.label == "dials /^([2-8][0-9]{2})$/"
    assert main[extension.goto].type == "transfer" and main[extension.goto].human
    assert sorted(main["main-ivr"].options) == ["0", "1", "2", "3", "4", "9"]


def test_playback_returns_to_its_menu_and_menu_back_goes_back():
    nodes = load_any(str(FUSIONPBX)).nodes
    support = nodes["support-ivr"]
    assert nodes[support.options["2"].goto].next == "support-ivr"
    assert support.options["*"].action == "back"


@pytest.mark.parametrize("source", [STOCK_MENUS, FUSIONPBX], ids=["stock", "fusionpbx"])
def test_fixtures_round_trip_through_yaml_and_lint_the_same(source):
    imported = read_any(str(source))
    again = read_text(menu_to_yaml(imported.menu, imported.notes), "imported.yaml")
    assert menu_shape(again.menu) == menu_shape(imported.menu)
    rules = lambda document: sorted((f.rule, f.node) for f in lint_document(document) if not f.rule.startswith("opaque"))  # noqa: E731
    assert rules(again) == rules(imported)


@pytest.mark.parametrize("source", [STOCK_MENUS, FUSIONPBX], ids=["stock", "fusionpbx"])
def test_fixtures_simulate_once_traffic_is_added(source):
    menu = load_any(str(source))
    person = next(n.id for n in menu.nodes.values() if n.type in ("queue", "transfer"))
    menu.traffic = Traffic([60.0], Duration(120.0), {"agent": Intent("agent", 1.0, [person])})
    result = run_simulation(menu, hours=0.5, replications=1, seed=1, jobs=1)
    assert result.records


# -- defects in the source, at their lines ------------------------------------

def read_one(write, text: str, name: str = "ivr.xml"):
    return read_any(str(write(name, text)))


def test_entry_without_an_application_is_a_broken_entry_at_its_line(write):
    document = read_one(write, menu_xml('    <entry action="menu-exec-app" digits="1" param=""/>\n'
                                        '    <entry action="menu-exec-app" digits="0" param="transfer 1000 XML default"/>\n'))
    menu = document.menu
    [(line, column, message)] = found(document, "broken-entry")
    assert (line, column) == (3, 46) and "names no application" in message
    # an empty menu-exec-app makes switch_ivr_menu_execute give up: back to the dialplan
    exit_node = menu.nodes[menu.nodes["main"].options["1"].goto]
    assert (exit_node.type, exit_node.label) == ("hangup", "menu exit: back to the dialplan")


def test_submenu_that_does_not_exist_is_an_unknown_target_at_the_entry(write):
    document = read_one(write, menu_xml('    <entry action="menu-sub" digits="1" param="sales_menu"/>\n'
                                        '    <entry action="menu-exec-app" digits="0" param="transfer 1000 XML default"/>\n'))
    [(line, column, message)] = found(document, "unknown-target")
    assert (line, column) == (3, 41) and "'sales_menu'" in message


def test_script_is_an_opaque_step_that_returns_to_its_menu(write):
    document = read_one(write, menu_xml('    <entry action="menu-exec-app" digits="1" param="lua sales.lua"/>\n'
                                        '    <entry action="menu-exec-app" digits="0" param="transfer 1000 XML default"/>\n'))
    menu = document.menu
    [(line, _, message)] = found(document, "opaque-step")
    assert line == 3 and "lua sales.lua" in message
    step = menu.nodes[menu.nodes["main"].options["1"].goto]
    assert (step.type, step.label, step.next) == ("message", "opaque: lua sales.lua", "main")


@pytest.mark.parametrize("entry, words", [
    ('<entry action="menu-dance" digits="1"/>', "unknown entry action 'menu-dance'"),
    ('<entry digits="1" param="transfer 2000 XML default"/>', "no action"),
    ('<entry action="menu-exec-app" param="transfer 2000 XML default"/>', "has no digits"),
    ('<entry action="menu-exec-app" digits="1" param="transfer"/>', "names no destination"),
    ('<entry action="menu-exec-app" digits="1" param="callcenter"/>', "names no queue"),
    ('<entry action="menu-sub" digits="1"/>', "'menu-sub' has no param"),
])
def test_entries_freeswitch_cannot_carry_out_are_broken_entries(write, entry, words):
    document = read_one(write, menu_xml(f"    {entry}\n"))
    [(line, _, message)] = found(document, "broken-entry")
    assert line == 3 and words in message


def test_unreadable_digit_pattern_is_an_opaque_step_not_a_guess(write):
    document = read_one(write, menu_xml('    <entry action="menu-exec-app" digits="/^(?=1)\\d$/" param="transfer 2000 XML default"/>\n'
                                        '    <entry action="menu-exec-app" digits="0" param="transfer 1000 XML default"/>\n'))
    menu = document.menu
    [(line, _, message)] = found(document, "opaque-step")
    assert line == 3 and "cannot be read as keys" in message
    assert list(menu.nodes["main"].options) == ["0"]


def test_multi_digit_keys_share_their_first_key_through_a_branch(write):
    document = read_one(write, menu_xml('    <entry action="menu-exec-app" digits="11" param="transfer 2011 XML default"/>\n'
                                        '    <entry action="menu-exec-app" digits="12" param="transfer 2012 XML default"/>\n'))
    menu = document.menu
    branch = menu.nodes[menu.nodes["main"].options["1"].goto]
    assert [b.when for b in branch.branches] == ["dials 11", "dials 12"]
    assert found(document, "invalid-key") == []


def test_a_key_written_twice_is_a_duplicate_and_the_first_entry_wins(write):
    document = read_one(write, menu_xml('    <entry action="menu-exec-app" digits="1" param="transfer 2000 XML default"/>\n'
                                        '    <entry action="menu-exec-app" digits="1" param="hangup"/>\n'))
    menu = document.menu
    [(line, _, _)] = found(document, "duplicate-key")
    assert line == 4
    assert menu.nodes[menu.nodes["main"].options["1"].goto].type == "transfer"


def test_different_handlers_for_silence_and_wrong_keys_are_pointed_out(write):
    attrs = 'exec-on-max-failures="transfer 1000 XML default" exec-on-max-timeouts="hangup"'
    document = read_one(write, menu_xml('    <entry action="menu-exec-app" digits="1" param="transfer 2000 XML default"/>\n',
                                        attrs))
    menu = document.menu
    assert [m for _, _, m in found(document, "opaque-step")] == [
        "menu 'main' runs 'hangup' after too many silences but 'transfer 1000 XML default' after too many wrong keys; "
        "both are modelled as the latter"]
    assert menu.nodes[menu.nodes["main"].on_failure].type == "transfer"


def test_start_is_the_menu_no_other_menu_links_to(write):
    write("a.xml", menu_xml('    <entry action="menu-top" digits="9"/>\n', name="billing"))
    welcome = write("b.xml", menu_xml('    <entry action="menu-sub" digits="1" param="billing"/>\n', name="welcome"))
    assert load_any(str(welcome.parent)).start == "welcome"


def test_include_cycles_are_read_once_and_a_missing_include_is_noted(write):
    menu_lines = menu_xml("").split("\n", 1)[1]  # <menu ...> ... </include>
    first = write("a.xml", '<include>\n  <X-PRE-PROCESS cmd="include" data="b.xml"/>\n' + menu_lines)
    write("b.xml", '<include>\n  <X-PRE-PROCESS cmd="include" data="a.xml"/>\n'
                   '  <X-PRE-PROCESS cmd="include" data="gone/*.xml"/>\n</include>\n')
    document = read_any(str(first))
    assert list(document.menu.nodes) == ["main", "main.failure"]
    assert found(document, "opaque-step") == []
    [(line, _, message)] = found(document, "platform-warning")
    assert line == 3 and "'gone/*.xml' matches no file" in message and "No files to include" in message


# -- files that are not FreeSWITCH menus, or not readable ---------------------

def test_sniffing_takes_ivr_files_and_leaves_other_xml_alone(write):
    assert detect(str(write("ivr.xml", menu_xml("")))) == "freeswitch"
    assert detect(str(STOCK_CONF)) == "freeswitch"
    assert detect(str(write("cc.xml", '<configuration name="callcenter.conf"><queues/></configuration>'))) is None
    assert detect(str(write("page.xml", "<html><body><menu>Home</menu></body></html>"))) is None


@pytest.mark.parametrize("content, where, words", [
    (menu_xml('    <entry action="menu-top" digits="9">\n'), ":4:5:", "invalid XML: mismatched tag"),
    (b"", ":1:1:", "the file is empty"),
    (menu_xml("").replace("sales", "s\u00e4les").encode("latin-1"), ":2:42:", "is not UTF-8 text"),
    ('<include><menu name="x"></include>', ":1:27:", "invalid XML: mismatched tag"),
    ('<include><menu name="x" greet-long="say:Sales & support"/></include>', ":1:48:", "write & as &amp;"),
    ("<include>" + "<a>" * 50_000 + "</a>" * 50_000 + "</include>", ":1:307:", "nest deeper than 100 levels"),
])
def test_unreadable_files_exit_2_with_one_line(write, content, where, words):
    path = write("ivr.xml", content)
    result = run_cli("check", "--from", "freeswitch", path)
    assert result.code == 2
    [line] = result.err.splitlines()
    assert line.startswith(f"{path}{where} error: ") and words in line, line


def test_an_entity_bomb_is_refused_at_once(write):
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    path = write("ivr.xml", f'<?xml version="1.0"?>\n<!DOCTYPE include [<!ENTITY lol0 "lol">{lol}]>\n'
                            f'<include><menu name="m" greet-long="&lol9;"/></include>\n')
    code, err = within_cpu(lambda: (lambda r: [r.code, r.err])(run_cli("import", "freeswitch", path)), seconds=2)
    assert code == 2
    [line] = err.splitlines()
    assert line.startswith(f"{path}:2:1: error: a DOCTYPE is not allowed")


def test_import_command_writes_yaml_that_checks_like_the_original(write, tmp_path):
    out = tmp_path / "line.yaml"
    result = run_cli("import", "freeswitch", STOCK_MENUS, "-o", out)
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    assert "  # from demo_ivr.xml:3\n  demo_ivr:\n" in text
    assert run_cli("check", out).code == run_cli("check", STOCK_MENUS).code


# -- the examples in menus/ ---------------------------------------------------

def test_good_example_checks_clean():
    assert run_cli("check", "menus/platforms/freeswitch", cwd=ROOT).out.strip() == "no problems in 2 files"


def test_bad_example_shows_each_defect_at_its_line():
    document = read_any(str(ROOT / "menus" / "bad" / "platforms" / "freeswitch"))
    shown = {(f.rule, f.line) for f in lint_document(document)}
    assert {("broken-entry", 10), ("unknown-target", 11), ("opaque-step", 12)} <= shown


def test_a_large_configuration_imports_in_bounded_time(write):
    entries = "".join(f'    <entry action="menu-exec-app" digits="{k}" param="transfer 10{k} XML default"/>\n' for k in range(1, 9))
    menus = "".join(menu_xml(entries + f'    <entry action="menu-sub" digits="9" param="m{i + 1}"/>\n', name=f"m{i}")
                    .split("\n", 1)[1].rsplit("</include>", 1)[0] for i in range(1000))
    path = write("ivr.xml", f"<include>\n{menus}</include>\n")
    assert within_cpu(lambda: len(load_any(str(path)).nodes), seconds=5) > 9000
