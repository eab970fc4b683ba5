"""Schematic drawings of how layers see a grid: windows, padding, strides, shuffles.

Where :mod:`cnnlib.viz` draws data (images, feature maps, curves), this module
draws *ideas* on small grids of cells:

* :func:`receptive_fields` — a dense unit sees every pixel, a conv unit a window;
* :func:`weight_sharing`   — one kernel, the same weights, at several positions;
* :func:`shuffle_grid`     — where a fixed pixel shuffle sends a 3×3 neighbourhood;
* :func:`shuffled_images`  — images before and after that shuffle;
* :func:`pipeline`         — conv → activation → pool → flatten → dense → softmax;
* :func:`padding_modes`    — a grid with zero padding and with edge-copy padding;
* :func:`window_positions` — where a kernel lands for a given stride and padding,
  and the output grid it fills;
* :func:`compare_bars`, :func:`compare_lines` — the measured results of such an
  experiment, one bar (or line) per model.

Every function draws one figure and returns it (end the line with ``;`` in a
notebook); bad arguments raise ``ValueError`` naming the argument.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle

from . import sizes

__all__ = [
    "receptive_fields",
    "weight_sharing",
    "shuffle_grid",
    "shuffled_images",
    "pipeline",
    "padding_modes",
    "window_positions",
    "compare_bars",
    "compare_lines",
]

_PAD_COLOR = "#d9e6f2"      # padded cells
_FIRST, _SECOND = "tab:orange", "tab:blue"


# --- small helpers -------------------------------------------------------------------------


def _whole(value, name: str, func: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise ValueError(f"{func}: {name} must be a whole number, got {value!r}")
    if value < minimum:
        raise ValueError(f"{func}: {name} must be at least {minimum}, got {value}")
    return int(value)


def _cells(ax, h: int, w: int, colors=None, labels=None, x0: float = 0, y0: float = 0,
           fontsize: float = 8, edge: str = "0.55"):
    """Draw an h×w grid of unit squares with its top-left corner at (x0, y0); y grows down."""
    for r in range(h):
        for c in range(w):
            face = "white" if colors is None else colors[r][c]
            ax.add_patch(Rectangle((x0 + c, y0 + r), 1, 1, facecolor=face, edgecolor=edge,
                                   lw=0.8))
            if labels is not None and labels[r][c] != "":
                ax.text(x0 + c + 0.5, y0 + r + 0.5, str(labels[r][c]), ha="center",
                        va="center", fontsize=fontsize)


def _outline(ax, r, c, h, w, color, x0=0.0, y0=0.0, ls="-", lw=2.5):
    ax.add_patch(Rectangle((x0 + c, y0 + r), w, h, fill=False, edgecolor=color, lw=lw, ls=ls))


def _frame(ax, width: float, height: float, margin: float = 0.3):
    ax.set_xlim(-margin, width + margin)
    ax.set_ylim(height + margin, -margin)  # row 0 on top, as in an image
    ax.set_aspect("equal")
    ax.axis("off")


# --- why CNNs ------------------------------------------------------------------------------


def receptive_fields(size: int = 6, kernel: int = 3, position=(1, 2)):
    """A dense unit's connections next to a convolutional unit's.

    Left: one unit of a dense layer is wired to all ``size·size`` pixels. Right: one
    unit of a convolution is wired to the ``kernel×kernel`` window at ``position``
    (its top-left cell, (row, col)) — its receptive field. Two axes.
    """
    func = "receptive_fields"
    size = _whole(size, "size", func, 2)
    kernel = _whole(kernel, "kernel", func)
    if kernel > size:
        raise ValueError(f"{func}: kernel {kernel} is larger than the {size}×{size} grid; "
                         f"use kernel <= {size}")
    r0, c0 = _position(position, size - kernel, func)
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    unit = (size + 2.5, size / 2)
    panels = [
        (axes[0], [(r, c) for r in range(size) for c in range(size)],
         f"dense unit: {size * size} weights,\nevery pixel of the image"),
        (axes[1], [(r0 + i, c0 + j) for i in range(kernel) for j in range(kernel)],
         f"conv unit: {kernel * kernel} weights,\na {kernel}×{kernel} window (receptive field)"),
    ]
    for ax, linked, title in panels:
        colors = [["white"] * size for _ in range(size)]
        for r, c in linked:
            colors[r][c] = "#fde3c8"
        _cells(ax, size, size, colors)
        for r, c in linked:
            ax.plot([c + 0.5, unit[0]], [r + 0.5, unit[1]], color=_FIRST, lw=0.6, alpha=0.7)
        ax.add_patch(Circle(unit, 0.45, facecolor=_FIRST, edgecolor="black", zorder=3))
        ax.text(unit[0], unit[1] + 0.95, "one\nunit", ha="center", va="top", fontsize=8)
        _frame(ax, size + 3, size)
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def _position(position, largest: int, func: str) -> tuple[int, int]:
    try:
        r, c = position
    except (TypeError, ValueError):
        raise ValueError(f"{func}: position must be a (row, col) pair, got {position!r}") from None
    r = _whole(r, "position row", func, 0)
    c = _whole(c, "position col", func, 0)
    if r > largest or c > largest:
        raise ValueError(f"{func}: the window at {position!r} runs off the grid; "
                         f"row and col must be in 0..{largest}")
    return r, c


def weight_sharing(size: int = 6, kernel: int = 3, positions=((0, 0), (2, 3))):
    """One kernel applied at several positions: the same weights everywhere.

    Three axes: the kernel (its ``kernel·kernel`` weights, each its own colour), the
    input with the kernel's windows at ``positions`` (top-left cells, stride 1,
    no padding) painted with those same colours, and the output map with the
    cell each window fills.
    """
    func = "weight_sharing"
    size = _whole(size, "size", func, 2)
    kernel = _whole(kernel, "kernel", func)
    if kernel > size:
        raise ValueError(f"{func}: kernel {kernel} is larger than the {size}×{size} grid; "
                         f"use kernel <= {size}")
    out = size - kernel + 1
    if len(positions) == 0:
        raise ValueError(f"{func}: positions must list at least one (row, col) pair")
    spots = [_position(p, out - 1, func) for p in positions]
    cmap = plt.get_cmap("tab20" if kernel * kernel > 10 else "tab10")
    weight_color = [[cmap((i * kernel + j) % cmap.N) for j in range(kernel)]
                    for i in range(kernel)]
    names = [[f"w{i * kernel + j + 1}" for j in range(kernel)] for i in range(kernel)]
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.6),
                             gridspec_kw={"width_ratios": [kernel + 1, size + 1, out + 1]})
    _cells(axes[0], kernel, kernel, weight_color, names, y0=(size - kernel) / 2)
    _frame(axes[0], kernel, size)
    axes[0].set_title(f"one kernel:\n{kernel * kernel} weights", fontsize=10)
    colors = [["white"] * size for _ in range(size)]
    labels = [[""] * size for _ in range(size)]
    for r0, c0 in spots:
        for i in range(kernel):
            for j in range(kernel):
                colors[r0 + i][c0 + j] = weight_color[i][j]
                labels[r0 + i][c0 + j] = names[i][j]
    _cells(axes[1], size, size, colors, labels, fontsize=7)
    out_colors = [["white"] * out for _ in range(out)]
    for r0, c0 in spots:
        _outline(axes[1], r0, c0, kernel, kernel, "black", lw=2)
        out_colors[r0][c0] = "0.75"
    _frame(axes[1], size, size)
    axes[1].set_title(f"input {size}×{size}: the same weights\nat {len(spots)} positions",
                      fontsize=10)
    _cells(axes[2], out, out, out_colors, y0=(size - out) / 2)
    _frame(axes[2], out, size)
    axes[2].set_title(f"output {out}×{out}: one value\nper position", fontsize=10)
    fig.tight_layout()
    return fig


def shuffle_grid(size: int = 6, permutation=None, window=(1, 1), kernel: int = 3, seed: int = 0):
    """Where a fixed pixel shuffle sends the pixels of one neighbourhood.

    Each cell shows its pixel's number (row-major index). Left: the original grid
    with a ``kernel×kernel`` window at ``window`` (top-left cell). Right: the same
    pixels after ``permutation`` (new pixel ``i`` = old pixel ``permutation[i]``;
    a random one from ``seed`` when None): the window's pixels, coloured, end up
    scattered. Two axes.
    """
    func = "shuffle_grid"
    size = _whole(size, "size", func, 2)
    kernel = _whole(kernel, "kernel", func)
    if kernel > size:
        raise ValueError(f"{func}: kernel {kernel} is larger than the {size}×{size} grid")
    n = size * size
    perm = (np.random.default_rng(seed).permutation(n) if permutation is None
            else np.asarray(permutation))
    if perm.shape != (n,) or not np.array_equal(np.sort(perm), np.arange(n)):
        raise ValueError(f"{func}: permutation must be a permutation of 0..{n - 1} "
                         f"(one entry per cell of the {size}×{size} grid), got shape {perm.shape}")
    r0, c0 = _position(window, size - kernel, func)
    inside = {(r0 + i) * size + c0 + j for i in range(kernel) for j in range(kernel)}
    before = np.arange(n).reshape(size, size)
    after = perm.reshape(size, size)
    fig, axes = plt.subplots(1, 2, figsize=(8, 4))
    for ax, grid, title in [(axes[0], before, "original: a neighbourhood"),
                            (axes[1], after, "shuffled: the same pixels, scattered")]:
        colors = [["#fde3c8" if grid[r, c] in inside else "white" for c in range(size)]
                  for r in range(size)]
        _cells(ax, size, size, colors, grid.tolist(), fontsize=9)
        _frame(ax, size, size)
        ax.set_title(title, fontsize=10)
    _outline(axes[0], r0, c0, kernel, kernel, _FIRST)
    _outline(axes[1], r0, c0, kernel, kernel, _FIRST, ls="--")
    axes[1].set_xlabel("")
    fig.tight_layout()
    return fig


def shuffled_images(images, permutation, labels=None, class_names=None, size: float = 1.5):
    """Images (top row) and the same images with their pixels shuffled (bottom row).

    images: (N, H, W) or (N, H, W, 1); permutation: (H·W,) — the same for every image,
    new pixel ``i`` = old pixel ``permutation[i]``. 2·N axes.
    """
    func = "shuffled_images"
    x = np.asarray(images)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 3 or len(x) == 0:
        raise ValueError(f"{func}: images must be (N, H, W) or (N, H, W, 1) with N >= 1, "
                         f"got shape {np.shape(images)}")
    n, h, w = x.shape
    perm = np.asarray(permutation)
    if perm.shape != (h * w,) or not np.array_equal(np.sort(perm), np.arange(h * w)):
        raise ValueError(f"{func}: permutation must be a permutation of 0..{h * w - 1} "
                         f"for {h}×{w} images, got shape {perm.shape}")
    if labels is not None and len(labels) != n:
        raise ValueError(f"{func}: {len(labels)} labels for {n} images")
    shuffled = x.reshape(n, -1)[:, perm].reshape(n, h, w)
    fig, axes = plt.subplots(2, n, figsize=(size * n, 2 * size + 0.6), squeeze=False)
    for i in range(n):
        for row, img in [(0, x[i]), (1, shuffled[i])]:
            ax = axes[row][i]
            ax.imshow(img, cmap="gray_r")
            ax.set_xticks([])
            ax.set_yticks([])
        if labels is not None:
            name = class_names[int(labels[i])] if class_names is not None else int(labels[i])
            axes[0][i].set_title(str(name), fontsize=9)
    axes[0][0].set_ylabel("original", fontsize=9)
    axes[1][0].set_ylabel("shuffled", fontsize=9)
    fig.suptitle("the same fixed pixel shuffle applied to every image", fontsize=10)
    fig.tight_layout()
    return fig


def pipeline(stages, title: str | None = None, ncols: int | None = None):
    """Boxes joined by arrows: a network's stages and what each does.

    stages: a sequence of ``(name, shape, role)`` strings, e.g.
    ``("Conv2D 3×3", "(26, 26, 16)", "finds local patterns")``; ncols: boxes per
    row (default: all in one row); a row that goes on below ends and starts with
    an arrow. One axis, one box per stage.
    """
    func = "pipeline"
    stages = list(stages)
    if not stages:
        raise ValueError(f"{func}: stages must list at least one (name, shape, role) triple")
    for i, stage in enumerate(stages):
        if not isinstance(stage, (tuple, list)) or len(stage) != 3:
            raise ValueError(f"{func}: stages[{i}] must be a (name, shape, role) triple, "
                             f"got {stage!r}")
    n = len(stages)
    ncols = n if ncols is None else _whole(ncols, "ncols", func)
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    box_w, gap, box_h, row_gap = 2.2, 0.6, 2.2, 0.7
    fig, ax = plt.subplots(figsize=(1.45 * ncols + 1.2, 2.1 * nrows + 0.3))
    cmap = plt.get_cmap("Pastel1")

    def arrow(x0, x1, y):
        ax.add_patch(FancyArrowPatch((x0, y), (x1, y), arrowstyle="-|>", mutation_scale=12,
                                     color="0.3"))

    for i, (name, shape, role) in enumerate(stages):
        row, col = divmod(i, ncols)
        x, y = col * (box_w + gap), row * (box_h + row_gap)
        ax.add_patch(FancyBboxPatch((x, y), box_w, box_h, boxstyle="round,pad=0.05",
                                    facecolor=cmap(i % cmap.N), edgecolor="0.3"))
        ax.text(x + box_w / 2, y + 0.3, str(name), ha="center", va="center", fontsize=8.5,
                weight="bold")
        ax.text(x + box_w / 2, y + 0.75, str(shape), ha="center", va="center", fontsize=7.5,
                family="monospace")
        ax.text(x + box_w / 2, y + 1.5, textwrap.fill(str(role), 16), ha="center",
                va="center", fontsize=7.5)
        if col:
            arrow(x - gap + 0.05, x - 0.05, y + box_h / 2)
        elif row:  # continues from the row above
            arrow(x - gap + 0.05, x - 0.05, y + box_h / 2)
            end = (ncols - 1) * (box_w + gap) + box_w
            arrow(end + 0.05, end + gap - 0.05, y - row_gap - box_h / 2)
    ax.set_xlim(-gap - 0.1, ncols * (box_w + gap) + 0.1)
    ax.set_ylim(nrows * (box_h + row_gap) - row_gap + 0.2, -0.2)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


# --- padding and stride --------------------------------------------------------------------


def padding_modes(x, pad: int = 1, modes=("zero", "edge")):
    """A small grid, and the same grid padded by ``pad`` cells in each of ``modes``.

    x: (H, W) numbers; modes: ``'zero'`` (``np.pad`` mode ``'constant'``) and/or
    ``'edge'`` (copies the border values outwards). Padded cells are shaded and the
    original grid is outlined. ``1 + len(modes)`` axes.
    """
    func = "padding_modes"
    x = np.asarray(x)
    if x.ndim != 2 or x.size == 0:
        raise ValueError(f"{func}: x must be a non-empty 2-D grid (H, W), got shape {x.shape}")
    pad = _whole(pad, "pad", func, 0)
    np_mode = {"zero": "constant", "edge": "edge"}
    for m in modes:
        if m not in np_mode:
            raise ValueError(f"{func}: mode {m!r} unknown; use 'zero' or 'edge'")
    h, w = x.shape
    panels = [("original", x, 0)] + [
        (f"{m} padding, P = {pad}", np.pad(x, pad, mode=np_mode[m]), pad) for m in modes]
    fig, axes = plt.subplots(1, len(panels), figsize=(3.2 * len(panels), 3.9), squeeze=False)
    for ax, (title, grid, p) in zip(axes[0], panels):
        gh, gw = grid.shape
        colors = [[_PAD_COLOR if (r < p or r >= p + h or c < p or c >= p + w) else "white"
                   for c in range(gw)] for r in range(gh)]
        labels = [[f"{grid[r, c]:g}" for c in range(gw)] for r in range(gh)]
        shift = pad - p  # centre the unpadded grid in a panel as large as the padded ones
        _cells(ax, gh, gw, colors, labels, x0=shift, y0=shift, fontsize=9)
        _outline(ax, p, p, h, w, "black", x0=shift, y0=shift, lw=2)
        _frame(ax, w + 2 * pad, h + 2 * pad)
        ax.set_title(f"{title}\n{gh}×{gw}", fontsize=10)
    fig.tight_layout()
    return fig


def _padding_pair(size, kernel, stride, padding, func) -> tuple[int, int]:
    if isinstance(padding, str):
        if padding == "valid":
            return 0, 0
        if padding == "same":
            return sizes.same_padding(size, kernel, stride)
        raise ValueError(f"{func}: padding must be 'valid', 'same' or a whole number >= 0, "
                         f"got {padding!r}")
    p = _whole(padding, "padding", func, 0)
    return p, p


def window_positions(size: int, kernel: int, settings, titles=None):
    """Where a ``kernel×kernel`` window lands on a ``size×size`` input, per setting.

    settings: a sequence of ``(stride, padding)`` pairs, padding an int P or
    ``'valid'``/``'same'`` (Keras: the extra padding row/column of an odd total
    goes to the bottom/right). Each setting gets a column: on top the padded input
    (padding shaded, every window position's centre dotted, the first window in
    orange and the next one along the row dashed blue, cells no window reaches
    hatched red); below, the output grid with the two matching cells. Windows that
    do not fit are dropped, as Keras drops them. ``2·len(settings)`` axes.
    """
    func = "window_positions"
    size = _whole(size, "size", func)
    kernel = _whole(kernel, "kernel", func)
    settings = list(settings)
    if not settings:
        raise ValueError(f"{func}: settings must list at least one (stride, padding) pair")
    if titles is not None and len(titles) != len(settings):
        raise ValueError(f"{func}: {len(titles)} titles for {len(settings)} settings")
    layouts = []
    for i, setting in enumerate(settings):
        try:
            stride, padding = setting
        except (TypeError, ValueError):
            raise ValueError(f"{func}: settings[{i}] must be a (stride, padding) pair, "
                             f"got {setting!r}") from None
        stride = _whole(stride, f"settings[{i}] stride", func)
        before, after = _padding_pair(size, kernel, stride, padding, func)
        padded = size + before + after
        if kernel > padded:
            raise ValueError(f"{func}: kernel {kernel} is larger than the padded input "
                             f"({padded}) of settings[{i}]; add padding or use a smaller kernel")
        out = (padded - kernel) // stride + 1
        layouts.append((stride, padding, before, after, padded, out))
    biggest = max(lay[4] for lay in layouts)
    largest_out = max(lay[5] for lay in layouts)
    fig, axes = plt.subplots(2, len(settings), figsize=(3.3 * len(settings), 6.4),
                             squeeze=False,
                             gridspec_kw={"height_ratios": [biggest + 1.5, largest_out + 1]})
    for k, (stride, padding, before, after, padded, out) in enumerate(layouts):
        ax, ax_out = axes[0][k], axes[1][k]
        o = (biggest - padded) / 2  # centre smaller grids in their panel
        starts = [i * stride for i in range(out)]
        covered = np.zeros(padded, bool)
        for s in starts:
            covered[s:s + kernel] = True
        colors = [[_PAD_COLOR if not (before <= r < before + size and before <= c < before + size)
                   else "white" for c in range(padded)] for r in range(padded)]
        _cells(ax, padded, padded, colors, x0=o, y0=o)
        for r in range(padded):
            for c in range(padded):
                if not (covered[r] and covered[c]):
                    ax.add_patch(Rectangle((o + c, o + r), 1, 1, fill=False, hatch="///",
                                           edgecolor="tab:red", lw=0))
        _outline(ax, before, before, size, size, "black", x0=o, y0=o, lw=1.6)
        for r in starts:
            for c in starts:
                ax.plot(o + c + kernel / 2, o + r + kernel / 2, "o", color="0.25", ms=3)
        _outline(ax, 0, 0, kernel, kernel, _FIRST, x0=o, y0=o, lw=2.5)
        if out > 1:
            _outline(ax, 0, stride, kernel, kernel, _SECOND, x0=o, y0=o, ls="--", lw=2)
        _frame(ax, biggest, biggest)
        pad_text = (f"'{padding}'" if isinstance(padding, str) else f"P={padding}")
        if before != after:
            pad_text += f"\n({before} top/left, {after} bottom/right)"
        ax.set_title(titles[k] if titles is not None else
                     f"{size}×{size} input, {kernel}×{kernel} kernel\nstride {stride}, {pad_text}",
                     fontsize=9)
        out_colors = [["white"] * out for _ in range(out)]
        out_colors[0][0] = "#fde3c8"
        if out > 1:
            out_colors[0][1] = "#cfe2f3"
        o = (biggest - out) / 2
        _cells(ax_out, out, out, out_colors, x0=o)
        _frame(ax_out, biggest, largest_out)
        ax_out.set_title(f"output {out}×{out}", fontsize=9)
    fig.tight_layout()
    return fig


# --- results of the chapters' experiments --------------------------------------------------


def _series(series, func):
    if not isinstance(series, dict) or not series:
        raise ValueError(f"{func}: series must be a non-empty dict {{name: values}}, "
                         f"got {type(series).__name__}")
    lengths = {len(v) for v in series.values()}
    if len(lengths) != 1:
        raise ValueError(f"{func}: every series needs the same number of values, got "
                         + ", ".join(f"{k}: {len(v)}" for k, v in series.items()))
    return lengths.pop()


def compare_bars(groups, series, ylabel: str = "test accuracy", title: str | None = None,
                 ylim=(0, 1), fmt: str = "{:.3f}"):
    """Grouped bars: one group per entry of ``groups``, one bar per series, values written on.

    series: ``{name: [value per group]}``, e.g.
    ``{"dense": [0.93, 0.93], "CNN": [0.95, 0.88]}`` with ``groups=["original", "shuffled"]``.
    One axis.
    """
    n = _series(series, "compare_bars")
    if len(groups) != n:
        raise ValueError(f"compare_bars: {len(groups)} groups for {n} values per series")
    fig, ax = plt.subplots(figsize=(1.6 + 1.5 * n * len(series) / 2, 3.4))
    width = 0.8 / len(series)
    for k, (name, values) in enumerate(series.items()):
        xs = np.arange(n) + (k - (len(series) - 1) / 2) * width
        bars = ax.bar(xs, values, width * 0.95, label=name)
        for bar, v in zip(bars, values):
            ax.text(bar.get_x() + bar.get_width() / 2, v, fmt.format(v), ha="center",
                    va="bottom", fontsize=8)
    ax.set_xticks(np.arange(n), [str(g) for g in groups])
    ax.set_ylabel(ylabel)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.legend(loc="lower left", fontsize=8)
    ax.set_title(title or ylabel, fontsize=10)
    fig.tight_layout()
    return fig


def compare_lines(x, series, xlabel: str, ylabel: str = "test accuracy",
                  title: str | None = None, ylim=(0, 1)):
    """One line per series over the same ``x`` values. series: ``{name: [value per x]}``."""
    n = _series(series, "compare_lines")
    if len(x) != n:
        raise ValueError(f"compare_lines: {len(x)} x values for {n} values per series")
    fig, ax = plt.subplots(figsize=(5, 3.4))
    for (name, values), marker in zip(series.items(), "osD^v<>"):
        ax.plot(x, values, marker=marker, label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_xticks(list(x))
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(title or ylabel, fontsize=10)
    fig.tight_layout()
    return fig
