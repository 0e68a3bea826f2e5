"""Views of a comparison: text for a terminal, Markdown for a pull-request comment.

Both start with the verdict (regressions first: that is what a reviewer
needs to act on), then the structural changes, the findings that are new or
fixed, and the measures before and after. The Markdown view keeps the long
parts in collapsible ``<details>`` blocks so the comment stays short.

Names and texts from the menus are the menu authors' words, so the Markdown
view shows them as text and nothing else (`_md`, `_code`): no image, link
or HTML tag they hold is rendered (a ``</details>`` cannot close a block,
an ``![x](https://...)`` loads nothing), no ``@name`` notifies anyone, no
``#12`` links an issue, and no ``|`` or newline breaks a table.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any, TextIO

from ivrlint.common.table import column_widths, pad
from ivrlint.common.text import printable
from ivrlint.whatif.measures import SECONDS, is_approximate

SCOPE_TITLES = (("overall", "Overall"), ("intents", "Per intent"), ("queues", "Per pool"))
#: A row's scope, from its title or a regression's scope word, as the measures name it.
SCOPES = {"Overall": "overall", "Per intent": "intents", "Per pool": "queues",
          "overall": "overall", "intent": "intents", "pool": "queues"}
APPROXIMATE_NOTE = ("approximate: from a pool's approximate queue figures, on either side "
                    "(docs/queue-approximation.md)")


def render(report: dict, fmt: str, stream: TextIO) -> None:
    {"text": render_text, "json": render_json, "markdown": render_markdown}[fmt](report, stream)


def render_json(report: dict, stream: TextIO) -> None:
    json.dump(_finite(report), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def _finite(value: Any) -> Any:
    """JSON has no infinity: an unbounded measure (an overloaded pool) is written as "inf"."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def summary_line(report: dict) -> str:
    """One line: the verdict and how much changed."""
    regressions = report["regressions"]
    changes, findings = report["changes"], report["findings"]
    verdict = f"{len(regressions)} regression{'s' * (len(regressions) != 1)}" if regressions else "no regressions"
    return (f"{verdict}; {len(changes)} change{'s' * (len(changes) != 1)}; "
            f"{len(findings['new'])} new finding{'s' * (len(findings['new']) != 1)}, {len(findings['fixed'])} fixed")


# -- numbers -----------------------------------------------------------------

def fmt_value(measure: str, value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict):
        mean, ci = value.get("mean"), value.get("ci95") or [None, None]
        if mean is None:
            return "-"
        if None in ci:
            return fmt_value(measure, mean)
        return f"{fmt_value(measure, mean)} [{_plain(measure, ci[0])}, {_plain(measure, ci[1])}]"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if value in (float("inf"), "inf"):
        return "unbounded"
    return f"{_plain(measure, value)}{' s' if measure in SECONDS else ''}"


def _plain(measure: str, value: float) -> str:
    if measure in SECONDS or measure == "offered_load":
        return f"{value:.1f}"
    return f"{value:.3f}"


def fmt_delta(measure: str, entry: dict) -> str:
    delta = entry.get("delta")
    if delta is None:
        return ""
    if abs(delta) < 1e-12:
        return "="
    text = f"{delta:+.1f}" if measure in SECONDS or measure == "offered_load" else f"{delta:+.3f}"
    if isinstance(entry.get("before"), int) and isinstance(entry.get("after"), int):
        text = f"{int(delta):+d}"
    if entry.get("relative") is not None and measure in SECONDS:
        text += f" ({entry['relative'] * 100:+.0f}%)"
    if entry.get("clear"):
        text += " *"
    return text


def measure_rows(measures: dict, changed_only: bool = True) -> list[tuple[str, str, str, str, str, dict]]:
    """(scope title, name, measure, before, after, entry) in report order; by default only those that moved."""
    rows = []
    for scope, title in SCOPE_TITLES:
        named = {"": measures.get(scope, {})} if scope == "overall" else measures.get(scope, {})
        for name, values in named.items():
            for measure, entry in values.items():
                before, after = fmt_value(measure, entry["before"]), fmt_value(measure, entry["after"])
                if changed_only and before == after:
                    continue
                rows.append((title, name, measure, before, after, entry))
    return rows


