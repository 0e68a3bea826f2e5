"""`ivrlint server`: a language server for editors, over standard input and output."""

from __future__ import annotations

from ivrlint.errors import UsageError


def add_parser(sub) -> None:
    p = sub.add_parser("server", help="run the language server (LSP over stdio) for editors",
                       description="Serve diagnostics, hover, go-to-definition, completion and suppression "
                                   "quick fixes to an editor over stdio (needs: pip install 'ivrlint[lsp]').")
    p.set_defaults(run=run)


def run(args) -> int:
    try:
        from ivrlint.server.protocol import serve
    except ImportError as exc:
        raise UsageError(f"the language server needs pygls ({exc.name} is not installed): pip install 'ivrlint[lsp]'") from None
    serve()
    return 0
