"""The checkers of "Counting parameters and shapes": right answers pass, each classic
wrong answer gets its misconception named, library functions are refused.

Stubs, hints and ids, the same for every chapter: test_exercises_every.py."""

import pytest
from exercise_common import assert_fails

from cnnlib import check, params
from cnnlib.exercises import contract
from cnnlib.exercises.parameters import _count, _growth

# --- 1. a wider convolution ----------------------------------------------------------


RIGHT_1 = 5 * 5 * 16 * 64 + 64


def test_wide_conv_right_answer_passes_without_the_value():
    assert contract.expected_of("parameters-1") == RIGHT_1
    r = check.evaluate("parameters-1", RIGHT_1)
    assert r.passed and f"{RIGHT_1:,}" not in r.message and str(RIGHT_1) not in r.message


@pytest.mark.parametrize("answer, words", [
    (5 * 5 * 16 * 64, "the biases are missing"),
    (5 * 5 * 64 + 64, "the input channels are missing"),
    (5 * 5 * 64, "the input channels and the biases are missing"),
    (32 * 32 * RIGHT_1, "height and width do not enter"),
    (RIGHT_1 + 1, "too large"),
])
def test_wide_conv_wrong_answers_are_named(answer, words):
    assert_fails("parameters-1", answer, words)


# --- 2. flatten after two poolings ------------------------------------------------------


RIGHT_2 = (5 * 5 * 64, (5 * 5 * 64 + 1) * 10)


def test_flatten_right_answer_passes():
    assert contract.expected_of("parameters-2") == RIGHT_2
    r = check.evaluate("parameters-2", RIGHT_2)
    assert r.passed and "1,600" not in r.message and "→ 5" not in r.message


@pytest.mark.parametrize("answer, words", [
    ((6 * 6 * 64, (6 * 6 * 64 + 1) * 10), "pooling rounds down"),
    ((5 * 5 * 32, 8010), "those of the last convolution"),
    ((RIGHT_2[0], RIGHT_2[0] * 10), "the biases are missing"),
    ((RIGHT_2[0], RIGHT_2[1] + 10), "too large"),
    (RIGHT_2[0], "(values, parameters) pair"),
])
def test_flatten_wrong_answers_are_named(answer, words):
    assert_fails("parameters-2", answer, words)


# --- 3. your own counter -----------------------------------------------------------------


def count_params(layers, shape):
    return _count(layers, shape)


def test_counter_right_answer_passes():
    assert check.evaluate("parameters-3", count_params).passed


@pytest.mark.parametrize("flags, words", [
    (dict(bias=False), "the biases are missing"),
    (dict(channels=False), "the input channels are missing"),
    (dict(ceil=True), "pooling rounded up"),
])
def test_counter_classic_slips_are_named(flags, words):
    assert_fails("parameters-3", lambda layers, shape: _count(layers, shape, **flags), words)


def test_counter_rejects_the_library_and_reports_other_errors():
    assert_fails("parameters-3", params.summary, "write it yourself")
    assert_fails("parameters-3", lambda layers, shape: _count(layers, shape) + 1, "too large")


# --- 4. the cost of a layer in multiply-adds --------------------------------------------


def conv_macs(shape, filters, k, strides=1, padding="valid", use_input=False, c_in=True,
              bias=False, stride=True, parameters=False):
    h, w, c = shape
    s = strides if stride else 1
    if padding == "same":
        oh, ow = -(-h // s), -(-w // s)
    else:
        oh, ow = (h - k) // s + 1, (w - k) // s + 1
    if use_input:
        oh, ow = h, w
    if parameters:
        return k * k * c * filters + filters
    return oh * ow * k * k * (c if c_in else 1) * filters + (oh * ow * filters if bias else 0)


def test_conv_macs_right_answer_passes():
    assert check.evaluate("parameters-4", conv_macs).passed


@pytest.mark.parametrize("flags, words", [
    (dict(use_input=True), "use the output's size"),
    (dict(c_in=False), "sums over every input channel"),
    (dict(bias=True), "a bias is one addition"),
    (dict(stride=False), "the stride is ignored"),
    (dict(parameters=True), "that is the parameter count"),
])
def test_conv_macs_classic_slips_are_named(flags, words):
    assert_fails("parameters-4", lambda *a, **kw: conv_macs(*a, **kw, **flags), words)


def test_conv_macs_rejects_the_library():
    from cnnlib.layers import Conv2D
    assert_fails("parameters-4", Conv2D(8, 3).macs, "write it yourself")


# --- 5. a larger image: what grows ---------------------------------------------------------


def test_growth_right_answer_passes():
    conv_p, conv_m, total = _growth()
    assert (conv_p, conv_m) == (1.0, 4.0) and 3 < total < 4
    assert check.evaluate("parameters-5", (conv_p, conv_m, total)).passed
    assert check.evaluate("parameters-5", (1, 4, round(total, 2))).passed


@pytest.mark.parametrize("answer, words", [
    ((4, 4, 3.82), "the convolutions' parameters do not grow"),
    ((1.5, 4, 3.82), "parameter factor is not what"),
    ((1, 2, 3.82), "height × width"),
    ((1, 3, 3.82), "multiply-add factor is not what"),
    ((1, 4, 1), "the whole model does grow"),
    ((1, 4, 4), "not quite fourfold"),
    ((1, 4, 3.5), "the whole model's factor is not what"),
    ((1, "four", 3.82), "should be a number"),
    ((1, 4), "triple"),
])
def test_growth_wrong_answers_are_named(answer, words):
    assert_fails("parameters-5", answer, words)
