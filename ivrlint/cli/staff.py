"""`ivrlint staff MENU --target "service_level>=0.8"`: the fewest agents per pool that meet targets."""

from __future__ import annotations

import json
import sys

from ivrlint.cli.scaled_shares import warn_if_shares_scaled
from ivrlint.cli.stdout import printing
from ivrlint.cli.sweep import add_simulation_options
from ivrlint.common.text import plural, printable
from ivrlint.importers import add_from_option
from ivrlint.whatif.staffing import MODELS

SHOWN = ("service_level", "p_wait", "p_abandon", "mean_wait", "occupancy")



def add_parser(sub) -> None:
    p = sub.add_parser(
        "staff", help="the fewest agents per pool that meet service targets",
        description="Find the fewest agents per pool that meet every --target, with the Erlang A (or C) formulas "
                    "at the load the menu sends each pool, then confirm the staffing by simulation.")
    p.add_argument("menu", metavar="MENU", help="the menu file")
    add_from_option(p)
    p.add_argument("--target", action="append", required=True, metavar="TARGET",
                   help="e.g. 'service_level>=0.8' (answered within 20 s), 'p_abandon<=0.05', 'mean_wait<=30s', "
                        "'p_wait<=0.2', 'occupancy<=0.9'; repeat for more")
    p.add_argument("--pool", action="append", default=None, metavar="NAME", help="staff only this pool (repeatable)")
    p.add_argument("--model", choices=MODELS, default="erlang-a",
                   help="erlang-a: callers give up after the menu's mean patience (default); "
                        "erlang-c: callers never give up")
    p.add_argument("--confirm", dest="confirm", action="store_true", default=True,
                   help="simulate the chosen staffing to confirm it (default)")
    p.add_argument("--no-confirm", dest="confirm", action="store_false", help="formulas only, no simulation")
    add_simulation_options(p, hours=8.0, replications=10)
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.set_defaults(run=run)


def run(args) -> int:
    from ivrlint.importers import load_any
    from ivrlint.whatif.staffing import confirm, staff

    menu = load_any(args.menu, args.source_format)
    warn_if_shares_scaled(menu)
    staffing = staff(menu, args.target, args.pool, args.model)
    if args.confirm:
        confirm(menu, staffing, args.target, args.hours, args.replications, args.seed, args.jobs)
    status = 1 if any(s.agents is None and s.offered_load > 0 for s in staffing) else 0
    with printing():  # `staff | head` keeps the status: 1 when a pool cannot be staffed
        _print(menu.ivr, args, staffing)
    return status


def _print(ivr: str, args, staffing) -> None:
    if args.format == "json":
        doc = {"ivr": ivr, "targets": args.target, "model": args.model,
               "simulation": {"hours": args.hours, "replications": args.replications, "seed": args.seed}
               if args.confirm else None,
               "pools": {s.pool: s.as_dict() for s in staffing}}
        json.dump(doc, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _text(ivr, args, staffing)


def _fmt(metric: str, value) -> str:
    if value is None:
        return "-"
    if value == float("inf"):
        return "unbounded"
    return f"{value:.1f} s" if metric == "mean_wait" else f"{value:.3f}"


def _text(ivr: str, args, staffing) -> None:
    w = sys.stdout.write
    model = "Erlang A" if args.model == "erlang-a" else "Erlang C"
    w(f"{printable(ivr)}: fewest agents meeting {printable(', '.join(args.target))} ({model}, at the load the menu sends each pool)\n\n")
    for s in staffing:
        if s.agents is None:
            w(f"  {printable(s.pool)}: {printable(s.note)} (now {plural(s.agents_now, 'agent')}, "
              f"offered load {s.offered_load:.2f} Erlangs)\n")
            continue
        change = "" if s.agents == s.agents_now else f" ({s.agents - s.agents_now:+d})"
        w(f"  {printable(s.pool)}: {plural(s.agents, 'agent')}{change}, now {s.agents_now}; offered load {s.offered_load:.2f} Erlangs\n")
        w("    analysis:   " + ", ".join(f"{m} {_fmt(m, s.analysed.get(m))}" for m in SHOWN if m in s.analysed) + "\n")
        if s.simulated:
            parts = [f"{m} {_fmt(m, v['mean'])} [{_fmt(m, v['ci95'][0])}, {_fmt(m, v['ci95'][1])}]"
                     for m, v in s.simulated.items()]
            w(f"    simulation: {', '.join(parts)}: {s.verdict}\n")
    if args.confirm:
        w(f"\nSimulated at the chosen staffing: {args.replications} x {args.hours:g} h, seed {args.seed}, "
          "with the menu's own talk-time and patience distributions (95% CIs).\n")
