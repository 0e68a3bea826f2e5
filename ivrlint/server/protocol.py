"""`ivrlint server`: the Language Server Protocol over stdio, on pygls.

What an editor gets:

* diagnostics when a menu is opened, saved or changed (changes debounced),
  each with its rule code, severity and a link to the rule's page, from
  the same configuration `check` finds for the file; a buffer that cannot
  be read shows its problems at their lines;
* hover on a rule's code or slug (in a diagnostic's place, or in a
  suppression comment) shows the rule's page;
* go to definition from a name of a node or pool (an option's target,
  ``next``, ``on_*``, a branch's ``goto``, ``queue``, an intent's goal);
* completion of node and pool names where one is written;
* code actions that add a suppression comment for a diagnostic, in the
  file's own comment syntax (YAML ``#``, XML ``<!-- -->``, dialplan ``;``).

YAML menus and the platform files the importers read are both served.
The server never dies on a document: what cannot be read is a diagnostic.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from ivrlint import __version__
from ivrlint.importers.buffers import platform_of
from ivrlint.lint.findings import Finding
from ivrlint.lint.formats.rule_help import markdown
from ivrlint.lint.rules import find_rule
from ivrlint.location import Location
from ivrlint.menu.document import Document
from ivrlint.server.buffers import Outcome, lint_buffer
from ivrlint.server.names import completions, definition, reference_at

#: Seconds of quiet after a change before the buffer is linted again.
DEBOUNCE = 0.3
SOURCE = "ivrlint"
_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
             "info": types.DiagnosticSeverity.Information}
_WORD = re.compile(r"[^\s,:{}\[\]'\"]+|'[^']*'|\"[^\"]*\"")
_RULE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
#: The rule reference pages (docs/rules.md of a source checkout), linked from each diagnostic.
RULES_PAGE = Path(__file__).resolve().parent.parent.parent / "docs" / "rules.md"


class IvrlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("ivrlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.documents: dict[str, Document] = {}  # uri -> the last document that could be read
        self.pending: dict[str, asyncio.Task] = {}


server = IvrlintServer()


def _path(uri: str) -> str:
    return to_fs_path(uri) or uri


def _range(lines: Sequence[str], loc: Location | None) -> types.Range:
    """The range of the word a finding points at (1-based line and column), or the line's start."""
    if loc is None or loc.line < 1:
        return types.Range(types.Position(0, 0), types.Position(0, 0))
    line = loc.line - 1
    text = lines[line] if line < len(lines) else ""
    start = max(loc.column - 1, 0)
    word = _WORD.match(text, start)
    end = word.end() if word and word.start() == start else len(text.rstrip("\r\n"))
    return types.Range(types.Position(line, start), types.Position(line, max(end, start)))


def _href(finding: Finding) -> types.CodeDescription | None:
    if not RULES_PAGE.is_file():
        return None
    return types.CodeDescription(href=f"{RULES_PAGE.as_uri()}#{finding.code.lower()}-{finding.rule}")


def diagnostics(outcome: Outcome, path: str, lines: Sequence[str]) -> list[types.Diagnostic]:
    """The diagnostics of `path` from what linting its buffer gave."""
    out = []
    for f in outcome.findings:
        if f.file != path:
            continue  # a finding in another file of the line: that file's own diagnostics show it
        out.append(types.Diagnostic(
            range=_range(lines, Location(f.file, f.line, f.column)), message=f.message,
            severity=_SEVERITY.get(f.severity, types.DiagnosticSeverity.Warning),
            code=f.code, code_description=_href(f), source=SOURCE, data={"rule": f.rule}))
    for loc, message in outcome.problems:
        if loc is not None and loc.file != path:
            message = f"{loc}: {message}"  # a problem in another file of the line, shown at the top
            loc = None
        out.append(types.Diagnostic(range=_range(lines, loc), message=message,
                                    severity=types.DiagnosticSeverity.Error, source=SOURCE))
    return out


def _publish(ls: IvrlintServer, uri: str) -> None:
    document = ls.workspace.get_text_document(uri)
    path = _path(uri)
    outcome = lint_buffer(path, document.source)
    if outcome.document is not None:
        ls.documents[uri] = outcome.document
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
        uri=uri, version=document.version, diagnostics=diagnostics(outcome, path, document.lines)))


