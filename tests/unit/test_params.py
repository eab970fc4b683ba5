"""cnnlib.params against Keras's count_params() and the curriculum's worked numbers."""


import pytest

from cnnlib.params import (
    Conv,
    Dense,
    Dropout,
    Flatten,
    Pool,
    conv2d_params,
    dense_params,
    flatten_params,
    pool_params,
    summary,
)


def test_worked_numbers():
    assert conv2d_params(3, 1, 32) == 320
    assert conv2d_params((3, 3), 32, 64) == 18_496
    assert conv2d_params(7, 1, 64) == 3_200
    assert dense_params(12 * 12 * 64, 128) == 1_179_776 == (9_216 + 1) * 128
    assert dense_params(60, 24) == 1_464
    assert dense_params(24, 10) == 250
    assert dense_params(10, 1) == 11
    assert conv2d_params(5, 1, 30) + dense_params(4_320, 100) + dense_params(100, 10) == 433_890
    assert pool_params() == flatten_params() == 0


def test_weights_only_counts_of_the_39x31_walkthrough():
    counts = [conv2d_params(k, c, f, use_bias=False)
              for k, c, f in [(4, 1, 20), (3, 20, 40), (3, 40, 60), (2, 60, 80)]]
    assert counts == [320, 7_200, 21_600, 19_200]
    assert dense_params(160, 100, use_bias=False) == 16_000


def test_summary_of_specs_walks_shapes():
    s = summary(
        [Conv(20, 4), Pool(2), Conv(40, 3), Pool(2), Conv(60, 3), Pool(2), Conv(80, 2),
         Flatten(), Dense(100)],
        (39, 31, 1),
    )
    shapes = [r.output_shape for r in s]
    assert shapes == [(36, 28, 20), (18, 14, 20), (16, 12, 40), (8, 6, 40), (6, 4, 60),
                      (3, 2, 60), (2, 1, 80), (160,), (100,)]
    assert [r.params for r in s if r.params] == [340, 7_240, 21_660, 19_280, 16_100]
    assert s[-1].formula == "160·100 + 100 = 16,100"


def test_bad_arguments():
    with pytest.raises(ValueError, match="conv2d_params: in_channels must be at least 1"):
        conv2d_params(3, 0, 32)
    with pytest.raises(ValueError, match=r"kernel_size must be an int or an \(h, w\) pair"):
        conv2d_params((3, 3, 3), 1, 32)
    with pytest.raises(ValueError, match="dense_params: units must be a whole number"):
        dense_params(10, 2.5)
    with pytest.raises(ValueError, match="add Flatten"):
        summary([Conv(8, 3), Dense(10)], (8, 8, 1))
    with pytest.raises(ValueError, match="kernel_size 7 is larger than the input of size 5"):
        summary([Conv(64, 7)], (5, 5, 1))
    with pytest.raises(ValueError, match="input_shape"):
        summary([Conv(8, 3)])
    with pytest.raises(ValueError, match="expected a Keras model"):
        summary("model")


keras = pytest.importorskip("keras")
layers = keras.layers


def _models():
    yield keras.Sequential([
        keras.Input((28, 28, 1)), layers.Conv2D(32, 3, activation="relu"),
        layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2), layers.Dropout(0.25),
        layers.Flatten(), layers.Dense(128, activation="relu"), layers.Dropout(0.5),
        layers.Dense(10, activation="softmax")])
    yield keras.Sequential([
        keras.Input((28, 28, 1)), layers.Conv2D(32, 3, padding="same"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same"), layers.MaxPooling2D(2), layers.Flatten(),
        layers.Dense(100, activation="relu"), layers.Dropout(0.4), layers.Dense(10)])
    yield keras.Sequential([
        keras.Input((28, 28, 1)), layers.Conv2D(16, (3, 5), strides=2, use_bias=False),
        layers.BatchNormalization(), layers.AveragePooling2D(2), layers.GlobalAveragePooling2D(),
        layers.Dense(10)])


@pytest.mark.parametrize("model", list(_models()))
def test_summary_agrees_with_keras(model):
    s = summary(model)
    assert s.total == model.count_params()
    assert [r.params for r in s] == [layer.count_params() for layer in model.layers]
    assert [r.output_shape for r in s] == [tuple(layer.output.shape[1:]) for layer in model.layers]
    text = str(s)
    assert "total" in text and f"{model.count_params():,}" in text
    assert "<table>" in s._repr_html_()


def test_fashion_model_rows():
    model = list(_models())[1]
    s = summary(model)
    assert [r.params for r in s] == [320, 0, 18_496, 0, 0, 313_700, 0, 1_010]
    assert s.total == 333_526
    assert s[2].formula == "3·3·32·64 + 64 = 18,496"


def test_specs_agree_with_keras():
    model = list(_models())[0]
    s = summary([Conv(32, 3), Conv(64, 3), Pool(2), Dropout(0.25), Flatten(), Dense(128),
                 Dropout(0.5), Dense(10)], (28, 28, 1))
    assert s.total == model.count_params() == 1_199_882
    assert [r.output_shape for r in s] == [tuple(layer.output.shape[1:]) for layer in model.layers]
