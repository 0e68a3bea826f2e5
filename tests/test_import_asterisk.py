"""Asterisk dialplans as menus: includes, contexts and priorities, menus and
their retries, FreePBX-generated contexts, places in the original files, and
malformed dialplans."""

from __future__ import annotations

import pytest
from conftest import ROOT, menu_shape, run_cli, within_cpu

from ivrlint.analysis import analyze_menu
from ivrlint.errors import InputError
from ivrlint.importers import detect, load_any, read_any
from ivrlint.importers.asterisk import source
from ivrlint.importers.yaml_out import menu_to_yaml
from ivrlint.lint.run import lint_document
from ivrlint.location import Location
from ivrlint.menu.loader import load_text
from ivrlint.menu.model import Duration, Intent, Traffic
from ivrlint.sim import run_simulation

FIXTURES = ROOT / "tests" / "fixtures" / "asterisk"
HAND = FIXTURES / "handwritten"
FREEPBX = FIXTURES / "freepbx"


def line_of(path, marker, nth=0) -> int:
    """The line (from 1) of the nth line of the file that contains `marker`."""
    return [i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if marker in text][nth]


def at(path, marker, column_of=None, nth=0) -> Location:
    """Where `column_of` (default: the marker) is written on the line holding `marker`."""
    line = line_of(path, marker, nth)
    text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    return Location(str(path), line, text.index(column_of or marker) + 1)


def dialplan(write, text, name="extensions.conf"):
    return load_any(str(write(name, text)), "asterisk")


def read_dialplan(write, text, name="extensions.conf"):
    """The Document: the menu and what the importer noted, for linting."""
    return read_any(str(write(name, text)), "asterisk")


def rules(document):
    return {(f.rule, f.line) for f in lint_document(document)}


@pytest.fixture(scope="module")
def hand_document():
    return read_any(str(HAND))


@pytest.fixture(scope="module")
def hand(hand_document):
    return hand_document.menu


@pytest.fixture(scope="module")
def freepbx_document():
    return read_any(str(FREEPBX))


@pytest.fixture(scope="module")
def freepbx(freepbx_document):
    return freepbx_document.menu


# -- a hand-written extensions.conf with included files ---------------------

def test_the_directory_is_one_line_read_from_the_file_that_includes_the_others(hand):
    assert hand.file == str(HAND / "extensions.conf") and hand.ivr == "handwritten"
    assert hand.nodes["sales"].loc.file == str(HAND / "menus" / "sales.conf")
    assert "night" not in {n.split("/")[0] for n in hand.nodes}  # inside a ;-- block comment --;


def test_calls_start_in_the_incoming_context_with_its_business_hours_branch(hand):
    start = hand.nodes[hand.start]
    assert hand.start == "incoming" and start.type == "branch"
    assert [(b.goto, b.when) for b in start.branches] == [
        ("main-menu/s", "time is 08:00-18:00,mon-fri,*,*"), ("closed", "otherwise")]
    assert hand.nodes["main-menu/s"].next == "main-menu"  # the welcome message, then the menu


def test_background_then_waitexten_is_a_menu_whose_keys_are_the_extensions(hand):
    menu = hand.nodes["main-menu"]
    assert menu.type == "menu" and menu.label == "Main menu (plays custom/main-menu)" and menu.prompt == {}
    assert {k: (o.goto, o.label) for k, o in menu.options.items()} == {
        "1": ("sales", "Sales"), "2": ("main-menu/2", "Technical support"),
        "3": ("main-menu/3", "Opening hours"), "0": ("main-menu/0", "Operator")}
    assert menu.timeout == 7  # WaitExten(${MENU_TIMEOUT}) with MENU_TIMEOUT=7 in [globals]


def test_a_counted_loop_in_i_and_t_gives_retries_and_where_they_end(hand):
    menu = hand.nodes["main-menu"]
    assert (menu.retries, menu.on_failure, menu.on_no_input, menu.on_invalid) == (2, "main-menu/0", None, None)
    main = HAND / "menus" / "main.conf"
    assert menu.locs["retries"] == at(main, "GotoIf($[${TRIES} >= 3]?i,operator)", "GotoIf")
    assert hand.nodes["main-menu/0"].destination == "PJSIP/100"


