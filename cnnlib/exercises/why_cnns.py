"""Checkers of the exercises in "Why convolutional networks"."""

import numpy as np

from ..params import conv2d_params, dense_params
from ..sizes import receptive_field
from .contract import checker
from .hints import bias_missing, compare_array, compare_value, expect_function


@checker("why_cnns-1")
def dense_as_big_as_a_feature_map(answer):
    expected = dense_params(28 * 28, 26 * 26)
    bias_missing(answer, expected, 26 * 26, per="output")
    if answer == conv2d_params(3, 1, 1):
        raise AssertionError("that is the convolution's count; the question asks about Dense")
    compare_value(answer, expected, "answer_1")
    return (f"correct: {expected:,} parameters where Conv2D(1, 3) needs "
            f"{conv2d_params(3, 1, 1)} for a map of the same size")



@checker("why_cnns-2")
def unshuffle(func):
    expect_function(func, "unshuffle")
    rng = np.random.default_rng(2)
    for shape in [(3, 4, 4), (5, 28, 28)]:
        x = rng.random(shape).astype(np.float32)
        perm = rng.permutation(shape[1] * shape[2])
        shuffled = x.reshape(len(x), -1)[:, perm].reshape(shape)
        got = func(shuffled, perm)
        if np.shape(got) == (len(x), shape[1] * shape[2]):
            raise AssertionError("the pixels are right but flat: reshape to (N, H, W)")
        if np.allclose(np.asarray(got), x.reshape(len(x), -1)[:, perm[perm]].reshape(shape)):
            raise AssertionError("that applies the shuffle a second time; you need its inverse")
        compare_array(got, x, f"unshuffle on images of shape {shape}")
    return "correct: the inverse permutation puts every pixel back"


def _corr2d(x, k):
    windows = np.lib.stride_tricks.sliding_window_view(x, k.shape)
    return np.einsum("ijab,ab->ij", windows, k)


@checker("why_cnns-3")
def conv_as_dense(func):
    expect_function(func, "conv_as_dense")
    rng = np.random.default_rng(3)
    for size, f in [(4, 3), (6, 3), (5, 2)]:
        k = rng.normal(size=(f, f)).astype(np.float32)
        x = rng.normal(size=(size, size)).astype(np.float32)
        out = size - f + 1
        got = func(k, size)
        if np.shape(got) == (out * out, size * size):
            raise AssertionError("rows and columns are swapped: the matrix multiplies a "
                                 "flattened image from the right, x.ravel() @ w")
        if np.shape(got) != (size * size, out * out):
            raise AssertionError(f"for a {size}×{size} input and a {f}×{f} kernel the matrix "
                                 f"should have shape {(size * size, out * out)}, "
                                 f"got {np.shape(got)}")
        got = np.asarray(got, dtype=np.float64)
        compare_array(x.ravel() @ got, _corr2d(x, k).ravel(),
                      f"x.ravel() @ conv_as_dense(k, {size}) for a {f}×{f} kernel", atol=1e-4)
    return "correct: a convolution is a dense layer with most weights zero and the rest shared"


@checker("why_cnns-4")
def stacked_receptive_field(answer):
    expected = receptive_field([(3, 1), (2, 2), (3, 1)])
    if answer == receptive_field([(3, 1), (3, 1)]):
        raise AssertionError("that ignores the pooling layer: after it, one step of the "
                             "second kernel is two input pixels")
    compare_value(answer, expected, "answer_4")
    return "correct: pooling between the convolutions widens what the second one sees"
