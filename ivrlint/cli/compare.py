"""`ivrlint compare BASE HEAD` or `ivrlint compare --git REV FILE`: did a menu change make callers' lives worse?"""

from __future__ import annotations

import os
import sys

from ivrlint.cli.stdout import printing
from ivrlint.cli.sweep import add_simulation_options, simulation_settings
from ivrlint.errors import UsageError
from ivrlint.importers import add_from_option
from ivrlint.lint.config import find_config, load_config
from ivrlint.lint.settings import Settings


def add_parser(sub) -> None:
    p = sub.add_parser(
        "compare", help="compare two versions of a menu (structure, findings, measures)",
        description="Compare two versions of a menu: what changed in its structure, which findings are new "
                    "or fixed, and how the analysed measures moved per intent and per pool. "
                    "Exit 1 with --fail-on-regression when the change makes things worse beyond the thresholds.")
    p.add_argument("paths", nargs="+", metavar="MENU", help="BASE HEAD, or with --git just the FILE")
    add_from_option(p)
    p.add_argument("--git", metavar="REV", help="compare FILE with its version at git revision REV (e.g. origin/main, HEAD~1)")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                   help="output format; markdown is meant for a pull-request comment (default: text)")
    p.add_argument("--fail-on-regression", action="store_true",
                   help="exit 1 when a new error appears or a measure gets worse beyond its threshold")
    p.add_argument("--threshold", action="append", default=[], metavar="NAME=VALUE",
                   help="how much worse a measure may get, e.g. mean_wait=10%%,5s or p_goal=0.02 or p_abandon=off "
                        "(defaults: seconds_to_person=10%%, ivr_seconds=10%%,5s, p_goal=0.02, mean_wait=10%%,5s, "
                        "p_abandon=0.01, service_level=0.02)")
    p.add_argument("--simulate", action="store_true",
                   help="also simulate both versions with the same seed and report measures with 95%% CIs")
    add_simulation_options(p, hours=8.0, replications=10)
    p.add_argument("--config", metavar="FILE", help="lint configuration (default: the nearest one to the head menu)")
    p.add_argument("--no-config", action="store_true", help="ignore configuration files")
    p.set_defaults(run=run)


def _load_pair(args):
    from ivrlint.importers import read_any
    from ivrlint.whatif.gitfile import document_at_revision

    if args.git:
        if len(args.paths) != 1:
            raise UsageError("with --git REV give exactly one FILE, e.g. `ivrlint compare --git origin/main menus/bank.yaml`")
        path = args.paths[0]
        head = read_any(path, args.source_format)
        return document_at_revision(path, args.git, args.source_format), head
    if len(args.paths) != 2:
        raise UsageError("give two menus, BASE and HEAD (or --git REV FILE)")
    return read_any(args.paths[0], args.source_format), read_any(args.paths[1], args.source_format)


def _lint_settings(args, head_path: str) -> Settings:
    if args.no_config:
        return Settings()
    config = args.config or find_config(os.path.dirname(os.path.abspath(head_path)))
    return load_config(config)[0] if config else Settings()


def run(args) -> int:
    from ivrlint.whatif.compare import compare_menus
    from ivrlint.whatif.compare_render import render
    from ivrlint.whatif.regressions import thresholds_from

    thresholds = thresholds_from(args.threshold)
    sim = simulation_settings(args) if args.simulate else None
    base, head = _load_pair(args)
    report = compare_menus(base, head, _lint_settings(args, args.paths[-1]), thresholds, sim)
    status = 1 if args.fail_on_regression and report["regressed"] else 0
    with printing():  # `compare | head` in CI must still fail on a regression
        render(report, args.format, sys.stdout)
    return status