def test_i_and_t_that_go_different_ways_are_on_invalid_and_on_no_input(hand):
    menu = hand.nodes["sales"]
    assert (menu.retries, menu.on_no_input, menu.on_invalid, menu.on_failure) == (1, "main-menu/0", "sales/i", "main-menu/0")
    assert hand.nodes["sales/i"].next == "sales"


def test_options_point_at_the_extension_and_the_goto_argument(hand):
    option = hand.nodes["main-menu"].options["1"]
    main = HAND / "menus" / "main.conf"
    assert option.loc == at(main, "exten => 1,1,Goto(sales,s,1)", "1,1")
    assert option.target_loc == at(main, "exten => 1,1,Goto(sales,s,1)", "sales")
    assert hand.nodes["main-menu/2"].loc == at(main, "Queue(${SUPPORT_QUEUE}", "Queue")


def test_variables_name_queues_and_dial_of_a_local_channel_follows_it(hand):
    assert hand.nodes["main-menu/2"].queue == "support" and set(hand.queues) == {"sales", "support"}
    assert hand.nodes["sales"].options["2"].goto == "order-status"
    order = hand.nodes["order-status"]
    assert (order.type, order.digits, order.timeout, order.retries) == ("input", 8, 10, 1)


def test_an_agi_script_is_an_opaque_step_that_continues(hand, hand_document):
    node = hand.nodes["order-status/s/2"]
    assert node.type == "message" and node.next == "order-status/s/3"
    sales = HAND / "menus" / "sales.conf"
    assert ("opaque-step", line_of(sales, "AGI(")) in rules(hand_document)


def test_voicemail_before_hangup_ends_the_call(hand):
    assert hand.nodes["closed"].next == "closed/s/2"
    assert hand.nodes["closed/s/2"].type == "voicemail" and hand.nodes["closed/s/2"].next is None


# -- a FreePBX extensions_additional.conf ------------------------------------

def test_freepbx_loop_counters_give_the_retries_it_allows(freepbx):
    main, support = freepbx.nodes["ivr-2"], freepbx.nodes["ivr-3"]
    assert (main.retries, main.timeout, main.on_failure) == (3, 10, "ivr-2/t/final")  # > 3: three replays
    assert (support.retries, support.timeout, support.on_failure) == (2, 7, "ivr-3/hang")  # TIMEOUT(response)=7
    assert freepbx.nodes["ivr-2/t/final"].next == "from-did-direct/100"


def test_freepbx_prompts_come_from_the_variable_execif_plays(freepbx):
    assert freepbx.nodes["ivr-2"].label == "Main IVR (plays custom/main-menu)"
    assert freepbx.nodes["ivr-3"].label == "Support (plays custom/support-menu)"


def test_freepbx_destinations_are_read_by_their_meaning(freepbx):
    kinds = {n: (freepbx.nodes[n].type, freepbx.nodes[n].queue or freepbx.nodes[n].destination)
             for n in ("ext-queues/400", "ext-group/600", "from-did-direct/100", "ext-local/vmu100", "app-blackhole/hangup")}
    assert kinds == {"ext-queues/400": ("queue", "400"), "ext-group/600": ("transfer", "ring group 600"),
                     "from-did-direct/100": ("transfer", "100"), "ext-local/vmu100": ("voicemail", None),
                     "app-blackhole/hangup": ("hangup", None)}
    assert freepbx.nodes["ivr-3"].options["*"].goto == "ivr-2"  # Goto(ivr-2,return,1) comes back to its menu


def test_freepbx_inbound_routes_start_with_a_branch_on_the_number_dialled(freepbx):
    start = freepbx.nodes[freepbx.start]
    assert freepbx.start == "from-pstn"
    assert [b.when for b in start.branches] == ["dialled 5551000", "dialled 5551001", "dialled _."]
    assert freepbx.nodes["timeconditions/1"].branches[0].goto == "ivr-2"
    assert [b.goto for b in freepbx.nodes["timeconditions/1/4"].branches] == ["ivr-2", "app-announcement-1"]


