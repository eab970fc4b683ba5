"""Checkers of the exercises in "Counting parameters and shapes"."""

import numpy as np

from ..layers import Conv2D, Dense, Flatten, MaxPooling2D
from ..params import conv2d_params, summary
from .contract import checker
from .hints import bias_missing, compare_value, expect_items, expect_own_function

# ---------------------------------------------------------------------------
# 1. A wider convolution


@checker("parameters-1", hints=(
    "A kernel is F × F × C_in weights: it spans every channel of its input.",
    "There are as many kernels as filters, and each has one bias. The input's height and "
    "width do not enter.",
), expected=lambda: conv2d_params(5, 16, 64))
def wide_conv(answer):
    expected = conv2d_params(5, 16, 64)
    bias_missing(answer, expected, 64, per="kernel")
    if answer == conv2d_params(5, 1, 64):
        raise AssertionError("the input channels are missing: each kernel spans all 16 of them")
    if answer == conv2d_params(5, 1, 64) - 64:
        raise AssertionError("the input channels and the biases are missing")
    if isinstance(answer, (int, np.integer)) and answer > 28 * 28 * conv2d_params(5, 1, 64):
        raise AssertionError("the input's height and width do not enter a convolution's count")
    compare_value(answer, expected, "answer_1")
    return ("correct: every kernel spans all the input channels and has one bias, and the "
            "image size plays no part")


# ---------------------------------------------------------------------------
# 2. Flatten after two poolings


def _stack():
    return [Conv2D(32, 3), MaxPooling2D(2), Conv2D(64, 3), MaxPooling2D(2), Flatten(), Dense(10)]


def _flatten_answer():
    s = summary(_stack(), (28, 28, 1))
    return (s[4].output_shape[0], s[5].params)


@checker("parameters-2", hints=(
    "Walk the side: a valid 3×3 convolution takes 2 off, a 2×2 pooling halves and rounds down.",
    "Flatten multiplies out height × width × channels; the dense layer has one weight per "
    "value and unit, plus a bias per unit.",
), expected=_flatten_answer)
def flatten_after_pooling(answer):
    expect_items(answer, "answer_2", ("values", "parameters"))
    flat, dense = _flatten_answer()
    if answer[0] == 6 * 6 * 64:
        raise AssertionError("the second pooling gets an odd map: pooling rounds down")
    if answer[0] == 5 * 5 * 32:
        raise AssertionError("the channels after Flatten are those of the last convolution")
    compare_value(answer[0], flat, "the number of values after Flatten")
    bias_missing(answer[1], dense, 10, per="unit of the Dense layer")
    compare_value(answer[1], dense, "the Dense layer's parameters")
    return ("correct: each valid 3×3 convolution takes 2 off, each pooling halves and rounds "
            "down, and the dense layer has a weight per value and unit plus a bias per unit")


# ---------------------------------------------------------------------------
# 3. Your own counter

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


