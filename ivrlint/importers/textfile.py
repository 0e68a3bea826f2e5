"""Reading a platform's file: bounded in size, UTF-8 errors at their place.

Every importer reads untrusted files the way yamlsource.py reads YAML menus:
at most MAX_BYTES, and text that is not UTF-8 is an error at the line and
column of the first bad byte.
"""

from __future__ import annotations

from ivrlint.errors import InputError
from ivrlint.menu.yamlsource import MAX_BYTES, byte_location, open_regular


def read_capped(path: str, size_hint: str) -> bytes:
    """The file's bytes; InputError when it cannot be read or is over MAX_BYTES (`size_hint` says why that is odd)."""
    try:
        with open_regular(path) as fh:  # a named pipe or a device is refused, not waited on
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError.at(None, f"cannot be read: {exc.strerror or exc}", path) from None
    if len(data) > MAX_BYTES:
        raise InputError.at(None, f"is larger than {MAX_BYTES // (1024 * 1024)} MiB; {size_hint}", path)
    return data


def decode_utf8(data: bytes, path: str, hint: str) -> str:
    """The text of `data` (a BOM dropped); InputError at the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.at(byte_location(data, exc.start, path), f"is not UTF-8 text; {hint}", path) from None
