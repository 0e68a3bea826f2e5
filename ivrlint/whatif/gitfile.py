"""Read a menu file as it was at a git revision (``compare --git REV FILE``).

A YAML menu is one blob. A platform file is read with the files of its
phone line as they were at the revision, by the platform's importer, and
every place in the result is named ``path@rev``. The revision's files are
copied into a scratch folder first (``gitrev.RevisionCopy``): the named
file's folder, and for a format with includes (Asterisk, FreeSWITCH) the
configuration's directory and each ``--include-root`` inside the
repository, whole and recursively. The importer then reads the copy, with
includes allowed into the copies of those roots only: a sibling, an
include and what a glob matches are all the revision's, never the working
tree's, and an include stays confined as it would in a checkout of the
revision.

An include that cannot be read that way (an absolute path into the working
tree, or an ``--include-root`` outside the repository, so there is no
revision of it to read) is refused with one line at the include
(exit 2): ivrlint then reads the line once more with the working tree's
roots allowed too, only to tell such an include from one that leads out
in either version (which stays a finding, as in ``check``), and discards
that reading.

Runs ``git`` itself (``rev-parse``, ``cat-file``, ``show``, ``ls-tree``)
rather than a library: git is on every CI runner, and its own error cases
(not a repository, unknown revision, file not there yet) become one clear
exit-2 line each.
"""

from __future__ import annotations

import dataclasses
import os

from ivrlint.errors import InputError, UsageError
from ivrlint.importers import detect, importers, read_any
from ivrlint.importers.includes import allowed_roots, allowing
from ivrlint.menu.document import Document, relabel
from ivrlint.menu.loader import read_text
from ivrlint.menu.yamlsource import decode
from ivrlint.whatif.gitrev import MAX_BYTES, Repository, RevisionCopy, git

__all__ = ["MAX_BYTES", "configuration_dir", "document_at_revision", "read_at_revision"]


def read_at_revision(path: str, rev: str, required: bool = True) -> bytes | None:
    """The bytes of `path` (a file in a git work tree) at revision `rev`.

    A file that did not exist then is an error, or None when not `required`."""
    repo = Repository.of(path, rev)
    spec = f"{rev}:{repo.relative(path)}"
    blob = f"{repo.commit}:{repo.relative(path)}"  # what git is given: the commit, never the user's text
    size = git(["cat-file", "-s", blob], repo.top)
    if size.returncode != 0:
        if not required:
            return None
        raise UsageError(f"{path}: did not exist at {rev} (git has no {spec}); compare two files instead")
    if int(size.stdout.strip() or 0) > MAX_BYTES:
        raise UsageError(f"{spec}: larger than 64 MiB, which is beyond what ivrlint reads")
    shown = git(["show", blob], repo.top)
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
    """The phone line of platform file `path` as it was at `rev`, read from a copy of the revision's files."""
    repo = Repository.of(path, rev)
    with_includes = importers()[fmt].includes is not None
    live_roots = list(allowed_roots()) if with_includes else []
    with RevisionCopy(repo, path) as copy:
        copy.add_folder(os.path.dirname(os.path.abspath(path)), recursive=False)
        if with_includes:
            copy.add_folder(configuration_dir(path, fmt), recursive=True)
            for root in live_roots:
                if repo.contains(root):
                    copy.add_folder(root, recursive=True)
        named = copy.fetch()
        mapped = [copy.path_of(root) for root in live_roots if repo.contains(root)]
        try:
            with allowing(mapped):
                document = read_any(named, fmt)
            if live_roots:
                _refuse_live_includes(document, named, fmt, [*mapped, *live_roots], copy)
        except InputError as exc:
            raise InputError([(copy.location(loc), copy.unscratch(message)) for loc, message in exc.problems],
                             copy.label(exc.file)) from None
        relabel(document, copy.labels())
        document.notes[:] = [dataclasses.replace(note, message=copy.unscratch(note.message)) for note in document.notes]
        return document


def configuration_dir(path: str, fmt: str) -> str:
    """The folder an importer confines `path`'s includes to (without --include-root): its own folder, or for a
    FreeSWITCH file in ``autoload_configs/`` the conf directory above it (xmlfiles.configuration_dir)."""
    if fmt == "freeswitch":
        from ivrlint.importers.freeswitch.xmlfiles import configuration_dir as freeswitch_dir

        return os.path.abspath(freeswitch_dir(os.path.abspath(path)))
    return os.path.dirname(os.path.abspath(path))


def _refuse_live_includes(document: Document, named: str, fmt: str, roots: list[str], copy: RevisionCopy) -> None:
    """An include that leads out of the revision's copy, where the working tree's --include-root would let it in,
    would read the working tree's file: refuse it at its line rather than read it or call it an error."""
    outside = [note for note in document.notes if "leads outside" in note.message]
    if not outside:
        return
    try:
        with allowing(roots):
            probe = read_any(named, fmt).notes
    except InputError:
        probe = []  # it read a file of the working tree that does not read: the notes below all differ
    live = [note for note in outside if note not in probe]
    if live:
        raise InputError.at(
            copy.location(live[0].loc),
            f"under --git {copy.repo.rev} this include would read a file of the working tree, not the one at "
            f"{copy.repo.rev}: it leads outside the revision's copy of the configuration's directory and of each "
            "--include-root inside the repository (an absolute path, or a directory outside the repository); "
            "write the include relative to the including file, or check the revision out (git worktree add) and "
            "compare the two files", copy.label(named))

