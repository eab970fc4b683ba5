"""cnnlib.results: the table of trained Keras models and the choice on validation accuracy."""

import numpy as np
import pytest

from cnnlib.results import Results

keras = pytest.importorskip("keras")


def test_records_evaluates_once_and_chooses_on_validation():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((64, 4)).astype("float32"), rng.integers(0, 2, 64)
    board = Results(x[:16], y[:16])
    for name, epochs in [("short", 1), ("long", 3)]:
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"],
                      jit_compile=False)
        history = model.fit(x[16:], y[16:], validation_split=0.25, epochs=epochs, verbose=0)
        row = board.record(name, model, history, seconds=1.5)
        assert row["epochs"] == epochs and row["params"] == 10
        assert row["val_acc"] == max(history.history["val_accuracy"])
    assert board.best() in ("short", "long")
    assert board[board.best()]["val_acc"] == max(r["val_acc"] for r in board.rows.values())
    assert "s/epoch" in board.table()


def test_best_without_models_says_so():
    with pytest.raises(ValueError, match="no model recorded"):
        Results(None, None).best()
