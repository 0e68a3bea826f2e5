"""`ivrlint staff MENU --target "service_level>=0.8"`: the fewest agents per pool that meet targets
(`--by-hour`: per pool and clock hour, confirmed by simulating whole days)."""

from __future__ import annotations

import json
import sys

from ivrlint.cli.argtypes import positive_int
from ivrlint.cli.scaled_shares import warn_if_shares_scaled
from ivrlint.cli.stdout import printing
from ivrlint.cli.sweep import add_simulation_options
from ivrlint.common.table import format_rows
from ivrlint.common.text import plural, printable
from ivrlint.importers import add_from_option
from ivrlint.whatif.staffing import MEASURES, MODELS, parse_target
from ivrlint.whatif.staffing_hourly import days_to_decide

#: What each model assumes of the callers, as the output says it.
CALLERS = {"erlang-a": "callers give up as the menu's patience says", "erlang-c": "callers never give up"}


def add_parser(sub) -> None:
    p = sub.add_parser(
        "staff", help="the fewest agents per pool that meet service targets",
        description="Find the fewest agents per pool that meet every --target with the pool's queue model at the "
                    "load the menu sends it (exact for exponential talk time, otherwise approximate, and said so), "
                    "then confirm the staffing by simulating the same model of the callers. One count per pool is "
                    "for a steady day: a menu whose calls or agents vary by the hour needs --by-hour.")
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
    p.add_argument("--by-hour", action="store_true",
                   help="agents per pool for each clock hour (24 counts) meeting every target in every hour: "
                        "Lag-SIPP per hour, then whole days simulated (24 h after the warm-up; --hours does not "
                        "apply) and hours that miss a target given an agent more, up to --rounds times")
    p.add_argument("--rounds", type=positive_int, default=3, metavar="N",
                   help="with --by-hour: most times the --replications days are simulated, each after adding an agent "
                        "to every hour that missed a target (default: 3)")
    p.add_argument("--write-menu", metavar="OUT.yaml", default=None,
                   help="write the menu with the staffing found (agents: a number, or 24 with --by-hour) to this "
                        "file, whole or not at all, to simulate it next")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.set_defaults(run=run)


def run(args) -> int:
    from ivrlint.importers import load_any
    from ivrlint.whatif.staffing import confirm, staff

    menu = load_any(args.menu, args.source_format)
    warn_if_shares_scaled(menu)
    if args.by_hour:
        return _run_by_hour(args, menu)
    staffing = staff(menu, args.target, args.pool, args.model)
    if args.confirm:
        confirm(menu, staffing, args.target, args.hours, args.replications, args.seed, args.jobs, args.model, args.warmup)
    status = 1 if any(s.agents is None and s.offered_load > 0 for s in staffing) else 0
    if args.write_menu:
        _write_menu(args, menu, {s.pool: s.agents for s in staffing if s.agents is not None})
    with printing():  # `staff | head` keeps the status: 1 when a pool cannot be staffed
        _print(menu.ivr, args, staffing)
    return status


def _write_menu(args, menu, agents: dict) -> None:
    """The menu with the staffing found, as YAML, written whole or not at all."""
    import copy

    from ivrlint.common.atomic import write_file
    from ivrlint.importers.yaml_out import menu_to_yaml
    from ivrlint.whatif.staffing_hourly import with_agents

    hourly = {name: n for name, n in agents.items() if isinstance(n, list)}
    staffed = with_agents(menu, hourly) if hourly else copy.deepcopy(menu)
    for name, n in agents.items():
        if not isinstance(n, list):
            staffed.queues[name].agents, staffed.queues[name].agents_by_hour = n, None
    write_file(args.write_menu, menu_to_yaml(staffed).encode("utf-8"))
    print(f"wrote {args.write_menu}: the menu with the staffing found", file=sys.stderr)


def _run_by_hour(args, menu) -> int:
    from ivrlint.whatif.staffing_hourly import confirm_by_hour, staff_by_hour

    staffing = staff_by_hour(menu, args.target, args.pool, args.model)
    if args.confirm:
        confirm_by_hour(menu, staffing, args.target, args.replications, args.seed, args.jobs, args.model,
                        args.warmup, args.rounds)
    status = 1 if any(s.note and "no staffing" in s.note for s in staffing) else 0
    if args.write_menu:
        _write_menu(args, menu, {s.pool: s.agents_by_hour for s in staffing if not s.note})
    with printing():
        if args.format == "json":
            doc = {"ivr": menu.ivr, "targets": args.target, "model": args.model, "by_hour": True,
                   "simulation": {"hours": 24.0, "replications": args.replications, "seed": args.seed,
                                  "warmup": args.warmup, "rounds": args.rounds} if args.confirm else None,
                   "pools": {s.pool: s.as_dict() for s in staffing}}
            json.dump(_finite(doc), sys.stdout, indent=2)
            sys.stdout.write("\n")
        else:
            _hours_text(menu.ivr, args, staffing)
    return status


