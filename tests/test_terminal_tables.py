"""Terminal tables line up by display width: a CJK name takes 2 columns a
character, a combining mark none, so padding by len() pushes its row out of line.

The helper (ivrlint.common.table) is tested on its own, then through the
commands that print tables, measuring where each cell starts and ends on the
screen with wcwidth.
"""

from __future__ import annotations

import re

import pytest
from conftest import run_cli
from wcwidth import wcswidth

from ivrlint.common.table import column_widths, display_width, format_rows, pad

CJK = "請求書の支払い"  # 7 characters, 14 columns
COMBINING = "re\u0301sume\u0301"  # résumé with combining acutes: 8 code points, 6 columns


# -- the helper ------------------------------------------------------------------

@pytest.mark.parametrize("text, width", [
    ("", 0),
    ("balance", 7),
    ("hung up", 7),
    (CJK, 14),
    ("窓口", 4),
    ("e\u0301", 1),
    (COMBINING, 6),
    ("\U0001F44D", 2),  # thumbs up
    ("\u2615 break", 8),  # hot beverage, a wide emoji, then ASCII
    ("مرحبا", 5),  # Arabic letters, one column each
    ("مَرْحَبًا", 5),  # ...and their vowel marks, which combine
])
def test_display_width(text, width):
    assert display_width(text) == width


def test_display_width_counts_an_unprintable_character_as_nothing():
    # wcswidth gives -1 for the whole string; the rest of it still counts
    assert wcswidth("a\x1bb") == -1
    assert display_width("a\x1bb") == 2
    assert display_width("請\x07求") == 4


def test_pad_fills_to_display_width():
    assert pad(CJK, 16) == CJK + "  "
    assert pad(CJK, 16, ">") == "  " + CJK
    assert pad("e\u0301", 3) == "e\u0301  "
    assert pad("\U0001F44D", 3, ">") == " \U0001F44D"
    assert display_width(pad(COMBINING, 10)) == 10


def test_pad_leaves_text_as_wide_or_wider_alone():
    assert pad(CJK, 14) == CJK
    assert pad(CJK, 3, ">") == CJK


@pytest.mark.parametrize("text", ["", "x", "calls", "76.7 ±1.2", "self-served"])
@pytest.mark.parametrize("width", [0, 3, 5, 12])
def test_pad_is_ljust_and_rjust_on_ascii(text, width):
    assert pad(text, width) == text.ljust(width) == f"{text:<{width}}"
    assert pad(text, width, ">") == text.rjust(width) == f"{text:>{width}}"


def test_pad_rejects_an_unknown_alignment():
    with pytest.raises(ValueError):
        pad("x", 3, "^")


def test_column_widths_of_ragged_rows():
    assert column_widths([["intent", "calls"], [CJK, "3", "FLAG"], ["e\u0301"]]) == [14, 5, 4]
    assert column_widths([]) == []


def test_format_rows_aligns_wide_and_combining_names():
    rows = [["intent", "calls", "wait s"], [CJK, "3", "1.2"], [COMBINING, "12", "10.5"], ["balance", "120", "0.4"]]
    lines = format_rows(rows, "<>>")
    assert lines[1] == CJK + "      3     1.2"
    assert {display_width(line) for line in lines} == {len("intent") + 8 + 2 + 5 + 2 + 6}
    assert_aligned(lines)


def test_format_rows_on_ascii_is_ljust_rjust_joined_and_stripped():
    rows = [["queue", "load", "agents"], ["general", "8.09", "12", "OVERLOADED"], ["cards", "1.80", "5"]]
    assert format_rows(rows, "<>>") == [
        "queue    load  agents",
        "general  8.09      12  OVERLOADED",
        "cards    1.80       5",
    ]
    assert format_rows([["a", "bb"], ["ccc", ""]]) == ["a    bb", "ccc"]
    assert format_rows([["x", "y"]], sep=" | ") == ["x | y"]
    assert format_rows([]) == []


# -- through the commands ----------------------------------------------------------

