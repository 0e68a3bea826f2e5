"""`ivrlint check PATH...`: lint menu files."""

from __future__ import annotations

import io
import json
import os
import sys
from collections import Counter

from ivrlint.cli.stdout import printing
from ivrlint.errors import InputError, UsageError, one_line
from ivrlint.importers import add_from_option
from ivrlint.lint.config import find_config, load_config
from ivrlint.lint.findings import SEVERITIES, severity_rank
from ivrlint.lint.formats import FORMATS, Report, Unreadable, render
from ivrlint.lint.formats.text import use_color
from ivrlint.lint.rules import find_rule
from ivrlint.lint.run import lint_document
from ivrlint.lint.settings import Settings
from ivrlint.menu.files import is_excluded
from ivrlint.menu.yamlsource import MAX_BYTES, decode


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="lint menu files",
                       description="Lint menu files, or directories of them (*.yaml, *.yml and the platform files import reads).")
    p.add_argument("paths", nargs="+", metavar="PATH", help="menu files or directories; - reads one menu from standard input")
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
    p.add_argument("--stdin-filename", metavar="PATH",
                   help="with -, the file standard input holds: its name in messages, its format, where its configuration is found")
    p.add_argument("--output-file", metavar="FILE", help="write the report to FILE (whole or not at all) instead of standard output")
    p.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when findings reach --fail-on (a file that cannot be read still exits 2)")
    p.add_argument("--verbose", action="store_true", help="also say which YAML files a directory search skipped as not menus")
    p.add_argument("--statistics", action="store_true",
                   help="print how many findings each rule has, most first, instead of the findings")
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


def _reads_stdin(args) -> bool:
    """Is this run `check -`? (- alone; --stdin-filename only with it.)"""
    if "-" in args.paths:
        if len(args.paths) > 1:
            raise UsageError("- (standard input) is one menu: give it alone, with --stdin-filename PATH to name it")
        return True
    if args.stdin_filename:
        raise UsageError("--stdin-filename names what - reads; give - as the PATH")
    return False


def _found(args, path: str, exclude) -> list[list[str]]:
    """The phone lines under `path`; with --verbose, say which YAML files were skipped as not menus."""
    from ivrlint.importers import menu_sources

    skipped: list[str] = []
    found = menu_sources([path], exclude, args.source_format, skipped)
    for file in skipped if args.verbose else ():
        print(one_line(f"{file}: skipped: no ivr, start or nodes at its top level, so not an ivrlint menu"), file=sys.stderr)
    return found


def _sources(args, configs) -> list[list[str]]:
    """The phone lines to lint, each as the files loaded together."""
    from ivrlint.importers import menu_sources

    if _reads_stdin(args):
        return [[STDIN]]

    named, sources, seen = [], [], []
    for path in args.paths:
        settings, _ = configs.for_path(path)
        if args.force_exclude and not os.path.isdir(path) and is_excluded(path, settings.exclude):
            continue
        found = _found(args, path, settings.exclude)
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


#: The one source that is read from standard input (`check -`).
STDIN = "-"


def _read_stdin(args):
    """The document on standard input, named by --stdin-filename; (document, []) or (None, [(error, files)])."""
    from ivrlint.importers.buffers import read_buffer

    name = args.stdin_filename or "<stdin>"
    try:
        data = sys.stdin.buffer.read(MAX_BYTES + 1)  # bounded: a larger menu is refused by decode
        return read_buffer(name, decode(data, name)), []
    except InputError as exc:
        return None, [(exc, [name])]


def run(args) -> int:
    from ivrlint.importers import read_each, source_files

    configs = _Configs(args)
    sources = _sources(args, configs)
    findings: list = []
    unreadable: list = []
    files: list[str] = []
    failing = False
    for group in sources:
        stdin = group == [STDIN]
        files.extend([args.stdin_filename or "<stdin>"] if stdin else source_files(group))
        settings, fail_on = configs.for_path(args.stdin_filename or "." if stdin else group[0])
        # the group is the line: exactly its files; one that cannot be read is reported, the others are linted
        document, failed = _read_stdin(args) if stdin else read_each(group, args.source_format)
        unreadable.extend(Unreadable.from_error(exc, bad) for exc, bad in failed)
        if document is None:
            continue
        found = lint_document(document, settings)
        findings.extend(found)
        failing = failing or any(severity_rank(f.severity) >= severity_rank(fail_on) for f in found)
    report = Report(findings, unreadable, files)
    for line in report.errors:
        print(line, file=sys.stderr)
    status = 2 if unreadable else 1 if failing and not args.exit_zero else 0
    _write(args, report)
    return status


def _write(args, report: Report) -> None:
    """The findings (or with --statistics their counts) on standard output, or whole into --output-file."""
    if args.output_file:
        from ivrlint.common.atomic import write_file

        out = io.StringIO()
        (statistics if args.statistics else render)(report, args.format, out)
        write_file(args.output_file, out.getvalue().encode("utf-8"))
        return
    with printing():  # `check | head` in CI must still fail on findings
        color = args.format == "text" and use_color(sys.stdout)
        (statistics if args.statistics else render)(report, args.format, sys.stdout, color=color)


def statistics(report: Report, fmt: str, stream, color: bool = False) -> None:
    """How many findings each rule has, most first (ruff's --statistics): text, or JSON for --format json."""
    counts = Counter((f.code, f.rule) for f in report.findings)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if fmt == "json":
        json.dump([{"code": code, "rule": rule, "count": n} for (code, rule), n in ranked], stream, indent=2)
        stream.write("\n")
        return
    width = len(str(ranked[0][1])) if ranked else 1
    for (code, rule), n in ranked:
        stream.write(f"{n:>{width}}  {code}  {rule}\n")
