"""The checkers of "The convolution operation": right answers pass, each classic wrong
answer gets its misconception named, library functions are refused.

Stubs, hints and ids, the same for every chapter: test_exercises_every.py."""

import json
from pathlib import Path

import numpy as np
import pytest
from exercise_common import assert_fails

from cnnlib import check
from cnnlib.exercises import contract
from cnnlib.exercises.convolution import FLIP_CANDIDATES, _edge_ratios, _most_least

CHAPTER = Path(__file__).resolve().parents[2] / "chapters" / "convolution.ipynb"


# --- 1. a full convolution layer ---------------------------------------------------


def conv_layer(x, w, flip=False):
    w = w[::-1, ::-1] if flip else w
    fh, fw, _, c_out = w.shape
    oh, ow = x.shape[0] - fh + 1, x.shape[1] - fw + 1
    out = np.zeros((oh, ow, c_out))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = np.tensordot(x[i:i + fh, j:j + fw], w, axes=3)
    return out


def per_channel(x, w):
    fh, fw, c_in, c_out = w.shape
    oh, ow = x.shape[0] - fh + 1, x.shape[1] - fw + 1
    out = np.zeros((oh, ow, c_in, c_out))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = np.einsum("abc,abco->co", x[i:i + fh, j:j + fw], w)
    return out


def test_conv_layer_right_answer_passes():
    assert check.evaluate("convolution-1", conv_layer).passed


@pytest.mark.parametrize("func, words", [
    (lambda x, w: conv_layer(x, w, flip=True), "the kernel is flipped"),
    (per_channel, "a kernel sums over all input channels"),
    (lambda x, w: np.moveaxis(conv_layer(x, w), -1, 0), "channels go last"),
    (lambda x, w: conv_layer(np.pad(x, ((w.shape[0] // 2,) * 2, (w.shape[1] // 2,) * 2, (0, 0))),
                             w)[:x.shape[0], :x.shape[1]], "no padding here"),
    (lambda x, w: conv_layer(x[:, :, :1], w[:, :, :1]), "only the first input channel"),
    (lambda x, w: conv_layer(x, w) + 1, "values differ"),
])
def test_conv_layer_wrong_answers_are_named(func, words):
    assert_fails("convolution-1", func, words)


def test_conv_layer_rejects_a_library_function():
    assert_fails("convolution-1", np.tensordot, "write it yourself")


# --- 2. kernels the flip leaves alone ------------------------------------------------


RIGHT_SET = {"blur", "sharpen", "half turn"}


def test_flip_right_answer_passes_as_set_list_or_tuple():
    for answer in (RIGHT_SET, sorted(RIGHT_SET), tuple(RIGHT_SET)):
        assert check.evaluate("convolution-2", answer).passed


@pytest.mark.parametrize("extra, words", [
    ("vertical edge", "flipped is its negative"),
    ("diagonal mirror", "equal to its transpose"),
    ("left-right mirror", "a left-right mirror is not enough"),
])
def test_flip_wrong_inclusions_are_named(extra, words):
    assert_fails("convolution-2", RIGHT_SET | {extra}, words)


def test_flip_missing_one_and_wrong_types():
    assert_fails("convolution-2", {"blur", "sharpen"}, "equals itself turned by 180°")
    assert_fails("convolution-2", RIGHT_SET | {"emboss"}, "not among the candidates")
    assert_fails("convolution-2", "blur", "set of kernel names")


def test_the_chapter_shows_the_checkers_candidates():
    nb = json.loads(CHAPTER.read_text(encoding="utf-8"))
    setup = next("".join(c["source"]) for c in nb["cells"]
                 if c["cell_type"] == "code" and "".join(c["source"]).startswith("candidates = {"))
    shown = {}
    exec(setup, {"np": np}, shown)
    assert shown["candidates"].keys() == FLIP_CANDIDATES.keys()
    for name, kernel in FLIP_CANDIDATES.items():
        np.testing.assert_array_equal(shown["candidates"][name], kernel)


# --- 3. which digits are most vertical (re-measured) -----------------------------------


def test_vertical_digits_right_answer_passes_and_registers_it():
    right = _most_least(_edge_ratios())
    assert contract.expected_of("convolution-3") == right
    r = check.evaluate("convolution-3", right)
    assert r.passed and str(right) not in r.message


def test_vertical_digits_wrong_answers_are_named():
    most, least = _most_least(_edge_ratios())
    signed = _most_least(_edge_ratios(lambda a: a))
    assert signed[1] != least, "the signed measurement must differ for this test to mean anything"
    assert_fails("convolution-3", (least, most), "swapped")
    assert_fails("convolution-3", (most, signed[1]), "signed responses")
    other = next(c for c in range(10) if c not in (most, least, signed[1]))
    assert_fails("convolution-3", (other, least), "most vertical class is not right")
    assert_fails("convolution-3", (most, other), "least vertical class is not right")
    assert_fails("convolution-3", (most, 12), "a class is a digit")
    assert_fails("convolution-3", most, "(most vertical, least vertical) pair")


# --- 4. a 5×5 horizontal-edge detector --------------------------------------------------


RIGHT_KERNEL = np.array([[1] * 5, [1] * 5, [0] * 5, [-1] * 5, [-1] * 5], float)


def test_edge_kernel_right_answers_pass():
    assert check.evaluate("convolution-4", RIGHT_KERNEL).passed
    sobel_like = np.outer([1, 2, 0, -2, -1], np.ones(5))
    assert check.evaluate("convolution-4", sobel_like).passed


@pytest.mark.parametrize("kernel, words", [
    (np.array([[1, 1, 1], [0, 0, 0], [-1, -1, -1]]), "should be 5×5"),
    (np.ones((4, 4)), "shape (5, 5)"),
    (RIGHT_KERNEL + 0.1, "make the weights sum to zero"),
    (RIGHT_KERNEL + np.pad([[1, 0, 0, 0, -1]], ((0, 4), (0, 0))), "make every column add up"),
    (-RIGHT_KERNEL, "your signs detect the opposite edge"),
    (RIGHT_KERNEL * 1e-9, "scale the weights up"),
    (np.zeros((5, 5)), "gives no response"),
    ("edge", "an array of numbers"),
])
def test_edge_kernel_wrong_answers_are_named(kernel, words):
    assert_fails("convolution-4", kernel, words)
