"""`ivrlint analyze MENU`: the simulation's questions answered exactly."""

from __future__ import annotations

import sys

from ivrlint.analysis import analyze_menu
from ivrlint.cli.simulate import add_set_option, load
from ivrlint.importers import add_from_option
from ivrlint.report.summary import render_json, render_text


def add_parser(sub) -> None:
    p = sub.add_parser(
        "analyze", help="expected figures of a menu, exactly, without simulating",
        description="Expected time in the menu, keypresses and outcomes per intent (the caller model as an "
                    "absorbing Markov chain) and queue figures by Erlang A, with the load the routing sends "
                    "to each pool. The menu needs a 'traffic' section.",
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
        render_text(figures, f"{args.menu}: expected figures (exact caller chain; queues by Erlang A)", sys.stdout)
    return 0
