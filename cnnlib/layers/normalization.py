"""BatchNormalization: normalise each channel over the batch, then scale and shift it.

Keras's layer, with Keras's arguments and rules (``axis=-1, momentum=0.99, epsilon=1e-3``):

* training: ``x̂ = (x − mean) / sqrt(var + epsilon)`` with the batch's mean and (biased)
  variance per channel, then ``gamma · x̂ + beta``; the moving averages follow the batch,
  ``moving = momentum · moving + (1 − momentum) · batch``;
* inference: the same with the moving mean and variance instead of the batch's, so a
  prediction does not depend on the other images of its batch.

``gamma`` (ones) and ``beta`` (zeros) are trainable and live in ``params``; the moving
mean (zeros) and variance (ones) are not, and live beside them (``moving_mean``,
``moving_variance``). Keras's ``count_params()`` counts all four, ``4·C``; so does
:meth:`BatchNormalization.count_params`. ``get_weights()`` gives Keras's order
``[gamma, beta, moving_mean, moving_variance]``.
"""

from __future__ import annotations

import numpy as np

from ..params import batch_norm_formula, batch_norm_params
from ..validate import ArgumentError, called, named
from .base import Layer

__all__ = ["BatchNormalization"]


class BatchNormalization(Layer):
    """x: any shape with channels on ``axis`` -> the same shape, normalised per channel.

    ``center=False`` drops ``beta``, ``scale=False`` drops ``gamma`` (as in Keras, e.g.
    before a ReLU, where a scale is redundant).
    """

    keras_class = "BatchNormalization"

    @named
    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 input_shape=None, dtype="float32", name=None):
        super().__init__(name)
        if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
            raise ArgumentError(f"axis must be an int (the channel axis, -1 for the last), "
                                f"got {axis!r}")
        for arg, value, low in (("momentum", momentum, 0.0), ("epsilon", epsilon, 0.0)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                    not (low <= value < 1 if arg == "momentum" else value > low):
                fits = "a number in [0, 1)" if arg == "momentum" else "a number > 0"
                raise ArgumentError(f"{arg} must be {fits}, got {value!r}")
        self.axis, self.momentum, self.epsilon = int(axis), float(momentum), float(epsilon)
        self.center, self.scale, self.dtype = bool(center), bool(scale), np.dtype(dtype)
        self.moving_mean = self.moving_variance = None
        if input_shape is not None:
            self.build(input_shape)

    def _channels(self, input_shape):
        """The channel count on ``axis`` of ``input_shape`` (no batch axis)."""
        rank = len(input_shape) + 1  # with the batch axis
        axis = self.axis % rank if -rank <= self.axis < rank else None
        if axis in (None, 0):
            raise ArgumentError(f"{self.name}: axis {self.axis} is not a channel axis of an "
                                f"input of shape (N, {', '.join(map(str, input_shape))})")
        return int(input_shape[axis - 1]), axis

    def build(self, input_shape):
        """Create gamma, beta and the moving statistics for inputs of ``input_shape``."""
        c, _ = self._channels(tuple(input_shape))
        if self.scale:
            self.params["gamma"] = np.ones(c, dtype=self.dtype)
        if self.center:
            self.params["beta"] = np.zeros(c, dtype=self.dtype)
        self.moving_mean = np.zeros(c, dtype=self.dtype)
        self.moving_variance = np.ones(c, dtype=self.dtype)

    def forward(self, x, training=False):
        """Normalise with the batch's statistics (``training=True``) or the moving ones."""
        x = np.asarray(x)
        with called(self.name):
            if self.moving_mean is None:
                self.build(x.shape[1:])
            c, axis = self._channels(x.shape[1:])
            if c != self.moving_mean.shape[0]:
                raise ArgumentError(f"x has {c} channels on axis {self.axis} (shape {x.shape}) "
                                    f"but the layer was built for {self.moving_mean.shape[0]}")
        self.reduce = tuple(i for i in range(x.ndim) if i != axis)  # every axis but channels
        self.shape = [c if i == axis else 1 for i in range(x.ndim)]  # broadcasts per channel
        if training:
            mean, var = x.mean(axis=self.reduce), x.var(axis=self.reduce)
            m = self.momentum
            self.moving_mean[...] = m * self.moving_mean + (1 - m) * mean
            self.moving_variance[...] = m * self.moving_variance + (1 - m) * var
        else:
            mean, var = self.moving_mean, self.moving_variance
        self.training = training
        self.inv_std = (1 / np.sqrt(var + self.epsilon)).astype(x.dtype).reshape(self.shape)
        self.x_hat = (x - mean.reshape(self.shape)) * self.inv_std
        out = self.x_hat
        if self.scale:
            out = out * self.params["gamma"].reshape(self.shape)
        if self.center:
            out = out + self.params["beta"].reshape(self.shape)
        return out.astype(x.dtype, copy=False)

    def backward(self, dout):
        """dout -> dx. In training mode the batch's mean and variance depend on every x,
        so dx has two more terms: ``dx = inv_std · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂))``."""
        reduce = self.reduce
        if self.center:
            self.grads["beta"] = dout.sum(axis=reduce)
        if self.scale:
            self.grads["gamma"] = (dout * self.x_hat).sum(axis=reduce)
            dx_hat = dout * self.params["gamma"].reshape(self.shape)
        else:
            dx_hat = dout
        if not self.training:  # the moving statistics are constants
            return dx_hat * self.inv_std
        mean_dx_hat = dx_hat.mean(axis=reduce, keepdims=True)
        mean_dx_hat_x_hat = (dx_hat * self.x_hat).mean(axis=reduce, keepdims=True)
        return self.inv_std * (dx_hat - mean_dx_hat - self.x_hat * mean_dx_hat_x_hat)

    # --------------------------------------------------------------- weights

    def get_weights(self):
        """Keras's order: ``[gamma, beta, moving_mean, moving_variance]`` (those that exist)."""
        if self.moving_mean is None:
            return []
        return [*self.params.values(), self.moving_mean, self.moving_variance]

    def set_weights(self, weights):
        weights = list(weights)
        if self.moving_mean is None and weights and self.axis == -1:
            self.build((np.shape(weights[-1])[0],))  # channels last: the count is enough
        if self.moving_mean is None:
            raise ValueError(f"{self.name}.set_weights: build the layer first (forward or "
                             "input_shape=)")
        trainable, moving = weights[:len(self.params)], weights[len(self.params):]
        if len(moving) != 2:
            names = ", ".join([*self.params, "moving_mean", "moving_variance"])
            raise ValueError(f"{self.name}.set_weights: expected {len(self.params) + 2} arrays "
                             f"({names}), got {len(weights)}")
        super().set_weights(trainable)
        for key, target, value in (("moving_mean", self.moving_mean, moving[0]),
                                   ("moving_variance", self.moving_variance, moving[1])):
            value = np.asarray(value)
            if value.shape != target.shape:
                raise ValueError(f"{self.name}.set_weights: {key} must have shape "
                                 f"{target.shape}, got {value.shape}")
            np.copyto(target, value, casting="same_kind")

    # ------------------------------------------------------------ describing

    def count_params(self, input_shape=None):
        """All weights, as Keras counts them: gamma, beta, moving mean and variance."""
        if input_shape is None:
            return 0 if self.moving_mean is None else sum(w.size for w in self.get_weights())
        return batch_norm_params(self._channels(tuple(input_shape))[0], self.center, self.scale)

    def params_formula(self, input_shape):
        c, _ = self._channels(tuple(input_shape))
        return batch_norm_formula(c, self.center, self.scale)

    def keras_config(self):
        return {"axis": self.axis, "momentum": self.momentum, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale}
