"""Checkers of the exercises in "Pooling"."""

import time

import numpy as np

from ..sizes import pool_output_size, receptive_field
from .contract import checker
from .hints import compare_array, compare_value, expect_items, expect_own_function

# ---------------------------------------------------------------------------
# 1. An odd-sized map

_MAP = (15, 9, 32)


def _odd_map():
    h, w, c = _MAP
    return (pool_output_size(h, 2), pool_output_size(w, 2), c)


@checker("pooling-1", hints=(
    "Each side on its own: how many whole 2×2 windows fit, moving by 2?",
    "Pooling works on every channel separately.",
), expected=_odd_map)
def odd_map(answer):
    h, w, c = expect_items(answer, "answer_1", ("height", "width", "channels"))
    want_h, want_w, want_c = _odd_map()
    if (h, w) == (-(-_MAP[0] // 2), -(-_MAP[1] // 2)):
        raise AssertionError("rounded up: Keras rounds down, a window that would stick out "
                             "is dropped")
    if (h, w) == (want_w, want_h):
        raise AssertionError("height and width are swapped")
    if c != want_c:
        raise AssertionError("pooling works on each channel separately: the number of "
                             "channels stays")
    compare_value(h, want_h, "the height")
    compare_value(w, want_w, "the width")
    return "correct: each side is halved and rounded down, and the channels stay"


# ---------------------------------------------------------------------------
# 2. Max pooling by hand


def _reference_pool(x, reduce=np.max):
    h, w = x.shape[0] // 2, x.shape[1] // 2
    return reduce(x[:2 * h, :2 * w].reshape(h, 2, w, 2, x.shape[2]), axis=(1, 3))


@checker("pooling-2", hints=(
    "Cut off an odd last row and column first: x[:2 * (H // 2), :2 * (W // 2)].",
    "Reshape to (H // 2, 2, W // 2, 2, C), so each window has two axes of its own, and take "
    "the maximum over those two.",
))
def max_pool(func):
    expect_own_function(func, "max_pool")
    rng = np.random.default_rng(5)
    for shape in [(4, 4, 1), (6, 8, 3), (7, 5, 2), (9, 9, 4)]:
        x = rng.normal(size=shape).astype(np.float32)
        got = func(x.copy())
        want = _reference_pool(x)
        where = f"max_pool on x {shape}"
        if np.shape(got) == (-(-shape[0] // 2), -(-shape[1] // 2), shape[2]) != want.shape:
            raise AssertionError(f"{where}: rounded up; the odd last row and column are "
                                 "dropped")
        if np.shape(got) == (shape[0] - 1, shape[1] - 1, shape[2]):
            raise AssertionError(f"{where}: the windows overlap; they move by 2 (stride = "
                                 "pool size)")
        if np.shape(got) == want.shape[:2] or np.shape(got) == want.shape[:2] + (1,) != want.shape:
            raise AssertionError(f"{where}: the channels were pooled together; pool each "
                                 "channel on its own")
        if np.shape(got) == want.shape and np.allclose(got, _reference_pool(x, np.mean), atol=1e-5):
            raise AssertionError(f"{where}: that is average pooling; keep each window's maximum")
        compare_array(got, want, where)
    return "correct on even and odd sizes, one and several channels"


# ---------------------------------------------------------------------------
# 3. A receptive field

_STACK = [(5, 1), (2, 2), (3, 1), (2, 2), (3, 1)]


@checker("pooling-3", hints=(
    "Walk from the input up: keep the field r and the step j (input pixels between two "
    "neighbouring values of the current layer); start with r = 1, j = 1.",
    "A layer with kernel k and stride s adds (k − 1)·j to r, then multiplies j by s.",
), expected=lambda: receptive_field(_STACK))
def field(answer):
    expected = receptive_field(_STACK)
    if answer == 1 + sum(k - 1 for k, _ in _STACK):
        raise AssertionError("after each stride-2 pooling, one step of the next layer is 2 "
                             "(then 4) input pixels")
    if answer == receptive_field([(k, s) for k, s in _STACK if s == 1]):
        raise AssertionError("the pooling layers are missing: they widen the field and make "
                             "the later steps longer")
    jump, no_window = 1, 1
    for k, s in _STACK:
        no_window += (k - 1) * jump if s == 1 else 0
        jump *= s
    if answer == no_window:
        raise AssertionError("the pooling windows widen the field too, not only their stride")
    compare_value(answer, expected, "answer_3")
    return ("correct: every stride-2 pooling doubles the step of the layers after it, so the "
            "last 3×3 kernel adds the most")


# ---------------------------------------------------------------------------
# 4. Average pooling is a convolution


def _strided_conv(x, w, stride):
    windows = np.lib.stride_tricks.sliding_window_view(x, w.shape[:2], axis=(1, 2))
    return np.einsum("nijcab,abco->nijo", windows[:, ::stride, ::stride], w)


@checker("pooling-4", hints=(
    "Average pooling of one channel is a K×K window of equal weights that add up to 1, "
    "moved by K.",
    "Kernel w[:, :, c_in, c_out] connects input channel c_in to output channel c_out; "
    "pooling keeps every channel to itself.",
))
def avg_pool_kernel(func):
    expect_own_function(func, "avg_pool_kernel")
    rng = np.random.default_rng(6)
    for k, c in [(2, 1), (2, 3), (3, 2), (4, 5)]:
        got = func(k, c)
        where = f"avg_pool_kernel({k}, {c})"
        if np.shape(got) != (k, k, c, c):
            raise AssertionError(f"{where} should have shape (K, K, C, C) like any Keras "
                                 f"kernel, got {np.shape(got)}")
        w = np.asarray(got, dtype=np.float64)
        x = rng.normal(size=(2, 4 * k + 1, 3 * k, c))
        n, h, wd = x.shape[0], x.shape[1] // k, x.shape[2] // k
        want = x[:, :h * k, :wd * k].reshape(n, h, k, wd, k, c).mean(axis=(2, 4))
        out = _strided_conv(x, w, k)
        if c > 1 and np.allclose(w, 1 / (k * k)):
            raise AssertionError(f"{where}: every input channel feeds every output channel; "
                                 "pooling keeps each channel to itself (w is zero off the "
                                 "channel diagonal)")
        if c > 1 and np.allclose(w, 1 / (k * k * c)):
            raise AssertionError(f"{where}: that averages over the channels too; each channel "
                                 "is pooled on its own")
        if np.allclose(out, want * k * k):
            raise AssertionError(f"{where}: that sums the window; an average divides by the "
                                 "K·K values in it")
        compare_array(out, want, f"a stride-{k} convolution with {where}", atol=1e-9)
    return ("correct: 1/K² on every tap, zero between different channels, moved by its own "
            "size — a convolution with fixed weights that nothing learns")


# ---------------------------------------------------------------------------
# 5. An experiment: remove the pooling


def _kinds(model):
    return [type(layer).__name__ for layer in model.layers]


def _convs(model):
    return [(layer.filters, tuple(layer.kernel_size)) for layer in model.layers
            if type(layer).__name__ == "Conv2D"]


def _trained(model):
    optimizer = getattr(model, "optimizer", None)
    return optimizer is not None and int(np.asarray(optimizer.iterations)) > 0


def _seconds(model, x, repeats=3):
    """The best of ``repeats`` timings of one forward pass over ``x``, in batches of 64."""
    model(x[:8], training=False)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for i in range(0, len(x), 64):
            model(x[i:i + 64], training=False)
        best = min(best, time.perf_counter() - start)
    return best


@checker("pooling-5", hints=(
    "Write one function that builds the Keras model of three_convs, with a MaxPooling2D(2) "
    "after the first two convolutions only when asked, and a Dense(10, activation="
    "'softmax') at the end; build both from it.",
    "Train each with the same data and epochs, timing fit with cnnlib.runtime.timer(); the slower "
    "one is the one to name.",
))
def no_pooling(answer):
    import keras

    pooled, unpooled, slower = expect_items(answer, "answer_5", ("pooled", "unpooled", "slower"))
    for name, model in [("pooled", pooled), ("unpooled", unpooled)]:
        if not isinstance(model, keras.Model):
            raise AssertionError(f"{name} should be a Keras model, got {type(model).__name__}")
    if "MaxPooling2D" not in _kinds(pooled):
        raise AssertionError("the pooled model has no MaxPooling2D layer")
    if any("Pooling" in kind for kind in _kinds(unpooled)):
        raise AssertionError("the unpooled model still has a pooling layer")
    if _convs(pooled) != _convs(unpooled) or (
            [k for k in _kinds(pooled) if "Pooling" not in k] != _kinds(unpooled)):
        raise AssertionError("the two models differ in more than the pooling: change one thing "
                             "at a time, or you measure two changes at once")
    if not (_trained(pooled) and _trained(unpooled)):
        raise AssertionError("train both models first (compile and fit)")
    if slower not in ("pooled", "unpooled"):
        raise AssertionError(f"the third item should be 'pooled' or 'unpooled', got {slower!r}")
    x = np.random.default_rng(0).random((256, 28, 28, 1), dtype=np.float32)
    times = {"pooled": _seconds(pooled, x), "unpooled": _seconds(unpooled, x)}
    if slower != max(times, key=times.get):
        raise AssertionError("re-timed here on 256 images, the other model is the slower one")
    return ("correct, re-timed: without pooling the later convolutions run on maps several "
            "times larger, and the dense layer reads a far longer Flatten")
