"""Checkers of the exercises in "Designing CNNs: LeNet, VGG blocks and ResNet"."""

from __future__ import annotations

import numpy as np

from ..params import conv2d_params
from ..sizes import conv_output_size
from .contract import checker
from .hints import compare_value, expect_own_function

_TRIPLES = [(256, 64, 256), (64, 16, 64), (512, 128, 2048), (3, 5, 7)]


def _bottleneck_reference(c_in, c_mid, c_out):
    return (conv2d_params(1, c_in, c_mid, use_bias=False)
            + conv2d_params(3, c_mid, c_mid, use_bias=False)
            + conv2d_params(1, c_mid, c_out, use_bias=False))


@checker("designing_cnns-1", hints=(
    "Count each of the three convolutions with FH·FW·C_in·C_out and add them up.",
    "The middle convolution reads c_mid channels, not c_in, and its kernels are 3×3.",
))
def bottleneck_params(func):
    expect_own_function(func, "bottleneck_params")
    for c_in, c_mid, c_out in _TRIPLES:
        got = func(c_in, c_mid, c_out)
        expected = _bottleneck_reference(c_in, c_mid, c_out)
        where = f"bottleneck_params({c_in}, {c_mid}, {c_out})"
        if got == expected + 2 * c_mid + c_out:
            raise AssertionError(f"{where} counts biases; the block's convolutions have none "
                                 "(batch normalization adds the shift)")
        if got == c_in * c_mid + c_mid * c_mid + c_mid * c_out:
            raise AssertionError(f"{where}: the middle kernel is 3×3, nine weights per pair of "
                                 "channels")
        if got == c_in * c_mid + 9 * c_in * c_mid + c_mid * c_out:
            raise AssertionError(f"{where}: the 3×3 convolution reads the squeezed c_mid "
                                 "channels, not c_in")
        compare_value(got, expected, where)
    return "correct: the 1×1 convolutions are cheap, so the 3×3 works on few channels"


def _residual_reference_params(c_in, filters, strides):
    """Two 3×3 convolutions (no bias) with BN (4 values a channel), plus a projection."""
    n = conv2d_params(3, c_in, filters, use_bias=False) + 4 * filters
    n += conv2d_params(3, filters, filters, use_bias=False) + 4 * filters
    if strides != 1 or c_in != filters:
        n += conv2d_params(1, c_in, filters, use_bias=False) + 4 * filters
    return n


def _build(func, shape, filters, strides):
    import keras

    inputs = keras.Input(shape)
    try:
        out = func(inputs, filters, strides=strides)
    except ValueError as err:
        if "shape" in str(err).lower():
            raise AssertionError(
                f"my_residual_block(x, {filters}, strides={strides}) on {shape} inputs: Add saw "
                "two shapes; when the block changes the map or the channels, project the "
                "shortcut with a 1×1 convolution of the same stride") from None
        raise
    return keras.Model(inputs, out)


@checker("designing_cnns-2", hints=(
    "Keep x in a variable before the convolutions: that is the shortcut, added at the end "
    "with layers.Add()([y, shortcut]) and followed by a ReLU.",
    "When strides is 2 or the channels change, the shortcut is "
    "Conv2D(filters, 1, strides=strides, use_bias=False) and a BatchNormalization.",
))
def residual_block(func):
    expect_own_function(func, "my_residual_block")
    shape = (14, 14, 32)
    for filters, strides in [(32, 1), (64, 2), (64, 1)]:
        model = _build(func, shape, filters, strides)
        where = f"my_residual_block(x, {filters}, strides={strides}) on {shape} inputs"
        side = conv_output_size(14, 3, strides, "same")
        if tuple(model.output.shape[1:]) != (side, side, filters):
            raise AssertionError(f"{where} should give maps of shape {(side, side, filters)}, "
                                 f"got {tuple(model.output.shape[1:])}")
        kinds = [type(layer).__name__ for layer in model.layers]
        if "Add" not in kinds:
            raise AssertionError(f"{where} has no Add layer: where does the shortcut join?")
        if "BatchNormalization" not in kinds:
            raise AssertionError(f"{where} has no batch normalization")
        expected = _residual_reference_params(shape[-1], filters, strides)
        got = model.count_params()
        biases = [layer.name for layer in model.layers
                  if type(layer).__name__ == "Conv2D" and layer.use_bias]
        if biases:
            raise AssertionError(f"{where}: the convolutions should have use_bias=False "
                                 "(batch normalization adds the shift)")
        if strides == 1 and filters == shape[-1] and got > expected:
            raise AssertionError(f"{where}: the shapes agree, so the shortcut is x itself, "
                                 "no projection")
        compare_value(got, expected, f"the parameter count of {where}")
    _identity_check(func, shape)
    return "correct: an identity path plus a learned correction, projected only where needed"


