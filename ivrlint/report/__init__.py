"""Reports: the menu as a picture, figures of a simulation, an offline HTML page.

Everything here reads results (the menu model, findings, call records,
metrics) and never runs the simulation itself, so a report can be redrawn
from saved data. Modules:

* ``style``: fonts, colours and the matplotlib settings every figure uses;
* ``layout``, ``flows``, ``drawing``, ``dot``: the menu as a picture (PNG,
  SVG) or as Graphviz DOT text;
* ``figures``: queue waits, time in the menu, outcomes, queues over the day;
* ``summary``: simulated and analysed figures as text tables, CSV and JSON;
* ``rows``: metrics and records as rows for CSV and HTML;
* ``html``: the self-contained report (``write_report``), built in a
  temporary folder and moved into place (``ivrlint.common.atomic``).

Figures use matplotlib's object-oriented API with no pyplot and no GUI, so
they draw the same on a headless server as on a laptop.
"""
