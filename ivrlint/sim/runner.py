"""Run replications (in parallel processes) and summarise them.

Each replication gets its own seed, derived from the run's seed by numpy's
SeedSequence, so replication k draws the same numbers whichever process
runs it: the same seed gives the same metrics whatever ``jobs`` is.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import as_completed

import numpy as np

from ivrlint.common.processes import worker_pool
from ivrlint.errors import UsageError
from ivrlint.menu.model import Menu
from ivrlint.sim.caller import CallerModel
from ivrlint.sim.engine import Replication, collector_paused, open_seconds
from ivrlint.sim.metrics import replication_metrics, summarise
from ivrlint.sim.records import CallRecord, QueueSample, pack, unpack
from ivrlint.sim.requirements import check_menu, traffic_of

#: Calls a run may simulate in all: every call keeps a record (about 1.3 KB
#: for a call through a few menus), so this caps memory near 1.5 GB.
MAX_CALLS = 1_000_000


class SimulationResult:
    """What a run produced: the records, queue samples, metrics and parameters.

    ``records`` holds every call of every replication (replication 0 first).
    Records simulated in other processes are unpacked the first time
    ``records`` is read: a run whose caller only wants the metrics does not
    pay for rebuilding them.
    """

    def __init__(self, records, samples: dict[str, list[QueueSample]], metrics: dict, params: dict,
                 replications: list[dict] | None = None):
        self._parts = list(records)  # per replication: a list of records, or _Packed
        self._records: list[CallRecord] | None = None
        self.samples = samples
        self.metrics = metrics
        self.params = params
        #: per replication, the metrics before summarising (same sections)
        self.replications = replications or []

    @property
    def records(self) -> list[CallRecord]:
        if self._records is None:
            self._records = [r for part in self._parts for r in (part.unpack() if isinstance(part, _Packed) else part)]
            self._parts = []
        return self._records

    @records.setter
    def records(self, value: list[CallRecord]) -> None:
        self._records, self._parts = value, []

    def __repr__(self) -> str:
        return f"SimulationResult(params={self.params!r})"


def run_simulation(menu: Menu, hours: float | None = None, replications: int = 10, seed: int = 1,
                   jobs: int | None = None, warmup: float = 0.0,
                   progress: Callable[[int, int], None] | None = None) -> SimulationResult:
    """Simulate `replications` independent runs of `hours` hours (after
    `warmup` hours not counted; None: ``default_hours``) and summarise them
    (see metrics.py)."""
    check_menu(menu)
    if hours is None:
        hours = default_hours(menu)
    _check_numbers(hours, replications, warmup, jobs)
    CallerModel(menu)  # validates traffic.behaviour before any process starts
    _check_size(menu, hours + warmup, replications)
    jobs = min(jobs or available_cores(), replications)
    start_hour = default_start_hour(menu, hours + warmup)
    seeds = [int(s.generate_state(1, dtype=np.uint64)[0]) for s in np.random.SeedSequence(seed).spawn(replications)]
    tasks = [(menu, k, seeds[k], hours, warmup, start_hour, k == 0) for k in range(replications)]
    outputs: list = [None] * replications
    finished = _Progress(progress, replications)
    if jobs == 1:
        for k, task in enumerate(tasks):
            outputs[k] = replicate(*task)
            finished()
    else:
        _run_parallel(tasks, jobs, outputs, finished)
    per_rep = [out[1] for out in outputs]
    params = {"seed": seed, "hours": hours, "replications": replications, "warmup": warmup,
              "jobs": jobs, "start_hour": start_hour}
    return SimulationResult(
        records=[out[0] for out in outputs],
        samples=outputs[0][2],
        metrics=summarise(per_rep),
        params=params,
        replications=per_rep,
    )


class _Progress:
    """Calls progress(done, total) as replications finish."""

    def __init__(self, progress: Callable[[int, int], None] | None, total: int):
        self.progress, self.total, self.done = progress, total, 0

    def __call__(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)


def _run_parallel(tasks: list, jobs: int, outputs: list, finished: _Progress) -> None:
    """Run replications in `jobs` worker processes; their records come back
    packed and are unpacked only when someone reads ``result.records``."""
    with collector_paused(), worker_pool(jobs) as pool:
        futures = {pool.submit(_replicate_packed, *task): task[1] for task in tasks}
        for future in as_completed(futures):
            records, metrics, samples = future.result()
            samples = {name: [QueueSample(*s) for s in log] for name, log in samples.items()}
            outputs[futures[future]] = (_Packed(records), metrics, samples)
            finished()


class _Packed:
    """Records as they came from a worker process, unpacked on demand."""

    def __init__(self, rows: list):
        self.rows = rows

    def unpack(self) -> list[CallRecord]:
        with collector_paused():
            return unpack(self.rows)


def replicate(menu: Menu, replication: int, seed: int, hours: float, warmup: float, start_hour: float,
              keep_samples: bool):
    """One replication: (records, metrics, queue samples)."""
    model = CallerModel(menu)
    run = Replication(menu, model, replication, seed, hours, warmup, start_hour, keep_samples).run()
    pools = {name: q.agents for name, q in menu.queues.items()}
    # occupancy is over the hours each pool is open, as the analysis gives it
    open_time = {name: open_seconds(q.hours, start_hour + warmup, hours) for name, q in menu.queues.items()}
    with collector_paused():
        metrics = replication_metrics(run.records, traffic_of(menu).intents, pools, hours * 3600.0, open_time)
    return run.records, metrics, run.samples


def _replicate_packed(*task):
    """`replicate` in a worker process: records travel as plain tuples."""
    records, metrics, samples = replicate(*task)
    with collector_paused():
        samples = {name: [(s.time, s.waiting, s.busy) for s in log] for name, log in samples.items()}
        return pack(records), metrics, samples


def available_cores() -> int:
    """Cores this process may use (a container may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_hours(menu: Menu) -> float:
    """Hours a run lasts unless told: a whole day (24) when the rate varies by
    hour or a pool shuts for part of the day, as the analysis covers the
    whole day then; else 8, since a steady day looks the same at any hour.
    """
    rates = traffic_of(menu).calls_per_hour
    shuts = any(q.hours is not None and q.hours[1] - q.hours[0] < 24.0 for q in menu.queues.values())
    return 24.0 if len(rates) == 24 or shuts else 8.0


def default_start_hour(menu: Menu, length: float) -> float:
    """Where the simulated clock of a run `length` hours long starts, in hours after midnight.

    A run of a day or more, and any run of 24 hourly rates, follows the day
    from midnight. A flat rate holds around the clock (MENU_FORMAT.md,
    "Traffic"), so a shorter run of it starts when every pool that keeps
    hours is open (midnight if they are never all open): ``--hours 8`` shows
    the open part of the day, and says so in its heading.
    """
    if len(traffic_of(menu).calls_per_hour) == 24 or length >= 24.0:
        return 0.0
    hours = [q.hours for q in menu.queues.values() if q.hours is not None]
    if not hours:
        return 0.0
    opening, closing = max(h[0] for h in hours), min(h[1] for h in hours)
    return opening if opening < closing else 0.0


def _check_numbers(hours: float, replications: int, warmup: float, jobs: int | None) -> None:
    if not hours > 0:
        raise UsageError(f"--hours must be above 0; got {hours:g}")
    if replications < 1:
        raise UsageError(f"--replications must be at least 1; got {replications}")
    if warmup < 0:
        raise UsageError(f"--warmup must not be negative; got {warmup:g}")
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs must be at least 1; got {jobs}")


def _check_size(menu: Menu, hours: float, replications: int) -> None:
    rates = traffic_of(menu).calls_per_hour
    expected = sum(rates) / len(rates) * hours * replications
    if expected > MAX_CALLS:
        raise UsageError(
            f"that run would simulate about {expected:,.0f} calls (more than {MAX_CALLS:,}); "
            "use fewer --hours or --replications"
        )
