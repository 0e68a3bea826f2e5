"""The fuzz net's harness: each generated input runs in a forked child, bounded in time and memory.

The property every reader must keep (issue 17): a run ends with exit
status 0, 1 or 2, prints no traceback, and stays within the bounds below.
An exit 2 is one line per problem that names the file, line and column (or
the option) and says what is wrong.

Each input is run in a child forked from the test process, which has
ivrlint imported and warmed up, so a run costs milliseconds, not an
interpreter start. The child gets hard limits (its address space may grow
by MEMORY_MB, its CPU time is TIME_SECONDS, its wall time HANG_SECONDS), so
a run that would hang or eat the machine is killed and reported as such
instead of taking the suite down with it. CPU time, not wall time, is the
bound: the suite shares machines, and a loaded one must not fail it.

Two Hypothesis profiles (the `fuzz` marker is on every test):

* ``fast`` (the default, in `make test`): a few dozen derandomized
  examples per reader, the same every run, so the suite stays fast and
  never flaky;
* ``long`` (``IVRLINT_FUZZ=long``, `make fuzz`): 20,000 random examples per
  reader (``IVRLINT_FUZZ_EXAMPLES`` changes the count), with Hypothesis'
  example database outside the repository so a failure found is replayed
  first next time. ``IVRLINT_FUZZ_STATS=FILE`` writes what the runs took
  (per reader: runs, exit statuses, the slowest CPU and wall time, the
  largest memory growth) as JSON when the session ends.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import io
import json
import os
import re
import resource
import select
import shutil
import signal
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

#: The bounds of one input (issue 17): CPU seconds and growth of the address space.
TIME_SECONDS = 5
MEMORY_MB = 500
#: Where failing inputs are kept, one folder per reader.
FAILURES = os.environ.get("IVRLINT_FUZZ_FAILURES", os.path.join(tempfile.gettempdir(), "ivrlint-fuzz-failures"))
#: Wall seconds after which a run that uses no CPU (blocked on a pipe, say) counts as hung.
HANG_SECONDS = 30

PROFILE = os.environ.get("IVRLINT_FUZZ", "fast")
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile(
    "ivrlint-fast", max_examples=int(os.environ.get("IVRLINT_FUZZ_EXAMPLES", 12)), derandomize=True,
    database=None, deadline=None, suppress_health_check=_HEALTH, print_blob=True)
settings.register_profile(
    "ivrlint-long", max_examples=int(os.environ.get("IVRLINT_FUZZ_EXAMPLES", 20_000)), derandomize=False,
    database=DirectoryBasedExampleDatabase(os.path.join(tempfile.gettempdir(), "ivrlint-fuzz-examples")),
    deadline=None, suppress_health_check=_HEALTH, print_blob=True)
if PROFILE not in ("fast", "long"):
    raise RuntimeError(f"IVRLINT_FUZZ={PROFILE}: use fast or long")
#: The settings every fuzz test runs with (the decorator).
fuzz_settings = settings(settings.get_profile(f"ivrlint-{PROFILE}"))

TRACEBACK = "Traceback (most recent call last)"
#: An error line of exit status 2: a place (file:line:col, or a file alone) or the command's own prefix.
_ERROR_LINE = re.compile(r"^(?:(?P<file>.+?)(?::(?P<line>\d+):(?P<col>\d+))?: error: |ivrlint: error: ).+")


@dataclass
class Run:
    """How one input's run ended."""

    status: int | None = None  # the exit status, None when the run did not end by itself
    out: str = ""
    err: str = ""
    crash: str = ""  # the traceback of an exception that escaped, or what stopped the child
    cpu: float = 0.0
    wall: float = 0.0
    memory_mb: float = 0.0  # growth of the resident set over the run
    value: object = None  # what a function run returned (for the server's lint_buffer)


