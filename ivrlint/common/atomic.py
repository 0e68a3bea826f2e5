"""Write files and folders so that a reader never sees half of them, and a power cut loses neither.

A file (``write_file``) is written to a hidden temporary file in its folder
(``.NAME.XXXXXXXX.partial``), fsynced, renamed over its target, and then
the folder is fsynced: the rename is atomic, so a reader, or the next run
after a kill, finds the old file whole or the new one whole; and a rename
is on disk only once its folder is, so without that last fsync a power cut
could bring back the old file, or none, after the command said it wrote
the new one. A killed run's temporary file is deleted by the next write of
the same file once it is a minute old.

Only a regular file, or nothing, is ever replaced. A symlink is written
through: the file it names is replaced and the link stays. A FIFO, a
device, a socket or a folder is refused, since replacing it by rename
would put a regular file where it was (as root: ``-o /dev/full``) rather
than write to it. An existing file keeps its permission bits, and its
owner where the user may set it; a hard link to it keeps the old content.

A report is built in a hidden temporary folder beside its target
(``.NAME.partial-*``), every file in it fsynced, and swapped in. On Linux
the swap is one ``renameat2(RENAME_EXCHANGE)`` (through ctypes; it is not
in the standard library): the target holds the old report or the new one
at every moment. Elsewhere, and on file systems without it, the old report
is renamed aside (``.NAME.old-*``) and the new one renamed in; a run killed
between those two renames leaves no report at the target, and the next run
for that target puts the old one back before it starts (``recover``), or
deletes it if the new one made it in. An interrupted run (Ctrl-C, SIGTERM)
deletes its hidden folder on its way out; one killed outright leaves it for
the next run of the same report to delete.

Only a folder that is empty or holds an earlier ivrlint report (it has the
``MARKER`` file) is ever replaced, so pointing ``--report`` at a folder of
your own files is refused instead of deleting them.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ivrlint.errors import UsageError, write_error

#: Written into every report folder; its presence means "ivrlint may replace this".
MARKER = ".ivrlint-report"
#: Seconds after which a hidden build folder or temporary file is taken for the leftover of a run that was
#: killed (SIGKILL, power loss) before it could clean up; one being written changes each few seconds.
STALE_AFTER = 60.0
#: What tempfile appends: 8 of these characters.
_TEMP_SUFFIX = "[a-z0-9_]{8}"
#: Errors of fsync on a folder from a file system that cannot sync folders (the rename is then as durable
#: as that file system makes it).
_NO_FOLDER_SYNC = {errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF}
_FILE_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def write_file(path: str, data: bytes) -> None:
    """Write `path` whole or not at all, durably (temporary file, fsync, rename, fsync of the folder)."""
    target = writable_target(path)
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise UsageError(f"cannot write {path}: folder {folder} does not exist")
    remove_stale_files(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".partial", dir=folder)
    except OSError as exc:  # a read-only folder, a name too long
        raise write_error(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        _take_mode(tmp, target)
        os.replace(tmp, target)
        fsync_folder(folder)
    except BaseException as exc:
        _remove(tmp)
        if isinstance(exc, OSError):  # a full disk, a folder where the file should go
            raise write_error(path, exc) from None
        raise


def writable_target(path: str) -> str:
    """The absolute path `write_file` replaces for `path`: a symlink's target; a usage error for a special file."""
    try:
        mode = os.stat(path).st_mode  # through symlinks: /dev/stdout is the pipe or terminal it names
    except FileNotFoundError:
        return os.path.realpath(path)  # a new file, or the file a dangling symlink names
    except OSError as exc:  # a symlink loop, a folder that cannot be searched
        raise write_error(path, exc) from None
    if stat.S_ISREG(mode):
        return os.path.realpath(path)
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")
    raise UsageError(f"cannot write {path}: it is {kind}, and ivrlint writes files whole, by replacing a regular "
                     "file; name a regular file or a new one")


