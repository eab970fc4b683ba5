"""cnnlib.layers.BatchNormalization against Keras's layer (forward in both modes, moving
statistics, counts) and a float64 numeric gradient; the augmentation layers: identity at
inference, Keras's arguments through to_keras(), RandomFlip's training forward/backward."""

import numpy as np
import pytest

from cnnlib import layers as L
from cnnlib.gradcheck import check_layer

keras = pytest.importorskip("keras")


def _pair(shape, seed=0, **kwargs):
    """A cnnlib BatchNormalization and Keras's, with the same random gamma, beta and
    moving statistics, built for inputs of ``shape`` (no batch axis)."""
    rng = np.random.default_rng(seed)
    mine = L.BatchNormalization(input_shape=shape, **kwargs)
    weights = [rng.uniform(0.5, 1.5, w.shape).astype("float32") if i % 2 == 0 or i == 3
               else rng.normal(size=w.shape).astype("float32")
               for i, w in enumerate(mine.get_weights())]
    mine.set_weights(weights)
    theirs = mine.to_keras()
    theirs.build((None, *shape))
    theirs.set_weights(mine.get_weights())
    return mine, theirs


@pytest.mark.parametrize("kwargs", [{}, {"momentum": 0.9, "epsilon": 1e-5},
                                    {"center": False}, {"scale": False}])
@pytest.mark.parametrize("training", [False, True])
def test_forward_equals_keras(kwargs, training):
    shape = (5, 4, 3)
    mine, theirs = _pair(shape, **kwargs)
    x = (np.random.default_rng(1).normal(size=(6, *shape)) * 3 + 2).astype("float32")
    ours = mine.forward(x, training=training)
    assert ours.dtype == np.float32 and ours.shape == x.shape
    np.testing.assert_allclose(ours, np.asarray(theirs(x, training=training)), atol=1e-5)
    # the moving statistics moved (training) or not (inference) as Keras's did
    for a, b in zip(mine.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert mine.count_params(shape) == theirs.count_params() == mine.count_params()


def test_training_normalises_each_channel():
    x = np.random.default_rng(2).normal(3, 5, size=(64, 2, 2, 4))
    out = L.BatchNormalization(dtype="float64").forward(x, training=True)
    np.testing.assert_allclose(out.mean(axis=(0, 1, 2)), 0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=(0, 1, 2)), 1, atol=1e-3)  # epsilon aside


def test_other_axis_equals_keras():
    mine, theirs = _pair((3, 5, 4), axis=1)
    x = np.random.default_rng(3).normal(size=(4, 3, 5, 4)).astype("float32")
    np.testing.assert_allclose(mine.forward(x, training=True),
                               np.asarray(theirs(x, training=True)), atol=1e-5)


@pytest.mark.parametrize("training", [False, True])
@pytest.mark.parametrize("kwargs", [{}, {"center": False, "scale": False}])
def test_backward_passes_a_numeric_gradient_check(training, kwargs):
    rng = np.random.default_rng(4)
    layer = L.BatchNormalization(dtype="float64", input_shape=(3, 2, 3), **kwargs)
    for key in layer.params:
        layer.params[key][...] = rng.normal(size=3)
    layer.moving_mean[...], layer.moving_variance[...] = rng.normal(size=3), [0.5, 2.0, 1.5]
    x = rng.normal(size=(4, 3, 2, 3))
    momentum = layer.momentum
    layer.momentum = 1.0 if training else momentum  # keep the statistics fixed while checking
    errors = check_layer(layer, x, training=training)
    assert set(errors) == {"x", *layer.params}
    assert max(errors.values()) < 1e-7, errors


def test_backward_equals_gradient_tape():
    tf = pytest.importorskip("tensorflow")
    mine, theirs = _pair((4, 4, 2))
    x = np.random.default_rng(5).normal(size=(3, 4, 4, 2)).astype("float32")
    dout = np.random.default_rng(6).normal(size=x.shape).astype("float32")
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(theirs(xt, training=True) * dout)
    dx, dgamma, dbeta = tape.gradient(loss, [xt, theirs.gamma, theirs.beta])
    mine.forward(x, training=True)
    np.testing.assert_allclose(mine.backward(dout), dx.numpy(), atol=1e-4)
    np.testing.assert_allclose(mine.grads["gamma"], dgamma.numpy(), atol=1e-4)
    np.testing.assert_allclose(mine.grads["beta"], dbeta.numpy(), atol=1e-4)


