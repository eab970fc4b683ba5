"""Checkers of the exercises in "MNIST with Keras".

1. ``one_hot`` — what ``keras.utils.to_categorical`` does, written by hand;
2. ``dropout`` — inverted dropout: drop with probability ``rate``, rescale the rest;
3. early stopping — how many epochs a run lasts and which epoch's weights it keeps;
4. an experiment: the small convnet with and without its pooling layers, trained
   briefly, timed and compared on the validation set (checked on the learner's runs).
"""

from __future__ import annotations

import time

import numpy as np

from .contract import checker
from .hints import compare_array, expect_own_function

# ---------------------------------------------------------------------------
# 1. one_hot


@checker("mnist_keras-1", hints=(
    "Start from an (N, num_classes) array of zeros and put a 1 in row i, column labels[i].",
    "Row k of np.eye(num_classes) is the one-hot vector of label k, so indexing the identity "
    "with the labels builds every row at once. Label 0 is column 0.",
))
def one_hot(func):
    expect_own_function(func, "one_hot")
    cases = [(np.array([3, 0, 9]), 10), (np.array([1, 1, 0, 3]), 4),
             (np.arange(10, dtype=np.uint8), 10), (np.array([0, 2]), 5)]
    for labels, k in cases:
        what = f"one_hot({labels.tolist()}, {k})"
        got = np.asarray(func(labels.copy(), k))
        want = np.eye(k, dtype=np.float32)[labels]
        if got.shape == (k, len(labels)) and k != len(labels):
            raise AssertionError(f"{what} has shape {got.shape}: one row per label, one column "
                                 "per class — the transpose")
        if got.shape == (len(labels), int(labels.max()) + 1) and got.shape != want.shape:
            raise AssertionError(f"{what} has {got.shape[1]} columns: there are num_classes "
                                 "columns even when the largest label in the batch is smaller")
        if got.shape != want.shape:
            raise AssertionError(f"{what} should have shape {want.shape} (one row per label, "
                                 f"one column per class), got {got.shape}")
        shifted = np.zeros_like(want)
        keep = labels > 0
        shifted[np.flatnonzero(keep), labels[keep] - 1] = 1
        if np.array_equal(got, shifted) and not np.array_equal(got, want):
            raise AssertionError(f"{what}: each 1 sits one column to the left — classes are "
                                 "counted from 0, so label k goes into column k")
        if not np.issubdtype(got.dtype, np.floating):
            raise AssertionError(f"{what} is an array of {got.dtype}; the loss compares it with "
                                 "probabilities, so return floats")
        compare_array(got, want, what)
    return ("correct: one row per label, a single 1 in the label's column, counted from 0, "
            "and as many columns as classes whatever the batch holds")


# ---------------------------------------------------------------------------
# 2. dropout


@checker("mnist_keras-2", hints=(
    "In training, draw a mask with rng.random(x.shape) >= rate (True for the values that "
    "stay), and set the others to 0. Outside training, return x as it is.",
    "Then the survivors must make up for the dropped: multiply them by 1 / (1 − rate), so "
    "that every value keeps its expected value and prediction needs no correction.",
))
def dropout(func):
    expect_own_function(func, "dropout")
    x = np.ones((40, 25, 25, 2))                           # 50,000 values
    for rate in (0.25, 0.5):
        what = f"dropout with rate {rate}"
        held = func(x.copy(), rate, False, np.random.default_rng(0))
        held = np.asarray(held, dtype=np.float64)
        if held.shape == x.shape and np.allclose(held, 1 - rate):
            raise AssertionError(f"{what}, training=False: you scale by 1 − rate at prediction "
                                 "time; Keras's (inverted) dropout rescales during training, so "
                                 "at prediction time it lets every value through untouched")
        compare_array(held, x, f"{what}, training=False")
        got = np.asarray(func(x.copy(), rate, True, np.random.default_rng(1)), dtype=np.float64)
        if got.shape != x.shape:
            raise AssertionError(f"{what} should keep the input's shape {x.shape}, got {got.shape}")
        dropped = float(np.mean(got == 0))
        if abs(dropped - (1 - rate)) < 0.02 and rate != 0.5:
            raise AssertionError(f"{what}: you drop a fraction 1 − rate of the values; rate is "
                                 "the fraction dropped, not the fraction kept")
        if abs(dropped - rate) > 0.02:
            raise AssertionError(f"{what} sets {dropped:.1%} of the values to 0; each value should "
                                 "be dropped independently with probability rate")
        kept = got[got != 0]
        if np.allclose(kept, 1):
            raise AssertionError(f"{what}: the dropout rescaling is forgotten — the values kept "
                                 "are unchanged, so the layer's output is smaller on average in "
                                 "training than at prediction time")
        if np.allclose(kept, 1 / rate) and rate != 0.5:
            raise AssertionError(f"{what}: the values kept are divided by rate; divide by the "
                                 "fraction kept, 1 − rate")
        if not np.allclose(kept, 1 / (1 - rate)):
            raise AssertionError(f"{what}: the values kept are not all scaled by the same "
                                 "factor; scale them so each keeps its expected value")
        again = np.asarray(func(x.copy(), rate, True, np.random.default_rng(1)))
        if not np.array_equal(again, got):
            raise AssertionError(f"{what}: the same generator seed gave another mask; draw the "
                                 "mask from the rng you are given")
        other = np.asarray(func(x.copy(), rate, True, np.random.default_rng(2)))
        if np.array_equal(other, got):
            raise AssertionError(f"{what}: another seed gave the same mask; draw it from rng")
    rng = np.random.default_rng(3)
    z = rng.normal(size=(8, 5))
    got = np.asarray(func(z.copy(), 0.5, True, np.random.default_rng(4)), dtype=np.float64)
    mask = got != 0
    compare_array(got[mask], 2 * z[mask], "the kept values of dropout on a normal array "
                  "(rate 0.5)")
    return ("correct: in training each value is dropped with probability rate and the survivors "
            "are scaled up so the expected output equals the input; at prediction time "
            "nothing changes")