def _identity_check(func, shape):
    """With every kernel zero, an identity block is ReLU(0 + x) = ReLU(x): the skip is real."""
    model = _build(func, shape, shape[-1], 1)
    for layer in model.layers:
        if type(layer).__name__ == "Conv2D":
            layer.kernel.assign(np.zeros(layer.kernel.shape, dtype="float32"))
    x = np.random.default_rng(2).normal(size=(2, *shape)).astype("float32")
    out = np.asarray(model(x, training=False))
    if not np.allclose(out, np.maximum(x, 0), atol=1e-4):
        raise AssertionError("with all convolution kernels set to zero the block should pass "
                             "ReLU(x) through: add x itself to the second batch normalization's "
                             "output, then apply ReLU")


@checker("designing_cnns-3", hints=(
    "Loop over the depths; call cnnlib.seed_everything(0) before building each net, "
    "then gradient_norms on x_train[:128], y_train[:128].",
    "The spread of one net is max(g) / min(g) of its list of norms g.",
))
def deeper_plain_nets(answer):
    if not isinstance(answer, dict):
        raise AssertionError(f"answer_3 should be a dict {{blocks: spread}}, got "
                             f"{type(answer).__name__}")
    if sorted(answer) != [2, 4, 8, 16]:
        raise AssertionError(f"answer_3 should have the keys 2, 4, 8 and 16 (blocks), got "
                             f"{sorted(answer)}")
    values = [answer[k] for k in (2, 4, 8, 16)]
    if not all(isinstance(v, (int, float, np.number)) and np.isfinite(v) for v in values):
        raise AssertionError("each spread should be a finite number")
    if any(v < 1 for v in values):
        raise AssertionError("a spread below 1: divide the largest norm by the smallest")
    if values[-1] <= values[0]:
        raise AssertionError("the 16-block spread should come out larger than the 2-block one; "
                             "did you pass skip=False and the blocks to deep_net?")
    return "correct: each plain block adds one more factor to the product the gradient goes through"


@checker("designing_cnns-4", hints=(
    "Count each design's weights as a multiple of C²: FH·FW per kernel position pair.",
    "A 1×5 kernel has five weights per pair of channels, a 5×1 kernel five more.",
), expected="cba")
def cheapest_5x5(answer):
    if not isinstance(answer, str):
        raise AssertionError(f"answer_4 should be a string of three letters, got "
                             f"{type(answer).__name__}")
    got = answer.strip().lower().replace(",", "").replace(" ", "")
    if sorted(got) != ["a", "b", "c"]:
        raise AssertionError("answer_4 should hold each of the letters a, b and c once")
    if got == "bca":
        raise AssertionError("two 3×3 kernels beat one 5×5, but the 1×5 + 5×1 pair has fewer "
                             "weights still: count them")
    if got.startswith("a"):
        raise AssertionError("one large kernel is the most expensive way to see a 5×5 window")
    if got != "cba":
        raise AssertionError("not that order: count the weights of each design in units of C²")
    return "correct: 10C², 18C², 25C² — smaller kernels, stacked, see as far for less"


@checker("designing_cnns-5", hints=(
    "MACs of a convolution = OH·OW·FH·FW·C_in·C_out, with the output size OH×OW.",
    "The output is ⌊(224 + 2·3 − 7)/2⌋ + 1 pixels on a side.",
), expected=112 * 112 * 7 * 7 * 3 * 64)
def stem_macs(answer):
    expected = 112 * 112 * 7 * 7 * 3 * 64
    if answer == 224 * 224 * 7 * 7 * 3 * 64 or answer == 230 * 230 * 7 * 7 * 3 * 64:
        raise AssertionError("that counts one window per input pixel: a stride-2 convolution "
                             "computes only the output positions")
    if answer == 112 * 112 * 7 * 7 * 64:
        raise AssertionError("each kernel spans all 3 colour channels")
    if answer == 7 * 7 * 3 * 64:
        raise AssertionError("that is the number of weights; each is used at every output "
                             "position")
    if answer == expected + 112 * 112 * 64:
        raise AssertionError("close: leave out the bias additions")
    compare_value(answer, expected, "answer_5")
    return "correct: every one of the 112·112·64 outputs is a 7·7·3 window times a kernel"
