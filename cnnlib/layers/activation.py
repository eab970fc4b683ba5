"""The activations a Conv2D or Dense layer can apply itself, as Keras's ``activation=``.

Kept apart from the layers so each layer's own ``forward``/``backward`` stays short.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Activation"]


class Activation:
    """``relu`` or ``softmax`` (over the last axis) with its backward pass; None is the identity."""

    def __init__(self, kind):
        self.kind = kind

    def forward(self, z):
        if self.kind == "relu":
            self.positive = z > 0
            return np.maximum(z, 0)
        if self.kind == "softmax":
            e = np.exp(z - z.max(axis=-1, keepdims=True))
            self.probs = e / e.sum(axis=-1, keepdims=True)
            return self.probs
        return z

    def backward(self, dout):
        if self.kind == "relu":
            return dout * self.positive
        if self.kind == "softmax":  # dz = p ⊙ (dout − Σ dout·p), the softmax's Jacobian
            p = self.probs
            return p * (dout - np.sum(dout * p, axis=-1, keepdims=True))
        return dout
