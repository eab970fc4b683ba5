"""Gradient checking: is a backward pass right? Compare it with finite differences.

A derivative is a limit, ``(f(x + h) − f(x − h)) / 2h`` as ``h → 0``; with a small
``h`` (1e-5) and float64 that is accurate to about 1e-10, slow (two forward
passes per element) but independent of the backward code being tested.

The two are compared by the relative error that CS231n uses,
``max |a − b| / max(|a| + |b|, tiny)`` taken elementwise: about 1e-7 or less
means the backward pass is right; 1e-2 or more means it is wrong.
"""

from __future__ import annotations

import numpy as np

__all__ = ["numerical_gradient", "rel_error", "check_layer"]


def numerical_gradient(f, x, h=1e-5) -> np.ndarray:
    """Centered differences: ``grad[i] = (f(x + h·e_i) − f(x − h·e_i)) / 2h``.

    f: a function of the array ``x`` returning a scalar. ``x`` is changed in place,
    one element at a time, and restored; so ``x`` may also be a layer's parameter
    that ``f`` reads (``f`` may then ignore its argument). Returns an array shaped
    like ``x``. Use float64: in float32 the rounding error swamps the difference.
    """
    x = np.asarray(x)
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = float(f(x))
        x[i] = old - h
        f_minus = float(f(x))
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def rel_error(a, b, tiny=1e-8) -> float:
    """``max |a − b| / max(|a| + |b|, tiny)``, elementwise (CS231n's relative error)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error: a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), tiny)))


def check_layer(layer, x, dout=None, seed=0, h=1e-5, training=False) -> dict[str, float]:
    """Check a layer's backward pass: relative errors of dL/dx and of each parameter's gradient.

    The loss is ``L = sum(layer.forward(x) · dout)`` for a fixed random ``dout``,
    so ``dL/d(output) = dout``. Use float64 inputs and parameters.
    Returns e.g. ``{'x': 3e-11, 'kernel': 2e-10, 'bias': 1e-11}``.
    """
    x = np.array(x, dtype=np.float64)
    out = layer.forward(x, training=training)
    if dout is None:
        dout = np.random.default_rng(seed).standard_normal(out.shape)

    def loss(_):
        return np.sum(layer.forward(x, training=training) * dout)

    errors = {}
    layer.forward(x, training=training)
    dx = layer.backward(dout)
    analytic = {name: g.copy() for name, g in layer.grads.items()}
    errors["x"] = rel_error(dx, numerical_gradient(loss, x, h))
    for name, param in layer.params.items():
        errors[name] = rel_error(analytic[name], numerical_gradient(loss, param, h))
    return errors
