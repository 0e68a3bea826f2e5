"""How names and counts are written in messages and tables.

A leaf module (it imports nothing of ivrlint's) so that rules, the
simulation's tables and the commands can all use it without reaching up
into ``ivrlint.lint.formats``, which presents findings and itself reads the rules.
"""

from __future__ import annotations

import re
from typing import Any

#: Control characters (C0, DEL, C1) as a menu's double-quoted strings can hold them.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def plural(n: int, word: str) -> str:
    """'1 agent', '2 agents', '0 files': a count with its noun (regular plurals only)."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def printable(text: str) -> str:
    """`text` with control characters written as escapes (\\n, \\x1b).

    Menu names and prompts reach messages; a newline in one must not split a
    finding's line, nor an escape sequence reach the terminal.
    """
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(0), f"\\x{ord(m.group(0)):02x}"), text)


#: What a spreadsheet reads at the start of a cell as the start of a formula (or, for tab and CR, moves past).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula: text from a menu (a node, intent or
    queue name such as ``=1+2`` or ``@SUM(A1)``) that starts like one gets a ``'`` before it
    (OWASP's advice against CSV injection); numbers and other text stay as they are.

    >>> safe_cell("=1+2"), safe_cell("billing"), safe_cell(-1)
    ("'=1+2", 'billing', -1)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
