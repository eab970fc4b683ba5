"""cnnlib.parallel: DataParallel splits a batch over threads and gives model.backprop's result."""

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from cnnlib import layers as L
from cnnlib.models import Sequential, SimpleConvNet
from cnnlib.optim import SGD, Adam
from cnnlib.parallel import DataParallel


def batch(n, seed=0, shape=(28, 28, 1)):
    rng = np.random.default_rng(seed)
    return rng.random((n, *shape), dtype=np.float32), rng.integers(0, 10, n)


def assert_same_step(serial, parallel, x, y, rtol=1e-5):
    loss_s, logits_s = serial.backprop(x, y)
    loss_p, logits_p = parallel.backprop(x, y)
    assert np.isclose(loss_p, loss_s, rtol=rtol)
    np.testing.assert_allclose(logits_p, logits_s, rtol=rtol, atol=1e-6)
    grads_s, grads_p = serial.grads, parallel.grads
    assert grads_p.keys() == grads_s.keys()
    for key in grads_s:
        scale = np.abs(grads_s[key]).max()
        np.testing.assert_allclose(grads_p[key] / scale, grads_s[key] / scale, atol=1e-5,
                                   err_msg=key)


@pytest.mark.parametrize("workers, n", [(2, 100), (3, 10), (2, 7), (4, 2)])
def test_equals_backprop_on_the_whole_batch(workers, n):
    x, y = batch(n)
    serial, model = SimpleConvNet(seed=0), SimpleConvNet(seed=0)
    assert_same_step(serial, DataParallel(model, workers), x, y)


def test_parts_are_weighted_by_their_size():
    # 7 images over 2 workers: parts of 4 and 3 (or 3 and 4); an unweighted mean of the two
    # parts' gradients would differ from the batch's
    x, y = batch(7, seed=1)
    serial, model = SimpleConvNet(seed=0), SimpleConvNet(seed=0)
    dp = DataParallel(model, 2)
    assert_same_step(serial, dp, x, y)
    parts = [r.layers[-1].x.shape[0] for r in dp.replicas]
    assert sorted(parts) == [3, 4]


def test_more_workers_than_images_leaves_the_rest_idle():
    x, y = batch(1)
    serial, model = SimpleConvNet(seed=0), SimpleConvNet(seed=0)
    assert_same_step(serial, DataParallel(model, 3), x, y)


def test_replicas_share_the_parameters_so_training_matches():
    x, y = batch(32, seed=2)
    serial, model = SimpleConvNet(seed=0), SimpleConvNet(seed=0)
    dp = DataParallel(model, 2)
    for replica in dp.replicas:
        for key, value in replica.params.items():
            assert value is model.params[key]
    opt_s, opt_p = Adam(), Adam()
    for _ in range(5):
        serial.backprop(x, y)
        opt_s.step(serial)
        dp.backprop(x, y)
        opt_p.step(dp)
    for key, value in serial.params.items():
        np.testing.assert_allclose(model.params[key], value, rtol=1e-4, atol=1e-6, err_msg=key)
    # weights loaded into the model afterwards reach the replicas too (set in place)
    model.layers[0].set_weights([np.zeros_like(w) for w in model.layers[0].get_weights()])
    assert not dp.replicas[1].layers[0].params["kernel"].any()


def test_a_general_model_with_dense_layers_and_channels():
    def build():
        return Sequential([L.Conv2D(4, 3, padding="same", activation="relu", seed=0),
                           L.MaxPooling2D(2), L.Conv2D(6, 3, seed=1), L.ReLU(),
                           L.GlobalAveragePooling2D(), L.Dense(5, seed=2)], input_shape=(8, 8, 3))
    x, y = batch(12, seed=3, shape=(8, 8, 3))
    y = y % 5
    assert_same_step(build(), DataParallel(build(), 2), x, y)


def test_dropout_draws_a_different_mask_in_each_replica():
    model = Sequential([L.Flatten(), L.Dropout(0.5, seed=0), L.Dense(3, seed=0)],
                       input_shape=(4, 4, 1))
    dp = DataParallel(model, 2)
    x = np.ones((2, 4, 4, 1), np.float32)
    dp.backprop(x, np.array([0, 1]))
    masks = [r.layers[1].mask for r in dp.replicas]
    assert not np.array_equal(masks[0], masks[1])


def test_refuses_batch_normalization():
    model = Sequential([L.Conv2D(2, 3, seed=0), L.BatchNormalization(), L.Flatten(),
                        L.Dense(3, seed=0)], input_shape=(5, 5, 1))
    with pytest.raises(ValueError, match="batch_normalization .*statistics of the whole batch"):
        DataParallel(model)


def test_refuses_a_model_not_built_yet():
    model = Sequential([L.Flatten(), L.Dense(3, seed=0)])
    with pytest.raises(ValueError, match="no parameters yet.*input_shape"):
        DataParallel(model)


@pytest.mark.parametrize("workers", [0, -1, 1.5, True, "2"])
def test_bad_workers_are_named(workers):
    with pytest.raises(ValueError, match=r"workers must be a whole number >= 1, got"):
        DataParallel(SimpleConvNet(seed=0), workers)


def test_mismatched_batch_is_named():
    x, y = batch(4)
    with pytest.raises(ValueError, match=r"x of shape \(4, 28, 28, 1\) and y of shape \(3,\)"):
        DataParallel(SimpleConvNet(seed=0), 2).backprop(x, y[:3])


def test_each_thread_computes_with_one_blas_thread_and_the_limit_is_undone():
    seen = []

    class Spy(L.Layer):
        def forward(self, x, training=False):
            seen.append([lib["num_threads"] for lib in threadpool_info()
                         if lib["user_api"] == "blas"])
            return x

        def backward(self, dout):
            return dout

    with threadpool_limits(limits=2, user_api="blas"):
        before = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
        if set(before) != {2}:
            pytest.skip(f"this NumPy's BLAS cannot be set to 2 threads: {before}")
        model = Sequential([Spy(), L.Flatten(), L.Dense(3, seed=0)], input_shape=(2, 2, 1))
        seen.clear()
        dp = DataParallel(model, 2)
        dp.backprop(np.ones((4, 2, 2, 1), np.float32), np.array([0, 1, 2, 0]))
        SGD().step(dp)
        assert len(seen) == 2 and all(s == [1] * len(before) for s in seen)
        after = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
        assert after == before
    dp.close()


def test_a_small_batch_after_a_large_one_uses_only_this_steps_gradients():
    # 4 workers, then a batch of 2: the two idle replicas still hold the last step's
    # gradients, which must not be added in
    serial, model = SimpleConvNet(seed=0), SimpleConvNet(seed=0)
    parallel = DataParallel(model, workers=4)
    parallel.backprop(*batch(40, seed=1))
    assert_same_step(serial, parallel, *batch(2, seed=2))
    parallel.close()
