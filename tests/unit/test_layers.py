"""cnnlib.layers: forward equals a float64 NumPy loop and TF (oneDNN off), backward passes a
float64 gradient check and equals tf.GradientTape in float32, dout is never written, float32
stays float32."""

import numpy as np
import pytest
from references import avg_pool2d_ref, conv2d_ref, max_pool2d_ref, tf_padding, tf_pool  # noqa: E402

from cnnlib import layers as L
from cnnlib.gradcheck import check_layer, numerical_gradient, rel_error

tf = pytest.importorskip("tensorflow")


def away_from_kinks(rng, shape, gap=0.05):
    """Random values with distinct magnitudes, none within ``gap`` of 0 (no ReLU kink, no
    max-pool tie within the finite-difference step)."""
    size = int(np.prod(shape))
    values = (np.arange(size) + 1) / size + gap  # distinct, >= gap
    return (rng.permutation(values) * rng.choice([-1, 1], size)).reshape(shape)


# (make a float64 layer, input shape, the same layer in TF: fn(x, params) -> y)
CASES = {
    "conv valid": (lambda: L.Conv2D(3, 3, seed=0, dtype="float64"), (2, 6, 5, 2),
                   lambda x, p: tf.nn.conv2d(x, p["kernel"], 1, "VALID") + p["bias"]),
    "conv same stride 2": (lambda: L.Conv2D(2, (3, 2), strides=2, padding="same", seed=1,
                                            dtype="float64"), (2, 7, 6, 3),
                           lambda x, p: tf.nn.conv2d(x, p["kernel"], 2, "SAME") + p["bias"]),
    "conv pad 1 stride (1, 2)": (lambda: L.Conv2D(2, 3, strides=(1, 2), padding=1, seed=2,
                                                  dtype="float64"), (1, 5, 5, 2),
                                 lambda x, p: tf.nn.conv2d(x, p["kernel"], (1, 2),
                                                           tf_padding(1)) + p["bias"]),
    "max pool 2": (lambda: L.MaxPooling2D(2), (2, 6, 6, 3),
                   lambda x, p: tf.nn.max_pool2d(x, 2, 2, "VALID")),
    "max pool 3/2 same": (lambda: L.MaxPooling2D(3, 2, "same"), (2, 7, 6, 2),
                          lambda x, p: tf.nn.max_pool2d(x, 3, 2, "SAME")),
    "max pool 2/1 overlapping": (lambda: L.MaxPooling2D((2, 3), 1), (1, 5, 6, 2),
                                 lambda x, p: tf.nn.max_pool2d(x, (2, 3), 1, "VALID")),
    "max pool pad 1": (lambda: L.MaxPooling2D(2, 2, padding=1), (1, 4, 6, 2),
                       lambda x, p: tf_pool(tf.nn.max_pool2d, x, 2, 2, 1, fill=-np.inf)),
    "avg pool 2": (lambda: L.AveragePooling2D(2), (2, 6, 7, 3),
                   lambda x, p: tf.nn.avg_pool2d(x, 2, 2, "VALID")),
    "avg pool 3/2 same": (lambda: L.AveragePooling2D(3, 2, "same"), (2, 7, 6, 2),
                          lambda x, p: tf.nn.avg_pool2d(x, 3, 2, "SAME")),
    "avg pool pad 1 overlapping": (lambda: L.AveragePooling2D(3, 1, padding=1), (1, 4, 5, 2),
                                   lambda x, p: tf_pool(tf.nn.avg_pool2d, x, 3, 1, 1)),
    "conv relu, no bias": (lambda: L.Conv2D(3, 2, activation="relu", use_bias=False, seed=4,
                                            dtype="float64"), (2, 5, 5, 2),
                           lambda x, p: tf.nn.relu(tf.nn.conv2d(x, p["kernel"], 1, "VALID"))),
    "global average pooling": (lambda: L.GlobalAveragePooling2D(), (2, 3, 4, 2),
                               lambda x, p: tf.reduce_mean(x, axis=(1, 2))),
    "dense softmax": (lambda: L.Dense(4, activation="softmax", seed=5, dtype="float64"), (5, 7),
                      lambda x, p: tf.nn.softmax(x @ p["kernel"] + p["bias"])),
    "relu": (lambda: L.ReLU(), (3, 4, 4, 2), lambda x, p: tf.nn.relu(x)),
    "flatten": (lambda: L.Flatten(), (3, 2, 3, 4), lambda x, p: tf.reshape(x, (3, -1))),
    "dense": (lambda: L.Dense(4, seed=3, dtype="float64"), (5, 7),
              lambda x, p: x @ p["kernel"] + p["bias"]),
    "dropout (inference)": (lambda: L.Dropout(0.5), (3, 5), lambda x, p: x),
}


