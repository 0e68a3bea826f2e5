"""Numbers in platform files, read the way the platforms read them and never with a crash.

Python's ``int()`` refuses text of more than 4,300 digits (a ValueError
every importer met: issue 17), and ``str.isdigit()`` says yes to digits
``int()`` cannot read (``²``, ``①``). The platforms written in C read a
count with ``atoi``/``strtol``, which take the leading ASCII digits and stop
growing at the largest long; JSON and HCL readers (the Connect console,
Twilio, Terraform) read every number as a double. These helpers do the same,
so a huge number is a number the model's limits can name
(ivrlint.menu.limits), not a traceback.
"""

from __future__ import annotations

import re
import sys

#: The largest value C's strtol gives (LONG_MAX on the 64-bit systems FreeSWITCH and Asterisk run on).
LONG_MAX = 2**63 - 1
_DIGITS = re.compile(r"[0-9]+")
#: Python's limit on the digits of a whole number read from text (sys.get_int_max_str_digits; 4,300).
_INT_DIGITS = sys.get_int_max_str_digits() or 4300


def whole_number(text: str) -> int | None:
    """`text`, ASCII digits only, as strtol reads it (at most LONG_MAX); None when it holds anything else."""
    if not _DIGITS.fullmatch(text):
        return None
    digits = text.lstrip("0") or "0"
    return LONG_MAX if len(digits) > 19 else min(int(digits), LONG_MAX)


def leading_whole_number(text: str) -> int | None:
    """The leading ASCII digits of `text` as atoi reads them (``"10s"`` -> 10), None when it starts with none."""
    match = _DIGITS.match(text)
    return whole_number(match.group()) if match else None


def json_number(token: str, fraction: bool) -> int | float:
    """A JSON or HCL number token (`fraction`: it has a '.' or an exponent): an int when it is whole and
    Python can read it, else a float, as JSON.parse reads every number (one of 5,000 digits is inf)."""
    if fraction or len(token) > _INT_DIGITS:
        return float(token)
    return int(token)


def strtol(token: str) -> int:
    """A token of decimal digits with an optional sign (``-3``, ``+101``) as C's strtol gives it: clamped
    to LONG_MAX either way, however many digits it has."""
    token = token.strip()
    digits = token.lstrip("+-").lstrip("0") or "0"
    value = LONG_MAX if len(digits) > 19 else min(int(digits), LONG_MAX)
    return -value if token.startswith("-") else value
