"""How the output formats name files: relative to the checkout, as CI reads them, or as URIs."""

from __future__ import annotations

import os
from urllib.parse import quote


def relative_path(path: str) -> str:
    """`path` relative to the current directory, with forward slashes.

    CI annotations and SARIF locations are read relative to the checkout,
    which is where CI runs ivrlint. A path outside it stays absolute.
    """
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # another drive on Windows
        relative = absolute
    if relative.startswith(os.pardir + os.sep) or relative == os.pardir:
        relative = absolute
    return relative.replace(os.sep, "/")


def file_uri(path: str) -> str:
    """A URI reference for `path`: relative (percent-encoded) inside the current directory, else file://."""
    relative = relative_path(path)
    if os.path.isabs(relative) or relative.startswith("/"):
        absolute = relative if relative.startswith("/") else "/" + relative
        return "file://" + quote(absolute, safe="/:")
    return quote(relative)