# the same layers as float64 NumPy loops (tests/references.py): fn(x, params) -> y
NUMPY = {
    "conv valid": lambda x, p: conv2d_ref(x, p["kernel"], p["bias"]),
    "conv same stride 2": lambda x, p: conv2d_ref(x, p["kernel"], p["bias"], 2, "same"),
    "conv pad 1 stride (1, 2)": lambda x, p: conv2d_ref(x, p["kernel"], p["bias"], (1, 2), 1),
    "max pool 2": lambda x, p: max_pool2d_ref(x, 2),
    "max pool 3/2 same": lambda x, p: max_pool2d_ref(x, 3, 2, "same"),
    "max pool 2/1 overlapping": lambda x, p: max_pool2d_ref(x, (2, 3), 1),
    "max pool pad 1": lambda x, p: max_pool2d_ref(x, 2, 2, 1),
    "avg pool 2": lambda x, p: avg_pool2d_ref(x, 2),
    "avg pool 3/2 same": lambda x, p: avg_pool2d_ref(x, 3, 2, "same"),
    "avg pool pad 1 overlapping": lambda x, p: avg_pool2d_ref(x, 3, 1, 1),
    "conv relu, no bias": lambda x, p: np.maximum(conv2d_ref(x, p["kernel"]), 0),
    "global average pooling": lambda x, p: x.mean(axis=(1, 2)),
    "dense softmax": lambda x, p: (lambda e: e / e.sum(1, keepdims=True))(
        np.exp(x @ p["kernel"] + p["bias"])),
    "relu": lambda x, p: np.maximum(x, 0),
    "flatten": lambda x, p: x.reshape(len(x), -1),
    "dense": lambda x, p: x @ p["kernel"] + p["bias"],
    "dropout (inference)": lambda x, p: x,
}


def build(name, dtype, seed=0):
    make, shape, tf_fn = CASES[name]
    layer = make()
    rng = np.random.default_rng(seed)
    x = away_from_kinks(rng, shape).astype(dtype)
    layer.forward(x)  # builds the parameters
    for key in layer.params:  # non-zero biases, in the dtype asked for
        layer.params[key] = (layer.params[key] + rng.standard_normal(layer.params[key].shape)
                             * 0.1).astype(dtype)
    return layer, x, tf_fn


@pytest.mark.parametrize("name", CASES)
def test_gradient_check_float64(name):
    layer, x, _ = build(name, np.float64)
    errors = check_layer(layer, x)
    assert set(errors) == {"x", *layer.params}
    assert max(errors.values()) <= 1e-6, errors


@pytest.mark.parametrize("name", CASES)
def test_forward_equals_float64_numpy_loop(name):
    layer, x, _ = build(name, np.float64)
    np.testing.assert_allclose(layer.forward(x), NUMPY[name](x, layer.params), atol=1e-12)


@pytest.mark.parametrize("name", CASES)
def test_forward_and_backward_equal_tf_in_float32(name):
    layer, x, tf_fn = build(name, np.float32)
    out = layer.forward(x)
    dout = np.random.default_rng(1).standard_normal(out.shape).astype(np.float32)
    dout_before = dout.copy()
    dx = layer.backward(dout)
    np.testing.assert_array_equal(dout, dout_before)  # backward never writes into dout

    tx = tf.Variable(x)
    tparams = {k: tf.Variable(v) for k, v in layer.params.items()}
    with tf.GradientTape() as tape:
        ty = tf_fn(tx, tparams)
        loss = tf.reduce_sum(ty * dout)
    grads = tape.gradient(loss, [tx, *tparams.values()])
    np.testing.assert_allclose(out, ty.numpy(), atol=1e-5, rtol=1e-5)
    np.testing.assert_allclose(dx, grads[0].numpy(), atol=1e-4, rtol=1e-4)
    for key, g in zip(tparams, grads[1:]):
        np.testing.assert_allclose(layer.grads[key], g.numpy(), atol=1e-4, rtol=1e-4)
    # float32 end to end
    assert out.dtype == dx.dtype == np.float32
    assert all(g.dtype == np.float32 for g in layer.grads.values())
    assert all(p.dtype == np.float32 for p in layer.params.values())


