"""An instructor's hidden test case for the crafted chapter "demo" (tests/submissions.py):
a wide input, which demo-3's normal checks (square inputs only) never try.
It is a file of the grader's, never part of a chapter or a student copy."""

import numpy as np

from cnnlib.check import compare_array
from cnnlib.grading.extra import extra_check


@extra_check("demo-3")
def on_a_wide_input(conv_layer):
    x, w = np.arange(36.0).reshape(4, 9, 1), np.ones((1, 7, 1, 2))
    want = np.stack([np.convolve(row, np.ones(7), "valid") for row in x[..., 0]])[..., None]
    compare_array(conv_layer(x, w), np.repeat(want, 2, axis=-1),
                  "conv_layer on a 4×9 input (a hidden case)")