def test_a_gotoif_whose_ways_meet_again_is_no_branch(freepbx):
    assert freepbx.nodes["app-announcement-2"].type == "message"  # GotoIf(CHANNEL(state)=Up?begin) skips Answer only


def test_a_subroutine_that_does_more_than_set_variables_is_an_opaque_step(freepbx, freepbx_document):
    additional = FREEPBX / "extensions_additional.conf"
    assert freepbx.nodes["from-pstn/5551001"].next == "ivr-3"
    assert ("opaque-step", line_of(additional, "Gosub(app-blacklist-check")) in rules(freepbx_document)


@pytest.mark.parametrize("fixture", [HAND, FREEPBX], ids=["handwritten", "freepbx"])
def test_the_yaml_it_writes_reads_back_as_the_same_menu(fixture):
    document = read_any(str(fixture))
    menu = document.menu
    assert menu_shape(load_text(menu_to_yaml(menu, document.notes), "line.yaml")) == menu_shape(menu)


def test_the_imported_line_analyses_and_simulates_once_traffic_is_added(freepbx):
    intents = {"sales": Intent("sales", 0.6, ["ext-queues/400"]), "support": Intent("support", 0.4, ["ext-group/600"])}
    menu = load_any(str(FREEPBX))
    menu.traffic = Traffic([60.0], Duration(120.0), intents)
    assert 0 < analyze_menu(menu, paths=False)["intents"]["sales"]["p_goal"] <= 1
    result = run_simulation(menu, hours=2, replications=2, seed=3, jobs=1)
    assert result.metrics["overall"]["calls"]["mean"] > 0


# -- menus and their failures, one construct at a time --------------------------

MENU = """\
[menu]
exten => s,1,Answer()
 same => n,Background(custom/menu)
 same => n,WaitExten(5)
exten => 1,1,Queue(sales)
exten => 0,1,Dial(PJSIP/100)
"""


def test_failures_that_come_straight_back_are_unbounded_retries(write):
    document = read_dialplan(write, MENU + "exten => i,1,Playback(invalid)\n same => n,Goto(s,1)\nexten => t,1,Goto(s,1)\n")
    assert document.menu.nodes["menu"].retries is None
    assert ("retries", 9) in rules(document)  # at exten => t


def test_no_i_and_no_t_hang_up_at_the_first_failure(write):
    menu = dialplan(write, MENU).nodes["menu"]
    assert (menu.retries, menu.on_failure, menu.on_no_input, menu.on_invalid) == (0, None, None, None)


def test_a_missing_i_is_a_hang_up_on_an_invalid_key(write):
    menu = dialplan(write, MENU + "exten => t,1,Goto(0,1)\n")
    node = menu.nodes["menu"]
    assert (node.retries, node.on_no_input, node.on_invalid) == (1, "menu/0", "menu/i")
    assert menu.nodes["menu/i"].type == "hangup"


def test_i_and_t_to_one_place_give_no_retry_and_that_place_on_failure(write):
    node = dialplan(write, MENU + "exten => i,1,Goto(0,1)\nexten => t,1,Goto(0,1)\n").nodes["menu"]
    assert (node.retries, node.on_failure) == (0, "menu/0")


def test_a_count_reset_on_the_way_back_is_no_limit(write):
    text = MENU.replace("s,1,Answer()", "s,1,Set(N=0)") + (
        "exten => i,1,Set(N=$[${N} + 1])\n same => n,GotoIf($[${N} > 2]?0,1)\n same => n,Goto(s,1)\n"
        "exten => t,1,Goto(i,1)\n")
    assert dialplan(write, text).nodes["menu"].retries is None


@pytest.mark.parametrize("general, timeout", [("", 0.0), ("[general]\nautofallthrough=no\n", 10.0)])
def test_background_that_ends_the_extension_takes_keys_only_while_it_plays(write, general, timeout):
    text = general + MENU.replace(" same => n,WaitExten(5)\n", "")
    node = dialplan(write, text).nodes["menu"]
    assert node.type == "menu" and node.timeout == timeout


