"""Schematic drawings of how a layer's window moves over a grid, and of a network's shapes.

Where :mod:`cnnlib.viz.images` draws data, this module draws *ideas* on small grids:
a small array as numbered cells (:func:`show_grid`), the kernel at a few positions
(:func:`show_sliding_window`), zero and edge padding (:func:`padding_modes`), where a
window lands for a stride and padding (:func:`window_positions`), pooling windows and
their outputs (:func:`show_pooling`), how much of the input one output pixel sees, layer
by layer (:func:`show_receptive_fields`), a network's stages as boxes (:func:`pipeline`)
and its tensors as blocks (:func:`show_shapes`). What one unit is wired to is in
:mod:`cnnlib.viz.connections`.

Every function draws one figure and returns it (end the line with ``;`` in a notebook);
bad arguments raise ``ValueError`` naming the argument.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

from .. import sizes
from ..validate import ArgumentError, named, whole
from ..validate import padding as check_padding
from . import style
from .style import FIRST, LINKED, PAD_COLOR, SECOND, WINDOW_COLORS, cells, finish, frame, outline

__all__ = ["show_grid", "show_sliding_window", "padding_modes", "window_positions",
           "show_pooling", "show_receptive_fields", "pipeline", "show_shapes"]


# --- windows on a grid ---------------------------------------------------------------------
@named
def show_grid(ax, values, highlight=None, color="tab:orange", fmt="{:g}", cmap="Greys",
              title=None, shade=True):
    """Draw a small 2-D array on ``ax`` as a grid of numbered cells; returns ``ax``.

    highlight: ``(row, col, height, width)`` of a window to outline.
    """
    values = np.asarray(values)
    if values.ndim != 2:
        raise ArgumentError(f"values must be 2-D, got shape {values.shape}")
    h, w = values.shape
    if shade:
        ax.imshow(values, cmap=cmap, alpha=0.35)
    else:
        ax.imshow(np.zeros_like(values, dtype=float), cmap="Greys", vmin=0, vmax=1)
    for r in range(h):
        for c in range(w):
            ax.text(c, r, fmt.format(values[r, c]), ha="center", va="center", fontsize=9)
    ax.set_xticks(np.arange(-0.5, w, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, h, 1), minor=True)
    ax.grid(which="minor", color="0.6", linewidth=0.8)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    if highlight is not None:
        r, c, hh, ww = highlight
        ax.add_patch(Rectangle((c - 0.5, r - 0.5), ww, hh, fill=True, alpha=0.25, color=color))
        ax.add_patch(Rectangle((c - 0.5, r - 0.5), ww, hh, fill=False, lw=2.5, color=color))
    if title:
        ax.set_title(title, fontsize=10)
    return ax


@named
def show_sliding_window(x, kernel, out, positions, strides: int = 1):
    """The kernel at a few positions of the input, and the output cell each one fills.

    x: (H, W) input; kernel: (FH, FW); out: (OH, OW) the convolution's output;
    positions: output coordinates ``[(i, j), ...]``, one row of panels each;
    strides: the step between windows (one number: the drawing slides both ways alike).
    """
    x, kernel, out = np.asarray(x), np.asarray(kernel), np.asarray(out)
    for name, a in (("x", x), ("kernel", kernel), ("out", out)):
        if a.ndim != 2:
            raise ArgumentError(f"{name} must be 2-D, got shape {a.shape}")
    strides = whole(strides, "strides")
    fh, fw = kernel.shape
    fig, axes = style.subplots(len(positions), 3, figsize=(9, 3.1 * len(positions)), squeeze=False,
                               gridspec_kw={"width_ratios": [x.shape[1], fw, out.shape[1]]})
    for row, (i, j) in zip(axes, positions):
        window = x[i * strides:i * strides + fh, j * strides:j * strides + fw]
        show_grid(row[0], x, highlight=(i * strides, j * strides, fh, fw), title="input")
        show_grid(row[1], kernel, title="kernel", cmap="Blues")
        terms = " + ".join(f"{a:g}·{b:g}" if b >= 0 else f"{a:g}·({b:g})"
                           for a, b in zip(window.ravel(), kernel.ravel()))
        show_grid(row[2], out, highlight=(i, j, 1, 1), title=f"output[{i}, {j}]")
        row[1].set_xlabel(f"sum of {fh * fw} products\n= {float((window * kernel).sum()):g}",
                          fontsize=9)
        row[0].set_xlabel(terms if len(terms) < 70 else terms[:67] + "…", fontsize=7)
    return finish(fig)


@named
def padding_modes(x, pad: int = 1, modes=("zero", "edge")):
    """A small grid, and the same grid padded by ``pad`` cells in each of ``modes``.

    x: (H, W) numbers; modes: ``'zero'`` (``np.pad`` mode ``'constant'``) and/or
    ``'edge'`` (copies the border values outwards). Padded cells are shaded and the
    original grid is outlined. ``1 + len(modes)`` axes.
    """
    x = np.asarray(x)
    if x.ndim != 2 or x.size == 0:
        raise ArgumentError(f"x must be a non-empty 2-D grid (H, W), got shape {x.shape}")
    pad = whole(pad, "pad", minimum=0)
    np_mode = {"zero": "constant", "edge": "edge"}
    for m in modes:
        if m not in np_mode:
            raise ArgumentError(f"mode {m!r} unknown; use 'zero' or 'edge'")
    h, w = x.shape
    panels = [("original", x, 0)] + [
        (f"{m} padding, P = {pad}", np.pad(x, pad, mode=np_mode[m]), pad) for m in modes]
    fig, axes = style.subplots(1, len(panels), figsize=(3.2 * len(panels), 3.9), squeeze=False)
    for ax, (title, grid, p) in zip(axes[0], panels):
        gh, gw = grid.shape
        colors = [[PAD_COLOR if (r < p or r >= p + h or c < p or c >= p + w) else "white"
                   for c in range(gw)] for r in range(gh)]
        labels = [[f"{grid[r, c]:g}" for c in range(gw)] for r in range(gh)]
        shift = pad - p  # centre the unpadded grid in a panel as large as the padded ones
        cells(ax, gh, gw, colors, labels, x0=shift, y0=shift, fontsize=9)
        outline(ax, p, p, h, w, "black", x0=shift, y0=shift, lw=2)
        frame(ax, w + 2 * pad, h + 2 * pad)
        ax.set_title(f"{title}\n{gh}×{gw}", fontsize=10)
    return finish(fig)


def _layout(i, setting, size, kernel):
    """(strides, padding, before, after, padded, out) of ``settings[i]``."""
    try:
        strides, padding = setting
    except (TypeError, ValueError):
        raise ArgumentError(f"settings[{i}] must be a (strides, padding) pair, "
                            f"got {setting!r}") from None
    strides = whole(strides, f"settings[{i}] strides")
    mode = check_padding(padding, f"settings[{i}] padding")
    if isinstance(mode, tuple):
        raise ArgumentError(f"settings[{i}] padding is one number for both axes here "
                            f"(the drawing is square), got {padding!r}")
    before, after = (sizes.same_padding(size, kernel, strides) if mode == "same"
                     else (0, 0) if mode == "valid" else (mode, mode))
    padded = size + before + after
    if kernel > padded:
        raise ArgumentError(f"kernel {kernel} is larger than the padded input ({padded}) of "
                            f"settings[{i}]; add padding or use a smaller kernel")
    return strides, mode, before, after, padded, (padded - kernel) // strides + 1


@named
def window_positions(size: int, kernel: int, settings, titles=None):
    """Where a ``kernel×kernel`` window lands on a ``size×size`` input, per setting.

    settings: a sequence of ``(strides, padding)`` pairs, padding an int P or
    ``'valid'``/``'same'`` (Keras: the extra padding row/column of an odd total
    goes to the bottom/right). Each setting gets a column: on top the padded input
    (padding shaded, every window position's centre dotted, the first window in
    orange and the next one along the row dashed blue, cells no window reaches
    hatched red); below, the output grid with the two matching cells. Windows that
    do not fit are dropped, as Keras drops them. ``2·len(settings)`` axes.
    """
    size = whole(size, "size")
    kernel = whole(kernel, "kernel")
    settings = list(settings)
    if not settings:
        raise ArgumentError("settings must list at least one (strides, padding) pair")
    if titles is not None and len(titles) != len(settings):
        raise ArgumentError(f"{len(titles)} titles for {len(settings)} settings")
    layouts = [_layout(i, s, size, kernel) for i, s in enumerate(settings)]
    biggest = max(lay[4] for lay in layouts)
    largest_out = max(lay[5] for lay in layouts)
    fig, axes = style.subplots(2, len(settings), figsize=(3.3 * len(settings), 6.4),
                             squeeze=False,
                             gridspec_kw={"height_ratios": [biggest + 1.5, largest_out + 1]})
    for k, (strides, padding, before, after, padded, out) in enumerate(layouts):
        ax, ax_out = axes[0][k], axes[1][k]
        o = (biggest - padded) / 2  # centre smaller grids in their panel
        starts = [i * strides for i in range(out)]
        covered = np.zeros(padded, bool)
        for s in starts:
            covered[s:s + kernel] = True
        colors = [[PAD_COLOR if not (before <= r < before + size and before <= c < before + size)
                   else "white" for c in range(padded)] for r in range(padded)]
        cells(ax, padded, padded, colors, x0=o, y0=o)
        for r in range(padded):
            for c in range(padded):
                if not (covered[r] and covered[c]):
                    ax.add_patch(Rectangle((o + c, o + r), 1, 1, fill=False, hatch="///",
                                           edgecolor="tab:red", lw=0))
        outline(ax, before, before, size, size, "black", x0=o, y0=o, lw=1.6)
        for r in starts:
            for c in starts:
                ax.plot(o + c + kernel / 2, o + r + kernel / 2, "o", color="0.25", ms=3)
        outline(ax, 0, 0, kernel, kernel, FIRST, x0=o, y0=o, lw=2.5)
        if out > 1:
            outline(ax, 0, strides, kernel, kernel, SECOND, x0=o, y0=o, ls="--", lw=2)
        frame(ax, biggest, biggest)
        pad_text = (f"'{padding}'" if isinstance(padding, str) else f"P={padding}")
        if before != after:
            pad_text += f"\n({before} top/left, {after} bottom/right)"
        ax.set_title(titles[k] if titles is not None else
                     f"{size}×{size} input, {kernel}×{kernel} kernel\nstride {strides}, {pad_text}",
                     fontsize=9)
        out_colors = [["white"] * out for _ in range(out)]
        out_colors[0][0] = LINKED
        if out > 1:
            out_colors[0][1] = "#cfe2f3"
        cells(ax_out, out, out, out_colors, x0=(biggest - out) / 2)
        frame(ax_out, biggest, largest_out)
        ax_out.set_title(f"output {out}×{out}", fontsize=9)
    return finish(fig)


@named
def show_pooling(x, pooled, pool_size: int = 2, strides: int | None = None, fmt: str = "{:g}",
                 title: str | None = None):
    """A small input split into pooling windows, and each pooled output beside it.

    x: (H, W) input; pooled: ``{name: (OH, OW) array}``, e.g. the max- and the
    average-pooled x; pool_size, strides: the windows (strides None means
    pool_size, as in Keras). Each window and the output cell it produces share a colour.
    """
    x = np.asarray(x)
    if x.ndim != 2:
        raise ArgumentError(f"x must be one (H, W) array, got shape {x.shape}")
    if not isinstance(pooled, dict) or not pooled:
        raise ArgumentError("pooled must be a non-empty dict {name: (OH, OW) array}")
    strides = pool_size if strides is None else strides
    oh = sizes.pool_output_size(x.shape[0], pool_size, strides)
    ow = sizes.pool_output_size(x.shape[1], pool_size, strides)
    for name, out in pooled.items():
        if np.shape(out) != (oh, ow):
            raise ArgumentError(f"pooled[{name!r}] should have shape {(oh, ow)} for pool "
                                f"{pool_size}, strides {strides} on {x.shape}, got {np.shape(out)}")
    widths = [x.shape[1]] + [ow] * len(pooled)
    fig, axes = style.subplots(1, 1 + len(pooled), figsize=(2.2 + 0.55 * sum(widths), 3.2),
                             gridspec_kw={"width_ratios": widths})
    show_grid(axes[0], x, fmt=fmt, title=f"input {x.shape[0]}×{x.shape[1]}")
    for ax, (name, out) in zip(axes[1:], pooled.items()):
        show_grid(ax, np.asarray(out), fmt=fmt, title=f"{name}\n{oh}×{ow}")
    for i in range(oh):
        for j in range(ow):
            color = WINDOW_COLORS[(i * ow + j) % len(WINDOW_COLORS)]
            r, c = i * strides, j * strides
            axes[0].add_patch(Rectangle((c - 0.5, r - 0.5), pool_size, pool_size, alpha=0.25,
                                        color=color, lw=0))
            axes[0].add_patch(Rectangle((c - 0.45, r - 0.45), pool_size - 0.1, pool_size - 0.1,
                                        fill=False, lw=2, color=color))
            for ax in axes[1:]:
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, alpha=0.35, color=color, lw=0))
    return finish(fig, title)


@named
def show_receptive_fields(stacks, image=None, input_size: int = 28, title: str | None = None,
                          size: float = 3.6):
    """How much of the input one output pixel sees, layer after layer.

    stacks: ``{name: [(kernel_size, strides), ...]}``, one panel per stack; each
    panel outlines, around the centre of the input, the receptive field after
    every layer (:func:`cnnlib.sizes.receptive_field` of the layers so far).
    image: an optional (H, W) picture drawn underneath (else a blank
    ``input_size`` grid).
    """
    if not isinstance(stacks, dict) or not stacks:
        raise ArgumentError("stacks must be a non-empty dict {name: [(kernel_size, strides), ...]}")
    if image is not None:
        image = np.squeeze(np.asarray(image))
        if image.ndim != 2:
            raise ArgumentError(f"image must be (H, W), got {image.shape}")
        input_size = image.shape[0]
    input_size = whole(input_size, "input_size")
    longest = max(len(layers) for layers in stacks.values())
    fig, axes = style.subplots(1, len(stacks), figsize=(size * len(stacks), size + 0.25 * longest),
                             squeeze=False, layout="constrained")
    centre = (input_size - 1) / 2
    for ax, (name, layers) in zip(axes[0], stacks.items()):
        if image is not None:
            ax.imshow(image, cmap="gray_r", alpha=0.45)
        else:
            ax.imshow(np.zeros((input_size, input_size)), cmap="Greys", vmin=0, vmax=1)
        ax.set_xticks(np.arange(-0.5, input_size, 1), minor=True)
        ax.set_yticks(np.arange(-0.5, input_size, 1), minor=True)
        ax.grid(which="minor", color="0.85", linewidth=0.4)
        ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
        handles = []
        for k in range(1, len(layers) + 1):
            field = sizes.receptive_field(layers[:k])
            shown = min(field, input_size)
            start = round(centre - (shown - 1) / 2) - 0.5
            kernel, stride = layers[k - 1]
            kind = f"{kernel}×{kernel}" + (f", stride {stride}" if stride != 1 else "")
            patch = Rectangle((start, start), shown, shown, fill=False, lw=2.2,
                              color=WINDOW_COLORS[(k - 1) % len(WINDOW_COLORS)],
                              label=f"after layer {k} ({kind}): {field}×{field}")
            ax.add_patch(patch)
            handles.append(patch)
        ax.set_xlim(-0.5, input_size - 0.5)
        ax.set_ylim(input_size - 0.5, -0.5)
        ax.set_title(name, fontsize=10)
        ax.legend(handles=handles, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.01),
                  ncol=1, frameon=False)
    if title:
        fig.suptitle(title)
    return fig


# --- a network's stages and shapes ---------------------------------------------------------
@named
def pipeline(stages, title: str | None = None, ncols: int | None = None):
    """Boxes joined by arrows: a network's stages and what each does.

    stages: a sequence of ``(name, shape, role)`` strings, e.g.
    ``("Conv2D 3×3", "(26, 26, 16)", "finds local patterns")``; ncols: boxes per
    row (default: all in one row); a row that goes on below ends and starts with
    an arrow. One axis, one box per stage.
    """
    stages = list(stages)
    if not stages:
        raise ArgumentError("stages must list at least one (name, shape, role) triple")
    for i, stage in enumerate(stages):
        if not isinstance(stage, (tuple, list)) or len(stage) != 3:
            raise ArgumentError(f"stages[{i}] must be a (name, shape, role) triple, got {stage!r}")
    n = len(stages)
    ncols = min(n if ncols is None else whole(ncols, "ncols"), n)
    nrows = -(-n // ncols)
    box_w, gap, box_h, row_gap = 2.2, 0.6, 2.2, 0.7
    fig, ax = style.subplots(figsize=(1.45 * ncols + 1.2, 2.1 * nrows + 0.3))
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
        if col or row:
            arrow(x - gap + 0.05, x - 0.05, y + box_h / 2)
        if row and not col:  # continues from the row above
            end = (ncols - 1) * (box_w + gap) + box_w
            arrow(end + 0.05, end + gap - 0.05, y - row_gap - box_h / 2)
    ax.set_xlim(-gap - 0.1, ncols * (box_w + gap) + 0.1)
    ax.set_ylim(nrows * (box_h + row_gap) - row_gap + 0.2, -0.2)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    return finish(fig)


@named
def show_shapes(summary, title: str | None = None):
    """A model's tensors from left to right: each (H, W, C) output a block whose
    height is H and whose thickness grows with C; flat vectors a thin bar.

    summary: a :class:`cnnlib.params.Summary` (its ``input_shape`` is drawn first
    when known). Each block is labelled with its shape and its layer's parameters.
    """
    rows = list(getattr(summary, "rows", summary))
    if not rows:
        raise ArgumentError("expected a cnnlib.params.Summary with at least one row")
    items = []
    input_shape = getattr(summary, "input_shape", None)
    if input_shape:
        items.append(("input", tuple(input_shape), None))
    items += [(r.name, tuple(r.output_shape), r.params) for r in rows]
    spatial = [s[0] for _, s, _ in items if len(s) == 3 and s[0]]
    tallest = max(spatial) if spatial else 1
    fig, ax = style.subplots(figsize=(1.25 * len(items) + 0.5, 3.6))
    x = 0.0
    for name, shape, n in items:
        if len(shape) == 3:
            h = 2.0 * shape[0] / tallest
            depth = 0.15 + 0.12 * math.log2(max(shape[2], 1))
            ax.add_patch(Rectangle((x, -h / 2), depth, h, color="tab:blue", alpha=0.55))
            ax.add_patch(Rectangle((x + 0.08, -h / 2 + 0.08), depth, h, color="tab:blue",
                                   alpha=0.25))
        else:
            h = 0.4 + 0.18 * math.log10(max(shape[0] if shape else 1, 1))
            depth = 0.12
            ax.add_patch(Rectangle((x, -h / 2), depth, h, color="tab:orange", alpha=0.7))
        label = "×".join(str(v) for v in shape)
        ax.text(x + depth / 2, 1.2, name.split(" (")[0], ha="center", fontsize=9, rotation=20)
        extra = "" if n is None else f"\n{n:,} params"
        ax.text(x + depth / 2, -1.2, label + extra, ha="center", va="top", fontsize=8.5)
        x += 1.25
    ax.set_xlim(-0.5, x - 0.5)
    ax.set_ylim(-1.9, 1.7)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    return finish(fig)
