"""What a prompt says and how long it takes to say it, in any language.

Prompts are read by people, not parsed by grammar, so this module keeps to
what holds across scripts: words are runs of letters or digits (Unicode
aware: Lithuanian, Latvian, Russian, Arabic, Hungarian...), sentences end at
., !, ?, ; or their equivalents in other scripts, and a key is mentioned as
a digit in any script or by the spoken name of * and #.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

from .model import DEFAULT_SPEECH_RATE, Node

#: Pause after each sentence or option, in seconds. ACIxD recommends 500-750 ms
#: between options (RESEARCH.md); we take the middle.
SENTENCE_PAUSE = 0.6

_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?;:。！？؟۔]+(?=\s|$)|\n\s*\n")

#: Spoken names of * and # (lower case prefixes, so that inflected forms
#: match: Lithuanian žvaigždutę, Russian звёздочку...). English, Lithuanian,
#: Latvian, Russian, Arabic, Hungarian, German, French, Spanish, Polish.
KEY_NAMES: dict[str, tuple[str, ...]] = {
    "*": ("star", "asterisk", "žvaigždut", "zvaigznīt", "zvaigzn", "звёздочк", "звездочк", "звезд", "نجم",
          "csillag", "stern", "étoile", "etoile", "asterisco", "gwiazdk"),
    "#": ("pound", "hash", "octothorpe", "grotel", "restīt", "režģ", "решётк", "решетк", "диез", "مربع",
          "hashmark", "kettőskereszt", "raute", "dièse", "diese", "almohadilla", "numeral", "krzyżyk"),
}
#: English number words, for prompts that say "press one".
NUMBER_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4",
                "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}


def words(text: str) -> list[str]:
    """The words of `text`, in any script."""
    return _WORD.findall(text)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of `text`."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if text[start:match.end()].strip():
            spans.append((start, match.end()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def speaking_seconds(text: str, words_per_minute: float = DEFAULT_SPEECH_RATE) -> float:
    """Seconds a recording of `text` lasts: words at the speech rate, plus a pause per sentence."""
    if not text.strip():
        return 0.0
    return len(words(text)) * 60.0 / words_per_minute + len(sentences(text)) * SENTENCE_PAUSE


def prompt_text(node: Node, language: Optional[str] = None) -> str:
    """The node's prompt in `language`, else in the first language it has."""
    if not node.prompt:
        return ""
    if language in node.prompt:
        return node.prompt[language]
    return next(iter(node.prompt.values()))


def prompt_seconds(node: Node, language: Optional[str] = None, words_per_minute: float = DEFAULT_SPEECH_RATE) -> float:
    """How long the node's prompt plays: its measured `prompt_seconds`, else the estimate."""
    if node.prompt_seconds is not None:
        return node.prompt_seconds
    return speaking_seconds(prompt_text(node, language), words_per_minute)


def _digit(token: str) -> Optional[str]:
    """The key a token names if it is a single digit in any script."""
    if len(token) == 1:
        value = unicodedata.digit(token, None)
        if value is not None:
            return str(value)
    return None


def key_mentions(text: str) -> list[tuple[str, int, int]]:
    """(key, start, end) for every key the text mentions, in order.

    A key is a lone digit in any script (1, ١, ۱...), the spoken name of * or
    #, or an English number word right after "press"/"dial"/"say"/"enter".
    Digits inside longer numbers (phone numbers, "24 hours") do not count.
    """
    out = []
    previous = ""
    for match in _WORD.finditer(text):
        token = match.group()
        low = token.lower()
        key = _digit(token)
        if key is None:
            for symbol, names in KEY_NAMES.items():
                if any(low.startswith(name) for name in names):
                    key = symbol
                    break
        if key is None and low in NUMBER_WORDS and previous in ("press", "dial", "enter", "push", "key"):
            key = NUMBER_WORDS[low]
        if key is not None:
            out.append((key, match.start(), match.end()))
        previous = low
    return out


def announced_at(text: str) -> dict[str, float]:
    """For each key the prompt announces: the share of the prompt played when
    its option has been fully said (the end of the sentence that names it).

    A caller who knows what they want can press then, without waiting for
    the rest of the prompt. Keys mentioned twice count at their first mention.
    """
    total = len(text)
    if not total:
        return {}
    spans = sentences(text)
    out: dict[str, float] = {}
    for key, start, _ in key_mentions(text):
        if key in out:
            continue
        end = next((e for s, e in spans if s <= start < e), total)
        out[key] = end / total
    return out
