"""cnnlib.models: Sequential and SimpleConvNet — predict, loss, gradient, saving, Keras weights."""

import numpy as np
import pytest

from cnnlib import layers as L
from cnnlib.gradcheck import numerical_gradient, rel_error
from cnnlib.models import Sequential, SimpleConvNet, keras_simple_convnet
from cnnlib.optim import Adam
from cnnlib.train import fit

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")


@pytest.fixture(scope="module")
def mnist():
    """The first 200 training images of the bundled MNIST sample, (N, 28, 28, 1) float32."""
    from cnnlib import data

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CNNLIB_OFFLINE", "1")
        (x_train, y_train), _ = data.load_mnist()
    return data.prepare(x_train[:200]), y_train[:200].astype(np.int64)


def test_simpleconvnet_shapes_and_parameter_count():
    net = SimpleConvNet(seed=0)
    shapes = {key: value.shape for key, value in net.params.items()}
    assert shapes == {
        "conv2d/kernel": (5, 5, 1, 30), "conv2d/bias": (30,),
        "dense/kernel": (4320, 100), "dense/bias": (100,),
        "dense_1/kernel": (100, 10), "dense_1/bias": (10,),
    }
    assert sum(v.size for v in net.params.values()) == 433_890  # 780 + 432,100 + 1,010
    assert all(v.dtype == np.float32 for v in net.params.values())
    assert [layer.name for layer in net.layers] == [
        "conv2d", "re_lu", "max_pooling2d", "flatten", "dense", "re_lu_1", "dense_1"]


def test_predict_loss_and_seeds(mnist):
    x, y = mnist
    net = SimpleConvNet(seed=0)
    probs = net.predict(x[:10])
    assert probs.shape == (10, 10) and probs.dtype == np.float32
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-5)
    np.testing.assert_allclose(net.predict(x[:20], batch_size=7), net.predict(x[:20]), atol=1e-6)
    assert 1.0 < net.loss(x[:50], y[:50]) < 5.0  # about ln 10 at the start
    assert np.array_equal(SimpleConvNet(seed=3).params["dense/kernel"],
                          SimpleConvNet(seed=3).params["dense/kernel"])
    assert not np.array_equal(SimpleConvNet(seed=3).params["dense/kernel"],
                              SimpleConvNet(seed=4).params["dense/kernel"])


def test_gradient_float32_and_equal_to_tf(mnist):
    x, y = mnist[0][:16], mnist[1][:16]
    net = SimpleConvNet(seed=1)
    grads = net.gradient(x, y)
    assert list(grads) == list(net.params)
    assert all(g.dtype == np.float32 and g.shape == net.params[k].shape for k, g in grads.items())

    p = {k: tf.Variable(v) for k, v in net.params.items()}
    with tf.GradientTape() as tape:
        h = tf.nn.relu(tf.nn.conv2d(x, p["conv2d/kernel"], 1, "VALID") + p["conv2d/bias"])
        h = tf.reshape(tf.nn.max_pool2d(h, 2, 2, "VALID"), (len(x), -1))
        h = tf.nn.relu(h @ p["dense/kernel"] + p["dense/bias"])
        logits = h @ p["dense_1/kernel"] + p["dense_1/bias"]
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(y, logits))
    expected = dict(zip(p, tape.gradient(loss, list(p.values()))))
    assert np.isclose(net.loss(x, y), loss.numpy(), rtol=1e-5)
    for key in p:
        np.testing.assert_allclose(grads[key], expected[key].numpy(), atol=1e-4, rtol=1e-4)


def test_gradient_check_of_a_small_convnet_in_float64():
    rng = np.random.default_rng(0)
    net = SimpleConvNet(input_shape=(6, 6, 1), filters=2, kernel_size=3, hidden=5, classes=3,
                        seed=2, dtype="float64")
    x, y = rng.standard_normal((4, 6, 6, 1)), rng.integers(0, 3, 4)
    grads = {k: g.copy() for k, g in net.gradient(x, y).items()}
    for key, param in net.params.items():
        numeric = numerical_gradient(lambda _: net.loss(x, y), param)
        assert rel_error(grads[key], numeric) <= 1e-6, key


def test_backprop_skips_the_input_gradient_of_the_first_layer(mnist, monkeypatch):
    net = SimpleConvNet(seed=0)
    calls = []
    original = L.Conv2D.backward

    def spy(self, dout, input_grad=True):
        calls.append(input_grad)
        return original(self, dout, input_grad)

    monkeypatch.setattr(L.Conv2D, "backward", spy)
    net.gradient(*[a[:4] for a in mnist])
    assert calls == [False]


