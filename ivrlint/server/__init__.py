"""The language server (``ivrlint server``): ivrlint's findings in an editor, as you type.

``buffers`` lints an editor's unsaved text as `check` lints the file;
``names`` finds where a menu names its nodes and pools; ``protocol`` speaks
LSP through pygls (the optional ``lsp`` extra), and is the only module that
imports it.
"""
