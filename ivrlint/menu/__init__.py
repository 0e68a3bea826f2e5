"""The menu: the format of MENU_FORMAT.md, its model, and the questions asked of its graph.

The bottom layer that every other package reads: ``model`` (plain data with a
file, line and column on every element), ``loader`` with ``yamlsource`` and
``values`` (untrusted YAML into the model, positions from PyYAML's composer),
``schema`` (the format as JSON Schema), ``overrides`` (``--set PATH=VALUE``),
``digraph`` (the menu as a networkx graph) and ``files`` (which files a
command was pointed at). It imports nothing of ivrlint's above it.
"""
