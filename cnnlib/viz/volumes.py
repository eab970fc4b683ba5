"""Tensors drawn as volumes and matrices: the four pictures of how a convolution computes.

* :func:`show_im2col` — the windows of a small input become the rows of a matrix, the
  kernel bank its columns, and one matrix product gives every feature map;
* :func:`show_conv_volume` — a multi-channel convolution in depth: a 7×7×3 input, each
  3×3×3 kernel covering all channels of a window, one map per kernel;
* :func:`show_pointwise_conv` — the 1×1 convolution as the same small matrix product
  at every pixel: one pixel's channel vector mixed into new channels;
* :func:`show_batched_conv` — the shapes of a batched convolution,
  ``(N, H, W, C) ∗ (FH, FW, C, FN) → (N, OH, OW, FN)``, above the im2col matrices that
  compute it.

Every function draws one figure of at most 7.5 in width, with labels of 9 pt or more,
and returns it (end the line with ``;`` in a notebook). Bad shapes raise an
:class:`~cnnlib.validate.ArgumentError` (a ``ValueError``) naming the argument and a
size that can be drawn. Parts of a figure carry a ``gid`` (``"cols"``, ``"kernels"``,
``"output"``, ...) so that tests can find what each part shows.

Long because each of the four figures places its parts by hand, cell by cell, so that
every label stays readable at 9 pt in the text column; the parts share the helpers at
the top (:func:`_sheets`, :func:`_cuboid`) and nothing else.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.patches import FancyArrowPatch, Polygon, Rectangle

from .. import ops, sizes
from ..validate import ArgumentError, named, pair, whole
from .style import FIRST, SECOND, cells, frame, outline, subplots

__all__ = ["show_im2col", "show_conv_volume", "show_pointwise_conv", "show_batched_conv"]

FONT = 9                     # the smallest label the style guide allows
MAX_WIDTH = 7.5              # inches: the text column
KERNEL_COLORS = ("tab:green", "tab:purple", "tab:red", "tab:brown")
CHANNEL_COLORS = ("#f6c6c6", "#c9e7c1", "#c7d9f2", "#f3e0b5", "#dcc9ec", "#c4ecec",
                  "#f2cde4", "#dedede", "#e8efc0", "#f7d4bc")


def _light(color, amount=0.3):
    """``color`` mixed with white: opaque, so that boxes in front hide those behind."""
    r, g, b, _ = to_rgba(color)
    return (1 - amount + amount * r, 1 - amount + amount * g, 1 - amount + amount * b)


def _channel_names(c):
    return ["R", "G", "B"] if c == 3 else [f"c{k}" for k in range(c)]


def _arrow(ax, start, end, color="0.3", **kw):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color=color,
                                 lw=1.3, **kw))


def _sheets(ax, x0, y0, h, w, depth, step, cell=1.0, colors=CHANNEL_COLORS, grid=True,
            gid=None, on_sheet=None):
    """``depth`` sheets of h×w cells, channel 0 in front; y grows down. Each later
    channel sits ``step`` up and to the right, behind. ``on_sheet(k, x, y)`` draws on
    sheet k before the sheets in front of it. Returns each sheet's top-left."""
    corners = [(x0 + k * step, y0 + (depth - 1 - k) * step) for k in range(depth)]
    for k in reversed(range(depth)):
        sx, sy = corners[k]
        face = colors[k % len(colors)]
        if grid:
            cells(ax, h, w, colors=[[face] * w] * h, x0=sx, y0=sy)
        else:
            ax.add_patch(Rectangle((sx, sy), w * cell, h * cell, facecolor=face,
                                   edgecolor="0.45", lw=0.8, gid=gid))
        if on_sheet is not None:
            on_sheet(k, sx, sy)
    return corners


def _figure(width_units, height_units, unit):
    """A one-axes figure whose data units are ``unit`` inches (capped at the column)."""
    fig, ax = subplots(figsize=(width_units * unit, height_units * unit))
    fig.patch.set_facecolor("white")
    frame(ax, width_units, height_units, margin=0)
    fig.subplots_adjust(0, 0, 1, 1)
    return fig, ax


