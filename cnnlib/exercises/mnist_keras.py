"""Checkers of the exercises in "MNIST with Keras"."""

import numpy as np

from .. import sizes
from ..params import conv2d_params
from ..sizes import conv_output_size
from .contract import checker
from .hints import bias_missing, compare_array, compare_value, expect_function


@checker("mnist_keras-1")
def second_conv_params(answer):
    expected = conv2d_params(3, 16, 32)
    if answer == 3 * 3 * 32 + 32:
        raise AssertionError("that counts 3·3 weights per kernel; each kernel spans "
                             "every channel the first layer gives it")
    bias_missing(answer, expected, 32, per="kernel")
    if answer == conv2d_params(3, 32, 32):
        raise AssertionError("that is the depth of the chapter's model; here the first "
                             "layer has fewer kernels")
    compare_value(answer, expected, "answer_1")
    return "correct: 32 kernels × (3·3·16 weights + 1 bias)"


@checker("mnist_keras-2")
def last_map_values(answer):
    side = 28
    for _ in range(4):
        side = conv_output_size(side, 3)
    expected = side * side * 64
    if answer == side * side:
        raise AssertionError("that is one channel's height × width; the map has 64 channels")
    compare_value(answer, expected, "answer_2")
    return ("correct: each valid 3×3 layer takes 1 pixel off each side (2 off the height and 2 "
            "off the width), and the map keeps 64 channels")


def _reference_one_hot(labels, num_classes):
    return np.eye(num_classes, dtype=np.float32)[np.asarray(labels)]


@checker("mnist_keras-3")
def one_hot(func):
    expect_function(func, "one_hot")
    cases = [(np.array([3, 0, 9]), 10), (np.array([1, 1, 0, 3]), 4),
             (np.arange(10, dtype=np.uint8), 10)]
    for labels, k in cases:
        got = np.asarray(func(labels, k))
        if got.shape != (len(labels), k):
            raise AssertionError(f"one_hot({labels.tolist()}, {k}) should have shape "
                                 f"{(len(labels), k)} (one row per label), got {got.shape}")
        compare_array(got, _reference_one_hot(labels, k), f"one_hot({labels.tolist()}, {k})")
    return "correct: one row per label, a 1 in the label's column"


@checker("mnist_keras-4")
def receptive_field(answer):
    small = [(3, 1), (2, 2), (3, 1), (2, 2), (3, 1)]   # (kernel, stride), first layer first
    expected = sizes.receptive_field(small)
    if answer == sizes.receptive_field([(3, 1)] * 3):
        raise AssertionError("that is the window without pooling; after each 2×2 pooling "
                             "step, one step of the next kernel moves twice as many pixels")
    if answer == sizes.receptive_field(small[:3]):
        raise AssertionError("that is the second convolution; go on through the second "
                             "pooling layer and the third convolution")
    compare_value(answer, expected, "answer_4")
    return "correct: 3, 4, 8, 10, 18 — pooling makes each later layer see much further"
