"""Fixtures shared by several of cnnlib's unit tests."""

import pytest


@pytest.fixture(scope="module")
def tiny_cnn():
    """A small trained-looking Keras CNN on 6×6×2 inputs (explain and its drawings)."""
    keras = pytest.importorskip("keras")
    keras.utils.set_random_seed(1)
    return keras.Sequential([
        keras.Input((6, 6, 2)),
        keras.layers.Conv2D(3, 3, activation="tanh"),
        keras.layers.Flatten(),
        keras.layers.Dense(4, activation="softmax"),
    ])
