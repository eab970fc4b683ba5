"""Checkers of the exercises in "Fashion-MNIST with Keras".

1. ``split_indices`` — a seeded, shuffled, complete split into training and validation;
2. a bar read off a chart numbered from 1 — which class it is;
3. ``recall_precision`` — reading a confusion matrix by its rows and by its columns;
4. an experiment: the improved model with one ingredient taken out, trained briefly
   (checked on the learner's own runs).
"""

from __future__ import annotations

import numpy as np

from ..data import FASHION_CLASSES
from .contract import checker
from .hints import compare_array, compare_value, expect_own_function

# ---------------------------------------------------------------------------
# 1. split_indices


@checker("fashion_mnist-1", hints=(
    "np.random.default_rng(seed).permutation(n) puts every index 0..n-1 in a random place "
    "exactly once; cut that order in two.",
    "The validation part holds round(n · val_fraction) indices (round, not int, which cuts "
    "off); the same seed must give the same permutation.",
))
def split_indices(func):
    expect_own_function(func, "split_indices")
    for n, frac, seed in [(60_000, 0.2, 42), (10, 0.37, 0), (101, 0.25, 7), (50, 0.29, 3)]:
        got = func(n, frac, seed)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise AssertionError("split_indices should return a pair (train_idx, val_idx)")
        train, val = (np.asarray(a) for a in got)
        if not (np.issubdtype(train.dtype, np.integer) and np.issubdtype(val.dtype, np.integer)):
            raise AssertionError("the indices should be integer arrays")
        where = f"for n={n}, val_fraction={frac}"
        if len(val) == int(n * frac) != round(n * frac):
            raise AssertionError(f"{where} the validation part is one index short: int() cuts "
                                 "n · val_fraction off, round it instead")
        if len(train) == round(n * frac) and len(val) == n - round(n * frac) and n * frac != n / 2:
            raise AssertionError(f"{where} the two parts are swapped: return (train_idx, val_idx), "
                                 "the validation part the smaller one")
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
    if np.array_equal(np.sort(first), np.sort(np.asarray(func(1000, 0.2, 1)[1]))):
        raise AssertionError("another seed gave the same split: draw the permutation from a "
                             "generator seeded with seed")
    return "correct: disjoint, complete, the right sizes, shuffled, and repeatable"


# ---------------------------------------------------------------------------
# 2. A bar numbered from 1

#: The bar the exercise names, counted from 1 as the notes' chart counts.
BAR = 7


def _bar_index() -> int:
    return BAR - 1


@checker("fashion_mnist-2", hints=(
    "The chart numbers its bars 1 to 10; Python, the labels, argmax and FASHION_CLASSES count "
    "from 0.",
    "The first bar, bar 1, is index 0. Which index is bar 7?",
), expected=_bar_index)
def bar_index(answer):
    if isinstance(answer, str):
        raise AssertionError("answer_2 should be the index (a whole number), not the class name")
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)):
        raise AssertionError(f"answer_2 should be a whole number, an index into "
                             f"data.FASHION_CLASSES, got {answer!r}")
    if answer == BAR:
        raise AssertionError("that is the bar's number counted from 1 — the notes' very slip; "
                             "FASHION_CLASSES counts from 0")
    if answer == BAR + 1:
        raise AssertionError("one off in the wrong direction: counting from 0 makes every "
                             "index smaller than the bar's number, not larger")
    if not 0 <= answer < len(FASHION_CLASSES):
        raise AssertionError(f"answer_2 = {answer} is not an index of data.FASHION_CLASSES "
                             f"(0 to {len(FASHION_CLASSES) - 1})")
    if answer != _bar_index():
        raise AssertionError("not that one: bar 1 is index 0, so count on from there")
    return "correct: a bar counted from 1 is the index one lower, counted from 0"


# ---------------------------------------------------------------------------
# 3. Recall and precision from a confusion matrix


def _recall_precision(cm):
    cm = np.asarray(cm, dtype=np.float64)
    diag = np.diag(cm)
    rows, cols = cm.sum(axis=1), cm.sum(axis=0)
    recall = np.divide(diag, rows, out=np.zeros_like(diag), where=rows > 0)
    precision = np.divide(diag, cols, out=np.zeros_like(diag), where=cols > 0)
    return recall, precision


