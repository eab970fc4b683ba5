"""cnnlib.validate: one message per kind of bad argument, with the caller's name in front."""

import numpy as np
import pytest

from cnnlib import validate as v


@v.named
def outer(k):
    return inner(v.whole(k, "k"))


@v.named
def inner(k):
    return v.pair(k - 1, "kernel_size")


class Layer:
    @v.named
    def __init__(self, units):
        self.units = v.whole(units, "units")


@pytest.mark.parametrize("call, message", [
    (lambda: outer(0), "outer: k must be at least 1, got 0"),
    (lambda: outer(1), "inner: kernel_size must be a whole number >= 1 or an (h, w) pair"),
    (lambda: outer(2.0), "outer: k must be a whole number >= 1, got 2.0"),
    (lambda: outer(True), "outer: k must be a whole number >= 1, got True"),
    (lambda: Layer("3"), "Layer: units must be a whole number >= 1, got '3'"),
    (lambda: v.padding("full"), "padding must be 'valid', 'same', a whole number >= 0"),
    (lambda: v.padding(-1), "padding must not be negative, got -1"),
    (lambda: v.padding((1, -1)), "or an (h, w) pair of them, got (1, -1)"),
    (lambda: v.images(np.zeros((2, 3, 4))), "x must be 4-D (N, H, W, C), got shape (2, 3, 4); add"),
])
def test_messages_name_the_argument_the_value_and_the_caller(call, message):
    with pytest.raises(v.ArgumentError) as err:
        call()
    assert message in str(err.value)
    assert isinstance(err.value, ValueError)


def test_good_values_come_back_normalised():
    assert v.whole(np.int64(3), "n") == 3 and type(v.whole(np.int64(3), "n")) is int
    assert v.pair(3, "k") == (3, 3) and v.pair([2, 5], "k") == (2, 5)
    assert v.padding("SAME") == "same" and v.padding(2) == 2 and v.padding((0, 1)) == (0, 1)
    assert v.whole(0, "seed", minimum=0) == 0