# ---------------------------------------------------------------------------
# 3. Early stopping

#: The validation losses of the exercise's run, epoch 1 first.
VAL_LOSSES = (0.50, 0.40, 0.32, 0.35, 0.34, 0.33, 0.36, 0.30, 0.31, 0.29, 0.33, 0.34, 0.35, 0.36)
PATIENCE = 3


def early_stopping_outcome(val_losses=VAL_LOSSES, patience=PATIENCE, vs_previous=False):
    """(epochs run, epoch whose weights are kept) for ``EarlyStopping(monitor="val_loss",
    patience=patience, restore_best_weights=True)`` and ``fit(epochs=len(val_losses))``.
    ``vs_previous``: the classic misreading — count rises from the previous epoch instead
    of epochs without a new best."""
    best, best_epoch, wait = np.inf, 0, 0
    previous = np.inf
    for epoch, loss in enumerate(val_losses, 1):
        better = loss < (previous if vs_previous else best)
        if loss < best:
            best, best_epoch = loss, epoch
        wait = 0 if better else wait + 1
        previous = loss
        if wait >= patience:
            return epoch, best_epoch
    return len(val_losses), best_epoch


@checker("mnist_keras-3", hints=(
    "EarlyStopping remembers the lowest validation loss so far; each epoch that does not "
    "beat it adds 1 to a counter, a new lowest sets the counter back to 0, and the run "
    "stops at the end of the epoch at which the counter reaches patience.",
    "The counter compares with the best epoch so far, not with the epoch before. And with "
    "restore_best_weights=True the model ends with the weights of the best epoch.",
), expected=early_stopping_outcome)
def early_stopping(answer):
    if not isinstance(answer, (tuple, list)) or len(answer) != 2 or not all(
            isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in answer):
        raise AssertionError("answer_3 should be a pair of whole numbers (epochs run, epoch "
                             f"whose weights are kept), got {answer!r}")
    run, kept = (int(a) for a in answer)
    right_run, right_kept = early_stopping_outcome()
    if (run, kept) == (right_run, right_kept):
        return ("correct: the counter of epochs without a new best reaches the patience there, "
                "and restore_best_weights rolls the model back to its best epoch")
    if (run, kept) == early_stopping_outcome(vs_previous=True):
        raise AssertionError("you counted rises from the previous epoch; patience counts "
                             "epochs without beating the best loss so far")
    if run == kept and run == right_kept:
        raise AssertionError("the run cannot stop at its best epoch: only after patience more "
                             "epochs without improvement does EarlyStopping know it was the best")
    if run == right_run and kept == right_run:
        raise AssertionError("the number of epochs is right, but restore_best_weights=True puts "
                             "the best epoch's weights back, not the last epoch's")
    if abs(run - right_run) == 1 and kept == right_kept:
        raise AssertionError("the kept epoch is right, the run's length is one off: it stops at "
                             "the end of the epoch that makes the counter equal patience")
    if kept == right_kept:
        raise AssertionError("the kept epoch is right; recount how many epochs the run lasts")
    if run == right_run:
        raise AssertionError("the number of epochs is right; which epoch had the lowest "
                             "validation loss up to then?")
    raise AssertionError("neither number is right yet: follow the counter epoch by epoch")


