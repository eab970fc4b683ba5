"""The layer protocol, and what every layer can say about itself without any data.

Computing (the from-scratch chapter's protocol, after Deep Learning from Scratch):

* ``forward(x, training=False)`` computes the output and keeps on ``self`` what the
  backward pass will need;
* ``backward(dout)`` takes dL/d(output) and returns dL/d(input), filling ``grads``
  with dL/d(parameter) on the way; it never writes into ``dout``;
* ``params`` and ``grads`` are dicts of arrays keyed like Keras (``'kernel'``, ``'bias'``).

Describing (the vocabulary the parameter chapter counts with), for an input shape
without the batch axis, as Keras's ``compute_output_shape`` takes it:

* ``compute_output_shape(input_shape)``; ``count_params(input_shape)`` and
  ``params_formula(input_shape)`` (``'3·3·32·64 + 64 = 18,496'``); ``macs(input_shape)``,
  the multiply-adds of one example's forward pass;
* ``to_keras()``: the equal Keras layer, with the same name.
"""

from __future__ import annotations

import re

import numpy as np

from ..validate import ArgumentError, named
from .activation import Activation

__all__ = ["Layer", "he_normal", "fmt", "check_activation", "ACTIVATIONS"]

ACTIVATIONS = (None, "relu", "softmax")


def fmt(n: int) -> str:
    """18496 -> '18,496'."""
    return f"{n:,}"


def he_normal(rng, shape, fan_in, dtype):
    """He initialisation: normal with standard deviation sqrt(2 / fan_in), for ReLU nets."""
    return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(dtype)


def check_activation(activation):
    """None, 'relu' or 'softmax' (Keras's names); 'linear' is None."""
    activation = None if activation == "linear" else activation
    if activation not in ACTIVATIONS:
        raise ArgumentError(
            f"activation must be None, 'relu' or 'softmax', got {activation!r}; for others add "
            "a layer of their own")
    return activation


class Layer:
    """The protocol every layer follows; layers without parameters keep the dicts empty.

    The defaults below describe a layer that keeps its input's shape and learns nothing
    (ReLU, Dropout); the other layers override them.
    """

    keras_class = None  # the name of the equal class in keras.layers

    def __init__(self, name=None):
        # Keras's default names: Conv2D -> 'conv2d', MaxPooling2D -> 'max_pooling2d'
        self.name = name or re.sub(r"(?<=[a-z])(?=[A-Z])", "_", type(self).__name__).lower()
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    def _learnable(self, activation, use_bias, seed, dtype):
        """The settings Conv2D and Dense share: activation, bias, random generator, dtype."""
        self.activation = check_activation(activation)
        self.act = Activation(self.activation)
        self.use_bias = bool(use_bias)
        self.rng, self.dtype = np.random.default_rng(seed), np.dtype(dtype)

    # ------------------------------------------------------------- computing

    def forward(self, x, training=False):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def get_weights(self) -> list[np.ndarray]:
        """The parameters as a list, in Keras's order ([kernel, bias])."""
        return list(self.params.values())

    def set_weights(self, weights) -> None:
        """Copy ``[kernel, bias]`` (e.g. a Keras layer's ``get_weights()``) into the layer."""
        weights = list(weights)
        if len(weights) != len(self.params):
            raise ValueError(
                f"{self.name}.set_weights: expected {len(self.params)} arrays "
                f"({', '.join(self.params)}), got {len(weights)}")
        for (key, param), value in zip(self.params.items(), weights):
            value = np.asarray(value)
            if value.shape != param.shape:
                raise ValueError(
                    f"{self.name}.set_weights: {key} must have shape {param.shape}, "
                    f"got {value.shape}")
            np.copyto(param, value, casting="same_kind")  # in place: optimisers keep their state

    # ------------------------------------------------------------ describing

    def compute_output_shape(self, input_shape) -> tuple:
        """The output's shape for an input of ``input_shape`` (no batch axis)."""
        return tuple(input_shape)

    def count_params(self, input_shape=None) -> int:
        """Trainable parameters: of the built layer, or for inputs of ``input_shape``."""
        if self.params:
            return int(sum(p.size for p in self.params.values()))
        return 0

    def params_formula(self, input_shape) -> str:
        """The parameter count as the chapter writes it: ``'3·3·32·64 + 64 = 18,496'``."""
        return "0"

    def macs(self, input_shape) -> int:
        """Multiply-adds of one example's forward pass (0 for layers that only compare,
        move or scale values)."""
        return 0

    def keras_config(self) -> dict:
        """The keyword arguments of the equal Keras layer (besides ``name``)."""
        return {}

    def to_keras(self, name=None):
        """The equal Keras layer, with this layer's name (or ``name``)."""
        import keras

        if self.keras_class is None:
            raise ArgumentError(f"{type(self).__name__} has no Keras layer")
        return getattr(keras.layers, self.keras_class)(name=name or self.name,
                                                       **self.keras_config())

    def describe(self, input_shape) -> dict:
        """Everything :func:`cnnlib.params.summary` shows for this layer."""
        with_names = named(where=self.name)
        return with_names(self._describe)(tuple(input_shape))

    def _describe(self, input_shape):
        output_shape = self.compute_output_shape(input_shape)
        return {"name": self.name, "kind": self.keras_class or type(self).__name__,
                "output_shape": output_shape, "params": self.count_params(input_shape),
                "formula": self.params_formula(input_shape), "macs": self.macs(input_shape)}

    def __repr__(self):
        shapes = ", ".join(f"{k}={v.shape}" for k, v in self.params.items())
        return f"{type(self).__name__}(name={self.name!r}{', ' + shapes if shapes else ''})"
