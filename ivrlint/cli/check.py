"""`ivrlint check PATH...`: lint menu files."""

from __future__ import annotations

import os
import sys

from ivrlint.cli.stdout import printing
from ivrlint.errors import InputError
from ivrlint.importers import add_from_option
from ivrlint.lint.config import find_config, load_config
from ivrlint.lint.findings import SEVERITIES, severity_rank
from ivrlint.lint.formats import FORMATS, Report, Unreadable, render
from ivrlint.lint.formats.text import use_color
from ivrlint.lint.rules import find_rule
from ivrlint.lint.run import lint_document
from ivrlint.lint.settings import Settings
from ivrlint.menu.files import is_excluded


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="lint menu files",
                       description="Lint menu files, or directories of them (*.yaml, *.yml and the platform files import reads).")
    p.add_argument("paths", nargs="+", metavar="PATH", help="menu files or directories")
    add_from_option(p)
    p.add_argument("--format", choices=list(FORMATS), default="text", help="output format (default: text)")
    p.add_argument("--fail-on", choices=SEVERITIES, default=None, help="lowest severity that fails the run (default: error)")
    p.add_argument("--select", action="append", metavar="RULES",
                   help="comma-separated rules to run (slugs or codes); ALL for every rule; repeatable")
    p.add_argument("--ignore", action="append", metavar="RULES", help="comma-separated rules not to run; repeatable")
    p.add_argument("--config", metavar="FILE", help="configuration file (default: the nearest .ivrlint.yaml, pyproject.toml or setup.cfg)")
    p.add_argument("--no-config", action="store_true", help="ignore configuration files")
    p.add_argument("--force-exclude", action="store_true",
                   help="apply the configuration's exclude to files named on the command line too (for pre-commit, which names every file)")
    p.set_defaults(run=run)


def _rule_list(texts: list[str], flag: str) -> list[str]:
    """The rules of every use of `flag` (`--ignore a --ignore b,c`), each name checked."""
    names = [n.strip() for text in texts for n in text.split(",") if n.strip()]
    for name in names:
        if name != "ALL" and find_rule(name) is None:
            raise InputError.at(None, f"{flag} names unknown rule '{name}'; `ivrlint rules` lists them", "ivrlint")
    return names


class _Configs:
    """Settings per menu file: the nearest configuration, with flags on top."""

    def __init__(self, args):
        self.args = args
        self.cache: dict = {}
        self.fixed: tuple[Settings, str | None] | None = None  # (settings, fail-on) of --config or --no-config
        if args.no_config:
            self.fixed = (Settings(), None)
        elif args.config:
            self.fixed = load_config(args.config)

    def for_path(self, path: str):
        if self.fixed is not None:
            found = self.fixed
        else:
            directory = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
            config = find_config(directory)
            if config not in self.cache:
                self.cache[config] = load_config(config) if config else (Settings(), None)
            found = self.cache[config]
        settings, fail_on = found
        if self.args.select or self.args.ignore:
            settings = Settings(**vars(settings))
            if self.args.select:
                settings.select = _rule_list(self.args.select, "--select")
            if self.args.ignore:
                settings.ignore = settings.ignore + _rule_list(self.args.ignore, "--ignore")
        return settings, self.args.fail_on or fail_on or "error"


def _sources(args, configs) -> list[list[str]]:
    """The phone lines to lint, each as the files loaded together."""
    from ivrlint.importers import menu_sources

    named, sources, seen = [], [], []
    for path in args.paths:
        settings, _ = configs.for_path(path)
        if args.force_exclude and not os.path.isdir(path) and is_excluded(path, settings.exclude):
            continue
        found = menu_sources([path], settings.exclude, args.source_format)
        if not found:
            raise InputError.at(None, "no menu files here (*.yaml, *.yml, or a platform's files) "
                                "or all are excluded by the configuration", path)
        named.append(path)
        for group in found:
            if set(group) not in seen:  # two files named from one directory are one line, read once
                seen.append(set(group))
                sources.append(group)
    if args.source_format not in (None, "yaml"):
        return menu_sources(named, (), args.source_format)  # named files of one directory are one line
    return sources


def run(args) -> int:
    from ivrlint.importers import read_each, source_files

    configs = _Configs(args)
    sources = _sources(args, configs)
    findings, unreadable, files = [], [], []
    failing = False
    for group in sources:
        files.extend(source_files(group))
        settings, fail_on = configs.for_path(group[0])
        # the group is the line: exactly its files; one that cannot be read is reported, the others are linted
        document, failed = read_each(group, args.source_format)
        unreadable.extend(Unreadable.from_error(exc, bad) for exc, bad in failed)
        if document is None:
            continue
        found = lint_document(document, settings)
        findings.extend(found)
        failing = failing or any(severity_rank(f.severity) >= severity_rank(fail_on) for f in found)
    report = Report(findings, unreadable, files)
    for line in report.errors:
        print(line, file=sys.stderr)
    status = 2 if unreadable else 1 if failing else 0
    with printing():  # `check | head` in CI must still fail on findings
        render(report, args.format, sys.stdout, color=args.format == "text" and use_color(sys.stdout))
    return status
