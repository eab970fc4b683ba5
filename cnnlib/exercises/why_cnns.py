"""Checkers of the exercises in "Why convolutional networks"."""

import numpy as np

from .contract import checker
from .hints import compare_array, expect_items, expect_own_function

# ---------------------------------------------------------------------------
# 1. An experiment: a new shuffle for every image


def _positions(x):
    """(N, H·W, C) view of a batch (N, H, W) or (N, H, W, C)."""
    x = np.asarray(x)
    return x.reshape(len(x), x.shape[1] * x.shape[2], -1)


def _check_shuffle_each(func):
    for shape in [(6, 5, 7), (4, 3, 5, 3), (5, 28, 28, 1)]:
        x = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)   # every value distinct
        got = func(x.copy(), np.random.default_rng(7))
        if np.shape(got) != shape:
            raise AssertionError(f"shuffle_each on a batch of shape {shape} returned shape "
                                 f"{np.shape(got)}; it should keep the shape")
        got = np.asarray(got, dtype=np.float64)
        pix_in, pix_out = _positions(x), _positions(got)
        if np.array_equal(got, x):
            raise AssertionError(f"on a batch of shape {shape} nothing moved: every image "
                                 "came back as it was")
        same_image = [np.array_equal(np.sort(pix_out[i], axis=None), np.sort(pix_in[i], axis=None))
                      for i in range(len(x))]
        if not all(same_image):
            if any(np.array_equal(got[i], x[j]) for i in range(len(x)) for j in range(len(x))):
                raise AssertionError("that reorders the images of the batch; shuffle the pixels "
                                     "inside each image")
            raise AssertionError("pixels moved from one image to another: shuffle within "
                                 "each image, never across the batch")
        # which old position each new position came from, per image (values are distinct)
        rows = [{tuple(v): k for k, v in enumerate(pix_in[i])} for i in range(len(x))]
        perms = []
        for i in range(len(x)):
            try:
                perms.append(tuple(rows[i][tuple(v)] for v in pix_out[i]))
            except KeyError:
                raise AssertionError("the channels of a pixel were separated: move each "
                                     "pixel's channel vector as a whole") from None
        if len(set(perms)) == 1:
            raise AssertionError("that is one permutation for every image, the chapter's "
                                 "fixed shuffle: draw a new one for each image")


@checker("why_cnns-1", hints=(
    "One image at a time: x.reshape(len(x), -1, channels) gives the pixels of image i as "
    "rows; index them with rng.permutation(H * W), a new permutation for every i.",
    "Shuffle the training and the test images with shuffle_each, then "
    "train(make_dense, shuffled_train, y_train, shuffled_test, y_test) and keep its test "
    "accuracy.",
))
def shuffle_each_image(answer):
    func, acc = expect_items(answer, "answer_1", ("shuffle_each", "test accuracy"))
    expect_own_function(func, "shuffle_each")
    _check_shuffle_each(func)
    if isinstance(acc, bool) or not isinstance(acc, (int, float, np.floating)) or not 0 <= acc <= 1:
        raise AssertionError(f"the test accuracy should be a fraction between 0 and 1, "
                             f"got {acc!r}")
    if acc > 0.5:
        raise AssertionError("that accuracy is as high as with one fixed permutation: train "
                             "and test on images shuffled by shuffle_each, a new order each")
    if acc < 0.05:
        raise AssertionError("that is below chance for ten classes: evaluate the trained net "
                             "on the shuffled test images, with their labels")
    return ("correct: with its own order per image, no input position means the same thing "
            "twice, so the dense net has at most how much ink an image holds to go on — "
            "unlike the fixed shuffle, this one destroys information")


# ---------------------------------------------------------------------------
# 2. Undo the shuffle


@checker("why_cnns-2", hints=(
    "If new pixel i came from old pixel perm[i], where did old pixel j go? Find the "
    "position of j in perm.",
    "np.argsort(perm) is the inverse permutation; apply it to the flattened images and "
    "reshape back to (N, H, W).",
))
def unshuffle(func):
    expect_own_function(func, "unshuffle")
    rng = np.random.default_rng(2)
    for shape in [(3, 4, 4), (2, 5, 7), (5, 28, 28)]:
        x = rng.random(shape).astype(np.float32)
        perm = rng.permutation(shape[1] * shape[2])
        shuffled = x.reshape(len(x), -1)[:, perm].reshape(shape)
        got = func(shuffled, perm)
        if np.shape(got) == (len(x), shape[1] * shape[2]):
            raise AssertionError("the pixels are right but flat: reshape to (N, H, W)")
        if np.shape(got) == shape and np.allclose(
                np.asarray(got), x.reshape(len(x), -1)[:, perm[perm]].reshape(shape)):
            raise AssertionError("that applies the shuffle a second time; you need its inverse")
        compare_array(got, x, f"unshuffle on images of shape {shape}")
    return "correct: the inverse permutation puts every pixel back, on square and odd sizes"


# ---------------------------------------------------------------------------
# 3. A convolution is a constrained dense layer


def _corr2d(x, k):
    windows = np.lib.stride_tricks.sliding_window_view(x, k.shape)
    return np.einsum("ijab,ab->ij", windows, k)