def test_simpleconvnet_overfits_100_examples(mnist):
    x, y = mnist[0][:100], mnist[1][:100]
    net = SimpleConvNet(seed=0)
    fit(net, x, y, epochs=8, batch_size=20, optimizer=Adam(1e-3), seed=0, verbose=0)
    assert net.accuracy(x, y) >= 0.99


def test_from_keras_reproduces_keras_predictions(mnist):
    x, y = mnist
    model = keras_simple_convnet(seed=0)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    for i in range(3):  # train briefly, so the weights are not just the initial ones
        model.train_on_batch(x[i * 50 : (i + 1) * 50], y[i * 50 : (i + 1) * 50])
    net = SimpleConvNet.from_keras(model)
    expected = model.predict(x, verbose=0)
    np.testing.assert_allclose(net.predict(x), expected, atol=1e-5)
    keras_kernel = model.layers[0].get_weights()[0]
    np.testing.assert_array_equal(net.params["conv2d/kernel"], keras_kernel)


def test_keras_simple_convnet_is_the_same_architecture():
    model = keras_simple_convnet()
    assert [type(layer).__name__ for layer in model.layers] == [
        "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense"]
    assert model.count_params() == 433_890
    assert model.output_shape == (None, 10)


def test_from_keras_rejects_another_architecture():
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(8, 3),
                              keras.layers.MaxPooling2D(2), keras.layers.Flatten(),
                              keras.layers.Dense(10, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    with pytest.raises(ValueError, match="Conv2D activation must be 'relu'"):
        SimpleConvNet.from_keras(model)
    with pytest.raises(ValueError, match="expected Keras layers"):
        SimpleConvNet.from_keras(keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)]))


def test_save_and_load_weights(tmp_path):
    net, other = SimpleConvNet(seed=0), SimpleConvNet(seed=1)
    path = tmp_path / "weights.npz"
    net.save_weights(path)
    kernel = other.params["conv2d/kernel"]
    other.load_weights(path)
    assert other.params["conv2d/kernel"] is kernel  # loaded in place
    for key in net.params:
        np.testing.assert_array_equal(other.params[key], net.params[key])
    with np.load(path, allow_pickle=False) as saved:
        assert sorted(saved.files) == sorted(net.params)
    with pytest.raises(ValueError, match=r"conv2d/kernel .* \(5, 5, 1, 30\), .* \(3, 3, 1, 30\)"):
        SimpleConvNet(kernel_size=3).load_weights(path)
    with pytest.raises(ValueError, match="holds"):
        Sequential([L.Dense(3)], input_shape=(4,)).load_weights(path)
    np.savez(tmp_path / "pickled.npz", **{k: np.array([object()]) for k in net.params})
    with pytest.raises(ValueError, match="pickle"):
        net.load_weights(tmp_path / "pickled.npz")


def test_sequential_builds_lazily_and_takes_a_loss_layer():
    model = Sequential([L.Conv2D(4, 3), L.ReLU(), L.Flatten(), L.Dense(3), L.Dense(2),
                        L.SoftmaxCrossEntropy()])
    assert isinstance(model.loss_layer, L.SoftmaxCrossEntropy) and len(model.layers) == 5
    assert model.params == {}
    probs = model.predict(np.zeros((2, 5, 5, 1)))
    assert probs.shape == (2, 2)
    assert list(model.params) == ["conv2d/kernel", "conv2d/bias", "dense/kernel", "dense/bias",
                                  "dense_1/kernel", "dense_1/bias"]
    with pytest.raises(ValueError, match="layers"):
        Sequential([])


def test_labels_that_do_not_match_the_batch(mnist):
    x, y = mnist
    net = SimpleConvNet(seed=0)
    with pytest.raises(ValueError, match=r"labels must have shape \(10,\).*\(10, 10\).*\(9,\)"):
        net.gradient(x[:10], y[:9])
    with pytest.raises(ValueError, match=r"\(200, 28, 28, 1\).*\(10,\)"):
        net.evaluate(x, y[:10])
    with pytest.raises(ValueError, match=r"x must be 4-D .*\(5, 28, 28\).*channel axis"):
        net.predict(x[:5, :, :, 0])
    with pytest.raises(ValueError, match=r"3 channels.*\(5, 28, 28, 3\).*\(5, 5, 1, 30\)"):
        net.predict(np.zeros((5, 28, 28, 3)))