# --- (a) im2col ----------------------------------------------------------------------------
@named
def show_im2col(x, kernels, strides=1, fmt="{:g}",
                title="im2col: every window a row, every kernel a column, one product"):
    """im2col on a small input: windows → rows, kernel bank → columns, the product → maps.

    x: (H, W) or (H, W, C); kernels: (FH, FW, C, FN), Keras's layout. The matrices are
    the ones :func:`cnnlib.ops.im2col` builds: cols ``(OH·OW, FH·FW·C)`` times kernels
    ``(FH·FW·C, FN)`` gives ``(OH·OW, FN)``, reshaped to FN maps of OH×OW. The first two
    windows and their rows are coloured alike. Every number is written in its cell, so
    give small integer-valued arrays (or a ``fmt`` such as ``"{:.1f}"``).
    """
    x = np.asarray(x)
    if x.ndim == 2:
        x = x[:, :, None]
    if x.ndim != 3:
        raise ArgumentError(f"x must be (H, W) or (H, W, C), got shape {x.shape}")
    w = np.asarray(kernels)
    if w.ndim != 4:
        raise ArgumentError(f"kernels must be 4-D (FH, FW, C, FN), got shape {w.shape}; "
                            "one 3×3 kernel on a one-channel input is k.reshape(3, 3, 1, 1)")
    (h, wd, c), (fh, fw, c_in, fn) = x.shape, w.shape
    if c_in != c:
        raise ArgumentError(f"x has {c} channels (shape {x.shape}) but kernels expect "
                            f"C = {c_in} (shape {w.shape})")
    if fh > h or fw > wd:
        raise ArgumentError(f"kernels of {fh}×{fw} do not fit in x of {h}×{wd}; use a kernel "
                            f"of at most {h}×{wd}")
    sh, sw = pair(strides, "strides")
    oh, ow = (h - fh) // sh + 1, (wd - fw) // sw + 1
    cols = ops.im2col(x[None].astype(np.float64), (fh, fw), (sh, sw), (oh, ow))
    rows, k = cols.shape
    kmat = w.reshape(k, fn).astype(np.float64)
    product = cols @ kmat
    if rows > 16 or k > 12 or fn > 4:
        raise ArgumentError(
            f"{rows} windows of {k} values and {fn} kernels are too many cells to read in "
            f"{MAX_WIDTH} in; draw a small case: x 4×4 with kernels (3, 3, 1, 2) gives 4 rows "
            "of 9 and 2 columns")

    gap, op_gap = 2.5, 1.8
    stack = (c - 1) * 0.5
    parts = [("input", wd + stack, h + stack), ("cols", k, rows), ("kernels", fn, k),
             ("product", fn, rows), ("maps", ow, fn * oh + (fn - 1) * 0.8)]
    gaps = [gap, op_gap, op_gap, gap]
    total = sum(p[1] for p in parts) + sum(gaps) + 1.0
    tallest = max(p[2] for p in parts)
    unit = min(0.34, (MAX_WIDTH - 0.1) / total)
    if unit < 0.24:
        raise ArgumentError(f"the figure needs {total:.0f} cells side by side, too many for "
                            f"{MAX_WIDTH} in; use a smaller input or kernel")
    top = 0.55 / unit + 0.6                      # the title, then two lines of part labels
    fig, ax = _figure(total, tallest + top + 0.2, unit)
    win_colors = [FIRST, SECOND]
    xs, x_at = [], 0.5                           # parts aligned at the top, like rows
    for (_, pw, _), g in zip(parts, gaps + [0]):
        xs.append((x_at, top))
        x_at += pw + g

    def grid(name, values, x0, y0, colors):
        before = len(ax.patches), len(ax.texts)
        labels = [[fmt.format(v) for v in row] for row in values]
        cells(ax, *values.shape, colors=colors, labels=labels, x0=x0, y0=y0, fontsize=FONT)
        for artist in ax.patches[before[0]:] + ax.texts[before[1]:]:
            artist.set_gid(name)

    # input: a window is outlined on every channel; the front sheet shows the numbers
    (ix, iy) = xs[0]
    corners = [(ix + q * 0.5, iy + (c - 1 - q) * 0.5) for q in range(c)]
    for q in reversed(range(c)):
        face = [["white" if c == 1 else CHANNEL_COLORS[q]] * wd] * h
        grid("input", x[:, :, q], *corners[q], face)
        for n, color in enumerate(win_colors[:rows]):
            r0, c0 = divmod(n, ow)
            outline(ax, r0 * sh, c0 * sw, fh, fw, color, x0=corners[q][0], y0=corners[q][1],
                    ls="-" if n == 0 else "--")
    # cols, kernels, product, maps
    row_face = [[_light(win_colors[r]) if r < len(win_colors) else "white"] * k
                for r in range(rows)]
    grid("cols", cols, *xs[1], row_face)
    grid("kernels", kmat, *xs[2], [[_light(KERNEL_COLORS[j]) for j in range(fn)]] * k)
    grid("product", product, *xs[3], [[_light(KERNEL_COLORS[j]) for j in range(fn)]] * rows)
    mx, my = xs[4]
    for j in range(fn):
        y0 = my + j * (oh + 0.8)
        grid("maps", product[:, j].reshape(oh, ow), mx, y0,
             [[_light(KERNEL_COLORS[j])] * ow] * oh)
        outline(ax, 0, 0, oh, ow, KERNEL_COLORS[j], x0=mx, y0=y0, lw=2)
    for r, color in enumerate(win_colors[:rows]):       # a window's row, value and pixel
        ls = "-" if r == 0 else "--"
        outline(ax, r, 0, 1, k, color, x0=xs[1][0], y0=xs[1][1], lw=2, ls=ls)
        outline(ax, r, 0, 1, fn, color, x0=xs[3][0], y0=xs[3][1], lw=2, ls=ls)
        i, j = divmod(r, ow)
        for f in range(fn):
            outline(ax, i, j, 1, 1, color, x0=mx, y0=my + f * (oh + 0.8), lw=2, ls=ls)

    labels = [f"input {h}×{wd}" + (f"×{c}" if c > 1 else "")
              + f"\n{min(rows, 2)} of {rows} windows",
              f"cols {rows}×{k}\none row per window", f"kernels {k}×{fn}\none per column",
              f"product\n{rows}×{fn}", f"{fn} map{'s' * (fn > 1)} {oh}×{ow}"]
    for (name, pw, _), (px, py), text in zip(parts, xs, labels):
        ax.text(px + pw / 2, py - 0.2, text, ha="center", va="bottom", fontsize=FONT,
                gid=f"{name}-label")
    mid = top + min(rows, h) / 2
    for (_, pw, _), (px, _), g, op in zip(parts, xs, gaps, ["im2col", "@", "=", "reshape"]):
        if op in ("im2col", "reshape"):
            _arrow(ax, (px + pw + 0.2, mid), (px + pw + g - 0.2, mid))
            ax.text(px + pw + g / 2, mid - 0.25, op, ha="center", va="bottom", fontsize=FONT)
        else:
            ax.text(px + pw + g / 2, mid, op, ha="center", va="center", fontsize=14)
    fig.suptitle(title, fontsize=11, y=0.99, va="top")
    return fig


