"""Asterisk dialplans load the way Asterisk loads them: what Asterisk skips with a
warning is skipped and reported at its line (platform-warning), what it refuses is
an error finding, and the rest of the dialplan is still linted. Also: ``; ivrlint:``
suppression comments, priorities read as pbx_config reads them, and fix hints
written as dialplan."""

from __future__ import annotations

import pytest
from conftest import run_cli

from ivrlint.importers import read_any
from ivrlint.importers.asterisk import source
from ivrlint.importers.asterisk.phrases import AsteriskPhrases
from ivrlint.lint.run import lint_document

GOOD = """\
[main]
exten => s,1,Answer()
 same => n(menu),Background(custom/main)
 same => n,WaitExten(5)
exten => 1,1,Queue(sales)
exten => 9,1,Goto(s,menu)
exten => 0,1,Queue(operator)
exten => i,1,Goto(0,1)
exten => t,1,Goto(0,1)
"""


def read(write, text, name="extensions.conf"):
    return read_any(str(write(name, text)), "asterisk")


def found(document, rule=None):
    """(rule, line, column, severity) of each finding."""
    return {(f.rule, f.line, f.column, f.severity) for f in lint_document(document) if rule in (None, f.rule)}


def platform(document):
    return [f for f in lint_document(document) if f.rule == "platform-warning"]


# -- a line Asterisk skips ------------------------------------------------------

def test_a_priority_less_line_is_skipped_and_an_error_when_it_leaves_t_with_no_priority_1(write):
    document = read(write, GOOD.replace("exten => t,1,Goto(0,1)\n", "exten => t,Set(CALLERID(name)=timeout)\n"))
    [warning] = platform(document)
    assert (warning.line, warning.column, warning.severity) == (9, 12, "error")
    assert "has no priority" in warning.message and "Invalid priority/label 'Set'" in warning.message
    assert "presses nothing" in warning.message and "write exten => t,1,Set(CALLERID(name)=timeout)" in warning.message
    menu = document.menu.nodes["main"]  # the rest is read: the menu, its keys, its invalid-key handling
    assert set(menu.options) == {"1", "9", "0"} and menu.on_invalid == "main/0"
    assert document.menu.nodes[menu.on_no_input].type == "hangup"  # silence goes nowhere: Asterisk hangs up


def test_a_skipped_line_is_a_warning_when_the_extension_still_starts(write):
    document = read(write, GOOD + "exten => 1,Set(CALLERID(name)=sales)\n")
    [warning] = platform(document)
    assert (warning.line, warning.severity) == (10, "warning")
    assert "has no priority 1" not in warning.message


def test_the_same_line_with_its_priority_passes(write):
    document = read(write, GOOD)
    assert platform(document) == []
    assert run_cli("check", write("extensions.conf", GOOD)).code in (0, 1)


