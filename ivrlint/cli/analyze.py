"""`ivrlint analyze MENU`: the simulation's questions answered without simulating, exactly where the
queue model allows and, where it does not, approximately (and said so)."""

from __future__ import annotations

import sys

from ivrlint.analysis import analyze_menu
from ivrlint.cli.simulate import add_set_option, load
from ivrlint.common.table import format_rows
from ivrlint.common.text import plural, printable
from ivrlint.importers import add_from_option
from ivrlint.report.summary import analysis_heading, cell, render_json, render_text


def add_parser(sub) -> None:
    p = sub.add_parser(
        "analyze", help="expected figures of a menu, without simulating",
        description="Expected time in the menu, keypresses and outcomes per intent (the caller model as an "
                    "absorbing Markov chain, exact) and queue figures per pool at the load the routing sends it: "
                    "exact for exponential talk time (Erlang A, or M/M/n+G for other patience) and for one agent, "
                    "otherwise approximate, marked so (docs/queue-approximation.md). "
                    "With redials (traffic.redial), the calls they add and the figures per caller (first-contact "
                    "resolution, calls per caller, never served) by fixed point; with staff or calls by the hour, "
                    "the figures of each hour (stationary per hour, Lag-SIPP), approximate. "
                    "The menu needs a 'traffic' section.",
    )
    p.add_argument("menu", metavar="MENU", help="a menu file (any format `ivrlint check` reads)")
    add_from_option(p)
    add_set_option(p)
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.set_defaults(run=run)


def run(args) -> int:
    figures = analyze_menu(load(args))
    if args.format == "json":
        render_json(figures, sys.stdout)
    else:
        render_text(figures, f"{args.menu}: {analysis_heading(figures)}", sys.stdout)
        _per_caller(figures, sys.stdout)
    return 0


#: (figure, column title, kind) of the per-caller table (kinds as report/summary.py's).
CALLER_COLUMNS = (("calls_per_caller", "calls per caller", "n"), ("first_contact_resolution", "first-contact resolution", "p"),
                  ("callers_never_served", "never served", "p"))


def _per_caller(figures: dict, stream) -> None:
    """With redials: each intent's and all callers' figures per caller (a caller's first call and the
    redials after it), marked approximate where they are (the redial fixed point, analysis/redials.py)."""
    overall = figures.get("overall") or {}
    if "first_contact_resolution" not in overall or "redial_calls" in overall:  # a simulation's figures show them already
        return
    rows = {**(figures.get("intents") or {}), "all callers": overall}
    redial = figures.get("redials") or {}
    rough = redial.get("exact") is False
    body = [["per caller"] + [title for _, title, _ in CALLER_COLUMNS]]
    for name, f in rows.items():
        body.append([printable(name)] + [cell(f.get(metric), kind) for metric, _, kind in CALLER_COLUMNS]
                    + (["approximate"] if rough or f.get("exact") is False else []))
    stream.write("\n")
    for line in format_rows(body, "<" + ">" * len(CALLER_COLUMNS)):
        stream.write(line + "\n")
    share, after = redial.get("share"), redial.get("after")
    if share == 0:
        stream.write("redials: share 0, nobody calls again: one call per caller\n")
    elif share is not None:
        how = f"approximate: {printable(redial['approximation'])}" if rough else "exact where the pools' figures are"
        stream.write(f"redials: {100 * share:g}% of callers whose need was not met call again after {after:g} s on "
                     f"average, up to {redial.get('max_attempts')} calls; solved as a fixed point in "
                     f"{plural(redial.get('rounds') or 0, 'round')} ({how})\n")
