"""The simulation: callers moving through a menu and waiting for agents.

``run_simulation(menu, ...)`` returns a SimulationResult with the metrics
of every replication and their summary, and, when asked to keep them, each
replication's calls as columns (table.py) and as records (see runner.py,
engine.py, metrics.py). The caller model (caller.py) is shared with the
exact analysis.
"""

from ivrlint.sim.runner import SimulationResult, run_simulation

__all__ = ["SimulationResult", "run_simulation"]
