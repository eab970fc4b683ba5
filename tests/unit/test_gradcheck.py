"""cnnlib.gradcheck: centered differences and CS231n's relative error."""

import numpy as np
import pytest

from cnnlib import layers as L
from cnnlib.gradcheck import check_layer, numerical_gradient, rel_error


def test_numerical_gradient_of_known_functions():
    x = np.array([[1.0, -2.0, 3.0], [0.5, 0.0, -1.5]])
    before = x.copy()
    np.testing.assert_allclose(numerical_gradient(lambda z: np.sum(z**2), x), 2 * x, atol=1e-8)
    np.testing.assert_array_equal(x, before)  # restored after every nudge
    np.testing.assert_allclose(numerical_gradient(lambda z: np.sum(np.sin(z)), x), np.cos(x),
                               atol=1e-9)


def test_numerical_gradient_of_a_parameter_the_function_reads():
    w = np.array([2.0, -1.0])
    x = np.array([3.0, 4.0])
    grad = numerical_gradient(lambda _: float(w @ x), w)  # f ignores its argument
    np.testing.assert_allclose(grad, x, atol=1e-8)


def test_rel_error_is_cs231n_definition():
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert rel_error([1.0], [-1.0]) == 1.0
    assert rel_error([0.0, 0.0], [0.0, 0.0]) == 0.0  # tiny keeps 0/0 away
    assert np.isclose(rel_error([1.0, 100.0], [1.1, 100.0]), 0.1 / 2.1)
    assert np.isclose(rel_error([1e-12], [0.0]), 1e-4)  # elementwise, floored at tiny=1e-8
    with pytest.raises(ValueError, match=r"\(2,\) and \(3,\)"):
        rel_error(np.zeros(2), np.zeros(3))


def test_check_layer_reports_every_gradient():
    rng = np.random.default_rng(0)
    layer = L.Dense(3, seed=0, dtype="float64")
    errors = check_layer(layer, rng.standard_normal((4, 5)))
    assert set(errors) == {"x", "kernel", "bias"}
    assert max(errors.values()) < 1e-8


class WrongDense(L.Dense):
    """The classic bug: the bias gradient taken from the kernel's."""

    def backward(self, dout, input_grad=True):
        dx = super().backward(dout, input_grad)
        self.grads["bias"] = dout.mean(axis=0)
        return dx


def test_check_layer_catches_a_wrong_backward():
    errors = check_layer(WrongDense(3, seed=0, dtype="float64"),
                         np.random.default_rng(0).standard_normal((4, 5)))
    assert errors["kernel"] < 1e-8
    assert errors["bias"] > 1e-2
