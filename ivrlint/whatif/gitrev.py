"""A git repository at a revision, and a scratch copy of some of its folders as they were then.

``compare --git REV`` reads a platform file's phone line as it was at REV
(gitfile.py). Its siblings, its includes and what their globs match must
be the revision's files, so the folders they can come from are copied out
of the revision whole (``git ls-tree`` lists them, one ``git cat-file
--batch`` reads every blob), into a fresh temporary folder, and the
importer reads the copy. What is copied is bounded (MAX_FILES files,
MAX_BYTES in all, as a dialplan is), and only what the revision holds:
a file, or a symbolic link that stays inside the copy (a link to an
absolute path, or one that climbs out, names no file of the revision and
is left out). Submodules are left out.

Places in the copy are named back as the files the user knows,
``conf/extensions.conf@HEAD``, never the scratch folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

from ivrlint.errors import UsageError
from ivrlint.location import Location

#: The loader's limit on untrusted input, also applied to what one revision copy reads from git.
MAX_BYTES = 64 * 1024 * 1024
#: Most files copied out of a revision for one phone line (a configuration holds tens).
MAX_FILES = 20_000
_BLOB_MODES = {"100644", "100755"}
_LINK_MODE = "120000"


def git(args: list[str], cwd: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Run git; a missing git or one that does not answer is a usage error."""
    try:
        return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, timeout=60)
    except FileNotFoundError:
        raise UsageError("--git needs the git command, and it is not installed") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git {' '.join(args)} did not answer within 60 s") from None


@dataclass(frozen=True)
class Repository:
    """The work tree `top` (links resolved) that holds a file, and a revision of it known to exist:
    `rev` as the user wrote it (for messages), `commit` as git names it (for git's command lines, so that
    nothing the user wrote reaches them as an option)."""

    top: str
    rev: str
    commit: str

    @classmethod
    def of(cls, path: str, rev: str) -> Repository:
        directory = os.path.dirname(os.path.abspath(path)) or "."
        if not os.path.isdir(directory):
            raise UsageError(f"{path}: no such directory, so no git repository to read it from")
        top = git(["rev-parse", "--show-toplevel"], directory)
        if top.returncode != 0:
            raise UsageError(f"{path}: not inside a git repository, so --git {rev} cannot read its old version")
        root = os.path.realpath(top.stdout.decode("utf-8", "replace").strip())
        commit = git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
        oid = commit.stdout.decode("ascii", "replace").strip()
        if commit.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40,64}", oid):
            raise UsageError(f"--git {rev}: no such revision in {root} (try a commit, a branch or HEAD~1)")
        repo = cls(root, rev, oid)
        repo.relative(path)  # inside it, or a usage error
        return repo

    def contains(self, path: str) -> bool:
        real = os.path.realpath(os.path.abspath(path))
        return real == self.top or real.startswith(self.top.rstrip(os.sep) + os.sep)

    def relative(self, path: str) -> str:
        """`path` as git names it in the tree ("." for the top); a usage error outside the repository."""
        if not self.contains(path):
            raise UsageError(f"{path}: outside the git repository at {self.top}")
        return os.path.relpath(os.path.realpath(os.path.abspath(path)), self.top).replace(os.sep, "/")


@dataclass(frozen=True)
class _Entry:
    mode: str
    oid: str
    size: int


