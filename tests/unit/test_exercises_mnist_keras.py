"""The checkers of "MNIST with Keras": the right answer passes, each classic wrong answer is
named, the library's own function is rejected.

Stubs, hints and ids, the same for every chapter: test_exercises_every.py."""

import numpy as np
import pytest
from exercise_common import assert_fails, verdict

from cnnlib.exercises import contract, mnist_keras

# ---------------------------------------------------------------- 1. one_hot


def right_one_hot(labels, num_classes):
    return np.eye(num_classes, dtype=np.float32)[np.asarray(labels)]


@pytest.mark.parametrize("wrong, words", [
    (lambda y, k: right_one_hot(y, k).T, ("transpose",)),
    (lambda y, k: right_one_hot(y, int(np.max(y)) + 1), ("num_classes columns",)),
    (lambda y, k: np.eye(k, dtype=np.float32)[np.asarray(y) - 1] * (np.asarray(y) > 0)[:, None],
     ("one column to the left",)),
    (lambda y, k: np.eye(k, dtype=np.int64)[np.asarray(y)], ("floats",)),
])
def test_one_hot_wrong_answers_are_named(wrong, words):
    assert_fails("mnist_keras-1", wrong, *words)


def test_one_hot_right_passes_and_keras_is_rejected():
    import keras
    assert verdict("mnist_keras-1", right_one_hot).passed
    assert_fails("mnist_keras-1", keras.utils.to_categorical, "write it yourself")


# ---------------------------------------------------------------- 2. dropout


def make_dropout(kind="right"):
    def dropout(x, rate, training, rng):
        if not training:
            return x * (1 - rate) if kind == "scale at prediction" else x
        keep = rng.random(x.shape) >= (1 - rate if kind == "rate kept" else rate)
        if kind == "no rescaling":
            return x * keep
        if kind == "divide by rate":
            return x * keep / rate
        if kind == "fixed mask":
            keep = np.random.default_rng(0).random(x.shape) >= rate
        if kind == "rate kept":
            return x * keep / rate
        return x * keep / (1 - rate)
    return dropout


def test_dropout_right_answer_passes():
    assert verdict("mnist_keras-2", make_dropout()).passed


@pytest.mark.parametrize("kind, words", [
    ("scale at prediction", "at prediction time"),
    ("no rescaling", "dropout rescaling is forgotten"),
    ("divide by rate", "divided by rate"),
    ("rate kept", "not the fraction kept"),
    ("fixed mask", "another seed gave the same mask"),
])
def test_dropout_wrong_answers_are_named(kind, words):
    assert_fails("mnist_keras-2", make_dropout(kind), words)


def test_dropout_rejects_keras_layer():
    import keras
    assert_fails("mnist_keras-2", keras.layers.Dropout(0.5), "write it yourself")


# ---------------------------------------------------------------- 3. early stopping


def test_early_stopping_reference_agrees_with_keras():
    import keras

    class Stub(keras.Model):
        def __init__(self):
            super().__init__()
            self.stop_training = False

        def get_weights(self):
            return []

        def set_weights(self, weights):
            self.restored = True

    cb = keras.callbacks.EarlyStopping(monitor="val_loss", patience=mnist_keras.PATIENCE,
                                       restore_best_weights=True)
    model = Stub()
    cb.set_model(model)
    cb.on_train_begin()
    ran = 0
    for epoch, loss in enumerate(mnist_keras.VAL_LOSSES):
        cb.on_epoch_end(epoch, {"val_loss": loss})
        ran = epoch + 1
        if model.stop_training:
            break
    assert (ran, cb.best_epoch + 1) == mnist_keras.early_stopping_outcome()


def test_early_stopping_right_and_wrong_answers():
    run, kept = mnist_keras.early_stopping_outcome()
    assert contract.expected_of("mnist_keras-3") == (run, kept)
    assert verdict("mnist_keras-3", (run, kept)).passed
    assert_fails("mnist_keras-3", mnist_keras.early_stopping_outcome(vs_previous=True),
                 "rises from the previous epoch")
    assert_fails("mnist_keras-3", (kept, kept), "cannot stop at its best epoch")
    assert_fails("mnist_keras-3", (run, run), "not the last epoch's")
    assert_fails("mnist_keras-3", (run + 1, kept), "one off")
    assert_fails("mnist_keras-3", (run + 3, kept), "recount")
    assert_fails("mnist_keras-3", (run, kept + 1), "lowest validation loss")
    assert_fails("mnist_keras-3", (1, 1), "neither number")
    assert_fails("mnist_keras-3", 6, "pair of whole numbers")


# ---------------------------------------------------------------- 4. the pooling experiment


@pytest.fixture(scope="module")
def runs():
    import keras
    from keras import layers

    def net(pool):
        extra = [layers.MaxPooling2D(2)] if pool else []
        return keras.Sequential([keras.Input((12, 12, 1)), layers.Conv2D(4, 3, activation="relu"),
                                 *extra, layers.Conv2D(4, 3, activation="relu"), layers.Flatten(),
                                 layers.Dense(3, activation="softmax")])

    rng = np.random.default_rng(0)
    x = rng.uniform(size=(48, 12, 12, 1)).astype(np.float32)
    y = np.eye(3, dtype=np.float32)[rng.integers(0, 3, 48)]
    out = {}
    for key, pool in (("with pooling", True), ("without", False)):
        keras.utils.set_random_seed(0)
        model = net(pool)
        model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
        h = model.fit(x, y, validation_data=(x[:16], y[:16]), epochs=1, verbose=0)
        out[key] = h
    return out


