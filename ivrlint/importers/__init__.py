"""Read menus from any supported source into the model.

Today: the ivrlint YAML format. Importers for platform formats register in
IMPORTERS as (name, sniff(path, head) -> bool, load(path) -> Menu).
"""

from __future__ import annotations

from typing import Callable, Optional

from ..loader import load_menu
from ..model import Menu

Sniff = Callable[[str, bytes], bool]
Load = Callable[[str], Menu]

#: Platform formats: name -> (sniff, load). YAML is the fallback.
IMPORTERS: dict[str, tuple[Sniff, Load]] = {}


def load_any(path: str, fmt: Optional[str] = None) -> Menu:
    """Load `path` as format `fmt`, or as the format its content shows."""
    if fmt and fmt != "yaml":
        return IMPORTERS[fmt][1](path)
    if fmt is None and IMPORTERS:
        try:
            with open(path, "rb") as fh:
                head = fh.read(4096)
        except OSError:
            head = b""
        for sniff, load in IMPORTERS.values():
            if sniff(path, head):
                return load(path)
    return load_menu(path)