def test_response_timeout_is_asterisks_ten_seconds_unless_set(write):
    assert dialplan(write, MENU.replace("WaitExten(5)", "WaitExten()")).nodes["menu"].timeout == 10
    text = MENU.replace("s,1,Answer()", "s,1,Set(TIMEOUT(response)=4)").replace("WaitExten(5)", "WaitExten()")
    assert dialplan(write, text).nodes["menu"].timeout == 4


def test_read_with_its_digit_tested_key_by_key_is_a_menu(write):
    menu = dialplan(write, """\
        [menu]
        exten => s,1,Read(CHOICE,custom/menu,1,,3,6)
         same => n,GotoIf($["${CHOICE}" = "1"]?sales,s,1)
         same => n,GotoIf($["${CHOICE}" == "0"]?operator,s,1)
         same => n,Goto(operator,s,1)
        [sales]
        exten => s,1,Queue(sales)
        [operator]
        exten => s,1,Dial(PJSIP/100)
        """)
    node = menu.nodes["menu"]
    assert (node.type, node.timeout, node.retries, node.on_failure) == ("menu", 6, 2, "operator")
    assert {k: o.goto for k, o in node.options.items()} == {"1": "sales", "0": "operator"}


def test_dialling_by_extension_takes_the_first_key_and_shares_it_by_branch(write):
    menu = dialplan(write, MENU + "exten => _2XX,1,Dial(PJSIP/${EXTEN})\nexten => 300,1,Dial(PJSIP/300)\n"
                                  "exten => 301,1,Dial(PJSIP/301)\nexten => _1XX,1,Dial(PJSIP/${EXTEN})\n")
    options = menu.nodes["menu"].options
    assert options["1"].goto == "menu/1"  # a literal key wins over _1XX
    assert menu.nodes[options["2"].goto].destination == "PJSIP/_2XX"
    branch = menu.nodes[options["3"].goto]
    assert [(b.goto, b.when) for b in branch.branches] == [("menu/300", "dials 300"), ("menu/301", "dials 301")]


def test_a_goto_to_a_place_that_does_not_exist_is_an_unknown_target_at_its_argument(write):
    document = read_dialplan(write, MENU + "exten => 2,1,Goto(salse,s,1)\nexten => 3,1,Goto(sales,s,1)\n"
                                           "[sales]\nexten => s,1,Queue(sales)\n")
    option = document.menu.nodes["menu"].options["2"]
    assert (option.goto, option.target_loc.line, option.target_loc.column) == ("salse", 7, 19)
    found = [f for f in lint_document(document) if f.rule == "unknown-target"]
    assert [(f.line, f.column) for f in found] == [(7, 19)] and "did you mean 'sales'" in found[0].message


def test_a_goto_to_a_missing_label_names_the_label(write):
    menu = dialplan(write, MENU + "exten => 2,1,Goto(s,nolabel)\n")
    assert menu.nodes["menu"].options["2"].goto == "menu/s/nolabel"


def test_n_after_another_extension_counts_on_so_the_extension_never_starts(write):
    document = read_dialplan(write, MENU + "exten => 2,n,Playback(hours)\n")
    assert "2" not in document.menu.nodes["menu"].options
    assert ("broken-entry", 7) in rules(document)


def test_a_priority_written_twice_is_skipped_as_asterisk_does_and_a_gap_is_a_broken_entry(write):
    document = read_dialplan(write, MENU + "exten => 0,1,Hangup()\nexten => 1,3,Hangup()\n")
    assert {("platform-warning", 7), ("broken-entry", 8)} <= rules(document)
    assert document.menu.nodes["menu/0"].type == "transfer"  # the first priority 1 stays, as Asterisk keeps it


def test_applications_missing_what_they_need_are_broken_entries(write):
    document = read_dialplan(write, MENU.replace("Queue(sales)", "Queue()") + "exten => 2,1,Dial(Local/100@nowhere)\n"
                                                                              "exten => 3,1,Goto(s,9)\nexten => 4,1,Goto()\n")
    assert {("broken-entry", 5), ("broken-entry", 7), ("broken-entry", 8), ("broken-entry", 9)} <= rules(document)
    assert document.menu.nodes["menu/1"].type == "hangup"