async def _publish_later(ls: IvrlintServer, uri: str) -> None:
    await asyncio.sleep(DEBOUNCE)
    _publish(ls, uri)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: IvrlintServer, params: types.DidOpenTextDocumentParams) -> None:
    _publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: IvrlintServer, params: types.DidSaveTextDocumentParams) -> None:
    _publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: IvrlintServer, params: types.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    if uri in ls.pending:
        ls.pending[uri].cancel()
    ls.pending[uri] = asyncio.ensure_future(_publish_later(ls, uri))


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: IvrlintServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    if uri in ls.pending:
        ls.pending.pop(uri).cancel()
    ls.documents.pop(uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: IvrlintServer, params: types.HoverParams) -> types.Hover | None:
    document = ls.workspace.get_text_document(params.text_document.uri)
    line = document.lines[params.position.line] if params.position.line < len(document.lines) else ""
    for match in _RULE_NAME.finditer(line):
        if match.start() <= params.position.character <= match.end():
            rule = find_rule(match.group(0))
            if rule is not None:
                page = f"**{rule.code} {rule.slug}** ({rule.severity})\n\n" + markdown(rule.doc)
                return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=page))
    return None


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def goto_definition(ls: IvrlintServer, params: types.DefinitionParams) -> types.Location | None:
    menu_document = ls.documents.get(params.text_document.uri)
    if menu_document is None:
        return None
    menu = menu_document.menu
    ref = reference_at(menu, params.position.line + 1, params.position.character + 1)
    target = definition(menu, ref) if ref else None
    if target is None:
        return None
    lines = Path(target.file).read_text(encoding="utf-8", errors="replace").splitlines() \
        if target.file != _path(params.text_document.uri) and Path(target.file).is_file() \
        else ls.workspace.get_text_document(params.text_document.uri).lines
    return types.Location(uri=Path(target.file).resolve().as_uri(), range=_range(lines, target))


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[":", " ", ","]))
def complete(ls: IvrlintServer, params: types.CompletionParams) -> types.CompletionList:
    document = ls.workspace.get_text_document(params.text_document.uri)
    line = document.lines[params.position.line] if params.position.line < len(document.lines) else ""
    menu_document = ls.documents.get(params.text_document.uri)
    kind, names = completions(menu_document.menu if menu_document else None, line, params.position.character)
    item_kind = types.CompletionItemKind.Reference if kind == "node" else types.CompletionItemKind.Module
    return types.CompletionList(is_incomplete=False, items=[
        types.CompletionItem(label=name, kind=item_kind, detail=f"{kind} in this menu") for name in names])


def _comment(path: str, text: str, directive: str) -> str:
    """A suppression comment in the file's own syntax."""
    fmt = platform_of(path, text)
    if fmt == "freeswitch":
        return f"<!-- ivrlint: {directive} -->"
    if fmt == "asterisk":
        return f"; ivrlint: {directive}"
    return f"# ivrlint: {directive}"


def _line_edit(path: str, text: str, lines: Sequence[str], line: int, rule: str) -> types.TextEdit | None:
    """The comment that disables `rule` for 0-based `line`: at the line's end; in XML, on a line of
    its own above an element's first line (a comment cannot sit inside a tag); None where it cannot go."""
    current = lines[line].rstrip("\r\n") if line < len(lines) else ""
    if platform_of(path, text) == "freeswitch":
        if not current.lstrip().startswith("<"):
            return None
        indent = current[:len(current) - len(current.lstrip())]
        start = types.Position(line, 0)
        return types.TextEdit(types.Range(start, start), f"{indent}{_comment(path, text, f'disable={rule}')}\n")
    end = types.Position(line, len(current))
    return types.TextEdit(types.Range(end, end), "  " + _comment(path, text, f"disable={rule}"))


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION)
def code_actions(ls: IvrlintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    document = ls.workspace.get_text_document(uri)
    path = _path(uri)
    if platform_of(path, document.source) in ("connect", "twilio"):
        return []  # JSON has no comments: suppress in the configuration (per-file-ignores)
    actions = []
    for diagnostic in params.context.diagnostics:
        rule = diagnostic.data.get("rule") if isinstance(diagnostic.data, dict) else None
        if diagnostic.source != SOURCE or not rule:
            continue
        here = _line_edit(path, document.source, document.lines, diagnostic.range.start.line, rule)
        whole = types.TextEdit(types.Range(types.Position(0, 0), types.Position(0, 0)),
                               _comment(path, document.source, f"disable-file={rule}") + "\n")
        for title, edit in ((f"Disable {rule} for this line", here), (f"Disable {rule} for this file", whole)):
            if edit is not None:
                actions.append(types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic],
                                                edit=types.WorkspaceEdit(changes={uri: [edit]})))
    return actions


def serve() -> None:
    """Serve the editor on standard input and output until it says exit."""
    server.start_io()
