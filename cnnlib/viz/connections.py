"""Schematic drawings of what one unit is wired to, on small grids of cells.

* :func:`dense_vs_conv`  — a dense unit sees every pixel, a conv unit one window
  (its receptive field);
* :func:`weight_sharing` — one kernel, the same weights, at several positions;
* :func:`shuffle_grid`   — where a fixed pixel shuffle sends a neighbourhood's pixels.

The images before and after such a shuffle are :func:`cnnlib.viz.images.shuffled_images`;
windows moving with stride and padding are in :mod:`cnnlib.viz.schematics`. Every
function draws one figure and returns it (end the line with ``;`` in a notebook).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle

from ..validate import ArgumentError, named, pair, whole
from .style import FIRST, LINKED, cells, finish, frame, outline, subplots

__all__ = ["dense_vs_conv", "weight_sharing", "shuffle_grid"]


def _grid_and_kernel(size, kernel) -> tuple[int, int]:
    size = whole(size, "size", minimum=2)
    kernel = whole(kernel, "kernel")
    if kernel > size:
        raise ArgumentError(f"kernel {kernel} is larger than the {size}×{size} grid; "
                            f"use kernel <= {size}")
    return size, kernel


def _corner(position, name: str, largest: int) -> tuple[int, int]:
    """A window's top-left cell ``(row, col)``, each in ``0..largest``."""
    if not (isinstance(position, (tuple, list)) and len(position) == 2):
        raise ArgumentError(f"{name} must be a (row, col) pair, got {position!r}")
    r, c = pair(position, name, minimum=0)
    if r > largest or c > largest:
        raise ArgumentError(f"the window at {name} = {tuple(position)!r} runs off the grid; "
                            f"row and col must be in 0..{largest}")
    return r, c


@named
def dense_vs_conv(size: int = 6, kernel: int = 3, position=(1, 2)):
    """A dense unit's connections next to a convolutional unit's.

    Left: one unit of a dense layer is wired to all ``size·size`` pixels. Right: one
    unit of a convolution is wired to the ``kernel×kernel`` window at ``position``
    (its top-left cell, (row, col)) — its receptive field. Two axes.
    """
    size, kernel = _grid_and_kernel(size, kernel)
    r0, c0 = _corner(position, "position", size - kernel)
    fig, axes = subplots(1, 2, figsize=(9, 3.6))
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
            colors[r][c] = LINKED
        cells(ax, size, size, colors)
        for r, c in linked:
            ax.plot([c + 0.5, unit[0]], [r + 0.5, unit[1]], color=FIRST, lw=0.6, alpha=0.7)
        ax.add_patch(Circle(unit, 0.45, facecolor=FIRST, edgecolor="black", zorder=3))
        ax.text(unit[0], unit[1] + 0.95, "one\nunit", ha="center", va="top", fontsize=8)
        frame(ax, size + 3, size)
        ax.set_title(title, fontsize=10)
    return finish(fig)


@named
def weight_sharing(size: int = 6, kernel: int = 3, positions=((0, 0), (2, 3))):
    """One kernel applied at several positions: the same weights everywhere.

    Three axes: the kernel (its ``kernel·kernel`` weights, each its own colour), the
    input with the kernel's windows at ``positions`` (top-left cells, stride 1,
    no padding) painted with those same colours, and the output map with the
    cell each window fills.
    """
    size, kernel = _grid_and_kernel(size, kernel)
    out = size - kernel + 1
    if len(positions) == 0:
        raise ArgumentError("positions must list at least one (row, col) pair")
    spots = [_corner(p, f"positions[{i}]", out - 1) for i, p in enumerate(positions)]
    cmap = plt.get_cmap("tab20" if kernel * kernel > 10 else "tab10")
    weight_color = [[cmap((i * kernel + j) % cmap.N) for j in range(kernel)]
                    for i in range(kernel)]
    names = [[f"w{i * kernel + j + 1}" for j in range(kernel)] for i in range(kernel)]
    fig, axes = subplots(1, 3, figsize=(10, 3.6),
                             gridspec_kw={"width_ratios": [kernel + 1, size + 1, out + 1]})
    cells(axes[0], kernel, kernel, weight_color, names, y0=(size - kernel) / 2)
    frame(axes[0], kernel, size)
    axes[0].set_title(f"one kernel:\n{kernel * kernel} weights", fontsize=10)
    colors = [["white"] * size for _ in range(size)]
    labels = [[""] * size for _ in range(size)]
    for r0, c0 in spots:
        for i in range(kernel):
            for j in range(kernel):
                colors[r0 + i][c0 + j] = weight_color[i][j]
                labels[r0 + i][c0 + j] = names[i][j]
    cells(axes[1], size, size, colors, labels, fontsize=7)
    out_colors = [["white"] * out for _ in range(out)]
    for r0, c0 in spots:
        outline(axes[1], r0, c0, kernel, kernel, "black", lw=2)
        out_colors[r0][c0] = "0.75"
    frame(axes[1], size, size)
    axes[1].set_title(f"input {size}×{size}: the same weights\nat {len(spots)} positions",
                      fontsize=10)
    cells(axes[2], out, out, out_colors, y0=(size - out) / 2)
    frame(axes[2], out, size)
    axes[2].set_title(f"output {out}×{out}: one value\nper position", fontsize=10)
    return finish(fig)


@named
def shuffle_grid(size: int = 6, permutation=None, window=(1, 1), kernel: int = 3, seed: int = 0):
    """Where a fixed pixel shuffle sends the pixels of one neighbourhood.

    Each cell shows its pixel's number (row-major index). Left: the original grid
    with a ``kernel×kernel`` window at ``window`` (top-left cell). Right: the same
    pixels after ``permutation`` (new pixel ``i`` = old pixel ``permutation[i]``;
    a random one from ``seed`` when None): the window's pixels, coloured, end up
    scattered. Two axes.
    """
    size, kernel = _grid_and_kernel(size, kernel)
    n = size * size
    perm = (np.random.default_rng(seed).permutation(n) if permutation is None
            else np.asarray(permutation))
    if perm.shape != (n,) or not np.array_equal(np.sort(perm), np.arange(n)):
        raise ArgumentError(f"permutation must be a permutation of 0..{n - 1} (one entry per "
                            f"cell of the {size}×{size} grid), got shape {perm.shape}")
    r0, c0 = _corner(window, "window", size - kernel)
    inside = {(r0 + i) * size + c0 + j for i in range(kernel) for j in range(kernel)}
    before = np.arange(n).reshape(size, size)
    after = perm.reshape(size, size)
    fig, axes = subplots(1, 2, figsize=(8, 4))
    for ax, grid, title in [(axes[0], before, "original: a neighbourhood"),
                            (axes[1], after, "shuffled: the same pixels, scattered")]:
        colors = [[LINKED if grid[r, c] in inside else "white" for c in range(size)]
                  for r in range(size)]
        cells(ax, size, size, colors, grid.tolist(), fontsize=9)
        frame(ax, size, size)
        ax.set_title(title, fontsize=10)
    outline(axes[0], r0, c0, kernel, kernel, FIRST)
    outline(axes[1], r0, c0, kernel, kernel, FIRST, ls="--")
    return finish(fig)
