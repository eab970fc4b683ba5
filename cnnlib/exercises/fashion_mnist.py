"""Checkers of the exercises in "Fashion-MNIST with Keras"."""

import numpy as np

from ..data import FASHION_CLASSES, FASHION_CLASSES_KO
from ..params import dense_params
from .contract import checker
from .hints import bias_missing, compare_value, expect_function


@checker("fashion_mnist-1")
def split_indices(func):
    expect_function(func, "split_indices")
    for n, frac, seed in [(60_000, 0.2, 42), (10, 0.3, 0), (101, 0.25, 7)]:
        got = func(n, frac, seed)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise AssertionError("split_indices should return a pair (train_idx, val_idx)")
        train, val = (np.asarray(a) for a in got)
        if not (np.issubdtype(train.dtype, np.integer) and np.issubdtype(val.dtype, np.integer)):
            raise AssertionError("the indices should be integer arrays")
        where = f"for n={n}, val_fraction={frac}"
        compare_value(len(val), int(round(n * frac)), f"the validation size {where}")
        compare_value(len(train), n - int(round(n * frac)), f"the training size {where}")
        if len(np.intersect1d(train, val)) or len(np.unique(np.concatenate([train, val]))) != n:
            raise AssertionError(f"{where} every index 0..n-1 should be in exactly one of the parts")
        again = func(n, frac, seed)
        if not np.array_equal(np.asarray(again[1]), val):
            raise AssertionError("the same seed should give the same split; seed your generator")
    first = np.asarray(func(1000, 0.2, 0)[1])
    if np.array_equal(np.sort(first), np.arange(800, 1000)) or np.array_equal(
            np.sort(first), np.arange(200)):
        raise AssertionError("the validation part is a block of consecutive indices; shuffle first")
    return "correct: disjoint, complete, the right sizes, and repeatable"


@checker("fashion_mnist-2")
def class_nine(answer):
    if not isinstance(answer, str):
        raise AssertionError(f"answer_2 should be a class name (a string), got {type(answer).__name__}")
    got = answer.strip().lower()
    if got in (FASHION_CLASSES[9].lower(), FASHION_CLASSES_KO[9]):
        raise AssertionError("that is the class at index 9; the note counted its bars from 1")
    if got not in (FASHION_CLASSES[8].lower(), FASHION_CLASSES_KO[8]):
        raise AssertionError("not that one: the note's 'class 9' is the ninth class counting "
                             "from 1; find its index counting from 0")
    return "correct: the ninth class is index 8"


@checker("fashion_mnist-3")
def dense_count(answer):
    flat = 7 * 7 * 64
    expected = dense_params(flat, 100)
    bias_missing(answer, expected, 100, per="unit")
    if answer == dense_params(14 * 14 * 64, 100) or answer == dense_params(28 * 28 * 64, 100):
        raise AssertionError("each 2×2 pooling halves the height and the width; count both pools")
    if answer == dense_params(7 * 7 * 32, 100):
        raise AssertionError("the last convolution has 64 channels, not 32")
    compare_value(answer, expected, "answer_3")
    return f"correct: {flat:,}·100 + 100; most of the model's parameters sit in this one layer"


@checker("fashion_mnist-4")
def accuracy_from_cm(func):
    expect_function(func, "accuracy_from_cm")
    rng = np.random.default_rng(4)
    cms = [np.array([[5, 1], [2, 2]]), np.diag([3, 4, 5]), rng.integers(0, 50, size=(10, 10))]
    for cm in cms:
        got = func(cm)
        expected = np.trace(cm) / cm.sum()
        compare_value(got, float(expected), f"accuracy_from_cm on a {cm.shape[0]}×{cm.shape[1]} matrix")
    return "correct: the diagonal's sum over the total count"
