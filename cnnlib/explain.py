"""What a trained network looks at: activations, saliency and occlusion maps, computed.

Three ways to look inside a Keras image classifier:

* :func:`activations` — the output of every layer (or of the ones named) for one
  input, through a ``keras.Model`` over the intermediate outputs;
* :func:`gradient` and :func:`saliency` — how much each pixel moves the class
  probability: ∂p_class/∂pixel, computed with ``tf.GradientTape``;
* :func:`occlusion` — cover part of the image with a grey patch, see how far the
  true class's probability drops; needs only a ``predict`` function on numpy
  arrays, so it works for any model (Keras, cnnlib's numpy nets, a lambda).

Nothing here draws: the figures of these are :func:`cnnlib.viz.show_activations`,
:func:`cnnlib.viz.show_saliency` and :func:`cnnlib.viz.show_occlusion`
(:mod:`cnnlib.viz.diagnostics`). Shapes follow Keras: one image is ``(H, W)`` or
``(H, W, C)``, a batch ``(N, H, W, C)``. TensorFlow is imported only inside the
functions that need it.
"""

from __future__ import annotations

import numpy as np

from .validate import ArgumentError, named, whole

__all__ = ["activations", "gradient", "saliency", "occlusion", "one_image"]


def one_image(image, name: str = "image") -> np.ndarray:
    """One image as float32 (H, W, C); accepts (H, W), (H, W, C) or (1, H, W, C)."""
    x = np.asarray(image)
    if x.ndim == 4 and x.shape[0] == 1:
        x = x[0]
    if x.ndim == 2:
        x = x[..., None]
    if x.ndim != 3:
        raise ArgumentError(
            f"{name} must be one image of shape (H, W), (H, W, C) or (1, H, W, C), "
            f"got shape {x.shape}")
    if not np.issubdtype(x.dtype, np.number) or x.dtype == np.bool_:
        raise ArgumentError(f"{name} must hold numbers, got dtype {x.dtype}")
    return x.astype(np.float32)


def _class_index(value, n_classes: int, name: str = "class_index") -> int:
    value = whole(value, name, minimum=0)
    if value >= n_classes:
        raise ArgumentError(f"{name} must be in 0..{n_classes - 1}, got {value}")
    return value


def _keras_model(model):
    if not (hasattr(model, "layers") and callable(model)):
        raise ArgumentError(f"model must be a Keras model, got {type(model).__name__}")
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        inputs = None
    if not inputs:
        raise ArgumentError(
            "the model has no defined input; build it with keras.Input(shape) "
            "as its first layer (or call it on data once)")
    return model


# --- activations ---------------------------------------------------------------------------


@named
def activations(model, image, layers=None) -> dict:
    """Every layer's output for one image: ``{layer name: array}``, in model order.

    model: a Keras model with a defined input; image: (H, W), (H, W, C) or (1, H, W, C);
    layers: names of the layers to keep (default: all). Conv and pool outputs are
    (H', W', C') arrays, flat layers (units,) arrays — the batch axis is removed.
    """
    import keras

    model = _keras_model(model)
    names = [layer.name for layer in model.layers]
    if layers is None:
        chosen = list(model.layers)
    else:
        if isinstance(layers, str):
            layers = [layers]
        unknown = [n for n in layers if n not in names]
        if unknown:
            raise ArgumentError(f"no layer named {unknown[0]!r}; layers are {names}")
        chosen = [layer for layer in model.layers if layer.name in set(layers)]
    x = one_image(image)
    expected = tuple(model.inputs[0].shape[1:])
    if len(expected) != 3 or any(e is not None and e != g for e, g in zip(expected, x.shape)):
        raise ArgumentError(f"the model takes images of shape {expected}, got {x.shape}")
    probe = keras.Model(inputs=model.inputs[0], outputs=[layer.output for layer in chosen])
    outs = probe(x[None], training=False)
    if not isinstance(outs, (list, tuple)):
        outs = [outs]
    return {layer.name: np.asarray(out)[0] for layer, out in zip(chosen, outs)}


# --- saliency ------------------------------------------------------------------------------


@named
def gradient(model, image, class_index=None) -> np.ndarray:
    """∂ p[class_index] / ∂ image: how the class's output moves with each pixel.

    model: Keras model (N, H, W, C) -> (N, classes); image: one image (H, W) or (H, W, C);
    class_index: the class to explain (default: the predicted one).
    Returns an (H, W, C) float32 array, signed.
    """
    import tensorflow as tf

    model = _keras_model(model)
    x = tf.convert_to_tensor(one_image(image)[None])
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = model(x, training=False)
        if class_index is None:
            class_index = int(tf.argmax(out[0]))
        k = _class_index(class_index, int(out.shape[-1]))
        score = out[0, k]
    return tape.gradient(score, x).numpy()[0]


@named
def saliency(model, image, class_index=None) -> np.ndarray:
    """A gradient saliency map: |∂ p[class] / ∂ pixel|, the largest over channels.

    Same arguments as :func:`gradient`; returns an (H, W) array ≥ 0. Bright pixels
    are those where a small change would move the class probability most.
    """
    return np.abs(gradient(model, image, class_index)).max(axis=-1)


# --- occlusion -----------------------------------------------------------------------------


def _positions(size: int, patch: int, strides: int) -> list[int]:
    starts = list(range(0, size - patch + 1, strides))
    if starts[-1] != size - patch:  # let the last patch reach the border
        starts.append(size - patch)
    return starts


@named
def occlusion(predict, image, label, patch: int = 4, strides: int = 2, fill: float = 0.5,
              batch_size: int = 256) -> np.ndarray:
    """How much hiding each part of the image lowers the probability of ``label``.

    predict: a function (N, H, W, C) float32 -> (N, classes) probabilities (a Keras
    model's ``predict``, or any numpy function); image: one image (H, W) or (H, W, C);
    label: the class whose probability is watched; a ``patch``×``patch`` square of
    value ``fill`` (0.5: grey on images in [0, 1]) slides with ``strides``.

    Returns an (H, W) map: each pixel holds the mean drop p(label | image) −
    p(label | occluded image) over the patches that covered it. Positive: hiding
    it hurt the prediction; near 0: the network did not need it.
    """
    x = one_image(image)
    if not callable(predict):
        raise ArgumentError(f"predict must be a function, got {type(predict).__name__}")
    h, w, _ = x.shape
    patch, strides = whole(patch, "patch"), whole(strides, "strides")
    batch_size = whole(batch_size, "batch_size")
    if patch > min(h, w):
        raise ArgumentError(f"patch {patch} is larger than the image {h}×{w}")
    rows, cols = _positions(h, patch, strides), _positions(w, patch, strides)
    boxes = [(r, c) for r in rows for c in cols]
    batch = np.repeat(x[None], len(boxes), axis=0)
    for b, (r, c) in enumerate(boxes):
        batch[b, r:r + patch, c:c + patch, :] = fill
    base = np.asarray(predict(x[None]))
    label = _class_index(label, base.shape[-1], "label")
    probs = np.concatenate([np.asarray(predict(batch[i:i + batch_size]))
                            for i in range(0, len(batch), batch_size)])
    drops = base[0, label] - probs[:, label]
    total, count = np.zeros((h, w)), np.zeros((h, w))
    for drop, (r, c) in zip(drops, boxes):
        total[r:r + patch, c:c + patch] += drop
        count[r:r + patch, c:c + patch] += 1
    return (total / count).astype(np.float32)
