"""Run a sweep: every scenario simulated, each row saved the moment it is done.

A scenario is a pure function of its inputs (``run_scenario``: the menu, the
scenario's values, seed, hours, replications, warm-up), so it gives the same
numbers in this process, in a worker process or on a Dask worker. Every
scenario uses the same seed: common random numbers, so two scenarios differ
by what was varied and not by the dice.

Executors: in this process (``jobs=1``), a local process pool (the default:
one task per scenario), or a Dask distributed cluster (``dask_address``).
Whichever runs them, results come back here and go to the journal first.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from dataclasses import dataclass, field

from ivrlint.common.processes import worker_pool
from ivrlint.errors import UsageError
from ivrlint.menu.model import Menu
from ivrlint.whatif import sweep_table
from ivrlint.whatif.dask_runner import run_on_dask
from ivrlint.whatif.scenario_task import ScenarioTask, run_scenario
from ivrlint.whatif.scenarios import Vary, combinations, scenario_key
from ivrlint.whatif.store import SweepStore

#: Seconds between rewrites of sweep.csv / sweep.json while a sweep runs.
SUMMARY_EVERY = 2.0


@dataclass
class SweepPlan:
    """A sweep as asked for: the menu, what varies, and the simulation settings."""

    menu: Menu
    menu_sha256: str
    varies: list[Vary]
    hours: float = 1.0
    replications: int = 5
    seed: int = 1
    warmup: float = 0.0
    #: --set PATH=VALUE applied to every scenario (already applied to `menu`)
    fixed: list[str] = field(default_factory=list)
    scenarios: list[tuple[tuple[str, str], ...]] = field(init=False)

    def __post_init__(self):
        self.scenarios = combinations(self.varies)

    def settings(self) -> dict:
        """What every row's numbers depend on, besides the scenario's own values."""
        return {"menu_sha256": self.menu_sha256, "seed": self.seed, "hours": self.hours,
                "replications": self.replications, "warmup": self.warmup, "set": list(self.fixed)}

    def tasks(self) -> list[ScenarioTask]:
        s = self.settings()
        return [ScenarioTask(scenario_key(values, s), values, self.hours, self.replications, self.seed, self.warmup)
                for values in self.scenarios]

    def check_overrides(self) -> None:
        """Apply each varied value once, so a bad path or value fails before any simulation runs.

        Values are checked one at a time (the sum of the value counts, not
        their product), and the first whole scenario once, to catch a menu
        the simulator refuses.
        """
        from ivrlint.menu.overrides import apply_overrides
        from ivrlint.sim.requirements import check_menu

        for vary in self.varies:
            for value in vary.values:
                apply_overrides(self.menu, [f"{vary.path}={value}"], flag="--vary")
        if self.scenarios:
            check_menu(apply_overrides(self.menu, [f"{p}={v}" for p, v in self.scenarios[0]], flag="--vary"))


@dataclass
class SweepOutcome:
    rows: list[dict]  # in scenario order, for scenarios that finished
    total: int
    reused: int
    ran: int
    files: list[str]
    fresh_reason: str | None = None


Log = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_sweep(plan: SweepPlan, out_dir: str, jobs: int | None = None, dask_address: str | None = None,
              on_row: Callable[[dict], None] | None = None, log: Log = _stderr, plots: bool = True,
              plot_measures: list[str] | None = None) -> SweepOutcome:
    """Run the scenarios not yet in `out_dir`'s journal; write rows, summaries and plots.

    `on_row(row)` is called after each new row is safely journaled (tests use
    it to interrupt a sweep part-way, as a kill would).
    """
    plan.check_overrides()
    store = SweepStore(out_dir, plan.settings())
    done = store.load()
    try:
        if store.fresh_reason:
            log(f"sweep: starting afresh in {out_dir}: {store.fresh_reason} (old journal kept as journal.previous.jsonl)")
        tasks = plan.tasks()
        todo = [t for t in tasks if t.key not in done]
        if len(todo) < len(tasks):
            log(f"sweep: {len(tasks) - len(todo)} of {len(tasks)} scenarios already done in {out_dir}; "
                f"running the other {len(todo)}")
        with closing(_execute(plan.menu, todo, jobs, dask_address)) as finished:
            files = _journal(plan, store, tasks, done, finished, on_row, log)
        rows = sweep_table.ordered_rows(tasks, done)
        if plots:
            from ivrlint.whatif.sweep_plots import plot_sweep

            files += plot_sweep(plan, rows, out_dir, plot_measures)
        return SweepOutcome(rows, len(tasks), len(tasks) - len(todo), len(todo), files, store.fresh_reason)
    finally:
        store.close()


def _journal(plan: SweepPlan, store: SweepStore, tasks: list[ScenarioTask], done: dict[str, dict],
             finished: Iterator[tuple[ScenarioTask, dict]], on_row, log: Log) -> list[str]:
    """Journal each row as it arrives; rewrite the summaries now and then, and always on the way out."""
    order = {t.key: i for i, t in enumerate(tasks)}
    last_write = time.monotonic()

    def summarise() -> list[str]:
        return store.write_summaries(*sweep_table.summaries(plan, sweep_table.ordered_rows(tasks, done)))

    try:
        for task, row in finished:
            store.append(task.key, row)
            done[task.key] = row
            log(f"sweep: [{len(done)}/{len(tasks)}] {sweep_table.describe(order[task.key], task, row)}")
            if time.monotonic() - last_write >= SUMMARY_EVERY:
                summarise()
                last_write = time.monotonic()
            if on_row is not None:
                on_row(row)
    finally:
        files = summarise()
    return files


def _execute(menu: Menu, todo: list[ScenarioTask], jobs: int | None,
             dask_address: str | None) -> Generator[tuple[ScenarioTask, dict], None, None]:
    """(task, row) as scenarios finish, whichever executor runs them (a generator: closing it stops the workers)."""
    if not todo:
        return
    if dask_address:
        yield from run_on_dask(dask_address, menu, todo, jobs)
        return
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    if jobs == 1:
        for task in todo:
            yield task, run_scenario(menu, task)
        return
    pool = worker_pool(jobs)
    try:
        futures = {pool.submit(run_scenario, menu, task): task for task in todo}
        for future in as_completed(futures):
            yield futures[future], future.result()
    except BrokenProcessPool:
        raise UsageError("a sweep worker process died (out of memory, or killed); the finished scenarios are "
                         "saved: run the same command again to resume, with fewer --jobs if memory ran out") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