# --- (b) a multi-channel convolution as a volume -------------------------------------------
@named
def show_conv_volume(input_shape=(7, 7, 3), kernel_size=3, filters=2, position=(1, 2),
                     title="one kernel spans all channels; each kernel makes one map"):
    """A convolution in depth: an (H, W, C) input, ``filters`` kernels of FH×FW×C, one
    OH×OW map each (stride 1, no padding).

    The window at output ``position`` (row, column) is outlined on every channel of the
    input; each kernel's channel c has channel c's colour, and the one value the window
    gives lands in the same cell of every map.
    """
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ArgumentError(f"input_shape must be (H, W, C), got {input_shape!r}")
    h, wd, c = (whole(v, "input_shape") for v in input_shape)
    fh, fw = pair(kernel_size, "kernel_size")
    filters = whole(filters, "filters")
    if h > 10 or wd > 10 or c > 6 or filters > 3:
        raise ArgumentError(f"an input of {h}×{wd}×{c} with {filters} kernels is too big to "
                            "draw readably; use at most 10×10×6 and 3 kernels, e.g. (7, 7, 3)")
    if fh > h or fw > wd:
        raise ArgumentError(f"kernel_size {fh}×{fw} is larger than the input's {h}×{wd}")
    oh, ow = sizes.conv_output_size(h, fh), sizes.conv_output_size(wd, fw)
    pi, pj = pair(position, "position", minimum=0)
    if pi >= oh or pj >= ow:
        raise ArgumentError(f"position {tuple(position)} is outside the {oh}×{ow} map; "
                            f"use a row below {oh} and a column below {ow}")

    step = 0.7
    in_w, in_h = wd + (c - 1) * step, h + (c - 1) * step
    k_w, k_h = fw + (c - 1) * step, fh + (c - 1) * step
    slot = max(k_h, oh) + 1.6                    # one kernel and its map per slot
    body = max(in_h, filters * slot - 1.6)
    top, gap = 1.9, 3.0
    kx = 0.6 + in_w + gap
    mx = kx + k_w + gap + 0.8
    width, height = mx + ow + 0.9, top + body + 1.0
    fig, ax = _figure(width, height, min(0.34, (MAX_WIDTH - 0.1) / width))

    names = _channel_names(c)
    ix, iy = 0.6, top + (body - in_h) / 2

    def window(q, sx, sy):
        outline(ax, pi, pj, fh, fw, FIRST, x0=sx, y0=sy, lw=2)
        ax.text(sx - 0.1, sy + 0.02, names[q], fontsize=FONT, ha="right", va="bottom",
                gid="channel")

    _sheets(ax, ix, iy, h, wd, c, step, on_sheet=window)
    ax.text(ix + in_w / 2, iy - 0.3, f"input {h}×{wd}×{c}", ha="center", va="bottom",
            fontsize=FONT, gid="input-label")
    x0, y0, d = ix + pj, iy + (c - 1) * step + pi, (c - 1) * step
    for (ax0, ay0), (ax1, ay1) in [((x0, y0), (x0 + d, y0 - d)),          # the window in depth
                                   ((x0 + fw, y0), (x0 + fw + d, y0 - d)),
                                   ((x0 + fw, y0 + fh), (x0 + fw + d, y0 + fh - d)),
                                   ((x0 + d, y0 - d), (x0 + fw + d, y0 - d)),
                                   ((x0 + fw + d, y0 - d), (x0 + fw + d, y0 + fh - d))]:
        ax.plot([ax0, ax1], [ay0, ay1], color=FIRST, lw=2, zorder=5, solid_capstyle="round")
    front = (x0 + fw, y0 + fh / 2)                                   # the window's right edge
    ax.text(ix + in_w / 2, iy + in_h + 0.25, f"window: {fh}·{fw}·{c} = {fh * fw * c} values",
            ha="center", va="top", fontsize=FONT, color=FIRST)
    for f in range(filters):
        y0 = top + (body - (filters * slot - 1.6)) / 2 + f * slot
        ky = y0 + (max(k_h, oh) - k_h) / 2
        before = len(ax.patches)
        _sheets(ax, kx, ky, fh, fw, c, step)
        for p in ax.patches[before:]:
            p.set_gid(f"kernel{f}")
        color = KERNEL_COLORS[f]
        ax.text(kx + k_w / 2, ky + k_h + 0.25, f"kernel {f + 1}: {fh}×{fw}×{c}", ha="center",
                va="top", fontsize=FONT, color=color, gid="kernel-label")
        my = y0 + (max(k_h, oh) - oh) / 2
        face = [[_light(color, 0.12)] * ow for _ in range(oh)]
        face[pi][pj] = _light(color, 0.8)
        before = len(ax.patches)
        cells(ax, oh, ow, colors=face, x0=mx, y0=my)
        for p in ax.patches[before:]:
            p.set_gid(f"map{f}")
        ax.text(mx + ow / 2, my - 0.2, f"map {f + 1}: {oh}×{ow}", ha="center", va="bottom",
                fontsize=FONT, color=color, gid="map-label")
        _arrow(ax, front, (kx - 0.2, ky + (c - 1) * step + fh / 2), color=FIRST)
        _arrow(ax, (kx + k_w + 0.2, ky + k_h / 2), (mx + pj + 0.5, my + pi + 0.5), color=color)
    ax.text((kx + k_w + mx) / 2, top + body / 2, f"{fh * fw * c} products\n+ bias\n→ 1 value",
            ha="center", va="center", fontsize=FONT, bbox=dict(fc="white", ec="none", pad=1))
    fig.suptitle(title, fontsize=11, y=0.99, va="top")
    return fig


