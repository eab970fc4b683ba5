"""The checkers of the crafted chapter "demo" (tests/submissions.py), as an instructor's
extra-checks file: ``python -m cnnlib.grading ... --extra-checks tests/grading_checks.py``.
cnnlib has no checker for these ids, so these are the whole check. The hidden cases of
tests/grading_hidden.py come on top.
"""

import numpy as np

from cnnlib.check import compare_array, compare_value, expect_own_function
from cnnlib.exercises.hints import expect_items
from cnnlib.grading.extra import extra_check


@extra_check("demo-1")
def output_size(answer):
    h, w = expect_items(answer, "answer_1", ("height", "width"))
    compare_value(h, 24, "the height")
    compare_value(w, 24, "the width")
    return "correct: each side loses kernel size − 1 pixels"


@extra_check("demo-2")
def rgb_params(answer):
    if answer == 3 * 3 * 16 + 16:
        raise AssertionError("that counts a 3×3 kernel as 9 weights; it spans all 3 channels")
    compare_value(answer, 3 * 3 * 3 * 16 + 16, "answer_2")
    return "correct: 16 kernels × (3·3·3 weights + 1 bias)"


def _reference(x, w):
    fh, fw = w.shape[:2]
    windows = np.lib.stride_tricks.sliding_window_view(x, (fh, fw), axis=(0, 1))
    return np.einsum("ijcab,abco->ijo", windows, w)


@extra_check("demo-3")
def conv_layer(func):
    expect_own_function(func, "conv_layer")
    rng = np.random.default_rng(3)
    for shape, kernel in [((5, 5, 1), (3, 3, 1, 1)), ((6, 6, 3), (3, 2, 3, 4))]:
        x, w = rng.normal(size=shape), rng.normal(size=kernel)
        compare_array(func(x, w), _reference(x, w), f"conv_layer on x {shape}, w {kernel}")
    return "correct on two input and kernel shapes"


@extra_check("demo-4")
def edge_kernel(kernel):
    k = np.asarray(kernel, dtype=np.float64)
    if k.shape != (3, 3):
        raise AssertionError(f"edge_kernel should have shape (3, 3), got {k.shape}")
    if not np.isclose(k.sum(), 0):
        raise AssertionError("a flat region should give 0: make the weights sum to zero")
    if not np.allclose(k[:, 0], k[:, 2]):
        raise AssertionError("a vertical edge should give 0: balance the left and right columns")
    if k[0].sum() <= k[2].sum():
        raise AssertionError("bright-above/dark-below should give a positive response")
    return "correct: positive on the edge, zero on flat areas and vertical edges"
