"""Conv2D: the convolution layer, computed by im2col and one matrix product."""

from __future__ import annotations

import numpy as np

from .. import ops
from ..params import conv2d_formula, conv2d_params
from ..validate import ArgumentError, called, images, named, pair, whole
from ..validate import padding as check_padding
from .base import Layer, he_normal

__all__ = ["Conv2D"]


class Conv2D(Layer):
    """A convolution layer: x: (N, H, W, C_in) -> (N, H_out, W_out, filters).

    Keras's arguments: ``Conv2D(32, 3, strides=2, padding='same', activation='relu',
    use_bias=False)``; padding may also be an int or an (h, w) pair (PyTorch's). params:
    ``kernel`` (FH, FW, C_in, filters), He-initialised; ``bias`` (filters,), zeros.
    Forward turns every window into a row (im2col) and does one matrix product;
    backward does two: dL/dkernel = colsᵀ · dout and dL/dcols = dout · kernelᵀ,
    and col2im adds the window gradients back into the image.
    """

    keras_class = "Conv2D"

    @named
    def __init__(self, filters, kernel_size, strides=1, padding="valid", activation=None,
                 use_bias=True, input_shape=None, seed=None, dtype="float32", name=None):
        super().__init__(name)
        self.filters = whole(filters, "filters")
        self.kernel_size = pair(kernel_size, "kernel_size")
        self.strides = pair(strides, "strides")
        self.padding = check_padding(padding)
        self._learnable(activation, use_bias, seed, dtype)
        if input_shape is not None:
            self.build(input_shape)

    def build(self, input_shape):
        """Create the parameters for inputs of shape (H, W, C_in) (no batch axis)."""
        c_in = input_shape[-1]
        shape = (*self.kernel_size, c_in, self.filters)
        self.params["kernel"] = he_normal(self.rng, shape, np.prod(shape[:3]), self.dtype)
        if self.use_bias:
            self.params["bias"] = np.zeros(self.filters, dtype=self.dtype)

    def forward(self, x, training=False):
        """x: (N, H, W, C_in) -> (N, H_out, W_out, filters)."""
        with called(self.name):
            x = images(x)
            if not self.params:
                self.build(x.shape[1:])
            kernel = self.params["kernel"]
            if x.shape[3] != kernel.shape[2]:
                raise ArgumentError(
                    f"x has {x.shape[3]} channels (shape {x.shape}) but the kernel "
                    f"expects C_in = {kernel.shape[2]} (shape {kernel.shape})")
            self.pads, self.out_hw = ops.plan(x.shape, self.kernel_size, self.strides,
                                              self.padding)
        xp = ops.pad2d(x, self.pads)
        self.padded_shape = xp.shape
        self.cols = ops.im2col(xp, self.kernel_size, self.strides, self.out_hw)
        out = self.cols @ kernel.reshape(-1, self.filters)  # (N·H_out·W_out, filters)
        if self.use_bias:
            out += self.params["bias"]
        return self.act.forward(out.reshape(x.shape[0], *self.out_hw, self.filters))

    def backward(self, dout, input_grad=True):
        """dout: (N, H_out, W_out, filters) -> dx: (N, H, W, C_in).

        With ``input_grad=False`` only the parameter gradients are computed and
        None is returned: nobody needs dL/dx for the input images of a first layer.
        """
        kernel = self.params["kernel"]
        dout = self.act.backward(dout).reshape(-1, self.filters)  # (N·H_out·W_out, filters)
        self.grads["kernel"] = (self.cols.T @ dout).reshape(kernel.shape)
        if self.use_bias:
            # the column sums of dout, as a product with ones: same as dout.sum(axis=0),
            # several times faster on this tall, narrow array
            self.grads["bias"] = np.ones(len(dout), dtype=dout.dtype) @ dout
        if not input_grad:
            return None
        dcols = dout @ kernel.reshape(-1, self.filters).T  # (N·H_out·W_out, FH·FW·C_in)
        dxp = ops.col2im(dcols, self.padded_shape, self.kernel_size, self.strides, self.out_hw)
        return ops.unpad2d(dxp, self.pads)

    # ------------------------------------------------------------ describing

    def compute_output_shape(self, input_shape):
        h, w, _ = _image_shape(input_shape, self.name)
        _, (oh, ow) = ops.plan((1, h, w, 1), self.kernel_size, self.strides, self.padding)
        return (oh, ow, self.filters)

    def count_params(self, input_shape=None):
        if self.params or input_shape is None:
            return super().count_params()
        return conv2d_params(self.kernel_size, input_shape[-1], self.filters, self.use_bias)

    def params_formula(self, input_shape):
        return conv2d_formula(self.kernel_size, input_shape[-1], self.filters, self.use_bias)

    def macs(self, input_shape):
        oh, ow, _ = self.compute_output_shape(input_shape)
        fh, fw = self.kernel_size
        return oh * ow * fh * fw * input_shape[-1] * self.filters

    def keras_config(self):
        if not isinstance(self.padding, str):
            raise ArgumentError(
                f"{self.name}: Keras's Conv2D has no int padding ({self.padding!r}); put "
                "keras.layers.ZeroPadding2D before a 'valid' Conv2D")
        return {"filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding,
                "activation": self.activation, "use_bias": self.use_bias}


def _image_shape(input_shape, name):
    if len(input_shape) != 3:
        raise ArgumentError(f"{name} needs an (H, W, C) input, got {tuple(input_shape)}; "
                            "a Flatten or Dense layer before it?")
    return tuple(int(v) for v in input_shape)
