"""`ivrlint staff MENU --target "service_level>=0.8"`: the fewest agents per pool that meet targets."""

from __future__ import annotations

import json
import sys

from ivrlint.cli.scaled_shares import warn_if_shares_scaled
from ivrlint.cli.stdout import printing
from ivrlint.cli.sweep import add_simulation_options
from ivrlint.common.table import format_rows
from ivrlint.common.text import plural, printable
from ivrlint.importers import add_from_option
from ivrlint.whatif.staffing import MEASURES, MODELS, parse_target

#: What each model assumes of the callers, as the output says it.
CALLERS = {"erlang-a": "callers give up as the menu's patience says", "erlang-c": "callers never give up"}


def add_parser(sub) -> None:
    p = sub.add_parser(
        "staff", help="the fewest agents per pool that meet service targets",
        description="Find the fewest agents per pool that meet every --target with the pool's queue model at the "
                    "load the menu sends it (exact for exponential talk time, otherwise approximate, and said so), "
                    "then confirm the staffing by simulating the same model of the callers.")
    p.add_argument("menu", metavar="MENU", help="the menu file")
    add_from_option(p)
    p.add_argument("--target", action="append", required=True, metavar="TARGET",
                   help="e.g. 'service_level>=0.8' (answered within 20 s), 'p_abandon<=0.05', 'mean_wait<=30s', "
                        "'p_wait<=0.2', 'occupancy<=0.9'; repeat for more")
    p.add_argument("--pool", action="append", default=None, metavar="NAME", help="staff only this pool (repeatable)")
    p.add_argument("--model", choices=MODELS, default="erlang-a",
                   help="erlang-a: callers give up as the menu's patience says (default); "
                        "erlang-c: callers never give up (analysis and confirming simulation alike)")
    p.add_argument("--confirm", dest="confirm", action="store_true", default=True,
                   help="simulate the chosen staffing to confirm it (default)")
    p.add_argument("--no-confirm", dest="confirm", action="store_false", help="the analysis only, no simulation")
    add_simulation_options(p, hours=8.0, replications=10)
    p.add_argument("--warmup", type=float, default=1.0, metavar="H",
                   help="hours simulated first and not counted, so the pools are judged busy, not opening empty "
                        "(default: 1)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.set_defaults(run=run)


def run(args) -> int:
    from ivrlint.importers import load_any
    from ivrlint.whatif.staffing import confirm, staff

    menu = load_any(args.menu, args.source_format)
    warn_if_shares_scaled(menu)
    staffing = staff(menu, args.target, args.pool, args.model)
    if args.confirm:
        confirm(menu, staffing, args.target, args.hours, args.replications, args.seed, args.jobs, args.model, args.warmup)
    status = 1 if any(s.agents is None and s.offered_load > 0 for s in staffing) else 0
    with printing():  # `staff | head` keeps the status: 1 when a pool cannot be staffed
        _print(menu.ivr, args, staffing)
    return status


def _print(ivr: str, args, staffing) -> None:
    if args.format == "json":
        doc = {"ivr": ivr, "targets": args.target, "model": args.model,
               "simulation": {"hours": args.hours, "replications": args.replications, "seed": args.seed,
                              "warmup": args.warmup} if args.confirm else None,
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


def _simulated(metric: str, value: dict | None) -> str:
    if not value:
        return "-"
    low, high = value.get("ci95") or (None, None)
    interval = f" [{_fmt(metric, low).removesuffix(' s')}, {_fmt(metric, high)}]" if low is not None else ""
    return _fmt(metric, value.get("mean")) + interval


def _text(ivr: str, args, staffing) -> None:
    w = sys.stdout.write
    w(f"{printable(ivr)}: fewest agents meeting {printable(', '.join(args.target))} "
      f"({CALLERS[args.model]}; at the load the menu sends each pool)\n\n")
    goals = {g.metric: g for g in (parse_target(t) for t in args.target)}
    for s in staffing:
        if s.agents is None:
            w(f"  {printable(s.pool)}: {printable(s.note)} (now {plural(s.agents_now, 'agent')}, "
              f"offered load {s.offered_load:.2f} Erlangs)\n")
            continue
        change = "" if s.agents == s.agents_now else f" ({s.agents - s.agents_now:+d})"
        exactness = "analysis exact" if s.exact else f"analysis approximate ({printable(s.approximation)})"
        w(f"  {printable(s.pool)}: {plural(s.agents, 'agent')}{change}, now {s.agents_now}; "
          f"offered load {s.offered_load:.2f} Erlangs; {exactness}\n")
        header = ["figure", "analysed" if s.exact else "analysed (approximate)"] + (
            ["simulated [95% CI]"] if args.confirm else []) + ["target"] + (["check"] if args.confirm else [])
        rows = [header]
        for m in MEASURES:
            goal = goals.get(m)
            row = [m, _fmt(m, s.analysed.get(m))] + ([_simulated(m, s.simulated.get(m))] if args.confirm else [])
            row.append(f"{goal.op} {goal.value:g}{' s' if m == 'mean_wait' else ''}" if goal else "")
            if args.confirm:
                row.append(s.checks.get(str(goal), "") if goal else "")
            rows.append(row)
        for line in format_rows(rows, "<>>" + "<" * 3):
            w(f"    {line}\n")
        w(f"    {_conclusion(s, args.confirm)}\n")
    if args.confirm:
        w(f"\nSimulated at the chosen staffing, {CALLERS[args.model]}: {args.replications} x {args.hours:g} h after "
          f"{args.warmup:g} h of warm-up, seed {args.seed}, with the menu's own routing, talk-time and patience "
          "distributions. Each target is checked on the simulated figure's 95% interval: met (all of it), "
          "undecided (it straddles the target), missed (none of it).\n")


def _conclusion(s, confirmed_by_simulation: bool) -> str:
    if not confirmed_by_simulation:
        return ("the analysis is exact here" if s.exact else
                "the analysis is approximate here: simulate the staffing to confirm it (drop --no-confirm)")
    said = {"confirmed": "confirmed: every target met across its 95% interval",
            "borderline": "borderline: an interval straddles a target; more --hours or --replications decide it",
            "not confirmed": "not confirmed: a target is missed across its whole 95% interval; add an agent"
            }.get(s.verdict or "", s.verdict or "not simulated")
    if not s.exact:
        said += "; the analysis is approximate here, so this staffing rests on the simulation"
    return said
