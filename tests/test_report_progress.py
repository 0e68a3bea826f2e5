"""The progress bar: on a terminal only, never in logs or pipes, off with --quiet."""

from __future__ import annotations

import io

from ivrlint.common.progress import ProgressBar, progress_bar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_and_no_output_when_stderr_is_not_a_terminal():
    stream = io.StringIO()
    assert progress_bar(stream=stream) is None
    assert stream.getvalue() == ""


def test_quiet_turns_the_bar_off_on_a_terminal_too():
    assert progress_bar(quiet=True, stream=Terminal()) is None


def test_a_terminal_gets_one_redrawn_line_ending_with_a_newline(monkeypatch):
    monkeypatch.delenv("TERM", raising=False)
    stream = Terminal()
    ticks = iter([10.0, 40.0])
    bar = progress_bar(stream=stream)
    assert isinstance(bar, ProgressBar)
    bar.clock, bar.started = lambda: next(ticks), 0.0
    bar(1, 4)
    bar(4, 4)
    bar(4, 4)  # a late call after the end draws nothing more
    out = stream.getvalue()
    assert out.count("\n") == 1 and out.endswith("\n")
    first, last = out.split("\r")[1:]
    assert first.startswith("simulating [#######.....................] 1/4 replications, 0:30 left")
    assert last.startswith("simulating [############################] 4/4 replications in 0:40")


def test_a_dumb_terminal_gets_no_bar(monkeypatch):
    monkeypatch.setenv("TERM", "dumb")
    assert progress_bar(stream=Terminal()) is None
