"""Checkers of the exercises in "Inside a CNN".

1. ``layer_outputs`` — every named layer's activation for one image, by a probe model;
2. ``occlusion_grid`` — the drop of a class probability as a patch hides each part;
3. ``saliency_map`` — the absolute gradient of a class probability, from GradientTape;
4. an experiment: global average pooling instead of Flatten, and the shift test rerun
   (the check re-measures the learner's two models on the shifted test digits).
"""

from __future__ import annotations

import contextlib
import io

import numpy as np

from .contract import checker
from .hints import compare_array, expect_own_function

# ---------------------------------------------------------------------------
# Small models for the checks


def _probe_model(seed=1, shape=(9, 7, 3)):
    import keras
    from keras import layers

    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input(shape), layers.Conv2D(4, 3, activation="relu", name="c1"),
                             layers.MaxPooling2D(2, name="p1"), layers.Dropout(0.5, name="drop"),
                             layers.Flatten(name="flat"),
                             layers.Dense(3, activation="softmax", name="out")])


# ---------------------------------------------------------------------------
# 1. layer_outputs


@checker("inside_cnn-1", hints=(
    "keras.Model(inputs=model.inputs, outputs=[model.get_layer(n).output for n in names]) "
    "shares the trained layers and returns every listed output in one call.",
    "Call it on image[None] (a batch of one), in inference mode, and return a dict from each "
    "name to its output without the batch axis, as a NumPy array.",
))
def layer_outputs(func):
    expect_own_function(func, "layer_outputs")
    import keras

    model = _probe_model()
    rng = np.random.default_rng(1)
    image = rng.uniform(size=model.input_shape[1:]).astype(np.float32)
    for names in (["c1", "p1", "drop"], ["flat", "out"], ["drop"]):
        what = f"layer_outputs for the layers {names}"
        got = func(model, image.copy(), list(names))
        if not isinstance(got, dict) or sorted(got) != sorted(names):
            raise AssertionError(f"{what} should be a dict with exactly those names as keys, "
                                 f"got {type(got).__name__}"
                                 + (f" with keys {sorted(got)}" if isinstance(got, dict) else ""))
        probe = keras.Model(model.inputs[0], [model.get_layer(n).output for n in names])
        outs = probe(image[None], training=False)
        outs = outs if isinstance(outs, (list, tuple)) else [outs]
        for name, want in zip(names, outs):
            want = np.asarray(want)[0]
            have = np.asarray(got[name])
            if have.shape == (1, *want.shape):
                raise AssertionError(f"{what}: {name!r} still has the batch axis, shape "
                                     f"{have.shape}; return one image's activation")
            if name == "drop" and have.shape == want.shape and not np.allclose(have, want, atol=1e-5):
                raise AssertionError(f"{what}: the Dropout layer's output is not its input — run "
                                     "the probe in inference mode (training=False), where dropout "
                                     "lets every value through")
            compare_array(have, want, f"{what}: the output of {name!r}", atol=1e-5)
    return ("correct: one probe over the trained layers gives every output for one image, "
            "in inference mode and without the batch axis")


# ---------------------------------------------------------------------------
# 2. occlusion_grid


def _linear_softmax(seed, shape, classes=3):
    w = np.random.default_rng(seed).normal(size=(int(np.prod(shape)), classes))

    def predict(batch):
        z = np.asarray(batch, dtype=np.float64).reshape(len(batch), -1) @ w
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    return predict


def _reference_grid(predict, image, label, patch, strides, fill, mode="copy"):
    """mode: "copy" (right), "accumulate" (the patches pile up on one image),
    "first channel" (only channel 0 is filled)."""
    h, w = image.shape[:2]
    base = predict(image[None])[0, label]
    rows, cols = (h - patch) // strides + 1, (w - patch) // strides + 1
    out = np.zeros((rows, cols))
    x = image.copy()
    for i in range(rows):
        for j in range(cols):
            if mode != "accumulate":
                x = image.copy()
            region = (slice(i * strides, i * strides + patch), slice(j * strides, j * strides + patch))
            if mode == "first channel":
                x[region + (0,)] = fill
            else:
                x[region] = fill
            out[i, j] = base - predict(x[None])[0, label]
    return out


_OCCLUSION_CASES = [((8, 8, 1), 0, 3, 1, 0.5), ((11, 9, 3), 2, 4, 2, 0.5), ((10, 7, 2), 1, 3, 3, 0.0)]


