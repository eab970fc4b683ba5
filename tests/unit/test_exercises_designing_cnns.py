"""The checkers of "Designing CNNs": the right answer passes, each classic wrong answer is
named, the library's own function is rejected.

Stubs, hints and ids, the same for every chapter: test_exercises_every.py."""

import pytest
from exercise_common import assert_fails, verdict

from cnnlib import params
from cnnlib.exercises import contract, designing_cnns  # noqa: F401  (registers the checkers)

keras = pytest.importorskip("keras")
layers = keras.layers


def test_the_numbers_answer_an_expected_value():
    assert contract.expected_of("designing_cnns-4") == "cba"
    assert contract.expected_of("designing_cnns-5") == 112 * 112 * 7 * 7 * 3 * 64


# ---------------------------------------------------------------- 1. bottleneck parameters


def test_bottleneck_params_right_and_wrong():
    def right(c_in, c_mid, c_out):
        return c_in * c_mid + 9 * c_mid * c_mid + c_mid * c_out

    assert verdict("designing_cnns-1", right).status == "pass"
    assert_fails("designing_cnns-1", lambda a, m, o: right(a, m, o) + 2 * m + o, "biases")
    assert_fails("designing_cnns-1", lambda a, m, o: a * m + m * m + m * o, "3×3")
    assert_fails("designing_cnns-1", lambda a, m, o: a * m + 9 * a * m + m * o, "c_mid")
    assert_fails("designing_cnns-1", lambda a, m, o: right(a, m, o) + 1, "too large")
    assert_fails("designing_cnns-1", params.conv2d_params, "write it yourself")
    assert_fails("designing_cnns-1", 69_632, "function")


# ---------------------------------------------------------------- 2. the residual block


def make_block(project=True, bias=False, skip=True, shortcut_kernel=1, always_project=False):
    def block(x, filters, strides=1):
        y = layers.Conv2D(filters, 3, strides=strides, padding="same", use_bias=bias)(x)
        y = layers.ReLU()(layers.BatchNormalization()(y))
        y = layers.Conv2D(filters, 3, padding="same", use_bias=bias)(y)
        y = layers.BatchNormalization()(y)
        if not skip:
            return layers.ReLU()(y)
        shortcut = x
        if project and (always_project or strides != 1 or x.shape[-1] != filters):
            shortcut = layers.Conv2D(filters, shortcut_kernel, strides=strides, padding="same",
                                     use_bias=False)(x)
            shortcut = layers.BatchNormalization()(shortcut)
        return layers.ReLU()(layers.Add()([y, shortcut]))
    return block


def test_residual_block_right():
    assert verdict("designing_cnns-2", make_block()).status == "pass"


@pytest.mark.parametrize("kwargs, words", [
    ({"project": False}, ("two shapes", "1×1")),
    ({"bias": True}, ("use_bias=False",)),
    ({"skip": False}, ("no Add",)),
    ({"always_project": True}, ("x itself",)),
    ({"shortcut_kernel": 3}, ("parameter count", "too large")),
])
def test_residual_block_classic_mistakes(kwargs, words):
    assert_fails("designing_cnns-2", make_block(**kwargs), *words)


def test_residual_block_that_adds_something_else_than_x_is_caught():
    def block(x, filters, strides=1):
        y = make_block(project=True)(x, filters, strides)
        if strides == 1 and x.shape[-1] == filters:   # identity case: add y to itself instead
            inner = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
            inner = layers.BatchNormalization()(layers.Conv2D(
                filters, 3, padding="same", use_bias=False)(layers.ReLU()(
                    layers.BatchNormalization()(inner))))
            return layers.ReLU()(layers.Add()([inner, layers.Activation("linear")(inner)]))
        return y

    assert_fails("designing_cnns-2", block, "ReLU(x)")


# ---------------------------------------------------------------- 3. deeper plain nets


def test_deeper_plain_nets():
    good = {2: 1.2, 4: 1.7, 8: 6.6, 16: 146.0}
    assert verdict("designing_cnns-3", good).status == "pass"
    assert_fails("designing_cnns-3", [1.2, 1.7], "dict")
    assert_fails("designing_cnns-3", {2: 1.2, 4: 1.7}, "keys")
    assert_fails("designing_cnns-3", {k: 1 / v for k, v in good.items()}, "largest")
    assert_fails("designing_cnns-3", {2: 5.0, 4: 4.0, 8: 3.0, 16: 2.0}, "skip=False")
    assert_fails("designing_cnns-3", {2: 1.0, 4: float("nan"), 8: 2.0, 16: 3.0}, "finite")


# ---------------------------------------------------------------- 4. the cheapest 5×5


@pytest.mark.parametrize("answer", ["cba", "CBA", "c, b, a", " c b a "])
def test_cheapest_right(answer):
    assert verdict("designing_cnns-4", answer).status == "pass"


@pytest.mark.parametrize("answer, words", [
    ("bca", ("1×5",)), ("abc", ("most expensive",)), ("acb", ("most expensive",)),
    ("cab", ("not that order",)), ("ab", ("each of the letters",)), (3, ("string",)),
])
def test_cheapest_wrong(answer, words):
    assert_fails("designing_cnns-4", answer, *words)


# ---------------------------------------------------------------- 5. the stem's MACs


def test_stem_macs():
    assert verdict("designing_cnns-5", 112 * 112 * 7 * 7 * 3 * 64).status == "pass"
    assert_fails("designing_cnns-5", 224 * 224 * 7 * 7 * 3 * 64, "stride-2")
    assert_fails("designing_cnns-5", 112 * 112 * 7 * 7 * 64, "colour channels")
    assert_fails("designing_cnns-5", 7 * 7 * 3 * 64, "number of weights")
    assert_fails("designing_cnns-5", 112 * 112 * (7 * 7 * 3 + 1) * 64, "bias")
    assert_fails("designing_cnns-5", 1, "too small")
    assert_fails("designing_cnns-5", "many", "number")
