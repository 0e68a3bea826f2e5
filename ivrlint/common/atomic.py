"""Write files and folders so that a reader never sees half of them.

A report is built in a hidden temporary folder beside its target and moved
into place with rename, which is atomic within one file system; an
interrupted run (Ctrl-C, SIGTERM) deletes that hidden folder (named
``.NAME.partial-*``) on its way out, and one killed outright leaves it for
the next run of the same report to delete; never is a half-written
``index.html`` where the report should be. An existing
report is first renamed aside, then the new one renamed in, then the old
one deleted: between the two renames the target is briefly absent, which is
as close to an atomic swap of folders as portable Python gets (Linux's
``renameat2(RENAME_EXCHANGE)`` is not in the standard library).

Only a folder that is empty or holds an earlier ivrlint report (it has the
``MARKER`` file) is ever replaced, so pointing ``--report`` at a folder of
your own files is refused instead of deleting them.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

from ivrlint.errors import UsageError, write_error

#: Written into every report folder; its presence means "ivrlint may replace this".
MARKER = ".ivrlint-report"
#: Seconds after which a hidden build folder is taken for the leftover of a run that was killed
#: (SIGKILL, power loss) before it could clean up; one being built changes each few seconds.
STALE_AFTER = 60.0
#: What tempfile.mkdtemp appends: 8 of these characters.
_TEMP_SUFFIX = "[a-z0-9_]{8}"


def write_file(path: str, data: bytes) -> None:
    """Write `path` whole or not at all (temporary file in the same folder, then rename)."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UsageError(f"cannot write {path}: folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".partial", dir=folder)
    except OSError as exc:  # a read-only folder, a name too long
        raise write_error(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())  # a sweep's journal must survive a power cut once renamed in
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        _remove(tmp)
        if isinstance(exc, OSError):  # a full disk, a folder where the file should go
            raise write_error(path, exc) from None
        raise


@contextmanager
def report_folder(target: str) -> Iterator[str]:
    """Yield a fresh temporary folder; on success it replaces `target`, on failure it vanishes."""
    shown = target  # as the user wrote it, for messages
    target = os.path.abspath(target)
    check_replaceable(target)
    parent = os.path.dirname(target)
    try:
        os.makedirs(parent, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {parent}: {exc.strerror}") from None
    remove_stale_builds(target)
    try:
        building = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.partial-", dir=parent)
    except OSError as exc:  # a read-only folder, a name too long
        raise write_error(shown, exc) from None
    try:
        yield building
        with open(os.path.join(building, MARKER), "w", encoding="utf-8") as fh:
            fh.write("Written by ivrlint; `ivrlint simulate --report` replaces this folder whole.\n")
        os.chmod(building, 0o755)
        _swap_in(building, target)
    except BaseException as exc:
        shutil.rmtree(building, ignore_errors=True)
        if isinstance(exc, OSError):  # a full disk part-way through the report
            raise write_error(shown, exc) from None
        raise


def remove_stale_builds(target: str, now: float | None = None) -> list[str]:
    """Delete the hidden ``.NAME.partial-*`` folders of earlier runs for this `target` that were killed;
    returns their paths. Only this report's, and only those untouched for STALE_AFTER seconds."""
    parent, name = os.path.split(os.path.abspath(target))
    pattern = re.compile(re.escape(f".{name}.partial-") + _TEMP_SUFFIX)
    now = time.time() if now is None else now
    removed: list[str] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.fullmatch(entry.name) or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            stale = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
        except OSError:
            continue
        if stale:
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(entry.path)
    return removed


def check_replaceable(target: str) -> None:
    """Refuse a target that exists and is not an empty folder nor an earlier report."""
    if not os.path.lexists(target):
        return
    if not os.path.isdir(target) or os.path.islink(target):
        raise UsageError(f"{target} exists and is not a folder; choose another report folder")
    if os.listdir(target) and not os.path.exists(os.path.join(target, MARKER)):
        raise UsageError(f"{target} holds files that are not an ivrlint report; choose an empty or new folder")


def _swap_in(building: str, target: str) -> None:
    old = None
    if os.path.exists(target):
        old = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.old-", dir=os.path.dirname(target))
        os.rmdir(old)
        os.rename(target, old)
    try:
        os.rename(building, target)
    except BaseException:
        if old is not None:
            os.rename(old, target)  # put the previous report back
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
