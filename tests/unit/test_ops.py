"""cnnlib.ops: convolution and pooling equal two independent references — a float64 NumPy
loop (tests/references.py) and TensorFlow with oneDNN's custom ops off — over random shapes,
strides and paddings. A falsifying example is printed as a call: paste its arguments into
a case of test_onednn_conv2d_regression-style regression test."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from references import avg_pool2d_ref, conv2d_ref, max_pool2d_ref, tf_conv2d, tf_pool  # noqa: E402

from cnnlib import ops

tf = pytest.importorskip("tensorflow")

ATOL = 1e-5


@st.composite
def window_case(draw, max_window=4):
    """(x shape, window, strides, padding): 'valid', 'same', an int or a per-axis (ph, pw)
    padding; with an int padding the division need not be exact (the rule floors)."""
    window = (draw(st.integers(1, max_window)), draw(st.integers(1, max_window)))
    strides = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = draw(st.sampled_from(["valid", "same", "SAME", 0, 1, 2, (0, 1), (2, 1)]))
    per_axis = padding if isinstance(padding, tuple) else (padding, padding)
    hw = []
    for k, p in zip(window, per_axis):
        if p == "valid":
            size = draw(st.integers(k, k + 6))
        elif isinstance(p, int):
            size = draw(st.integers(max(1, k - 2 * p), k + 6))
        else:
            size = draw(st.integers(1, 8))
        hw.append(size)
    shape = (draw(st.integers(1, 2)), *hw, draw(st.integers(1, 3)))
    return shape, window, strides, padding


def data(seed, *shapes, dtype=np.float32):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape).astype(dtype) for shape in shapes]


@settings(max_examples=200, deadline=None)
@given(case=window_case(), filters=st.integers(1, 3), bias=st.booleans(),
       seed=st.integers(0, 2**16))
def test_conv2d_equals_tf(case, filters, bias, seed):
    shape, kernel, strides, padding = case
    x, w, b = data(seed, shape, (*kernel, shape[3], filters), (filters,))
    got = ops.conv2d(x, w, b if bias else None, strides, padding)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, conv2d_ref(x, w, b if bias else None, strides, padding),
                               atol=ATOL, rtol=ATOL)
    expected = tf_conv2d(x, w, strides, padding) + (b if bias else 0)
    np.testing.assert_allclose(got, expected, atol=ATOL, rtol=ATOL)


@settings(max_examples=200, deadline=None)
@given(case=window_case(max_window=3), seed=st.integers(0, 2**16))
def test_conv2d_naive_equals_conv2d(case, seed):
    shape, kernel, strides, padding = case
    x, w, b = data(seed, shape, (*kernel, shape[3], 2), (2,), dtype=np.float64)
    naive = ops.conv2d_naive(x, w, b, strides, padding)
    np.testing.assert_allclose(naive, ops.conv2d(x, w, b, strides, padding), atol=1e-12)
    np.testing.assert_allclose(naive, conv2d_ref(x, w, b, strides, padding), atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(case=window_case(), default_stride=st.booleans(), seed=st.integers(0, 2**16))
def test_max_pool2d_equals_tf(case, default_stride, seed):
    shape, window, strides, padding = case
    if default_stride:
        strides = None  # strides = pool size
        if not isinstance(padding, str):
            padding = "valid"
        shape = (shape[0], max(shape[1], window[0]), max(shape[2], window[1]), shape[3])
    if not isinstance(padding, str):  # PyTorch's rule: at most half the window
        per_axis = padding if isinstance(padding, tuple) else (padding, padding)
        assume(all(p <= k // 2 for p, k in zip(per_axis, window)))
    (x,) = data(seed, shape)
    got = ops.max_pool2d(x, window if window[0] != window[1] else window[0], strides, padding)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, max_pool2d_ref(x, window, strides, padding), atol=ATOL)
    expected = tf_pool(tf.nn.max_pool2d, x, window, strides or window, padding, fill=-np.inf)
    np.testing.assert_allclose(got, expected, atol=ATOL)


@settings(max_examples=200, deadline=None)
@given(case=window_case(), seed=st.integers(0, 2**16))
def test_avg_pool2d_equals_tf(case, seed):
    shape, window, strides, padding = case
    (x,) = data(seed, shape)
    got = ops.avg_pool2d(x, window, strides, padding)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, avg_pool2d_ref(x, window, strides, padding),
                               atol=ATOL, rtol=ATOL)
    expected = tf_pool(tf.nn.avg_pool2d, x, window, strides, padding)
    np.testing.assert_allclose(got, expected, atol=ATOL, rtol=ATOL)


def test_onednn_conv2d_regression():
    """Guards the tests' own reference. TensorFlow 2.21's oneDNN conv2d returns garbage
    (values such as -1.86e+22 that change from call to call) when the batch is 2, there is
    one input channel, the strides are (1, >=2) and the output is one column wide; a test
    that trusted it failed on a correct cnnlib. With TF_ENABLE_ONEDNN_OPTS=0 (set in
    tests/conftest.py) TensorFlow agrees with the float64 loop; cnnlib agrees with both.
    The chapters' tf.nn.conv2d calls are unaffected: every one has batch 1, equal strides
    and outputs more than one column wide (convolution, padding_stride)."""
    import os

    assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == "0"
    x, w = data(7, (2, 5, 5, 1), (3, 4, 1, 2))
    ref = conv2d_ref(x, w, None, (1, 2), "valid")
    assert ref.shape == (2, 3, 1, 2)
    np.testing.assert_allclose(ops.conv2d(x, w, None, (1, 2), "valid"), ref, atol=ATOL)
    for _ in range(5):  # the garbage changed from call to call
        np.testing.assert_allclose(tf_conv2d(x, w, (1, 2), "valid"), ref, atol=ATOL)


def test_int_padding_floors_as_pytorch_and_leaves_the_last_rows_unread():
    # ResNet-style: a 3×3 stride-2 convolution with padding 1 on an even map (6 -> 3)
    x, w = data(3, (1, 6, 6, 2), (3, 3, 2, 4))
    got = ops.conv2d(x, w, None, 2, 1)
    assert got.shape == (1, 3, 3, 4)
    np.testing.assert_allclose(got, conv2d_ref(x, w, None, 2, 1), atol=ATOL)
    np.testing.assert_allclose(got, tf_conv2d(x, w, 2, 1), atol=ATOL)
    # (8 − 3)/2 is not whole: windows start at rows 0, 2, 4 and row 7 is never read
    x8, = data(4, (1, 8, 8, 1))
    w8, = data(5, (3, 3, 1, 1))
    changed = x8.copy()
    changed[:, 7, :] += 100
    changed[:, :, 7] += 100
    np.testing.assert_array_equal(ops.conv2d(changed, w8, None, 2, 0), ops.conv2d(x8, w8, None, 2, 0))
    assert ops.conv2d(x8, w8, None, 2, 0).shape == ops.conv2d(x8, w8, None, 2, "valid").shape


def test_max_pool_padding_never_wins():
    # an int padding pads with -inf, as PyTorch's F.max_pool2d(padding=p): a window of
    # negative values at the border returns its largest value, never a padded 0
    x = -np.arange(1, 17, dtype=np.float32).reshape(1, 4, 4, 1)
    got = ops.max_pool2d(x, 2, 2, padding=1)
    np.testing.assert_array_equal(got, max_pool2d_ref(x, 2, 2, 1))
    assert got[0, 0, 0, 0] == -1 and got.max() < 0


def test_same_padding_is_uneven_like_tf():
    # 'same' with an even kernel pads 0 on top and 1 at the bottom; max pads with -inf,
    # average leaves the padding out of the count.
    x = -np.arange(1, 17, dtype=np.float32).reshape(1, 4, 4, 1)
    np.testing.assert_array_equal(ops.max_pool2d(x, 3, 2, "same"),
                                  tf.nn.max_pool2d(x, 3, 2, "SAME").numpy())
    np.testing.assert_allclose(ops.avg_pool2d(x, 3, 2, "same"),
                               tf.nn.avg_pool2d(x, 3, 2, "SAME").numpy())
    w = np.ones((2, 2, 1, 1), np.float32)
    np.testing.assert_allclose(ops.conv2d(x, w, padding="same"),
                               tf.nn.conv2d(x, w, 1, "SAME").numpy())
    np.testing.assert_allclose(ops.conv2d(x, w, padding="same"), conv2d_ref(x, w, padding="same"))
    np.testing.assert_allclose(ops.max_pool2d(x, 3, 2, "same"), max_pool2d_ref(x, 3, 2, "same"))
    np.testing.assert_allclose(ops.avg_pool2d(x, 3, 2, "same"), avg_pool2d_ref(x, 3, 2, "same"))


def test_keeps_float64():
    x, w = data(0, (1, 5, 5, 2), (3, 3, 2, 4), dtype=np.float64)
    assert ops.conv2d(x, w).dtype == np.float64
    assert ops.max_pool2d(x).dtype == ops.avg_pool2d(x).dtype == np.float64


@pytest.mark.parametrize("channels", [1, 3])
def test_im2col_rows_are_the_windows_in_either_memory_order(channels):
    # one channel is filled column by column (Fortran order), more row by row; the matrix
    # is the same: row r·W_out + c is window (r, c), flattened in (FH, FW, C) order
    x, = data(3, (2, 6, 7, channels), dtype=np.float32)
    cols = ops.im2col(x, (3, 2), (2, 1), (2, 6))
    rows = [x[n, r * 2 : r * 2 + 3, c : c + 2, :].ravel()
            for n in range(2) for r in range(2) for c in range(6)]
    np.testing.assert_array_equal(cols, np.array(rows))
    assert cols.flags.f_contiguous if channels == 1 else cols.flags.c_contiguous


def test_im2col_and_col2im_are_adjoint():
    # <im2col(x), c> == <x, col2im(c)>: col2im adds overlapping windows back
    x, = data(1, (2, 6, 7, 3), dtype=np.float64)
    cols = ops.im2col(x, (3, 2), (2, 1), (2, 6))
    c, = data(2, cols.shape, dtype=np.float64)
    back = ops.col2im(c, x.shape, (3, 2), (2, 1), (2, 6))
    assert np.isclose(np.sum(cols * c), np.sum(x * back))


# ----------------------------------------------------------------------------- bad input

X = np.zeros((2, 8, 8, 3), np.float32)
W = np.zeros((3, 3, 3, 4), np.float32)


@pytest.mark.parametrize("call, words", [
    (lambda: ops.conv2d(X[0], W), ["x must be 4-D", "(8, 8, 3)", "channel axis"]),
    (lambda: ops.conv2d(X, W[0]), ["w must be 4-D", "(3, 3, 4)"]),
    (lambda: ops.conv2d(X, np.zeros((3, 3, 1, 4))), ["3 channels", "(2, 8, 8, 3)", "(3, 3, 1, 4)"]),
    (lambda: ops.conv2d(X, W, np.zeros(3)), ["b must have shape (4,)", "(3,)"]),
    (lambda: ops.conv2d(X, np.zeros((9, 3, 3, 4))), ["kernel", "(9, 3)", "(2, 8, 8, 3)", "larger"]),
    (lambda: ops.conv2d(X, W, padding=(0, -1)), ["padding", "(0, -1)"]),
    (lambda: ops.conv2d(X, W, strides=0), ["conv2d: strides", "got 0"]),
    (lambda: ops.conv2d(X, W, strides=(1, -1)), ["strides", "(1, -1)"]),
    (lambda: ops.conv2d(X, W, padding="full"), ["padding", "'full'"]),
    (lambda: ops.conv2d_naive(X, np.zeros((3, 3, 2, 4))), ["3 channels", "(3, 3, 2, 4)"]),
    (lambda: ops.max_pool2d(X[0]), ["x must be 4-D", "(8, 8, 3)"]),
    (lambda: ops.max_pool2d(X, 9), ["pool_size", "(2, 8, 8, 3)", "larger"]),
    (lambda: ops.max_pool2d(X, 2, 0), ["max_pool2d: strides", "got 0"]),
    (lambda: ops.avg_pool2d(X, 0), ["pool_size", "got 0"]),
    (lambda: ops.max_pool2d(X, 2, 2, padding=2), ["padding 2", "half", "padding <= (1, 1)"]),
    (lambda: ops.avg_pool2d(X, 3, 2, padding=-1), ["padding", "negative"]),
])
def test_bad_input_names_argument_and_shapes(call, words):
    with pytest.raises(ValueError) as err:
        call()
    for word in words:
        assert word in str(err.value)