def _finite(value):
    """JSON has no infinity: an unbounded figure becomes null."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return None
    return value


def _hours_text(ivr: str, args, staffing) -> None:
    w = sys.stdout.write
    goals = [parse_target(t) for t in args.target]
    w(f"{printable(ivr)}: agents by the hour meeting {printable(', '.join(args.target))} in every hour "
      f"({CALLERS[args.model]}; Lag-SIPP per hour, approximate: stationary per hour)\n\n")
    for s in staffing:
        if s.note:
            w(f"  {printable(s.pool)}: {printable(s.note)}\n\n")
            continue
        days = (f"; simulated in {plural(s.rounds, 'round')} of {plural(args.replications, 'day')}"
                if args.confirm else "")
        w(f"  {printable(s.pool)}: {sum(s.agents_by_hour)} agent-hours a day (now {sum(s.agents_now)}){days}\n")
        header = ["hour", "agents", "now"]
        for g in goals:
            header += [f"{g.metric} analysed"] + (["simulated [95% CI]"] if args.confirm else [])
        header += ["check"] if args.confirm else []
        rows = [header]
        for h in s.hours:
            row = [f"{h.hour:02d}:00", str(h.agents) + (f" (+{h.added})" if h.added else ""), str(s.agents_now[h.hour])]
            for g in goals:
                row.append(_fmt(g.metric, h.analysed.get(g.metric)))
                if args.confirm:
                    row.append(_simulated(g.metric, h.simulated.get(g.metric)))
            if args.confirm:
                row.append(_hour_check(h))
            rows.append(row)
        for line in format_rows(rows, "<>>" + ">" * (len(header) - 4) + "<"):
            w(f"    {line}\n")
        w(f"    {_day_conclusion(s, args)}\n\n")
    if args.confirm:
        w(f"Simulated at the staffing shown, {CALLERS[args.model]}: {args.replications} whole days (24 h after "
          f"{args.warmup:g} h of warm-up), seed {args.seed}, each hour's figures from the calls that arrived in it. "
          "Each target is checked on the hour's 95% interval: met (all of it), undecided (it straddles the target "
          "and the mean meets it, or the hour had under 100 calls in all) or missed (all of it misses, or the mean "
          "of an hour of 100 calls or more); an hour that missed a "
          "target got an agent more (+N) and the day was simulated again, except in the last round.\n")


def _hour_check(h) -> str:
    return {"confirmed": "met", "borderline": "undecided", "not confirmed": "missed",
            "shut": "shut", "no calls": "no calls"}.get(h.verdict or "", h.verdict or "-")


def _to_decide(s, args) -> str:
    """What would decide the undecided hours: about how many days, and the hour that needs the most."""
    decide = days_to_decide(s, [parse_target(t) for t in args.target], args.replications)
    if decide is None:
        return " (more --replications decide them)"
    if decide.too_close:
        return (f" (an hour's mean sits too close to its target for more days to decide it: "
                f"{decide.hour:02d}:00)")
    return f" (about --replications {decide.days} would decide them; {decide.hour:02d}:00 needs the most)"


def _day_conclusion(s, args) -> str:
    if not args.confirm:
        return "analysis only, approximate (stationary per hour): simulate it to confirm (drop --no-confirm)"
    hours = {v: [h for h in s.hours if h.verdict == v] for v in ("confirmed", "borderline", "not confirmed")}
    judged = sum(len(v) for v in hours.values())
    straddle = (f"in {plural(len(hours['borderline']), 'hour')} the interval straddles a target{_to_decide(s, args)}"
                if hours["borderline"] else "")
    missed = ", ".join(f"{h.hour:02d}:00" for h in hours["not confirmed"])
    late = len(hours["not confirmed"])
    said = {"confirmed": f"confirmed: every target met in all {judged} hours with calls, across each hour's 95% interval",
            "borderline": f"borderline: met in {len(hours['confirmed'])} of {judged} hours; {straddle}",
            "not confirmed": f"not confirmed: the rounds ran out: {plural(late, 'hour')} still "
                             f"{'misses' if late == 1 else 'miss'} a target after {plural(s.rounds, 'round')} ({missed}); raise --rounds"
                             + (f"; {straddle}" if straddle else ""),
            }.get(s.verdict or "", s.verdict or "not simulated")
    added = sum(h.added for h in s.hours)
    return said + (f"; the simulation added {plural(added, 'agent')} to Lag-SIPP's staffing" if added else "")


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
