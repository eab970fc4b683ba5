"""Layers with forward and backward passes, in NumPy, named and shaped like Keras.

Every layer follows one protocol:

* ``forward(x, training=False)`` computes the output and keeps on ``self``
  what the backward pass will need;
* ``backward(dout)`` takes dL/d(output) and returns dL/d(input), filling
  ``grads`` with dL/d(parameter) on the way;
* ``params`` and ``grads`` are dicts of arrays keyed like Keras
  (``'kernel'``, ``'bias'``).

Shapes are Keras's: images ``(N, H, W, C)``, kernels ``(FH, FW, C_in, C_out)``.
A layer never writes into ``dout`` and keeps the dtype it is given (float32 stays
float32). Input shapes are inferred at the first forward, or given up front with
``input_shape=`` (without the batch axis, as in Keras).
"""

from __future__ import annotations

import re

import numpy as np

from . import ops

__all__ = [
    "Layer",
    "Conv2D",
    "MaxPooling2D",
    "AveragePooling2D",
    "ReLU",
    "Flatten",
    "Dense",
    "Dropout",
    "SoftmaxCrossEntropy",
]


class Layer:
    """The protocol every layer follows; layers without parameters keep the dicts empty."""

    def __init__(self, name=None):
        # Keras's default names: Conv2D -> 'conv2d', MaxPooling2D -> 'max_pooling2d'
        self.name = name or re.sub(r"(?<=[a-z])(?=[A-Z])", "_", type(self).__name__).lower()
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

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
                f"({', '.join(self.params)}), got {len(weights)}"
            )
        for (key, param), value in zip(self.params.items(), weights):
            value = np.asarray(value)
            if value.shape != param.shape:
                raise ValueError(
                    f"{self.name}.set_weights: {key} must have shape {param.shape}, "
                    f"got {value.shape}"
                )
            np.copyto(param, value, casting="same_kind")  # in place: optimisers keep their state

    def __repr__(self):
        shapes = ", ".join(f"{k}={v.shape}" for k, v in self.params.items())
        return f"{type(self).__name__}(name={self.name!r}{', ' + shapes if shapes else ''})"


def he_normal(rng, shape, fan_in, dtype):
    """He initialisation: normal with standard deviation sqrt(2 / fan_in), for ReLU nets."""
    return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(dtype)


class Conv2D(Layer):
    """A convolution layer: x: (N, H, W, C_in) -> (N, H_out, W_out, filters).

    params: ``kernel`` (FH, FW, C_in, filters), He-initialised; ``bias`` (filters,), zeros.
    Forward turns every window into a row (im2col) and does one matrix product;
    backward does two: dL/dkernel = colsᵀ · dout and dL/dcols = dout · kernelᵀ,
    and col2im adds the window gradients back into the image.
    """

    def __init__(self, filters, kernel_size, stride=1, padding="valid",
                 input_shape=None, seed=None, dtype="float32", name=None):
        super().__init__(name)
        if isinstance(filters, bool) or not isinstance(filters, (int, np.integer)) or filters < 1:
            raise ValueError(f"Conv2D: filters must be a whole number >= 1, got {filters!r}")
        self.filters = int(filters)
        self.kernel_size = ops.as_pair(kernel_size, "kernel_size", "Conv2D")
        self.stride = ops.as_pair(stride, "stride", "Conv2D")
        self.padding = padding
        self.rng, self.dtype = np.random.default_rng(seed), np.dtype(dtype)
        if input_shape is not None:
            self.build(input_shape)

    def build(self, input_shape):
        """Create the parameters for inputs of shape (H, W, C_in) (no batch axis)."""
        c_in = input_shape[-1]
        shape = (*self.kernel_size, c_in, self.filters)
        self.params["kernel"] = he_normal(self.rng, shape, np.prod(shape[:3]), self.dtype)
        self.params["bias"] = np.zeros(self.filters, dtype=self.dtype)

    def forward(self, x, training=False):
        """x: (N, H, W, C_in) -> (N, H_out, W_out, filters)."""
        x = ops.check_images(x, self.name)
        if not self.params:
            self.build(x.shape[1:])
        kernel, bias = self.params["kernel"], self.params["bias"]
        if x.shape[3] != kernel.shape[2]:
            raise ValueError(
                f"{self.name}: x has {x.shape[3]} channels (shape {x.shape}) but the kernel "
                f"expects C_in = {kernel.shape[2]} (shape {kernel.shape})"
            )
        self.pads, self.out_hw = ops.plan(self.name, x.shape, self.kernel_size, self.stride,
                                          self.padding)
        xp = ops.pad2d(x, self.pads)
        self.padded_shape = xp.shape
        self.cols = ops.im2col(xp, self.kernel_size, self.stride, self.out_hw)
        out = self.cols @ kernel.reshape(-1, self.filters)  # (N·H_out·W_out, filters)
        out += bias
        return out.reshape(x.shape[0], *self.out_hw, self.filters)

    def backward(self, dout, input_grad=True):
        """dout: (N, H_out, W_out, filters) -> dx: (N, H, W, C_in).

        With ``input_grad=False`` only the parameter gradients are computed and
        None is returned: nobody needs dL/dx for the input images of a first layer.
        """
        kernel = self.params["kernel"]
        dout = dout.reshape(-1, self.filters)  # (N·H_out·W_out, filters)
        self.grads["kernel"] = (self.cols.T @ dout).reshape(kernel.shape)
        # the column sums of dout, as a product with ones: same as dout.sum(axis=0),
        # several times faster on this tall, narrow array
        self.grads["bias"] = np.ones(len(dout), dtype=dout.dtype) @ dout
        if not input_grad:
            return None
        dcols = dout @ kernel.reshape(-1, self.filters).T  # (N·H_out·W_out, FH·FW·C_in)
        dxp = ops.col2im(dcols, self.padded_shape, self.kernel_size, self.stride, self.out_hw)
        return ops.unpad2d(dxp, self.pads)


