"""What a prompt says and how long it takes to say it, in any language.

Prompts are read by people, not parsed by grammar, so this module keeps to
what holds across scripts: words are runs of letters or digits (Unicode
aware: Lithuanian, Latvian, Russian, Arabic, Hungarian...), sentences end at
., !, ?, ; or their equivalents in other scripts, and a key is mentioned as
a digit in any script or by the spoken name of * and # (the words of each
language are in ``lexicon.py``).
"""

from __future__ import annotations

import re

from ivrlint.language import lexicon
from ivrlint.language.tokens import tokens, word_count
from ivrlint.menu.model import DEFAULT_SPEECH_RATE, Node

#: Pause after each sentence or option, in seconds. ACIxD recommends 500-750 ms
#: between options (docs/sources.md#acixd); we take the middle.
SENTENCE_PAUSE = 0.6

_SENTENCE_END = re.compile(r"[.!?;:。！？؟۔]+(?=\s|$)|\n\s*\n")


def words(text: str) -> list[str]:
    """The words of `text`, in any script; a written * or # counts, as it is spoken."""
    return [token.text for token in tokens(text)]


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
    return word_count(text) * 60.0 / words_per_minute + len(sentences(text)) * SENTENCE_PAUSE


def prompt_text(node: Node, language: str | None = None) -> str:
    """The node's prompt in `language`, else in the first language it has."""
    if not node.prompt:
        return ""
    if language in node.prompt:
        return node.prompt[language]
    return next(iter(node.prompt.values()))


def prompt_seconds(node: Node, language: str | None = None, words_per_minute: float = DEFAULT_SPEECH_RATE) -> float:
    """How long the node's prompt plays: its measured `prompt_seconds`, else the estimate."""
    if node.prompt_seconds is not None:
        return node.prompt_seconds
    return speaking_seconds(prompt_text(node, language), words_per_minute)


def key_mentions(text: str) -> list[tuple[str, int, int]]:
    """(key, start, end) for every key the text mentions, in order.

    A key is a lone digit in any script (1, ١, ۱...), a written or spoken *
    or # (lexicon.KEY_NAMES), or a number word right after a press verb
    ("press one", "нажмите единицу"). Digits inside longer numbers (phone
    numbers, "24 hours", "9:30") do not count. ``wording.read_prompt`` tells
    the keys a prompt asks for from those it only mentions.
    """
    out = []
    found = tokens(text)
    for index, token in enumerate(found):
        key = lexicon.spoken_key(token)
        if key is None and token.kind == "word" and lexicon.press_verb_before(found, index) is not None:
            key = lexicon.number_word_key(found, index, None)
        if key is not None:
            out.append((key, token.start, token.end))
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
