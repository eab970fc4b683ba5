"""The checkers of "Why convolutional networks": right answers pass, each classic wrong
answer gets its misconception named, library functions are refused.

Stubs, hints and ids, the same for every chapter: test_exercises_every.py."""

import numpy as np
import pytest
from exercise_common import assert_fails

from cnnlib import check
from cnnlib.exercises import contract


def test_stub_functions_inside_a_tuple_are_not_solved():
    def shuffle_each(x, rng):
        raise NotImplementedError

    assert check.evaluate("why_cnns-1", (shuffle_each, 0.2)).status == "not solved"


# --- 1. a new shuffle per image -------------------------------------------------


def shuffle_each(x, rng):
    n, h, w = x.shape[:3]
    pixels = x.reshape(n, h * w, -1)
    return np.stack([p[rng.permutation(h * w)] for p in pixels]).reshape(x.shape)


def one_for_all(x, rng):
    n, h, w = x.shape[:3]
    perm = rng.permutation(h * w)
    return x.reshape(n, h * w, -1)[:, perm].reshape(x.shape)


def across_batch(x, rng):
    flat = x.reshape(-1).copy()
    rng.shuffle(flat)
    return flat.reshape(x.shape)


def images_reordered(x, rng):
    return x[rng.permutation(len(x))]


def channels_apart(x, rng):
    flat = x.reshape(len(x), -1)
    return np.stack([f[rng.permutation(f.size)] for f in flat]).reshape(x.shape)


def test_shuffle_each_right_answer_passes():
    r = check.evaluate("why_cnns-1", (shuffle_each, 0.16))
    assert r.passed, r
    assert "0.16" not in r.message


@pytest.mark.parametrize("func, words", [
    (one_for_all, "one permutation for every image"),
    (across_batch, "pixels moved from one image to another"),
    (images_reordered, "reorders the images"),
    (channels_apart, "channels of a pixel were separated"),
    (lambda x, rng: x, "nothing moved"),
    (lambda x, rng: x.reshape(len(x), -1), "should keep the shape"),
])
def test_shuffle_each_wrong_functions_are_named(func, words):
    assert_fails("why_cnns-1", (func, 0.16), words)


@pytest.mark.parametrize("acc, words", [
    (0.93, "as high as with one fixed permutation"),
    (0.01, "below chance"),
    (1.5, "fraction between 0 and 1"),
    ("high", "fraction between 0 and 1"),
])
def test_shuffle_each_accuracy_must_be_plausible(acc, words):
    assert_fails("why_cnns-1", (shuffle_each, acc), words)


def test_shuffle_each_rejects_a_library_function():
    assert_fails("why_cnns-1", (np.random.permutation, 0.16), "write it yourself")


# --- 2. unshuffle ------------------------------------------------------------------


def unshuffle(x, perm):
    return x.reshape(len(x), -1)[:, np.argsort(perm)].reshape(x.shape)


def test_unshuffle_right_and_wrong():
    assert check.evaluate("why_cnns-2", unshuffle).passed
    assert_fails("why_cnns-2", lambda x, perm: x.reshape(len(x), -1)[:, perm].reshape(x.shape),
                 "applies the shuffle a second time")
    assert_fails("why_cnns-2", lambda x, perm: x.reshape(len(x), -1)[:, np.argsort(perm)],
                 "right but flat")
    assert_fails("why_cnns-2", lambda x, perm: x.reshape(len(x), -1)[:, np.argsort(perm)]
                 .reshape(len(x), x.shape[2], x.shape[1]), "shape")
    assert_fails("why_cnns-2", np.argsort, "write it yourself")


# --- 3. a convolution as a dense layer ------------------------------------------------


def conv_as_dense(k, size, flip=False, transpose=False):
    f = k.shape[0]
    k = k[::-1, ::-1] if flip else k
    out = size - f + 1
    w = np.zeros((size * size, out * out))
    for i in range(out):
        for j in range(out):
            placed = np.zeros((size, size))
            placed[i:i + f, j:j + f] = k
            w[:, i * out + j] = placed.ravel()
    return w.T if transpose else w


RIGHT_COUNTS = (26 * 26 * 9, 9)