def test_counts_and_formula_like_keras():
    from cnnlib import params

    s = params.summary([L.Conv2D(8, 3, use_bias=False), L.BatchNormalization(),
                        L.BatchNormalization(center=False, name="bn_no_beta")], (6, 6, 1))
    assert [r.params for r in s] == [72, 32, 24]
    assert s[1].formula == "4·8 = 32 (γ, β trainable; mean, variance not)"
    assert s[2].formula == "3·8 = 24 (γ trainable; mean, variance not)"
    ours, model = params.against_keras(
        [L.Conv2D(8, 3), L.BatchNormalization(scale=False), L.ReLU()], (6, 6, 1))
    assert ours.total == model.count_params() == 80 + 24


@pytest.mark.parametrize("call, words", [
    (lambda: L.BatchNormalization(momentum=1.5), ["BatchNormalization", "momentum", "1.5"]),
    (lambda: L.BatchNormalization(epsilon=0), ["epsilon", "> 0"]),
    (lambda: L.BatchNormalization(axis="last"), ["axis", "'last'"]),
    (lambda: L.BatchNormalization(axis=0, input_shape=(4, 4, 2)), ["axis 0", "(N, 4, 4, 2)"]),
    (lambda: L.BatchNormalization(input_shape=(4, 4, 2)).forward(np.zeros((1, 4, 4, 3))),
     ["3 channels", "built for 2"]),
    (lambda: L.RandomFlip("sideways"), ["RandomFlip", "mode", "'horizontal'", "'sideways'"]),
    (lambda: L.RandomRotation(2), ["factor", "[-1, 1]", "2"]),
    (lambda: L.RandomTranslation(0.1, 0.1, fill_mode="zeros"), ["fill_mode", "'constant'"]),
])
def test_bad_arguments_name_themselves(call, words):
    with pytest.raises(ValueError) as err:
        call()
    for word in words:
        assert word in str(err.value)


# the chapters' augmentations, in cnnlib and as the chapters write them in Keras
AUGMENTATIONS = {
    "flip": (lambda m: m.RandomFlip("horizontal")),
    "rotation": (lambda m: m.RandomRotation(10 / 360, fill_mode="constant")),
    "translation": (lambda m: m.RandomTranslation(0.1, (-0.2, 0.1), fill_mode="constant",
                                                  seed=2)),
}


@pytest.mark.parametrize("make", AUGMENTATIONS.values(), ids=AUGMENTATIONS)
def test_augmentation_is_the_identity_at_inference_like_keras(make):
    layer = make(L)
    theirs = layer.to_keras()
    assert theirs.get_config() == make(keras.layers).get_config() | {"name": layer.name}
    x = np.random.default_rng(7).random((2, 8, 8, 1)).astype("float32")
    assert layer.forward(x) is x and layer.backward(x) is x
    np.testing.assert_array_equal(np.asarray(theirs(x, training=False)), x)
    assert layer.compute_output_shape((8, 8, 1)) == theirs.compute_output_shape((1, 8, 8, 1))[1:]
    assert layer.count_params((8, 8, 1)) == theirs.count_params() == 0


def test_translation_and_rotation_only_describe_training():
    for layer in (L.RandomRotation(0.1), L.RandomTranslation(0.1, 0.1)):
        with pytest.raises(NotImplementedError, match="only describes.*to_keras"):
            layer.forward(np.zeros((1, 4, 4, 1)), training=True)


def test_random_flip_in_training_flips_some_images_and_their_gradients():
    x = np.arange(32 * 3 * 4, dtype="float32").reshape(32, 3, 4, 1)
    layer = L.RandomFlip("horizontal", seed=0)
    out = layer.forward(x, training=True)
    flipped = np.array([np.array_equal(o, i[:, ::-1]) for o, i in zip(out, x)])
    kept = np.array([np.array_equal(o, i) for o, i in zip(out, x)])
    assert (flipped | kept).all() and 0 < flipped.sum() < 32
    np.testing.assert_array_equal(layer.backward(out), x)  # the gradient goes back flipped
    both = L.RandomFlip(seed=1).forward(x, training=True)
    assert any(np.array_equal(o, i[::-1]) for o, i in zip(both, x))
