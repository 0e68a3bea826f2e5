"""The look shared by every figure: fonts that cover the menu's scripts, colours, saving.

Fonts: matplotlib's bundled DejaVu Sans covers Latin (Baltic and Hungarian
letters included), Cyrillic, Greek, Hebrew and Arabic; from matplotlib 3.11
text is shaped with libraqm, so Arabic letters join and run right to left.
Scripts DejaVu lacks (Chinese, Japanese, Thai, Devanagari...) fall back to
Noto fonts when the system has them (Debian: fonts-noto-core,
fonts-noto-cjk); matplotlib >= 3.6 tries each family of the list in turn
for a missing glyph. Only installed families are listed, so matplotlib never
warns about a font it cannot find.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import TypeVar

import matplotlib
from matplotlib.figure import Figure

from ivrlint.sim import records

T = TypeVar("T")

#: Font families to try, in order; the first covers most menus.
PREFERRED_FONTS = (
    "DejaVu Sans",
    "Noto Sans",
    "Noto Sans Arabic",
    "Noto Naskh Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Devanagari",
    "Noto Sans Thai",
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "WenQuanYi Zen Hei",
)

#: Fill and outline of each node type, and what the legend calls it.
NODE_STYLE = {
    "menu": ("#d6e6f5", "#2b5d8a", "menu"),
    "message": ("#eeeeee", "#707070", "message"),
    "input": ("#e8dcf3", "#6a4c93", "input (digits)"),
    "self_service": ("#d8f0d2", "#3a7d2c", "self-service"),
    "branch": ("#fbf1c7", "#a07c00", "branch (no choice)"),
    "queue": ("#fde0c5", "#c0630f", "queue (a person)"),
    "transfer": ("#d2efee", "#1f7f7a", "transfer"),
    "voicemail": ("#f6d8e7", "#a23b72", "voicemail"),
    "hangup": ("#dcdcdc", "#333333", "hang-up"),
}

#: Colour and legend name of each outcome, from best to worst for the caller.
_OUTCOME_LOOK = {
    "served": ("#3a7d2c", "served by a person"),
    "contained": ("#6baed6", "contained in self-service"),
    "voicemail": ("#9e9ac8", "left a voicemail"),
    "misrouted": ("#e6b400", "misrouted (wrong person)"),
    "abandoned": ("#f28e2b", "abandoned in queue"),
    "hung_up": ("#d62728", "hung up in menu"),
    "disconnected": ("#7b2d26", "disconnected by menu"),
}
#: Every outcome the simulator records, in that order; one it adds later still gets a colour.
OUTCOME_STYLE = {
    **{name: look for name, look in _OUTCOME_LOOK.items() if name in records.OUTCOMES},
    **{name: ("#999999", name.replace("_", " ")) for name in records.OUTCOMES if name not in _OUTCOME_LOOK},
}

FINDING_COLOR = "#d62728"

#: Service-level threshold (seconds): the classic "80% answered within 20 s".
SERVICE_LEVEL_SECONDS = 20.0

#: Pixels per inch of PNG files: sharp on screens, small enough to mail.
PNG_DPI = 110


@lru_cache(maxsize=1)
def font_families() -> list[str]:
    """The preferred font families that are installed, DejaVu Sans always first."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in PREFERRED_FONTS if name in installed or name == "DejaVu Sans"]


def rc() -> dict:
    """matplotlib settings for every ivrlint figure."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": font_families(),
        "font.size": 10,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "legend.frameon": False,
        "svg.fonttype": "path",  # text as outlines: the SVG looks the same without our fonts
        "svg.hashsalt": "ivrlint",  # stable ids, so the same data gives the same SVG
        "path.simplify": True,
        "text.parse_math": False,  # menu text is text: "Pay $5 or $10" is not mathematics
        "text.usetex": False,
    }


@contextmanager
def figure_style() -> Iterator[None]:
    """Apply ivrlint's settings while figures are built and saved."""
    with matplotlib.rc_context(rc()), missing_glyphs_quiet():
        yield


@contextmanager
def missing_glyphs_quiet() -> Iterator[None]:
    """Draw a character no font has (a control character in a name, a script with no font installed)
    as the font's box, without matplotlib's "Glyph ... missing from font(s)" warning on stderr for each."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
        yield


def styled(draw: Callable[..., T]) -> Callable[..., T]:
    """Run a figure-building function under ivrlint's settings (fonts, no mathtext), whoever calls it."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with figure_style():
            return draw(*args, **kwargs)
    return wrapper


def new_figure(width: float, height: float) -> Figure:
    """A figure not tied to any GUI or to pyplot's global state."""
    return Figure(figsize=(width, height), layout="constrained")


def save(fig: Figure, stem: str, formats: Sequence[str] = ("png", "svg")) -> list[str]:
    """Write `fig` as stem.png, stem.svg...; returns the paths written."""
    paths = []
    for fmt in formats:
        path = f"{stem}.{fmt}"
        fig.savefig(path, **save_options(fmt))
        paths.append(path)
    return paths


def save_options(fmt: str) -> dict:
    """savefig arguments: no dates or versions inside, so the same data gives the same file."""
    metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": "ivrlint"}
    return {"format": fmt, "dpi": PNG_DPI, "metadata": metadata}


def percent(x: float) -> str:
    """0.4567 -> '46%', 0.004 -> '0.4%'."""
    return f"{x * 100:.0f}%" if x >= 0.01 or x == 0 else f"{x * 100:.1f}%"


def short(text: str, limit: int = 40) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fonts_note() -> str:
    """One line for the report saying which fonts drew the figures."""
    return "Fonts: " + ", ".join(font_families()) + f" (matplotlib {matplotlib.__version__})"

