"""One sweep scenario as a task: what its numbers depend on, and the pure function that computes them.

Both executors run ``run_scenario``: the local process pool (``sweep.py``)
and a Dask cluster (``dask_runner.py``), so the rows are the same whichever
runs them; this module is theirs to share and imports neither.
"""

from __future__ import annotations

from dataclasses import dataclass

from ivrlint.menu.model import Menu
from ivrlint.menu.overrides import apply_overrides
from ivrlint.sim import run_simulation

#: Measures a sweep row keeps: overall and per pool, and per intent.
POOL_MEASURES = ("p_abandon", "mean_wait", "service_level", "occupancy")
INTENT_MEASURES = ("p_goal", "ivr_seconds")


@dataclass(frozen=True)
class ScenarioTask:
    """Everything one scenario's numbers depend on, besides the menu itself."""

    key: str
    values: tuple[tuple[str, str], ...]
    hours: float
    replications: int
    seed: int
    warmup: float

    def overrides(self) -> list[str]:
        return [f"{path}={value}" for path, value in self.values]


def run_scenario(menu: Menu, task: ScenarioTask) -> dict:
    """Simulate one scenario; a plain, JSON-ready row. Pure: same inputs, same row."""
    changed = apply_overrides(menu, task.overrides())
    result = run_simulation(changed, hours=task.hours, replications=task.replications,
                            seed=task.seed, jobs=1, warmup=task.warmup, keep_records=False)
    return {"values": dict(task.values), **pick_measures(result.metrics)}


def pick_measures(metrics: dict) -> dict:
    """The sweep's measures from a simulation's metrics, each {"mean", "ci95"}."""
    def pick(values: dict, names: tuple[str, ...]) -> dict:
        return {m: values[m] for m in names if isinstance(values.get(m), dict)}

    return {
        "overall": pick(metrics.get("overall") or {}, POOL_MEASURES),
        "queues": {pool: pick(v, POOL_MEASURES) for pool, v in (metrics.get("queues") or {}).items()},
        "intents": {name: pick(v, INTENT_MEASURES) for name, v in (metrics.get("intents") or {}).items()},
    }