@pytest.mark.parametrize("window, stride, padding, x", [
    (2, 2, "valid", np.ones((1, 4, 4, 2))),  # every window is one big tie
    (2, 1, "valid", np.ones((1, 4, 5, 1))),  # overlapping windows of ties
    (3, 2, "same", -np.ones((1, 5, 5, 1))),  # ties next to -inf padding
    (2, 2, "valid", np.maximum(np.random.default_rng(0).standard_normal((2, 6, 6, 3)), 0)),
    (2, 2, "valid", np.random.default_rng(1).integers(0, 3, (2, 6, 6, 3))),  # after ReLU
])
def test_max_pool_ties_go_to_the_first_maximum_like_tf(window, stride, padding, x):
    x = x.astype(np.float32)
    layer = L.MaxPooling2D(window, stride, padding)
    out = layer.forward(x)
    dout = np.random.default_rng(2).standard_normal(out.shape).astype(np.float32)
    tx = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(tx)
        loss = tf.reduce_sum(tf.nn.max_pool2d(tx, window, stride, padding.upper()) * dout)
    np.testing.assert_array_equal(layer.backward(dout), tape.gradient(loss, tx).numpy())
    np.testing.assert_array_equal(layer.backward(dout), layer.backward_naive(dout))


@pytest.mark.parametrize("window, strides, padding, shape", [
    (2, None, "valid", (2, 6, 6, 3)),   # the windows tile the input: no zeroing needed
    (2, None, "valid", (2, 7, 5, 2)),   # the last row (and column) is in no window: 0
    (2, 3, "valid", (1, 8, 8, 1)),      # gaps between the windows: 0
    ((2, 3), 1, "valid", (1, 5, 6, 2)),  # overlapping: the gradients add up
    (2, None, 1, (1, 4, 6, 2)),         # padding: cut off again
])
def test_max_pool_backward_equals_the_one_window_at_a_time_version(window, strides, padding,
                                                                   shape):
    rng = np.random.default_rng(3)
    x = rng.integers(0, 3, shape).astype(np.float32)  # many ties
    layer = L.MaxPooling2D(window, strides, padding)
    out = layer.forward(x)
    dout = rng.standard_normal(out.shape).astype(np.float32)
    for _ in range(2):  # a second step reuses freed memory: no stale values may survive
        dx = layer.backward(dout)  # overlapping windows add in another order: allclose
        np.testing.assert_allclose(dx, layer.backward_naive(dout), rtol=1e-6, atol=1e-6)
        if strides != 1:  # one cell per window gets its gradient
            assert np.count_nonzero(dx) <= out.size
        layer.backward(dout + 1)


def test_conv2d_backward_without_input_gradient():
    layer, x, _ = build("conv valid", np.float32)
    out = layer.forward(x)
    full = layer.backward(np.ones_like(out))
    kernel_grad = layer.grads["kernel"].copy()
    assert full.shape == x.shape
    assert layer.backward(np.ones_like(out), input_grad=False) is None
    np.testing.assert_array_equal(layer.grads["kernel"], kernel_grad)


def test_conv2d_takes_a_keras_kernel():
    keras = pytest.importorskip("keras")
    k = keras.layers.Conv2D(4, 3, padding="same")
    x = np.random.default_rng(0).standard_normal((2, 6, 6, 3)).astype(np.float32)
    expected = k(x).numpy()
    mine = L.Conv2D(4, 3, padding="same", input_shape=(6, 6, 3))
    mine.set_weights(k.get_weights())
    np.testing.assert_allclose(mine.forward(x), expected, atol=1e-5)
    assert list(mine.params) == ["kernel", "bias"]
    assert mine.params["kernel"].shape == (3, 3, 3, 4)