def _check_conv_as_dense(func):
    rng = np.random.default_rng(3)
    for size, f in [(4, 3), (6, 3), (5, 2), (7, 4)]:
        k = rng.normal(size=(f, f)).astype(np.float32)
        x = rng.normal(size=(size, size)).astype(np.float32)
        out = size - f + 1
        got = func(k, size)
        if np.shape(got) == (out * out, size * size):
            raise AssertionError("rows and columns are swapped: the matrix multiplies a "
                                 "flattened image from the right, x.ravel() @ w")
        if np.shape(got) != (size * size, out * out):
            raise AssertionError(f"for a {size}×{size} input and a {f}×{f} kernel the matrix "
                                 f"should have one row per input pixel and one column per "
                                 f"output value, got shape {np.shape(got)}")
        got = np.asarray(got, dtype=np.float64)
        flipped = _corr2d(x, k[::-1, ::-1]).ravel()
        if np.allclose(x.ravel() @ got, flipped, atol=1e-4):
            raise AssertionError("the kernel is flipped: a deep-learning convolution is a "
                                 "cross-correlation, k[a, b] meets x[i + a, j + b]")
        compare_array(x.ravel() @ got, _corr2d(x, k).ravel(),
                      f"x.ravel() @ conv_as_dense(k, {size}) for a {f}×{f} kernel", atol=1e-4)


def _counts():
    out = 28 - 3 + 1
    return (out * out * 9, 9)


@checker("why_cnns-3", hints=(
    "Column i·OW + j of w is the kernel placed at window (i, j) of an otherwise zero "
    "size×size image, flattened.",
    "Count with your matrix: np.count_nonzero(w), and np.unique of its nonzero entries. "
    "How many windows are there, and how many weights does each use?",
), expected=_counts)
def conv_as_dense(answer):
    func, counts = expect_items(answer, "answer_3", ("conv_as_dense", "counts"))
    expect_own_function(func, "conv_as_dense")
    _check_conv_as_dense(func)
    nonzero, distinct = expect_items(counts, "the counts", ("nonzero", "distinct"))
    want_nonzero, want_distinct = _counts()
    if nonzero == 28 * 28 * 26 * 26:
        raise AssertionError("that counts every entry of the matrix; most of them are zero")
    if nonzero == 28 * 28 * 9:
        raise AssertionError("without padding there are fewer windows than input pixels: "
                             "count the output positions")
    if nonzero == 26 * 26:
        raise AssertionError("each column holds a whole kernel, not one weight")
    if distinct == want_nonzero:
        raise AssertionError("the weights are shared: every column holds the same few values")
    if distinct == want_distinct + 1:
        raise AssertionError("zero is not a weight of the kernel: count the distinct nonzero "
                             "values")
    if nonzero != want_nonzero:
        raise AssertionError("the number of nonzero entries is not right: windows × weights "
                             "per window")
    if distinct != want_distinct:
        raise AssertionError("the number of distinct values is not right")
    return ("correct: only the entries under each window are nonzero (local connections), "
            "and every column repeats the same kernel values (weight sharing)")


# ---------------------------------------------------------------------------
# 4. An experiment: global average pooling and the shift test


def _layer_kinds(model):
    return [type(layer).__name__ for layer in model.layers]


def _convs(model):
    return [(layer.filters, tuple(layer.kernel_size)) for layer in model.layers
            if type(layer).__name__ == "Conv2D"]


def _retention(model, x, y):
    """Test accuracy at shift 0 and the share of it kept at a 4-pixel shift."""
    acc = [float(np.mean(np.asarray(model(np.roll(x, s, axis=2), training=False)).argmax(-1) == y))
           for s in (0, 4)]
    return acc[0], acc[1] / max(acc[0], 1e-9)


def _shift_data(n=1000):
    from ..data import load_mnist
    _, (x, y) = load_mnist()
    return x[:n, :, :, None].astype("float32") / 255, y[:n]


@checker("why_cnns-4", hints=(
    "Copy make_cnn, replace keras.layers.Flatten() with "
    "keras.layers.GlobalAveragePooling2D(), and train it with train(...) as above.",
    "Measure both models as the chapter's shift test does, then compare the share of its "
    "0-pixel accuracy each keeps at 4 pixels.",
))
def gap_shift(answer):
    import keras

    gap, cnn, claim = expect_items(answer, "answer_4", ("gap_cnn", "cnn", "more robust"))
    for name, model in [("gap_cnn", gap), ("cnn", cnn)]:
        if not isinstance(model, keras.Model):
            raise AssertionError(f"{name} should be a trained Keras model, got "
                                 f"{type(model).__name__}")
    kinds = _layer_kinds(gap)
    if "Flatten" in kinds:
        raise AssertionError("gap_cnn still has a Flatten layer: replace it, do not add to it")
    if "GlobalAveragePooling2D" not in kinds:
        raise AssertionError("gap_cnn has no GlobalAveragePooling2D layer")
    if "Flatten" not in _layer_kinds(cnn):
        raise AssertionError("cnn should be the chapter's CNN, the one with Flatten")
    if _convs(gap) != _convs(cnn):
        raise AssertionError("the convolutions differ between the two models: change the head "
                             "only, or the comparison measures two changes at once")
    if claim not in ("gap", "flatten"):
        raise AssertionError(f"the third item should be 'gap' or 'flatten', got {claim!r}")
    x, y = _shift_data()
    acc_gap, keep_gap = _retention(gap, x, y)
    _, keep_cnn = _retention(cnn, x, y)
    if acc_gap < 0.15:
        raise AssertionError("gap_cnn is near chance on unshifted digits: train it first")
    if abs(keep_gap - keep_cnn) >= 0.03:
        right = "gap" if keep_gap > keep_cnn else "flatten"
        if claim != right:
            raise AssertionError("re-measured on 1,000 test digits, the other model keeps more "
                                 "of its accuracy at a 4-pixel shift")
    return ("correct, re-measured: the feature maps move with the digit, and an average over "
            "the whole map does not care where they moved to, while Flatten ties each value "
            "to a position")
