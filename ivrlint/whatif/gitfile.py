"""Read a menu file as it was at a git revision (``compare --git REV FILE``).

A YAML menu is one blob. A platform file is read with the files of its
phone line (its directory's files of that platform, which link to each
other), each as it was at the revision, by the platform's importer, and
every place in the result is named ``path@rev``.

Runs ``git`` itself (``rev-parse``, ``cat-file``, ``show``) rather than a
library: git is on every CI runner, and its own error cases (not a repository,
unknown revision, file not there yet) become one clear exit-2 line each.
"""

from __future__ import annotations

import os
import subprocess
import tempfile

from ivrlint.errors import UsageError
from ivrlint.importers import detect, line_files, read_any, source_files
from ivrlint.menu.document import Document, relabel
from ivrlint.menu.loader import read_text
from ivrlint.menu.yamlsource import decode

#: The loader's limit on untrusted input, also applied to blobs read from git.
MAX_BYTES = 64 * 1024 * 1024


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60)
    except FileNotFoundError:
        raise UsageError("--git needs the git command, and it is not installed") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git {' '.join(args)} did not answer within 60 s") from None


def read_at_revision(path: str, rev: str, required: bool = True) -> bytes | None:
    """The bytes of `path` (a file in a git work tree) at revision `rev`.

    A file that did not exist then is an error, or None when not `required`."""
    directory = os.path.dirname(os.path.abspath(path)) or "."
    if not os.path.isdir(directory):
        raise UsageError(f"{path}: no such directory, so no git repository to read it from")
    top = _git(["rev-parse", "--show-toplevel"], directory)
    if top.returncode != 0:
        raise UsageError(f"{path}: not inside a git repository, so --git {rev} cannot read its old version")
    root = top.stdout.decode("utf-8", "replace").strip()
    relative = os.path.relpath(os.path.realpath(os.path.abspath(path)), os.path.realpath(root))
    if relative.startswith(".."):
        raise UsageError(f"{path}: outside the git repository at {root}")
    relative = relative.replace(os.sep, "/")
    if _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root).returncode != 0:
        raise UsageError(f"--git {rev}: no such revision in {root} (try a commit, a branch or HEAD~1)")
    spec = f"{rev}:{relative}"
    size = _git(["cat-file", "-s", spec], root)
    if size.returncode != 0:
        if not required:
            return None
        raise UsageError(f"{path}: did not exist at {rev} (git has no {spec}); compare two files instead")
    if int(size.stdout.strip() or 0) > MAX_BYTES:
        raise UsageError(f"{spec}: larger than 64 MiB, which is beyond what ivrlint reads")
    shown = _git(["show", spec], root)
    if shown.returncode != 0:
        message = shown.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git show {spec} failed: {message[0] if message else 'no reason given'}")
    return shown.stdout


def document_at_revision(path: str, rev: str, fmt: str | None = None) -> Document:
    """The menu in `path` as it was at `rev`, named ``path@rev`` in every message.

    `fmt` is the format the file is read as (None: what its content shows now)."""
    label = f"{path}@{rev}"
    if fmt is None and os.path.isfile(path):
        fmt = detect(path)
    if fmt in (None, "yaml"):
        blob = read_at_revision(path, rev)
        assert blob is not None  # required
        return read_text(decode(blob, label), label)
    return _platform_at_revision(path, rev, fmt)


def _platform_at_revision(path: str, rev: str, fmt: str) -> Document:
    """The phone line of platform file `path` as it was at `rev`: its files then, and the files they
    include, copied where they lie relative to each other, and read by the importer."""
    line = line_files(path, fmt)
    everything = source_files(line)
    root = os.path.commonpath([os.path.dirname(os.path.abspath(f)) for f in everything])
    with tempfile.TemporaryDirectory(prefix="ivrlint-git-") as scratch:
        labels: dict[str, str] = {}
        copies = []
        for file in everything:
            blob = read_at_revision(file, rev, required=file == path)  # the file asked for must have existed
            if blob is None:
                continue  # not there yet at rev: the line read then did without it
            copy = os.path.join(scratch, os.path.relpath(os.path.abspath(file), root))
            os.makedirs(os.path.dirname(copy), exist_ok=True)
            with open(copy, "wb") as fh:
                fh.write(blob)
            labels[copy] = f"{file}@{rev}"
            if file in line:
                copies.append(copy)
        document = read_any(copies, fmt)
        relabel(document, labels)
        return document
