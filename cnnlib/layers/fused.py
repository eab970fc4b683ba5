"""ConvReLUPool: Conv2D → ReLU → MaxPooling2D computed as one layer, for speed.

The three layers of a CNN's usual block give the same numbers when computed together in
another order, with far fewer passes over the big feature map:

1. **The convolution one pooling cell at a time.** Instead of the whole map, compute the
   convolution at the top-left cell of every pooling window (one im2col and one matrix
   product), then at the top-right cell, and so on: ``ph·pw`` maps a quarter the size
   (for 2×2 pooling), each one contiguous array. Max pooling is then ``np.maximum`` of
   whole arrays, and its backward pass needs no strided writes.
2. **ReLU and the bias after the pooling.** ReLU never changes which value is largest
   (it does not decrease), and adding the same bias to the cells of a window does not
   either, so ``relu(max(z) + b) = max(relu(z + b))``: both run on the pooled map, a
   quarter of the values.

The gradients are those of the three layers, ties included: as in
:class:`~cnnlib.layers.MaxPooling2D`, the first maximum of a window in scan order gets the
window's gradient. ``tests/unit/test_fused.py`` checks both against the layers. The
layer shares its parameter arrays with the Conv2D it was made from.
"""

from __future__ import annotations

import numpy as np

from .. import ops
from ..validate import ArgumentError, called, images
from .base import Layer
from .convolution import Conv2D
from .pooling import MaxPooling2D

__all__ = ["ConvReLUPool"]


class ConvReLUPool(Layer):
    """``Conv2D`` (its own ReLU, or one after it) then ``MaxPooling2D``, as one layer.

    conv: a :class:`~cnnlib.layers.Conv2D` with ``activation=None`` (a ReLU layer is taken
    to follow it) or ``'relu'``; pool: a :class:`~cnnlib.layers.MaxPooling2D` whose windows
    tile the map (``strides`` equal to ``pool_size``, ``padding='valid'``). The layer takes
    the conv's name and shares its ``params`` (the same dict, the same arrays).
    """

    def __init__(self, conv, pool):
        super().__init__(getattr(conv, "name", None))
        reason = self.refuses(conv, pool)
        if reason:
            raise ArgumentError(f"ConvReLUPool: {reason}")
        self.conv, self.pool = conv, pool
        self.params = conv.params

    @staticmethod
    def refuses(conv, pool):
        """Why ``ConvReLUPool(conv, pool)`` cannot be built, or None if it can."""
        if not isinstance(conv, Conv2D) or conv.activation not in (None, "relu"):
            return f"conv must be a Conv2D with activation None or 'relu', got {conv!r}"
        if not isinstance(pool, MaxPooling2D):
            return f"pool must be a MaxPooling2D whose windows tile the map, got {pool!r}"
        if pool.strides != pool.pool_size or pool.padding not in ("valid", 0, (0, 0)):
            return ("pool must be a MaxPooling2D whose windows tile the map (strides == "
                    f"pool_size, padding 'valid'), got pool_size {pool.pool_size}, strides "
                    f"{pool.strides}, padding {pool.padding!r}")
        return None

    def cells(self):
        """The (i, j) cells of a pooling window, in scan order (row by row)."""
        return self.pool.cells()

    def forward(self, x, training=False):
        """x: (N, H, W, C_in) -> (N, H_out, W_out, filters); H_out = H_conv // ph."""
        conv, (ph, pw) = self.conv, self.pool.pool_size
        with called(self.name):
            x = images(x)
            if not self.params:
                conv.build(x.shape[1:])
            self.pads, (ch, cw) = ops.plan(x.shape, conv.kernel_size, conv.strides,
                                           conv.padding)
            if ch < ph or cw < pw:
                raise ArgumentError(f"the {ch}×{cw} convolution output is smaller "
                                    f"than the {ph}×{pw} pooling window")
        (sh, sw), f = conv.strides, conv.filters
        self.out_hw = (ch // ph, cw // pw)
        xp = ops.pad2d(x, self.pads)
        self.padded_shape = xp.shape
        kernel = self.params["kernel"].reshape(-1, f)
        # cell (i, j) of pooling window (r, c) is the conv's output at
        # (ph·r + i, pw·c + j), whose window starts at input row sh·(ph·r + i):
        # im2col's windows of the input shifted by (sh·i, sw·j), at strides
        # (sh·ph, sw·pw)
        self.cols, self.bigger = [], []
        for i, j in self.cells():
            shifted = xp[:, sh * i:, sw * j:]
            cols = ops.im2col(shifted, conv.kernel_size, (sh * ph, sw * pw),
                              self.out_hw)
            z = cols @ kernel  # (N·H_out·W_out, filters): this cell of every window
            if not self.cols:
                out = z
            else:  # strictly bigger: at a tie the earlier cell stays the winner
                self.bigger.append(z > out)
                np.maximum(out, z, out=out)
            self.cols.append(cols)
        if conv.use_bias:
            out += self.params["bias"]
        self.positive = out > 0
        out *= self.positive  # ReLU
        return out.reshape(x.shape[0], *self.out_hw, f)

    def winners(self):
        """One boolean mask per cell: where that cell won its window (the first maximum)."""
        masks, later = [None] * len(self.cols), np.zeros_like(self.positive)
        for k in range(len(self.cols) - 1, 0, -1):  # cell k won if it was the last to rise
            masks[k] = self.bigger[k - 1] & ~later
            later |= self.bigger[k - 1]
        masks[0] = ~later
        return masks

    def backward(self, dout, input_grad=True):
        """dout: (N, H_out, W_out, filters) -> dx: (N, H, W, C_in), or None with
        ``input_grad=False``."""
        conv, f = self.conv, self.conv.filters
        kernel = self.params["kernel"]
        dz = dout.reshape(-1, f) * self.positive  # through the ReLU
        if conv.use_bias:
            self.grads["bias"] = np.ones(len(dz), dtype=dz.dtype) @ dz
        dxp = np.zeros(self.padded_shape, dtype=dz.dtype) if input_grad else None
        (sh, sw), (ph, pw) = conv.strides, self.pool.pool_size
        dkernel = None
        for (i, j), cols, won in zip(self.cells(), self.cols, self.winners()):
            dcell = dz * won  # the gradient goes to the window's winner only
            g = cols.T @ dcell
            dkernel = g if dkernel is None else np.add(dkernel, g, out=dkernel)
            if input_grad:
                part = dxp[:, sh * i:, sw * j:]
                part += ops.col2im(dcell @ kernel.reshape(-1, f).T, part.shape,
                                   conv.kernel_size, (sh * ph, sw * pw), self.out_hw)
        self.grads["kernel"] = dkernel.reshape(kernel.shape)
        return ops.unpad2d(dxp, self.pads) if input_grad else None

    # ------------------------------------------------------------ describing

    def compute_output_shape(self, input_shape):
        return self.pool.compute_output_shape(self.conv.compute_output_shape(input_shape))

    def count_params(self, input_shape=None):
        return self.conv.count_params(input_shape)

    def params_formula(self, input_shape):
        return self.conv.params_formula(input_shape)

    def macs(self, input_shape):
        oh, ow, _ = self.compute_output_shape(input_shape)
        ph, pw = self.pool.pool_size
        fh, fw = self.conv.kernel_size
        return oh * ph * ow * pw * fh * fw * input_shape[-1] * self.conv.filters

    def to_keras(self, name=None):
        raise ArgumentError(f"{self.name} is three Keras layers computed as one; convert the "
                            "model it was fused from (its Conv2D, ReLU and MaxPooling2D)")
