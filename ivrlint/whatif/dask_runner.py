"""Run sweep scenarios on a Dask distributed cluster (``sweep --dask ADDRESS``).

Dask is an optional extra (``pip install ivrlint[dask]``). Each scenario is
one task running the same pure ``run_scenario`` as a local sweep, so the
rows are identical to a local run with the same seed. Results stream back as
tasks finish, and the caller journals each one at once, exactly as locally.

``ADDRESS`` is a scheduler address (``tcp://10.0.0.5:8786``), whose workers
must have ivrlint installed, or ``local``, which starts a LocalCluster on
loopback with one single-threaded worker process per job.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from ivrlint.errors import UsageError
from ivrlint.menu.model import Menu
from ivrlint.whatif.scenario_task import ScenarioTask, run_scenario

INSTALL_HINT = "pip install ivrlint[dask]"


def require_distributed():
    try:
        import distributed
    except ImportError:
        raise UsageError(f"--dask needs Dask's distributed scheduler, which is not installed; {INSTALL_HINT}") from None
    return distributed


def connect(address: str, jobs: int | None):
    """(client, cluster or None) for `address`; a clear error when it cannot be reached."""
    distributed = require_distributed()
    if address == "local":
        workers = max(1, jobs or os.cpu_count() or 1)
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                           host="127.0.0.1", dashboard_address=None)
        return distributed.Client(cluster), cluster
    try:
        return distributed.Client(address, timeout="10s"), None
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"--dask {address}: cannot reach a Dask scheduler there ({exc}); "
                         f"start one with `dask scheduler` or use --dask local") from None
    except ValueError as exc:
        raise UsageError(f"--dask {address}: not a scheduler address ({exc}); e.g. tcp://127.0.0.1:8786") from None


def run_on_dask(address: str, menu: Menu, todo: list[ScenarioTask], jobs: int | None) -> Iterator[tuple[ScenarioTask, dict]]:
    """(task, row) as the cluster finishes scenarios."""
    distributed = require_distributed()
    client, cluster = connect(address, jobs)
    try:
        shared = client.scatter(menu, broadcast=True)  # send the menu once, not once per scenario
        futures = {client.submit(run_scenario, shared, task, key=f"ivrlint-scenario-{task.key}"): task
                   for task in todo}
        for future in distributed.as_completed(futures):
            yield futures[future], future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
