"""Scalars written so that the menu loader reads back exactly what was meant.

The loader types values by what the format expects (no YAML implicit
typing), so a node id or a label may be written bare whenever YAML's syntax
allows it. Everything else is double-quoted with escapes, which carries any
text in any script unchanged. Long prompts are folded block scalars (``>-``)
and prompts with line breaks literal ones (``|``), when their text survives
that style exactly.
"""

from __future__ import annotations

import re
import textwrap
from decimal import Decimal

#: Characters a bare (plain) scalar may hold: word characters of any script,
#: and punctuation that means nothing to YAML inside a flow mapping.
_PLAIN = re.compile(r"[\w$/][\w$./+()@~=%!'-]*(?: [\w$./+()@~=%!'-]+)*")
#: Words a reader (or another YAML tool) takes for null or a boolean.
_RESERVED = {"~", "null", "true", "false", "yes", "no", "on", "off", "y", "n"}
#: What YAML readers refuse unescaped, or read as a line break.
_UNSAFE = re.compile("[^\x09\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}
#: Prompts longer than this are written as folded blocks.
FOLD_AT = 60
#: Line width a folded prompt is wrapped to (not counting its indentation).
WIDTH = 80


def quoted(text: str) -> str:
    """`text` as a double-quoted YAML scalar."""
    def escape(char: str) -> str:
        if char in _ESCAPES:
            return _ESCAPES[char]
        code = ord(char)
        if code < 0x20 or _UNSAFE.match(char):
            return f"\\x{code:02x}" if code < 0x100 else (f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        return char

    return '"' + "".join(escape(c) for c in text) + '"'


def scalar(text: str) -> str:
    """`text` bare when YAML reads it back as the same text, else quoted."""
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED and not _UNSAFE.search(text):
        return text
    return quoted(text)


def number(value: float) -> str:
    """A number as the loader reads it: whole numbers bare, no exponent."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def hours(span: tuple[float, float]) -> str:
    """Opening hours (from, until) as "HH:MM-HH:MM"."""
    def clock(hour: float) -> str:
        minutes = round(hour * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    return quoted(f"{clock(span[0])}-{clock(span[1])}")


def text_block(text: str, indent: int) -> str:
    """A prompt: a folded or literal block (starting with a newline) when
    that style keeps the text exact and it is long, else one scalar."""
    pad = " " * indent
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    after = "\n" * max(trailing - 1, 0)  # kept lines beyond the one the writer ends the block with
    if "\n" in body and _literal_ok(body):
        lines = [pad + line if line else "" for line in body.split("\n")]
        return f"|{chomp}\n" + "\n".join(lines) + after
    if (len(body) > FOLD_AT or trailing) and _fold_ok(body):
        lines = textwrap.wrap(body, WIDTH, break_long_words=False, break_on_hyphens=False)
        if " ".join(lines) == body:
            return f">{chomp}\n" + "\n".join(pad + line for line in lines) + after
    return scalar(text)


def _fold_ok(text: str) -> bool:
    """Folding joins lines with one space: safe for one line of single-spaced words."""
    return text == text.strip() and "  " not in text and "\t" not in text and not _UNSAFE.search(text)


def _literal_ok(text: str) -> bool:
    lines = text.rstrip("\n").split("\n")
    first = next((line for line in lines if line), "")
    return (
        not _UNSAFE.search(text) and "\t" not in text and "\r" not in text
        and not first.startswith(" ")
        and all(line == line.rstrip() for line in lines)
    )