def count_measures(measures: dict) -> int:
    return len(measure_rows(measures, changed_only=False))


def _regressed_keys(report: dict) -> set:
    return {(r["scope"], r["name"], r["measure"]) for r in report["regressions"]}


def approximate(report: dict | None, scope: str, name: str | None, measure: str) -> bool:
    """Is an analysed row of the report approximate? `scope` is a row title or a regression's scope word."""
    if report is None or scope not in SCOPES:
        return False
    return is_approximate(report.get("approximate"), SCOPES[scope], name, measure)


def regression_text(report: dict, r: dict) -> str:
    """A regression's message, saying when the figures it quotes are approximate."""
    return r["message"] + (" (approximate figures)" if approximate(report, r["scope"], r["name"], r["measure"]) else "")


# -- text --------------------------------------------------------------------

def render_text(report: dict, stream: TextIO) -> None:
    w = stream.write
    w(f"{printable(report['base'])} -> {printable(report['head'])}: {summary_line(report)}\n")
    for r in report["regressions"]:
        w(f"  REGRESSION {printable(regression_text(report, r))}\n")
    for note in report["notes"]:
        w(f"  note: {printable(note)}\n")
    if report["changes"]:
        w("\nChanges\n")
        for change in report["changes"]:
            w(f"  {printable(change['text'])}\n")
    for title, key in (("New findings", "new"), ("Fixed findings", "fixed")):
        if report["findings"][key]:
            w(f"\n{title}\n")
            for f in report["findings"][key]:
                w(f"  {f['severity']} {f['rule']} {printable(f['message'])}\n")
    _text_measures(w, "Analysed measures (before -> after)", report["measures"], report)
    sim = report.get("simulated")
    if sim and "measures" in sim:
        p = sim["params"]
        title = f"Simulated measures, mean [95% CI] ({p['replications']} x {p['hours']:g} h, seed {p['seed']}; * = intervals apart)"
        _text_measures(w, title, sim["measures"])
    elif sim:
        w(f"\nSimulation skipped: {sim['skipped']}\n")


def _text_measures(w: Callable[[str], Any], title: str, measures: dict, report: dict | None = None) -> None:
    """The measures that moved; `report` (for analysed measures) marks the approximate ones."""
    moved = measure_rows(measures)
    rows = [(f"{t}{' ' + printable(n) if n else ''}", m, b, a, fmt_delta(m, e)) for t, n, m, b, a, e in moved]
    marks = ["  approximate" if approximate(report, t, n, m) else "" for t, n, m, *_ in moved]
    total = count_measures(measures)
    if not rows:
        if total:
            w(f"\n{title}: all {total} unchanged\n")
        return
    w(f"\n{title}, {len(rows)} of {total} changed\n")
    widths = column_widths(rows)
    for r, mark in zip(rows, marks, strict=True):
        w(("  " + "  ".join(pad(r[i], widths[i]) for i in range(4)) + f"  {pad(r[4], widths[4])}{mark}").rstrip() + "\n")
    if any(marks):
        w(f"  {APPROXIMATE_NOTE}\n")


# -- markdown ----------------------------------------------------------------

