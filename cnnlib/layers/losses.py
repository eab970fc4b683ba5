"""SoftmaxCrossEntropy: softmax and cross-entropy in one layer, the loss of a classifier."""

from __future__ import annotations

import numpy as np

from .base import Layer

__all__ = ["SoftmaxCrossEntropy"]


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
