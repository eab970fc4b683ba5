"""Checkers of the exercises in "A CNN from scratch"."""

import numpy as np

from ..sizes import conv_output_size, pool_output_size
from .contract import checker
from .hints import bias_missing, compare_array, compare_value, expect_function, expect_items


def _conv_net_params(filters=30, kernel=5, hidden=100, classes=10, size=28, channels=1):
    side = pool_output_size(conv_output_size(size, kernel), 2, 2)
    return ((kernel * kernel * channels * filters + filters)
            + (side * side * filters * hidden + hidden) + (hidden * classes + classes))


@checker("scratch_cnn-1")
def parameter_count(answer):
    expected = _conv_net_params()
    bias_missing(answer, expected, 30 + 100 + 10, per="kernel and one per unit")
    if answer == _conv_net_params() - 432_100 + (24 * 24 * 30 * 100 + 100):
        raise AssertionError("the dense layer comes after the pooling: 12×12×30 inputs, "
                             "not 24×24×30")
    compare_value(answer, expected, "answer_1")
    return "correct: almost all of them are in the first dense layer"


@checker("scratch_cnn-2")
def dense_kernel_shape(answer):
    expect_items(answer, "answer_2", ("inputs", "units"))
    side = pool_output_size(conv_output_size(28, 3), 2, 2)
    if answer[1] != 100:
        raise AssertionError("the second number is the layer's units")
    if answer[0] == conv_output_size(28, 3) ** 2 * 16:
        raise AssertionError("the pooling layer halves height and width before Flatten")
    compare_value(answer[0], side * side * 16, "the number of inputs")
    return "correct: height × width × channels after pooling, by the hidden units"


@checker("scratch_cnn-3")
def relu_backward(func):
    expect_function(func, "relu_backward")
    rng = np.random.default_rng(3)
    for shape in [(4, 5), (2, 6, 6, 3)]:
        x = rng.normal(size=shape).astype(np.float32)
        dout = rng.normal(size=shape).astype(np.float32)
        kept = dout.copy()
        dx = func(x, dout)
        if not np.array_equal(dout, kept):
            raise AssertionError("dout was changed: build a new array instead of writing into it")
        compare_array(dx, np.where(x > 0, dout, 0), f"relu_backward on shape {shape}")
        if np.asarray(dx).dtype != np.float32:
            raise AssertionError(f"float32 in, {np.asarray(dx).dtype} out: keep dout's dtype")
    return "correct, and dout is left alone"


@checker("scratch_cnn-4")
def relative_error(func):
    expect_function(func, "relative_error")
    rng = np.random.default_rng(4)
    a = rng.normal(size=(3, 4))
    cases = [(a, a, 0.0, "equal arrays"),
             (a, a * (1 + 1e-6), None, "nearly equal arrays"),
             (np.zeros(3), np.zeros(3), 0.0, "two zero arrays"),
             (np.array([1.0, 0.0]), np.array([3.0, 0.0]), 0.5, "[1, 0] and [3, 0]"),
             (rng.normal(size=5), rng.normal(size=5), None, "random arrays")]
    for x, y, expected, what in cases:
        if expected is None:
            expected = float(np.max(np.abs(x - y) / np.maximum(np.abs(x) + np.abs(y), 1e-8)))
        got = func(x, y)
        if got is None or np.size(got) != 1:
            raise AssertionError(f"relative_error of {what} should be one number, got {got!r}")
        if not np.isfinite(float(got)):
            raise AssertionError(f"relative_error of {what} is {got}: keep the denominator "
                                 "away from zero")
        if not np.isclose(float(got), expected, rtol=1e-6, atol=1e-15):
            direction = "too large" if float(got) > expected else "too small"
            raise AssertionError(f"relative_error of {what} = {float(got):.3g} is {direction}")
    return "correct: the largest elementwise relative difference"