@dataclass
class ReaderStats:
    runs: int = 0
    statuses: Counter = field(default_factory=Counter)
    max_cpu: float = 0.0
    max_wall: float = 0.0
    max_memory_mb: float = 0.0
    total_cpu: float = 0.0
    #: error lines of exit 2 that name no line and column (a file alone, or the command), by their start
    placeless: Counter = field(default_factory=Counter)

    def add(self, run: Run) -> None:
        self.runs += 1
        self.statuses[str(run.status)] += 1
        if run.status == 2:
            for line in run.err.splitlines():
                found = _ERROR_LINE.match(line)
                if found and not found.group("line"):
                    self.placeless[line.split("error: ", 1)[-1][:50]] += 1
        self.max_cpu, self.max_wall = max(self.max_cpu, run.cpu), max(self.max_wall, run.wall)
        self.max_memory_mb = max(self.max_memory_mb, run.memory_mb)
        self.total_cpu += run.cpu


STATS: dict[str, ReaderStats] = {}


def _write_stats() -> None:
    path = os.environ.get("IVRLINT_FUZZ_STATS")
    if not path or not STATS:
        return
    try:
        with open(path, encoding="utf-8") as fh:
            kept = json.load(fh)  # readers run by earlier sessions (one pytest per reader)
    except (OSError, ValueError):
        kept = {}
    for name, s in STATS.items():
        kept[name] = {"runs": s.runs, "statuses": dict(s.statuses), "max_cpu_s": round(s.max_cpu, 3),
                      "max_wall_s": round(s.max_wall, 3), "max_memory_mb": round(s.max_memory_mb, 1),
                      "mean_cpu_s": round(s.total_cpu / s.runs, 4) if s.runs else 0.0,
                      "errors_without_line": dict(s.placeless.most_common(15))}
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(kept, fh, indent=2, sort_keys=True)


atexit.register(_write_stats)


def _memory_kb(field_name: str) -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    return 0


def _child(target: Callable[[], object], write_fd: int, cpu_seconds: int, memory_mb: int) -> None:
    """In the forked child: limits on, run the target, send back how it went, never return."""
    payload: dict = {}
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (_memory_kb("VmSize") * 1024 + memory_mb * 2**20, hard))
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, hard))  # SIGXCPU ends the child
        signal.signal(signal.SIGXCPU, signal.SIG_DFL)
        rss = _memory_kb("VmRSS")
        start = time.process_time()
        try:
            payload["value"] = target()
        except MemoryError:
            payload["crash"] = f"over {memory_mb} MB of memory:\n{traceback.format_exc()}"
        except BaseException:  # noqa: BLE001 - whatever escapes is the finding
            payload["crash"] = traceback.format_exc()
        payload["cpu"] = time.process_time() - start
        payload["memory_mb"] = max(_memory_kb("VmHWM") - rss, 0) / 1024
        data = json.dumps(payload, default=repr).encode("utf-8", "backslashreplace")
    except BaseException:  # noqa: BLE001
        data = json.dumps({"crash": "the harness failed in the child:\n" + traceback.format_exc()}).encode()
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(write_fd, view):]
    finally:
        os._exit(0)


_warm = False


def warm_up() -> None:
    """Import every module of ivrlint and run each command once here, so that no child pays for an import."""
    global _warm
    if _warm:
        return
    _warm = True
    import importlib
    import pkgutil

    import ivrlint

    for module in pkgutil.walk_packages(ivrlint.__path__, "ivrlint."):
        importlib.import_module(module.name)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    menus = os.path.join(root, "menus")
    with tempfile.TemporaryDirectory() as scratch:
        for args in (["check", "--no-config", menus], ["analyze", os.path.join(menus, "bank.yaml")],
                     ["simulate", "--hours", "0.02", "--replications", "1", "--jobs", "1", "--quiet",
                      os.path.join(menus, "bank.yaml")],
                     ["import", "freeswitch", os.path.join(menus, "platforms", "freeswitch"), "-o",
                      os.path.join(scratch, "out.yaml")]):
            try:
                cli_target(args)()
            except Exception:  # noqa: BLE001 - warming up only; the tests themselves report what fails
                pass


