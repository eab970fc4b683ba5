"""What a trained network looks at: activations, saliency and occlusion maps.

Three ways to look inside a Keras image classifier, and the figures that show them:

* :func:`activations` — the output of every layer (or of the ones named) for one
  input, through a ``keras.Model`` over the intermediate outputs;
* :func:`gradient` and :func:`saliency` — how much each pixel moves the class
  probability: ∂p_class/∂pixel, computed with ``tf.GradientTape``;
* :func:`occlusion` — cover part of the image with a grey patch, see how far the
  true class's probability drops; needs only a ``predict`` function on numpy
  arrays, so it works for any model (Keras, cnnlib's numpy nets, a lambda).

Drawing: :func:`show_activations`, :func:`show_saliency`, :func:`show_occlusion`.
Shapes follow Keras: one image is ``(H, W)`` or ``(H, W, C)``, a batch
``(N, H, W, C)``. TensorFlow is imported only inside the functions that need it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

__all__ = [
    "activations",
    "gradient",
    "saliency",
    "occlusion",
    "show_activations",
    "show_saliency",
    "show_occlusion",
]


def _image(image, func: str) -> np.ndarray:
    """One image as float32 (H, W, C); accepts (H, W), (H, W, C) or (1, H, W, C)."""
    x = np.asarray(image)
    if x.ndim == 4 and x.shape[0] == 1:
        x = x[0]
    if x.ndim == 2:
        x = x[..., None]
    if x.ndim != 3:
        raise ValueError(
            f"{func}: image must be one image of shape (H, W), (H, W, C) or (1, H, W, C), "
            f"got shape {x.shape}"
        )
    if not np.issubdtype(x.dtype, np.number) or x.dtype == np.bool_:
        raise ValueError(f"{func}: image must hold numbers, got dtype {x.dtype}")
    return x.astype(np.float32)


def _class_index(value, n_classes: int, func: str, name: str = "class_index") -> int:
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise ValueError(f"{func}: {name} must be a whole number, got {value!r}")
    if not 0 <= int(value) < n_classes:
        raise ValueError(f"{func}: {name} must be in 0..{n_classes - 1}, got {value}")
    return int(value)


def _keras_model(model, func: str):
    if not (hasattr(model, "layers") and callable(model)):
        raise ValueError(f"{func}: model must be a Keras model, got {type(model).__name__}")
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        inputs = None
    if not inputs:
        raise ValueError(
            f"{func}: the model has no defined input; build it with keras.Input(shape) "
            "as its first layer (or call it on data once)"
        )
    return model


# --- activations ---------------------------------------------------------------------------


def activations(model, image, layers=None) -> dict:
    """Every layer's output for one image: ``{layer name: array}``, in model order.

    model: a Keras model with a defined input; image: (H, W), (H, W, C) or (1, H, W, C);
    layers: names of the layers to keep (default: all). Conv and pool outputs are
    (H', W', C') arrays, flat layers (units,) arrays — the batch axis is removed.
    """
    import keras

    model = _keras_model(model, "activations")
    names = [layer.name for layer in model.layers]
    if layers is None:
        chosen = list(model.layers)
    else:
        if isinstance(layers, str):
            layers = [layers]
        unknown = [n for n in layers if n not in names]
        if unknown:
            raise ValueError(f"activations: no layer named {unknown[0]!r}; layers are {names}")
        chosen = [layer for layer in model.layers if layer.name in set(layers)]
    x = _image(image, "activations")
    expected = tuple(model.inputs[0].shape[1:])
    if len(expected) != 3 or any(e is not None and e != g for e, g in zip(expected, x.shape)):
        raise ValueError(f"activations: the model takes images of shape {expected}, got {x.shape}")
    probe = keras.Model(inputs=model.inputs[0], outputs=[layer.output for layer in chosen])
    outs = probe(x[None], training=False)
    if not isinstance(outs, (list, tuple)):
        outs = [outs]
    return {layer.name: np.asarray(out)[0] for layer, out in zip(chosen, outs)}


# --- saliency ------------------------------------------------------------------------------


def gradient(model, image, class_index=None) -> np.ndarray:
    """∂ p[class_index] / ∂ image: how the class's output moves with each pixel.

    model: Keras model (N, H, W, C) -> (N, classes); image: one image (H, W) or (H, W, C);
    class_index: the class to explain (default: the predicted one).
    Returns an (H, W, C) float32 array, signed.
    """
    import tensorflow as tf

    model = _keras_model(model, "gradient")
    x = tf.convert_to_tensor(_image(image, "gradient")[None])
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = model(x, training=False)
        if class_index is None:
            class_index = int(tf.argmax(out[0]))
        k = _class_index(class_index, int(out.shape[-1]), "gradient")
        score = out[0, k]
    return tape.gradient(score, x).numpy()[0]


def saliency(model, image, class_index=None) -> np.ndarray:
    """A gradient saliency map: |∂ p[class] / ∂ pixel|, the largest over channels.

    Same arguments as :func:`gradient`; returns an (H, W) array ≥ 0. Bright pixels
    are those where a small change would move the class probability most.
    """
    return np.abs(gradient(model, image, class_index)).max(axis=-1)


# --- occlusion -----------------------------------------------------------------------------


def _positions(size: int, patch: int, stride: int) -> list[int]:
    starts = list(range(0, size - patch + 1, stride))
    if starts[-1] != size - patch:  # let the last patch reach the border
        starts.append(size - patch)
    return starts


def occlusion(predict, image, label, patch: int = 4, stride: int = 2, fill: float = 0.5,
              batch_size: int = 256) -> np.ndarray:
    """How much hiding each part of the image lowers the probability of ``label``.

    predict: a function (N, H, W, C) float32 -> (N, classes) probabilities (a Keras
    model's ``predict``, or any numpy function); image: one image (H, W) or (H, W, C);
    label: the class whose probability is watched; a ``patch``×``patch`` square of
    value ``fill`` (0.5: grey on images in [0, 1]) slides with ``stride``.

    Returns an (H, W) map: each pixel holds the mean drop p(label | image) −
    p(label | occluded image) over the patches that covered it. Positive: hiding
    it hurt the prediction; near 0: the network did not need it.
    """
    x = _image(image, "occlusion")
    if not callable(predict):
        raise ValueError(f"occlusion: predict must be a function, got {type(predict).__name__}")
    h, w, _ = x.shape
    for name, value in (("patch", patch), ("stride", stride)):
        if isinstance(value, bool) or not hasattr(value, "__index__") or value < 1:
            raise ValueError(f"occlusion: {name} must be a whole number ≥ 1, got {value!r}")
    if patch > min(h, w):
        raise ValueError(f"occlusion: patch {patch} is larger than the image {h}×{w}")
    rows, cols = _positions(h, patch, stride), _positions(w, patch, stride)
    boxes = [(r, c) for r in rows for c in cols]
    batch = np.repeat(x[None], len(boxes), axis=0)
    for b, (r, c) in enumerate(boxes):
        batch[b, r:r + patch, c:c + patch, :] = fill
    base = np.asarray(predict(x[None]))
    label = _class_index(label, base.shape[-1], "occlusion", "label")
    probs = np.concatenate([np.asarray(predict(batch[i:i + batch_size]))
                            for i in range(0, len(batch), batch_size)])
    drops = base[0, label] - probs[:, label]
    total, count = np.zeros((h, w)), np.zeros((h, w))
    for drop, (r, c) in zip(drops, boxes):
        total[r:r + patch, c:c + patch] += drop
        count[r:r + patch, c:c + patch] += 1
    return (total / count).astype(np.float32)


# --- figures -------------------------------------------------------------------------------


def _show_digit(ax, img, title):
    ax.imshow(np.squeeze(img), cmap="gray_r")
    ax.set_title(title, fontsize=10)
    ax.axis("off")


def _overlay(image, heat, title, label, cmap, symmetric, colorbar_label):
    img = _image(image, "show")
    heat = np.asarray(heat, dtype=float)
    if heat.shape != img.shape[:2]:
        raise ValueError(f"the map must have the image's shape {img.shape[:2]}, got {heat.shape}")
    fig, axes = plt.subplots(1, 3, figsize=(9.6, 3.4))
    _show_digit(axes[0], img, "input" if label is None else f"input (label {label})")
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
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_saliency(image, saliency_map, title: str = "gradient saliency", label=None):
    """The image, its saliency map (H, W), and the map drawn over the image."""
    return _overlay(image, saliency_map, title, label, "hot_r", False,
                    "|∂ p / ∂ pixel|")


def show_occlusion(image, occlusion_map, title: str = "occlusion map", label=None,
                   target=None):
    """The image, its occlusion map (H, W) (red: hiding it lowers p), and the overlay.

    target: the class whose probability the map watched (default: the true class).
    """
    what = "true class" if target is None else f"class {target}"
    return _overlay(image, occlusion_map, title, label, "RdBu_r", True, f"drop in p({what})")


def show_activations(acts: dict, max_channels: int = 8, title: str | None = None,
                     size: float = 1.3):
    """Layer by layer: one row per layer, its first ``max_channels`` maps as pictures.

    acts: ``{layer name: (H, W, C) array}`` as :func:`activations` returns; flat
    (units,) outputs are skipped. Each picture has its own colour scale.
    """
    rows = [(name, a) for name, a in acts.items() if np.ndim(a) == 3]
    if not rows:
        raise ValueError("show_activations: no (H, W, C) activations to draw; "
                         "pass the outputs of conv or pooling layers")
    if isinstance(max_channels, bool) or not hasattr(max_channels, "__index__") or max_channels < 1:
        raise ValueError(f"show_activations: max_channels must be ≥ 1, got {max_channels!r}")
    ncols = min(max_channels, max(a.shape[-1] for _, a in rows))
    fig, axes = plt.subplots(len(rows), ncols, figsize=(size * ncols + 1.2, size * len(rows)
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
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
