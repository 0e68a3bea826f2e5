"""`ivrlint server` driven as an editor drives it: a real LSP client (pygls's) over the server's stdin and stdout."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

pygls = pytest.importorskip("pygls", reason="the language server needs the lsp extra (pip install 'ivrlint[lsp]')")

from lsprotocol import types  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

MENU = """\
ivr: shop
start: main
nodes:
  main:
    type: menu
    prompt: For billing, press 1. For an agent, press 0. To hear this again, press 9.
    options: {1: billing, 0: agent, 9: {action: repeat}}
    on_failure: agent
  billing:
    type: message
    prompt: Your bill is due on the first.
  agent: {type: queue, queue: general}
queues:
  general: {agents: 2, handle_time: 120}
"""
FIXED = MENU.replace("    prompt: Your bill is due on the first.\n", "    prompt: Your bill is due on the first.\n    next: main\n")


class Editor:
    """An LSP client with what the server published, per document."""

    def __init__(self) -> None:
        self.client = LanguageClient("test-editor", "1")
        self.published: dict[str, asyncio.Queue] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def _published(params: types.PublishDiagnosticsParams) -> None:
            self.published.setdefault(params.uri, asyncio.Queue()).put_nowait(params.diagnostics)

    async def start(self, root: Path) -> None:
        await self.client.start_io(sys.executable, "-m", "ivrlint", "server")
        await self.client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=root.as_uri(), process_id=None))
        self.client.initialized(types.InitializedParams())

    async def diagnostics(self, uri: str) -> list[types.Diagnostic]:
        return await asyncio.wait_for(self.published.setdefault(uri, asyncio.Queue()).get(), 30)

    def open(self, path: Path, text: str) -> str:
        uri = path.as_uri()
        language = "yaml" if path.suffix == ".yaml" else "xml"
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))
        return uri

    def change(self, uri: str, text: str, version: int) -> None:
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangeWholeDocument(text=text)]))

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


def run(coroutine) -> None:
    asyncio.run(asyncio.wait_for(coroutine, 120))


def _at(diagnostics, code):
    return [d for d in diagnostics if d.code == code]


def test_diagnostics_on_open_clear_after_the_fix_and_definition_jumps(tmp_path):
    path = tmp_path / "shop.yaml"
    path.write_text(MENU)

    async def session():
        editor = Editor()
        await editor.start(tmp_path)
        try:
            uri = editor.open(path, MENU)
            found = await editor.diagnostics(uri)
            [dead_end] = _at(found, "S103")
            assert dead_end.range.start == types.Position(8, 2)  # `billing:` on line 9, column 3
            assert dead_end.severity == types.DiagnosticSeverity.Error and dead_end.source == "ivrlint"
            assert "has no 'next'" in dead_end.message
            editor.change(uri, FIXED, 2)
            assert _at(await editor.diagnostics(uri), "S103") == []
            # `1: billing` in the options line jumps to the billing node
            line = FIXED.splitlines().index("    options: {1: billing, 0: agent, 9: {action: repeat}}")
            column = FIXED.splitlines()[line].index("billing") + 2
            where = await editor.client.text_document_definition_async(types.DefinitionParams(
                types.TextDocumentIdentifier(uri), types.Position(line, column)))
            assert where.uri == path.resolve().as_uri() and where.range.start == types.Position(8, 2)
            queue_line = FIXED.splitlines().index("  agent: {type: queue, queue: general}")
            pool = await editor.client.text_document_definition_async(types.DefinitionParams(
                types.TextDocumentIdentifier(uri), types.Position(queue_line, FIXED.splitlines()[queue_line].index("general"))))
            assert pool.range.start.line == FIXED.splitlines().index("  general: {agents: 2, handle_time: 120}")
        finally:
            await editor.stop()

    run(session())


def test_hover_completion_and_a_suppression_quick_fix(tmp_path):
    path = tmp_path / "shop.yaml"
    text = MENU + "# ivrlint: disable=dead-end\n"
    path.write_text(text)

    async def session():
        editor = Editor()
        await editor.start(tmp_path)
        try:
            uri = editor.open(path, MENU)
            [dead_end] = _at(await editor.diagnostics(uri), "S103")
            hover = await editor.client.text_document_hover_async(types.HoverParams(
                types.TextDocumentIdentifier(uri), types.Position(0, 0)))
            assert hover is None  # 'ivr' is no rule
            editor.change(uri, text, 2)
            await editor.diagnostics(uri)
            last = len(text.splitlines()) - 1
            hover = await editor.client.text_document_hover_async(types.HoverParams(
                types.TextDocumentIdentifier(uri), types.Position(last, text.splitlines()[last].index("dead-end") + 1)))
            assert "S103 dead-end" in hover.contents.value and "Why it matters" in hover.contents.value
            options = text.splitlines().index("    on_failure: agent")
            completion = await editor.client.text_document_completion_async(types.CompletionParams(
                types.TextDocumentIdentifier(uri), types.Position(options, len("    on_failure: "))))
            assert {item.label for item in completion.items} == {"main", "billing", "agent"}
            actions = await editor.client.text_document_code_action_async(types.CodeActionParams(
                types.TextDocumentIdentifier(uri), dead_end.range, types.CodeActionContext(diagnostics=[dead_end])))
            titles = [a.title for a in actions]
            assert titles == ["Disable dead-end for this line", "Disable dead-end for this file"]
            [edit] = actions[0].edit.changes[uri]
            assert edit.new_text == "  # ivrlint: disable=dead-end" and edit.range.start.line == 8
        finally:
            await editor.stop()

    run(session())


def test_a_broken_buffer_is_a_diagnostic_and_the_server_keeps_serving(tmp_path):
    path = tmp_path / "shop.yaml"

    async def session():
        editor = Editor()
        await editor.start(tmp_path)
        try:
            uri = editor.open(path, "ivr: [\n")
            [problem] = await editor.diagnostics(uri)
            assert problem.severity == types.DiagnosticSeverity.Error and "YAML" in problem.message
            editor.change(uri, MENU.replace("billing:\n", "billing:\n    type: wrong\n", 1), 2)
            assert any("unknown node type 'wrong'" in d.message for d in await editor.diagnostics(uri))
            editor.change(uri, FIXED, 3)
            assert _at(await editor.diagnostics(uri), "S103") == []
        finally:
            await editor.stop()

    run(session())


def test_a_platform_file_is_served_with_its_unsaved_text(tmp_path):
    xml = ('<include>\n  <menu name="main" greet-long="say:For sales, press 1. For an agent, press 0." timeout="5000"\n'
           '        max-failures="3" exec-on-max-failures="transfer 1000 XML default">\n'
           '    <entry action="menu-exec-app" digits="1" param="transfer 2000 XML default"/>\n'
           '    <entry action="menu-exec-app" digits="0" param="transfer 1000 XML default"/>\n'
           '  </menu>\n</include>\n')
    path = tmp_path / "main.xml"
    path.write_text(xml)

    async def session():
        editor = Editor()
        await editor.start(tmp_path)
        try:
            uri = editor.open(path, xml)
            found = await editor.diagnostics(uri)
            assert _at(found, "U208"), [d.message for d in found]  # no repeat key
            edited = xml.replace('    <entry action="menu-exec-app" digits="0"', '    <entry action="menu-top" digits="9"/>\n'
                                 '    <entry action="menu-exec-app" digits="0"')
            editor.change(uri, edited.replace("For an agent, press 0.", "For an agent, press 0. To hear this again, press 9."), 2)
            assert _at(await editor.diagnostics(uri), "U208") == []
            assert path.read_text() == xml  # the unsaved text was linted, the file left alone
        finally:
            await editor.stop()

    run(session())