#: Markdown's inline marks that could make a menu's text a link, an image, code or emphasis (also `|`, a cell's end).
_MARKS = re.compile(r"[\\`*\[\]|~<]|&(?=#|[A-Za-z][A-Za-z0-9]*;)|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
#: What starts a block at the start of a text (a heading, a list, a quote).
_BLOCK_START = re.compile(r"^(?:[#+\-=>]|\d+(?=[.)]))")
#: An @mention or an issue reference as GitHub links them: a zero-width space after @ or # breaks them.
_REFERENCE = re.compile(r"(?<![A-Za-z0-9])([@#])(?=[A-Za-z0-9])")


def _md(text: Any) -> str:
    """`text` as Markdown text that shows as written: marks escaped, `<` and entities written as
    entities, mentions and issue references broken, control characters escaped (one line)."""
    out = _MARKS.sub(lambda m: "&lt;" if m.group() == "<" else "&amp;" if m.group() == "&" else "\\" + m.group(),
                     printable(str(text)))
    out = _BLOCK_START.sub(lambda m: "\\" + m.group() if not m.group().isdigit() else m.group() + "\\", out)
    return _REFERENCE.sub(r"\1&#8203;", out)


def _code(text: Any, in_table: bool = False) -> str:
    """`text` as a Markdown code span: nothing in it is markup, whatever backticks it holds; in a table cell,
    `|` is escaped too (GitHub splits cells before it reads code spans)."""
    body = printable(str(text))
    fence = "`" * (max((len(run) for run in re.findall("`+", body)), default=0) + 1)
    if body.startswith("`") or body.endswith("`") or (body.startswith(" ") and body.endswith(" ") and body.strip()):
        body = f" {body} "
    if in_table:
        body = body.replace("|", "\\|")
    return f"{fence}{body}{fence}"


def render_markdown(report: dict, stream: TextIO) -> None:
    w = stream.write
    mark = ":x:" if report["regressions"] else ":white_check_mark:"
    w(f"### {mark} ivrlint compare: {_code(report['base'])} → {_code(report['head'])}\n\n")
    w(f"**{summary_line(report)}**\n\n")
    if report["regressions"]:
        w("| regression |\n|---|\n")
        for r in report["regressions"]:
            w(f"| {_md(regression_text(report, r))} |\n")
        w("\n")
    for note in report["notes"]:
        w(f"> {_md(note)}\n\n")
    if report["changes"]:
        _details(w, f"Changes ({len(report['changes'])})", [f"- {_md(c['text'])}" for c in report["changes"]])
    found = report["findings"]
    if found["new"] or found["fixed"]:
        lines = ["| | severity | rule | node | message |", "|---|---|---|---|---|"]
        for key, label in (("new", "new"), ("fixed", "fixed")):
            lines += [f"| {label} | {f['severity']} | `{f['rule']}` | {_md(f['node'] or '')} | {_md(f['message'])} |"
                      for f in found[key]]
        _details(w, f"Findings: {len(found['new'])} new, {len(found['fixed'])} fixed", lines)
    _md_measures(w, "Analysed measures", report["measures"], _regressed_keys(report), report)
    sim = report.get("simulated")
    if sim and "measures" in sim:
        p = sim["params"]
        _md_measures(w, f"Simulated measures, mean [95% CI], {p['replications']} × {p['hours']:g} h, seed {p['seed']}",
                     sim["measures"], set())
    w("\n<sub>Generated by `ivrlint compare`. Thresholds: "
      + ", ".join(f"{k} {v}" for k, v in report["thresholds"].items()) + ".</sub>\n")


def _md_measures(w: Callable[[str], Any], title: str, measures: dict, regressed: set, report: dict | None = None) -> None:
    """The measures that moved; `report` (for analysed measures) marks the approximate ones."""
    lines = ["| scope | measure | before | after | change |", "|---|---|---|---|---|"]
    scope_word = {"Overall": "overall", "Per intent": "intent", "Per pool": "pool"}
    rough = False
    for t, n, m, b, a, e in measure_rows(measures):
        flag = " :x:" if (scope_word[t], n or None, m) in regressed else ""
        scope = f"{scope_word[t]} {_code(n, in_table=True)}" if n else "overall"
        mark = " (approximate)" if approximate(report, t, n, m) else ""
        rough = rough or bool(mark)
        lines.append(f"| {scope} | {m}{mark} | {b} | {a} | {fmt_delta(m, e)}{flag} |")
    if rough:
        lines.append(f"\n{APPROXIMATE_NOTE.capitalize()}.")
    total = count_measures(measures)
    if len(lines) > 2:
        _details(w, f"{title}: {len(measure_rows(measures))} of {total} changed", lines)
    elif total:
        w(f"{title}: all {total} unchanged.\n\n")


def _details(w: Callable[[str], Any], summary: str, lines: list[str]) -> None:
    w(f"<details><summary>{html.escape(printable(summary))}</summary>\n\n" + "\n".join(lines) + "\n\n</details>\n\n")
