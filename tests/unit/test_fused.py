"""cnnlib.layers.ConvReLUPool and models.fuse: the fused block gives the numbers of its three
layers (forward, every gradient, ties routed to the first maximum), equals a float64 NumPy
loop, and a fused model trains as the model it came from."""

import numpy as np
import pytest
from references import conv2d_ref, max_pool2d_ref  # noqa: E402

from cnnlib import layers as L
from cnnlib.gradcheck import check_layer
from cnnlib.models import Sequential, SimpleConvNet, fuse
from cnnlib.optim import SGD
from cnnlib.parallel import DataParallel
from cnnlib.validate import ArgumentError

# conv arguments, pool size, input shape: the fast path must hold for all of these
SETTINGS = {
    "simpleconvnet 5x5, pool 2": (dict(filters=4, kernel_size=5), 2, (3, 12, 12, 1)),
    "3 channels, odd map (last row unread)": (dict(filters=3, kernel_size=3), 2, (2, 9, 8, 3)),
    "stride 2, 'same'": (dict(filters=2, kernel_size=3, strides=2, padding="same"), 2,
                         (2, 11, 10, 2)),
    "int padding, pool 3": (dict(filters=2, kernel_size=(3, 2), padding=1), 3, (2, 9, 10, 2)),
    "pool (2, 3)": (dict(filters=3, kernel_size=3, strides=(1, 2)), (2, 3), (2, 10, 15, 1)),
}


def three_layers(conv_kwargs, pool_size, relu_inside, seed=0, dtype="float64"):
    conv = L.Conv2D(**conv_kwargs, activation="relu" if relu_inside else None, seed=seed,
                    dtype=dtype)
    middle = [] if relu_inside else [L.ReLU()]
    return [conv, *middle, L.MaxPooling2D(pool_size)]


def forward_all(layers, x):
    for layer in layers:
        x = layer.forward(x, training=True)
    return x


def backward_all(layers, dout):
    for layer in reversed(layers):
        dout = layer.backward(dout)
    return dout


@pytest.mark.parametrize("relu_inside", [False, True], ids=["ReLU layer", "activation='relu'"])
@pytest.mark.parametrize("name", SETTINGS)
def test_forward_and_every_gradient_equal_the_three_layers(name, relu_inside):
    conv_kwargs, pool_size, shape = SETTINGS[name]
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape)
    layers = three_layers(conv_kwargs, pool_size, relu_inside)
    expected = forward_all(layers, x)
    layers[0].params["bias"][...] = rng.standard_normal(layers[0].filters)
    expected = forward_all(layers, x)
    fused = L.ConvReLUPool(layers[0], layers[-1])
    out = fused.forward(x)
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)
    dout = rng.standard_normal(out.shape)
    dx_expected = backward_all(layers, dout)
    dx = fused.backward(dout)
    np.testing.assert_allclose(dx, dx_expected, rtol=1e-10, atol=1e-12)
    for key in ("kernel", "bias"):
        np.testing.assert_allclose(fused.grads[key], layers[0].grads[key], rtol=1e-10,
                                   atol=1e-12, err_msg=key)
    assert fused.backward(dout, input_grad=False) is None


@pytest.mark.parametrize("name", SETTINGS)
def test_forward_equals_a_float64_numpy_loop(name):
    conv_kwargs, pool_size, shape = SETTINGS[name]
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape)
    conv = L.Conv2D(**conv_kwargs, seed=1, dtype="float64")
    conv.build(shape[1:])
    conv.params["bias"][...] = rng.standard_normal(conv.filters)
    fused = L.ConvReLUPool(conv, L.MaxPooling2D(pool_size))
    z = conv2d_ref(x, conv.params["kernel"], conv.params["bias"], conv_kwargs.get("strides", 1),
                   conv_kwargs.get("padding", "valid"))
    np.testing.assert_allclose(fused.forward(x), max_pool2d_ref(np.maximum(z, 0), pool_size),
                               rtol=1e-12, atol=1e-12)


def test_a_tie_goes_to_the_first_maximum_in_scan_order():
    # small whole numbers: many windows hold the same maximum in two or more cells, and
    # the sums are exact in float64, so the three layers and the fused one see the same ties
    rng = np.random.default_rng(2)
    x = rng.integers(-1, 2, (4, 9, 9, 2)).astype(np.float64)
    layers = three_layers(dict(filters=3, kernel_size=2), 2, relu_inside=False)
    forward_all(layers, x)
    layers[0].params["kernel"][...] = rng.integers(-1, 2, layers[0].params["kernel"].shape)
    layers[0].params["bias"][...] = 1
    expected = forward_all(layers, x)
    fused = L.ConvReLUPool(layers[0], layers[-1])
    np.testing.assert_array_equal(fused.forward(x), expected)
    cells = [layers[-1].winner == k for k in range(4)]
    assert sum(c.sum() for c in cells[1:]) > 0  # not only cell 0 wins
    dout = rng.integers(-3, 4, expected.shape).astype(np.float64)  # exact sums in any order
    np.testing.assert_array_equal(fused.backward(dout), backward_all(layers, dout))
    np.testing.assert_array_equal(fused.grads["kernel"], layers[0].grads["kernel"])


def test_passes_a_float64_gradient_check():
    conv = L.Conv2D(2, 3, seed=3, dtype="float64", input_shape=(7, 8, 2))
    fused = L.ConvReLUPool(conv, L.MaxPooling2D(2))
    rng = np.random.default_rng(3)
    errors = check_layer(fused, rng.standard_normal((2, 7, 8, 2)))
    assert max(errors.values()) < 1e-6, errors


