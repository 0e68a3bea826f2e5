"""`ivrlint import FORMAT FILE... [-o OUT.yaml]`: convert a platform's menus to an ivrlint YAML menu."""

from __future__ import annotations

import os
import sys

from ivrlint.common.atomic import write_file
from ivrlint.common.text import plural
from ivrlint.errors import UsageError, one_line
from ivrlint.importers import add_include_root_option, importers, read_any
from ivrlint.importers.yaml_out import menu_to_yaml


def add_parser(sub) -> None:
    names = list(importers())
    p = sub.add_parser(
        "import", help="convert a platform's menus (FreeSWITCH, Asterisk, Amazon Connect, Twilio Studio, Genesys Cloud) to a YAML menu",
        description="Convert the files of one phone line on a platform to an ivrlint YAML menu, with a comment "
                    "on each node saying where it came from. What the importer could not model or found broken "
                    "is printed as warnings (and is what `ivrlint check` reports on the original files).",
    )
    p.add_argument("format", choices=names, metavar="FORMAT", help=f"the platform: {', '.join(names) or 'none installed'}")
    p.add_argument("files", nargs="+", metavar="FILE", help="the platform's files of one phone line, or their directory")
    p.add_argument("-o", "--output", metavar="OUT.yaml", help="write the menu here, whole or not at all (a symlink is written through; "
                        "a FIFO or device is refused); default: standard output")
    add_include_root_option(p)
    p.set_defaults(run=run)


def run(args) -> int:
    if args.output and any(_same_file(args.output, path) for path in args.files):
        raise UsageError(f"-o {args.output} is one of the files to import; choose another file to write")
    document = read_any(args.files if len(args.files) > 1 else args.files[0], args.format)
    menu = document.menu
    for note in document.notes:
        print(one_line(f"{note.loc}: warning: {note.message} [{note.rule}]"), file=sys.stderr)
    text = menu_to_yaml(menu, document.notes)
    if args.output:
        write_file(args.output, text.encode("utf-8"))
        print(f"wrote {args.output}: {plural(len(menu.nodes), 'node')}, {plural(len(menu.queues), 'queue')}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
