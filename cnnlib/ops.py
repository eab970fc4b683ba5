"""Convolution and pooling as pure NumPy functions, in Keras's layout.

Shapes follow Keras and TensorFlow (channels last), so a Keras kernel drops
straight in:

* images ``x``: ``(N, H, W, C)`` — batch, height, width, channels;
* kernels ``w``: ``(FH, FW, C_in, C_out)``; biases ``b``: ``(C_out,)``.

Argument names are Keras's: ``kernel_size``, ``pool_size``, ``strides``, ``padding``.
Kernel size, strides and pool size are an int or an ``(h, w)`` pair. Padding is
``'valid'``, ``'same'``, an int ``P`` or a per-axis pair ``(PH, PW)``:

* an **int** ``P`` pads ``P`` rows/columns of zeros on every side and the output size
  floors, ``⌊(H + 2P − F)/S⌋ + 1`` — exactly PyTorch's ``F.conv2d(padding=P)``; int 0
  and ``'valid'`` are the same thing;
* ``'same'`` is exactly TensorFlow's: padded as evenly as it can, the extra row at the
  bottom/right.

Every operation is built from one idea, :func:`window_view`: the ``(i, j)``-th
element of *every* window at once, as a strided view of the padded input. A loop
over the few positions of a window (25 for a 5×5 kernel), never over pixels,
gives pooling, :func:`im2col` and :func:`col2im`; convolution is then **one
matrix product**. :func:`conv2d_naive` loops over pixels, for teaching, and is
tested equal to :func:`conv2d` (about 100 times slower on a batch of MNIST).

:func:`im2col` copies the windows out of ``sliding_window_view`` in one go:
measured on a batch of 100 images, that is 3× faster than a loop over the
kernel positions for 30 input channels. For one channel it fills the matrix column by
column instead, each column a contiguous copy of the shifted batch: 4× faster than row
by row.
"""

from __future__ import annotations

import numpy as np

from .sizes import _output_size, same_padding
from .validate import ArgumentError, images, named, pair
from .validate import padding as check_padding

__all__ = [
    "conv2d",
    "conv2d_naive",
    "max_pool2d",
    "avg_pool2d",
    "is_same",
    "plan",
    "pad2d",
    "unpad2d",
    "window_view",
    "im2col",
    "col2im",
    "window_counts",
    "check_max_pool_padding",
    "plan_pool",
]


# ------------------------------------------------------------------------- planning


def plan(x_shape, window, strides, padding, kind="conv"):
    """Padding and output size of a sliding window over ``x_shape = (N, H, W, C)``.

    window, strides: (h, w) pairs. padding: 'valid', 'same', an int or an (h, w) pair.
    kind: ``'conv'`` or ``'pool'`` (which argument a message names). Returns
    ``(pads, (H_out, W_out))`` where ``pads = ((top, bottom), (left, right))``.
    """
    what = "kernel" if kind == "conv" else "pool_size"
    mode = check_padding(padding)
    per_axis = mode if isinstance(mode, tuple) else (mode, mode)
    pads, out = [], []
    for axis, dim in ((1, "height"), (2, "width")):
        size, k, s, p = x_shape[axis], window[axis - 1], strides[axis - 1], per_axis[axis - 1]
        try:
            out.append(_output_size("kernel_size" if kind == "conv" else "pool_size",
                                    size, k, s, p, exact=False))
        except ArgumentError as err:
            raise ArgumentError(
                f"x of shape {tuple(x_shape)} does not fit {what} {tuple(window)}, strides "
                f"{tuple(strides)}, padding {padding!r} along the {dim}: {err}") from None
        if p == "same":  # TensorFlow's: as even as it can, the extra at the end
            pads.append(same_padding(size, k, s))
        elif p == "valid":
            pads.append((0, 0))
        else:  # P on both sides
            pads.append((p, p))
    return tuple(pads), tuple(out)


# ------------------------------------------------------------------- building blocks


def pad2d(x, pads, value=0.0) -> np.ndarray:
    """x: (N, H, W, C) -> (N, H + top + bottom, W + left + right, C), filled with ``value``."""
    (top, bottom), (left, right) = pads
    if top == bottom == left == right == 0:
        return x
    return np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=value)


def unpad2d(x, pads) -> np.ndarray:
    """The inverse of :func:`pad2d`: cut the padding off again (a view)."""
    (top, bottom), (left, right) = pads
    return x[:, top : x.shape[1] - bottom, left : x.shape[2] - right, :]


