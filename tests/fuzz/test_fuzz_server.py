"""The language server in the fuzz net: lint_buffer on every kind of document, mutated.

An editor's buffer is whatever the person has typed so far, so the server
reads any text: a YAML menu or a platform file (with its line's other files
from disk) changed as the readers' fuzz tests change them. The property:
lint_buffer returns (it never raises), within the bounds of one input, and
what it returns is findings or problems with a place, never its catch-all
"ivrlint could not lint this file" (that is a crash it caught; the server
lives on, but the crash is a bug to fix at its root). That the server keeps
serving after such a document is tests/test_lsp.py's.
"""

from __future__ import annotations

import os

import pytest
from fuzzing import STATS, ReaderStats, assert_clean, fuzz_settings, run_bounded
from hypothesis import given
from hypothesis import strategies as st
from mutations import DIALPLAN_TOKENS, FLOW_TOKENS, FREESWITCH_TOKENS, mutated
from seeds import Scratch, platform_lines, yaml_menus
from test_fuzz_readers import MENU_WORDS

pytestmark = pytest.mark.fuzz

LINES = [(line, MENU_WORDS) for line in yaml_menus()] + [
    (line, words) for platform, words in (("freeswitch", FREESWITCH_TOKENS), ("asterisk", DIALPLAN_TOKENS),
                                          ("connect", FLOW_TOKENS), ("twilio", FLOW_TOKENS), ("genesys", FLOW_TOKENS))
    for line in platform_lines(platform)]
#: What lint_buffer says when something it did not expect was raised: a crash, caught.
CAUGHT = "ivrlint could not lint this file"


def lint_target(path: str, text: str):
    def target():
        from ivrlint.server.buffers import lint_buffer

        outcome = lint_buffer(path, text)
        problems = [f"{loc}: error: {message}" if loc else f"{path}: error: {message}" for loc, message in outcome.problems]
        return [len(outcome.findings), problems]
    return target


@st.composite
def buffers(draw):
    line, words = draw(st.sampled_from(LINES))
    name, text = draw(st.sampled_from(line.files))
    return line, name, draw(mutated(text, words))


@fuzz_settings
@given(buffers(), st.booleans())
def test_lint_buffer(given_input, saved):
    """`saved`: the file on disk holds the buffer too (as after a save), else the old text (unsaved edits)."""
    line, name, text = given_input
    files = line.texts() | ({name: text} if saved else {})
    with Scratch(files) as scratch:
        path = scratch.path(name)
        run = run_bounded(lint_target(path, text))
        if isinstance(run.value, list):
            found, problems = run.value
            run.status, run.err = (2 if problems else 1 if found else 0), "\n".join(problems)
            if any(CAUGHT in problem for problem in problems):
                run.crash = "lint_buffer caught a crash:\n" + run.err
        STATS.setdefault("server", ReaderStats()).add(run)
        assert_clean(run, f"{line.name}: lint_buffer({os.path.basename(path)!r}, mutated text), saved={saved}",
                     "server", scratch.dir)