# --- (c) the 1×1 convolution ---------------------------------------------------------------
@named
def show_pointwise_conv(x, w, pixel=(0, 0), fmt="{:.2f}",
                        title="a 1×1 convolution mixes each pixel's channels"):
    """The 1×1 convolution at one pixel: its C_in channel values times the C_in×C_out
    kernel give its C_out new channel values; every pixel uses the same matrix.

    x: (H, W, C_in); w: (1, 1, C_in, C_out) as Keras stores it, or (C_in, C_out);
    pixel: (row, column). Output channel k is ``Σ_c x[row, col, c] · w[c, k]``: each
    input value multiplies its row of the kernel, and each column is summed.
    """
    x = np.asarray(x)
    if x.ndim != 3:
        raise ArgumentError(f"x must be (H, W, C_in), got shape {x.shape}")
    w = np.asarray(w)
    if w.ndim == 4 and w.shape[:2] == (1, 1):
        w = w[0, 0]
    if w.ndim != 2:
        raise ArgumentError(f"w must be (1, 1, C_in, C_out) or (C_in, C_out), got shape {w.shape}")
    h, wd, c_in = x.shape
    if w.shape[0] != c_in:
        raise ArgumentError(f"x has {c_in} channels (shape {x.shape}) but w expects "
                            f"C_in = {w.shape[0]} (shape {w.shape})")
    c_out = w.shape[1]
    if c_in > 10 or c_out > 4:
        raise ArgumentError(f"{c_in} channels in and {c_out} out are too many to write out; "
                            "use at most 10 in and 4 out, e.g. w of shape (1, 1, 8, 2)")
    pi, pj = pair(pixel, "pixel", minimum=0)
    if pi >= h or pj >= wd:
        raise ArgumentError(f"pixel {tuple(pixel)} is outside the {h}×{wd} input")
    vec = x[pi, pj].astype(np.float64)
    out = vec @ w.astype(np.float64)

    side, cw = 3.6, 1.7                           # a sheet's side; a number's cell width
    step_in, step_out = min(0.45, 2.4 / max(c_in, 1)), min(0.45, 2.4 / max(c_out, 1))
    cell = side / max(h, wd)
    dot = max(cell, 0.3)
    in_extent = side + (c_in - 1) * step_in
    out_extent = side + (c_out - 1) * step_out
    top = 1.9
    body = max(in_extent, c_in + 2.3)
    vx = 0.4 + in_extent + 2.6
    wx = vx + cw + 1.1
    ox = wx + c_out * cw + 2.6
    width, height = ox + out_extent + 0.4, top + body + 0.9
    fig, ax = _figure(width, height, min(0.36, (MAX_WIDTH - 0.1) / width))

    def mark(corners, color):
        for sx, sy in corners:
            ax.add_patch(Rectangle((sx + pj * cell + (cell - dot) / 2,
                                    sy + pi * cell + (cell - dot) / 2), dot, dot,
                                   facecolor=color, edgecolor="black", lw=0.8, gid="pixel"))

    def stack(x0, depth, step, label, gid):
        y0 = top + (body - (side + (depth - 1) * step)) / 2
        corners = _sheets(ax, x0, y0, h, wd, depth, step, cell=cell, grid=False, gid=gid)
        ax.text(x0 + (side + (depth - 1) * step) / 2, y0 - 0.25, label, ha="center",
                va="bottom", fontsize=FONT, gid=f"{gid}-label")
        return corners

    in_corners = stack(0.4, c_in, step_in, f"input {h}×{wd}×{c_in}", "input")
    mark(in_corners, FIRST)
    vy = top + (body - c_in) / 2 - 0.6
    labels = [[fmt.format(v)] for v in vec]
    faces = [[CHANNEL_COLORS[q % len(CHANNEL_COLORS)]] for q in range(c_in)]
    before = len(ax.patches), len(ax.texts)
    for q in range(c_in):
        ax.add_patch(Rectangle((vx, vy + q), cw, 1, facecolor=faces[q][0], edgecolor="0.55"))
        ax.text(vx + cw / 2, vy + q + 0.5, labels[q][0], ha="center", va="center",
                fontsize=FONT)
    for a in ax.patches[before[0]:] + ax.texts[before[1]:]:
        a.set_gid("vector")
    ax.text(vx + cw / 2, vy - 0.25, f"pixel {(pi, pj)}\n{c_in} channels", ha="center",
            va="bottom", fontsize=FONT, gid="vector-label")
    ax.text(vx + cw + 0.55, vy + c_in / 2, "×", ha="center", va="center", fontsize=14)
    for k in range(c_out):
        color = KERNEL_COLORS[k % len(KERNEL_COLORS)]
        for q in range(c_in):
            ax.add_patch(Rectangle((wx + k * cw, vy + q), cw, 1, facecolor=_light(color, 0.2),
                                   edgecolor="0.55", gid="kernel"))
            ax.text(wx + (k + 0.5) * cw, vy + q + 0.5, fmt.format(w[q, k]), ha="center",
                    va="center", fontsize=FONT, gid="kernel")
        ax.add_patch(Rectangle((wx + k * cw, vy + c_in + 0.5), cw, 1, facecolor=_light(color, 0.6),
                               edgecolor="black", lw=1.2, gid="output"))
        ax.text(wx + (k + 0.5) * cw, vy + c_in + 1.0, fmt.format(out[k]), ha="center",
                va="center", fontsize=FONT, gid="output")
    ax.text(wx + c_out * cw / 2, vy - 0.25, f"kernel {c_in}×{c_out}", ha="center", va="bottom",
            fontsize=FONT, gid="kernel-label")
    ax.text(wx + c_out * cw + 0.15, vy + c_in + 1.0, r"$\Sigma_c\ x_c\, w_{c,k}$:" "\neach column\nsummed", ha="left",
            va="center", fontsize=FONT)
    out_colors = [_light(KERNEL_COLORS[k % len(KERNEL_COLORS)], 0.35) for k in range(c_out)]
    out_y = top + (body - out_extent) / 2
    corners = _sheets(ax, ox, out_y, h, wd, c_out, step_out, cell=cell, colors=out_colors,
                      grid=False, gid="output-stack")
    ax.text(ox + out_extent / 2, out_y - 0.25, f"output {h}×{wd}×{c_out}", ha="center",
            va="bottom", fontsize=FONT, gid="output-stack-label")
    mark(corners, "white")
    _arrow(ax, (in_corners[0][0] + (pj + 0.5) * cell + 0.2, in_corners[0][1] + (pi + 0.5) * cell),
           (vx - 0.2, vy + c_in / 2), color=FIRST)
    _arrow(ax, (wx + c_out * cw / 2, vy + c_in + 1.6),
           (corners[0][0] + (pj + 0.5) * cell, corners[0][1] + (pi + 0.5) * cell + dot / 2),
           connectionstyle="arc3,rad=0.3")
    fig.suptitle(title, fontsize=11, y=0.99, va="top")
    return fig


