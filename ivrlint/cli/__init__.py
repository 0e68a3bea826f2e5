"""The `ivrlint` command: one module per subcommand, listed in COMMANDS.

Each command module has ``add_parser(subparsers)``, which registers its
arguments and sets ``run`` (a function of the parsed arguments returning the
exit status). Exit statuses: 0 clean, 1 findings at or above --fail-on (or
a failed gate), 2 unreadable input or a usage error.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import AbstractContextManager, nullcontext
from importlib import import_module

from ivrlint import __version__
from ivrlint.cli.signals import Terminated, interrupted_status, sigterm_as_interrupt
from ivrlint.cli.stdout import discard_stdout, printing
from ivrlint.errors import InputError, UsageError, one_line

#: Subcommand modules, in the order `ivrlint --help` lists them.
COMMANDS = ("check", "import_", "rules", "graph", "simulate", "analyze", "compare", "sweep", "staff", "server")


class CommandParser(argparse.ArgumentParser):
    """A subcommand's parser that reports an option it does not know itself, with its own usage
    (`ivrlint check --formt json` shows check's options), instead of handing it back to the top level."""

    def parse_known_args(self, args=None, namespace=None):
        parsed, unknown = super().parse_known_args(args, namespace)
        if unknown:
            self.error(f"unrecognized arguments: {' '.join(unknown)}")
        return parsed, unknown


def build_parser(commands: tuple[str, ...] = COMMANDS) -> argparse.ArgumentParser:
    """The parser, with the subcommands of the modules `commands` (all of them by default)."""
    parser = argparse.ArgumentParser(
        prog="ivrlint",
        description="Lint and simulate IVR phone menus written in YAML.",
    )
    parser.add_argument("--version", action="version", version=f"ivrlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)
    sub.required = True
    for name in commands:
        import_module(f"{__name__}.{name}").add_parser(sub)
    return parser


def needed_commands(argv: list[str]) -> tuple[str, ...]:
    """The command modules a run of `argv` needs: only the one it names.

    Each module imports what its command runs (the simulator, the analysis,
    scipy...), so importing all of them made `ivrlint --version` take 0.7 s and
    every `check` from pre-commit pay for the simulator. The top-level parser's
    own options take no values, so the first word that is not an option is the
    command; `--version` alone needs none; help, or a word that is no command,
    gets all of them (argparse then lists them, or says which it did not know).
    """
    for arg in argv:
        if not arg.startswith("-"):
            name = f"{arg}_" if f"{arg}_" in COMMANDS else arg  # `import` lives in import_.py
            return (name,) if name in COMMANDS else COMMANDS
    return () if "--version" in argv and not {"-h", "--help"} & set(argv) else COMMANDS


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(needed_commands(argv))
    args = parser.parse_args(argv)
    with sigterm_as_interrupt(), _includes_allowed(args):
        return _run(args)


def _includes_allowed(args) -> AbstractContextManager:
    """For this run, let platform includes read under the directories of --include-root (importers/includes.py)."""
    roots = getattr(args, "include_roots", None)
    if not roots:
        return nullcontext()
    from ivrlint.importers.includes import allowing  # only then: `ivrlint rules` need not load the importers

    return allowing(roots)


def _run(args) -> int:
    try:
        status = args.run(args)
        with printing():  # what is still buffered: a full disk shows here, not in a traceback at exit
            sys.stdout.flush()
        return status
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"ivrlint: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        print(f"ivrlint: {'terminated' if isinstance(exc, Terminated) else 'interrupted'}", file=sys.stderr)
        return interrupted_status(exc)
    except BrokenPipeError:  # `ivrlint ... | head` on a command that prints last, whose status is then 0
        discard_stdout()
        return 0
    except OSError as exc:  # last resort: a file that could not be read or written, in one line
        where = f"{exc.filename}: " if exc.filename else ""
        print(one_line(f"ivrlint: error: {where}{exc.strerror or exc}"), file=sys.stderr)
        try:  # keep what was printed, unless standard output itself failed (Python would retry it at exit)
            sys.stdout.flush()
        except OSError:
            discard_stdout()
        return 2
