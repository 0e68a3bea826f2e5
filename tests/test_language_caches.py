"""The language layer's shortcuts answer as the long way does.

Words are cut by one regex whose Basic Multilingual Plane part is a class
of its own (tokens.py); prompt readings are kept and shared (wording.py);
an announcement remembers its description for the clauses it was read
from. Each must give what the plain definition gives.
"""

from __future__ import annotations

import gc
import unicodedata

import pytest

from ivrlint.common.gcpause import gc_paused
from ivrlint.language.tokens import tokens, word_count
from ivrlint.language.wording import read_prompt


def _is_word_char(char: str) -> bool:
    """The definition: letters, digits and marks of planes 0 and 1; beyond, letters and digits and the variation selectors."""
    code = ord(char)
    if code < 0x20000:
        return unicodedata.category(char)[0] in "LNM"
    return 0xE0100 <= code <= 0xE01EF or char.isalnum()


def _runs(text: str) -> list[str]:
    """Words and written * or # of `text`, one character at a time."""
    out, word = [], ""
    for char in text:
        if _is_word_char(char):
            word += char
            continue
        if word:
            out.append(word)
            word = ""
        if char in "*#":
            out.append(char)
    return out + ([word] if word else [])


@pytest.mark.parametrize("text", [
    "For billing, press 1. For an agent, press 0.",
    "Spauskite 1 sąskaitoms, 0 konsultantui; нажмите * чтобы вернуться",
    "اضغط ١ للتحدث مع موظف",
    "Press 1 for 𝐁𝐢𝐥𝐥𝐢𝐧𝐠 (mathematical bold, plane 1) or 2 for 𠀀𠀁 (plane 2)",
    "e\u0301te\u0301 😀 is not a word 🙂, but 葛\U000e0100 keeps its variation selector",
    "1-800-555-0199, 24/7, a_b and ①²",
])
def test_words_are_cut_as_the_definition_says(text):
    assert [t.text for t in tokens(text)] == _runs(text)
    assert word_count(text) == len(tokens(text))


def test_an_emoji_or_a_symbol_is_no_word():
    assert [t.text for t in tokens("😀 ☎ press 1")] == ["press", "1"]


def test_a_description_is_read_again_when_its_clauses_change():
    said = read_prompt("For billing, press 1.").announcements[0]
    assert said.description == "For billing"
    assert said.key_first is False
    said.before, said.after = "", " for support, or hold"
    assert said.description == "for support"
    assert said.key_first is True


def test_the_same_prompt_is_read_once_and_shared():
    assert read_prompt("For billing, press 1.", "en", {"1"}) is read_prompt("For billing, press 1.", "en", {"1", "2"})


def test_for_a_language_the_lexicon_does_not_know_the_keys_are_part_of_the_reading():
    text = "Laskutus, paina 1. Tuki, paina 2."
    assert [a.key for a in read_prompt(text, "fi", {"1", "2"}).announcements] == ["1", "2"]  # "paina" learned from the keys
    assert read_prompt(text, "fi", ()).announcements == []


def test_collection_is_paused_inside_and_back_after_even_on_an_error():
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block leaves it as the outer one set it
        raise ValueError
    assert gc.isenabled()


def test_collection_stays_off_when_it_was_off():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
