"""Names from a menu reach CSV files and pull-request comments as text, never as formulas or markup (issue 17)."""

from __future__ import annotations

import csv
import io
import re

from conftest import run_cli

from ivrlint.common.text import safe_cell
from ivrlint.report.summary import render_csv
from ivrlint.whatif.compare_render import _code, _md

HOSTILE = ("ivr: t\nstart: main\nnodes:\n  main:\n    type: menu\n    prompt: For billing, press 1. For an agent, press 0. "
           "To repeat, press 9.\n    options: {1: '![x](https://e.example/p.png)', 0: agent, 9: {action: repeat}}\n"
           "    on_failure: agent\n  '![x](https://e.example/p.png)': {type: message, prompt: Bills., next: agent}\n"
           "  agent: {type: queue, queue: '@octocat</details>|x'}\nqueues:\n  '@octocat</details>|x': {agents: AGENTS, handle_time: 3m}\n"
           "traffic:\n  calls_per_hour: 20\n  patience: 3m\n  intents:\n    '=1+2 #12 <img src=x>': {share: 1.0, goal: agent}\n")


# -- CSV ------------------------------------------------------------------------

def test_a_cell_that_starts_like_a_formula_is_prefixed_and_others_are_not():
    assert [safe_cell(v) for v in ("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx")] == [
        "'=1+2", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx"]
    assert [safe_cell(v) for v in ("billing", "a=b", "", -1, 0.5, None)] == ["billing", "a=b", "", -1, 0.5, None]


def test_simulate_csv_names_are_prefixed_and_numbers_left_alone():
    figures = {"intents": {"=1+2": {"calls": {"mean": -0.5, "ci95": [-1.0, 0.0]}}}, "queues": {"@q": {"agents": 3}},
               "paths": {"-main > bye": {"share": 1.0}, "billing": {"share": 0.5}}, "overall": {"calls": {"mean": 2.0, "ci95": [1.0, 3.0]}}}
    out = io.StringIO()
    render_csv(figures, out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert [row[1] for row in rows[1:]] == ["'=1+2", "'@q", "'-main > bye", "billing", ""]
    assert rows[1][3:] == ["-0.5", "-1.0", "0.0"]  # figures are numbers, not names: no prefix


def test_simulate_format_csv_prefixes_a_hostile_intent(write):
    path = write("menu.yaml", HOSTILE.replace("AGENTS", "2"))
    result = run_cli("simulate", path, "--hours", "0.5", "--replications", "2", "--jobs", "1", "--quiet", "--format", "csv")
    assert result.code == 0, result.err
    names = {row[1] for row in csv.reader(io.StringIO(result.out))}
    assert "'=1+2 #12 <img src=x>" in names and "=1+2 #12 <img src=x>" not in names
    assert "'@octocat</details>|x" in names


# -- Markdown -------------------------------------------------------------------

def test_markdown_text_shows_a_menus_words_and_renders_nothing_of_them():
    assert _md("![x](https://e.example/p.png)") == "!\\[x\\](https://e.example/p.png)"  # no image
    assert _md("</details><img src=x>") == "&lt;/details>&lt;img src=x>"  # no tag
    assert _md("@octocat and #12, a@b.c") == "@&#8203;octocat and #&#8203;12, a@b.c"  # no mention, no issue link
    assert _md("a|b\n::error::X") == "a\\|b\\\\n::error::X"  # no cell break; one line, rendered as a\|b\\n::error::X
    assert _md("# title") == "\\# title" and _md("1. one") == "1\\. one" and _md("> quote") == "\\> quote"
    assert _md("**bold** `code` ~~gone~~ _it_") == "\\*\\*bold\\*\\* \\`code\\` \\~\\~gone\\~\\~ \\_it\\_"
    assert _md("&lt; R&D") == "&amp;lt; R&D"
    assert _md("key 1 of menu 'main' goes to 'p_goal'; 0.898 -> 0.825 (-8%)") == \
        "key 1 of menu 'main' goes to 'p_goal'; 0.898 -> 0.825 (-8%)"  # everyday text is left as it is


def test_markdown_code_spans_hold_any_name():
    assert _code("billing") == "`billing`"
    assert _code("a`b") == "``a`b``" and _code("`x") == "`` `x ``"
    assert _code("a|b", in_table=True) == "`a\\|b`" and _code("a|b") == "`a|b`"
    assert _code("a\nb") == "`a\\nb`"


def test_compare_markdown_of_hostile_names_renders_no_markup(write):
    base = write("base.yaml", HOSTILE.replace("AGENTS", "2"))
    head = write("head.yaml", HOSTILE.replace("AGENTS", "1").replace("For billing", "To pay"))
    out = run_cli("compare", "--format", "markdown", base, head).out
    outside_code = re.sub(r"(`+)(?:(?!\1).)*\1", "", out)  # what GitHub reads as Markdown and HTML
    assert "![" not in outside_code and "<img" not in outside_code
    assert outside_code.count("</details>") == outside_code.count("<details>") > 0  # only the blocks ivrlint opens
    assert not re.search(r"(?<![\w&])@[A-Za-z0-9]", outside_code) and not re.search(r"(?<!&)#\d", outside_code)
    assert "pool `@octocat</details>\\|x`" in out  # the name itself, as code
    cells = {(line.split(" ", 3)[2][0], line.count("|") - line.count("\\|")) for line in out.splitlines() if line.startswith("| pool")}
    assert cells == {("'", 2), ("`", 6)}  # a regression row has one cell, a measure row five: the name's | splits none
