"""Dense, and the layers between the others: ReLU, Flatten, Dropout."""

from __future__ import annotations

import math

import numpy as np

from ..params import dense_formula, dense_params
from ..validate import ArgumentError, called, named, whole
from .base import Layer, fmt, he_normal

__all__ = ["ReLU", "Flatten", "Dense", "Dropout"]


class ReLU(Layer):
    """max(x, 0), elementwise; any shape. The gradient passes where x > 0 (0 at x = 0)."""

    keras_class = "ReLU"

    def forward(self, x, training=False):
        self.positive = x > 0
        return np.maximum(x, 0)

    def backward(self, dout):
        return dout * self.positive  # a new array: dout itself is left alone


class Flatten(Layer):
    """x: (N, H, W, C) -> (N, H·W·C), in Keras's order, so Keras Dense kernels fit."""

    keras_class = "Flatten"

    def forward(self, x, training=False):
        self.x_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dout):
        return dout.reshape(self.x_shape)

    def compute_output_shape(self, input_shape):
        return (math.prod(input_shape),)

    def params_formula(self, input_shape):
        shown = "·".join(str(v) for v in input_shape)
        return f"{shown} = {fmt(math.prod(input_shape))} values, 0 params"


class Dense(Layer):
    """A fully connected layer: x: (N, D) -> x · kernel + bias: (N, units).

    Keras's arguments: ``Dense(128, activation='relu', use_bias=True)``. params:
    ``kernel`` (D, units), He-initialised; ``bias`` (units,), zeros.
    """

    keras_class = "Dense"

    @named
    def __init__(self, units, activation=None, use_bias=True, input_shape=None, seed=None,
                 dtype="float32", name=None):
        super().__init__(name)
        self.units = whole(units, "units")
        self._learnable(activation, use_bias, seed, dtype)
        if input_shape is not None:
            self.build(input_shape)

    def build(self, input_shape):
        """Create the parameters for inputs of shape (D,) (no batch axis)."""
        d = input_shape[-1]
        self.params["kernel"] = he_normal(self.rng, (d, self.units), d, self.dtype)
        if self.use_bias:
            self.params["bias"] = np.zeros(self.units, dtype=self.dtype)

    def forward(self, x, training=False):
        """x: (N, D) -> (N, units)."""
        x = np.asarray(x)
        with called(self.name):
            if x.ndim != 2:
                raise ArgumentError(f"x must be 2-D (N, D), got shape {x.shape}; put a "
                                    "Flatten layer before Dense")
            if not self.params:
                self.build(x.shape[1:])
            kernel = self.params["kernel"]
            if x.shape[1] != kernel.shape[0]:
                raise ArgumentError(f"x has {x.shape[1]} features (shape {x.shape}) but the "
                                    f"kernel expects {kernel.shape[0]} (shape {kernel.shape})")
        self.x = x
        out = x @ kernel
        if self.use_bias:
            out += self.params["bias"]
        return self.act.forward(out)

    def backward(self, dout, input_grad=True):
        """dout: (N, units) -> dx: (N, D) (None with ``input_grad=False``)."""
        dout = self.act.backward(dout)
        self.grads["kernel"] = self.x.T @ dout
        if self.use_bias:
            self.grads["bias"] = dout.sum(axis=0)
        return dout @ self.params["kernel"].T if input_grad else None

    # ------------------------------------------------------------ describing

    def compute_output_shape(self, input_shape):
        if len(input_shape) != 1:
            raise ArgumentError(f"{self.name} needs a flat input; add Flatten() before it "
                                f"(input shape is {tuple(input_shape)})")
        return (self.units,)

    def count_params(self, input_shape=None):
        if self.params or input_shape is None:
            return super().count_params()
        self.compute_output_shape(input_shape)
        return dense_params(input_shape[0], self.units, self.use_bias)

    def params_formula(self, input_shape):
        return dense_formula(input_shape[0], self.units, self.use_bias)

    def macs(self, input_shape):
        return input_shape[0] * self.units

    def keras_config(self):
        return {"units": self.units, "activation": self.activation, "use_bias": self.use_bias}


class Dropout(Layer):
    """During training, zero each value with probability ``rate`` and scale the rest
    by 1 / (1 − rate) (inverted dropout, as Keras), so that nothing changes at prediction
    time; at inference, the identity.
    """

    keras_class = "Dropout"

    @named
    def __init__(self, rate, seed=None, name=None):
        super().__init__(name)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
            raise ArgumentError(f"rate must be a number in [0, 1), got {rate!r}")
        self.rate = float(rate)
        self.rng = np.random.default_rng(seed)

    def forward(self, x, training=False):
        if not training or self.rate == 0:
            self.mask = None
            return x
        keep = self.rng.random(x.shape) >= self.rate
        self.mask = keep.astype(x.dtype) / np.asarray(1 - self.rate, dtype=x.dtype)
        return x * self.mask

    def backward(self, dout):
        return dout if self.mask is None else dout * self.mask

    def keras_config(self):
        return {"rate": self.rate}