@pytest.mark.parametrize("text, line, column, severity, words", [
    ("exten => s,1,Answer()\n" + GOOD, 1, 1, "error", "before any [context]"),
    (GOOD + "exten => 2,1,Dial(SIP/100\n", 10, 18, "warning", "No closing parenthesis found?"),
    (GOOD + "exten => 2,1,Set(X=$[${A} + 1)\n", 10, 20, "warning", "missing ']'"),
    (GOOD + "exten => 2,1,Set(X=${A)})\n", 10, 23, "warning", "close it with '}' first"),
    (GOOD + "exten => 2,1,Playback(x) more\n", 10, 26, "warning", "is ignored by Asterisk"),
    (GOOD + "exten => 2,x,Answer()\n", 10, 12, "error", "Invalid priority/label 'x'"),
    (GOOD + "exten => 2,N,Answer()\n", 10, 12, "error", "Invalid priority/label 'N'"),  # 'n' only, as strcmp() reads it
    (GOOD + "exten => 2,0,Answer()\n", 10, 12, "error", "priorities start at 1"),
    (GOOD + "exten => 2,n(label,Answer()\n", 10, 12, "error", "Label missing trailing ')'"),
    ("[m]\nexten => s,n,Answer()\n" + GOOD, 2, 12, "error", "Can't use 'next' priority on the first entry"),
    ("[m]\nsame => n,Answer()\n" + GOOD, 2, 1, "warning", "No previous pattern"),
    (GOOD + "exten => 2\n", 10, 11, "error", "has no priority"),
    (GOOD + "exten => ,1,Answer()\n", 10, 10, "warning", "no call can dial an extension with no name"),
    (GOOD + "this is not dialplan\n", 10, 1, "warning", "no '=' (equal sign)"),
    (GOOD + "fish => 2,1,Answer()\n", 10, 1, "warning", "Unknown directive"),
    (GOOD + "exten => 1,1,Hangup()\n", 10, 12, "warning", "Unable to register extension"),
    ("[m](tpl)\nexten => s,1,Answer()\n" + GOOD, 1, 1, "error", "inherits from [tpl]"),
    ("[m](+)\nexten => s,1,Answer()\n" + GOOD, 1, 1, "error", "no [m] comes before it"),
    ("[m\nexten => s,1,Answer()\n" + GOOD, 1, 1, "error", "no closing ']'"),
    (GOOD + "#include missing.conf\n", 10, 1, "error", "was listed as a #include but it does not exist"),
    (GOOD + "#include\n", 10, 1, "warning", "names no file"),
    (GOOD + "#include conf.d/*.conf\n", 10, 1, "error", "no such file"),  # a glob matching nothing is a missing file
])
def test_what_asterisk_skips_or_refuses_is_reported_at_its_line_and_the_rest_is_read(write, text, line, column, severity, words):
    path = write("extensions.conf", text)
    result = run_cli("check", "--format", "json", path)
    assert result.code == 1, result.err  # loaded: a finding, not an unreadable file
    document = read_any(str(path), "asterisk")
    [warning] = platform(document)
    assert (warning.line, warning.column, warning.severity) == (line, column, severity), warning.message
    assert words in warning.message
    assert "main" in document.menu.nodes and document.menu.nodes["main"].options["0"].goto == "main/0"


def test_a_missing_tryinclude_is_what_tryinclude_is_for_and_says_nothing(write):
    document = read(write, GOOD + "#tryinclude extensions_custom.conf\n#tryinclude conf.d/*.conf\n")
    assert platform(document) == []


def test_an_include_cycle_is_reported_at_the_include_and_each_file_read_once(write):
    write("b.conf", "#include extensions.conf\nexten => 2,1,Queue(billing)\n")
    document = read(write, GOOD + "#include b.conf\n")
    [warning] = platform(document)
    assert (warning.file.endswith("b.conf"), warning.line, warning.severity) == (True, 1, "error")
    assert "#include cycle: extensions.conf includes b.conf includes extensions.conf" in warning.message
    assert document.menu.nodes["main"].options["2"].goto == "main/2"  # b.conf's lines are read, once


def test_includes_nested_deeper_than_asterisks_limit_are_not_followed(write):
    for n in range(source.MAX_DEPTH + 1):  # not .conf: only extensions.conf is a file of the line, the rest come by #include
        write(f"f{n}.inc", f"#include f{n + 1}.inc\n")
    write(f"f{source.MAX_DEPTH + 1}.inc", "exten => 2,1,Queue(billing)\n")
    document = read(write, GOOD + "#include f0.inc\n")
    [warning] = platform(document)
    assert "Maximum Include level" in warning.message and warning.severity == "error"
    assert "2" not in document.menu.nodes["main"].options


# -- the two cases of issue 13 --------------------------------------------------

FREEPBX = """\
; do not edit this file, this is an auto-generated file by freepbx
; all modifications must be done from the web gui

[globals]
#include globals_custom.conf
ASTETCDIR = /etc/asterisk

[ext-did]
include => ext-did-0001

[ext-did-0001]
exten => 5551000,1,Set(__FROM_DID=${EXTEN})
exten => 5551000,n(dest-ext),Goto(ivr-1,s,1)

[ivr-1] ; Main Menu
include => ivr-1-custom
exten => s,1,Set(INVALID_LOOPCOUNT=0)
exten => s,n(start),Set(IVR_MSG=custom/basicivr1)
exten => s,n,ExecIf($["${IVR_MSG}" != ""]?Background(${IVR_MSG}))
exten => s,n,WaitExten(10,)
exten => 0,1,Goto(ext-queues,400,1)
exten => 9,1,Goto(s,start)
exten => i,1,Set(INVALID_LOOPCOUNT=$[${INVALID_LOOPCOUNT}+1])
exten => i,n,GotoIf($[${INVALID_LOOPCOUNT} > 3]?final)
exten => i,n,Goto(s,start)
exten => i,n(final),Playback(no-valid-responce-transfering)
exten => i,n,Goto()
exten => t,1,Goto(0,1)
"""


