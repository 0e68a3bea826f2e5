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
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import NamedTuple

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


@lru_cache(maxsize=65536)  # prompts repeat their words
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


class Token(NamedTuple):
    """One word of a prompt, where it is in the text, and what it looks like.

    `kind` is ``word``, ``digit`` (a single digit in any script, possibly
    with a Hungarian case ending: "1-es"), ``number`` (several digits, or
    digits joined by - / . : , as in "1-800-555", "9:30", "24/7") or
    ``symbol`` (a written * or #).

    A named tuple rather than a frozen dataclass: as immutable (tokens are
    shared through the cache), and made about 5 times faster, which counts
    at a million tokens for a 20,000-node menu.
    """

    text: str
    start: int
    end: int
    kind: str
    forms: tuple[str, ...]

    @property
    def digit(self) -> str | None:
        return str(unicodedata.digit(self.text[0])) if self.kind == "digit" else None


_NUMBER_JOINERS = "-/.:,"


def _word_ranges(first: int, last: int) -> str:
    """A regex class body of the letters, digits and combining marks
    (categories L, N, M) from code point `first` up to `last`."""
    ranges, start = [], None
    for code in range(first, last + 2):
        word = code <= last and unicodedata.category(chr(code))[0] in "LNM"
        if word and start is None:
            start = code
        elif not word and start is not None:
            ranges.append(f"\\U{start:08x}-\\U{code - 1:08x}")
            start = None
    return "".join(ranges)


@cache  # built on first use: 20-40 ms that `ivrlint --version` and commands that read no prompt need not pay
def _run_regex() -> re.Pattern[str]:
    """A word or a written * or #, in one regex instead of a loop per character.

    A word is a run of letters, digits and combining marks of Unicode planes
    0 and 1, where every living script is; beyond plane 1 (CJK extensions...),
    Unicode letters and digits ([^\\W_]) and the variation selectors count too.
    The Basic Multilingual Plane (plane 0) has a class of its own, which the
    regex engine tests with one table lookup per character; a class that also
    holds characters beyond it is searched range by range, 3 to 5 times slower
    on every prompt. Characters beyond it are tried only where one stands.
    """
    beyond = f"[{_word_ranges(0x10000, 0x1FFFF)}\\U000e0100-\\U000e01ef]|(?=[^\\W_])[\\U00020000-\\U0010ffff]"
    return re.compile(f"(?:[{_word_ranges(0, 0xFFFF)}]+|(?=[\\U00010000-\\U0010ffff])(?:{beyond}))+|[*#]")


def tokens(text: str) -> list[Token]:
    """The words of `text`, in any script, with their places.

    A word is a run of letters, digits and combining marks (so Arabic with
    tashkeel and decomposed Lithuanian stay whole words).
    """
    return list(_tokens(text))


def word_count(text: str) -> int:
    """How many words `text` has: ``len(tokens(text))``, without making the tokens."""
    return len(_run_regex().findall(text))


def runs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each token of `text`, without making tokens: for
    reading the many clauses of prompts, where only words and their forms count."""
    return [(m.start(), m.end(), m.group()) for m in _run_regex().finditer(text)]


def is_word(piece: str) -> bool:
    """Is the token with this text a word (kind ``word``), not a digit, number or symbol?"""
    return piece not in "*#" and not piece.isdecimal()  # isdecimal: every character is a digit (category Nd) of some script


def forms_of(piece: str) -> tuple[str, ...]:
    """The forms of the token with this text (``Token.forms``)."""
    if piece in "*#":
        return (piece,)
    return word_forms(piece) if not piece.isdecimal() else (normalise(piece),)


@lru_cache(maxsize=1024)  # rules read the same prompts many times
def _tokens(text: str) -> tuple[Token, ...]:
    spans = [m.span() for m in _run_regex().finditer(text)]
    out: list[Token] = []
    for index, (start, end) in enumerate(spans):
        piece = text[start:end]
        if piece in "*#":
            out.append(Token(piece, start, end, "symbol", (piece,)))
            continue
        if not piece.isdecimal():
            out.append(Token(piece, start, end, "word", word_forms(piece)))
            continue
        joined = _joined_to_digits(text, spans, index)
        kind = "digit" if len(piece) == 1 and not joined else "number"
        out.append(Token(piece, start, end, kind, (normalise(piece),)))
    return tuple(out)


def _joined_to_digits(text: str, runs: list[tuple[int, int]], index: int) -> bool:
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
        self._seen: dict[tuple[str, ...], bool] = {}  # prompts repeat their words: answer each once

    def __contains__(self, token) -> bool:
        forms = token.forms if isinstance(token, Token) else word_forms(token)
        found = self._seen.get(forms)  # matches() inlined for what is known: rules ask over a million times at 20,000 nodes
        return self.matches(forms) if found is None else found

    def matches(self, forms: tuple[str, ...]) -> bool:
        """Is a word with these normalised forms in the class?"""
        found = self._seen.get(forms)
        if found is None:
            if len(self._seen) >= SEEN_LIMIT:  # bounded memory on menus with huge vocabularies
                self._seen.clear()
            found = self._seen[forms] = any(self._regex.fullmatch(form) for form in forms)
        return found


#: How many distinct words each word class remembers its answer for.
SEEN_LIMIT = 50_000
