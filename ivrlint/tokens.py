"""How prompt text is cut into words and compared, in any script.

A word is a run of letters, digits and combining marks, so Arabic with
tashkeel and decomposed Lithuanian stay whole words. Words are compared
after normalisation: NFKC, case folding, Russian ё as е, and for Arabic
without diacritics (tashkeel), tatweel and hamza forms of alef, with the
definite article ال and the clitics و ف ب ل ك taken off as well. The word
lists themselves are in ``lexicon.py``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Optional

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # tashkeel, tatweel
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ё": "е"})
#: Arabic clitics written onto the next word: conjunctions, then prepositions,
#: then the article. "للتحدث" (to speak) is ل + ال + تحدث with the alef dropped.
_ARABIC_CONJUNCTIONS = ("و", "ف")
_ARABIC_PREPOSITIONS = ("ب", "ل", "ك")


def normalise(word: str) -> str:
    """A word as the lexicon compares it (see the module docstring)."""
    word = unicodedata.normalize("NFKC", word).casefold()
    return _ARABIC_MARKS.sub("", word).translate(_LETTERS)


def _is_arabic(word: str) -> bool:
    return bool(word) and "\u0600" <= word[0] <= "\u06ff"


def word_forms(word: str) -> tuple[str, ...]:
    """The normalised word, and for Arabic the word without its clitics."""
    word = normalise(word)
    if not _is_arabic(word):
        return (word,)
    forms = {word}
    for rest in list(forms):
        if rest[:1] in _ARABIC_CONJUNCTIONS and len(rest) > 3:
            forms.add(rest[1:])
    for rest in list(forms):
        if rest.startswith("لل") and len(rest) > 4:
            forms.add(rest[2:])
        elif rest[:1] in _ARABIC_PREPOSITIONS and len(rest) > 3:
            forms.add(rest[1:])
    for rest in list(forms):
        if rest.startswith("ال") and len(rest) > 3:
            forms.add(rest[2:])
    return tuple(sorted(forms, key=len, reverse=True))


# -- words of a prompt --------------------------------------------------------


@dataclass(frozen=True)
class Token:
    """One word of a prompt, where it is in the text, and what it looks like.

    `kind` is ``word``, ``digit`` (a single digit in any script, possibly
    with a Hungarian case ending: "1-es"), ``number`` (several digits, or
    digits joined by - / . : , as in "1-800-555", "9:30", "24/7") or
    ``symbol`` (a written * or #).
    """

    text: str
    start: int
    end: int
    kind: str
    forms: tuple[str, ...]

    @property
    def digit(self) -> Optional[str]:
        return str(unicodedata.digit(self.text[0])) if self.kind == "digit" else None


_NUMBER_JOINERS = "-/.:,"


def _word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNM"


def tokens(text: str) -> list[Token]:
    """The words of `text`, in any script, with their places.

    A word is a run of letters, digits and combining marks (so Arabic with
    tashkeel and decomposed Lithuanian stay whole words).
    """
    runs: list[list] = []  # [start, end]
    i, n = 0, len(text)
    while i < n:
        if _word_char(text[i]):
            j = i
            while j < n and _word_char(text[j]):
                j += 1
            runs.append([i, j])
            i = j
        elif text[i] in "*#":
            runs.append([i, i + 1])
            i += 1
        else:
            i += 1
    out: list[Token] = []
    for index, (start, end) in enumerate(runs):
        piece = text[start:end]
        if piece in "*#":
            out.append(Token(piece, start, end, "symbol", (piece,)))
            continue
        if not all(unicodedata.category(c) == "Nd" for c in piece):
            out.append(Token(piece, start, end, "word", word_forms(piece)))
            continue
        joined = _joined_to_digits(text, runs, index)
        kind = "digit" if len(piece) == 1 and not joined else "number"
        out.append(Token(piece, start, end, kind, (normalise(piece),)))
    return out


def _joined_to_digits(text: str, runs: list[list], index: int) -> bool:
    """Is the run of digits at `index` part of a longer number ("1-800", "9:30")?"""
    start, end = runs[index]
    if index and runs[index - 1][1] == start - 1 and text[start - 1] in _NUMBER_JOINERS:
        if text[runs[index - 1][0]:runs[index - 1][1]].isdigit():
            return True
    if index + 1 < len(runs) and runs[index + 1][0] == end + 1 and text[end] in _NUMBER_JOINERS:
        if text[runs[index + 1][0]:runs[index + 1][1]].isdigit():
            return True
    return False


# -- word classes -------------------------------------------------------------


class Words:
    """A class of words given by patterns; ``token in words`` tests membership."""

    def __init__(self, patterns: Iterable[str]):
        parts = []
        for pattern in sorted(set(patterns)):
            head, tail = pattern.startswith("*"), pattern.endswith("*") and len(pattern) > 1
            core = normalise(pattern.strip("*"))
            parts.append(("(?s:.*)" if head else "") + re.escape(core) + ("(?s:.*)" if tail else ""))
        self._regex = re.compile("|".join(parts) or "(?!)")

    def __contains__(self, token) -> bool:
        forms = token.forms if isinstance(token, Token) else word_forms(token)
        return any(self._regex.fullmatch(form) for form in forms)
