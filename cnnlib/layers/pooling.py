"""Pooling layers: MaxPooling2D, AveragePooling2D and GlobalAveragePooling2D. None learns."""

from __future__ import annotations

import numpy as np

from .. import ops
from ..validate import ArgumentError, called, images, pair
from ..validate import padding as check_padding
from .base import Layer

__all__ = ["MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D"]


class _Pooling2D(Layer):
    """What the two windowed poolings share: arguments, shapes and the Keras layer."""

    def __init__(self, pool_size=2, strides=None, padding="valid", name=None):
        super().__init__(name)
        with called(type(self).__name__):
            self.pool_size = pair(pool_size, "pool_size")
            self.strides = self.pool_size if strides is None else pair(strides, "strides")
            self.padding = check_padding(padding)

    def compute_output_shape(self, input_shape):
        if len(input_shape) != 3:
            raise ArgumentError(f"{self.name} needs an (H, W, C) input, got "
                                f"{tuple(input_shape)}")
        h, w, c = input_shape
        _, (oh, ow) = ops.plan((1, h, w, c), self.pool_size, self.strides, self.padding,
                               kind="pool")
        return (oh, ow, c)

    def params_formula(self, input_shape):
        return "0 (nothing to learn)"

    def keras_config(self):
        if not isinstance(self.padding, str):
            raise ArgumentError(f"{self.name}: Keras's pooling has no int padding "
                                f"({self.padding!r}); use 'valid' or 'same'")
        return {"pool_size": self.pool_size, "strides": self.strides, "padding": self.padding}


class MaxPooling2D(_Pooling2D):
    """Max pooling: x: (N, H, W, C) -> (N, H_out, W_out, C); no parameters.

    Forward remembers which cell of each window won; backward sends the output's
    gradient to that cell only. At a tie the **first** maximum wins, scanning the
    window row by row, left to right — TensorFlow's rule on the CPU — and the
    other tied cells get 0. Padding is −inf, so a padded cell never wins.
    """

    keras_class = "MaxPooling2D"

    def cells(self):
        """The (i, j) positions of a window, in scan order."""
        return [(i, j) for i in range(self.pool_size[0]) for j in range(self.pool_size[1])]

    def forward(self, x, training=False):
        """x: (N, H, W, C) -> (N, H_out, W_out, C)."""
        with called(self.name):
            x, _, _, self.pads, self.out_hw = ops.plan_pool(x, self.pool_size, self.strides,
                                                            self.padding)
            ops.check_max_pool_padding(self.pool_size, self.padding)
        xp = ops.pad2d(x, self.pads, -np.inf)  # a padded value never wins
        self.xp, self.padded_shape = xp, xp.shape  # xp: a reference, for backward_naive
        out = ops.window_view(xp, 0, 0, self.strides, self.out_hw).copy()
        # self.winner[n, r, c, ch] = the number, in scan order, of the cell that won
        self.winner = np.zeros(out.shape, dtype=np.min_scalar_type(len(self.cells())))
        for k, (i, j) in enumerate(self.cells()[1:], start=1):  # cell 0 is already in out
            cell = ops.window_view(xp, i, j, self.strides, self.out_hw)
            bigger = cell > out  # strictly: at a tie the earlier cell stays the winner
            np.maximum(out, cell, out=out)
            # winner = k where bigger; as k only grows, that is a maximum (and much
            # faster than the masked assignment self.winner[bigger] = k)
            np.maximum(self.winner, bigger * self.winner.dtype.type(k), out=self.winner)
        return out

    def backward(self, dout):
        """dout: (N, H_out, W_out, C) -> dx: (N, H, W, C)."""
        overlapping = any(s < p for s, p in zip(self.strides, self.pool_size))
        tiled = self.strides == self.pool_size and self.padded_shape[1:3] == tuple(
            o * p for o, p in zip(self.out_hw, self.pool_size))
        # windows that tile the input write every cell of dx exactly once below, so dx
        # needs no zeroing first; otherwise the cells no window reaches must stay 0
        dxp = (np.empty if tiled else np.zeros)(self.padded_shape, dtype=dout.dtype)
        for k, (i, j) in enumerate(self.cells()):
            cell = ops.window_view(dxp, i, j, self.strides, self.out_hw)
            if overlapping:  # a cell in several windows adds up what each sends it
                cell += dout * (self.winner == k)
            else:  # each cell is in one window at most: just write
                np.multiply(dout, self.winner == k, out=cell)
        return ops.unpad2d(dxp, self.pads)

    def backward_naive(self, dout):
        """:meth:`backward` one window at a time, for teaching (and tested equal): each
        window's gradient goes to its first maximum in scan order."""
        dxp = np.zeros(self.padded_shape, dtype=dout.dtype)
        xp, (ph, pw), (sh, sw) = self.xp, self.pool_size, self.strides
        for n, r, c, ch in np.ndindex(dout.shape):
            window = xp[n, r * sh:r * sh + ph, c * sw:c * sw + pw, ch]
            i, j = np.unravel_index(np.argmax(window), window.shape)  # argmax: the first
            dxp[n, r * sh + i, c * sw + j, ch] += dout[n, r, c, ch]
        return ops.unpad2d(dxp, self.pads)


class AveragePooling2D(_Pooling2D):
    """Average pooling: x: (N, H, W, C) -> (N, H_out, W_out, C); no parameters.

    Backward shares each output's gradient equally among the cells it averaged
    (with 'same', the real pixels of its window; with an int padding, the whole window,
    padded zeros included).
    """

    keras_class = "AveragePooling2D"

    def forward(self, x, training=False):
        """x: (N, H, W, C) -> (N, H_out, W_out, C)."""
        with called(self.name):
            x, _, _, self.pads, self.out_hw = ops.plan_pool(x, self.pool_size, self.strides,
                                                            self.padding)
        out = ops.avg_pool2d(x, self.pool_size, self.strides, self.padding)
        self.x_shape = x.shape
        self.counts = ops.window_counts(x.shape, self.pool_size, self.strides, self.padding,
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
                ops.window_view(dxp, i, j, self.strides, self.out_hw)[...] += share
        return ops.unpad2d(dxp, self.pads)


class GlobalAveragePooling2D(Layer):
    """The mean of each channel over the whole map: x: (N, H, W, C) -> (N, C).

    What replaces Flatten in most networks after 2014: no parameters, and the output does
    not depend on where in the map a feature was found. Backward spreads each channel's
    gradient evenly over its H·W cells.
    """

    keras_class = "GlobalAveragePooling2D"

    def forward(self, x, training=False):
        with called(self.name):
            x = images(x)
        self.x_shape = x.shape
        return x.mean(axis=(1, 2))

    def backward(self, dout):
        n, h, w, c = self.x_shape
        return np.broadcast_to(dout[:, None, None, :] / (h * w), self.x_shape).copy()

    def compute_output_shape(self, input_shape):
        if len(input_shape) != 3:
            raise ArgumentError(f"{self.name} needs an (H, W, C) input, got "
                                f"{tuple(input_shape)}")
        return (input_shape[2],)
