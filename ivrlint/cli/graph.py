"""`ivrlint graph MENU -o FILE`: draw a menu as PNG or SVG, or write it as Graphviz DOT."""

from __future__ import annotations

import io
import os
import sys

from ivrlint.errors import UsageError
from ivrlint.importers import add_from_option

#: Output suffix -> what is written.
SUFFIXES = {".png": "png", ".svg": "svg", ".dot": "dot", ".gv": "dot"}



def add_parser(sub) -> None:
    p = sub.add_parser(
        "graph", help="draw a menu as a picture (PNG, SVG) or Graphviz DOT",
        description="Draw a menu: nodes by type, edges by key, lint findings in red. "
                    "The output file's suffix chooses the format: .png, .svg, or .dot/.gv (Graphviz). "
                    "`-o -` writes DOT to standard output.")
    p.add_argument("menu", metavar="MENU", help="menu file")
    add_from_option(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write: NAME.png, NAME.svg, NAME.dot, or -")
    p.add_argument("--no-findings", action="store_true", help="do not run the linter to mark nodes with findings")
    p.add_argument("--config", metavar="FILE", help="linter configuration (default: the nearest one, as for check)")
    p.set_defaults(run=run)


def output_format(path: str) -> str:
    """The format a file name asks for; a usage error for any other suffix."""
    if path == "-":
        return "dot"
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in SUFFIXES:
        raise UsageError(f"cannot tell the format of '{path}': name it .png, .svg or .dot (Graphviz)")
    return SUFFIXES[suffix]


def _findings(document, args):
    from ivrlint.lint.config import find_config, load_config
    from ivrlint.lint.run import lint_document
    from ivrlint.lint.settings import Settings

    if args.no_findings:
        return []
    config = args.config or find_config(os.path.dirname(os.path.abspath(args.menu)))
    settings = load_config(config)[0] if config else Settings()
    return lint_document(document, settings)


def run(args) -> int:
    from ivrlint.common.atomic import write_file
    from ivrlint.importers import read_any

    fmt = output_format(args.output)
    document = read_any(args.menu, args.source_format)
    menu = document.menu
    findings = _findings(document, args)
    if fmt == "dot":
        from ivrlint.report.dot import menu_to_dot

        text = menu_to_dot(menu, findings)
        if args.output == "-":
            sys.stdout.write(text)
            return 0
        data = text.encode("utf-8")
    else:
        from ivrlint.report.drawing import draw_menu
        from ivrlint.report.style import figure_style, save_options

        buffer = io.BytesIO()
        with figure_style():
            draw_menu(menu, findings).savefig(buffer, **save_options(fmt))
        data = buffer.getvalue()
    write_file(args.output, data)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0

