"""cnnlib.params against Keras's count_params(), independent MAC counts and the curriculum's
worked numbers; one table for a Keras model and for the equal list of cnnlib layers."""

import math

import pytest

from cnnlib.layers import (
    Conv2D,
    Dense,
    Flatten,
    MaxPooling2D,
    ReLU,
)
from cnnlib.models import Sequential
from cnnlib.params import (
    against_keras,
    conv2d_formula,
    conv2d_params,
    dense_formula,
    dense_params,
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
    assert conv2d_formula(3, 32, 64) == "3·3·32·64 + 64 = 18,496"
    assert dense_formula(160, 100, use_bias=False) == "160·100 = 16,000"


def test_weights_only_counts_of_the_39x31_walkthrough():
    counts = [conv2d_params(k, c, f, use_bias=False)
              for k, c, f in [(4, 1, 20), (3, 20, 40), (3, 40, 60), (2, 60, 80)]]
    assert counts == [320, 7_200, 21_600, 19_200]
    assert dense_params(160, 100, use_bias=False) == 16_000


def walkthrough(use_bias=True):
    return [Conv2D(20, 4, use_bias=use_bias), MaxPooling2D(2), Conv2D(40, 3, use_bias=use_bias),
            MaxPooling2D(2), Conv2D(60, 3, use_bias=use_bias), MaxPooling2D(2),
            Conv2D(80, 2, use_bias=use_bias), Flatten(), Dense(100, use_bias=use_bias)]


def test_summary_of_cnnlib_layers_walks_shapes():
    s = summary(walkthrough(), (39, 31, 1))
    shapes = [r.output_shape for r in s]
    assert shapes == [(36, 28, 20), (18, 14, 20), (16, 12, 40), (8, 6, 40), (6, 4, 60),
                      (3, 2, 60), (2, 1, 80), (160,), (100,)]
    assert [r.params for r in s if r.params] == [340, 7_240, 21_660, 19_280, 16_100]
    assert s[-1].formula == "160·100 + 100 = 16,100"
    assert summary(walkthrough(use_bias=False), (39, 31, 1)).total == 64_320


def test_macs_equal_an_independent_count():
    # conv: OH·OW·FH·FW·C_in·C_out; dense: inputs·units; pooling, flatten: none
    s = summary([Conv2D(32, 3), Conv2D(64, 3, strides=2, padding="same"), MaxPooling2D(2),
                 Flatten(), Dense(10)], (28, 28, 1))
    expected = [26 * 26 * 3 * 3 * 1 * 32, 13 * 13 * 3 * 3 * 32 * 64, 0, 0, 6 * 6 * 64 * 10]
    assert [r.macs for r in s] == expected
    assert s.total_macs == sum(expected)
    # a dense layer with the same 26·26·32 outputs as the first convolution costs
    # (28·28)·(26·26·32) multiply-adds: orders of magnitude more
    assert 28 * 28 * 26 * 26 * 32 / expected[0] > 80


def test_bad_arguments():
    with pytest.raises(ValueError, match="conv2d_params: in_channels must be at least 1"):
        conv2d_params(3, 0, 32)
    with pytest.raises(ValueError, match=r"kernel_size must be a whole number >= 1 or an \(h, w"):
        conv2d_params((3, 3, 3), 1, 32)
    with pytest.raises(ValueError, match="dense_params: units must be a whole number"):
        dense_params(10, 2.5)
    with pytest.raises(ValueError, match="add Flatten"):
        summary([Conv2D(8, 3), Dense(10)], (8, 8, 1))
    with pytest.raises(ValueError, match="kernel_size 7 is larger than the input of size 5"):
        summary([Conv2D(64, 7)], (5, 5, 1))
    with pytest.raises(ValueError, match="input_shape"):
        summary([Conv2D(8, 3)])
    with pytest.raises(ValueError, match="expected a Keras model"):
        summary("model")
    with pytest.raises(ValueError, match="not a cnnlib layer"):
        summary([Conv2D(8, 3), "dense"], (8, 8, 1))


keras = pytest.importorskip("keras")
kl = keras.layers


# The models of the book, each written once for a module ``m`` of layers: cnnlib.layers or
# keras.layers, which share the class and argument names; named, so that cnnlib's table and
# Keras's can be equal row for row. The chapters' Keras code, except that why_cnns's
# Activation("relu") / Softmax() layers are activation= here.
BOOK = {
    "why_cnns, mnist_keras: the dense net": ((28, 28, 1), lambda m: [
        m.Flatten(name="f"), m.Dense(128, activation="relu", name="h"),
        m.Dense(10, activation="softmax", name="out")]),
    "why_cnns: the CNN": ((28, 28, 1), lambda m: [
        m.Conv2D(16, 3, activation="relu", name="c1"), m.MaxPooling2D(2, name="p1"),
        m.Conv2D(32, 3, activation="relu", name="c2"), m.MaxPooling2D(2, name="p2"),
        m.Flatten(name="f"), m.Dense(10, activation="softmax", name="out")]),
    "parameters, mnist_keras: DLwP's convnet": ((28, 28, 1), lambda m: [
        m.Conv2D(32, 3, activation="relu", name="c1"),
        m.Conv2D(64, 3, activation="relu", name="c2"),
        m.MaxPooling2D(2, name="p"), m.Dropout(0.25, name="d1"), m.Flatten(name="f"),
        m.Dense(128, activation="relu", name="h"), m.Dropout(0.5, name="d2"),
        m.Dense(10, activation="softmax", name="out")]),
    "mnist_keras: small convnet": ((28, 28, 1), lambda m: [
        m.Conv2D(32, 3, activation="relu", name="c1"), m.MaxPooling2D(2, name="p1"),
        m.Conv2D(32, 3, activation="relu", name="c2"), m.MaxPooling2D(2, name="p2"),
        m.Conv2D(64, 3, activation="relu", name="c3"), m.Flatten(name="f"),
        m.Dense(64, activation="relu", name="h"), m.Dense(10, activation="softmax", name="out")]),
    "mnist_keras: without pooling": ((28, 28, 1), lambda m: [
        m.Conv2D(32, 3, activation="relu", name="c1"),
        m.Conv2D(32, 3, activation="relu", name="c2"),
        m.Conv2D(64, 3, activation="relu", name="c3"), m.Flatten(name="f"),
        m.Dense(64, activation="relu", name="h"), m.Dense(10, activation="softmax", name="out")]),
    "mnist_keras: augmented convnet": ((28, 28, 1), lambda m: [
        m.RandomRotation(10 / 360, fill_mode="constant", name="turn"),
        m.RandomTranslation(0.1, 0.1, fill_mode="constant", name="shift"),
        m.Conv2D(32, 3, activation="relu", name="c1"), m.MaxPooling2D(2, name="p1"),
        m.Conv2D(32, 3, activation="relu", name="c2"), m.MaxPooling2D(2, name="p2"),
        m.Conv2D(64, 3, activation="relu", name="c3"), m.Flatten(name="f"),
        m.Dropout(0.25, name="d"), m.Dense(64, activation="relu", name="h"),
        m.Dense(10, activation="softmax", name="out")]),
    "fashion_mnist, parameters: the notes' CNN": ((28, 28, 1), lambda m: [
        m.Conv2D(32, 3, padding="same", activation="relu", name="c1"),
        m.MaxPooling2D(2, name="p1"),
        m.Conv2D(64, 3, padding="same", activation="relu", name="c2"),
        m.MaxPooling2D(2, name="p2"), m.Flatten(name="f"),
        m.Dense(100, activation="relu", name="h"), m.Dropout(0.4, name="d"),
        m.Dense(10, activation="softmax", name="out")]),
    "fashion_mnist: the improved CNN": ((28, 28, 1), lambda m: [
        m.RandomFlip("horizontal", name="flip"),
        *[layer for i, filters in enumerate((32, 64, 128)) for layer in (
            m.Conv2D(filters, 3, padding="same", use_bias=False, name=f"c{i}"),
            m.BatchNormalization(name=f"bn{i}"), m.ReLU(name=f"r{i}"),
            m.MaxPooling2D(2, name=f"p{i}"))],
        m.Flatten(name="f"), m.Dropout(0.3, name="d1"),
        m.Dense(128, use_bias=False, name="h"), m.BatchNormalization(name="bn_h"),
        m.ReLU(name="r_h"), m.Dropout(0.4, name="d2"),
        m.Dense(10, activation="softmax", name="out")]),
    "scratch_cnn: SimpleConvNet": ((28, 28, 1), lambda m: [
        m.Conv2D(30, 5, name="conv"), m.ReLU(name="r1"), m.MaxPooling2D(2, name="pool"),
        m.Flatten(name="f"), m.Dense(100, name="h"), m.ReLU(name="r2"), m.Dense(10, name="out")]),
    "inside_cnn": ((28, 28, 1), lambda m: [
        m.Conv2D(16, 5, activation="relu", name="conv1"), m.MaxPooling2D(2, name="pool1"),
        m.Conv2D(32, 3, activation="relu", name="conv2"), m.MaxPooling2D(2, name="pool2"),
        m.Flatten(name="flatten"), m.Dense(10, activation="softmax", name="softmax")]),
    "a strided, global-average one": ((32, 32, 3), lambda m: [
        m.Conv2D(16, (3, 5), strides=2, use_bias=False, name="c"),
        m.AveragePooling2D(2, name="a"), m.GlobalAveragePooling2D(name="g"),
        m.Dense(10, name="out")]),
}


@pytest.mark.parametrize("name", BOOK)
def test_one_table_for_keras_and_cnnlib(name):
    import cnnlib.layers

    shape, make = BOOK[name]
    mine = summary(make(cnnlib.layers), shape)
    # the chapter's Keras model: Keras computes its own shapes and counts
    chapter = keras.Sequential([keras.Input(shape), *make(kl)])
    assert summary(chapter) == mine
    assert str(summary(chapter)) == str(mine) and summary(chapter)._repr_html_() == \
        mine._repr_html_()
    assert mine.total == chapter.count_params()
    assert [r.output_shape for r in mine] == [tuple(k.output.shape[1:]) for k in chapter.layers]
    # cnnlib's own to_keras() builds the same model
    direct = keras.Sequential([keras.Input(shape),
                               *[layer.to_keras() for layer in make(cnnlib.layers)]])
    assert summary(direct) == mine
    assert [type(a) for a in direct.layers] == [type(b) for b in chapter.layers]
    assert [a.get_config() == b.get_config() for a, b in zip(direct.layers, chapter.layers)] \
        == [True] * len(mine)
    # and a cnnlib Sequential of the same layers (logits out) counts the same
    logits = make(cnnlib.layers)[:-1] + [Dense(10, name="out")]
    assert summary(Sequential(logits, input_shape=shape).to_keras()).total == mine.total
    # activations: an independent count, from Keras's own symbolic output shapes
    values = [math.prod(k.output.shape[1:]) for k in chapter.layers]
    assert [r.activations for r in mine] == values
    assert [r.activations for r in summary(chapter)] == values
    assert mine.total_activations == sum(values)
    assert mine.activation_memory(batch_size=32, bytes_per_value=2) == sum(values) * 32 * 2


def test_book_has_every_model_of_the_chapters():
    assert len([n for n in BOOK if n != "a strided, global-average one"]) == 10


def test_keras_macs_equal_an_independent_count():
    model = keras.Sequential([keras.Input((28, 28, 1)), kl.Conv2D(8, 5, strides=2),
                              kl.MaxPooling2D(2), kl.Flatten(), kl.Dense(7)])
    s = summary(model)
    assert [r.macs for r in s] == [12 * 12 * 5 * 5 * 1 * 8, 0, 0, 6 * 6 * 8 * 7]
    assert "<table>" in s._repr_html_() and "MACs" in str(s)


def test_batch_norm_and_bias_free_rows():
    model = keras.Sequential([
        keras.Input((28, 28, 1)), kl.Conv2D(16, (3, 5), strides=2, use_bias=False),
        kl.BatchNormalization(), kl.AveragePooling2D(2), kl.GlobalAveragePooling2D(),
        kl.Dense(10)])
    s = summary(model)
    assert s.total == model.count_params()
    assert [r.params for r in s] == [layer.count_params() for layer in model.layers]
    assert s[0].formula == "3·5·1·16 = 240"
    assert "γ, β trainable" in s[1].formula


def test_to_keras_copies_weights_and_names():
    net = Sequential([Conv2D(4, 3, name="conv"), ReLU(), Flatten(), Dense(3, name="out")],
                     input_shape=(6, 6, 1))
    model = net.to_keras()
    assert [layer.name for layer in model.layers] == ["conv", "re_lu", "flatten", "out"]
    import numpy as np

    x = np.random.default_rng(0).standard_normal((2, 6, 6, 1)).astype("float32")
    np.testing.assert_allclose(model(x).numpy(), net.forward(x), atol=1e-5)
    assert net.summary() == summary(model)
    assert math.prod((4, 4, 4)) * 3 == net.summary()[-1].macs


def test_int_padding_has_no_keras_layer():
    with pytest.raises(ValueError, match="ZeroPadding2D"):
        Conv2D(8, 3, padding=1).to_keras()


def test_against_keras_names_layers_as_keras_does():
    ours, model = against_keras(walkthrough(), (39, 31, 1), name="walk")
    assert [r.name for r in ours][:3] == ["conv2d (Conv2D)", "max_pooling2d (MaxPooling2D)",
                                          "conv2d_1 (Conv2D)"]
    assert summary(model) == ours and model.name == "walk"


def test_keras_names_number_automatic_names_within_the_model():
    import keras

    from cnnlib.params import keras_names

    for _ in range(2):  # the second model's layers are conv2d_1, ... in Keras's own naming
        model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(2, 3),
                                  keras.layers.Conv2D(2, 3), keras.layers.MaxPooling2D(2),
                                  keras.layers.Flatten(), keras.layers.Dense(3, name="logits")])
        assert keras_names(model) == ["conv2d", "conv2d_1", "max_pooling2d", "flatten", "logits"]
        assert summary(model).rows[0].name == "conv2d (Conv2D)"
