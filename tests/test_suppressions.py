"""Suppression comments: `# ivrlint: disable=...` on a line, above it, or for the file; and L001."""

from __future__ import annotations

import textwrap

from conftest import findings, run_cli

from ivrlint.lint.settings import Settings
from ivrlint.lint.suppressions import from_text
from ivrlint.menu.loader import read_text
from ivrlint.menu.yamlsource import comments

# Two nodes no call reaches ('old' on line 10, 'older' on line 11) and one
# dead end ('older': a message without next).
MENU = """\
ivr: t
start: main
nodes:
  main:
    type: menu
    prompt: For an agent, press 0.
    options: {0: agent}
    on_failure: agent
  agent: {type: queue, queue: q}
  old: {type: hangup}
  older: {type: message, prompt: Gone.}
queues:
  q: {agents: 1, handle_time: 60}
"""

RULES = ["unreachable", "dead-end", "unknown-target", "unused-suppression"]


def found(text: str, select=RULES) -> list[tuple[str, int]]:
    """(rule, line) of each finding of the selected rules."""
    return [(f.rule, f.line) for f in findings(text, settings=Settings(select=list(select)))]


def suppressions_of(text: str) -> list:
    """The suppression comments the lint run finds in the texts of the menu read from `text`."""
    document = read_text(textwrap.dedent(text), "menu.yaml")
    return [s for file, body in document.texts.items() for s in from_text(body, file)]


def edit(line_no: int, new: str, text: str = MENU) -> str:
    lines = text.splitlines(keepends=True)
    lines[line_no - 1] = new + "\n"
    return "".join(lines)


def test_the_menu_without_comments_has_three_findings():
    assert found(MENU) == [("unreachable", 10), ("dead-end", 11), ("unreachable", 11)]


def test_a_comment_at_the_end_of_a_line_silences_that_rule_on_that_line():
    text = edit(10, "  old: {type: hangup}  # ivrlint: disable=unreachable")
    assert found(text) == [("dead-end", 11), ("unreachable", 11)]


def test_a_comment_on_its_own_line_silences_the_next_line():
    text = MENU.replace("  older:", "  # ivrlint: disable=unreachable,dead-end\n  older:")
    assert found(text) == [("unreachable", 10)]


def test_comments_stacked_above_a_node_all_apply_to_it():
    text = MENU.replace("  older:", "  # ivrlint: disable=unreachable\n  # ivrlint: disable=dead-end\n\n  older:")
    assert found(text) == [("unreachable", 10)]


def test_codes_work_like_slugs_in_any_case_and_spaces_after_commas_are_fine():
    text = edit(11, "  older: {type: message, prompt: Gone.}  # ivrlint: disable=s104, S103")
    assert found(text) == [("unreachable", 10)]


def test_a_line_suppression_silences_only_the_rules_it_names():
    text = edit(11, "  older: {type: message, prompt: Gone.}  # ivrlint: disable=dead-end")
    assert found(text) == [("unreachable", 10), ("unreachable", 11)]


def test_disable_file_anywhere_silences_the_rule_in_the_whole_file():
    text = MENU + "# ivrlint: disable-file=unreachable\n"
    assert found(text) == [("dead-end", 11)]


def test_free_text_after_the_rule_list_is_a_note():
    text = edit(10, "  old: {type: hangup}  # ivrlint: disable=unreachable  kept for the spring campaign")
    assert found(text) == [("dead-end", 11), ("unreachable", 11)]


def test_a_directive_inside_a_quoted_prompt_is_text_not_a_suppression():
    text = edit(10, '  old: {type: message, prompt: "Press # ivrlint: disable=unreachable", next: agent}')
    assert found(text) == [("unreachable", 10), ("dead-end", 11), ("unreachable", 11)]
    assert suppressions_of(text) == []


def test_a_directive_inside_a_block_prompt_is_text_not_a_suppression():
    block = "  old:\n    type: message\n    next: agent\n    prompt: |\n      For the old menu\n      # ivrlint: disable=unreachable\n"
    text = MENU.replace("  old: {type: hangup}\n", block)
    assert suppressions_of(text) == []
    assert ("unreachable", 10) in found(text)


def test_comments_are_told_from_hashes_in_scalars():
    text = 'a: "x # no"  # one\nb: c#no\nc: |  # two\n  # no\n# three\nd: [e, "# no"]\n'
    assert [(line, column, body) for line, column, body, _ in comments(text)] == [
        (1, 14, "# one"), (3, 7, "# two"), (5, 1, "# three"),
    ]


def test_an_unused_suppression_is_reported_at_the_rule_it_names():
    text = edit(9, "  agent: {type: queue, queue: q}  # ivrlint: disable=dead-end")
    [unused] = findings(text, "unused-suppression", Settings(select=RULES))
    assert (unused.line, unused.column, unused.severity) == (9, 54, "warning")
    assert unused.message == "'dead-end' is disabled on this line but finds nothing on it; remove it, or move the comment to the line of the finding"


def test_an_unused_file_wide_suppression_is_reported():
    text = MENU + "# ivrlint: disable-file=unknown-target\n"
    [unused] = findings(text, "unused-suppression", Settings(select=RULES))
    assert unused.line == 14 and "whole file" in unused.message