@checker("inside_cnn-2", hints=(
    "For each top-left corner (i·strides, j·strides) where the patch fits, copy the image, set "
    "the patch×patch square (every channel) to fill, and predict.",
    "The grid holds p(label | image) − p(label | occluded): positive where hiding the part "
    "lowers the probability. Its shape is ((H − patch) // strides + 1, (W − patch) // strides + 1).",
))
def occlusion_grid(func):
    expect_own_function(func, "occlusion_grid")
    rng = np.random.default_rng(7)
    for shape, label, patch, strides, fill in _OCCLUSION_CASES:
        image = rng.uniform(size=shape).astype(np.float32)
        predict = _linear_softmax(shape[0] + shape[2], shape)
        where = (f"occlusion_grid on a {shape[0]}×{shape[1]}×{shape[2]} image, patch {patch}, "
                 f"strides {strides}, fill {fill}")
        got = np.asarray(func(predict, image.copy(), label, patch, strides, fill), dtype=np.float64)
        want = _reference_grid(predict, image, label, patch, strides, fill)
        if got.shape == want.shape and np.allclose(got, want, atol=1e-5):
            continue
        if got.shape == want.shape and np.allclose(got, -want, atol=1e-5):
            raise AssertionError(f"{where}: the sign is flipped — report p(original) − "
                                 "p(occluded), so that hiding an important part gives a "
                                 "positive drop")
        if got.shape == want.shape and np.allclose(
                got, _reference_grid(predict, image, label, patch, strides, fill, "accumulate"),
                atol=1e-5):
            raise AssertionError(f"{where}: the patches accumulate — each position must start "
                                 "from a fresh copy of the image, with only its own patch")
        if shape[2] > 1 and got.shape == want.shape and np.allclose(
                got, _reference_grid(predict, image, label, patch, strides, fill, "first channel"),
                atol=1e-5):
            raise AssertionError(f"{where}: only the first channel is covered; the patch hides "
                                 "every channel of the image")
        compare_array(got, want, where)
    return ("correct: a fresh copy per position, every channel covered, the drop positive where "
            "the part mattered — on odd sizes, several channels and strides")


# ---------------------------------------------------------------------------
# 3. saliency_map


