"""Checkers of the exercises in "The convolution operation"."""

import numpy as np

from ..params import conv2d_params
from .contract import checker
from .hints import bias_missing, compare_array, compare_value, expect_function, expect_items


@checker("convolution-1")
def output_size(answer):
    h, w = expect_items(answer, "answer_1", ("height", "width"))
    compare_value(h, 28 - 5 + 1, "the height")
    compare_value(w, 28 - 5 + 1, "the width")
    return "correct: each side loses kernel size − 1 pixels"


@checker("convolution-2")
def rgb_params(answer):
    expected = conv2d_params(3, 3, 16)
    if answer == 3 * 3 * 16 + 16:
        raise AssertionError("that counts a 3×3 kernel as 9 weights; it spans all 3 channels")
    bias_missing(answer, expected, 16, per="kernel")
    compare_value(answer, expected, "answer_2")
    return "correct: 16 kernels × (3·3·3 weights + 1 bias)"


def _reference_conv(x, w):
    fh, fw = w.shape[:2]
    windows = np.lib.stride_tricks.sliding_window_view(x, (fh, fw), axis=(0, 1))
    # windows: (OH, OW, C_in, FH, FW)
    return np.einsum("ijcab,abco->ijo", windows, w)


@checker("convolution-3")
def conv_layer(func):
    expect_function(func, "conv_layer")
    rng = np.random.default_rng(3)
    for shape, kernel in [((5, 5, 1), (3, 3, 1, 1)), ((7, 6, 3), (3, 2, 3, 4)),
                          ((9, 9, 2), (1, 1, 2, 5))]:
        x = rng.normal(size=shape).astype(np.float32)
        w = rng.normal(size=kernel).astype(np.float32)
        got = func(x, w)
        compare_array(got, _reference_conv(x, w), f"conv_layer on x {shape}, w {kernel}",
                      atol=1e-4)
    return "correct on three input and kernel shapes"


@checker("convolution-4")
def edge_kernel(kernel):
    k = np.asarray(kernel, dtype=np.float64)
    if k.shape != (3, 3):
        raise AssertionError(f"edge_kernel should have shape (3, 3), got {k.shape}")
    flat = np.ones((6, 6))
    step_down = np.vstack([np.ones((3, 6)), np.zeros((3, 6))])   # bright above, dark below
    step_right = np.hstack([np.ones((6, 3)), np.zeros((6, 3))])  # a vertical edge
    respond = _reference_conv(step_down[:, :, None], k[:, :, None, None])[..., 0]
    if not np.allclose(_reference_conv(flat[:, :, None], k[:, :, None, None]), 0):
        raise AssertionError("a flat region should give 0: make the weights sum to zero")
    if not np.allclose(_reference_conv(step_right[:, :, None], k[:, :, None, None]), 0):
        raise AssertionError("a vertical edge should give 0: balance the left and right columns")
    if respond.max() <= 0:
        raise AssertionError("bright-above/dark-below should give a positive response; "
                             "check the sign of your top and bottom rows")
    return "correct: positive on the edge, zero on flat areas and vertical edges"
