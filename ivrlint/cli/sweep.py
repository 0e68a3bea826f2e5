"""`ivrlint sweep MENU --vary PATH=V1,V2,...`: simulate every combination, resumably."""

from __future__ import annotations

import os
import re
import sys

from ivrlint.cli.argtypes import positive_float, positive_int, seed
from ivrlint.cli.scaled_shares import warn_if_shares_scaled
from ivrlint.errors import UsageError
from ivrlint.importers import add_from_option


def add_simulation_options(p, hours: float, replications: int) -> None:
    """--hours, --replications, --seed, --jobs: how each simulation runs (shared by compare, sweep, staff)."""
    p.add_argument("--hours", type=positive_float, default=hours, help=f"simulated hours per replication (default: {hours:g})")
    p.add_argument("--replications", type=positive_int, default=replications,
                   help=f"independent replications, for the 95%% confidence intervals (default: {replications})")
    p.add_argument("--seed", type=seed, default=1, help="random seed; the same seed gives the same numbers (default: 1)")
    p.add_argument("--jobs", type=positive_int, default=None, help="parallel processes (default: all cores)")


def simulation_settings(args):
    from ivrlint.whatif.compare import SimulationSettings

    return SimulationSettings(hours=args.hours, replications=args.replications, seed=args.seed, jobs=args.jobs)



def add_parser(sub) -> None:
    p = sub.add_parser(
        "sweep", help="simulate every combination of varied settings (resumable; local or Dask)",
        description="Simulate every combination of the --vary values, with replications, and write one row per "
                    "scenario (varied values and measures with 95% CIs) to CSV and JSON, plus line plots. "
                    "Rows are saved as each scenario finishes: rerun the same command to resume.")
    p.add_argument("menu", metavar="MENU", help="the menu file")
    add_from_option(p)
    p.add_argument("--vary", action="append", required=True, metavar="PATH=VALUES",
                   help="a menu path and its values: V1,V2,... ranges LOW:HIGH or LOW:HIGH:STEP (inclusive), "
                        "durations with units (90s, 2m); repeat for more paths")
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                   help="a value for every scenario, e.g. traffic.calls_per_hour=500 (repeatable)")
    add_simulation_options(p, hours=4.0, replications=5)
    p.add_argument("--warmup", type=float, default=0.0, help="hours simulated first and not counted (default: 0)")
    p.add_argument("--out", metavar="DIR", help="output directory (default: reports/<ivr>-sweep/)")
    p.add_argument("--plot", action="append", default=None, metavar="MEASURE",
                   help="measure to plot, e.g. queues.general.mean_wait (default: overall p_abandon, mean_wait and "
                        "service_level, and those measures and occupancy of each pool a --vary path names)")
    p.add_argument("--no-plots", action="store_true", help="write no plots")
    p.add_argument("--dask", metavar="ADDRESS",
                   help="run the scenarios on a Dask cluster at ADDRESS (tcp://host:8786), or 'local' for a "
                        "local cluster; needs `pip install ivrlint[dask]`")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.set_defaults(run=run)


def default_out(ivr: str) -> str:
    return os.path.join("reports", re.sub(r"[^\w.-]+", "_", ivr) + "-sweep")


def _check_plot_names(names, menu) -> None:
    """--plot names must be measures a row will have; say which ones exist before hours of simulation."""
    from ivrlint.whatif.scenario_task import INTENT_MEASURES, POOL_MEASURES
    from ivrlint.whatif.sweep_table import known_measures

    known = known_measures(menu, POOL_MEASURES, INTENT_MEASURES)
    for name in names or ():
        if name not in known:
            raise UsageError(f"--plot {name}: not a sweep measure; e.g. {', '.join(known[:3])}, "
                             f"queues.POOL.mean_wait or intents.INTENT.p_goal")


def run(args) -> int:
    from ivrlint.importers import load_any
    from ivrlint.whatif.scenarios import file_hash, parse_vary
    from ivrlint.whatif.sweep import SweepPlan, run_sweep

    varies = [parse_vary(text) for text in args.vary]
    if args.warmup < 0:
        raise UsageError("--warmup must be 0 or more hours")
    if args.dask:
        from ivrlint.whatif.dask_runner import require_distributed

        require_distributed()  # fail now, before any work, when Dask is missing
    menu = load_any(args.menu, args.source_format)
    if menu.traffic is None:
        raise UsageError(f"{args.menu}: a sweep simulates calls, and this menu has no traffic section")
    _check_plot_names(args.plot, menu)
    if args.set:
        from ivrlint.menu.overrides import apply_overrides

        varied = {v.path for v in varies}
        for text in args.set:
            if text.partition("=")[0].strip() in varied:
                raise UsageError(f"--set {text}: that path is also varied; give its values in --vary only")
        menu = apply_overrides(menu, args.set)
    warn_if_shares_scaled(menu)
    from ivrlint.sim.story import check_overflows

    check_overflows(menu)  # here, not in a sweep worker, whose InputError would read as a worker that died
    plan = SweepPlan(menu, file_hash(args.menu), varies, args.hours, args.replications, args.seed, args.warmup,
                     fixed=args.set)
    out_dir = args.out or default_out(menu.ivr)
    log = (lambda message: None) if args.quiet else (lambda message: print(message, file=sys.stderr, flush=True))
    try:
        outcome = run_sweep(plan, out_dir, jobs=args.jobs, dask_address=args.dask, log=log,
                            plots=not args.no_plots, plot_measures=args.plot)
    except KeyboardInterrupt as exc:
        from ivrlint.cli.signals import interrupted_status

        print(f"ivrlint: sweep interrupted; finished scenarios are saved in {out_dir}; "
              "run the same command again to resume", file=sys.stderr)
        return interrupted_status(exc)
    from ivrlint.whatif.sweep_table import table_lines

    for line in table_lines(plan, outcome.rows):
        print(line)
    print(f"\n{outcome.total} scenarios ({outcome.reused} reused from an earlier run, {outcome.ran} simulated); "
          f"{args.replications} x {args.hours:g} h each, seed {args.seed}")
    for path in outcome.files:
        print(f"wrote {path}")
    return 0