def test_an_include_of_a_context_that_is_not_there_is_a_broken_entry_except_freepbx_hooks(write):
    document = read_dialplan(write, "[menu]\ninclude => menu-custom\ninclude => holidays\n" + MENU.split("\n", 1)[1])
    assert ("broken-entry", 3) in rules(document) and ("broken-entry", 2) not in rules(document)


def test_a_time_conditioned_include_counts_at_all_hours_and_says_so(write):
    document = read_dialplan(write, MENU.replace("[menu]", "[menu]\ninclude => night,18:00-08:00,*,*,*") + "[night]\nexten => 2,1,Hangup()\n")
    assert "2" in document.menu.nodes["menu"].options and ("opaque-step", 2) in rules(document)


def test_a_subroutine_that_only_sets_variables_passes_through(write):
    document = read_dialplan(write, MENU.replace("s,1,Answer()", "s,1,Gosub(sub-tag,s,1(menu))") +
                             "[sub-tag]\nexten => s,1,Set(CDR(userfield)=${ARG1})\n same => n,Return()\n")
    menu = document.menu
    assert menu.nodes[menu.start].type == "menu" and not document.notes


def test_options_of_included_contexts_count(write):
    menu = dialplan(write, MENU.replace("[menu]", "[menu]\ninclude => more") + "[more]\nexten => 2,1,Hangup()\n")
    assert set(menu.nodes["menu"].options) == {"1", "0", "2"}


def test_a_goto_loop_with_nothing_in_between_is_a_broken_entry(write):
    document = read_dialplan(write, MENU + "exten => 2,1,NoOp()\n same => n,Goto(2,1)\n")
    menu = document.menu
    assert menu.nodes[menu.nodes["menu"].options["2"].goto].label == "endless Goto loop"
    assert ("broken-entry", 8) in rules(document)


def test_templates_and_additions_build_one_context(write):
    menu = dialplan(write, """\
        [menu-base](!)
        exten => 0,1,Dial(PJSIP/100)
        [menu](menu-base)
        exten => s,1,Background(custom/menu)
         same => n,WaitExten(5)
        [menu](+)
        exten => 1,1,Queue(sales)
        """)
    assert set(menu.nodes["menu"].options) == {"0", "1"} and "menu-base" not in menu.nodes


def test_comments_in_any_script_label_the_menu_and_its_options(write):
    menu = dialplan(write, MENU.replace("[menu]", "[menu] ; Главное меню").replace("Queue(sales)", "Queue(sales) ; Pardavimų skyrius"))
    assert menu.nodes["menu"].label == "Главное меню (plays custom/menu)"
    assert menu.nodes["menu"].options["1"].label == "Pardavimų skyrius"


def test_an_escaped_semicolon_is_part_of_the_argument(write):
    menu = dialplan(write, MENU.replace("Background(custom/menu)", r"Background(custom/a\;b) ; the menu"))
    assert menu.nodes["menu"].label == "plays custom/a;b"


def test_unknown_applications_are_kept_as_opaque_steps_never_dropped(write):
    document = read_dialplan(write, MENU + "exten => 2,1,Festival(Hello)\n same => n,Goto(s,1)\n"
                                           "exten => 3,1,Goto(${DEST},1)\n#exec /usr/local/bin/make-dialplan\n")
    menu = document.menu
    options = menu.nodes["menu"].options
    assert menu.nodes[options["2"].goto].label == "opaque: Festival(Hello)" and menu.nodes[options["2"].goto].next == "menu"
    assert menu.nodes[options["3"].goto].type == "hangup"
    assert {("opaque-step", 7), ("opaque-step", 9), ("opaque-step", 10)} <= rules(document)


