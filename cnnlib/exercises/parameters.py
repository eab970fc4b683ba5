"""Checkers of the exercises in "Counting parameters and shapes"."""

from ..layers import Conv2D, Dense, Flatten, MaxPooling2D
from ..params import conv2d_params, summary
from .contract import checker
from .hints import bias_missing, compare_value, expect_function, expect_items


@checker("parameters-1")
def wide_conv(answer):
    expected = conv2d_params(5, 16, 64)
    bias_missing(answer, expected, 64, per="kernel")
    if answer == conv2d_params(5, 1, 64):
        raise AssertionError("each kernel spans all 16 input channels")
    if isinstance(answer, int) and answer > 32 * 32 * conv2d_params(5, 1, 64):
        raise AssertionError("the input's height and width do not enter a convolution's count")
    compare_value(answer, expected, "answer_1")
    return "correct: 64 kernels × (5·5·16 weights + 1 bias)"


def _stack():
    return [Conv2D(32, 3), MaxPooling2D(2), Conv2D(64, 3), MaxPooling2D(2), Flatten(), Dense(10)]


@checker("parameters-2")
def flatten_after_pooling(answer):
    expect_items(answer, "answer_2", ("values", "parameters"))
    s = summary(_stack(), (28, 28, 1))
    flat, dense = s[4].output_shape[0], s[5].params
    if answer[0] == 6 * 6 * 64:
        raise AssertionError("the second pooling gets an 11×11 map: 11/2 rounds down")
    compare_value(answer[0], flat, "the number of values after Flatten")
    bias_missing(answer[1], dense, 10, per="unit of the Dense layer")
    compare_value(answer[1], dense, "the Dense layer's parameters")
    return "correct: shapes 26 → 13 → 11 → 5, then (values + 1)·10"


_CASES = [
    ([("conv", 32, 3), ("conv", 64, 3)], (28, 28, 1)),
    ([("conv", 32, 3), ("pool", 2), ("conv", 32, 3), ("pool", 2), ("conv", 64, 3),
      ("flatten",), ("dense", 64), ("dense", 10)], (28, 28, 1)),
    ([("conv", 30, 5), ("pool", 2), ("flatten",), ("dense", 100), ("dense", 10)], (28, 28, 1)),
    ([("conv", 8, 3), ("pool", 3), ("flatten",), ("dense", 5)], (17, 11, 3)),
    ([("flatten",), ("dense", 7)], (4, 5, 2)),
]


def _specs(layers):
    make = {"conv": lambda f, k: Conv2D(f, k), "pool": lambda p: MaxPooling2D(p),
            "flatten": lambda: Flatten(), "dense": lambda u: Dense(u)}
    return [make[kind](*args) for kind, *args in layers]


@checker("parameters-3")
def counter(func):
    expect_function(func, "count_params")
    for layers, shape in _CASES:
        got = func(layers, shape)
        expected = summary(_specs(layers), shape).total
        compare_value(got, expected, f"count_params on {len(layers)} layers over {shape}")
    return f"correct on {len(_CASES)} stacks, odd sizes and several channels included"


@checker("parameters-4")
def fashion_on_56(answer):
    specs = [Conv2D(32, 3, padding="same"), MaxPooling2D(2), Conv2D(64, 3, padding="same"),
             MaxPooling2D(2), Flatten(), Dense(100), Dense(10)]
    small, big = summary(specs, (28, 28, 1)).total, summary(specs, (56, 56, 1)).total
    if answer == small:
        raise AssertionError("that is the count on 28×28; the Flatten length changes with the "
                             "input size, and so does the first dense layer")
    compare_value(answer, big, "answer_4")
    return "correct: the convolutions keep their counts, the first dense layer grows fourfold"