def cells(line: str) -> list[tuple[int, int, str]]:
    """(first column, column after the end, text) on screen of each cell of `line`;
    cells are parted by two spaces or more, and hold no more than one in a row."""
    found = []
    for m in re.finditer(r"\S+(?: \S+)*", line):
        start = wcswidth(line[:m.start()])
        found.append((start, start + wcswidth(m.group()), m.group()))
    return found


def assert_aligned(lines: list[str]) -> None:
    """Each column of `lines` is left-aligned (its cells start on one screen
    column) or right-aligned (they end on one)."""
    rows = [cells(line) for line in lines]
    assert len({len(r) for r in rows}) == 1, "\n".join(lines)
    for i in range(len(rows[0])):
        starts, ends = {r[i][0] for r in rows}, {r[i][1] for r in rows}
        assert len(starts) == 1 or len(ends) == 1, f"column {i} out of line:\n" + "\n".join(lines)


def table(out: str, title: str) -> list[str]:
    """The lines of the text table whose header starts with `title`, to the blank line after it."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title + " "))
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start:end]


def wide_menu(agents: int = 6) -> str:
    return f"""\
        ivr: wide
        start: main
        nodes:
          main:
            type: menu
            prompt: To pay a bill, press 1. To speak with someone, press 0.
            options: {{1: pay, 0: agent}}
            on_failure: agent
          pay: {{type: self_service, duration: 30, success: 0.8, next: bye, on_failure: agent}}
          agent: {{type: queue, queue: 窓口}}
          bye: {{type: hangup, prompt: Goodbye.}}
        queues:
          窓口: {{agents: {agents}, handle_time: 180}}
          general: {{agents: 2, handle_time: 60}}
        traffic:
          calls_per_hour: 60
          patience: 2m
          intents:
            {CJK}: {{share: 0.4, goal: pay}}
            talk_to_agent: {{share: 0.3, goal: agent}}
            "{COMBINING}": {{share: 0.3, goal: agent}}
        """


def without_flags(lines: list[str]) -> list[str]:
    """The lines without the flags some rows carry after their figures (OVERLOADED, approximate)."""
    return [re.sub(r"(  (OVERLOADED|approximate))+$", "", line) for line in lines]


def assert_intent_and_queue_tables_aligned(out: str) -> None:
    intents = without_flags(table(out, "intent"))
    assert [cells(line)[0][2] for line in intents] == ["intent", CJK, "talk_to_agent", COMBINING]
    assert_aligned(intents)
    queues = without_flags(table(out, "queue"))
    assert any(line.startswith("窓口 ") for line in queues)
    assert_aligned(queues)


def test_analyze_tables_align_wide_names(write):
    result = run_cli("analyze", write("wide.yaml", wide_menu()))
    assert result.code == 0, result.err
    assert_intent_and_queue_tables_aligned(result.out)


def test_simulate_tables_align_wide_names(write):
    result = run_cli("simulate", write("wide.yaml", wide_menu()), "--replications", "2", "--hours", "1",
                     "--jobs", "1", "--quiet")
    assert result.code == 0, result.err
    assert_intent_and_queue_tables_aligned(result.out)


def test_compare_measures_align_wide_names(write):
    result = run_cli("compare", write("base.yaml", wide_menu(6)), write("head.yaml", wide_menu(4)), "--no-config")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Analysed measures")) + 1
    rows = [line for line in lines[start:] if line.startswith(("  Per ", "  Overall"))]  # not the note under them
    rows = without_flags(rows[:next((i for i, line in enumerate(rows) if not line.strip()), len(rows))])
    names = {cells(line)[0][2] for line in rows}
    assert {f"Per intent {CJK}", "Per intent talk_to_agent", f"Per intent {COMBINING}", "Per pool 窓口"} <= names
    assert_aligned(rows)


def test_sweep_table_aligns_a_wide_varied_path(write, tmp_path):
    result = run_cli("sweep", write("wide.yaml", wide_menu()), "--vary", "queues.窓口.agents=5,6", "--hours", "0.5",
                     "--replications", "2", "--jobs", "1", "--no-plots", "--quiet", "--out", tmp_path / "sweep")
    assert result.code == 0, result.err
    lines = table(result.out, "queues.窓口.agents")
    assert len(lines) == 3
    assert_aligned(lines)
