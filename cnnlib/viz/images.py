"""Pictures of arrays: images, feature maps, kernels, and images with shuffled pixels.

* :func:`show_images` — a grid of images with their labels (and predictions);
* :func:`show_feature_maps` — each channel of a feature map as a picture;
* :func:`show_kernels` — a conv layer's kernels, blue negative and red positive;
* :func:`shuffled_images` — images and the same images after one fixed pixel shuffle.

A diverging colour map (``RdBu_r``, ``coolwarm``, ...) always gets a range symmetric about
zero, ``±max|x|`` (:func:`symmetric_limits`), shared by the pictures a figure compares, so
that red is positive and blue negative in every panel and the same colour is the same value.

Arrays follow Keras's layout: images ``(H, W)`` or ``(H, W, C)``, batches
``(N, H, W[, C])``, kernels ``(FH, FW, C_in, C_out)``, feature maps ``(H, W, C)``.
Every function draws one figure and returns it (end the line with ``;`` in a notebook).
"""

from __future__ import annotations

import numpy as np

from ..validate import ArgumentError, named, whole
from .style import MAX_WIDTH, MIN_FONT_SIZE, WRONG, axes_grid, finish, subplots

__all__ = ["show_images", "show_feature_maps", "show_kernels", "shuffled_images",
           "is_diverging", "symmetric_limits"]

_DIVERGING = ("rdbu", "coolwarm", "bwr", "seismic", "piyg", "prgn", "brbg", "puor", "rdgy",
              "rdylbu", "rdylgn", "spectral", "berlin", "managua", "vanimo")


def is_diverging(cmap) -> bool:
    """Whether ``cmap`` (a name or a Colormap) is a diverging map, with its middle at zero."""
    name = cmap if isinstance(cmap, str) else getattr(cmap, "name", "")
    return name.lower().removesuffix("_r").startswith(_DIVERGING)


def symmetric_limits(*arrays) -> tuple[float, float]:
    """``(-m, m)`` with ``m = max|x|`` over all ``arrays`` (1 when they are all zero)."""
    m = max((float(np.nanmax(np.abs(a))) for a in map(np.asarray, arrays) if a.size), default=0.0)
    m = m if np.isfinite(m) and m > 0 else 1.0
    return -m, m


def _as_batch(images) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim == 3 and images.shape[-1] in (1, 3) and min(images.shape[:2]) > 3:
        images = images[None]  # one (H, W, C) image, not H images of width C
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim == 2:
        images = images[None]
    if images.ndim not in (3, 4):
        raise ArgumentError(
            f"images must be (N, H, W), (N, H, W, 1|3) or one (H, W) image, "
            f"got shape {images.shape}")
    return images


@named
def show_images(images, labels=None, class_names=None, predictions=None, ncols: int = 8,
                title: str | None = None, cmap: str = "gray_r", size: float = 1.4):
    """A grid of images with their labels (as class names when given).

    images: (N, H, W) or (N, H, W, C); labels, predictions: (N,) integers.
    A prediction that differs from the label is written in red.
    """
    images = _as_batch(images)
    n = len(images)
    if labels is not None and len(labels) != n:
        raise ArgumentError(f"{len(labels)} labels for {n} images")
    fig, axes = axes_grid(n, whole(ncols, "ncols"), size, 0.4 if title else 0.0)

    def name(i):
        return str(class_names[i]) if class_names is not None else str(i)

    for i, ax in zip(range(n), axes):
        ax.imshow(images[i], cmap=cmap if images[i].ndim == 2 else None)
        parts, color = [], "black"
        if labels is not None:
            parts.append(name(int(labels[i])))
        if predictions is not None:
            parts.append(f"→ {name(int(predictions[i]))}")
            if labels is not None and int(predictions[i]) != int(labels[i]):
                color = WRONG
        if parts:
            ax.set_title(_fit_label(" ".join(parts), fig.get_size_inches()[0] / min(ncols, n)),
                         fontsize=MIN_FONT_SIZE, color=color)
    return finish(fig, title)


def _fit_label(text: str, panel_inches: float) -> str:
    """``text`` wrapped onto lines no wider than a panel (a Hangul syllable counts twice)."""
    room = max(4, int(panel_inches * 72 / (0.6 * MIN_FONT_SIZE)))  # characters of 9-pt text
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and sum(2 if ord(ch) > 0x1100 else 1 for ch in candidate) > room:
            lines.append(line)
            candidate = word
        line = candidate
    return "\n".join([*lines, line])