def answer(runs, **changes):
    a = {"with pooling": (runs["with pooling"], 1.0), "without": (runs["without"], 3.0),
         "faster": "with pooling"}
    val = {k: h.history["val_accuracy"][-1] for k, h in runs.items()}
    a["more accurate"] = max(val, key=val.get)
    a.update(changes)
    return a


def test_pooling_experiment_right_answer_passes(runs):
    assert verdict("mnist_keras-4", answer(runs)).passed


def test_pooling_experiment_wrong_answers_are_named(runs):
    assert_fails("mnist_keras-4", answer(runs, faster="without"), "your own timings")
    assert_fails("mnist_keras-4", {"with pooling": 1}, "should be a dict")
    assert_fails("mnist_keras-4", answer(runs, without=(runs["with pooling"], 3.0)),
                 "still has a MaxPooling2D")
    assert_fails("mnist_keras-4", answer(runs, without=({"val_accuracy": [1]}, 3.0)),
                 "the History that model.fit")
    assert_fails("mnist_keras-4", answer(runs, faster="fast"), '"with pooling" or "without"')


def test_pooling_experiment_accuracy_read_off_the_wrong_curve(runs):
    h_pool, h_none = runs["with pooling"], runs["without"]
    saved = (dict(h_pool.history), dict(h_none.history))
    try:
        h_pool.history.update(val_accuracy=[0.5], accuracy=[0.4])
        h_none.history.update(val_accuracy=[0.4], accuracy=[0.6])
        assert verdict("mnist_keras-4", answer(runs, **{"more accurate": "with pooling"})).passed
        assert_fails("mnist_keras-4", answer(runs, **{"more accurate": "without"}),
                     "training accuracy")
        h_none.history.update(accuracy=[0.3])
        assert_fails("mnist_keras-4", answer(runs, **{"more accurate": "without"}),
                     "higher validation accuracy")
    finally:
        h_pool.history.clear()
        h_pool.history.update(saved[0])
        h_none.history.clear()
        h_none.history.update(saved[1])


def test_pooling_experiment_timings_that_contradict_the_check(runs, monkeypatch):
    monkeypatch.setattr(mnist_keras, "_step_seconds",
                        lambda model: 1.0 if mnist_keras._pooling_layers(model) else 3.0)
    faked = answer(runs, **{"with pooling": (runs["with pooling"], 3.0),
                            "without": (runs["without"], 1.0), "faster": "without"})
    assert_fails("mnist_keras-4", faked, "when the check times it")


# ---------------------------------------------------------------- more wrong answers


@pytest.mark.parametrize("kind, words", [("per row", "dropped independently"),
                                         ("two factors", "same factor"),
                                         ("unseeded", "same generator seed gave another mask")])
def test_dropout_more_wrong_answers_are_named(kind, words):
    def dropout(x, rate, training, rng):
        if not training:
            return x
        if kind == "per row":             # one draw per image: too few, or too many, dropped
            keep = rng.random((x.shape[0],) + (1,) * (x.ndim - 1)) >= 0.9
            return x * keep / (1 - rate)
        keep = (np.random.default_rng() if kind == "unseeded" else rng).random(x.shape) >= rate
        scale = np.where(np.arange(x.size).reshape(x.shape) % 2, 1 / (1 - rate), 1.0) \
            if kind == "two factors" else 1 / (1 - rate)
        return x * keep * scale
    assert_fails("mnist_keras-2", dropout, words)


def test_pooling_experiment_more_wrong_answers_are_named(runs):
    import keras
    from keras import layers

    h_none = runs["without"]
    assert_fails("mnist_keras-4", answer(runs, **{"with pooling": (h_none, 1.0)}),
                 "has no MaxPooling2D")
    assert_fails("mnist_keras-4", answer(runs, without=(h_none, "3 s")), "training time in seconds")
    assert_fails("mnist_keras-4", answer(runs, without=h_none), "pair (history, seconds)")
    other = keras.Sequential([keras.Input((12, 12, 1)), layers.Conv2D(6, 3), layers.Flatten(),
                              layers.Dense(3, activation="softmax")])
    other.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    x = np.zeros((8, 12, 12, 1), np.float32)
    y = np.eye(3, dtype=np.float32)[np.zeros(8, int)]
    h_other = other.fit(x, y, epochs=2, verbose=0)
    assert_fails("mnist_keras-4", answer(runs, without=(h_other, 3.0)), "no validation accuracy")
    h_other = other.fit(x, y, validation_data=(x, y), epochs=2, verbose=0)
    assert_fails("mnist_keras-4", answer(runs, without=(h_other, 3.0)), "same convolutions")
    same_convs = keras.models.clone_model(h_none.model)
    same_convs.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    xs = np.zeros((8, 12, 12, 1), np.float32)
    h_two = same_convs.fit(xs, y, validation_data=(xs, y), epochs=2, verbose=0)
    assert_fails("mnist_keras-4", answer(runs, without=(h_two, 3.0)), "same number of epochs")
