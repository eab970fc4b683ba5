"""Figures of how a trained classifier does and what it looks at.

* :func:`plot_probabilities`     — one prediction's class probabilities as bars;
* :func:`plot_confusion_matrix`  — the confusion matrix as a heat map, counts written in;
* :func:`show_confused_examples` — for each (true, predicted) pair, images mistaken that way;
* :func:`show_activations`       — layer by layer, the first feature maps of one input;
* :func:`show_saliency`, :func:`show_occlusion` — a saliency or occlusion map beside the
  image and drawn over it.

The numbers come from elsewhere and nothing is computed here: confusion matrices and
most-confused pairs from :mod:`cnnlib.metrics`; activations, saliency and occlusion
maps from :mod:`cnnlib.explain`. Every function draws one figure and returns it (end
the line with ``;`` in a notebook). Class indices start at 0.
"""

from __future__ import annotations

import numpy as np

from ..explain import one_image
from ..metrics import class_indices, counts_matrix
from ..validate import ArgumentError, named, whole
from .style import finish, subplots

__all__ = [
    "plot_probabilities",
    "plot_confusion_matrix",
    "show_confused_examples",
    "show_activations",
    "show_saliency",
    "show_occlusion",
]


@named
def plot_probabilities(probabilities, class_names, true_label=None, image=None,
                       title: str | None = None):
    """A bar chart of one prediction's class probabilities, labelled by class name.

    probabilities: (classes,); class_names: one name per class, in index order
    (index 0 is the first class — not "class 1"). The true class is outlined; the image,
    when given, is drawn beside the bars.
    """
    p = np.asarray(probabilities, dtype=float).ravel()
    if len(class_names) != len(p):
        raise ArgumentError(f"{len(class_names)} class names for {len(p)} probabilities")
    if true_label is not None:
        true_label = class_indices([true_label], "true_label", len(p))[0]
    ncols = 2 if image is not None else 1
    fig, axes = subplots(1, ncols, figsize=(3 + 6 * ncols / 2 + 1, 3.4), squeeze=False,
                             gridspec_kw={"width_ratios": [1, 3] if image is not None else [1]})
    ax = axes[0][-1]
    if image is not None:
        axes[0][0].imshow(np.squeeze(image), cmap="gray_r")
        axes[0][0].axis("off")
        if true_label is not None:
            axes[0][0].set_title(f"true: {class_names[true_label]}", fontsize=9)
    best = int(p.argmax())
    colors = ["tab:blue"] * len(p)
    colors[best] = "tab:orange"
    bars = ax.barh(np.arange(len(p)), p, color=colors)
    if true_label is not None:
        bars[true_label].set_edgecolor("black")
        bars[true_label].set_linewidth(2)
    ax.set_yticks(np.arange(len(p)), [f"{i}: {n}" for i, n in enumerate(class_names)], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("predicted probability")
    ax.set_title(title or f"prediction: {class_names[best]} ({p[best]:.1%})", fontsize=10)
    return finish(fig)


@named
def plot_confusion_matrix(cm, class_names, title: str | None = None, normalize: bool = False):
    """The confusion matrix as a heat map, counts written in the cells.

    cm: (K, K) from :func:`cnnlib.metrics.confusion_matrix`; class_names: K names in
    index order. normalize: show each row as fractions of its true class instead of counts.
    """
    cm = counts_matrix(cm)
    k = cm.shape[0]
    if len(class_names) != k:
        raise ArgumentError(f"{len(class_names)} class names for a {k}×{k} cm")
    values = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1) if normalize else cm
    fig, ax = subplots(figsize=(1.0 + 0.62 * k, 0.8 + 0.55 * k))
    # A log-like colour scale so that the mistakes show beside the large diagonal.
    shown = np.log1p(values * (100 if normalize else 1))
    ax.imshow(shown, cmap="Blues")
    high = shown.max() / 2 if shown.max() > 0 else 1
    for i in range(k):
        for j in range(k):
            text = f"{values[i, j]:.2f}" if normalize else f"{int(values[i, j])}"
            ax.text(j, i, text, ha="center", va="center", fontsize=7,
                    color="white" if shown[i, j] > high else "black")
    ticks = [f"{i}: {n}" for i, n in enumerate(class_names)]
    ax.set_xticks(range(k), ticks, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(k), ticks, fontsize=8)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title or ("confusion matrix (row fractions)" if normalize else "confusion matrix"))
    return finish(fig)


