"""cnnlib.optim: SGD, Momentum and Adam update in place, in float32, exactly as Keras's."""

import numpy as np
import pytest

from cnnlib.models import SimpleConvNet
from cnnlib.optim import SGD, Adam, Momentum

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")


def params_and_grads(seed=0, steps=5):
    rng = np.random.default_rng(seed)
    params = {"dense/kernel": rng.standard_normal((4, 3)).astype(np.float32),
              "dense/bias": rng.standard_normal(3).astype(np.float32)}
    grads = [{k: rng.standard_normal(v.shape).astype(np.float32) for k, v in params.items()}
             for _ in range(steps)]
    return params, grads


@pytest.mark.parametrize("mine, theirs", [
    (lambda: SGD(0.1), lambda: keras.optimizers.SGD(0.1)),
    (lambda: Momentum(0.05, 0.8), lambda: keras.optimizers.SGD(0.05, momentum=0.8)),
    (lambda: Adam(0.01), lambda: keras.optimizers.Adam(0.01)),
    (lambda: Adam(0.002, 0.8, 0.99, 1e-6),
     lambda: keras.optimizers.Adam(0.002, beta_1=0.8, beta_2=0.99, epsilon=1e-6)),
])
def test_updates_equal_keras(mine, theirs):
    params, grads = params_and_grads()
    variables = {k: tf.Variable(v) for k, v in params.items()}
    optimizer, reference = mine(), theirs()
    arrays = dict(params)  # the very arrays must be updated, in place
    for g in grads:
        optimizer.update(params, g)
        reference.apply_gradients([(tf.constant(g[k]), variables[k]) for k in variables])
    for key in params:
        assert params[key] is arrays[key] and params[key].dtype == np.float32
        np.testing.assert_allclose(params[key], variables[key].numpy(), atol=1e-6, rtol=1e-6)
    assert optimizer.iterations == len(grads)


def test_step_updates_a_model():
    net = SimpleConvNet(input_shape=(8, 8, 1), filters=2, kernel_size=3, hidden=4, seed=0)
    rng = np.random.default_rng(0)
    x, y = rng.random((6, 8, 8, 1), dtype=np.float32), rng.integers(0, 10, 6)
    before = {k: v.copy() for k, v in net.params.items()}
    loss_before = net.loss(x, y)
    optimizer = SGD(0.01)
    net.gradient(x, y)
    optimizer.step(net)
    for key, value in net.params.items():
        np.testing.assert_allclose(value, before[key] - np.float32(0.01) * net.grads[key],
                                   rtol=1e-6, atol=1e-7)
        assert value.dtype == np.float32
    assert net.loss(x, y) < loss_before


def test_bad_arguments():
    params, grads = params_and_grads(steps=1)
    with pytest.raises(ValueError, match="no gradient for 'dense/bias'"):
        SGD().update(params, {"dense/kernel": grads[0]["dense/kernel"]})
    with pytest.raises(ValueError, match=r"'dense/bias' has shape \(4,\), the parameter \(3,\)"):
        Adam().update(params, {**grads[0], "dense/bias": np.zeros(4, np.float32)})
    with pytest.raises(ValueError, match="learning_rate must be > 0"):
        Momentum(0)


def test_flush_subnormals_zeros_only_the_subnormal_numbers():
    from cnnlib.optim import flush_subnormals

    for dtype in (np.float32, np.float64):
        tiny = np.finfo(dtype).tiny
        a = np.array([tiny / 4, -tiny / 2, tiny, -tiny, 0.0, 1e-3, -2.0], dtype=dtype)
        assert np.abs(a[:2]).min() > 0  # really subnormal, not already 0
        flush_subnormals(a)
        np.testing.assert_array_equal(a, np.array([0, 0, tiny, -tiny, 0, 1e-3, -2], dtype))


def test_adam_moments_of_a_weight_whose_gradient_stops_never_stay_subnormal():
    # one gradient, then zeros (a ReLU unit that stopped firing): m shrinks by 0.9 a step and
    # would spend about 150 steps among float32's subnormals; Adam flushes every tenth step
    tiny = np.finfo(np.float32).tiny
    params = {"w": np.ones(1000, np.float32)}
    adam = Adam()
    adam.update(params, {"w": np.full(1000, 1e-3, np.float32)})
    zero = {"w": np.zeros(1000, np.float32)}
    seen_subnormal_for = 0
    for _ in range(1200):
        adam.update(params, zero)
        m = np.abs(adam.m["w"])
        if ((m > 0) & (m < tiny)).any():
            seen_subnormal_for += 1
    assert 0 < seen_subnormal_for <= 10  # it did get there, and left within ten steps
    assert not adam.m["w"].any()
