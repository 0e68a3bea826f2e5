"""Read a menu file as it was at a git revision (``compare --git REV FILE``).

Runs ``git`` itself (``rev-parse``, ``cat-file``, ``show``) rather than a
library: git is on every CI runner, and its own error cases (not a repository,
unknown revision, file not there yet) become one clear exit-2 line each.
"""

from __future__ import annotations

import os
import subprocess

from ivrlint.errors import UsageError
from ivrlint.menu.document import Document
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


def read_at_revision(path: str, rev: str) -> bytes:
    """The bytes of `path` (a file in a git work tree) at revision `rev`."""
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
        raise UsageError(f"{path}: did not exist at {rev} (git has no {spec}); compare two files instead")
    if int(size.stdout.strip() or 0) > MAX_BYTES:
        raise UsageError(f"{spec}: larger than 64 MiB, which is beyond what ivrlint reads")
    shown = _git(["show", spec], root)
    if shown.returncode != 0:
        message = shown.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git show {spec} failed: {message[0] if message else 'no reason given'}")
    return shown.stdout


def document_at_revision(path: str, rev: str) -> Document:
    """The menu in `path` as it was at `rev`, named ``path@rev`` in every message."""
    label = f"{path}@{rev}"
    return read_text(decode(read_at_revision(path, rev), label), label)
