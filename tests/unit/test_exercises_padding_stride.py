"""The checkers of "Padding and stride": right answers pass, each classic wrong answer
gets its misconception named, library functions are refused.

Stubs, hints and ids, the same for every chapter: test_exercises_every.py."""

import numpy as np
import pytest
from exercise_common import assert_fails

from cnnlib import check, ops, sizes
from cnnlib.exercises import contract

# --- 1. a layer on a non-square image -------------------------------------------------


RIGHT_1 = (sizes.conv_output_size(224, 7, 2, 2), sizes.conv_output_size(192, 7, 2, 2))


def test_layer_size_right_answer_passes_without_the_value():
    assert contract.expected_of("padding_stride-1") == RIGHT_1
    r = check.evaluate("padding_stride-1", RIGHT_1)
    assert r.passed and str(RIGHT_1[0]) not in r.message and str(RIGHT_1[1]) not in r.message


@pytest.mark.parametrize("answer, words", [
    ((-(-221 // 2) + 1, RIGHT_1[1]), "rounded up"),
    ((RIGHT_1[0], 190), "the stride-1 size"),
    (((224 + 2 - 7) // 2 + 1, RIGHT_1[1]), "padding on one side only"),
    (((224 - 7) // 2 + 1, RIGHT_1[1]), "the padding is missing"),
    ((221 / 2 + 1, RIGHT_1[1]), "a size is a whole number"),
    ((RIGHT_1[0], RIGHT_1[1] + 7), "the width = "),
    (RIGHT_1[0], "(height, width) pair"),
])
def test_layer_size_wrong_answers_are_named(answer, words):
    assert_fails("padding_stride-1", answer, words)


# --- 2. the formula as a function ------------------------------------------------------


def output_size(h, f, s, p):
    span = h + 2 * p - f
    if span < 0:
        raise ValueError("no window fits")
    return span // s + 1


def test_output_size_right_and_library():
    assert check.evaluate("padding_stride-2", output_size).passed
    assert_fails("padding_stride-2", sizes.conv_output_size, "write it yourself")


@pytest.mark.parametrize("func, words", [
    (lambda h, f, s, p: -(-(h + 2 * p - f) // s) + 1 if h + 2 * p >= f else output_size(h, f, s, p),
     "rounded up"),
    (lambda h, f, s, p: h + 2 * p - f + 1 if h + 2 * p >= f else output_size(h, f, s, p),
     "stride-1 size"),
    (lambda h, f, s, p: (h + p - f) // s + 1 if h + p >= f else output_size(h, f, s, p),
     "padding on one side only"),
    (lambda h, f, s, p: (h + 2 * p - f) // s + 1, "should raise ValueError"),
    (lambda h, f, s, p: output_size(h, f, s, p) if (h + 2 * p - f) % s == 0
     else (_ for _ in ()).throw(ValueError("not exact")), "ResNet's layers are like this"),
])
def test_output_size_wrong_answers_are_named(func, words):
    assert_fails("padding_stride-2", func, words)


# --- 3. a convolution with stride and padding -----------------------------------------


def conv2d(x, w, stride, padding, pad=None, flip=False, step=None, ceil=False):
    pad = pad or ((padding, padding), (padding, padding))
    xp = np.pad(x, (pad[0], pad[1], (0, 0)))
    w = w[::-1, ::-1] if flip else w
    fh, fw, _, c_out = w.shape
    step = step or stride
    rule = (lambda n, f: -(-(n - f) // stride) + 1) if ceil else (lambda n, f: (n - f) // stride + 1)
    oh, ow = rule(xp.shape[0], fh), rule(xp.shape[1], fw)
    out = np.zeros((oh, ow, c_out))
    xp = np.pad(xp, ((0, fh), (0, fw), (0, 0)))  # room for windows a rounded-up size asks for
    for i in range(oh):
        for j in range(ow):
            window = xp[i * step:i * step + fh, j * step:j * step + fw]
            out[i, j] = np.tensordot(window, w, axes=3)
    return out


def test_conv2d_right_answer_passes_and_agrees_with_ops():
    assert check.evaluate("padding_stride-3", conv2d).passed
    x = np.random.default_rng(0).normal(size=(9, 8, 3))
    w = np.random.default_rng(1).normal(size=(3, 3, 3, 2))
    np.testing.assert_allclose(conv2d(x, w, 2, 1), ops.conv2d(x[None], w, strides=2, padding=1)[0],
                               atol=1e-9)


@pytest.mark.parametrize("func, words", [
    (lambda x, w, s, p: conv2d(x, w, s, p, pad=((p, 0), (p, 0))), "padding on one side only"),
    (lambda x, w, s, p: conv2d(x, w, s, p, flip=True), "the kernel is flipped"),
    (lambda x, w, s, p: conv2d(x, w, s, p, ceil=True), "rounded up"),
    (lambda x, w, s, p: conv2d(x, w, 1, p), "the stride-1 size"),
    (lambda x, w, s, p: conv2d(x, w, s, p, step=1), "the windows move by 1"),
    (lambda x, w, s, p: conv2d(x, w, s, 0), "should have shape"),
    (lambda x, w, s, p: conv2d(x, w, s, p) * 2, "values differ"),
])
def test_conv2d_wrong_answers_are_named(func, words):
    assert_fails("padding_stride-3", func, words)


def test_conv2d_rejects_the_library():
    assert_fails("padding_stride-3", ops.conv2d, "write it yourself")


# --- 4. where 'same' pads --------------------------------------------------------------


RIGHT_4 = (15, *sizes.same_padding(30, 5, 2))


def test_same_right_answer_passes():
    assert contract.expected_of("padding_stride-4") == RIGHT_4
    assert check.evaluate("padding_stride-4", RIGHT_4).passed


@pytest.mark.parametrize("answer, words", [
    ((30, 1, 2), "only at stride 1"),
    ((13, 0, 0), "without padding ('valid')"),
    ((15, 2, 1), "wrong sides"),
    ((15, 1, 3), "never read"),
    ((15, 2, 2), "even split"),
    ((16, 1, 2), "the number of rows"),
    ((15, 0, 2), "the total padding"),
    ((15, 1), "(rows, top, bottom) triple"),
])
def test_same_wrong_answers_are_named(answer, words):
    assert_fails("padding_stride-4", answer, words)


# --- 5. two stacked convolutions are one ------------------------------------------------


def combine(k1, k2, flip=False):
    f1, f2 = k1.shape[0], k2.shape[0]
    k = np.zeros((f1 + f2 - 1, f1 + f2 - 1))
    for c in range(f2):
        for d in range(f2):
            k[c:c + f1, d:d + f1] += k2[c, d] * k1
    return k[::-1, ::-1] if flip else k


def test_combine_right_answer_passes():
    assert check.evaluate("padding_stride-5", (combine, 5)).passed


@pytest.mark.parametrize("answer, words", [
    ((lambda a, b: a * b if a.shape == b.shape else combine(a, b), 5), "wider than either"),
    ((lambda a, b: np.kron(a, b) if a.shape[0] * b.shape[0] != a.shape[0] + b.shape[0] - 1
      else combine(a, b), 5), "the sides do not multiply"),
    ((lambda a, b: combine(a, b, flip=True), 5), "the kernel is flipped"),
    ((lambda a, b: np.zeros((2, 2)), 5), "follow one output back"),
    ((lambda a, b: combine(a, b) + 1, 5), "values differ"),
    ((combine, 9), "a side, not an area"),
    ((combine, 6), "adds 2 pixels, not 3"),
    ((combine, 7), "too large"),
    ((np.kron, 5), "write it yourself"),
])
def test_combine_wrong_answers_are_named(answer, words):
    assert_fails("padding_stride-5", answer, words)