def test_a_freepbx_dump_whose_include_is_absent_loads_and_its_empty_goto_is_reported(write):
    path = write("extensions_additional.conf", FREEPBX)
    result = run_cli("check", path.parent)
    assert result.code == 1, result.err
    assert f"{path}:5:1: error platform-warning #include globals_custom.conf: no such file" in result.out
    assert f"{path}:27:14: error broken-entry Goto() names no place" in result.out
    assert "invalid input" not in result.err and result.err == ""


PRODUCTION = """\
[general]
static=yes
writeprotect=no

[globals]
SUPPORT=support

[from-pstn]
exten => _X.,1,Answer()
 same => n,Goto(reception,s,1)

#include reception.conf
"""

RECEPTION = """\
[reception] ; Reception
exten => s,1,Background(custom/reception)
 same => n,WaitExten(6)
exten => 1,1,Queue(${SUPPORT})                ; Support
exten => 0,1,Dial(PJSIP/100,20)               ; Operator
exten => 9,1,Goto(s,1)                        ; Repeat
exten => i,1,Playback(invalid)
 same => n,Goto(s,1)
exten => t,Set(CALLERID(name)=timeout ${CALLERID(name)})
 same => n,Goto(0,1)
"""


def test_a_production_directory_with_a_priority_less_line_loads_with_the_line_reported(write):
    write("reception.conf", RECEPTION)
    root = write("extensions.conf", PRODUCTION)
    result = run_cli("check", "--format", "json", root.parent)
    assert result.code == 1, result.err
    document = read_any(str(root.parent))
    [warning] = platform(document)
    assert (warning.file, warning.line, warning.severity) == (str(root.parent / "reception.conf"), 9, "error")
    # `same => n` after the skipped line numbers on from the line before it (priority 2 of t): Asterisk never
    # starts t, which the skipped line's finding says; it is not reported a second time
    assert [f for f in lint_document(document) if f.rule == "broken-entry"] == []
    assert set(document.menu.nodes["reception"].options) == {"1", "0", "9"}


# -- priorities as pbx_config reads them ------------------------------------------

def plan_of(path):
    from ivrlint.importers.asterisk.dialplan import parse
    from ivrlint.importers.asterisk.source import Reader

    return parse(Reader(str(path.parent)).lines(str(path)))


def test_a_label_or_n_with_an_offset_numbers_on_from_it(write):
    path = write("extensions.conf", GOOD + """\
[lookup]
exten => s,1,Set(X=1)
exten => s,n(user),Set(Y=2)
exten => s,user+101(failed),Playback(not-found)
exten => s,n+1,Hangup()
""")
    extension = plan_of(path).contexts["lookup"].extensions["s"]
    assert sorted(extension.steps) == [1, 2, 103, 105] and extension.labels == {"user": 2, "failed": 103}
    assert platform(read_any(str(path), "asterisk")) == []


def test_hint_lines_are_no_steps(write):
    document = read(write, GOOD.replace("exten => 1,1,Queue(sales)\n", "exten => 1,hint,PJSIP/100\nexten => 1,1,Queue(sales)\n"))
    assert platform(document) == [] and document.menu.nodes["main"].options["1"].goto == "main/1"


def test_a_step_with_no_application_is_loaded_and_hangs_up(write):
    document = read(write, GOOD.replace("exten => 1,1,Queue(sales)", "exten => 1,1"))
    assert ("broken-entry", 5) in {(f.rule, f.line) for f in lint_document(document)}
    assert document.menu.nodes["main/1"].type == "hangup"


def test_a_name_that_is_no_application_hangs_up_when_reached(write):
    document = read(write, GOOD.replace("Queue(sales)", "Queue sales"))
    [broken] = [f for f in lint_document(document) if f.rule == "broken-entry"]
    assert broken.line == 5 and "'Queue sales' is not the name of an application" in broken.message


