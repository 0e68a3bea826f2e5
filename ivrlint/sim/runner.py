"""Run replications (in parallel processes) and summarise them.

Each replication gets its own seed, derived from the run's seed by numpy's
SeedSequence, so replication k draws the same numbers whichever process
runs it: the same seed gives the same metrics whatever ``jobs`` is.

A replication computes its own metrics where it runs (metrics.py reads its
CallTable there), so a worker process sends back a few hundred numbers,
not its calls; the calls travel only when the caller asks to keep them
(``keep_records``: the report, tests) or to see each replication's table
(``on_calls``: ``simulate --records FILE``), as numpy columns, which
pickle as bytes. Replications are handed out one at a time as workers free
up (the first, which also logs the pools when records are kept, first),
so a worker idles only while the other finishes its last replication.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import as_completed
from concurrent.futures.process import BrokenProcessPool

import numpy as np

from ivrlint.common.gcpause import gc_paused
from ivrlint.common.processes import START_METHOD, worker_pool
from ivrlint.errors import InputError, UsageError
from ivrlint.menu.model import Menu
from ivrlint.sim.caller import CallerModel
from ivrlint.sim.engine import Replication, Story, open_seconds
from ivrlint.sim.hourly import Setting
from ivrlint.sim.metrics import replication_metrics, summarise
from ivrlint.sim.records import CallRecord, QueueSample
from ivrlint.sim.requirements import check_menu, traffic_of
from ivrlint.sim.table import CallTable

#: Calls one replication may simulate: while it runs, each finished call is
#: one row of typed arrays (56 bytes, table.py), and computing its metrics
#: takes about as much again for a moment: a replication of ten million
#: calls peaked at 1.2 GB (benchmarks/sim_speed.py, ``ten_million``).
MAX_CALLS = 10_000_000
#: Calls a run that keeps every record (``keep_records``, ``simulate
#: --report``) may simulate in all: the records are Python objects then,
#: about 1 KB a call with its steps.
MAX_RECORDED_CALLS = 1_000_000


class SimulationResult:
    """What a run produced: the calls, queue samples, metrics and parameters.

    ``calls`` holds each replication's CallTable (replication 0 first) when
    the run kept its records, and ``records`` the same calls as CallRecords,
    built the first time they are read. ``samples`` are the pools' states
    over the first replication (when records were kept).
    """

    def __init__(self, records, samples: dict[str, list[QueueSample]], metrics: dict, params: dict,
                 replications: list[dict] | None = None):
        self._parts = list(records)  # per replication: a CallTable, or a list of CallRecords
        self._records: list[CallRecord] | None = None
        self.samples = samples
        self.metrics = metrics
        self.params = params
        #: per replication, the metrics before summarising (same sections)
        self.replications = replications or []

    @property
    def calls(self) -> list[CallTable]:
        """Each replication's calls as columns (empty when the run did not keep them)."""
        return [p if isinstance(p, CallTable) else CallTable.from_records(p) for p in self._parts]

    @property
    def records(self) -> list[CallRecord]:
        if self._records is None:
            with gc_paused():
                self._records = [r for part in self._parts for r in (part.records() if isinstance(part, CallTable) else part)]
        return self._records

    @records.setter
    def records(self, value: list[CallRecord]) -> None:
        by_replication: dict[int, list[CallRecord]] = {}
        for record in value:
            by_replication.setdefault(record.replication, []).append(record)
        self._records, self._parts = value, list(by_replication.values())

    def __repr__(self) -> str:
        return f"SimulationResult(params={self.params!r})"


