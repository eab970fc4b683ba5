"""Independent references for the tests of cnnlib.ops and cnnlib.layers.

Two kinds, because no single reference is trusted:

* **NumPy, float64, plain loops** (``conv2d_ref``, ``max_pool2d_ref``, ``avg_pool2d_ref``):
  written from the definition — pad, then for every output pixel take the window and
  sum/max/mean — sharing no code with cnnlib.
* **TensorFlow** (``tf_conv2d``, ``tf_pool``), run with oneDNN's custom ops off
  (``tests/conftest.py`` sets ``TF_ENABLE_ONEDNN_OPTS=0`` before TensorFlow is first
  imported): TensorFlow 2.21's oneDNN ``conv2d`` returns garbage on some tiny shapes
  (see ``tests/unit/test_ops.py::test_onednn_conv2d_regression``).

Padding: ``'valid'``, ``'same'`` (TensorFlow's rule: ``out = ceil(H / S)``, the odd
extra row at the bottom/right), an int ``P`` or a per-axis pair ``(PH, PW)`` (that many
rows/columns on both sides).
"""

from __future__ import annotations

import math

import numpy as np


def _pair(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def explicit_pads(size_hw, window, strides, padding):
    """((top, bottom), (left, right)) for an input of ``size_hw`` = (H, W)."""
    window, strides = _pair(window), _pair(strides)
    if isinstance(padding, str) and padding.lower() == "valid":
        return ((0, 0), (0, 0))
    if isinstance(padding, str) and padding.lower() == "same":
        pads = []
        for size, k, s in zip(size_hw, window, strides):
            total = max((math.ceil(size / s) - 1) * s + k - size, 0)
            pads.append((total // 2, total - total // 2))
        return tuple(pads)
    ph, pw = _pair(padding)
    return ((ph, ph), (pw, pw))


def _windows(x, window, strides, padding, fill):
    """Padded float64 input and, for every output pixel (i, j), its window (N, FH, FW, C)."""
    x = np.asarray(x, dtype=np.float64)
    window, strides = _pair(window), _pair(strides)
    (top, bottom), (left, right) = explicit_pads(x.shape[1:3], window, strides, padding)
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=fill)
    out_h = (xp.shape[1] - window[0]) // strides[0] + 1
    out_w = (xp.shape[2] - window[1]) // strides[1] + 1
    for i in range(out_h):
        for j in range(out_w):
            r0, c0 = i * strides[0], j * strides[1]
            yield i, j, out_h, out_w, xp[:, r0:r0 + window[0], c0:c0 + window[1], :]


def conv2d_ref(x, w, b=None, strides=1, padding="valid"):
    """Cross-correlation, float64: out[n, i, j, f] = Σ window · w[..., f] + b[f]."""
    w = np.asarray(w, dtype=np.float64)
    out = None
    for i, j, oh, ow, win in _windows(x, w.shape[:2], strides, padding, 0.0):
        if out is None:
            out = np.zeros((win.shape[0], oh, ow, w.shape[3]))
        for f in range(w.shape[3]):
            out[:, i, j, f] = np.sum(win * w[..., f], axis=(1, 2, 3))
    if b is not None:
        out = out + np.asarray(b, dtype=np.float64)
    return out


def max_pool2d_ref(x, pool_size=2, strides=None, padding="valid", fill=-np.inf):
    """Max over each window; padded cells hold ``fill`` (−inf: a padded value never wins)."""
    strides = pool_size if strides is None else strides
    out = None
    for i, j, oh, ow, win in _windows(x, pool_size, strides, padding, fill):
        if out is None:
            out = np.zeros((win.shape[0], oh, ow, win.shape[3]))
        out[:, i, j, :] = win.max(axis=(1, 2))
    return out


def avg_pool2d_ref(x, pool_size=2, strides=None, padding="valid"):
    """Mean over each window. 'same' divides by the real pixels only (TensorFlow's rule);
    an int padding divides by the whole window, padded zeros included (PyTorch's default
    ``count_include_pad=True``)."""
    strides = pool_size if strides is None else strides
    same = isinstance(padding, str) and padding.lower() == "same"
    out = None
    for i, j, oh, ow, win in _windows(x, pool_size, strides, padding, np.nan):
        if out is None:
            out = np.zeros((win.shape[0], oh, ow, win.shape[3]))
        if same:
            out[:, i, j, :] = np.nanmean(win, axis=(1, 2))
        else:
            out[:, i, j, :] = np.nan_to_num(win).sum(axis=(1, 2)) / (win.shape[1] * win.shape[2])
    return out


# ------------------------------------------------------------------------- TensorFlow


def tf_padding(padding):
    """TensorFlow's padding argument for conv2d; an int P becomes explicit zeros."""
    if isinstance(padding, str):
        return padding.upper()
    ph, pw = _pair(padding)
    return [[0, 0], [ph, ph], [pw, pw], [0, 0]]


def tf_conv2d(x, w, strides, padding):
    import tensorflow as tf

    return tf.nn.conv2d(x, w, strides, tf_padding(padding)).numpy()


def tf_pool(fn, x, window, strides, padding, fill=0.0):
    """tf.nn pooling (strides None = window); an int padding is ``fill`` added by tf.pad."""
    import tensorflow as tf

    if not isinstance(padding, str):
        ph, pw = _pair(padding)
        x = tf.pad(x, [[0, 0], [ph, ph], [pw, pw], [0, 0]], constant_values=fill)
        padding = "VALID"
    return fn(x, window, strides or window, padding.upper())