class MaxPooling2D(Layer):
    """Max pooling: x: (N, H, W, C) -> (N, H_out, W_out, C); no parameters.

    Forward remembers which cell of each window won; backward sends the output's
    gradient to that cell only. At a tie the **first** maximum wins, scanning the
    window row by row, left to right — TensorFlow's rule on the CPU — and the
    other tied cells get 0.
    """

    def __init__(self, pool_size=2, stride=None, padding="valid", name=None):
        super().__init__(name)
        self.pool_size = ops.as_pair(pool_size, "pool_size", "MaxPooling2D")
        self.stride = self.pool_size if stride is None else ops.as_pair(stride, "stride",
                                                                        "MaxPooling2D")
        self.padding = padding

    def cells(self):
        """The (i, j) positions of a window, in scan order."""
        return [(i, j) for i in range(self.pool_size[0]) for j in range(self.pool_size[1])]

    def forward(self, x, training=False):
        """x: (N, H, W, C) -> (N, H_out, W_out, C)."""
        x = ops.check_images(x, self.name)
        if not np.issubdtype(x.dtype, np.floating):
            x = x.astype(np.float32)
        self.pads, self.out_hw = ops.plan(self.name, x.shape, self.pool_size, self.stride,
                                          self.padding, kind="pool")
        ops.check_max_pool_padding(self.name, self.pool_size, self.padding)
        xp = ops.pad2d(x, self.pads, -np.inf)  # a padded value never wins
        self.padded_shape = xp.shape
        out = ops.window_view(xp, 0, 0, self.stride, self.out_hw).copy()
        # self.winner[n, r, c, ch] = the number, in scan order, of the cell that won
        self.winner = np.zeros(out.shape, dtype=np.min_scalar_type(len(self.cells())))
        for k, (i, j) in enumerate(self.cells()[1:], start=1):  # cell 0 is already in out
            cell = ops.window_view(xp, i, j, self.stride, self.out_hw)
            bigger = cell > out  # strictly: at a tie the earlier cell stays the winner
            np.maximum(out, cell, out=out)
            # winner = k where bigger; as k only grows, that is a maximum (and much
            # faster than the masked assignment self.winner[bigger] = k)
            np.maximum(self.winner, bigger * self.winner.dtype.type(k), out=self.winner)
        return out

    def backward(self, dout):
        """dout: (N, H_out, W_out, C) -> dx: (N, H, W, C)."""
        dxp = np.zeros(self.padded_shape, dtype=dout.dtype)
        overlapping = any(s < p for s, p in zip(self.stride, self.pool_size))
        for k, (i, j) in enumerate(self.cells()):
            cell = ops.window_view(dxp, i, j, self.stride, self.out_hw)
            if overlapping:  # a cell in several windows adds up what each sends it
                cell += dout * (self.winner == k)
            else:  # each cell is in one window at most: just write
                np.multiply(dout, self.winner == k, out=cell)
        return ops.unpad2d(dxp, self.pads)


class AveragePooling2D(Layer):
    """Average pooling: x: (N, H, W, C) -> (N, H_out, W_out, C); no parameters.

    Backward shares each output's gradient equally among the cells it averaged
    (with 'same', the real pixels of its window).
    """

    def __init__(self, pool_size=2, stride=None, padding="valid", name=None):
        super().__init__(name)
        self.pool_size = ops.as_pair(pool_size, "pool_size", "AveragePooling2D")
        self.stride = self.pool_size if stride is None else ops.as_pair(stride, "stride",
                                                                        "AveragePooling2D")
        self.padding = padding

    def forward(self, x, training=False):
        """x: (N, H, W, C) -> (N, H_out, W_out, C)."""
        x = ops.check_images(x, self.name)
        self.pads, self.out_hw = ops.plan(self.name, x.shape, self.pool_size, self.stride,
                                          self.padding, kind="pool")
        out = ops.avg_pool2d(x, self.pool_size, self.stride, self.padding)
        self.x_shape = x.shape
        self.counts = ops.window_counts(x.shape, self.pool_size, self.stride, self.padding,
                                        self.pads, self.out_hw, out.dtype)
        return out

    def backward(self, dout):
        """dout: (N, H_out, W_out, C) -> dx: (N, H, W, C)."""
        share = dout / self.counts  # what each cell of a window receives
        (top, bottom), (left, right) = self.pads
        n, h, w, c = self.x_shape
        dxp = np.zeros((n, h + top + bottom, w + left + right, c), dtype=share.dtype)
        for i in range(self.pool_size[0]):
            for j in range(self.pool_size[1]):
                ops.window_view(dxp, i, j, self.stride, self.out_hw)[...] += share
        return ops.unpad2d(dxp, self.pads)