# --- (d) the batched convolution's shapes --------------------------------------------------
def _cuboid(ax, x, y, w, h, d, color, gid):
    """A box with its front face w×h at (x, y) (y up) and depth d drawn up and right."""
    dx, dy = d * 0.7, d * 0.5
    ax.add_patch(Rectangle((x, y), w, h, facecolor=_light(color, 0.45), edgecolor="0.25",
                           lw=0.9, gid=gid))
    ax.add_patch(Polygon([(x, y + h), (x + dx, y + h + dy), (x + w + dx, y + h + dy),
                          (x + w, y + h)], facecolor=_light(color, 0.25), edgecolor="0.25",
                         lw=0.9, gid=gid))
    ax.add_patch(Polygon([(x + w, y), (x + w + dx, y + dy), (x + w + dx, y + h + dy),
                          (x + w, y + h)], facecolor=_light(color, 0.65), edgecolor="0.25",
                         lw=0.9, gid=gid))
    return dx, dy


@named
def show_batched_conv(input_shape=(100, 28, 28, 1), kernel_shape=(5, 5, 1, 30), strides=1,
                      padding="valid", title=None):
    """A batched convolution as blocks, ``(N, H, W, C) ∗ (FH, FW, C, FN) → (N, OH, OW, FN)``,
    and below it the im2col product that computes it:
    ``(N·OH·OW, FH·FW·C) @ (FH·FW·C, FN) = (N·OH·OW, FN)``.

    The sizes that must agree share a colour: C (input and kernels), FN (kernels and
    output channels), N (input and output). At most three images and kernels are drawn.
    """
    for name, shape in (("input_shape", input_shape), ("kernel_shape", kernel_shape)):
        if not isinstance(shape, (tuple, list)) or len(shape) != 4:
            form = "(N, H, W, C)" if name == "input_shape" else "(FH, FW, C, FN)"
            raise ArgumentError(f"{name} must be 4 sizes {form}, got {shape!r}")
    n, h, wd, c = (whole(v, "input_shape") for v in input_shape)
    fh, fw, kc, fn = (whole(v, "kernel_shape") for v in kernel_shape)
    if kc != c:
        raise ArgumentError(f"the input has C = {c} channels but kernel_shape expects {kc}; "
                            f"kernels of shape ({fh}, {fw}, {c}, {fn}) fit")
    sh, sw = pair(strides, "strides")
    oh = sizes.conv_output_size(h, fh, sh, padding)
    ow = sizes.conv_output_size(wd, fw, sw, padding)
    k = fh * fw * c

    c_n, c_c, c_f = "tab:green", "tab:blue", "tab:orange"
    width, bottom, height = 13.0, 0.5, 8.6
    drawn = 0.96 * MAX_WIDTH  # the labels at the right edge reach a little past the axes
    fig, ax = subplots(figsize=(drawn, drawn * (height - bottom) / width))
    fig.patch.set_facecolor("white")
    ax.set_xlim(0, width)
    ax.set_ylim(bottom, height)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.subplots_adjust(0, 0, 1, 1)
    big = max(h, wd, oh, ow)

    def side(v):
        return max(0.5, 1.8 * v / big)

    def depth(v):
        return min(1.0, 0.15 + 0.2 * np.log2(max(v, 1)))

    def group(x0, count, hh, ww, dd, color, gid, labels):
        """Up to three boxes, the later ones behind (up and left); labels name H, W, the
        depth and the count."""
        shown = min(count, 3)
        bw, bh, d = side(ww), side(hh), depth(dd)
        y0, lag = 4.5, 0.3
        for i in reversed(range(shown)):
            ddx, ddy = _cuboid(ax, x0 - i * lag, y0 + i * lag, bw, bh, d, color, gid)
        ax.text(x0 + bw / 2, y0 - 0.12, labels[1], ha="center", va="top", fontsize=FONT)
        ax.text(x0 + bw + ddx + 0.08, y0 + bh / 2, labels[0], ha="left", va="center",
                fontsize=FONT)
        ax.text(x0 + bw + ddx / 2 + 0.1, y0 + bh + ddy + 0.08, labels[2][0], ha="left",
                va="bottom", fontsize=FONT, color=labels[2][1])
        ax.text(x0 + bw / 2, y0 + bh + (shown - 1) * lag + ddy + 0.45, labels[3][0],
                ha="center", va="bottom", fontsize=FONT, color=labels[3][1])
        right = x0 + bw + ddx + 0.1 + 0.16 * max(len(labels[0]), len(labels[2][0]))
        return x0 + bw / 2, x0 - (shown - 1) * lag, right

    xs = [1.3, 5.6, 9.7]
    groups = [
        group(xs[0], n, h, wd, c, c_c, "input",
              [f"H = {h}", f"W = {wd}", (f"C = {c}", c_c), (f"N = {n} images", c_n)]),
        group(xs[1], fn, fh, fw, c, c_f, "kernels",
              [f"FH = {fh}", f"FW = {fw}", (f"C = {c}", c_c), (f"FN = {fn} kernels", c_f)]),
        group(xs[2], n, oh, ow, fn, c_n, "output",
              [f"OH = {oh}", f"OW = {ow}", (f"FN = {fn}", c_f), (f"N = {n} images", c_n)]),
    ]
    centres = [g[0] for g in groups]
    names = ["input (N, H, W, C)", "kernels (FH, FW, C, FN)", "output (N, OH, OW, FN)"]
    shapes = [(n, h, wd, c), (fh, fw, c, fn), (n, oh, ow, fn)]
    for cx, name, shape in zip(centres, names, shapes):
        ax.text(cx, 3.95, f"{name}\n= {shape}", ha="center", va="top", fontsize=FONT,
                gid="tensor-label")
    for before, after, op in zip(groups, groups[1:], ["∗", "→"]):
        ax.text((before[2] + after[1]) / 2, 5.3, op, ha="center", va="center", fontsize=16)

    # the same product as matrices, below
    m = n * oh * ow
    mats = [(f"cols (N·OH·OW, FH·FW·C)\n= ({m:,}, {k})", 0.45, 1.1, c_c),
            (f"kernels (FH·FW·C, FN)\n= ({k}, {fn})", 0.8, 0.7, c_f),
            (f"product (N·OH·OW, FN)\n= ({m:,}, {fn})", 0.8, 1.1, c_n)]
    for i, ((text, mw, mh, color), cx) in enumerate(zip(mats, centres)):
        ax.add_patch(Rectangle((cx - mw / 2, 2.55 - mh), mw, mh, facecolor=_light(color, 0.45),
                               edgecolor="0.25", gid="matrix"))
        ax.text(cx, 1.3, text, ha="center", va="top", fontsize=FONT, gid="matrix-label")
        if i < 2:
            ax.text((cx + centres[i + 1]) / 2, 2.1, "@" if i == 0 else "=", ha="center",
                    va="center", fontsize=14)
    for cx, word in zip(centres, ["im2col ↓", "reshape ↓", "reshape ↑"]):
        ax.text(cx, 2.95, word, ha="center", va="center", fontsize=FONT, color="0.35",
                style="italic")
    fig.suptitle(title or "a batched convolution: (N, H, W, C) ∗ (FH, FW, C, FN) "
                 "→ (N, OH, OW, FN)", fontsize=11, y=0.99, va="top")
    return fig
