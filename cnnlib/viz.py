"""Figures for the book: images, kernels, feature maps, sliding windows, curves.

Every function draws one figure and returns it; in a notebook end the line
with ``;`` so that the figure is shown once. Arrays follow Keras's layout:
images ``(H, W)`` or ``(H, W, C)``, batches ``(N, H, W[, C])``, kernels
``(FH, FW, C_in, C_out)``, feature maps ``(H, W, C)``.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

__all__ = [
    "show_images",
    "show_feature_maps",
    "show_kernels",
    "show_sliding_window",
    "show_grid",
    "plot_history",
    "plot_probabilities",
]


def _grid(n: int, ncols: int, size: float = 1.4, title_space: float = 0.0):
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(size * ncols, size * nrows + title_space), squeeze=False
    )
    for ax in axes.flat:
        ax.axis("off")
    return fig, axes.flat


def _as_batch(images, name: str) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim == 2:
        images = images[None]
    if images.ndim not in (3, 4):
        raise ValueError(
            f"{name}: images must be (N, H, W), (N, H, W, 1|3) or one (H, W) image, "
            f"got shape {images.shape}"
        )
    return images


def show_images(images, labels=None, class_names=None, predictions=None, ncols: int = 8,
                title: str | None = None, cmap: str = "gray_r", size: float = 1.4):
    """A grid of images with their labels (as class names when given).

    images: (N, H, W) or (N, H, W, C); labels, predictions: (N,) integers.
    A prediction that differs from the label is written in red.
    """
    images = _as_batch(images, "show_images")
    n = len(images)
    if labels is not None and len(labels) != n:
        raise ValueError(f"show_images: {len(labels)} labels for {n} images")
    fig, axes = _grid(n, ncols, size, 0.4 if title else 0.0)

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
                color = "tab:red"
        if parts:
            ax.set_title(" ".join(parts), fontsize=8, color=color)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_feature_maps(maps, ncols: int = 8, title: str | None = None, cmap: str = "viridis",
                      size: float = 1.4, names=None):
    """Each channel of a feature map as a picture.

    maps: (H, W, C) or (1, H, W, C). Each channel gets its own colour scale, so
    the pattern shows even where the values are small.
    """
    maps = np.asarray(maps)
    if maps.ndim == 4 and maps.shape[0] == 1:
        maps = maps[0]
    if maps.ndim != 3:
        raise ValueError(f"show_feature_maps: maps must be (H, W, C), got shape {maps.shape}")
    c = maps.shape[-1]
    fig, axes = _grid(c, ncols, size, 0.4 if title else 0.0)
    for k, ax in zip(range(c), axes):
        ax.imshow(maps[..., k], cmap=cmap)
        ax.set_title(names[k] if names is not None else f"map {k}", fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_kernels(kernel, channel: int = 0, ncols: int = 8, title: str | None = None,
                 size: float = 1.2):
    """The kernels of a conv layer, one picture each (blue negative, red positive).

    kernel: (FH, FW, C_in, C_out) as in Keras; ``channel`` picks the input
    channel shown.
    """
    kernel = np.asarray(kernel)
    if kernel.ndim == 2:
        kernel = kernel[:, :, None, None]
    if kernel.ndim != 4:
        raise ValueError(
            f"show_kernels: kernel must be (FH, FW, C_in, C_out), got shape {kernel.shape}"
        )
    if not 0 <= channel < kernel.shape[2]:
        raise ValueError(
            f"show_kernels: channel must be in 0..{kernel.shape[2] - 1}, got {channel}"
        )
    c_out = kernel.shape[3]
    fig, axes = _grid(c_out, ncols, size, 0.4 if title else 0.0)
    for k, ax in zip(range(c_out), axes):
        w = kernel[:, :, channel, k]
        lim = float(np.abs(w).max()) or 1.0
        ax.imshow(w, cmap="RdBu_r", vmin=-lim, vmax=lim)
        ax.set_title(f"kernel {k}", fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_grid(ax, values, highlight=None, color="tab:orange", fmt="{:g}", cmap="Greys",
              title=None, shade=True):
    """Draw a small 2-D array on ``ax`` as a grid of numbered cells.

    highlight: ``(row, col, height, width)`` of a window to outline.
    """
    values = np.asarray(values)
    if values.ndim != 2:
        raise ValueError(f"show_grid: values must be 2-D, got shape {values.shape}")
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


def show_sliding_window(x, kernel, out, positions, stride: int = 1):
    """The kernel at a few positions of the input, and the output cell each one fills.

    x: (H, W) input; kernel: (FH, FW); out: (OH, OW) the convolution's output;
    positions: output coordinates ``[(i, j), ...]``, one row of panels each.
    """
    x, kernel, out = np.asarray(x), np.asarray(kernel), np.asarray(out)
    fh, fw = kernel.shape
    fig, axes = plt.subplots(len(positions), 3, figsize=(9, 3.1 * len(positions)),
                             squeeze=False,
                             gridspec_kw={"width_ratios": [x.shape[1], fw, out.shape[1]]})
    for row, (i, j) in zip(axes, positions):
        window = x[i * stride:i * stride + fh, j * stride:j * stride + fw]
        show_grid(row[0], x, highlight=(i * stride, j * stride, fh, fw), title="input")
        show_grid(row[1], kernel, title="kernel", cmap="Blues")
        terms = " + ".join(f"{a:g}·{b:g}" if b >= 0 else f"{a:g}·({b:g})"
                           for a, b in zip(window.ravel(), kernel.ravel()))
        show_grid(row[2], out, highlight=(i, j, 1, 1), title=f"output[{i}, {j}]")
        row[1].set_xlabel(f"sum of {fh * fw} products\n= {float((window * kernel).sum()):g}",
                          fontsize=9)
        row[0].set_xlabel(terms if len(terms) < 70 else terms[:67] + "…", fontsize=7)
    fig.tight_layout()
    return fig


def plot_history(history, metrics=("loss", "accuracy"), title: str | None = None):
    """Learning curves: training and validation, one panel per metric.

    history: a Keras ``History`` or its ``.history`` dict (as cnnlib's training
    loop returns), with keys like ``loss`` and ``val_loss``.
    """
    hist = history.history if hasattr(history, "history") else history
    if not isinstance(hist, dict):
        raise ValueError(
            f"plot_history: expected a Keras History or a dict of lists, got {type(history).__name__}"
        )
    metrics = [m for m in metrics if m in hist]
    if not metrics:
        raise ValueError(f"plot_history: none of the metrics found; keys are {sorted(hist)}")
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.8 * len(metrics), 3.4), squeeze=False)
    for ax, m in zip(axes[0], metrics):
        epochs = np.arange(1, len(hist[m]) + 1)
        ax.plot(epochs, hist[m], "o-", label="training")
        if f"val_{m}" in hist:
            ax.plot(epochs, hist[f"val_{m}"], "s--", label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(m)
        ax.set_title(m)
        if len(epochs) < 25:
            ax.set_xticks(epochs)
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_probabilities(probabilities, class_names, true_label=None, image=None,
                       title: str | None = None):
    """A bar chart of one prediction's class probabilities, labelled by class name.

    probabilities: (classes,); class_names: one name per class, in index order
    (index 0 is the first class — not "class 1"). The true class is outlined.
    """
    p = np.asarray(probabilities, dtype=float).ravel()
    if len(class_names) != len(p):
        raise ValueError(
            f"plot_probabilities: {len(class_names)} class names for {len(p)} probabilities"
        )
    ncols = 2 if image is not None else 1
    fig, axes = plt.subplots(1, ncols, figsize=(3 + 6 * ncols / 2 + 1, 3.4), squeeze=False,
                             gridspec_kw={"width_ratios": [1, 3] if image is not None else [1]})
    ax = axes[0][-1]
    if image is not None:
        axes[0][0].imshow(np.squeeze(image), cmap="gray_r")
        axes[0][0].axis("off")
        if true_label is not None:
            axes[0][0].set_title(f"true: {class_names[int(true_label)]}", fontsize=9)
    best = int(p.argmax())
    colors = ["tab:blue"] * len(p)
    colors[best] = "tab:orange"
    bars = ax.barh(np.arange(len(p)), p, color=colors)
    if true_label is not None:
        bars[int(true_label)].set_edgecolor("black")
        bars[int(true_label)].set_linewidth(2)
    ax.set_yticks(np.arange(len(p)), [f"{i}: {n}" for i, n in enumerate(class_names)], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("predicted probability")
    ax.set_title(title or f"prediction: {class_names[best]} ({p[best]:.1%})", fontsize=10)
    fig.tight_layout()
    return fig
