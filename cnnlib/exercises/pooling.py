"""Checkers of the exercises in "Pooling"."""

import numpy as np

from ..sizes import pool_output_size, receptive_field
from .contract import checker
from .hints import bias_missing, compare_array, compare_value, expect_function, expect_items


@checker("pooling-1")
def odd_map(answer):
    h, w, c = expect_items(answer, "answer_1", ("height", "width", "channels"))
    side = pool_output_size(13, 2)
    if h == side + 1 or w == side + 1:
        raise AssertionError("Keras rounds down: a window that would stick out is dropped")
    compare_value(h, side, "the height")
    compare_value(w, side, "the width")
    if c != 32:
        raise AssertionError("pooling works on each channel separately: the count stays")
    return "correct: 13 ÷ 2 rounds down, the channels stay"


def _reference_pool(x):
    h, w = x.shape[0] // 2, x.shape[1] // 2
    return x[:2 * h, :2 * w].reshape(h, 2, w, 2, x.shape[2]).max(axis=(1, 3))


@checker("pooling-2")
def max_pool(func):
    expect_function(func, "max_pool")
    rng = np.random.default_rng(5)
    for shape in [(4, 4, 1), (6, 8, 3), (7, 5, 2)]:
        x = rng.normal(size=shape).astype(np.float32)
        got = func(x.copy())
        compare_array(got, _reference_pool(x), f"max_pool on x {shape}")
    return "correct on even and odd sizes, one and several channels"


@checker("pooling-3")
def field(answer):
    expected = receptive_field([(3, 1), (3, 1), (2, 2), (3, 1)])
    if answer == receptive_field([(3, 1), (3, 1), (2, 1), (3, 1)]):
        raise AssertionError("after the stride-2 pooling, each step of the next layer is 2 pixels")
    if answer == 7:
        raise AssertionError("the pooling window itself widens the field too")
    compare_value(answer, expected, "answer_3")
    return "correct: the stride-2 pooling doubles what the last layer adds"


@checker("pooling-4")
def gap_head(answer):
    expected = (64 + 1) * 10
    if answer == (7 * 7 * 64 + 1) * 10:
        raise AssertionError("that is Flatten + Dense: global average pooling leaves one value "
                             "per channel")
    bias_missing(answer, expected, 10, per="unit of the Dense layer")
    compare_value(answer, expected, "answer_4")
    return "correct: 64 averages in, (64 + 1)·10 parameters, far fewer than after Flatten"