class _Plan:
    """What every replication of a run shares: the compiled menu and the run's settings."""

    def __init__(self, story: Story, hours: float, warmup: float, start_hour: float, keep_records: bool, send_calls: bool):
        self.story, self.hours, self.warmup, self.start_hour = story, hours, warmup, start_hour
        self.keep_records, self.send_calls = keep_records, send_calls
        menu = story.menu
        self.intents = list(traffic_of(menu).intents)
        self.agents = {name: q.agents for name, q in menu.queues.items()}
        # occupancy is over the hours each pool is open, as the analysis gives it
        self.open_time = {name: open_seconds(q.hours, start_hour + warmup, hours) for name, q in menu.queues.items()}
        self.setting = Setting.of(menu, start_hour, warmup, hours)  # the clock, the agents by the hour, the features

    def __reduce__(self):
        """Pickled as the menu and settings (a spawned worker compiles the menu again: draws are closures)."""
        return _Plan._rebuilt, (self.story.menu, self.hours, self.warmup, self.start_hour, self.keep_records, self.send_calls)

    @staticmethod
    def _rebuilt(menu: Menu, *settings) -> _Plan:
        return _Plan(Story(menu), *settings)

    def replicate(self, replication: int, seed: int):
        """One replication: (its metrics, its CallTable or None, the pools' samples or None)."""
        keep = self.keep_records
        run = Replication(self.story.menu, None, replication, seed, self.hours, self.warmup, self.start_hour,
                          keep_samples=keep and replication == 0, story=self.story, trace=keep).run()
        calls = run.calls
        assert calls is not None, "a replication that ran has its calls"
        with gc_paused():
            metrics = replication_metrics(calls, self.intents, self.agents, self.hours * 3600.0, self.open_time, self.setting)
        table = calls if keep or self.send_calls else None
        return metrics, table, (run.samples if keep and replication == 0 else None)


