"""What every figure of the book shares: colours, the grid of axes, cells, Hangul.

* Colours: :data:`WINDOW_COLORS` (one per window or layer, in order), :data:`FIRST` and
  :data:`SECOND` (the first window and the next one), :data:`PAD_COLOR` (padded cells),
  :data:`LINKED` (cells a unit is wired to), :data:`WRONG` (a wrong prediction).
* Layout: :func:`axes_grid` (a grid of picture panels, axes off) and :func:`finish`
  (the figure's title, then ``tight_layout``).
* Schematics: :func:`cells`, :func:`outline`, :func:`frame` draw grids of unit squares
  with row 0 on top, as in an image.
* Hangul — the one place the book handles fonts: :func:`hangul_font` registers the font
  cnnlib ships (NanumSquare, SIL Open Font Licence, ``cnnlib/fonts/``) with matplotlib, or
  finds an installed one, so Korean draws on a fresh Colab without a restart;
  :func:`class_labels` joins class names in two languages for the figures.
* The look of every figure — :func:`book_style`, applied when ``cnnlib.viz`` is imported:
  sharp on high-density screens (retina PNGs in Jupyter, ``savefig.dpi`` 200), a white
  background (readable on the site's dark mode), at most :data:`MAX_WIDTH` inches wide by
  default, no text under 9 pt.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle

from ..validate import ArgumentError, named

__all__ = [
    "WINDOW_COLORS", "FIRST", "SECOND", "PAD_COLOR", "LINKED", "WRONG",
    "axes_grid", "finish", "cells", "outline", "frame",
    "needs_cjk", "hangul_font", "class_labels", "book_style", "MAX_WIDTH", "MIN_FONT_SIZE",
    "BUNDLED_FONT",
]

WINDOW_COLORS = ("tab:orange", "tab:blue", "tab:green", "tab:red", "tab:purple",
                 "tab:brown", "tab:pink", "tab:olive", "tab:cyan")
FIRST, SECOND = "tab:orange", "tab:blue"
PAD_COLOR = "#d9e6f2"
LINKED = "#fde3c8"
WRONG = "tab:red"

MAX_WIDTH = 7.5  # inches: the site's text column at 100 dpi
MIN_FONT_SIZE = 9  # points
BUNDLED_FONT = Path(__file__).resolve().parents[1] / "fonts" / "NanumSquareR.ttf"

_BOOK_RC = {
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "figure.figsize": (6.4, 4.0),
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": MIN_FONT_SIZE,
    "ytick.labelsize": MIN_FONT_SIZE,
    "legend.fontsize": MIN_FONT_SIZE,
    "legend.title_fontsize": 10,
    "figure.titlesize": 12,
}


def book_style(retina: bool = True) -> dict:
    """Set the book's figure defaults (see the module's docstring); returns what it set.

    In Jupyter, ``retina`` asks the inline backend for PNGs at twice the resolution,
    shown at their size in inches (the page stays as wide, the lines sharp).
    """
    plt.rcParams.update(_BOOK_RC)
    if retina:
        try:
            from IPython import get_ipython

            if get_ipython() is not None:
                from matplotlib_inline.backend_inline import set_matplotlib_formats

                set_matplotlib_formats("retina")
        except Exception:  # pragma: no cover - no IPython, or an old one: PNGs as they are
            pass
    return dict(_BOOK_RC)


# --- layout --------------------------------------------------------------------------------


def fit_width(figsize):
    """``(width, height)`` in inches, scaled down as a whole when wider than the text column."""
    width, height = figsize
    if width > MAX_WIDTH:
        width, height = MAX_WIDTH, height * MAX_WIDTH / width
    return (width, height)


def subplots(*args, figsize=None, **kwargs):
    """``plt.subplots`` whose figure is never wider than :data:`MAX_WIDTH` (see :func:`fit_width`):
    every cnnlib figure is made through it, so no page has to shrink one, labels and all."""
    return plt.subplots(*args, figsize=None if figsize is None else fit_width(figsize), **kwargs)


def axes_grid(n: int, ncols: int, size: float = 1.4, title_space: float = 0.0):
    """``n`` picture panels, ``ncols`` per row, axes off: ``(fig, flat list of axes)``."""
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    size = min(size, MAX_WIDTH / ncols)  # the whole grid fits the text column
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(size * ncols, (size + 0.3) * nrows + title_space), squeeze=False
    )
    for ax in axes.flat:
        ax.axis("off")
    return fig, axes.flat


def finish(fig, title: str | None = None):
    """The figure's title (when given) and a tight layout; returns ``fig``."""
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


# --- cells of a schematic ------------------------------------------------------------------


