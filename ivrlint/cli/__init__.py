"""The `ivrlint` command: one module per subcommand, listed in COMMANDS.

Each command module has ``add_parser(subparsers)``, which registers its
arguments and sets ``run`` (a function of the parsed arguments returning the
exit status). Exit statuses: 0 clean, 1 findings at or above --fail-on (or
a failed gate), 2 unreadable input or a usage error.
"""

from __future__ import annotations

import argparse
import sys
from importlib import import_module

from ivrlint import __version__
from ivrlint.cli.signals import Terminated, interrupted_status, sigterm_as_interrupt
from ivrlint.cli.stdout import discard_stdout, printing
from ivrlint.errors import InputError, UsageError

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ivrlint",
        description="Lint and simulate IVR phone menus written in YAML.",
    )
    parser.add_argument("--version", action="version", version=f"ivrlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)
    sub.required = True
    for name in COMMANDS:
        import_module(f"{__name__}.{name}").add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    with sigterm_as_interrupt():
        return _run(args)


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
        print(f"ivrlint: error: {where}{exc.strerror or exc}", file=sys.stderr)
        try:  # keep what was printed, unless standard output itself failed (Python would retry it at exit)
            sys.stdout.flush()
        except OSError:
            discard_stdout()
        return 2