# ---------------------------------------------------------------------------
# 4. Experiment: what pooling buys

_RUN_KEYS = ("with pooling", "without")


def _pooling_layers(model):
    return sum(type(layer).__name__ == "MaxPooling2D" for layer in model.layers)


def _conv_filters(model):
    return [layer.filters for layer in model.layers if type(layer).__name__ == "Conv2D"]


def _unpack_run(answer, key):
    import keras

    run = answer[key]
    if not isinstance(run, (tuple, list)) or len(run) != 2:
        raise AssertionError(f'answer_4["{key}"] should be a pair (history, seconds), got {run!r}')
    history, seconds = run
    if not isinstance(history, keras.callbacks.History) or getattr(history, "model", None) is None:
        raise AssertionError(f'answer_4["{key}"][0] should be the History that model.fit '
                             f"returned, got {type(history).__name__}")
    if "val_accuracy" not in history.history:
        raise AssertionError(f'the run "{key}" has no validation accuracy: pass validation_data '
                             "to fit and metrics=['accuracy'] to compile")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float, np.number)) \
            or not seconds > 0:
        raise AssertionError(f'answer_4["{key}"][1] should be the run\'s training time in seconds, '
                             f"got {seconds!r}")
    return history, float(seconds)


def _step_seconds(model, repeats=5):
    """The median time of one forward pass of ``model`` on a batch of 64 random images:
    how the check re-measures the cost (cheaply, without changing the weights)."""
    rng = np.random.default_rng(0)
    xb = rng.uniform(size=(64, *model.input_shape[1:])).astype(np.float32)
    model(xb, training=False)                                # the first call builds
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        model(xb, training=False)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


@checker("mnist_keras-4", hints=(
    "Build both models, compile them alike, and time model.fit for each with the same "
    "images, epochs and batch size; keep what fit returns and the seconds it took.",
    "Read the verdicts off your own runs: 'faster' from the seconds, 'more accurate' from "
    "history.history['val_accuracy'] after the last epoch — the validation accuracy, not "
    "the training accuracy.",
))
def pooling_experiment(answer):
    if not isinstance(answer, dict) or not all(k in answer for k in (*_RUN_KEYS, "faster",
                                                                     "more accurate")):
        raise AssertionError('answer_4 should be a dict with the keys "with pooling", '
                             '"without", "faster" and "more accurate"')
    runs = {key: _unpack_run(answer, key) for key in _RUN_KEYS}
    (h_pool, s_pool), (h_none, s_none) = runs["with pooling"], runs["without"]
    if _pooling_layers(h_pool.model) == 0:
        raise AssertionError('the model of the run "with pooling" has no MaxPooling2D layer')
    if _pooling_layers(h_none.model) != 0:
        raise AssertionError('the model of the run "without" still has a MaxPooling2D layer; '
                             "remove every pooling layer")
    if _conv_filters(h_pool.model) != _conv_filters(h_none.model):
        raise AssertionError("the two models should have the same convolutions; remove only "
                             "the pooling layers")
    if len(h_pool.epoch) != len(h_none.epoch):
        raise AssertionError("train both models for the same number of epochs")
    for key in ("faster", "more accurate"):
        if answer[key] not in _RUN_KEYS:
            raise AssertionError(f'answer_4["{key}"] should be "with pooling" or "without", '
                                 f"got {answer[key]!r}")
    faster = "with pooling" if s_pool < s_none else "without"
    if answer["faster"] != faster:
        raise AssertionError('"faster": by your own timings the other model took less time')
    step_ratio = _step_seconds(h_none.model) / _step_seconds(h_pool.model)
    if step_ratio > 1.5 and s_none < s_pool:
        raise AssertionError("your timings say the model without pooling trained faster, but a "
                             "step of it takes longer when the check times it: were the two "
                             "runs given the same images and epochs?")
    val = {key: h.history["val_accuracy"][-1] for key, (h, _) in runs.items()}
    train = {key: h.history["accuracy"][-1] for key, (h, _) in runs.items()
             if "accuracy" in h.history}
    if val["with pooling"] != val["without"]:
        better = max(val, key=val.get)
        if answer["more accurate"] != better:
            if len(train) == 2 and answer["more accurate"] == max(train, key=train.get):
                raise AssertionError('"more accurate": that is the model with the higher '
                                     "training accuracy; the question is about the "
                                     "validation accuracy")
            raise AssertionError('"more accurate": by your own runs the other model has the '
                                 "higher validation accuracy after the last epoch")
    return ("correct, and read off your own runs: the time follows the work each layer does, "
            "which pooling cuts only for the layers after it — the parameter count says little "
            "about it — and the validation accuracy, not the training accuracy, is the one to "
            "compare")