class ReLU(Layer):
    """max(x, 0), elementwise; any shape. The gradient passes where x > 0 (0 at x = 0)."""

    def forward(self, x, training=False):
        self.positive = x > 0
        return np.maximum(x, 0)

    def backward(self, dout):
        return dout * self.positive  # a new array: dout itself is left alone


class Flatten(Layer):
    """x: (N, H, W, C) -> (N, H·W·C), in Keras's order, so Keras Dense kernels fit."""

    def forward(self, x, training=False):
        self.x_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dout):
        return dout.reshape(self.x_shape)


class Dense(Layer):
    """A fully connected layer: x: (N, D) -> x · kernel + bias: (N, units).

    params: ``kernel`` (D, units), He-initialised; ``bias`` (units,), zeros.
    """

    def __init__(self, units, input_shape=None, seed=None, dtype="float32", name=None):
        super().__init__(name)
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units < 1:
            raise ValueError(f"Dense: units must be a whole number >= 1, got {units!r}")
        self.units = int(units)
        self.rng, self.dtype = np.random.default_rng(seed), np.dtype(dtype)
        if input_shape is not None:
            self.build(input_shape)

    def build(self, input_shape):
        """Create the parameters for inputs of shape (D,) (no batch axis)."""
        d = input_shape[-1]
        self.params["kernel"] = he_normal(self.rng, (d, self.units), d, self.dtype)
        self.params["bias"] = np.zeros(self.units, dtype=self.dtype)

    def forward(self, x, training=False):
        """x: (N, D) -> (N, units)."""
        x = np.asarray(x)
        if x.ndim != 2:
            raise ValueError(f"{self.name}: x must be 2-D (N, D), got shape {x.shape}; "
                             "put a Flatten layer before Dense")
        if not self.params:
            self.build(x.shape[1:])
        kernel = self.params["kernel"]
        if x.shape[1] != kernel.shape[0]:
            raise ValueError(f"{self.name}: x has {x.shape[1]} features (shape {x.shape}) but "
                             f"the kernel expects {kernel.shape[0]} (shape {kernel.shape})")
        self.x = x
        return x @ kernel + self.params["bias"]

    def backward(self, dout, input_grad=True):
        """dout: (N, units) -> dx: (N, D) (None with ``input_grad=False``)."""
        self.grads["kernel"] = self.x.T @ dout
        self.grads["bias"] = dout.sum(axis=0)
        return dout @ self.params["kernel"].T if input_grad else None


class Dropout(Layer):
    """During training, zero each value with probability ``rate`` and scale the rest
    by 1 / (1 − rate) (inverted dropout, as Keras); at inference, the identity.
    """

    def __init__(self, rate, seed=None, name=None):
        super().__init__(name)
        if not 0 <= rate < 1:
            raise ValueError(f"Dropout: rate must be in [0, 1), got {rate!r}")
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


class SoftmaxCrossEntropy(Layer):
    """Softmax and cross-entropy in one layer, the loss of a classifier.

    ``forward(logits, labels)``: logits (N, classes), labels (N,) integers in
    [0, classes) -> the mean loss over the batch, a scalar. ``backward()`` returns
    dL/dlogits = (softmax(logits) − one_hot(labels)) / N.
    """

    def forward(self, logits, labels, training=False):
        logits, labels = np.asarray(logits), np.asarray(labels)
        if logits.ndim != 2:
            raise ValueError(f"{self.name}: logits must be 2-D (N, classes), got shape "
                             f"{logits.shape}")
        n, classes = logits.shape
        if labels.shape != (n,):
            raise ValueError(f"{self.name}: labels must have shape ({n},) to match logits of "
                             f"shape {logits.shape}, got {labels.shape}")
        if n and (not np.issubdtype(labels.dtype, np.integer)
                  or labels.min() < 0 or labels.max() >= classes):
            raise ValueError(f"{self.name}: labels must be integers in [0, {classes}) for logits "
                             f"of shape {logits.shape}, got dtype {labels.dtype}")
        shifted = logits - logits.max(axis=1, keepdims=True)  # avoids overflow in exp
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.probs, self.labels = np.exp(log_probs), labels
        return -log_probs[np.arange(n), labels].mean()

    def backward(self, dout=1.0):
        n = len(self.labels)
        dlogits = self.probs.copy()
        dlogits[np.arange(n), self.labels] -= 1
        dlogits *= dout / n
        return dlogits