def test_shapes_inferred_or_given_and_he_init():
    conv = L.Conv2D(30, 5, input_shape=(28, 28, 1), seed=0)
    assert conv.params["kernel"].shape == (5, 5, 1, 30) and conv.params["bias"].shape == (30,)
    assert conv.params["kernel"].dtype == np.float32
    assert abs(conv.params["kernel"].std() - np.sqrt(2 / 25)) < 0.03
    dense = L.Dense(10)
    assert dense.params == {}
    dense.forward(np.zeros((2, 4320), np.float32))
    assert dense.params["kernel"].shape == (4320, 10)
    assert abs(dense.params["kernel"].std() - np.sqrt(2 / 4320)) < 0.002
    assert L.Conv2D(2, 3, seed=5, input_shape=(4, 4, 1)).params["kernel"].tolist() == \
        L.Conv2D(2, 3, seed=5, input_shape=(4, 4, 1)).params["kernel"].tolist()


def test_keras_names():
    assert [layer.name for layer in (L.Conv2D(1, 1), L.MaxPooling2D(), L.AveragePooling2D(),
                                     L.ReLU(), L.Flatten(), L.Dense(1), L.Dropout(0.1))] == \
        ["conv2d", "max_pooling2d", "average_pooling2d", "re_lu", "flatten", "dense", "dropout"]


# ---------------------------------------------------------------------------- Dropout


def test_dropout_training_and_gradient():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((200, 50)).astype(np.float32)
    layer = L.Dropout(0.3, seed=1)
    np.testing.assert_array_equal(layer.forward(x), x)  # inference: the identity
    y = layer.forward(x, training=True)
    assert y.dtype == np.float32
    dropped = np.mean(y == 0)
    assert 0.27 < dropped < 0.33
    kept = y != 0
    np.testing.assert_allclose(y[kept], x[kept] / 0.7, rtol=1e-6)  # inverted dropout, as Keras
    dout = rng.standard_normal(x.shape).astype(np.float32)
    np.testing.assert_allclose(layer.backward(dout), dout * kept / np.float32(0.7), rtol=1e-6)

    # float64 gradient check: the same seed draws the same mask every time
    x64 = x[:4, :6].astype(np.float64)
    d64 = dout[:4, :6].astype(np.float64)

    def loss(_):
        return np.sum(L.Dropout(0.5, seed=7).forward(x64, training=True) * d64)

    layer = L.Dropout(0.5, seed=7)
    layer.forward(x64, training=True)
    assert rel_error(layer.backward(d64), numerical_gradient(loss, x64)) <= 1e-6


# ------------------------------------------------------------------ SoftmaxCrossEntropy


def test_softmax_cross_entropy_equals_tf():
    rng = np.random.default_rng(0)
    logits = (rng.standard_normal((8, 10)) * 5).astype(np.float32)
    labels = rng.integers(0, 10, 8)
    layer = L.SoftmaxCrossEntropy()
    loss = layer.forward(logits, labels)
    dlogits = layer.backward()
    tl = tf.constant(logits)
    with tf.GradientTape() as tape:
        tape.watch(tl)
        expected = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels, tl))
    assert np.isclose(loss, expected.numpy(), rtol=1e-6)
    np.testing.assert_allclose(dlogits, tape.gradient(expected, tl).numpy(), atol=1e-6)
    assert np.asarray(loss).dtype == dlogits.dtype == np.float32
    assert np.isfinite(layer.forward(np.array([[1000.0, -1000.0]], np.float32), [1]))


