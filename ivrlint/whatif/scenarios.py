"""Sweep scenarios: ``--vary PATH=V1,V2,...`` values, their combinations and keys.

A value list may mix single values and inclusive ranges: ``8,10,12``,
``4:12`` (4, 5, ... 12), ``4:12:2`` (4, 6, ... 12), ``0.1:0.3:0.1``
(decimal steps, without float drift). Durations may carry units (``90s``,
``2m``): the value is passed as written to ``ivrlint.overrides``, which
reads it the way the menu file would.

Every scenario has a key: a hash of its values and of everything else its
numbers depend on (seed, hours, replications, warm-up, the menu file's
contents). The sweep journal stores rows by key, which is what makes an
interrupted sweep resumable and a changed menu start afresh.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ivrlint.errors import InputError, UsageError
from ivrlint.menu.values import parse_duration
from ivrlint.menu.yamlsource import open_regular

#: Limits that keep a typo (4:4000000) from exhausting memory or patience.
MAX_VALUES = 10_000
MAX_SCENARIOS = 100_000

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_RANGE = re.compile(rf"^\s*({_NUMBER})\s*:\s*({_NUMBER})\s*(?::\s*({_NUMBER})\s*)?$")
_PATH = re.compile(r"^[^\s.=]+(?:\.[^\s.=]+)+$")


@dataclass(frozen=True)
class Vary:
    """One varied setting: a menu path and the values it takes, as written."""

    path: str
    values: tuple[str, ...]


def parse_vary(text: str) -> Vary:
    """``PATH=V1,V2,...`` into a Vary; ranges expanded, duplicates dropped."""
    path, sep, values = text.partition("=")
    path = path.strip()
    if not sep or not values.strip():
        raise UsageError(f"--vary '{text}' should be PATH=V1,V2,... e.g. queues.general.agents=8,10,12 or =4:12")
    if not _PATH.match(path):
        raise UsageError(f"--vary '{text}': '{path}' is not a menu path like queues.general.agents")
    expanded: list[str] = []
    for part in values.split(","):
        part = part.strip()
        if not part:
            raise UsageError(f"--vary {path}: an empty value in '{values}'; write V1,V2,... with no empty entries")
        for value in expand(part, path):
            if value not in expanded:
                expanded.append(value)
            if len(expanded) > MAX_VALUES:
                raise UsageError(f"--vary {path}: more than {MAX_VALUES} values; use a coarser step")
    return Vary(path, tuple(expanded))


def expand(part: str, path: str = "") -> list[str]:
    """One comma-separated part: a range becomes its values, anything else stays as written."""
    match = _RANGE.match(part)
    if not match:
        return [part]
    try:
        low, high = Decimal(match.group(1)), Decimal(match.group(2))
        step = Decimal(match.group(3)) if match.group(3) else Decimal(1)
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return [part]
    if step <= 0:
        raise UsageError(f"--vary {path}: the step of '{part}' must be above 0")
    if high < low:
        raise UsageError(f"--vary {path}: the range '{part}' ends below its start; write LOW:HIGH[:STEP]")
    if (high - low) / step > MAX_VALUES:
        raise UsageError(f"--vary {path}: '{part}' has more than {MAX_VALUES} values; use a coarser step")
    out, value = [], low
    while value <= high:
        out.append(_decimal_text(value))
        value += step
    return out


def _decimal_text(value: Decimal) -> str:
    """4 -> "4", 0.30 -> "0.3", 1E+1 -> "10": what a person would type."""
    text = format(value.normalize(), "f")
    return text if text not in ("-0",) else "0"


def combinations(varies: list[Vary]) -> list[tuple[tuple[str, str], ...]]:
    """Every combination of the varied values, the last --vary changing fastest."""
    paths = [v.path for v in varies]
    if len(set(paths)) != len(paths):
        twice = next(p for p in paths if paths.count(p) > 1)
        raise UsageError(f"--vary {twice} is given twice; list all its values in one --vary")
    total = 1
    for v in varies:
        total *= len(v.values)
    if total > MAX_SCENARIOS:
        raise UsageError(f"the --vary values make {total} scenarios, more than {MAX_SCENARIOS}; vary fewer values")
    return [tuple(zip(paths, combo, strict=True)) for combo in itertools.product(*(v.values for v in varies))]


def as_number(value: str) -> float | None:
    """A varied value as a number for plots: "12" -> 12, "2m" -> 120 (seconds); else None."""
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return parse_duration(value)  # read as the menu file (and so --vary's override) reads it
    except ValueError:
        return None


def json_value(value: str):
    """A varied value for JSON: a plain number as a number, anything else as written."""
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() and re.fullmatch(r"[+-]?\d+", value.strip()) else number


def file_hash(path: str) -> str:
    """SHA-256 of a menu file's bytes: any edit to the menu changes every scenario key.

    Opened as the loader opens menus (``open_regular``): a menu swapped for a
    named pipe after it was read is refused, not waited on."""
    digest = hashlib.sha256()
    try:
        with open_regular(path) as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:  # gone, a folder, unreadable since it was read
        raise InputError.at(None, f"cannot be read: {exc.strerror or exc}", path) from None
    return digest.hexdigest()


def scenario_key(values: tuple[tuple[str, str], ...], settings: dict) -> str:
    """A stable key for one scenario under one set of settings."""
    blob = json.dumps({"values": [list(v) for v in values], "settings": settings}, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]