@checker("fashion_mnist-3", hints=(
    "Row i of the matrix holds every image whose true class is i, column j every image the "
    "model called j; the diagonal holds the right answers.",
    "Recall of class i: its diagonal entry over its row's sum (of the true i's, how many were "
    "found). Precision: the diagonal entry over its column's sum (of the predicted i's, how "
    "many were right). A class with an empty row or column gets 0.",
))
def recall_precision(func):
    expect_own_function(func, "recall_precision")
    rng = np.random.default_rng(3)
    never_predicted = np.array([[5, 0, 1], [2, 0, 3], [1, 0, 8]])     # column 1 is empty
    cms = [np.array([[8, 2], [1, 5]]), rng.integers(0, 40, size=(10, 10)), never_predicted,
           np.array([[3, 1, 0, 0], [0, 0, 0, 0], [2, 0, 5, 1], [0, 1, 0, 6]])]   # row 1 empty
    for cm in cms:
        what = f"recall_precision of a {cm.shape[0]}×{cm.shape[1]} matrix"
        with np.errstate(divide="ignore", invalid="ignore"):
            got = func(cm.copy())
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise AssertionError("recall_precision should return a pair (recall, precision) "
                                 "of arrays, one value per class")
        recall, precision = (np.asarray(a, dtype=np.float64) for a in got)
        want_r, want_p = _recall_precision(cm)
        for arr, name in ((recall, "recall"), (precision, "precision")):
            if arr.shape != want_r.shape:
                raise AssertionError(f"{what}: {name} should have one value per class, shape "
                                     f"{want_r.shape}, got {arr.shape}")
        if np.isnan(recall).any() or np.isnan(precision).any():
            raise AssertionError(f"{what} gives nan for a class with an empty row or column; "
                                 "count it as 0 (no image of it found, none predicted right)")
        if np.allclose(recall, want_p) and np.allclose(precision, want_r) \
                and not np.allclose(want_r, want_p):
            raise AssertionError(f"{what}: recall and precision are swapped. A row of the matrix "
                                 "is one true class: recall divides by the row's sum")
        accuracy = np.trace(cm) / cm.sum()
        if np.allclose(recall, accuracy) and not np.allclose(want_r, accuracy):
            raise AssertionError(f"{what}: every class gets the overall accuracy; recall is "
                                 "per class, the diagonal entry over that class's own row")
        compare_array(recall, want_r, f"the recall in {what}")
        compare_array(precision, want_p, f"the precision in {what}")
    return ("correct: a row is one true class, so its diagonal share is how many of them were "
            "found; a column is one prediction, so its diagonal share is how often that "
            "prediction was right")


# ---------------------------------------------------------------------------
# 4. Experiment: ablate one ingredient

_INGREDIENTS = {"BatchNormalization": "batch normalization", "RandomFlip": "the flipped images",
                "Dropout": "dropout"}


def _layer_counts(model):
    counts = {}
    for layer in model.layers:
        name = type(layer).__name__
        counts[name] = counts.get(name, 0) + 1
    return counts


def _unpack(answer, key):
    import keras

    history = answer[key]
    if not isinstance(history, keras.callbacks.History) or getattr(history, "model", None) is None:
        raise AssertionError(f'answer_4["{key}"] should be the History that model.fit returned, '
                             f"got {type(history).__name__}")
    if "val_accuracy" not in history.history:
        raise AssertionError(f'the run "{key}" has no validation accuracy: pass validation_data '
                             "to fit and metrics=['accuracy'] to compile")
    return history


def removed_ingredient(full_model, ablated_model) -> str:
    """Which of the improved model's ingredients ``ablated_model`` lacks: "batch
    normalization", "the flipped images", "dropout" or "the third block"; an
    ``AssertionError`` when it is none or more than one."""
    full, ablated = _layer_counts(full_model), _layer_counts(ablated_model)
    gone = [label for name, label in _INGREDIENTS.items()
            if full.get(name, 0) > 0 and ablated.get(name, 0) == 0]
    if ablated.get("Conv2D", 0) < full.get("Conv2D", 0):
        gone.append("the third block")
    others = {name for name in set(full) | set(ablated)
              if name not in _INGREDIENTS and name not in ("Conv2D", "MaxPooling2D", "ReLU",
                                                           "Dense", "Activation", "InputLayer")
              and full.get(name, 0) != ablated.get(name, 0)}
    if not gone:
        raise AssertionError('the "ablated" model has every ingredient of the "full" one: take '
                             "out all its batch normalization, all its dropout, the flip, or "
                             "the third block")
    if len(gone) > 1 or others:
        raise AssertionError(f"the ablated model lacks more than one ingredient "
                             f"({', '.join(gone + sorted(others))}); take out one at a time, "
                             "or you cannot tell which one mattered")
    return gone[0]


@checker("fashion_mnist-4", hints=(
    "recipe_model(...) builds better_model() with one ingredient out (with batch normalization "
    "out, give the convolutions their bias back), compile both alike, and fit both on the "
    "same images for the same epochs with validation_data.",
    "Keep what each fit returns. 'higher' is the run whose validation accuracy — "
    "history.history['val_accuracy'] — is higher after the last epoch, not the training "
    "accuracy.",
))
def ablation(answer):
    if not isinstance(answer, dict) or not all(k in answer for k in ("full", "ablated", "higher")):
        raise AssertionError('answer_4 should be a dict with the keys "full", "ablated" and '
                             '"higher"')
    full, ablated = _unpack(answer, "full"), _unpack(answer, "ablated")
    ingredient = removed_ingredient(full.model, ablated.model)
    if len(full.epoch) != len(ablated.epoch):
        raise AssertionError("train both models for the same number of epochs")
    if answer["higher"] not in ("full", "ablated"):
        raise AssertionError(f'answer_4["higher"] should be "full" or "ablated", got '
                             f"{answer['higher']!r}")
    val = {"full": full.history["val_accuracy"][-1], "ablated": ablated.history["val_accuracy"][-1]}
    if val["full"] != val["ablated"]:
        higher = max(val, key=val.get)
        if answer["higher"] != higher:
            train = {k: h.history.get("accuracy", [None])[-1]
                     for k, h in (("full", full), ("ablated", ablated))}
            if None not in train.values() and answer["higher"] == max(train, key=train.get):
                raise AssertionError('"higher": that is the run with the higher training '
                                     "accuracy; compare the validation accuracy")
            raise AssertionError('"higher": by your own runs the other one has the higher '
                                 "validation accuracy after the last epoch")
    return (f"correct, read off your own runs without {ingredient}: one ingredient out at a time "
            "is how to tell what each contributes — and in a short run on few images the "
            "answer may differ from a long one, so rerun with another seed before trusting it")