def test_softmax_cross_entropy_gradient_check():
    rng = np.random.default_rng(1)
    logits = rng.standard_normal((5, 4))
    labels = rng.integers(0, 4, 5)
    layer = L.SoftmaxCrossEntropy()
    layer.forward(logits, labels)
    dlogits = layer.backward()
    numeric = numerical_gradient(lambda z: layer.forward(z, labels), logits)
    assert rel_error(dlogits, numeric) <= 1e-6


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("call, words", [
    (lambda: L.Conv2D(2, 3).forward(np.zeros((28, 28, 1))),
     ["x must be 4-D", "(28, 28, 1)"]),
    (lambda: L.Conv2D(2, 3, input_shape=(8, 8, 1)).forward(np.zeros((1, 8, 8, 3))),
     ["3 channels", "(1, 8, 8, 3)", "(3, 3, 1, 2)"]),
    (lambda: L.Conv2D(2, 9).forward(np.zeros((1, 8, 8, 1))),
     ["kernel", "(9, 9)", "(1, 8, 8, 1)", "larger"]),
    (lambda: L.Conv2D(2, 3, strides=0), ["Conv2D: strides", "got 0"]),
    (lambda: L.Conv2D(0, 3), ["Conv2D: filters", "got 0"]),
    (lambda: L.Conv2D(2, 3, activation="tanh"), ["activation", "'tanh'"]),
    (lambda: L.MaxPooling2D(2, -1), ["MaxPooling2D: strides", "got -1"]),
    (lambda: L.MaxPooling2D(3).forward(np.zeros((1, 2, 2, 1))),
     ["pool_size", "(1, 2, 2, 1)", "larger"]),
    (lambda: L.AveragePooling2D(2).forward(np.zeros((4, 4, 1))), ["x must be 4-D", "(4, 4, 1)"]),
    (lambda: L.Dense(3).forward(np.zeros((2, 4, 4, 1))), ["2-D", "(2, 4, 4, 1)", "Flatten"]),
    (lambda: L.Dense(3, input_shape=(5,)).forward(np.zeros((2, 4))),
     ["4 features", "(2, 4)", "(5, 3)"]),
    (lambda: L.Dropout(1.0), ["Dropout: rate", "1.0"]),
    (lambda: L.SoftmaxCrossEntropy().forward(np.zeros((4, 10)), np.zeros(3, int)),
     ["labels", "(4,)", "(4, 10)", "(3,)"]),
    (lambda: L.SoftmaxCrossEntropy().forward(np.zeros((2, 10)), [0, 10]),
     ["labels", "[0, 10)"]),
    (lambda: L.SoftmaxCrossEntropy().forward(np.zeros((2, 10)), [0.5, 1.0]),
     ["labels", "integers", "float64"]),
    (lambda: L.Conv2D(2, 3, input_shape=(4, 4, 1)).set_weights([np.zeros((3, 3, 2, 2)),
                                                                 np.zeros(2)]),
     ["kernel", "(3, 3, 1, 2)", "(3, 3, 2, 2)"]),
])
def test_bad_input_names_argument_and_shapes(call, words):
    with pytest.raises(ValueError) as err:
        call()
    for word in words:
        assert word in str(err.value)


def test_describes_itself_like_keras():
    pytest.importorskip("keras")
    for layer, shape in [(L.Conv2D(8, (3, 5), strides=2, padding="same"), (9, 10, 3)),
                         (L.MaxPooling2D(3, 2), (9, 10, 3)), (L.AveragePooling2D(2), (9, 10, 3)),
                         (L.GlobalAveragePooling2D(), (9, 10, 3)), (L.Flatten(), (4, 5, 3)),
                         (L.Dense(7, activation="relu"), (12,)), (L.Dropout(0.3), (12,)),
                         (L.ReLU(), (4, 5, 3))]:
        theirs = layer.to_keras()
        assert theirs.name == layer.name and type(theirs).__name__ == layer.keras_class
        assert layer.compute_output_shape(shape) == theirs.compute_output_shape((1, *shape))[1:]
        theirs.build((1, *shape))
        assert layer.count_params(shape) == theirs.count_params()


def test_keras_names_copied_from_keras_work():
    conv = L.Conv2D(32, 3, strides=2, padding="same", activation="relu", use_bias=False)
    assert conv.strides == (2, 2) and conv.padding == "same"
    assert L.MaxPooling2D(pool_size=3, strides=2).strides == (2, 2)
    assert L.Dense(units=10).units == 10 and L.Dropout(rate=0.25).rate == 0.25