def cells(ax, h: int, w: int, colors=None, labels=None, x0: float = 0, y0: float = 0,
          fontsize: float = MIN_FONT_SIZE, edge: str = "0.55"):
    """Draw an h×w grid of unit squares with its top-left corner at (x0, y0); y grows down."""
    for r in range(h):
        for c in range(w):
            face = "white" if colors is None else colors[r][c]
            ax.add_patch(Rectangle((x0 + c, y0 + r), 1, 1, facecolor=face, edgecolor=edge,
                                   lw=0.8))
            if labels is not None and labels[r][c] != "":
                ax.text(x0 + c + 0.5, y0 + r + 0.5, str(labels[r][c]), ha="center",
                        va="center", fontsize=fontsize)


def outline(ax, r, c, h, w, color, x0=0.0, y0=0.0, ls="-", lw=2.5):
    """An unfilled h×w rectangle over the cells from (r, c)."""
    ax.add_patch(Rectangle((x0 + c, y0 + r), w, h, fill=False, edgecolor=color, lw=lw, ls=ls))


def frame(ax, width: float, height: float, margin: float = 0.3):
    """Fit ``ax`` to a width×height grid of cells, row 0 on top, square cells, no axes."""
    ax.set_xlim(-margin, width + margin)
    ax.set_ylim(height + margin, -margin)
    ax.set_aspect("equal")
    ax.axis("off")


# --- Hangul --------------------------------------------------------------------------------

_HANGUL_FONTS = ("NanumGothic", "NanumSquare", "NanumBarunGothic", "Noto Sans CJK KR", "Noto Sans KR",
                 "Noto Sans CJK JP", "UnDotum", "Baekmuk Gulim", "Malgun Gothic",
                 "AppleGothic", "Apple SD Gothic Neo")
_HANGUL_FILES = ("nanumgothic", "nanumbarungothic", "notosanscjk", "notosanskr", "undotum",
                 "gulim", "malgun", "applegothic", "applesdgothicneo")


def needs_cjk(text: str) -> bool:
    """Hangul jamo and syllables, kana and CJK ideographs: what DejaVu Sans cannot draw."""
    return any(0x1100 <= ord(ch) <= 0x11FF or 0x3040 <= ord(ch) <= 0x9FFF
               or 0xAC00 <= ord(ch) <= 0xD7AF for ch in text)


def hangul_font() -> str | None:
    """The name of an installed font with Hangul, made known to matplotlib; None if none.

    Looks at matplotlib's font list, then registers the font shipped with cnnlib
    (NanumSquare, OFL), then the system's font files.
    """
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    for name in _HANGUL_FONTS:
        if name in known:
            return name
    if BUNDLED_FONT.is_file():  # cnnlib's own: no font to install, no restart, no cache to clear
        try:
            font_manager.fontManager.addfont(str(BUNDLED_FONT))
            return font_manager.FontProperties(fname=str(BUNDLED_FONT)).get_name()
        except (OSError, RuntimeError, ValueError):  # pragma: no cover - a broken install
            pass

    def stem(path):
        return path.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("-", "").replace("_", "").lower()

    paths = font_manager.findSystemFonts()
    for prefix in _HANGUL_FILES:
        found = sorted((p for p in paths if stem(p).startswith(prefix)), key=lambda p: len(stem(p)))
        for path in found:  # register the family's weights; name it by the plainest file
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # pragma: no cover - a broken file
                continue
        if found:
            return font_manager.FontProperties(fname=found[0]).get_name()
    return None


@named
def class_labels(*name_lists, sep: str = " ") -> list[str]:
    """Join parallel lists of class names: ``class_labels(EN, KO)[8] == 'Bag 가방'``.

    When a list holds Hangul (or other CJK) text, a font that can draw it is added to
    matplotlib's fallback fonts. Without one (on a fresh Colab, say), a warning names
    what to install and the labels keep only the lists that can be drawn.
    """
    if not name_lists:
        raise ArgumentError("give at least one list of class names")
    k = len(name_lists[0])
    if any(len(names) != k for names in name_lists):
        raise ArgumentError("the name lists have different lengths "
                            f"{[len(n) for n in name_lists]}; give one name per class in each")
    keep = list(name_lists)
    if any(needs_cjk(str(n)) for names in name_lists for n in names):
        font = hangul_font()
        if font is None:
            warnings.warn("class_labels: no font with Hangul was found (cnnlib's own "
                          f"{BUNDLED_FONT.name} is missing; reinstall cnnlib, or apt-get install "
                          "fonts-nanum), so the figures show the names without Korean",
                          stacklevel=3)
            keep = [names for names in name_lists if not any(needs_cjk(str(n)) for n in names)]
            keep = keep or [[str(i) for i in range(k)]]
        elif font not in plt.rcParams["font.family"]:
            # matplotlib falls back, glyph by glyph, along the font.family list.
            plt.rcParams["font.family"] = [*plt.rcParams["font.family"], font]
    return [sep.join(str(names[i]) for names in keep) for i in range(k)]


book_style()
