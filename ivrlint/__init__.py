"""ivrlint: lint and simulate IVR (phone) menus.

Layers, each importing only those above it:

* ``model``: plain data for a menu (imports nothing of ours);
* ``yamlsource``, ``loader``: read YAML menu files into the model;
* ``graph``: the menu as a networkx graph and the questions asked of it;
* ``rules``, ``lint``, ``config``: the linter;
* ``output``: findings rendered for people and CI;
* ``cli``: the ``ivrlint`` command.
"""

__version__ = "0.1.0"
