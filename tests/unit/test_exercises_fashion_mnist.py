"""The checkers of "Fashion-MNIST with Keras": the right answer passes, each classic wrong
answer is named, the library's own function is rejected.

Stubs, hints and ids, the same for every chapter: test_exercises_every.py."""

import numpy as np
import pytest
from exercise_common import assert_fails, verdict

from cnnlib import data, metrics
from cnnlib.exercises import contract, fashion_mnist

# ---------------------------------------------------------------- 1. split_indices


def right_split(n, val_fraction, seed):
    order = np.random.default_rng(seed).permutation(n)
    n_val = round(n * val_fraction)
    return order[n_val:], order[:n_val]


@pytest.mark.parametrize("wrong, words", [
    (lambda n, f, s: (np.random.default_rng(s).permutation(n)[int(n * f):],
                      np.random.default_rng(s).permutation(n)[:int(n * f)]), ("int() cuts",)),
    (lambda n, f, s: right_split(n, f, s)[::-1], ("swapped",)),
    (lambda n, f, s: (np.arange(round(n * f), n), np.arange(round(n * f))), ("consecutive",)),
    (lambda n, f, s: right_split(n, f, 0), ("another seed gave the same split",)),
    (lambda n, f, s: right_split(n, f, None), ("same seed should give the same split",)),
])
def test_split_wrong_answers_are_named(wrong, words):
    assert_fails("fashion_mnist-1", wrong, *words)


def test_split_right_passes_and_sklearn_style_library_rejected():
    assert verdict("fashion_mnist-1", right_split).passed
    assert_fails("fashion_mnist-1", np.random.permutation, "write it yourself")


# ---------------------------------------------------------------- 2. a bar numbered from 1


def test_bar_right_and_wrong_answers():
    right = contract.expected_of("fashion_mnist-2")
    assert right == fashion_mnist.BAR - 1
    assert verdict("fashion_mnist-2", right).passed
    assert verdict("fashion_mnist-2", np.int64(right)).passed
    assert_fails("fashion_mnist-2", fashion_mnist.BAR, "counted from 1")
    assert_fails("fashion_mnist-2", fashion_mnist.BAR + 1, "wrong direction")
    assert_fails("fashion_mnist-2", data.FASHION_CLASSES[right], "not the class name")
    assert_fails("fashion_mnist-2", 12, "not an index")
    assert_fails("fashion_mnist-2", 1, "count on from there")
    assert_fails("fashion_mnist-2", 2.5, "whole number")


# ---------------------------------------------------------------- 3. recall and precision


def right_rp(cm):
    cm = np.asarray(cm, dtype=float)
    d, rows, cols = np.diag(cm), cm.sum(1), cm.sum(0)
    return (np.divide(d, rows, out=np.zeros_like(d), where=rows > 0),
            np.divide(d, cols, out=np.zeros_like(d), where=cols > 0))


@pytest.mark.parametrize("wrong, words", [
    (lambda cm: right_rp(cm)[::-1], ("swapped", "row's sum")),
    (lambda cm: (np.diag(cm) / cm.sum(1), np.diag(cm) / cm.sum(0)), ("nan", "0")),
    (lambda cm: (np.full(len(cm), np.trace(cm) / np.sum(cm)), right_rp(cm)[1]),
     ("overall accuracy",)),
    (lambda cm: right_rp(cm)[0], ("pair (recall, precision)",)),
])
def test_recall_precision_wrong_answers_are_named(wrong, words):
    assert_fails("fashion_mnist-3", wrong, *words)


def test_recall_precision_right_passes_and_cnnlib_rejected():
    assert verdict("fashion_mnist-3", right_rp).passed
    cm = np.array([[8, 2], [1, 4]])
    assert np.allclose(right_rp(cm)[0], metrics.per_class_accuracy(cm))
    assert_fails("fashion_mnist-3", metrics.per_class_accuracy, "write it yourself")


# ---------------------------------------------------------------- 4. the ablation