def test_shares_the_parameters_and_describes_itself_as_the_conv_and_pool():
    conv, pool = L.Conv2D(8, 3, input_shape=(10, 10, 1)), L.MaxPooling2D(2)
    fused = L.ConvReLUPool(conv, pool)
    assert fused.params is conv.params and fused.name == conv.name
    assert fused.compute_output_shape((10, 10, 1)) == (4, 4, 8)
    assert fused.count_params((10, 10, 1)) == conv.count_params() == 80
    assert fused.macs((10, 10, 1)) == conv.macs((10, 10, 1))  # 8×8 of the conv's outputs
    with pytest.raises(ArgumentError, match="Conv2D, ReLU and MaxPooling2D"):
        fused.to_keras()


@pytest.mark.parametrize("conv, pool, says", [
    (L.Conv2D(2, 3, activation="softmax"), L.MaxPooling2D(2), "activation None or 'relu'"),
    (L.Dense(3), L.MaxPooling2D(2), "must be a Conv2D"),
    (L.Conv2D(2, 3), L.MaxPooling2D(3, strides=2), r"strides == pool_size.*strides \(2, 2\)"),
    (L.Conv2D(2, 3), L.MaxPooling2D(2, padding="same"), "padding 'valid'"),
    (L.Conv2D(2, 3), L.AveragePooling2D(2), "must be a MaxPooling2D"),
])
def test_refuses_what_it_cannot_compute_and_says_what_fits(conv, pool, says):
    with pytest.raises(ArgumentError, match=says):
        L.ConvReLUPool(conv, pool)


def batch(n, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, 28, 28, 1), dtype=np.float32), rng.integers(0, 10, n)


def test_fuse_simpleconvnet_gives_the_same_step():
    x, y = batch(50)
    net = SimpleConvNet(seed=0)
    fused = fuse(net)
    assert [type(layer).__name__ for layer in fused.layers] == [
        "ConvReLUPool", "Flatten", "Dense", "ReLU", "Dense"]
    assert fused.params.keys() == net.params.keys()
    assert all(fused.params[k] is net.params[k] for k in net.params)
    loss, logits = net.backprop(x, y)
    expected = {k: v.copy() for k, v in net.grads.items()}
    loss_f, logits_f = fused.backprop(x, y)
    assert np.isclose(loss_f, loss, rtol=1e-6)
    np.testing.assert_allclose(logits_f, logits, rtol=1e-5, atol=1e-5)
    for key, grad in expected.items():
        scale = np.abs(grad).max()
        np.testing.assert_allclose(fused.grads[key] / scale, grad / scale, atol=1e-5,
                                   err_msg=key)


def test_training_the_fused_model_trains_the_original():
    x, y = batch(40, seed=1)
    net, twin = SimpleConvNet(seed=0), SimpleConvNet(seed=0)
    fused = fuse(net)
    sgd_fused, sgd_twin = SGD(0.1), SGD(0.1)
    for _ in range(3):
        fused.backprop(x, y)
        sgd_fused.step(fused)
        twin.backprop(x, y)
        sgd_twin.step(twin)
    for key in twin.params:
        np.testing.assert_allclose(net.params[key], twin.params[key], rtol=1e-4, atol=1e-6,
                                   err_msg=key)


def test_fuse_over_data_parallel_equals_backprop():
    x, y = batch(30, seed=2)
    serial = SimpleConvNet(seed=0)
    parallel = DataParallel(fuse(SimpleConvNet(seed=0)), workers=2)
    serial.backprop(x, y)
    parallel.backprop(x, y)
    for key, grad in serial.grads.items():
        scale = np.abs(grad).max()
        np.testing.assert_allclose(parallel.grads[key] / scale, grad / scale, atol=1e-5,
                                   err_msg=key)
    parallel.close()


def test_fuse_finds_every_block_and_leaves_the_rest():
    model = Sequential([L.Conv2D(4, 3, activation="relu"), L.MaxPooling2D(2),
                        L.Conv2D(4, 3), L.ReLU(), L.MaxPooling2D(2), L.Conv2D(2, 1),
                        L.ReLU(), L.MaxPooling2D(3, strides=1), L.Flatten(), L.Dense(3)],
                       input_shape=(20, 20, 1))
    fused = fuse(model)
    assert [type(layer).__name__ for layer in fused.layers] == [
        "ConvReLUPool", "ConvReLUPool", "Conv2D", "ReLU", "MaxPooling2D", "Flatten", "Dense"]
    x = np.random.default_rng(4).random((5, 20, 20, 1), dtype=np.float32)
    np.testing.assert_allclose(fused.forward(x), model.forward(x), rtol=1e-5, atol=1e-6)


def test_fuse_says_when_there_is_nothing_to_fuse():
    model = Sequential([L.Conv2D(4, 3), L.Flatten(), L.Dense(3)], input_shape=(8, 8, 1))
    with pytest.raises(ValueError, match=r"no Conv2D → ReLU → MaxPooling2D.*'Conv2D', "
                                         r"'Flatten', 'Dense'"):
        fuse(model)


def test_fuse_leaves_a_conv_without_relu_before_its_pooling_alone():
    # Conv2D → MaxPooling2D with no ReLU between them is another function: not a block
    model = Sequential([L.Conv2D(3, 3), L.MaxPooling2D(2), L.Conv2D(3, 3, activation="relu"),
                        L.MaxPooling2D(2), L.Flatten(), L.Dense(2)], input_shape=(14, 14, 1))
    assert [type(layer).__name__ for layer in fuse(model).layers] == [
        "Conv2D", "MaxPooling2D", "ConvReLUPool", "Flatten", "Dense"]