def run_bounded(target: Callable[[], object], cpu_seconds: int = TIME_SECONDS, memory_mb: int = MEMORY_MB,
                hang_seconds: float = HANG_SECONDS) -> Run:
    """Run `target` in a forked child within the bounds; its return value (JSON-able) is Run.value."""
    warm_up()
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_fd)
        _child(target, write_fd, cpu_seconds, memory_mb)
    os.close(write_fd)
    chunks, deadline = [], started + hang_seconds
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                break
            ready, _, _ = select.select([read_fd], [], [], left)
            if ready:
                chunk = os.read(read_fd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_fd)
    _, wait_status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - started
    run = Run(wall=wall, cpu=usage.ru_utime + usage.ru_stime)
    if os.WIFSIGNALED(wait_status):
        sig = signal.Signals(os.WTERMSIG(wait_status))
        why = {signal.SIGXCPU: f"over {cpu_seconds} s of CPU time", signal.SIGKILL: f"no end after {hang_seconds:g} s (hung?)"}
        run.crash = f"the run was killed by {sig.name}: {why.get(sig, 'it crashed')}"
        return run
    try:
        payload = json.loads(b"".join(chunks) or b"{}")
    except ValueError:
        payload = {"crash": "the child sent no result"}
    run.crash = payload.get("crash", "")
    run.cpu = payload.get("cpu", run.cpu)
    run.memory_mb = payload.get("memory_mb", 0.0)
    run.value = payload.get("value")
    return run


def cli_target(args: list[str], cwd: str | None = None) -> Callable[[], object]:
    """A target that runs `ivrlint ARGS` in-process, its output captured: (status, stdout, stderr)."""
    def target():
        from ivrlint.cli import main

        if cwd:
            os.chdir(cwd)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(args)
            except SystemExit as exc:  # argparse's usage errors
                status = exc.code if isinstance(exc.code, int) else 2
        return [status, _ends(out.getvalue()), _ends(err.getvalue())]
    return target


def _ends(text: str, keep: int = 10_000) -> str:
    """The start and the end of a long output (a traceback is at the end, an error's prefix at the start)."""
    return text if len(text) <= 2 * keep else text[:keep] + "\n[...]\n" + text[-keep:]


def run_cli(reader: str, args: list[str], cwd: str | None = None) -> Run:
    """`ivrlint ARGS` within the bounds, counted under `reader`."""
    run = run_bounded(cli_target(args, cwd))
    if isinstance(run.value, list):
        run.status, run.out, run.err = run.value
    STATS.setdefault(reader, ReaderStats()).add(run)
    return run


def keep_failure(reader: str, folder: str, why: str) -> str:
    """Copy a failing input's folder to FAILURES/READER-KIND, one folder per kind of failure (its last
    line: the exception, without the numbers and paths that vary); within a kind the last one wins, and
    Hypothesis replays the smallest example last."""
    kind = re.sub(r"[\d/]+|'[^']*'", "", (why.strip().splitlines() or [""])[-1].split(" --- ")[0])
    kept = os.path.join(FAILURES, f"{reader}-{hashlib.sha256(kind.encode()).hexdigest()[:8]}")
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(folder, kept, symlinks=True)
    return kept


def assert_clean(run: Run, what: str = "", reader: str = "", folder: str = "") -> None:
    """The property: exit 0, 1 or 2, no traceback, within the bounds; exit 2 says where and why.

    A failing input's files are kept (keep_failure) and the message says where.
    """
    try:
        _assert_clean(run, f"\n--- input: {what}" if what else "")
    except AssertionError as exc:
        if not folder:
            raise
        why = run.crash or str(exc).split("\n--- input:")[0]
        raise AssertionError(f"{exc}\n--- its files are kept in {keep_failure(reader, folder, why)}") from None


def _assert_clean(run: Run, context: str) -> None:
    assert not run.crash, f"{run.crash}{context}"
    assert run.status in (0, 1, 2), f"exit status {run.status}\n{run.err[-3000:]}{context}"
    for stream in (run.out, run.err):
        assert TRACEBACK not in stream, stream[-3000:] + context
    if run.status == 2:
        lines = [line for line in run.err.splitlines() if line.strip()]
        assert lines, f"exit 2 with nothing on stderr{context}"
        errors = [line for line in lines if ": error: " in line or line.startswith(("ivrlint: error: ", "error: "))]
        assert errors, f"exit 2 without an error line:\n{run.err[-2000:]}{context}"
        for line in errors:
            assert _ERROR_LINE.match(line), f"an error line that names no place: {line!r}{context}"
