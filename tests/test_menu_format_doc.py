"""MENU_FORMAT.md, the format's specification, is in the repository and its
sdist, says what ivrlint adds, and every message that points at it names a
section it has."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile

from conftest import ROOT

DOC = ROOT / "MENU_FORMAT.md"


def _sections() -> set[str]:
    return {m.group(1).strip() for m in re.finditer(r"^#+ (.+)$", DOC.read_text(encoding="utf-8"), re.M)}


def test_the_format_and_what_ivrlint_adds_to_it_are_in_the_repository():
    text = DOC.read_text(encoding="utf-8")
    assert "What ivrlint adds and decides" in _sections()
    for addition in ("retries: unlimited", "`x-`", "speech_rate: 160", '"08:00-18:00"', "64 MiB"):
        assert addition in text


def test_the_readme_links_the_format():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "[MENU_FORMAT.md](MENU_FORMAT.md)" in readme
    assert "shared notes" not in readme


def test_every_pointer_to_the_format_in_messages_names_the_file_and_one_of_its_sections():
    pointers = []
    for path in (ROOT / "ivrlint").rglob("*.py"):
        pointers += re.findall(r"see MENU_FORMAT[\w.]*(?:, '[^']+')?", path.read_text(encoding="utf-8"))
    assert pointers
    sections = _sections()
    for pointer in pointers:
        named = re.fullmatch(r"see MENU_FORMAT\.md, '([^']+)'", pointer)
        assert named and named.group(1) in sections, pointer


def test_the_sdist_ships_the_format(tmp_path):
    # built from a copy: sdist makes its tree in the current directory, and other runs of the suite share ROOT
    source = tmp_path / "source"
    shutil.copytree(ROOT / "ivrlint", source / "ivrlint", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "docs", source / "docs")
    for name in ("setup.cfg", "pyproject.toml", "MANIFEST.in", "README.md", "MENU_FORMAT.md"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-c", "from setuptools import setup; setup()", "-q", "sdist", "-d", str(tmp_path)],
                   cwd=source, check=True, capture_output=True)
    [archive] = tmp_path.glob("*.tar.gz")
    with tarfile.open(archive) as tar:
        assert any(name.endswith("/MENU_FORMAT.md") for name in tar.getnames())
        # the research the rule pages cite (docs/sources.md#design-rules-with-numbers and the like)
        assert any(name.endswith("/docs/sources.md") for name in tar.getnames())