def test_the_first_menu_no_context_goes_to_is_the_start(write):
    menu = dialplan(write, "[sub]\nexten => s,1,Background(x)\n same => n,WaitExten()\nexten => 0,1,Dial(PJSIP/1)\n"
                           "[main]\nexten => s,1,Background(y)\n same => n,WaitExten()\nexten => 1,1,Goto(sub,s,1)\n")
    assert menu.start == "main"


# -- files, includes and malformed dialplans --------------------------------------

def test_includes_are_read_in_place_relative_to_the_first_file(write):
    write("conf/sub/menu.conf", "[menu]\n#include sub/keys.conf\n")
    write("conf/sub/keys.conf", "exten => s,1,Background(x)\n same => n,WaitExten()\nexten => 0,1,Dial(PJSIP/1)\n")
    path = write("conf/extensions.conf", "#include sub/menu.conf\n#include /etc/asterisk/sub/none*.conf\n")
    menu = load_any(str(path))
    assert menu.nodes["menu"].options["0"].loc.file == str(path.parent / "sub" / "keys.conf")


def test_what_asterisk_refuses_to_load_is_one_error_with_file_line_and_column_and_exit_2(write):
    """Only a file that is not dialplan text stops the import; lines written wrong are findings
    (tests/test_asterisk_tolerance.py)."""
    path = write("extensions.conf", b"[m]\nexten => s,1,Answer()\n\x00\x01binary")
    result = run_cli("check", "--from", "asterisk", path)
    assert result.code == 2
    assert result.err.startswith(f"{path}:3:1: error: ") and "binary" in result.err and "Traceback" not in result.err


def test_files_over_the_size_limit_are_refused(write, monkeypatch):
    monkeypatch.setattr(source, "MAX_BYTES", 100)
    with pytest.raises(InputError, match="larger than"):
        dialplan(write, MENU * 5)


def test_only_dialplan_files_are_taken_for_asterisk(write):
    assert detect(str(write("extensions.conf", MENU))) == "asterisk"
    assert detect(str(write("extensions_main.conf", "#include extensions_custom.conf\n"))) == "asterisk"
    assert detect(str(write("pjsip.conf", "[trunk]\ntype=endpoint\ncontext=incoming\n"))) is None
    assert detect(str(write("queues.conf", "[sales]\nstrategy=ringall\nmember => PJSIP/100\n"))) is None


def test_a_large_dialplan_imports_in_bounded_time(write):
    contexts = "".join(f"[m{i}]\nexten => s,1,Background(m{i})\n same => n,WaitExten(5)\nexten => 1,1,Goto(m{i + 1},s,1)\n"
                       f"exten => 0,1,Dial(PJSIP/100)\nexten => i,1,Goto(s,1)\nexten => t,1,Goto(0,1)\n" for i in range(2000))
    text = contexts + "[m2000]\nexten => s,1,Hangup()\n"
    assert within_cpu(lambda: len(dialplan(write, text).nodes), seconds=10) > 4000


# -- the examples and the command line -----------------------------------------

def test_the_good_example_lints_clean_and_the_bad_one_is_pinned_at_its_lines():
    assert run_cli("check", "menus/platforms/asterisk", cwd=ROOT).out.strip() == "no problems in 1 file"
    bad = ROOT / "menus" / "bad" / "platforms" / "asterisk" / "extensions.conf"
    found = rules(read_any(str(bad)))
    assert {("retries", line_of(bad, "exten => t,1,Goto(s,1)")),
            ("unknown-target", line_of(bad, "Goto(bilin,s,1)")),
            ("broken-entry", line_of(bad, "exten => 2,1,Queue()")),
            ("opaque-step", line_of(bad, "AGI(")),
            ("no-zero-out", line_of(bad, "Background(custom/billing)")),
            ("platform-warning", line_of(bad, "exten => 2,Playback"))} <= found


def test_import_command_writes_yaml_with_the_source_lines(tmp_path):
    out = tmp_path / "line.yaml"
    result = run_cli("import", "asterisk", FREEPBX, "-o", out)
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    assert f"# from extensions_additional.conf:{line_of(FREEPBX / 'extensions_additional.conf', 'Background(${IVR_MSG})')}" in text
    assert "opaque-step" in result.err
