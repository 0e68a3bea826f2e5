"""The simulation: callers moving through a menu and waiting for agents.

``run_simulation(menu, ...)`` returns a SimulationResult with one record
per call and metrics computed from the records (see runner.py, metrics.py).
The caller model (caller.py) is shared with the exact analysis.
"""

from ivrlint.sim.runner import SimulationResult, run_simulation

__all__ = ["SimulationResult", "run_simulation"]
