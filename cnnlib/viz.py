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
from matplotlib.ticker import StrMethodFormatter

from . import sizes

__all__ = [
    "show_images",
    "show_feature_maps",
    "show_kernels",
    "show_sliding_window",
    "show_grid",
    "plot_history",
    "plot_probabilities",
    "show_pooling",
    "show_receptive_fields",
    "plot_bars",
    "plot_params",
    "show_shapes",
]


def _grid(n: int, ncols: int, size: float = 1.4, title_space: float = 0.0):
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(size * ncols, (size + 0.3) * nrows + title_space), squeeze=False
    )
    for ax in axes.flat:
        ax.axis("off")
    return fig, axes.flat


def _as_batch(images, name: str) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim == 3 and images.shape[-1] in (1, 3) and min(images.shape[:2]) > 3:
        images = images[None]  # one (H, W, C) image, not H images of width C
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


# ----------------------------------------------------------------------------
# Pooling, receptive fields, parameter counts and shapes.

_WINDOW_COLORS = ("tab:orange", "tab:blue", "tab:green", "tab:red", "tab:purple",
                  "tab:brown", "tab:pink", "tab:olive", "tab:cyan")


def show_pooling(x, pooled, pool_size: int = 2, stride: int | None = None, fmt: str = "{:g}",
                 title: str | None = None):
    """A small input split into pooling windows, and each pooled output beside it.

    x: (H, W) input; pooled: ``{name: (OH, OW) array}``, e.g. the max- and the
    average-pooled x; pool_size, stride: the windows (stride None means
    pool_size). Each window and the output cell it produces share a colour.
    """
    x = np.asarray(x)
    if x.ndim != 2:
        raise ValueError(f"show_pooling: x must be one (H, W) array, got shape {x.shape}")
    if not isinstance(pooled, dict) or not pooled:
        raise ValueError("show_pooling: pooled must be a non-empty dict {name: (OH, OW) array}")
    stride = pool_size if stride is None else stride
    oh = sizes.pool_output_size(x.shape[0], pool_size, stride)
    ow = sizes.pool_output_size(x.shape[1], pool_size, stride)
    for name, out in pooled.items():
        if np.shape(out) != (oh, ow):
            raise ValueError(f"show_pooling: pooled[{name!r}] should have shape {(oh, ow)} for "
                             f"pool {pool_size}, stride {stride} on {x.shape}, got {np.shape(out)}")
    widths = [x.shape[1]] + [ow] * len(pooled)
    fig, axes = plt.subplots(1, 1 + len(pooled), figsize=(2.2 + 0.55 * sum(widths), 3.2),
                             gridspec_kw={"width_ratios": widths})
    show_grid(axes[0], x, fmt=fmt, title=f"input {x.shape[0]}×{x.shape[1]}")
    for ax, (name, out) in zip(axes[1:], pooled.items()):
        show_grid(ax, np.asarray(out), fmt=fmt, title=f"{name}\n{oh}×{ow}")
    for i in range(oh):
        for j in range(ow):
            color = _WINDOW_COLORS[(i * ow + j) % len(_WINDOW_COLORS)]
            r, c = i * stride, j * stride
            axes[0].add_patch(Rectangle((c - 0.5, r - 0.5), pool_size, pool_size, alpha=0.25,
                                        color=color, lw=0))
            axes[0].add_patch(Rectangle((c - 0.45, r - 0.45), pool_size - 0.1, pool_size - 0.1,
                                        fill=False, lw=2, color=color))
            for ax in axes[1:]:
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, alpha=0.35, color=color, lw=0))
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_receptive_fields(stacks, image=None, input_size: int = 28, title: str | None = None,
                          size: float = 3.6):
    """How much of the input one output pixel sees, layer after layer.

    stacks: ``{name: [(kernel_size, stride), ...]}``, one panel per stack; each
    panel outlines, around the centre of the input, the receptive field after
    every layer (:func:`cnnlib.sizes.receptive_field` of the layers so far).
    image: an optional (H, W) picture drawn underneath (else a blank
    ``input_size`` grid).
    """
    if not isinstance(stacks, dict) or not stacks:
        raise ValueError("show_receptive_fields: stacks must be a non-empty dict "
                         "{name: [(kernel_size, stride), ...]}")
    if image is not None:
        image = np.squeeze(np.asarray(image))
        if image.ndim != 2:
            raise ValueError(f"show_receptive_fields: image must be (H, W), got {image.shape}")
        input_size = image.shape[0]
    longest = max(len(layers) for layers in stacks.values())
    fig, axes = plt.subplots(1, len(stacks), figsize=(size * len(stacks), size + 0.25 * longest),
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
            color = _WINDOW_COLORS[(k - 1) % len(_WINDOW_COLORS)]
            patch = Rectangle((start, start), shown, shown, fill=False, lw=2.2, color=color,
                              label=f"after layer {k} ({_layer_kind(layers[k - 1])}): "
                                    f"{field}×{field}")
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


def _layer_kind(layer) -> str:
    kernel, stride = layer
    return f"{kernel}×{kernel}" + (f", stride {stride}" if stride != 1 else "")


def plot_bars(values, labels, title: str | None = None, ylabel: str = "",
              fmt: str = "{:,.3g}", log: bool = False, horizontal: bool = False,
              colors=None):
    """A labelled bar chart with each bar's value written on it.

    values: numbers, one per bar; labels: one name per bar. log: a log scale
    (for counts that differ by orders of magnitude).
    """
    values = np.asarray(values, dtype=float).ravel()
    if len(labels) != len(values):
        raise ValueError(f"plot_bars: {len(labels)} labels for {len(values)} values")
    n = len(values)
    colors = colors or ["tab:blue"] * n
    shown = np.where(values > 0, values, np.nan) if log else values
    floor = 1.0 if log else 0.0  # where the label of an empty (zero) bar goes
    top = float(values.max()) if n and values.max() > floor else floor + 1.0
    if horizontal:
        fig, ax = plt.subplots(figsize=(7.5, 0.45 * n + 1.2))
        ax.barh(np.arange(n), shown, color=colors)
        ax.set_yticks(np.arange(n), labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel(ylabel)
        if log:
            ax.set_xscale("log")
            ax.set_xlim(floor, top * 40)
        for i, v in enumerate(values):
            ax.text(v if v > 0 else floor, i, " " + fmt.format(v), va="center", fontsize=8)
        ax.margins(x=0.25)
    else:
        fig, ax = plt.subplots(figsize=(max(4.0, 1.0 * n + 1.5), 3.6))
        ax.bar(np.arange(n), shown, color=colors)
        ax.set_xticks(np.arange(n), labels, fontsize=8)
        ax.set_ylabel(ylabel)
        if log:
            ax.set_yscale("log")
            ax.set_ylim(floor, top * 5)
        for i, v in enumerate(values):
            ax.text(i, v if v > 0 else floor, fmt.format(v), ha="center", va="bottom", fontsize=8)
        ax.margins(y=0.15)
    if not log and top >= 1000:  # 2,038,272 rather than an offset "1e6" over the axis
        axis = ax.xaxis if horizontal else ax.yaxis
        axis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.grid(alpha=0.3, axis="x" if horizontal else "y")
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def plot_params(summary, title: str | None = None):
    """Where a model's parameters are: one bar per layer (log scale), from a
    :class:`cnnlib.params.Summary`. Layers without parameters get no bar, just "0";
    a layer holding half the parameters or more is red.
    """
    rows = list(getattr(summary, "rows", summary))
    if not rows or not all(hasattr(r, "params") and hasattr(r, "name") for r in rows):
        raise ValueError("plot_params: expected a cnnlib.params.Summary (or its rows)")
    counts = [r.params for r in rows]
    total = sum(counts)
    labels = [f"{r.name}  {r.output_shape}" for r in rows]
    colors = ["tab:red" if c >= 0.5 * total else "tab:blue" for c in counts]
    fig = plot_bars(counts, labels, horizontal=True, log=True,
                    colors=colors, ylabel="parameters (log scale)", fmt="{:,.0f}",
                    title=title or f"parameters per layer (total {total:,})")
    ax = fig.axes[0]
    for text, c in zip(ax.texts, counts):
        share = "" if not (total and c) else f"  ({c / total:.0%})" if c >= 0.01 * total else "  (<1%)"
        text.set_text(f" {c:,}{share}")
    return fig


def show_shapes(summary, title: str | None = None):
    """A model's tensors from left to right: each (H, W, C) output a block whose
    height is H and whose thickness grows with C; flat vectors a thin bar.

    summary: a :class:`cnnlib.params.Summary` (its ``input_shape`` is drawn first
    when known). Each block is labelled with its shape and its layer's parameters.
    """
    rows = list(getattr(summary, "rows", summary))
    if not rows:
        raise ValueError("show_shapes: expected a cnnlib.params.Summary with at least one row")
    items = []
    input_shape = getattr(summary, "input_shape", None)
    if input_shape:
        items.append(("input", tuple(input_shape), None))
    items += [(r.name, tuple(r.output_shape), r.params) for r in rows]
    spatial = [s[0] for _, s, _ in items if len(s) == 3 and s[0]]
    tallest = max(spatial) if spatial else 1
    fig, ax = plt.subplots(figsize=(1.25 * len(items) + 0.5, 3.6))
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
    fig.tight_layout()
    return fig