def test_an_unknown_rule_name_is_reported_with_the_nearest_rule():
    text = edit(10, "  old: {type: hangup}  # ivrlint: disable=unreachble")
    assert found(text) == [("unreachable", 10), ("unused-suppression", 10), ("dead-end", 11), ("unreachable", 11)]
    [unknown] = findings(text, "unused-suppression")
    assert unknown.message == "'unreachble' is not a rule (did you mean 'unreachable'?); `ivrlint rules` lists them"


def test_a_comment_that_is_not_a_directive_is_reported():
    for comment, problem in (
        ("# ivrlint: disabel=unreachable", "'disabel' is not an ivrlint directive"),
        ("# ivrlint: disable", "'disable' names no rule"),
        ("# ivrlint: disable-file=", "'disable-file' names no rule"),
    ):
        [bad] = findings(MENU + comment + "\n", "unused-suppression")
        assert bad.message.startswith(problem) and "write '# ivrlint: disable=RULE[,RULE]'" in bad.message, comment
        assert (bad.line, bad.column) == (14, 1)


def test_ordinary_comments_that_mention_ivrlint_are_left_alone():
    text = MENU + "# checked with ivrlint: see the README\n"
    assert findings(text, "unused-suppression") == []


def test_a_rule_not_selected_in_this_run_is_not_an_unused_suppression():
    text = edit(10, "  old: {type: hangup}  # ivrlint: disable=unreachable")
    assert found(text, select=["dead-end", "unused-suppression"]) == [("dead-end", 11)]


def test_the_suppression_still_works_when_unused_suppression_is_not_selected():
    text = edit(10, "  old: {type: hangup}  # ivrlint: disable=unreachable,dead-end")
    assert found(text, select=["unreachable", "dead-end"]) == [("dead-end", 11), ("unreachable", 11)]


def test_unused_suppression_can_be_silenced_itself():
    text = edit(9, "  agent: {type: queue, queue: q}  # ivrlint: disable=dead-end") + "# ivrlint: disable-file=L001\n"
    assert found(text) == [("unreachable", 10), ("dead-end", 11), ("unreachable", 11)]


def test_columns_count_characters_after_non_latin_text():
    for prompt in ("Sveiki, ačiū, spauskite 0", "Здравствуйте, нажмите 0", "مرحبا، اضغط 0"):
        text = edit(6, f"    prompt: {prompt}.  # ivrlint: disable=dead-end")
        [unused] = findings(text, "unused-suppression", Settings(select=RULES))
        assert unused.column == len(f"    prompt: {prompt}.  # ivrlint: disable=") + 1, prompt


def test_check_reports_and_applies_suppressions_from_files(write):
    path = write("m.yaml", edit(10, "  old: {type: hangup}  # ivrlint: disable=unreachable,dead-end"))
    result = run_cli("check", "--select", ",".join(RULES), path)
    assert result.out.splitlines() == [
        f"{path}:10:55: warning unused-suppression 'dead-end' is disabled on this line but finds nothing on it; remove it, or move the comment to the line of the finding",
        f"{path}:11:3: error dead-end message 'older' has no 'next'; say where the call goes after it",
        f"{path}:11:3: error unreachable message 'older' cannot be reached from menu 'main'; link to it or remove it",
        "2 errors, 1 warning in 1 file",
    ]


NODE_MENU = """\
ivr: shop
start: main
nodes:
  # ivrlint: disable=no-repeat
  main:
    type: menu
    prompt: For an agent, press 0.
    options: {0: agent}
    on_failure: agent
  agent: {type: queue, queue: general}  # ivrlint: disable=unreachable
queues:
  general: {agents: 2, handle_time: 120}
"""


def test_a_comment_above_a_node_covers_the_findings_inside_it():
    # no-repeat points at main's options: line (8), not at `main:` (5), which the comment is above
    assert not findings(NODE_MENU, "no-repeat", Settings(select=["no-repeat"]))
    assert not findings(NODE_MENU, "unused-suppression", Settings(select=["no-repeat", "unused-suppression"]))
    moved = NODE_MENU.replace("  # ivrlint: disable=no-repeat\n  main:\n    type: menu\n",
                              "  main:\n    # ivrlint: disable=no-repeat\n    type: menu\n")
    [left] = findings(moved, "no-repeat", Settings(select=["no-repeat"]))
    assert left.line == 8  # above `type:`, a line no finding points at: it covers only that line
    [unused] = findings(moved, "unused-suppression", Settings(select=["no-repeat", "unused-suppression"]))
    assert unused.line == 5 and "for the next line (6)" in unused.message


def test_a_comment_at_the_end_of_a_nodes_first_line_covers_that_node():
    text = NODE_MENU.replace("  # ivrlint: disable=no-repeat\n  main:\n", "  main:  # ivrlint: disable=no-repeat\n")
    assert not findings(text, "no-repeat", Settings(select=["no-repeat"]))


def test_a_comment_on_the_last_line_names_a_line_that_exists():
    text = NODE_MENU + "# ivrlint: disable=dead-end\n"
    [unused] = findings(text, "unused-suppression", Settings(select=["dead-end", "unused-suppression"]))
    assert unused.line == text.count("\n") and "on this line" in unused.message
