"""Where a sweep keeps its results, so that nothing finished is ever lost.

``journal.jsonl`` is the durable record: a header line with the settings
the results depend on (menu hash, seed, hours, replications, warm-up), then
one JSON line per finished scenario, appended, flushed and fsynced as soon
as the scenario ends. A sweep killed at any moment leaves at worst a torn
last line, which the next run drops.

``sweep.csv`` and ``sweep.json`` are views rebuilt from the rows, written
to a temporary file and renamed into place, so a reader never sees half a
file.

A rerun whose settings match the journal's header reuses every row whose
scenario key it needs; one whose menu or settings changed moves the old
journal aside (``journal.previous.jsonl``) and starts afresh, and says so.

While a sweep runs it holds a lock on ``.lock`` in the directory, so a
second sweep into the same directory stops with a clear error instead of
interleaving its rows with the first one's.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable
from typing import IO

from ivrlint.common.atomic import write_file
from ivrlint.errors import UsageError, write_error

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, run one sweep per directory
    HAS_LOCKS = False
else:
    HAS_LOCKS = True

JOURNAL = "journal.jsonl"
PREVIOUS = "journal.previous.jsonl"
FORMAT = "ivrlint-sweep-journal/1"


class SweepStore:
    """The journal and summary files of one sweep's output directory."""

    def __init__(self, out_dir: str, settings: dict):
        self.out_dir = out_dir
        self.settings = settings
        self.journal = os.path.join(out_dir, JOURNAL)
        self.fresh_reason: str | None = None
        self._lock: IO[str] | None = None

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
        if header is None and not rows:
            self._start()
            return {}
        if header is None or header.get("settings") != self.settings:
            self.fresh_reason = _why_fresh(header, self.settings)
            os.replace(self.journal, os.path.join(self.out_dir, PREVIOUS))
            self._start()
            return {}
        if torn:  # rewrite without the torn line, so appends start on a clean line
            self._rewrite([header] + list(rows.values()))
        return {key: row["row"] for key, row in rows.items()}

    def _take_lock(self) -> None:
        if not HAS_LOCKS:
            return
        lock_path = os.path.join(self.out_dir, ".lock")
        try:
            self._lock = open(lock_path, "a")
        except OSError as exc:  # an existing folder that is read-only
            raise write_error(lock_path, exc) from None
        try:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._lock.close()
            self._lock = None
            raise UsageError(f"another sweep is writing to {self.out_dir}; wait for it, or give another --out") from None

    def close(self) -> None:
        """Release the directory's lock."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def _read(self) -> tuple[dict | None, dict[str, dict], bool]:
        header, rows, torn = None, {}, False
        try:
            fh = open(self.journal, encoding="utf-8")
        except FileNotFoundError:
            return None, {}, False
        with fh:
            for number, line in enumerate(fh):
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
        text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
        write_file(self.journal, text.encode("utf-8"))

    def append(self, key: str, row: dict) -> None:
        """Record one finished scenario durably before anything else happens."""
        line = json.dumps({"key": key, "row": row}, ensure_ascii=False, sort_keys=True) + "\n"
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
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
        write_file(csv_path, buffer.getvalue().encode("utf-8"))
        return [csv_path, json_path]


def _why_fresh(header: dict | None, settings: dict) -> str:
    if header is None:
        return "the journal there is not an ivrlint sweep journal"
    old = header.get("settings") or {}
    changed = [k for k in sorted(set(old) | set(settings)) if old.get(k) != settings.get(k)]
    words = {"menu_sha256": "the menu file", "set": "--set"}
    return "changed since the last run: " + ", ".join(words.get(k, k) for k in changed)