# -- suppression comments --------------------------------------------------------

def test_a_suppression_at_a_lines_end_or_above_it_silences_that_rule_there(write):
    base = GOOD.replace("exten => 0,1,Queue(operator)\n", "").replace("Goto(0,1)", "Goto(s,menu)")
    noisy = {f.rule for f in lint_document(read(write, base)) if f.line == 3}
    assert "no-zero-out" in noisy
    at_end = base.replace(" same => n(menu),Background(custom/main)",
                          " same => n(menu),Background(custom/main) ; ivrlint: disable=no-zero-out  a sales line")
    assert "no-zero-out" not in {f.rule for f in lint_document(read(write, at_end)) if f.line == 3}
    above = base.replace(" same => n(menu),", "; ivrlint: disable=no-zero-out\n same => n(menu),")
    assert "no-zero-out" not in {f.rule for f in lint_document(read(write, above)) if f.line == 4}


def test_a_suppression_that_silences_nothing_is_reported(write):
    document = read(write, GOOD.replace("exten => 1,1,Queue(sales)", "exten => 1,1,Queue(sales) ; ivrlint: disable=no-repeat"))
    [unused] = [f for f in lint_document(document) if f.rule == "unused-suppression"]
    assert (unused.line, unused.column) == (5, 46)  # at the rule it names


def test_an_escaped_semicolon_in_an_argument_starts_no_comment(write):
    document = read(write, GOOD.replace("Queue(sales)", r"Set(X=a\;ivrlint: disable=no-zero-out)" + "\n same => n,Queue(sales)"))
    assert document.comments == []
    assert all(c.body.strip() != "ivrlint: disable=no-zero-out" for c in document.comments)


def test_comments_are_kept_with_their_place_and_what_they_cover(write):
    document = read(write, "; the line\n; ivrlint: disable=retries\n" + GOOD.replace("Queue(sales)", "Queue(sales) ; sales"))
    by_line = {c.line: (c.column, c.body, c.target) for c in document.comments}
    assert by_line[1] == (2, " the line", 3) and by_line[2] == (2, " ivrlint: disable=retries", 3)
    assert by_line[7] == (28, " sales", None)


# -- fix hints in dialplan ----------------------------------------------------------

def test_fix_hints_name_dialplan_lines_and_real_places(write):
    text = GOOD.replace("exten => 0,1,Queue(operator)\n", "").replace("exten => 9,1,Goto(s,menu)\n", "")
    document = read(write, text.replace("Goto(0,1)", "Goto(s,menu)") + "[sales]\nexten => s,1,Queue(sales)\n")
    phrases = document.phrases
    assert isinstance(phrases, AsteriskPhrases) and phrases.platform == "Asterisk dialplan"
    menu = document.menu.nodes["main"]
    assert phrases.node(menu) == "menu [main]"
    assert phrases.node(document.menu.nodes["main/1"]) == "queue at extension 1 of [main]"
    assert phrases.add_option(menu, "0", "main/1") == "add `exten => 0,1,Goto(1,1)` to [main]"
    assert phrases.add_option(menu, "0", None).startswith("add `exten => 0,1,Queue(QUEUE)` to [main]")
    assert phrases.add_repeat(menu, "9") == "add `exten => 9,1,Goto(s,menu)` to [main]"
    assert phrases.add_failure(menu, "main/1") == ("end the `t` and `i` extensions of [main] with `Goto(1,1)` once the "
                                                   "caller's tries run out")
    assert phrases.set_timeout(menu, 5) == "write `WaitExten(5)` in [main]"
    assert "`GotoIf($[${TRIES} > 2]?failed)`" in phrases.set_retries(menu, 2)
    messages = " ".join(f.message for f in lint_document(document))
    assert "exten => 0,1," in messages and "{action: repeat}" not in messages and "'0':" not in messages


def test_a_menu_with_no_i_or_t_is_told_to_add_them(write):
    document = read(write, GOOD.replace("exten => i,1,Goto(0,1)\nexten => t,1,Goto(0,1)\n", ""))
    menu = document.menu.nodes["main"]
    assert document.phrases.add_failure(menu, "main/0") == "add `exten => t,1,Goto(0,1)` and `exten => i,1,Goto(0,1)` to [main]"


