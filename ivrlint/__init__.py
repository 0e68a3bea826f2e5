"""ivrlint: lint and simulate IVR (phone) menus.

The packages are layers; each imports only those below it (the README's
"Architecture" section, enforced by import-linter's contract in setup.cfg):

* ``cli``: the ``ivrlint`` command, one module per subcommand;
* ``whatif``: compare, sweep and staff, over the layers below;
* ``report``: figures, the menu as a picture, the HTML report, result tables;
* ``lint``: the rules, their settings, suppressions and output formats;
* ``analysis``: figures without simulating (Markov chains; queue models, exact or approximate as they say);
* ``sim``: the caller model and the SimPy simulation;
* ``language`` and ``importers``, independent of each other: prompt reading
  in any script, and platforms' files read into the model;
* ``menu``: the format, its model, YAML reading and the menu's graph;
* ``common``: atomic writes, the progress bar, terminal text and tables;
* ``errors`` and ``location``: what every layer reports with.
"""

__version__ = "0.1.0"