class RevisionCopy:
    """Folders of `repo` at its revision, copied into a temporary folder for as long as the block runs.

    `named` is the file asked for: it must have existed at the revision, and it keeps its name as written.
    """

    def __init__(self, repo: Repository, named: str):
        self.repo = repo
        self.named = named
        self.scratch = ""
        self._entries: dict[str, _Entry] = {}
        self._base_live = os.path.dirname(os.path.realpath(os.path.abspath(named)))
        self._base_shown = os.path.dirname(named)

    def __enter__(self) -> RevisionCopy:
        try:
            self.scratch = os.path.realpath(tempfile.mkdtemp(prefix="ivrlint-git-"))
        except OSError as exc:
            raise UsageError(f"--git {self.repo.rev}: cannot make a scratch folder for its files: {exc.strerror or exc}") from None
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)

    # -- what to copy -------------------------------------------------------
    def add_folder(self, folder: str, recursive: bool) -> None:
        """Copy `folder` (a folder of the work tree) as it was: its files, and with `recursive` everything under it."""
        relative = self.repo.relative(folder)
        args = ["ls-tree", "-z", "-l", "--full-tree", *(["-r"] if recursive else []), self.repo.commit]
        if relative != ".":
            args += ["--", relative + "/"]
        listed = git(args, self.repo.top)
        if listed.returncode != 0:
            message = listed.stderr.decode("utf-8", "replace").strip().splitlines()
            raise UsageError(f"git ls-tree {self.repo.rev} {relative} failed: {message[0] if message else 'no reason given'}")
        for record in listed.stdout.split(b"\0"):
            head, tab, name = record.partition(b"\t")
            fields = head.decode("ascii", "replace").split()
            if not tab or len(fields) != 4 or not fields[3].isdigit():
                continue  # a folder (non-recursive listing) or a submodule: no blob
            if fields[0] in _BLOB_MODES or fields[0] == _LINK_MODE:
                self._entries[os.fsdecode(name)] = _Entry(fields[0], fields[2], int(fields[3]))
        os.makedirs(self.path_of(folder), exist_ok=True)
        if len(self._entries) > MAX_FILES:
            raise UsageError(self._too_much(folder, f"more than {MAX_FILES:,} files"))
        if sum(entry.size for entry in self._entries.values()) > MAX_BYTES:
            raise UsageError(self._too_much(folder, f"more than {MAX_BYTES // (1024 * 1024)} MiB"))

    def _too_much(self, folder: str, what: str) -> str:
        return (f"--git {self.repo.rev}: {self.shown(os.path.realpath(folder)) or '.'} holds {what} at {self.repo.rev}, "
                "beyond what ivrlint copies to read a phone line and its includes as they were; keep the "
                "configuration in a folder of its own, or check the revision out (git worktree add) and compare "
                "the two files")

    def fetch(self) -> str:
        """Write every listed file into the copy; the path of the named file's copy."""
        named = self.repo.relative(self.named)
        if named not in self._entries:
            raise UsageError(f"{self.named}: did not exist at {self.repo.rev} (git has no {self.repo.rev}:{named}); "
                             "compare two files instead")
        names = sorted(self._entries)
        blobs = self._blobs([self._entries[name].oid for name in names])
        try:
            for name in names:
                self._write(name, self._entries[name], blobs[self._entries[name].oid])
        except OSError as exc:  # a full /tmp
            raise UsageError(f"--git {self.repo.rev}: cannot copy its files into {tempfile.gettempdir()}: "
                             f"{exc.strerror or exc}") from None
        return self.path_of(self.named)

    def _blobs(self, oids: list[str]) -> dict[str, bytes]:
        """The content of each blob, by one `git cat-file --batch`."""
        wanted = list(dict.fromkeys(oids))
        answer = git(["cat-file", "--batch"], self.repo.top, ("\n".join(wanted) + "\n").encode("ascii"))
        out, at = {}, 0
        data = answer.stdout
        for oid in wanted:
            end = data.find(b"\n", at)
            header = data[at:end].split()
            if end < 0 or len(header) != 3 or not header[2].isdigit():
                raise UsageError(f"git cat-file could not read {oid} at {self.repo.rev}")
            size = int(header[2])
            out[oid] = data[end + 1:end + 1 + size]
            at = end + 1 + size + 1  # the content, then a newline
        return out

    def _write(self, name: str, entry: _Entry, content: bytes) -> None:
        target = os.path.normpath(os.path.join(self.scratch, name))
        parent = os.path.dirname(target)
        if not self._inside(target):
            return  # git names no such path; nothing is written outside the copy
        os.makedirs(parent, exist_ok=True)
        if not self._within(os.path.realpath(parent)):
            return  # a folder of the copy that is a link (not possible in one git tree; never followed out)
        if entry.mode == _LINK_MODE:
            link = os.fsdecode(content)
            if not os.path.isabs(link) and self._inside(os.path.normpath(os.path.join(parent, link))):
                with contextlib.suppress(OSError):  # Windows without the right to make links: left out
                    os.symlink(link, target)
            return  # a link to the machine's files, or out of the copy: no file of the revision
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)

    def _inside(self, path: str) -> bool:
        """Is `path` a path in the copy (below its top)?"""
        return path.startswith(self.scratch + os.sep)

    def _within(self, path: str) -> bool:
        return path == self.scratch or self._inside(path)

    # -- names --------------------------------------------------------------
    def path_of(self, live: str) -> str:
        """Where the copy of work-tree path `live` is."""
        relative = self.repo.relative(live)
        return self.scratch if relative == "." else os.path.join(self.scratch, *relative.split("/"))

    def shown(self, live: str) -> str:
        """A work-tree path (links resolved) as the user would write it: relative to where the named file was named."""
        return os.path.normpath(os.path.join(self._base_shown, os.path.relpath(live, self._base_live)))

    def label(self, path: str) -> str:
        """A place in the copy named ``file@rev`` after the work-tree file it stands for; any other path as it is."""
        if path == self.path_of(self.named):
            return f"{self.named}@{self.repo.rev}"
        if not self._within(path):
            return path
        return f"{self.shown(os.path.join(self.repo.top, os.path.relpath(path, self.scratch)))}@{self.repo.rev}"

    def location(self, loc: Location | None) -> Location | None:
        return None if loc is None else Location(self.label(loc.file), loc.line, loc.column)

    def labels(self) -> dict[str, str]:
        """For ``relabel``: every path in the copy to its label."""
        return _Labels(self)

    def unscratch(self, text: str) -> str:
        """`text` with each path in the copy that it mentions written as the work-tree path it stands for."""
        def back(match: re.Match[str]) -> str:
            tail = match.group(1)
            shown = self.shown(os.path.join(self.repo.top, tail.strip("/"))) if tail.strip("/") else self.shown(self.repo.top)
            return shown + ("/" if tail.endswith("/") else "")

        return re.sub(re.escape(self.scratch) + r"((?:/[^/\s,;:'\"()]*)*)", back, text)


class _Labels(dict):
    """A mapping that names any path of the copy (``relabel`` asks it with .get)."""

    def __init__(self, copy: RevisionCopy):
        super().__init__()
        self._copy = copy

    def get(self, key, default=None):
        if isinstance(key, str) and self._copy._within(key):
            return self._copy.label(key)
        return default