def test_a_read_menu_is_fixed_in_its_read(write):
    document = read(write, """\
[menu]
exten => s,1,Read(CHOICE,custom/menu,1,,3,6)
 same => n,GotoIf($["${CHOICE}" = "1"]?sales,s,1)
 same => n,Goto(sales,s,1)
[sales]
exten => s,1,Queue(sales)
""")
    phrases, menu = document.phrases, document.menu.nodes["menu"]
    assert phrases.set_timeout(menu, 5) == "give the Read() in [menu] a timeout of 5 (its sixth argument)"
    assert phrases.set_retries(menu, 2) == "let the Read() in [menu] try 3 times (its fifth argument)"
    assert phrases.add_repeat(menu, "9") == 'test the key for a replay after the Read(): `same => n,GotoIf($["${CHOICE}" = "9"]?s,1)`'


def test_a_place_the_files_do_not_have_is_named_as_the_goto_wrote_it(write):
    document = read(write, GOOD)
    assert document.phrases._goto("bilin", "main") == "Goto(bilin,s,1)"
    assert document.phrases._goto("sales/100", "main") == "Goto(sales,100,1)"


# -- an unreachable menu context, once ------------------------------------------------

ORPHAN = """\
[orphan] ; Forgotten
exten => s,1,Background(custom/orphan)
 same => n,WaitExten(5)
exten => 1,1,Playback(custom/info)
 same => n,Goto(s,1)
exten => 2,1,Queue(billing)
exten => 0,1,Queue(operator)
exten => t,1,Hangup()
"""


def test_a_menu_context_nothing_leads_to_is_one_finding_at_its_menu(write):
    document = read(write, GOOD + ORPHAN)
    unreachable = [f for f in lint_document(document) if f.rule == "unreachable"]
    assert [(f.line, f.node) for f in unreachable] == [(11, "orphan")]
    assert "orphan/" not in unreachable[0].message


def test_a_menu_context_another_one_names_is_not_reported(write):
    named = GOOD.replace("exten => 1,1,Queue(sales)", "exten => 1,1,Gosub(${WHERE},s,1)\nexten => 2,1,Set(NEXT=orphan)")
    assert [f for f in lint_document(read(write, named + ORPHAN)) if f.rule == "unreachable"] == []


# -- what Asterisk loads of a directory, and hostile input ---------------------------------

def test_beside_extensions_conf_a_file_it_does_not_include_is_not_loaded_and_says_so(write):
    write("extensions_old.conf", GOOD.replace("[main]", "[old]").replace("Queue(sales)", "Queue()"))
    root = write("extensions.conf", GOOD)
    document = read_any(str(root.parent))
    [note] = platform(document)
    assert (note.file, note.line, note.severity) == (str(root.parent / "extensions_old.conf"), 1, "info")
    assert "old" not in document.menu.nodes and not [f for f in lint_document(document) if f.rule == "broken-entry"]
    write("extensions.conf", GOOD + "#include extensions_old.conf\n")
    assert "old" in read_any(str(root.parent)).menu.nodes  # once included, it is read


def test_an_old_copy_beside_a_dialplan_is_one_warning_not_one_per_line(write):
    write("backup.conf", GOOD)
    document = read_any(str(write("current.conf", GOOD).parent))  # no extensions.conf: both are read
    [copy] = platform(document)
    assert "lines of current.conf give again priorities that backup.conf gives" in copy.message


def test_latin_1_text_is_read_and_nesting_of_any_depth_is_reported_not_refused(write):
    latin = GOOD.replace("[main]", "[main] ; Men\xfa principal").encode("latin-1")
    assert read(write, latin).menu.nodes["main"].label.startswith("Menú principal")
    deep = GOOD + "exten => 2,1,Set(X=" + "${" * 50000 + "A" + "}" * 49999 + ")\n"
    [warning] = platform(read(write, deep))
    assert warning.line == 10 and "unbalanced '${'" in warning.message
    balanced = GOOD + "exten => 2,1,Set(X=" + "(" * 50000 + ")" * 50000 + ")\n"
    assert platform(read(write, balanced)) == []