@pytest.fixture(scope="module")
def histories():
    import keras
    from keras import layers

    def net(bn=True, flip=True, dropout=True, third=True):
        blocks = []
        for filters in (4, 8, 8)[:3 if third else 2]:
            blocks += [layers.Conv2D(filters, 3, padding="same", use_bias=not bn)]
            blocks += [layers.BatchNormalization(), layers.ReLU()] if bn else [layers.ReLU()]
            blocks += [layers.MaxPooling2D(2)]
        return keras.Sequential([keras.Input((16, 16, 1)),
                                 *([layers.RandomFlip("horizontal")] if flip else []), *blocks,
                                 layers.Flatten(), *([layers.Dropout(0.3)] if dropout else []),
                                 layers.Dense(3, activation="softmax")])

    rng = np.random.default_rng(0)
    x = rng.uniform(size=(32, 16, 16, 1)).astype(np.float32)
    y = rng.integers(0, 3, 32)
    out = {}
    for name, kwargs in {"full": {}, "no bn": {"bn": False}, "no flip": {"flip": False},
                         "no dropout": {"dropout": False}, "two blocks": {"third": False},
                         "no bn, no flip": {"bn": False, "flip": False}}.items():
        keras.utils.set_random_seed(0)
        model = net(**kwargs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        out[name] = model.fit(x, y, validation_data=(x[:8], y[:8]), epochs=1, verbose=0)
    return out


def ablation_answer(h, ablated="no bn", higher=None):
    full, abl = h["full"], h[ablated]
    if higher is None:
        higher = "full" if full.history["val_accuracy"][-1] >= abl.history["val_accuracy"][-1] \
            else "ablated"
    return {"full": full, "ablated": abl, "higher": higher}


@pytest.mark.parametrize("ablated, ingredient", [("no bn", "batch normalization"),
                                                 ("no flip", "the flipped images"),
                                                 ("no dropout", "dropout"),
                                                 ("two blocks", "the third block")])
def test_ablation_right_answer_names_the_ingredient(histories, ablated, ingredient):
    result = verdict("fashion_mnist-4", ablation_answer(histories, ablated))
    assert result.passed and ingredient in result.message, result


def test_ablation_wrong_answers_are_named(histories):
    assert_fails("fashion_mnist-4", ablation_answer(histories, "no bn, no flip"),
                 "more than one ingredient")
    same = {"full": histories["full"], "ablated": histories["full"], "higher": "full"}
    assert_fails("fashion_mnist-4", same, "every ingredient")
    assert_fails("fashion_mnist-4", {"full": histories["full"]}, "should be a dict")
    assert_fails("fashion_mnist-4", ablation_answer(histories, higher="both"), '"full" or "ablated"')
    broken = ablation_answer(histories)
    broken["ablated"] = broken["ablated"].history
    assert_fails("fashion_mnist-4", broken, "the History that model.fit")


def test_ablation_verdict_read_off_the_training_curve(histories):
    full, abl = histories["full"], histories["no bn"]
    saved = dict(full.history), dict(abl.history)
    try:
        full.history.update(val_accuracy=[0.7], accuracy=[0.6])
        abl.history.update(val_accuracy=[0.5], accuracy=[0.8])
        assert verdict("fashion_mnist-4", ablation_answer(histories, higher="full")).passed
        assert_fails("fashion_mnist-4", ablation_answer(histories, higher="ablated"),
                     "training accuracy")
        abl.history.update(accuracy=[0.1])
        assert_fails("fashion_mnist-4", ablation_answer(histories, higher="ablated"),
                     "other one has the higher validation accuracy")
    finally:
        full.history.clear()
        full.history.update(saved[0])
        abl.history.clear()
        abl.history.update(saved[1])


# ---------------------------------------------------------------- more wrong answers


def test_split_more_wrong_answers_are_named():
    assert_fails("fashion_mnist-1", lambda n, f, s: right_split(n, f, s)[0], "a pair")
    assert_fails("fashion_mnist-1", lambda n, f, s: tuple(a.astype(float) for a in right_split(n, f, s)),
                 "integer arrays")

    def overlapping(n, f, s):
        train, val = right_split(n, f, s)
        return np.concatenate([train[:-1], val[:1]]), val
    assert_fails("fashion_mnist-1", overlapping, "exactly one of the parts")


def test_recall_precision_shape_is_named():
    assert_fails("fashion_mnist-3", lambda cm: (right_rp(cm)[0][:-1], right_rp(cm)[1]),
                 "one value per class")


def test_ablation_more_wrong_answers_are_named(histories):
    import keras

    a = ablation_answer(histories)
    model = keras.models.clone_model(histories["no bn"].model)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x = np.zeros((8, 16, 16, 1), np.float32)
    y = np.zeros(8, int)
    no_val = model.fit(x, y, epochs=1, verbose=0)
    assert_fails("fashion_mnist-4", {**a, "ablated": no_val}, "no validation accuracy")
    two = model.fit(x, y, validation_data=(x, y), epochs=2, verbose=0)
    assert_fails("fashion_mnist-4", {**a, "ablated": two}, "same number of epochs")