@named
def show_feature_maps(maps, ncols: int = 8, title: str | None = None, cmap: str = "viridis",
                      size: float = 1.4, names=None, shared: bool | None = None):
    """Each channel of a feature map as a picture.

    maps: (H, W, C) or (1, H, W, C); names: one title per channel (default ``map k``).
    shared: one colour scale for all channels. By default a sequential ``cmap`` gives each
    channel its own scale (the pattern shows even where the values are small), and a
    diverging one shares ``±max|x|`` over all channels: zero is the middle colour, red
    positive and blue negative in every map, the same colour the same value.
    """
    maps = np.asarray(maps)
    if maps.ndim == 4 and maps.shape[0] == 1:
        maps = maps[0]
    if maps.ndim != 3:
        raise ArgumentError(f"maps must be (H, W, C) or (1, H, W, C), got shape {maps.shape}")
    c = maps.shape[-1]
    if names is not None and len(names) != c:
        raise ArgumentError(f"{len(names)} names for {c} channels")
    diverging = is_diverging(cmap)
    shared = diverging if shared is None else bool(shared)
    fig, axes = axes_grid(c, whole(ncols, "ncols"), size, 0.4 if title else 0.0)
    for k, ax in zip(range(c), axes):
        if diverging:
            vmin, vmax = symmetric_limits(maps if shared else maps[..., k])
        elif shared:
            vmin, vmax = float(np.nanmin(maps)), float(np.nanmax(maps))
        else:
            vmin = vmax = None
        ax.imshow(maps[..., k], cmap=cmap, vmin=vmin, vmax=vmax)
        ax.set_title(names[k] if names is not None else f"map {k}", fontsize=MIN_FONT_SIZE)
    return finish(fig, title)


@named
def show_kernels(kernel, channel: int = 0, ncols: int = 8, title: str | None = None,
                 size: float = 1.2):
    """The kernels of a conv layer, one picture each (blue negative, red positive).

    kernel: (FH, FW, C_in, C_out) as in Keras, or one (FH, FW) kernel; ``channel``
    picks the input channel shown. All kernels share one range, ``±max|w|``, so the
    same colour is the same weight in every picture.
    """
    kernel = np.asarray(kernel)
    if kernel.ndim == 2:
        kernel = kernel[:, :, None, None]
    if kernel.ndim != 4:
        raise ArgumentError(f"kernel must be (FH, FW, C_in, C_out), got shape {kernel.shape}")
    channel = whole(channel, "channel", minimum=0)
    if channel >= kernel.shape[2]:
        raise ArgumentError(f"channel must be in 0..{kernel.shape[2] - 1}, got {channel}")
    c_out = kernel.shape[3]
    fig, axes = axes_grid(c_out, whole(ncols, "ncols"), size, 0.4 if title else 0.0)
    vmin, vmax = symmetric_limits(kernel[:, :, channel, :])
    for k, ax in zip(range(c_out), axes):
        ax.imshow(kernel[:, :, channel, k], cmap="RdBu_r", vmin=vmin, vmax=vmax)
        ax.set_title(f"kernel {k}", fontsize=MIN_FONT_SIZE)
    return finish(fig, title)


@named
def shuffled_images(images, permutation, labels=None, class_names=None, size: float = 1.5):
    """Images (top row) and the same images with their pixels shuffled (bottom row).

    images: (N, H, W) or (N, H, W, 1); permutation: (H·W,) — the same for every image,
    new pixel ``i`` = old pixel ``permutation[i]``. 2·N axes.
    """
    x = np.asarray(images)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 3 or len(x) == 0:
        raise ArgumentError(f"images must be (N, H, W) or (N, H, W, 1) with N >= 1, "
                            f"got shape {np.shape(images)}")
    n, h, w = x.shape
    perm = np.asarray(permutation)
    if perm.shape != (h * w,) or not np.array_equal(np.sort(perm), np.arange(h * w)):
        raise ArgumentError(f"permutation must be a permutation of 0..{h * w - 1} "
                            f"for {h}×{w} images, got shape {perm.shape}")
    if labels is not None and len(labels) != n:
        raise ArgumentError(f"{len(labels)} labels for {n} images")
    shuffled = x.reshape(n, -1)[:, perm].reshape(n, h, w)
    size = min(size, MAX_WIDTH / n)
    fig, axes = subplots(2, n, figsize=(size * n, 2 * size + 0.6), squeeze=False)
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