def run_simulation(menu: Menu, hours: float | None = None, replications: int = 10, seed: int = 1,
                   jobs: int | None = None, warmup: float = 0.0,
                   progress: Callable[[int, int], None] | None = None, keep_records: bool = True,
                   on_calls: Callable[[CallTable], None] | None = None) -> SimulationResult:
    """Simulate `replications` independent runs of `hours` hours (after
    `warmup` hours not counted; None: ``default_hours``) and summarise them
    (see metrics.py).

    `keep_records` keeps every call (``result.calls``, ``result.records``)
    and the first replication's queue samples; without it a run keeps only
    its metrics and may hold MAX_CALLS calls per replication. `on_calls`
    is handed each replication's CallTable, in replication order, as soon
    as it and those before it are done.
    """
    check_menu(menu)
    if hours is None:
        hours = default_hours(menu)
    _check_numbers(hours, replications, warmup, jobs)
    model = CallerModel(menu)  # validates traffic.behaviour before any process starts
    _check_size(menu, hours + warmup, replications, keep_records)
    story = Story(menu, model)  # the menu compiled once, for every replication
    jobs = min(jobs or available_cores(), replications)
    start_hour = default_start_hour(menu, hours + warmup)
    seeds = [int(s.generate_state(1, dtype=np.uint64)[0]) for s in np.random.SeedSequence(seed).spawn(replications)]
    plan = _Plan(story, hours, warmup, start_hour, keep_records, on_calls is not None)
    outputs: list = [None] * replications
    delivered = _InOrder(on_calls, outputs, keep_records)
    finished = _Progress(progress, replications)
    if jobs == 1:
        for k in range(replications):
            outputs[k] = plan.replicate(k, seeds[k])
            delivered()
            finished()
    else:
        def done() -> None:
            delivered()
            finished()

        _run_parallel(plan, seeds, jobs, outputs, done)
    per_rep = [out[0] for out in outputs]
    params = {"seed": seed, "hours": hours, "replications": replications, "warmup": warmup,
              "jobs": jobs, "start_hour": start_hour}
    return SimulationResult(
        records=[out[1] for out in outputs] if keep_records else [],
        samples=outputs[0][2] or {},
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


class _InOrder:
    """Hands each replication's table to `on_calls` in replication order, as soon as it can
    (and lets go of it then, unless the run keeps its records)."""

    def __init__(self, on_calls: Callable[[CallTable], None] | None, outputs: list, keep: bool):
        self.on_calls, self.outputs, self.keep, self.next = on_calls, outputs, keep, 0

    def __call__(self) -> None:
        if self.on_calls is None:
            return
        outputs = self.outputs
        while self.next < len(outputs) and outputs[self.next] is not None:
            metrics, table, samples = outputs[self.next]
            self.on_calls(table)
            if not self.keep:
                outputs[self.next] = (metrics, None, samples)
            self.next += 1


#: The plan of the run under way, for worker processes that fork from this one (they find it here, unpickled).
_FORKED: _Plan | None = None


def _run_parallel(plan: _Plan, seeds: list[int], jobs: int, outputs: list, finished: Callable[[], None]) -> None:
    """Run replications in `jobs` worker processes, one task per replication."""
    global _FORKED
    _FORKED = plan
    sent = None if START_METHOD == "fork" else plan  # a spawned worker starts afresh: it is sent the plan
    try:
        with gc_paused(), worker_pool(jobs) as pool:
            futures = {pool.submit(_replicate_in_worker, sent, k, seed): k for k, seed in enumerate(seeds)}
            for future in as_completed(futures):
                output = future.result()
                if isinstance(output, _Refused):  # bad input met in a worker: the user's error, as itself
                    for other in futures:
                        other.cancel()
                    raise output.error()
                outputs[futures[future]] = output
                finished()
    except BrokenProcessPool:  # a worker really died (out of memory, killed): nothing came back from it
        raise UsageError("a simulation worker process died (out of memory, or killed); run again with fewer --jobs, "
                         "or fewer --hours per replication") from None
    finally:
        _FORKED = None


def _replicate_in_worker(plan: _Plan | None, replication: int, seed: int):
    """`_Plan.replicate` in a worker process (the plan forked with it when not sent); an InputError
    comes back as a `_Refused` value, since an InputError does not survive pickling."""
    plan = plan or _FORKED
    assert plan is not None, "a forked worker has the plan of the run that started it"
    try:
        return plan.replicate(replication, seed)
    except InputError as exc:
        return _Refused(exc.problems, exc.file)


class _Refused:
    """An InputError raised in a worker, sent back as its problems and file (plain data, which pickles).

    An InputError itself pickles as its message alone, which its constructor cannot
    take back: unpickling it in the parent would break the pool, and the user would
    read "a worker process died" instead of their file's line and column.
    """

    def __init__(self, problems: list, file: str):
        self.problems, self.file = problems, file

    def error(self) -> InputError:
        return InputError(self.problems, self.file)


def available_cores() -> int:
    """Cores this process may use (a container may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_hours(menu: Menu) -> float:
    """Hours a run lasts unless told: a whole day (24) when the rate or a
    pool's staff varies by hour or a pool shuts for part of the day, as the
    analysis covers the whole day then; else 8, since a steady day looks the
    same at any hour.
    """
    rates = traffic_of(menu).calls_per_hour
    shuts = any(q.hours is not None and q.hours[1] - q.hours[0] < 24.0 for q in menu.queues.values())
    return 24.0 if len(rates) == 24 or shuts or _staffed_by_hour(menu) else 8.0


def _staffed_by_hour(menu: Menu) -> bool:
    return any(q.agents_by_hour is not None for q in menu.queues.values())


def default_start_hour(menu: Menu, length: float) -> float:
    """Where the simulated clock of a run `length` hours long starts, in hours after midnight.

    A run of a day or more, and any run of 24 hourly rates or of a pool
    staffed by the hour, follows the day from midnight. A flat rate holds around the clock (MENU_FORMAT.md,
    "Traffic"), so a shorter run of it starts when every pool that keeps
    hours is open (midnight if they are never all open): ``--hours 8`` shows
    the open part of the day, and says so in its heading.
    """
    if len(traffic_of(menu).calls_per_hour) == 24 or length >= 24.0 or _staffed_by_hour(menu):
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


def _check_size(menu: Menu, hours: float, replications: int, keep_records: bool) -> None:
    traffic = traffic_of(menu)
    rates, redial = traffic.calls_per_hour, traffic.redial
    each, about = sum(rates) / len(rates) * hours, "about"
    if redial is not None and redial.share > 0 and redial.max_attempts > 1:
        # at most: every call unmet, every caller calling again while they may
        each *= sum(min(redial.share, 1.0) ** k for k in range(redial.max_attempts))
        about = "up to"
    if each > MAX_CALLS:
        raise UsageError(
            f"one replication of that run would simulate {about} {each:,.0f} calls (more than {MAX_CALLS:,}); "
            "use fewer --hours and more --replications"
        )
    if keep_records and each * replications > MAX_RECORDED_CALLS:
        raise UsageError(
            f"that run would keep {about} {each * replications:,.0f} call records (more than {MAX_RECORDED_CALLS:,}); "
            "use fewer --hours or --replications, or leave out --report (the figures alone take any size; "
            "--records FILE writes every call)"
        )