def fsync_folder(folder: str) -> None:
    """Put `folder`'s entries (a rename into it) on disk. Windows cannot open a folder: NTFS journals renames."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _NO_FOLDER_SYNC:
            raise
    finally:
        os.close(fd)


def fsync_tree(root: str) -> None:
    """fsync every file and folder under `root`, folders after their contents."""
    for folder, _, files in os.walk(root, topdown=False):
        for name in files:
            with open(os.path.join(folder, name), "rb+") as fh:
                os.fsync(fh.fileno())
        fsync_folder(folder)


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
    recover(target)
    try:
        building = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.partial-", dir=parent)
    except OSError as exc:  # a read-only folder, a name too long
        raise write_error(shown, exc) from None
    try:
        yield building
        with open(os.path.join(building, MARKER), "w", encoding="utf-8") as fh:
            fh.write("Written by ivrlint; `ivrlint simulate --report` replaces this folder whole.\n")
        os.chmod(building, 0o755)
        fsync_tree(building)
        _swap_in(building, target)
    except BaseException as exc:
        shutil.rmtree(building, ignore_errors=True)
        if isinstance(exc, OSError):  # a full disk part-way through the report
            raise write_error(shown, exc) from None
        raise


def recover(target: str, now: float | None = None) -> list[str]:
    """Finish what killed runs left for the report `target`; returns the leftover folders removed or restored.

    An old report renamed aside (``.NAME.old-*``) goes back to `target` when
    `target` is missing (the run was killed between its two renames) and is
    deleted when the new report made it in (the run was killed while it
    deleted the old one, which may be half gone); stale build folders are
    deleted (``remove_stale_builds``).
    """
    handled = remove_stale_builds(target, now)
    asides = sorted(_leftovers(target, "old-" + _TEMP_SUFFIX, _is_folder), key=_mtime, reverse=True)
    for aside in asides:
        try:
            if not os.path.lexists(target) and _is_report(aside):
                os.rename(aside, target)
                fsync_folder(os.path.dirname(os.path.abspath(target)))
            else:
                shutil.rmtree(aside)
        except OSError:  # best effort, as the cleanup of any leftover: the new report is written all the same
            continue
        handled.append(aside)
    return handled


def remove_stale_builds(target: str, now: float | None = None) -> list[str]:
    """Delete the hidden ``.NAME.partial-*`` folders of earlier runs for this `target` that were killed;
    returns their paths. Only this report's, and only those untouched for STALE_AFTER seconds."""
    stale = _stale(now)
    removed = []
    for path in _leftovers(target, "partial-" + _TEMP_SUFFIX, _is_folder):
        if stale(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def remove_stale_files(target: str, now: float | None = None) -> list[str]:
    """Delete the temporary files (``.NAME.XXXXXXXX.partial``) that killed writes of `target` left, once stale."""
    stale = _stale(now)
    removed = []
    for path in _leftovers(target, _TEMP_SUFFIX + r"\.partial", lambda p: os.path.isfile(p) and not os.path.islink(p)):
        if stale(path):
            _remove(path)
            removed.append(path)
    return removed


def _leftovers(target: str, tail: str, keep: Callable[[str], bool]) -> list[str]:
    """Entries beside `target` named ``.NAME.`` + `tail` (a regular expression) for which keep(path) holds."""
    parent, name = os.path.split(os.path.abspath(target))
    pattern = re.compile(re.escape(f".{name}.") + tail)
    try:
        names = os.listdir(parent)
    except OSError:
        return []
    return [os.path.join(parent, n) for n in names if pattern.fullmatch(n) and keep(os.path.join(parent, n))]


def _stale(now: float | None) -> Callable[[str], bool]:
    now = time.time() if now is None else now
    return lambda path: now - _mtime(path) > STALE_AFTER


def _mtime(path: str) -> float:
    try:
        return os.lstat(path).st_mtime
    except OSError:
        return float("inf")  # gone already: neither stale nor the newest


def _is_folder(path: str) -> bool:
    return os.path.isdir(path) and not os.path.islink(path)


def _is_report(path: str) -> bool:
    """A whole earlier report (its MARKER is written last), or the empty folder a report replaced."""
    return os.path.exists(os.path.join(path, MARKER)) or not os.listdir(path)


def check_replaceable(target: str) -> None:
    """Refuse a target that exists and is not an empty folder nor an earlier report."""
    if not os.path.lexists(target):
        return
    if not os.path.isdir(target) or os.path.islink(target):
        raise UsageError(f"{target} exists and is not a folder; choose another report folder")
    if os.listdir(target) and not os.path.exists(os.path.join(target, MARKER)):
        raise UsageError(f"{target} holds files that are not an ivrlint report; choose an empty or new folder")


def _swap_in(building: str, target: str) -> None:
    parent = os.path.dirname(target)
    if not os.path.lexists(target):
        os.rename(building, target)
        fsync_folder(parent)
    elif exchange(building, target):  # `building` now holds the old report
        fsync_folder(parent)
        shutil.rmtree(building, ignore_errors=True)
    else:
        _swap_by_two_renames(building, target)


def _swap_by_two_renames(building: str, target: str) -> None:
    """Old report aside, new one in, old one deleted; a kill in between is undone by the next run's ``recover``."""
    old = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.old-", dir=os.path.dirname(target))
    os.rmdir(old)
    os.rename(target, old)
    try:
        os.rename(building, target)
    except BaseException:
        os.rename(old, target)  # put the previous report back
        raise
    fsync_folder(os.path.dirname(target))
    shutil.rmtree(old, ignore_errors=True)


#: renameat2's flag that swaps two existing paths, and the "relative to the working folder" descriptor.
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: str, b: str) -> bool:
    """Swap the paths `a` and `b` in one atomic step; False where the system or the file system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    import ctypes

    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):  # an old kernel, a file system without it
        return False
    raise OSError(code, os.strerror(code), b)


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """libc's renameat2 (glibc 2.28, musl 1.2.4), or None."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _take_mode(tmp: str, target: str) -> None:
    """Give the new file the old one's permission bits and, where allowed, its owner; 0644 when new."""
    try:
        old = os.stat(target)
    except OSError:
        os.chmod(tmp, 0o644)
        return
    if hasattr(os, "chown") and (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.chown(tmp, old.st_uid, old.st_gid)
        except PermissionError:  # only root may give a file away
            pass
    os.chmod(tmp, stat.S_IMODE(old.st_mode))


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
