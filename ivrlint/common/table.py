"""Terminal tables laid out by display width, not by ``len()``.

A terminal gives a character as many columns as it is wide, not one per code
point: ``請求書の支払い`` is 7 code points but 14 columns (East Asian wide
characters take 2), ``'e\\u0301'`` (e and a combining acute) is 2 code points
shown as 1 column, and an emoji takes 2. Padding with ``str.ljust`` or
``f"{x:<10}"`` counts code points, so a row with such a name pushes every
column after it out of line. These helpers measure with ``wcwidth``, which
knows each character's width as terminals draw it; on ASCII text they give
exactly what ``ljust``/``rjust`` give.

    >>> display_width("請求書の支払い"), display_width("e\\u0301"), display_width("abc")
    (14, 1, 3)
    >>> format_rows([["intent", "calls"], ["請求書", "3"], ["balance", "12"]], "<>")
    ['intent   calls', '請求書       3', 'balance     12']

A leaf module: it imports nothing of ivrlint's, so every layer may use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from wcwidth import wcswidth, wcwidth

__all__ = ["display_width", "pad", "column_widths", "format_rows"]


def display_width(text: str) -> int:
    """How many terminal columns `text` takes: 2 for a wide (CJK) character or
    an emoji, 0 for a combining mark, 1 for the rest.

    ``wcswidth`` gives -1 when `text` holds a character it cannot measure (a
    control character); then each character counts on its own, an
    unmeasurable one as 0, so one such character does not make the whole
    cell's width meaningless. (Tables escape control characters with
    ``ivrlint.common.text.printable`` before they get here.)
    """
    width = wcswidth(text)
    if width >= 0:
        return width
    return sum(max(wcwidth(char), 0) for char in text)


def pad(text: str, width: int, align: str = "<") -> str:
    """`text` padded with spaces to `width` display columns: on the right for
    ``align="<"`` (left-aligned, like ``str.ljust``), on the left for ``">"``
    (right-aligned, like ``str.rjust``). Text already as wide is returned as it is."""
    if align not in ("<", ">"):
        raise ValueError(f"align must be '<' or '>', not {align!r}")
    fill = " " * max(0, width - display_width(text))
    return text + fill if align == "<" else fill + text


def column_widths(rows: Iterable[Sequence[str]]) -> list[int]:
    """The display width of each column's widest cell; rows may have
    different numbers of cells (a column is as wide as the rows that have it)."""
    widths: list[int] = []
    for row in rows:
        for i, cell in enumerate(row):
            width = display_width(cell)
            if i == len(widths):
                widths.append(width)
            elif width > widths[i]:
                widths[i] = width
    return widths


def format_rows(rows: Iterable[Sequence[str]], align: str = "", sep: str = "  ") -> list[str]:
    """`rows` of cells as lines of aligned columns: each cell padded to its
    column's widest, the cells joined by `sep`, trailing spaces dropped.

    `align` has one character per column, ``"<"`` left or ``">"`` right;
    columns past its end are left-aligned (``"<>>"`` is a name, then two
    numbers). A row may have fewer or more cells than another.
    """
    rows = [list(row) for row in rows]
    widths = column_widths(rows)
    return [sep.join(pad(cell, widths[i], align[i] if i < len(align) else "<")
                     for i, cell in enumerate(row)).rstrip()
            for row in rows]