@named
def show_confused_examples(images, y_true, y_pred, pairs, class_names, per_pair: int = 6,
                           size: float = 1.3, cmap: str = "gray_r"):
    """For each ``(true, predicted)`` pair, a row of images the model got wrong that way.

    images: (N, H, W) or (N, H, W, 1); y_true, y_pred: (N,) class indices;
    pairs: ``[(true, predicted), ...]`` or :func:`cnnlib.metrics.most_confused`'s triples.
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 3:
        raise ArgumentError(f"images must be (N, H, W) or (N, H, W, 1), got {images.shape}")
    k = len(class_names)
    t = class_indices(y_true, "y_true", k)
    p = class_indices(y_pred, "y_pred", k)
    if not len(images) == len(t) == len(p):
        raise ArgumentError(f"{len(images)} images, {len(t)} labels "
                            f"and {len(p)} predictions; they must match")
    pairs = [tuple(pair[:2]) for pair in pairs]
    if not pairs:
        raise ArgumentError("pairs is empty; nothing to show")
    per_pair = whole(per_pair, "per_pair")
    fig, axes = subplots(len(pairs), per_pair,
                             figsize=(size * per_pair, size * len(pairs) + 0.3), squeeze=False)
    for row, (a, b) in zip(axes, pairs):
        found = np.flatnonzero((t == a) & (p == b))
        for ax in row:
            ax.axis("off")
        for ax, i in zip(row, found[:per_pair]):
            ax.imshow(images[i], cmap=cmap)
        row[0].set_title(f"true {class_names[a]} → predicted {class_names[b]} "
                         f"({len(found)} such)", fontsize=9, loc="left")
    return finish(fig)


@named
def show_activations(acts: dict, max_channels: int = 8, title: str | None = None,
                     size: float = 1.3):
    """Layer by layer: one row per layer, its first ``max_channels`` maps as pictures.

    acts: ``{layer name: (H, W, C) array}`` as :func:`cnnlib.explain.activations`
    returns; flat (units,) outputs are skipped. Each picture has its own colour scale.
    """
    rows = [(name, a) for name, a in acts.items() if np.ndim(a) == 3]
    if not rows:
        raise ArgumentError("no (H, W, C) activations to draw; "
                            "pass the outputs of conv or pooling layers")
    max_channels = whole(max_channels, "max_channels")
    ncols = min(max_channels, max(a.shape[-1] for _, a in rows))
    fig, axes = subplots(len(rows), ncols, figsize=(size * ncols + 1.2, size * len(rows)
                                                        + (0.5 if title else 0.1)),
                             squeeze=False)
    for (name, a), row in zip(rows, axes):
        for k, ax in enumerate(row):
            ax.set_xticks([])
            ax.set_yticks([])
            if k < a.shape[-1]:
                ax.imshow(a[..., k], cmap="viridis")
            else:
                ax.axis("off")
            if k == 0:
                ax.set_ylabel(f"{name}\n{a.shape[0]}×{a.shape[1]}×{a.shape[2]}", fontsize=8)
        for k in range(min(ncols, a.shape[-1])):
            row[k].set_title(f"ch {k}", fontsize=7)
    return finish(fig, title)


def _overlay(image, heat, name, title, label, cmap, symmetric, colorbar_label):
    img = one_image(image)
    heat = np.asarray(heat, dtype=float)
    if heat.shape != img.shape[:2]:
        raise ArgumentError(f"{name} must have the image's shape {img.shape[:2]}, "
                            f"got {heat.shape}")
    fig, axes = subplots(1, 3, figsize=(9.6, 3.4))
    axes[0].imshow(np.squeeze(img), cmap="gray_r")
    axes[0].set_title("input" if label is None else f"input (label {label})", fontsize=10)
    axes[0].axis("off")
    lim = float(np.abs(heat).max()) or 1.0
    vmin = -lim if symmetric else 0.0
    im = axes[1].imshow(heat, cmap=cmap, vmin=vmin, vmax=lim)
    axes[1].set_title("map", fontsize=10)
    axes[1].axis("off")
    fig.colorbar(im, ax=axes[1], fraction=0.046, pad=0.04, label=colorbar_label)
    axes[2].imshow(np.squeeze(img), cmap="gray_r")
    axes[2].imshow(heat, cmap=cmap, vmin=vmin, vmax=lim, alpha=0.6)
    axes[2].set_title("map over the digit", fontsize=10)
    axes[2].axis("off")
    return finish(fig, title)


@named
def show_saliency(image, saliency_map, title: str = "gradient saliency", label=None):
    """The image, its saliency map (H, W), and the map drawn over the image.

    saliency_map: from :func:`cnnlib.explain.saliency`.
    """
    return _overlay(image, saliency_map, "saliency_map", title, label, "hot_r", False,
                    "|∂ p / ∂ pixel|")


@named
def show_occlusion(image, occlusion_map, title: str = "occlusion map", label=None,
                   target=None):
    """The image, its occlusion map (H, W) (red: hiding it lowers p), and the overlay.

    occlusion_map: from :func:`cnnlib.explain.occlusion`; target: the class whose
    probability the map watched (default: the true class).
    """
    what = "true class" if target is None else f"class {target}"
    return _overlay(image, occlusion_map, "occlusion_map", title, label, "RdBu_r", True,
                    f"drop in p({what})")
