"""What a menu prompt offers: which keys it announces and what each one is for.

A prompt *announces* a key when it asks the caller to press it: the key
stands next to a press verb, with at most a few filler words between
("press 1", "press the star key", "spauskite 0", "нажмите на клавишу 1",
"اضغط على الرقم ١", "nyomja meg az 1-es gombot", "az 1-es gombot nyomja
meg"), or it continues a list after an announced key in the same sentence
("press 1 for billing, 2 for support, or 0 for an agent"). A digit said in
passing ("open 9 to 5", "24 hours", "the 1st of May", "1-800-555-0199")
announces nothing.

Each announcement gets the words that say what its option is for, taken
from its sentence: the words before it when the prompt puts the action
first ("For billing, press 1"), after it when it puts the key first
("Press 1 for billing"), never both. In a sentence with several keys, the
words between two keys are split at the last comma or "or"/"and" when the
second key has its own press verb.

For prompts in a language the lexicon does not know, a word that stands
right before the menu's own keys in two or more sentences is taken as that
language's press verb (Finnish "paina 1 ... paina 2").
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from ivrlint.language import lexicon
from ivrlint.language.prompts import sentences
from ivrlint.language.tokens import Token, Words, forms_of, is_word, runs, tokens

_CLAUSE_MARKS = ",;،؛—–"
#: How many prompt readings are kept for prompts read again (a few kB each):
#: every prompt of a 16,000-node menu, so a re-lint reads only what changed.
READINGS_KEPT = 8192


@dataclass
class Announcement:
    """One key a prompt asks the caller to press."""

    key: str
    start: int  # where the press phrase ("press 1", "1-es gombot nyomja") starts in the text
    end: int
    sentence: int  # index of its sentence in the prompt
    verb_first: bool  # the press verb comes before the key ("press 1")
    continued: bool = False  # later in a list of keys: the "2" of "press 1, 2 or 3"
    while_entering: bool = False  # its sentence asks for digits: "enter ... then press #"
    before: str = ""  # words of its option said before the press phrase
    after: str = ""  # and after it
    # what description and key_first found, with the before and after they were found for:
    # rules ask for them again and again, and each asking would read both clauses anew
    _said: tuple[str, str, str, bool] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def description(self) -> str:
        """What the prompt says this option is for, as written: the clause
        next to the key ("Thank you for calling, to speak with an operator,
        press 0" -> "to speak with an operator"; "Press 1 for billing, or
        hold for an agent" -> "for billing")."""
        return self._read()[2]

    @property
    def key_first(self) -> bool:
        """Does the prompt say the key before what it is for ("Press 1 for billing")?"""
        return self._read()[3]

    def _read(self) -> tuple[str, str, str, bool]:
        said = self._said
        if said is None or said[0] is not self.before or said[1] is not self.after:  # read again once either changed
            before = _trimmed(_last_clause(self.before))
            after = _trimmed(_first_clause(self.after))
            description = " ".join(part for part in (before, after) if part)
            key_first = not has_content(self.before) and has_content(self.after)
            said = self._said = (self.before, self.after, description, key_first)
        return said


@dataclass
class PromptReading:
    """A prompt read for its keys."""

    text: str
    announcements: list[Announcement] = field(default_factory=list)
    mentioned: set[str] = field(default_factory=set)  # keys said anywhere, even in passing

    def announced(self, key: str) -> list[Announcement]:
        return [a for a in self.announcements if a.key == key]


def is_content(token: Token) -> bool:
    """A word that says something about an option (not "press", "the", "or", a key)."""
    return token.kind == "word" and _is_content_word(token.forms)


@lru_cache(maxsize=65536)  # prompts repeat their words: each is looked up once
def _is_content_word(forms: tuple[str, ...]) -> bool:
    """is_content of a word with these forms: no filler, conjunction, press verb or spoken key."""
    return not (
        lexicon.KEY_FILLERS.matches(forms)
        or lexicon.CONJUNCTIONS.matches(forms)
        or lexicon.PRESS_VERBS.matches(forms)
        or any(names.matches(forms) for names in lexicon.SPOKEN_KEYS.values())
    )


def has_content(text: str) -> bool:
    return any(is_word(piece) and _is_content_word(forms_of(piece)) for _, _, piece in runs(text))


def _content_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words of `text` that are content (is_content), in order."""
    return [(start, end) for start, end, piece in runs(text) if is_word(piece) and _is_content_word(forms_of(piece))]


def _last_clause(text: str) -> str:
    text = text.rstrip(" " + _CLAUSE_MARKS)
    return text[max(text.rfind(mark) for mark in _CLAUSE_MARKS) + 1:]


def _first_clause(text: str) -> str:
    """`text` up to its first clause mark (after its first word), or to an
    "or hold"/"or stay on the line" that starts the no-input path."""
    text = text.lstrip(" " + _CLAUSE_MARKS)
    cut = min((i for i in (text.find(mark) for mark in _CLAUSE_MARKS) if i >= 0), default=len(text))
    for (start, _, conjunction), (_, _, after) in pairwise(runs(text)):
        if lexicon.CONJUNCTIONS.matches(forms_of(conjunction)) and lexicon.HOLD_WORDS.matches(forms_of(after)):
            cut = min(cut, start)
    return text[:cut]


def _trimmed(text: str) -> str:
    """`text` from its first to its last content word ("for support, or" -> "for support")."""
    content = _content_spans(text)
    return text[content[0][0]:content[-1][1]] if content else ""


def read_prompt(text: str, language: str | None = None, keys: Iterable[str] = ()) -> PromptReading:
    """Read `text` (a prompt in `language`) for the keys it announces.

    `keys` are the menu's own keys; they teach the press verb of a language
    the lexicon does not know (see the module docstring).

    >>> [(a.key, a.description) for a in read_prompt("For billing, press 1. Press 0 for an agent.").announcements]
    [('1', 'For billing'), ('0', 'for an agent')]

    A reading is shared by every caller of the same prompt (menus repeat
    phrases, and the language server reads the unchanged prompts of a menu
    again on every edit): it is read, never changed.
    """
    known = lexicon.known_language(language)
    return _read_prompt(text, language, None if known else frozenset(keys))  # the keys count only where the language is not known


@lru_cache(maxsize=READINGS_KEPT)
def _read_prompt(text: str, language: str | None, keys: frozenset[str] | None) -> PromptReading:
    words = tokens(text)
    spans = sentences(text)
    sentence_of = _sentence_of(words, spans)
    bounds = _word_bounds(sentence_of)
    learned = None if keys is None else _learned_press_verbs(words, sentence_of, set(keys))
    reading = PromptReading(text)
    reading.mentioned = {k for k in (lexicon.spoken_key(w) for w in words) if k is not None}
    for index in range(len(words)):
        found = _announcement(text, words, index, sentence_of, bounds, reading.announcements, language, learned)
        if found is not None:
            reading.announcements.append(found)
            reading.mentioned.add(found.key)
    by_sentence: dict[int, list[Announcement]] = {}  # grouped once: a prompt of 10,000 sentences is not read 10,000 times
    for announcement in reading.announcements:
        by_sentence.setdefault(announcement.sentence, []).append(announcement)
    for number, (start, end) in enumerate(spans):
        in_sentence = by_sentence.get(number, [])
        if in_sentence:
            _describe(text, start, end, in_sentence)
            first, last = bounds[number]
            entering = [w for w, s in zip(words[first:last + 1], sentence_of[first:last + 1], strict=True)
                        if s == number and w in lexicon.ENTRY_VERBS]
            for announcement in in_sentence:
                announcement.while_entering = any(w.start < announcement.start for w in entering)
    return reading


def _sentence_of(words: list[Token], spans: list[tuple[int, int]]) -> list[int]:
    """For each word, the index of the sentence it starts in (len(spans) for none); spans are in order and disjoint."""
    starts = [start for start, _ in spans]
    out = []
    for word in words:
        i = bisect_right(starts, word.start) - 1
        out.append(i if i >= 0 and word.start < spans[i][1] else len(spans))
    return out


def _word_bounds(sentence_of: list[int]) -> dict[int, tuple[int, int]]:
    """For each sentence, the indexes of its first and last word."""
    bounds: dict[int, tuple[int, int]] = {}
    for index, sentence in enumerate(sentence_of):
        bounds[sentence] = (bounds[sentence][0] if sentence in bounds else index, index)
    return bounds


def _announcement(text, words, index, sentence_of, bounds, earlier, language, learned) -> Announcement | None:
    word, sentence = words[index], sentence_of[index]
    key = lexicon.spoken_key(word)
    number = lexicon.number_word_key(words, index, language) if key is None else key
    if number is None:
        return None
    first, last = bounds[sentence]
    verb = lexicon.press_verb_before(words, index, first, learned)
    if verb is not None:
        return Announcement(number, words[verb].start, word.end, sentence, verb_first=True)
    if key is not None:
        verb = lexicon.press_verb_after(words, index, last, learned)
        if verb is not None:
            return Announcement(key, word.start, words[verb].end, sentence, verb_first=False)
    if any(a.sentence == sentence for a in earlier) and _starts_list_item(text, words, index, first):
        return Announcement(number, word.start, word.end, sentence, verb_first=False, continued=True)
    return None


def _starts_list_item(text: str, words: list[Token], index: int, first: int) -> bool:
    """Does the key at `index` follow a comma or an "or"/"and" ("1, 2 or 3")?"""
    j = index - 1
    while j >= first and words[j].kind == "word" and words[j] in lexicon.KEY_FILLERS:
        j -= 1
    if j < first:
        return False
    if words[j].kind == "word" and words[j] in lexicon.CONJUNCTIONS:
        return True
    return any(mark in text[words[j].end:words[index].start] for mark in _CLAUSE_MARKS)


def _describe(text: str, start: int, end: int, announced: list[Announcement]) -> None:
    """Give each announcement of one sentence the words of its option.

    An option's words stand on one side of its key: before it when the
    prompt says the action first, after it when it says the key first. So
    words after a key whose action came before it belong to no key ("For
    billing, press 1, or stay on the line for an agent": the agent is not 1).
    """
    announced.sort(key=lambda a: a.start)
    announced[0].before = text[start:announced[0].start]
    for left, right in pairwise(announced):
        gap = text[left.end:right.start]
        left_key_first = not has_content(left.before)
        if right.verb_first:
            cut = _last_clause_break(gap)
            if cut is None:
                cut = len(gap) if left_key_first else 0
            head, right.before = gap[:cut], gap[cut:]
        else:
            head, right.before = (gap, "") if left_key_first else ("", gap)
        left.after = head if left_key_first else ""
    last = announced[-1]
    last.after = text[last.end:end] if not has_content(last.before) else ""


def _last_clause_break(gap: str) -> int | None:
    """Where the last clause of `gap` begins: after its last comma, or at its last "or"/"and"."""
    cut = max((gap.rfind(mark) + 1 for mark in _CLAUSE_MARKS), default=0) or None
    for start, _, word in runs(gap):
        if lexicon.CONJUNCTIONS.matches(forms_of(word)) and (cut is None or start >= cut):
            cut = start
    return cut


def _learned_press_verbs(words: list[Token], sentence_of: list[int], keys: set[str]) -> Words | None:
    """Words that come right before the menu's own keys in two or more sentences."""
    seen: dict[str, set[int]] = {}
    for index, word in enumerate(words):
        if index and word.kind == "digit" and word.digit in keys and words[index - 1].kind == "word":
            before = words[index - 1]
            if sentence_of[index - 1] == sentence_of[index] and is_content(before):
                seen.setdefault(before.forms[0], set()).add(sentence_of[index])
    verbs = [w for w, where in seen.items() if len(where) >= 2]
    return Words(verbs) if verbs else None


@lru_cache(maxsize=65536)  # rules ask of the same labels and option descriptions, and again on every re-lint
def offers_person(text: str) -> bool:
    """Does `text` offer a person? A person noun ("operator", "konsultantu",
    "ممثلي") does on its own; "someone", "a person", "a team" only with a
    word of talking ("to talk to someone"). Words that make the caller the
    person ("if you are an agent", "jei esate atstovas") cancel the offer."""
    words = [forms_of(piece) for _, _, piece in runs(text) if is_word(piece)]  # the forms of each word
    pairs = {(a[0], b[0]) for a, b in pairwise(words)}
    if any(lexicon.CALLER_IS.matches(w) for w in words) or pairs & set(lexicon.CALLER_IS_ENGLISH):
        return False
    if any(lexicon.PERSON_NOUNS.matches(w) for w in words):
        return True
    return any(lexicon.PERSON_WORDS_WITH_TALK.matches(w) for w in words) and any(lexicon.TALK_WORDS.matches(w) for w in words)


def mentions_callback(text: str) -> bool:
    """Does `text` speak of leaving a message or being called back?"""
    return any(w in lexicon.CALLBACK_WORDS for w in tokens(text))


def languages_named(text: str) -> set[str]:
    """Tags of the languages `text` names ("For English", "lietuviškai")."""
    return {tag for tag in (lexicon.language_named(w) for w in tokens(text) if w.kind == "word") if tag}
