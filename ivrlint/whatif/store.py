"""Where a sweep keeps its results, so that nothing finished is ever lost.

``journal.jsonl`` is the durable record: a header line with the settings
the results depend on (menu hash, seed, hours, replications, warm-up), then
one JSON line per finished scenario, appended, flushed and fsynced as soon
as the scenario ends. A sweep killed at any moment leaves at worst a torn
last line, which the next run drops. A row is written with its members in
the order they were made, so a row read back is the row a run computes, and
a resumed sweep's ``sweep.csv`` has the columns of an uninterrupted one.

``sweep.csv`` and ``sweep.json`` are views rebuilt from the rows, written
to a temporary file and renamed into place, so a reader never sees half a
file. A CSV cell, or column name, that would start a spreadsheet formula
(a varied value such as ``=1+2`` or ``@SUM(A1)``) is written with a ``'``
before it (``sweep_table.csv_cell``); sweep.json keeps the values as given.

The journal is opened as menus are (``open_regular``): a named pipe or a
device called ``journal.jsonl`` is refused, not waited on.

A rerun whose settings match the journal's header reuses every row whose
scenario key it needs; one whose menu or settings changed moves the old
journal aside (``journal.previous.jsonl``) and starts afresh, and says so.

While a sweep runs it holds a lock on ``.lock`` in the directory (flock,
with its process id written in the file), so a second sweep into the same
directory stops with a clear error naming that process instead of
interleaving its rows with the first one's. The kernel drops the lock when
the process ends, however it ends; the worker processes a sweep forks
close their copy of the lock at once (``os.register_at_fork``), so a
``kill -9`` of the sweep frees its directory even while a worker lives on
(``ivrlint.common.processes`` also ends them), and a lock still held after
the process that took it has ended is named as such.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
from collections.abc import Iterable

from ivrlint.common.atomic import write_file
from ivrlint.errors import InputError, UsageError, write_error
from ivrlint.menu.yamlsource import open_regular
from ivrlint.whatif.sweep_table import csv_cell

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, run one sweep per directory
    HAS_LOCKS = False
else:
    HAS_LOCKS = True

JOURNAL = "journal.jsonl"
PREVIOUS = "journal.previous.jsonl"
FORMAT = "ivrlint-sweep-journal/1"
LOCK = ".lock"
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)

#: Descriptors of the locks this process holds; a forked child closes its copies (see `_forget_locks`).
_HELD: set[int] = set()


def _forget_locks() -> None:
    """In a child just forked (a worker): close the inherited lock descriptors. A flock belongs to the open
    file, so the parent keeps its lock, and the lock ends with the parent instead of with its last child."""
    for fd in _HELD:
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_locks)


class SweepStore:
    """The journal and summary files of one sweep's output directory."""

    def __init__(self, out_dir: str, settings: dict):
        self.out_dir = out_dir
        self.settings = settings
        self.journal = os.path.join(out_dir, JOURNAL)
        self.fresh_reason: str | None = None
        self._lock: int | None = None

    def load(self) -> dict[str, dict]:
        """Rows already in the journal, by scenario key; starts a new journal when needed.

        Takes the directory's lock until ``close()``.
        """
        try:
            os.makedirs(self.out_dir, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"--out {self.out_dir}: cannot create the directory ({exc.strerror or exc})") from None
        self._take_lock()
        header, rows, torn = self._read()
        if header is None and not rows and not os.path.lexists(self.journal):
            self._start()
            return {}
        if header is None or header.get("settings") != self.settings:
            # also a file there that is no journal of ours (the first write is atomic: never half a header),
            # moved aside rather than replaced: a link moves as a link, the file it names stays as it is
            self.fresh_reason = _why_fresh(header, self.settings)
            previous = os.path.join(self.out_dir, PREVIOUS)
            try:
                os.replace(self.journal, previous)
            except OSError as exc:  # journal.previous.jsonl is a folder
                raise write_error(previous, exc) from None
            self._start()
            return {}
        if torn:  # rewrite without the torn line, so appends start on a clean line
            self._rewrite([header] + list(rows.values()))
        return {key: row["row"] for key, row in rows.items()}

    def _take_lock(self) -> None:
        if not HAS_LOCKS:
            return
        lock_path = os.path.join(self.out_dir, LOCK)
        try:  # never through a link: the process id written below would truncate the file it names
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | _NO_FOLLOW | getattr(os, "O_NONBLOCK", 0), 0o644)
        except OSError as exc:  # an existing folder that is read-only; a link
            if exc.errno == errno.ELOOP and _NO_FOLLOW:
                raise UsageError(f"{lock_path} is a symbolic link, so it cannot be the sweep's lock; remove it, "
                                 "or give another --out") from None
            raise write_error(lock_path, exc) from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a pipe or a device
            os.close(fd)
            raise UsageError(f"{lock_path} is not a regular file, so it cannot be the sweep's lock; remove it, "
                             "or give another --out")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _holder(fd)
            os.close(fd)
            raise UsageError(_held_message(self.out_dir, lock_path, holder)) from None
        _HELD.add(fd)
        self._lock = fd
        try:  # who holds it, for the message a second sweep gives
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:  # a full disk: the lock holds all the same
            pass

    def close(self) -> None:
        """Release the directory's lock."""
        if self._lock is not None and self._lock in _HELD:
            _HELD.discard(self._lock)
            os.close(self._lock)
        self._lock = None

    def _read(self) -> tuple[dict | None, dict[str, dict], bool]:
        header, rows, torn = None, {}, False
        try:
            fh = io.TextIOWrapper(open_regular(self.journal), encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return None, {}, False
        except InputError as exc:  # a pipe, a device: reading it would block or never end
            what = exc.problems[0][1].split(":", 1)[0] if exc.problems else "is not a regular file"
            raise UsageError(f"{self.journal} {what}, not a sweep journal; remove it, or give another --out") from None
        except OSError as exc:  # a folder, an unreadable file
            raise UsageError(f"cannot read the sweep journal {self.journal}: {exc.strerror or exc}; "
                             "remove it, or give another --out") from None
        with fh:
            for number, line in enumerate(fh):
                torn = torn or not line.endswith("\n")  # a kill just before the newline: whole, but rewrite it
                try:
                    record = json.loads(line)
                except ValueError:
                    torn = True
                    continue
                if number == 0 and isinstance(record, dict) and record.get("format") == FORMAT:
                    header = record
                elif isinstance(record, dict) and "key" in record and "row" in record:
                    rows[record["key"]] = record
                else:
                    torn = True
        return header, rows, torn

    def _start(self) -> None:
        self._rewrite([{"format": FORMAT, "settings": self.settings}])

    def _rewrite(self, records: Iterable[dict]) -> None:
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        write_file(self.journal, text.encode("utf-8"))

    def append(self, key: str, row: dict) -> None:
        """Record one finished scenario durably before anything else happens."""
        line = json.dumps({"key": key, "row": row}, ensure_ascii=False) + "\n"  # members as made: see the docstring
        try:
            with open(self.journal, "a", encoding="utf-8") as fh:
                fh.write(line)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:  # a full disk
            raise write_error(self.journal, exc) from None

    def write_summaries(self, summary: dict, columns: list[str], table: list[dict]) -> list[str]:
        """Rewrite sweep.json (`summary`) and sweep.csv (`table` rows of `columns`) atomically."""
        json_path = os.path.join(self.out_dir, "sweep.json")
        csv_path = os.path.join(self.out_dir, "sweep.csv")
        write_file(json_path, (json.dumps(summary, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([csv_cell(name) for name in columns])
        writer.writerows([csv_cell(row.get(name, "")) for name in columns] for row in table)
        write_file(csv_path, buffer.getvalue().encode("utf-8"))
        return [csv_path, json_path]


def _holder(fd: int) -> int | None:
    """The process id a lock file holds, or None."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # a process of another user
        return True
    return True


def _held_message(out_dir: str, lock_path: str, holder: int | None) -> str:
    if holder is None or _alive(holder):
        process = f" (process {holder})" if holder else ""
        return f"another sweep is writing to {out_dir}{process}; wait for it, or give another --out"
    return (f"{lock_path} is still locked, but the sweep that took it (process {holder}) has ended: a process it "
            f"started holds the lock; end that process, or give another --out")


def _why_fresh(header: dict | None, settings: dict) -> str:
    if header is None:
        return "the journal there is not an ivrlint sweep journal"
    old = header.get("settings") or {}
    changed = [k for k in sorted(set(old) | set(settings)) if old.get(k) != settings.get(k)]
    words = {"menu_sha256": "the menu file", "set": "--set"}
    return "changed since the last run: " + ", ".join(words.get(k, k) for k in changed)