def _count(layers, shape, bias=True, channels=True, ceil=False):
    """The count with one classic slip switched on (bias=False, channels=False, ceil=True)."""
    (h, w, c), total, flat = shape, 0, None
    for kind, *args in layers:
        if kind == "conv":
            f, k = args
            total += k * k * (c if channels else 1) * f + (f if bias else 0)
            h, w, c = h - k + 1, w - k + 1, f
        elif kind == "pool":
            p = args[0]
            h, w = (-(-h // p), -(-w // p)) if ceil else (h // p, w // p)
        elif kind == "flatten":
            flat = h * w * c
        else:
            total += flat * args[0] + (args[0] if bias else 0)
            flat = args[0]
    return total


@checker("parameters-3", hints=(
    "Keep the current shape (H, W, C) in a variable and update it after every layer; a "
    "convolution counts with the channels before it, a dense layer with the length before it.",
    "conv: F·F·C·filters + filters, shape (H − F + 1, W − F + 1, filters); pool: H // size; "
    "flatten: H·W·C values; dense: (values + 1)·units.",
))
def counter(func):
    expect_own_function(func, "count_params")
    slips = [(dict(bias=False), "the biases are missing, one per kernel and one per unit"),
             (dict(channels=False), "the input channels are missing: a kernel spans all of "
                                    "them"),
             (dict(ceil=True), "pooling rounded up; it rounds down, dropping an odd last row")]
    for layers, shape in _CASES:
        got = func([tuple(layer) for layer in layers], shape)
        expected = summary(_specs(layers), shape).total
        if got != expected:
            for flags, why in slips:
                if got == _count(layers, shape, **flags) != expected:
                    raise AssertionError(f"count_params on {len(layers)} layers over {shape}: "
                                         f"{why}")
        compare_value(got, expected, f"count_params on {len(layers)} layers over {shape}")
    return f"correct on {len(_CASES)} stacks, odd sizes and several channels included"


# ---------------------------------------------------------------------------
# 4. The cost of a layer in multiply-adds

_MAC_CASES = [((28, 28, 1), 32, 3, 1, "valid"), ((26, 26, 32), 64, 3, 1, "valid"),
              ((56, 56, 64), 64, 3, 2, "same"), ((15, 9, 3), 4, 5, 2, "valid"),
              ((7, 7, 256), 64, 1, 1, "valid"), ((13, 13, 8), 16, 3, 1, "same")]


@checker("parameters-4", hints=(
    "One output value takes F·F·C_in multiplications, each added to a running sum: that many "
    "multiply-adds.",
    "There are O_H·O_W·C_out output values; find O_H and O_W with the output-size rule "
    "('same': ⌈H/S⌉; 'valid': ⌊(H − F)/S⌋ + 1).",
))
def conv_macs(func):
    expect_own_function(func, "conv_macs")
    for shape, filters, k, s, padding in _MAC_CASES:
        h, w, c = shape
        oh, ow, _ = Conv2D(filters, k, strides=s, padding=padding).compute_output_shape(shape)
        expected = Conv2D(filters, k, strides=s, padding=padding).macs(shape)
        where = f"conv_macs({shape}, {filters}, {k}, strides={s}, padding={padding!r})"
        got = func(shape, filters, k, strides=s, padding=padding)
        if got != expected:
            one = Conv2D(filters, k, padding=padding).compute_output_shape(shape)
            slips = [
                (one[0] * one[1] * k * k * c * filters, "the stride is ignored: with stride S "
                                                        "only every S-th position is computed"),
                (h * w * k * k * c * filters, "a multiply-add happens once per weight per "
                                              "output position: use the output's size"),
                (oh * ow * k * k * filters, "each output value sums over every input channel"),
                (expected + oh * ow * filters, "a bias is one addition, not a multiply-add; "
                                               "count the products"),
                (conv2d_params(k, c, filters) * 1, "that is the parameter count: every weight "
                                                   "is used at every output position"),
            ]
            for value, why in slips:
                if got == value != expected:
                    raise AssertionError(f"{where}: {why}")
        compare_value(got, expected, where)
    return ("correct: each of the O_H·O_W·C_out outputs costs F·F·C_in multiply-adds, so the "
            "cost grows with the map while the parameters do not")


# ---------------------------------------------------------------------------
# 5. An experiment: a larger image


def _fashion():
    return [Conv2D(32, 3, padding="same"), MaxPooling2D(2), Conv2D(64, 3, padding="same"),
            MaxPooling2D(2), Flatten(), Dense(100), Dense(10)]


def _growth():
    small, big = (summary(_fashion(), (s, s, 1)) for s in (28, 56))

    def conv(table, what):
        return sum(getattr(r, what) for r in table if "(Conv2D)" in r.name)

    return (conv(big, "params") / conv(small, "params"), conv(big, "macs") / conv(small, "macs"),
            big.total / small.total)


@checker("parameters-5", hints=(
    "params.summary(layers, (56, 56, 1)) gives the table for the larger image; sum the rows "
    "whose name ends in (Conv2D) for the convolutions.",
    "Divide each count on 56×56 by the same count on 28×28.",
))
def larger_image(answer):
    got = expect_items(answer, "answer_5", ("conv params", "conv MACs", "model params"))
    for value in got:
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
            raise AssertionError(f"each factor should be a number, got {value!r}")
    conv_p, conv_m, total = _growth()
    if abs(got[0] - 4) < 0.05:
        raise AssertionError("the convolutions' parameters do not grow: a kernel is the same "
                             "whatever the image size")
    if abs(got[0] - conv_p) > 0.01 * conv_p:
        raise AssertionError("the convolutions' parameter factor is not what params.summary "
                             "measures")
    if abs(got[1] - 2) < 0.05:
        raise AssertionError("multiply-adds grow with the number of positions, height × width, "
                             "not with the side")
    if abs(got[1] - conv_m) > 0.01 * conv_m:
        raise AssertionError("the convolutions' multiply-add factor is not what params.summary "
                             "measures")
    if abs(got[2] - 1) < 0.05:
        raise AssertionError("the whole model does grow: Flatten hands on more values, and the "
                             "first dense layer has a weight for each")
    if abs(got[2] - 4) < 0.01 and abs(total - 4) > 0.01:
        raise AssertionError("not quite fourfold: the convolutions and the last dense layer do "
                             "not grow, only the dense layer after Flatten")
    if abs(got[2] - total) > 0.01 * total:
        raise AssertionError("the whole model's factor is not what params.summary measures")
    return ("correct: the kernels stay as they are while they slide over four times the "
            "positions, and the dense layer after Flatten grows with the map it reads")
