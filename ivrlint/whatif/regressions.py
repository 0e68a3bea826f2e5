"""When a menu change counts as a regression: thresholds and the check itself.

A measure regresses when it gets worse for callers by more than its
threshold. A threshold has a relative part (``10%`` of the old value), an
absolute part (``0.02``, or ``5s`` for times), or both, and then the change
must exceed both: a mean wait going from 2 s to 3 s is +50% but nobody
notices a second, so the default for waits is "+10% and +5 s". A new
finding of severity error is always a regression.

Defaults (override with ``--threshold NAME=VALUE``, switch one off with
``NAME=off``):

* ``seconds_to_person`` +10%: the fastest route to a person
  (docs/sources.md#the-complaints-the-tool-exists-for: callers who cannot
  reach a person are the complaint this tool exists for);
* ``ivr_seconds`` +10% and +5 s: time in the menu before the goal or a queue;
* ``p_goal`` -0.02: the chance an intent reaches its goal;
* ``mean_wait`` +10% and +5 s, ``p_abandon`` +0.01 (the 5-8% abandonment
  norm leaves about one point of room), ``service_level`` -0.02 (the 80/20
  convention) for every pool and intent.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ivrlint.errors import UsageError
from ivrlint.lint.findings import Finding
from ivrlint.menu.values import parse_duration
from ivrlint.whatif.measures import SECONDS, WORSE


@dataclass(frozen=True)
class Threshold:
    relative: float | None = None  # 0.10 means 10% of the old value
    absolute: float | None = None  # in the measure's own unit

    def exceeded(self, worsening: float, before: float) -> bool:
        """Is a worsening of `worsening` (positive = worse) beyond this threshold?"""
        if worsening <= 0 or (self.relative is None and self.absolute is None):
            return False
        if self.absolute is not None and worsening <= self.absolute:
            return False
        if self.relative is not None and before and worsening <= self.relative * abs(before):
            return False
        return True

    def describe(self, measure: str, sign: str) -> str:
        parts = []
        if self.relative is not None:
            parts.append(f"{sign}{self.relative * 100:g}%")
        if self.absolute is not None:
            unit = " s" if measure in SECONDS else ""
            parts.append(f"{sign}{self.absolute:g}{unit}")
        return " and ".join(parts) or "off"


DEFAULT_THRESHOLDS = {
    "seconds_to_person": Threshold(relative=0.10),
    "ivr_seconds": Threshold(relative=0.10, absolute=5.0),
    "p_goal": Threshold(absolute=0.02),
    "mean_wait": Threshold(relative=0.10, absolute=5.0),
    "p_abandon": Threshold(absolute=0.01),
    "service_level": Threshold(absolute=0.02),
}

_PERCENT = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*%\s*$")
_PLAIN = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*$")


def parse_threshold(text: str) -> tuple[str, Threshold]:
    """``NAME=VALUE`` as on the command line: ``mean_wait=10%,5s``, ``p_goal=0.02``, ``p_abandon=off``."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name or not value.strip():
        raise UsageError(f"--threshold '{text}' should be NAME=VALUE, e.g. mean_wait=10%,5s or p_goal=0.02")
    if name not in WORSE or WORSE[name] is None:
        known = ", ".join(m for m, d in WORSE.items() if d)
        raise UsageError(f"--threshold names unknown measure '{name}'; one of: {known}")
    if value.strip().lower() in ("off", "none"):
        return name, Threshold()
    relative = absolute = None
    for part in value.split(","):
        percent = _PERCENT.match(part)
        if percent:
            relative = float(percent.group(1)) / 100.0
            continue
        try:
            seconds = parse_duration(part)  # the one duration reader; a plain number is seconds
        except ValueError:
            raise UsageError(f"--threshold {name}: '{part.strip()}' is not a number, a percentage (10%) or a time (5s)") from None
        if name not in SECONDS and not _PLAIN.match(part):
            raise UsageError(f"--threshold {name}: '{part.strip()}' has a time unit, but {name} is not a time")
        absolute = seconds
    return name, Threshold(relative, absolute)


def thresholds_from(texts: list[str]) -> dict[str, Threshold]:
    """The defaults with each ``--threshold`` applied on top."""
    out = dict(DEFAULT_THRESHOLDS)
    for text in texts or ():
        name, threshold = parse_threshold(text)
        out[name] = threshold
    return out


SCOPE_WORD = {"overall": "overall", "intents": "intent", "queues": "pool"}


def measure_regressions(deltas: dict, thresholds: dict[str, Threshold]) -> list[dict]:
    """Every measure, in every scope, that got worse beyond its threshold."""
    out = []
    for scope, by_name in deltas.items():
        named = {"": by_name} if scope == "overall" else by_name
        for name, measures in named.items():
            for measure, entry in measures.items():
                problem = _regressed(measure, entry, thresholds.get(measure))
                if problem:
                    who = "overall" if scope == "overall" else f"{SCOPE_WORD[scope]} '{name}'"
                    out.append({"scope": SCOPE_WORD[scope], "name": name or None, "measure": measure,
                                "before": entry["before"], "after": entry["after"],
                                "message": f"{who}: {measure} {problem}"})
    return out


def _regressed(measure: str, entry: dict, threshold: Threshold | None) -> str | None:
    """How the measure got worse, if beyond the threshold; else None."""
    direction = WORSE.get(measure)
    if threshold is None or direction is None:
        return None
    before, after = entry["before"], entry["after"]
    if before is None or entry.get("only"):
        return None  # new intent or pool, or a measure that no longer applies: nothing to compare
    sign = "+" if direction == "up" else "-"
    limit = threshold.describe(measure, sign)
    if limit == "off":
        return None
    if after is None:
        # only a time to a person can vanish while its intent stays: no person is reachable any more
        return f"{_fmt(measure, before)} -> unreachable (limit {limit})" if measure == "seconds_to_person" else None
    if math.isinf(after) and not math.isinf(before):
        return f"{_fmt(measure, before)} -> unbounded (limit {limit})"
    if not (math.isfinite(before) and math.isfinite(after)):
        return None
    worsening = after - before if direction == "up" else before - after
    if not threshold.exceeded(worsening, before):
        return None
    change = f"{after - before:+.3g}{' s' if measure in SECONDS else ''}"
    if before:
        change += f", {(after - before) / abs(before) * 100:+.0f}%"
    return f"{_fmt(measure, before)} -> {_fmt(measure, after)} ({change}; limit {limit})"


def _fmt(measure: str, value: float) -> str:
    if measure in SECONDS:
        return f"{value:.1f} s"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def finding_regressions(new: list[Finding]) -> list[dict]:
    """New errors fail a change whatever the measures say."""
    return [{"scope": "finding", "name": f.node, "measure": f.rule, "before": None, "after": f.severity,
             "message": f"new error {f.rule} at {'node ' + repr(f.node) if f.node else f.file}: {f.message}"}
            for f in new if f.severity == "error"]
