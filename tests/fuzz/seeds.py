"""The real files the fuzz net starts from, one phone line at a time, and how an input is laid out.

A seed is a line: the files of one directory (a FreeSWITCH line is
ivr.conf.xml with the ivr_menus/*.xml it includes; a Connect line is its
flows) and the path `check` is given. An input is that line written to a
scratch directory with one of its files replaced by a mutated or generated
text.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = Path(__file__).resolve().parent / "seeds"


@dataclass(frozen=True)
class Line:
    """One phone line's files (relative path -> text) and the path given to the command."""

    name: str
    files: tuple[tuple[str, str], ...]
    target: str  # a file of `files`, or "." for the directory

    def texts(self) -> dict[str, str]:
        return dict(self.files)


def _line(name: str, folder: Path, target: str = ".", pattern: str = "**/*") -> Line:
    files = tuple(sorted((str(p.relative_to(folder)), p.read_text(encoding="utf-8"))
                         for p in folder.glob(pattern) if p.is_file()))
    return Line(name, files, target)


def _one(path: Path) -> Line:
    return Line(path.name, ((path.name, path.read_text(encoding="utf-8")),), path.name)


def yaml_menus() -> list[Line]:
    return [_one(p) for p in sorted((ROOT / "menus").glob("*.yaml")) + sorted((ROOT / "menus" / "bad").glob("*.yaml"))]


def platform_lines(platform: str) -> list[Line]:
    """The bundled line, the bad example and the test fixtures of `platform`."""
    lines = [_line(f"menus/platforms/{platform}", ROOT / "menus" / "platforms" / platform),
             _line(f"menus/bad/platforms/{platform}", ROOT / "menus" / "bad" / "platforms" / platform)]
    fixtures = ROOT / "tests" / "fixtures" / platform
    if fixtures.is_dir():
        for folder in sorted(p for p in fixtures.iterdir() if p.is_dir()):
            target = "extensions.conf" if (folder / "extensions.conf").is_file() else "."
            if (folder / "autoload_configs" / "ivr.conf.xml").is_file():
                target = "autoload_configs/ivr.conf.xml"
            lines.append(_line(f"tests/fixtures/{platform}/{folder.name}", folder, target))
    if (SEEDS / platform).is_dir():
        lines.append(_line(f"tests/fuzz/seeds/{platform}", SEEDS / platform))
    if platform == "asterisk":  # read as a file: extensions.conf and what it includes
        lines = [Line(line.name, line.files, "extensions.conf" if line.target == "." and
                      any(name == "extensions.conf" for name, _ in line.files) else line.target) for line in lines]
    return lines


def encode(text: str) -> bytes:
    """Text as file bytes; a lone surrogate from the low half (``\\udcff``) becomes the invalid byte it escapes."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


class Scratch:
    """A scratch directory holding one input; removed when the `with` ends."""

    def __init__(self, files: dict[str, str | bytes]):
        self.dir = tempfile.mkdtemp(prefix="ivrlint-fuzz-")
        for name, text in files.items():
            path = os.path.join(self.dir, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(text if isinstance(text, bytes) else encode(text))

    def path(self, name: str = ".") -> str:
        return self.dir if name == "." else os.path.join(self.dir, name)

    def __enter__(self) -> Scratch:
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
