"""`ivrlint analyze MENU`: the simulation's questions answered without simulating, exactly where the
queue model allows and, where it does not, approximately (and said so)."""

from __future__ import annotations

import sys

from ivrlint.analysis import analyze_menu
from ivrlint.cli.simulate import add_set_option, load
from ivrlint.importers import add_from_option
from ivrlint.report.summary import ANALYZE_HOURS, analysis_heading, render_json, render_text


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
        render_text(figures, f"{args.menu}: {analysis_heading(figures)}", sys.stdout, hours_elsewhere=ANALYZE_HOURS)
    return 0