def window_view(xp, i, j, strides, out_hw) -> np.ndarray:
    """The (i, j)-th element of every window: a view of shape (N, H_out, W_out, C).

    Window ``(r, c)`` starts at row ``r·SH`` and column ``c·SW`` of the padded
    input ``xp``, so its (i, j)-th element is ``xp[:, r·SH + i, c·SW + j, :]``.
    """
    (sh, sw), (h_out, w_out) = strides, out_hw
    return xp[:, i : i + sh * (h_out - 1) + 1 : sh, j : j + sw * (w_out - 1) + 1 : sw, :]


def im2col(xp, kernel, strides, out_hw) -> np.ndarray:
    """Every window of the padded input, one per row.

    xp: (N, Hp, Wp, C) -> cols: (N·H_out·W_out, FH·FW·C). The columns run in the
    order (FH, FW, C), the order of ``w.reshape(FH·FW·C, C_out)``, so the
    convolution is ``cols @ w.reshape(-1, C_out)``. For one input channel the
    matrix is stored column by column (Fortran order); the values are the same.
    """
    (fh, fw), (sh, sw), (h_out, w_out) = kernel, strides, out_hw
    # A view (N, Hp-FH+1, Wp-FW+1, C, FH, FW) of all windows at stride 1; no copy yet.
    windows = np.lib.stride_tricks.sliding_window_view(xp, (fh, fw), axis=(1, 2))
    windows = windows[:, : sh * (h_out - 1) + 1 : sh, : sw * (w_out - 1) + 1 : sw]
    c = xp.shape[3]
    if c == 1:
        # One channel: column (i, j) of the matrix is the whole batch shifted by (i, j),
        # so build it column by column, each column one contiguous copy (four times
        # faster than row by row), and keep it in that order: the transpose of a
        # C-ordered (FH·FW, N·H_out·W_out) array. NumPy's matrix product reads it as it is.
        return windows.transpose(4, 5, 3, 0, 1, 2).reshape(fh * fw, -1).T
    # (N, H_out, W_out, FH, FW, C); the reshape is the one copy.
    return windows.transpose(0, 1, 2, 4, 5, 3).reshape(-1, fh * fw * c)


def col2im(cols, padded_shape, kernel, strides, out_hw) -> np.ndarray:
    """The adjoint of :func:`im2col`: put each row back in its window, **adding** overlaps.

    cols: (N·H_out·W_out, FH·FW·C) -> (N, Hp, Wp, C). A pixel covered by several
    windows receives the sum of their contributions (that is the chain rule).
    """
    n, _, _, c = padded_shape
    (fh, fw), (h_out, w_out) = kernel, out_hw
    cols = cols.reshape(n, h_out, w_out, fh, fw, c)
    xp = np.zeros(padded_shape, dtype=cols.dtype)
    for i in range(fh):
        for j in range(fw):
            window_view(xp, i, j, strides, out_hw)[...] += cols[:, :, :, i, j, :]
    return xp


def _check_conv(x, w, b):
    x = images(x)
    w = np.asarray(w)
    if w.ndim != 4:
        raise ArgumentError(f"w must be 4-D (FH, FW, C_in, C_out), got shape {w.shape}")
    if x.shape[3] != w.shape[2]:
        raise ArgumentError(
            f"x has {x.shape[3]} channels (shape {x.shape}) but w expects "
            f"C_in = {w.shape[2]} (shape {w.shape})")
    if b is not None:
        b = np.asarray(b)
        if b.shape != (w.shape[3],):
            raise ArgumentError(
                f"b must have shape ({w.shape[3]},) to match w of shape {w.shape}, "
                f"got {b.shape}")
    return x, w, b


# ---------------------------------------------------------------------- convolution


@named
def conv2d_naive(x, w, b=None, strides=1, padding="valid") -> np.ndarray:
    """Convolution with plain loops, for teaching: one output pixel at a time.

    x: (N, H, W, C_in), w: (FH, FW, C_in, C_out), b: (C_out,) or None
    -> (N, H_out, W_out, C_out). Same arguments and result as :func:`conv2d`.
    (Like every deep-learning library, this is cross-correlation: the kernel is
    not flipped.)
    """
    x, w, b = _check_conv(x, w, b)
    fh, fw, _, c_out = w.shape
    sh, sw = pair(strides, "strides")
    pads, (h_out, w_out) = plan(x.shape, (fh, fw), (sh, sw), padding)
    xp = pad2d(x, pads)
    out = np.zeros((x.shape[0], h_out, w_out, c_out), dtype=np.result_type(x, w))
    for n in range(x.shape[0]):
        for r in range(h_out):
            for c in range(w_out):
                window = xp[n, r * sh : r * sh + fh, c * sw : c * sw + fw, :]  # (FH, FW, C_in)
                # multiply the window by each filter and add everything up
                out[n, r, c, :] = np.sum(window[..., None] * w, axis=(0, 1, 2))
    if b is not None:
        out += b
    return out


