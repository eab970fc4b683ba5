"""Checkers of the exercises in "Inside a CNN"."""

import numpy as np

from ..sizes import conv_output_size, pool_output_size, receptive_field
from .contract import checker
from .hints import compare_array, compare_value, expect_function, expect_items


@checker("inside_cnn-1")
def conv2_shape(answer):
    h, w, c = expect_items(answer, "answer_1", ("height", "width", "channels"))
    side = conv_output_size(pool_output_size(conv_output_size(28, 5), 2), 3)
    if c != 32:
        raise AssertionError("the number of channels is the number of kernels of that layer")
    if h == conv_output_size(conv_output_size(28, 5), 3):
        raise AssertionError("the pooling layer between the two convolutions halves the map")
    compare_value(h, side, "the height")
    compare_value(w, side, "the width")
    return "correct: 28 → 24 (5×5) → 12 (pool) → 10 (3×3), with 32 channels"


@checker("inside_cnn-2")
def conv2_field(answer):
    expected = receptive_field([(5, 1), (2, 2), (3, 1)])
    if answer == 5 + 3 - 1:
        raise AssertionError("that ignores the pooling layer: after it, neighbouring values "
                             "are 2 input pixels apart")
    if answer == 5 + 1 + 2:
        raise AssertionError("close: after the pooling layer one step of the 3×3 kernel "
                             "moves 2 input pixels, not 1")
    compare_value(answer, expected, "answer_2")
    return "correct: 5, +1 for the 2×2 pool, +2·2 for the 3×3 kernel on the pooled map"


def _linear_softmax(seed, shape, classes=3):
    w = np.random.default_rng(seed).normal(size=(int(np.prod(shape)), classes))

    def predict(batch):
        z = np.asarray(batch, dtype=np.float64).reshape(len(batch), -1) @ w
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    return predict


def _reference_grid(predict, image, label, patch, stride, fill):
    h, w = image.shape[:2]
    base = predict(image[None])[0, label]
    rows, cols = (h - patch) // stride + 1, (w - patch) // stride + 1
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            x = image.copy()
            x[i * stride:i * stride + patch, j * stride:j * stride + patch] = fill
            out[i, j] = base - predict(x[None])[0, label]
    return out


@checker("inside_cnn-3")
def occlusion_grid(func):
    expect_function(func, "occlusion_grid")
    rng = np.random.default_rng(7)
    for shape, label, patch, stride in [((8, 8, 1), 0, 3, 1), ((10, 9, 1), 2, 4, 2)]:
        image = rng.uniform(size=shape).astype(np.float32)
        predict = _linear_softmax(len(shape) + shape[0], shape)
        got = func(predict, image, label, patch, stride)
        expected = _reference_grid(predict, image, label, patch, stride, 0.5)
        got = np.asarray(got)
        if got.shape == expected.shape and np.allclose(got, -expected, atol=1e-5):
            raise AssertionError("the sign is flipped: report p(original) − p(occluded), "
                                 "so that hiding an important part gives a positive drop")
        compare_array(got, expected, f"occlusion_grid on a {shape[0]}×{shape[1]} image, "
                      f"patch {patch}, stride {stride}")
    return "correct on two images, patch sizes and strides"


@checker("inside_cnn-4")
def saliency_map(func):
    expect_function(func, "saliency_map")
    import keras

    from ..explain import saliency

    keras.utils.set_random_seed(4)
    model = keras.Sequential([keras.Input((7, 7, 1)), keras.layers.Conv2D(2, 3, activation="tanh"),
                              keras.layers.Flatten(), keras.layers.Dense(3, activation="softmax")])
    rng = np.random.default_rng(4)
    for k in (0, 2):
        image = rng.uniform(size=(7, 7, 1)).astype(np.float32)
        got = func(model, image, k)
        got = np.asarray(got)
        if got.shape == (7, 7, 1):
            raise AssertionError("return an (H, W) map: take the largest absolute value over "
                                 "the channel axis")
        expected = saliency(model, image, k)
        if got.shape == expected.shape and np.allclose(np.abs(got), expected, atol=1e-6) \
                and not np.allclose(got, expected, atol=1e-6):
            raise AssertionError("a saliency map is the *absolute* gradient")
        compare_array(got, expected, f"saliency_map for class {k}", atol=1e-6)
    return "correct: |∂p/∂pixel| from GradientTape, as cnnlib.explain.saliency computes it"
