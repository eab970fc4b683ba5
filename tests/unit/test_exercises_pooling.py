"""The checkers of "Pooling": right answers pass, each classic wrong answer gets its
misconception named, library functions are refused.

Stubs, hints and ids, the same for every chapter: test_exercises_every.py."""

import numpy as np
import pytest
from exercise_common import assert_fails

from cnnlib import check, ops
from cnnlib.exercises import contract

# --- 1. an odd-sized map ---------------------------------------------------------------


def test_odd_map_right_and_wrong():
    assert contract.expected_of("pooling-1") == (7, 4, 32)
    r = check.evaluate("pooling-1", (7, 4, 32))
    assert r.passed and "(7, 4, 32)" not in r.message
    assert_fails("pooling-1", (8, 5, 32), "rounded up")
    assert_fails("pooling-1", (4, 7, 32), "swapped")
    assert_fails("pooling-1", (7, 4, 16), "the number of channels stays")
    assert_fails("pooling-1", (6, 4, 32), "too small")
    assert_fails("pooling-1", (7, 4), "(height, width, channels) triple")


# --- 2. max pooling by hand -------------------------------------------------------------


def max_pool(x, reduce=np.max):
    h, w, c = x.shape[0] // 2, x.shape[1] // 2, x.shape[2]
    return reduce(x[:2 * h, :2 * w].reshape(h, 2, w, 2, c), axis=(1, 3))


def ceil_pool(x):
    h, w = -(-x.shape[0] // 2), -(-x.shape[1] // 2)
    padded = np.pad(x, ((0, 2 * h - x.shape[0]), (0, 2 * w - x.shape[1]), (0, 0)),
                    constant_values=-np.inf)
    return max_pool(padded)


def test_max_pool_right_answer_passes():
    assert check.evaluate("pooling-2", max_pool).passed


@pytest.mark.parametrize("func, words", [
    (lambda x: max_pool(x, np.mean), "that is average pooling"),
    (ceil_pool, "rounded up"),
    (lambda x: np.lib.stride_tricks.sliding_window_view(x, (2, 2), axis=(0, 1)).max(axis=(3, 4)),
     "the windows overlap"),
    (lambda x: max_pool(x).max(axis=-1), "the channels were pooled together"),
    (lambda x: max_pool(x) + 1, "values differ"),
])
def test_max_pool_wrong_answers_are_named(func, words):
    assert_fails("pooling-2", func, words)


def test_max_pool_rejects_the_library():
    assert_fails("pooling-2", ops.max_pool2d, "write it yourself")


# --- 3. a receptive field ---------------------------------------------------------------


def test_field_right_and_wrong():
    assert contract.expected_of("pooling-3") == 20
    assert check.evaluate("pooling-3", 5 + 1 + 2 * 2 + 1 * 2 + 2 * 4).passed
    assert_fails("pooling-3", 11, "one step of the next layer is 2")
    assert_fails("pooling-3", 9, "the pooling layers are missing")
    assert_fails("pooling-3", 17, "the pooling windows widen the field too")
    assert_fails("pooling-3", 21, "too large")


# --- 4. average pooling is a convolution -------------------------------------------------


def avg_pool_kernel(k, c, fill=None):
    if fill is not None:
        return np.full((k, k, c, c), fill)
    w = np.zeros((k, k, c, c))
    for i in range(c):
        w[:, :, i, i] = 1 / k ** 2
    return w


def test_avg_pool_kernel_right_answer_passes_and_matches_keras():
    assert check.evaluate("pooling-4", avg_pool_kernel).passed
    tf = pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    maps = np.random.default_rng(0).normal(size=(2, 6, 6, 3)).astype("float32")
    by_conv = tf.nn.conv2d(maps, avg_pool_kernel(2, 3).astype("float32"), 2, "VALID")
    np.testing.assert_allclose(by_conv, keras.layers.AveragePooling2D(2)(maps), atol=1e-6)


@pytest.mark.parametrize("func, words", [
    (lambda k, c: avg_pool_kernel(k, c, fill=1 / k ** 2), "every input channel feeds every"),
    (lambda k, c: avg_pool_kernel(k, c, fill=1 / (k * k * c)), "averages over the channels"),
    (lambda k, c: avg_pool_kernel(k, c) * k * k, "that sums the window"),
    (lambda k, c: np.ones((k, k)) / k ** 2, "shape (K, K, C, C)"),
    (lambda k, c: avg_pool_kernel(k, c) * 0.5, "values differ"),
])
def test_avg_pool_kernel_wrong_answers_are_named(func, words):
    assert_fails("pooling-4", func, words)


def test_avg_pool_kernel_rejects_the_library():
    assert_fails("pooling-4", np.ones, "write it yourself")


# --- 5. remove the pooling (real, small Keras models) -------------------------------------


@pytest.fixture(scope="module")
def models():
    keras = pytest.importorskip("keras")

    def make(pooled, filters=(32, 64, 64), train=True):
        pool = (lambda: [keras.layers.MaxPooling2D(2)]) if pooled else (lambda: [])
        model = keras.Sequential([
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(filters[0], 3, activation="relu"), *pool(),
            keras.layers.Conv2D(filters[1], 3, activation="relu"), *pool(),
            keras.layers.Conv2D(filters[2], 3, activation="relu"),
            keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
        if train:
            model.compile("adam", "sparse_categorical_crossentropy")
            x = np.random.default_rng(0).random((16, 28, 28, 1), dtype=np.float32)
            model.fit(x, np.arange(16) % 10, epochs=1, verbose=0)
        return model

    return {"pooled": make(True), "unpooled": make(False),
            "two changes": make(False, (32, 32, 64)), "untrained": make(False, train=False)}


def test_no_pooling_right_claim_passes_and_the_wrong_one_fails(models):
    pooled, unpooled = models["pooled"], models["unpooled"]
    assert check.evaluate("pooling-5", (pooled, unpooled, "unpooled")).passed
    assert_fails("pooling-5", (pooled, unpooled, "pooled"), "re-timed here")


@pytest.mark.parametrize("which, words", [
    (("unpooled", "unpooled", "unpooled"), "the pooled model has no MaxPooling2D"),
    (("pooled", "pooled", "unpooled"), "still has a pooling layer"),
    (("pooled", "two changes", "unpooled"), "differ in more than the pooling"),
    (("pooled", "untrained", "unpooled"), "train both models first"),
    (("pooled", "unpooled", "neither"), "'pooled' or 'unpooled'"),
])
def test_no_pooling_wrong_answers_are_named(models, which, words):
    assert_fails("pooling-5", tuple(models[w] if w in models else w for w in which), words)


def test_no_pooling_needs_keras_models():
    assert_fails("pooling-5", ("a", "b", "pooled"), "should be a Keras model")
