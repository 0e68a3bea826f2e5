"""What-if analysis: compare two versions of a menu, sweep scenarios, staff pools.

* ``structure``: what changed between two menus (nodes, options, exits,
  settings, pools, traffic), as a list of plain ``Change`` records;
* ``findings_diff``: which lint findings are new and which are fixed,
  matched by rule, node and message rather than by line (lines shift);
* ``reach``: the fastest route from dialling to a live person, in seconds;
* ``measures`` and ``regressions``: the analysed measures of both sides,
  their deltas, and the thresholds a change must not cross;
* ``compare`` and ``compare_render``: the whole comparison and its text,
  JSON and Markdown (pull-request comment) views;
* ``scenarios``, ``store``, ``sweep``, ``sweep_plots``: a resumable sweep over
  every combination of varied values, run in local processes or on Dask;
* ``targets`` and ``staffing``: the fewest agents per pool that meet targets.

Nothing here simulates or analyses by itself: it calls ``ivrlint.sim`` and
``ivrlint.analysis``, and applies scenario values with ``ivrlint.overrides``.
"""