def test_conv_as_dense_right_answer_passes_without_printing_the_counts():
    r = check.evaluate("why_cnns-3", (conv_as_dense, RIGHT_COUNTS))
    assert r.passed, r
    assert str(RIGHT_COUNTS[0]) not in r.message and "6,084" not in r.message
    assert contract.expected_of("why_cnns-3") == RIGHT_COUNTS


@pytest.mark.parametrize("counts, words", [
    ((28 * 28 * 26 * 26, 9), "counts every entry"),
    ((28 * 28 * 9, 9), "fewer windows than input pixels"),
    ((26 * 26, 9), "a whole kernel, not one weight"),
    ((26 * 26 * 9, 26 * 26 * 9), "the weights are shared"),
    ((26 * 26 * 9, 10), "zero is not a weight"),
    ((26 * 26 * 9 + 1, 9), "nonzero entries is not right"),
    ((26 * 26 * 9, 3), "distinct values is not right"),
])
def test_conv_as_dense_wrong_counts_are_named(counts, words):
    assert_fails("why_cnns-3", (conv_as_dense, counts), words)


def test_conv_as_dense_wrong_matrices_are_named():
    assert_fails("why_cnns-3", (lambda k, s: conv_as_dense(k, s, transpose=True), RIGHT_COUNTS),
                 "rows and columns are swapped")
    assert_fails("why_cnns-3", (lambda k, s: conv_as_dense(k, s, flip=True), RIGHT_COUNTS),
                 "the kernel is flipped")
    assert_fails("why_cnns-3", (lambda k, s: np.zeros((s * s, s * s)), RIGHT_COUNTS),
                 "one row per input pixel")
    assert_fails("why_cnns-3", (np.kron, RIGHT_COUNTS), "write it yourself")


# --- 4. global average pooling and the shift test (real, small Keras models) ----------


@pytest.fixture(scope="module")
def models():
    keras = pytest.importorskip("keras")
    from cnnlib.exercises.why_cnns import _shift_data

    x, y = _shift_data(400)

    def make(head, filters=(16, 32)):
        return keras.Sequential([
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(filters[0], 3, activation="relu"), keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(filters[1], 3, activation="relu"), keras.layers.MaxPooling2D(2),
            head(), keras.layers.Dense(10, activation="softmax")])

    built = {}
    for name, head, filters in [("gap", keras.layers.GlobalAveragePooling2D, (16, 32)),
                                ("cnn", keras.layers.Flatten, (16, 32)),
                                ("other", keras.layers.GlobalAveragePooling2D, (8, 32))]:
        keras.utils.set_random_seed(0)
        model = make(head, filters)
        if name == "gap":
            model.compile(keras.optimizers.Adam(1e-2), "sparse_categorical_crossentropy")
            model.fit(x, y, epochs=4, batch_size=32, verbose=0)
        built[name] = model
    built["untrained"] = make(keras.layers.GlobalAveragePooling2D)
    return built


def test_gap_shift_right_claim_passes_and_the_other_fails(models):
    from cnnlib.exercises.why_cnns import _retention, _shift_data

    x, y = _shift_data()
    keep_gap, keep_cnn = _retention(models["gap"], x, y)[1], _retention(models["cnn"], x, y)[1]
    right = "gap" if keep_gap > keep_cnn else "flatten"
    wrong = {"gap": "flatten", "flatten": "gap"}[right]
    assert check.evaluate("why_cnns-4", (models["gap"], models["cnn"], right)).passed
    if abs(keep_gap - keep_cnn) >= 0.03:
        assert_fails("why_cnns-4", (models["gap"], models["cnn"], wrong), "re-measured")


def test_gap_shift_wrong_models_are_named(models):
    gap, cnn = models["gap"], models["cnn"]
    assert_fails("why_cnns-4", (cnn, cnn, "gap"), "still has a Flatten layer")
    assert_fails("why_cnns-4", (gap, gap, "gap"), "should be the chapter's CNN")
    assert_fails("why_cnns-4", (models["other"], cnn, "gap"), "the convolutions differ")
    assert_fails("why_cnns-4", (models["untrained"], cnn, "gap"), "train it first")
    assert_fails("why_cnns-4", (gap, "cnn", "gap"), "trained Keras model")
    assert_fails("why_cnns-4", (gap, cnn, "both"), "'gap' or 'flatten'")
    assert_fails("why_cnns-4", ("model", cnn, "gap"), "trained Keras model")