@named
def conv2d(x, w, b=None, strides=1, padding="valid") -> np.ndarray:
    """Convolution as one matrix product (im2col), equal to ``tf.nn.conv2d`` (+ b).

    x: (N, H, W, C_in), w: (FH, FW, C_in, C_out), b: (C_out,) or None
    -> (N, H_out, W_out, C_out). strides: int or (h, w). padding: 'valid', 'same', an
    int or an (h, w) pair. The result has the dtype of ``x`` and ``w`` (float32 stays
    float32).
    """
    x, w, b = _check_conv(x, w, b)
    fh, fw, _, c_out = w.shape
    strides = pair(strides, "strides")
    pads, out_hw = plan(x.shape, (fh, fw), strides, padding)
    cols = im2col(pad2d(x, pads), (fh, fw), strides, out_hw)  # (N·H_out·W_out, FH·FW·C_in)
    out = cols @ w.reshape(-1, c_out)  # (N·H_out·W_out, C_out)
    if b is not None:
        out += b
    return out.reshape(x.shape[0], *out_hw, c_out)


# -------------------------------------------------------------------------- pooling


def plan_pool(x, pool_size, strides, padding):
    """Checked ``(x, window, strides, pads, out_hw)`` for a pooling of x (N, H, W, C);
    strides None means pool_size. Integer images become float32."""
    x = images(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float32)
    window = pair(pool_size, "pool_size")
    strides = window if strides is None else pair(strides, "strides")
    pads, out_hw = plan(x.shape, window, strides, padding, kind="pool")
    return x, window, strides, pads, out_hw


def is_same(padding) -> bool:
    """True for padding="same" (any case)."""
    return isinstance(padding, str) and padding.lower() == "same"


@named
def max_pool2d(x, pool_size=2, strides=None, padding="valid") -> np.ndarray:
    """Max pooling, equal to ``tf.nn.max_pool2d``: x: (N, H, W, C) -> (N, H_out, W_out, C).

    strides None means pool_size. Every padding pads with -inf, so a padded value
    never wins (as ``tf.nn.max_pool2d`` with 'same' and PyTorch's
    ``F.max_pool2d(padding=p)``).
    """
    x, window, strides, pads, out_hw = plan_pool(x, pool_size, strides, padding)
    check_max_pool_padding(window, padding)
    xp = pad2d(x, pads, -np.inf)
    out = window_view(xp, 0, 0, strides, out_hw).copy()
    for i in range(window[0]):
        for j in range(window[1]):
            np.maximum(out, window_view(xp, i, j, strides, out_hw), out=out)
    return out


def check_max_pool_padding(window, padding) -> None:
    """An int padding of max pooling is at most half the window (PyTorch's rule), so that
    no window holds padding only."""
    if isinstance(padding, str):
        return
    pad = tuple(padding) if isinstance(padding, (tuple, list)) else (padding, padding)
    if any(p > k // 2 for p, k in zip(pad, window)):
        raise ArgumentError(
            f"padding {padding!r} is more than half of pool_size {tuple(window)}: a window "
            f"would hold padding only; use padding <= {tuple(k // 2 for k in window)}")


def window_counts(x_shape, window, strides, padding, pads, out_hw, dtype) -> np.ndarray:
    """How many cells each average-pooling window divides by: (1, H_out, W_out, 1).

    With 'same' only the real pixels count (TensorFlow's rule); otherwise every
    cell of the window counts, int padding zeros included.
    """
    if not is_same(padding):
        return np.full((1, 1, 1, 1), window[0] * window[1], dtype=dtype)
    ones = pad2d(np.ones((1, x_shape[1], x_shape[2], 1), dtype=dtype), pads)
    counts = np.zeros((1, *out_hw, 1), dtype=dtype)
    for i in range(window[0]):
        for j in range(window[1]):
            counts += window_view(ones, i, j, strides, out_hw)
    return counts


@named
def avg_pool2d(x, pool_size=2, strides=None, padding="valid") -> np.ndarray:
    """Average pooling, equal to ``tf.nn.avg_pool2d``: x: (N, H, W, C) -> (N, H_out, W_out, C).

    strides None means pool_size. With 'same' the padding is left out of the
    average (TensorFlow's rule); an int padding pads with zeros that do count (PyTorch's
    default, ``count_include_pad=True``).
    """
    x, window, strides, pads, out_hw = plan_pool(x, pool_size, strides, padding)
    xp = pad2d(x, pads)
    total = np.zeros((x.shape[0], *out_hw, x.shape[3]), dtype=x.dtype)
    for i in range(window[0]):
        for j in range(window[1]):
            total += window_view(xp, i, j, strides, out_hw)
    return total / window_counts(x.shape, window, strides, padding, pads, out_hw, x.dtype)