def _tape_gradient(model, image, class_index):
    import tensorflow as tf

    x = tf.convert_to_tensor(image[None], dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        p = model(x, training=False)[0, class_index]
    return tape.gradient(p, x).numpy()[0]


@checker("inside_cnn-3", hints=(
    "Make the image a tensor with a batch axis, tape.watch it inside tf.GradientTape, take the "
    "model's probability of the class, and ask the tape for its gradient with respect to the "
    "image.",
    "Then the absolute value, and the largest value over the channel axis: an (H, W) map.",
))
def saliency_map(func):
    expect_own_function(func, "saliency_map")
    import keras

    keras.utils.set_random_seed(4)
    rng = np.random.default_rng(4)
    for shape in ((7, 7, 1), (9, 8, 3)):
        model = keras.Sequential([keras.Input(shape), keras.layers.Conv2D(2, 3, activation="tanh"),
                                  keras.layers.Flatten(),
                                  keras.layers.Dense(3, activation="softmax")])
        for k in (0, 2):
            image = rng.uniform(size=shape).astype(np.float32)
            what = f"saliency_map on a {shape[0]}×{shape[1]}×{shape[2]} image, class {k}"
            got = np.asarray(func(model, image.copy(), k), dtype=np.float64)
            grad = _tape_gradient(model, image, k)
            want = np.abs(grad).max(axis=-1)
            if got.shape == shape:
                raise AssertionError(f"{what}: return an (H, W) map — take the largest absolute "
                                     "value over the channel axis")
            if got.shape == want.shape and not np.allclose(got, want, atol=1e-6):
                if np.allclose(got, grad.max(axis=-1), atol=1e-6) or np.allclose(
                        np.abs(got), want, atol=1e-6):
                    raise AssertionError(f"{what}: a saliency map is the *absolute* gradient")
                if shape[2] > 1 and np.allclose(got, np.abs(grad).sum(axis=-1), atol=1e-6):
                    raise AssertionError(f"{what}: you add the channels up; take the largest "
                                         "absolute value over them")
                if shape[2] > 1 and np.allclose(got, np.abs(grad[..., 0]), atol=1e-6):
                    raise AssertionError(f"{what}: only the first channel's gradient; take the "
                                         "largest absolute value over all channels")
            compare_array(got, want, what, atol=1e-6)
    return ("correct: |∂p/∂pixel| from GradientTape, the largest over the channels — on one "
            "channel and on three")


# ---------------------------------------------------------------------------
# 4. Experiment: global average pooling and the shift test

SHIFTS = (0, 1, 2, 3, 4)
SHIFT_IMAGES = 1000
_KEYS = ("flatten", "gap", "flatten accuracy", "gap accuracy", "more robust")


def _shift_set():
    from .. import data

    with contextlib.redirect_stdout(io.StringIO()):
        _, (x_test, y_test) = data.load_mnist()
    return data.prepare(x_test[:SHIFT_IMAGES]), np.asarray(y_test[:SHIFT_IMAGES])


def shift_accuracies(model, x=None, y=None) -> list[float]:
    """``model``'s accuracy on the test digits rolled right by each of :data:`SHIFTS` pixels
    (``np.roll`` along the width), the first :data:`SHIFT_IMAGES` test images."""
    if x is None:
        x, y = _shift_set()
    accs = []
    for s in SHIFTS:
        p = np.asarray(model.predict(np.roll(x, s, axis=2), batch_size=500, verbose=0))
        accs.append(float(np.mean(p.argmax(axis=1) == y)))
    return accs


def _kinds(model):
    return [type(layer).__name__ for layer in model.layers]


@checker("inside_cnn-4", hints=(
    "In small_cnn, replace layers.Flatten() by layers.GlobalAveragePooling2D(): it averages "
    "each channel over the whole map, wherever in the map the pattern was. Train it like the "
    "chapter's model.",
    "The shift test: for s in (0, 1, 2, 3, 4), np.roll(x_test[:1000], s, axis=2) and the "
    "accuracy on it, for each model. 'more robust' is the model whose accuracy falls less "
    "from shift 0 to shift 4 — not the one that is more accurate unshifted.",
))
def gap_shift_test(answer):
    if not isinstance(answer, dict) or not all(k in answer for k in _KEYS):
        raise AssertionError("answer_4 should be a dict with the keys " + ", ".join(
            f'"{k}"' for k in _KEYS))
    import keras

    flat, gap = answer["flatten"], answer["gap"]
    for key, model in (("flatten", flat), ("gap", gap)):
        if not isinstance(model, keras.Model):
            raise AssertionError(f'answer_4["{key}"] should be a trained Keras model, got '
                                 f"{type(model).__name__}")
    if "Flatten" not in _kinds(flat):
        raise AssertionError('the "flatten" model has no Flatten layer: give the chapter\'s model')
    if "Flatten" in _kinds(gap) or "GlobalAveragePooling2D" not in _kinds(gap):
        raise AssertionError('the "gap" model should have GlobalAveragePooling2D where the other '
                             "has Flatten, and no Flatten")
    conv = [k for k in _kinds(flat) if k == "Conv2D"]
    if [k for k in _kinds(gap) if k == "Conv2D"] != conv:
        raise AssertionError("the two models should have the same convolutions; change only "
                             "Flatten")
    x, y = _shift_set()
    measured = {"flatten": shift_accuracies(flat, x, y), "gap": shift_accuracies(gap, x, y)}
    for key in ("flatten", "gap"):
        reported = answer[f"{key} accuracy"]
        if not isinstance(reported, (list, tuple, np.ndarray)) or len(reported) != len(SHIFTS):
            raise AssertionError(f'answer_4["{key} accuracy"] should hold {len(SHIFTS)} '
                                 f"accuracies, one per shift {SHIFTS}")
        if not np.allclose(np.asarray(reported, dtype=np.float64), measured[key], atol=0.0025):
            raise AssertionError(f'answer_4["{key} accuracy"] is not what the check measures with '
                                 f"your {key} model: roll the first {SHIFT_IMAGES} test images "
                                 f"right by {SHIFTS} pixels along the width (axis 2)")
    if answer["more robust"] not in ("flatten", "gap"):
        raise AssertionError(f'answer_4["more robust"] should be "flatten" or "gap", got '
                             f"{answer['more robust']!r}")
    drop = {k: v[0] - v[-1] for k, v in measured.items()}
    if drop["flatten"] != drop["gap"]:
        robust = min(drop, key=drop.get)
        if answer["more robust"] != robust:
            if answer["more robust"] == max(measured, key=lambda k: measured[k][0]):
                raise AssertionError('"more robust": that is the model that is more accurate on '
                                     "the unshifted digits; robustness is how little the "
                                     "accuracy falls as the digits move")
            raise AssertionError('"more robust": by your own measurements the other model\'s '
                                 "accuracy falls less")
    return ("correct, measured on your own models: Flatten ties every weight of the last layer "
            "to a position in the map, while global average pooling averages each channel over "
            "all positions and so forgets where a pattern was, up to the borders and the "
            "pooling grid")
