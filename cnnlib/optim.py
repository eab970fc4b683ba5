"""Optimisers: turn gradients into parameter updates, with Keras's formulas.

Each optimiser has ``update(params, grads)``, where both are dicts of arrays with
the same keys (a model's :attr:`~cnnlib.models.Sequential.params` and
:attr:`~cnnlib.models.Sequential.grads`), and ``step(model)`` for short. The
parameters are changed **in place**, in their own dtype (float32 stays float32);
whatever an optimiser remembers between steps (velocity, moments) is kept per key.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["Optimizer", "SGD", "Momentum", "Adam", "flush_subnormals"]


class Optimizer:
    """The common part: checks that params and grads match, then updates each pair."""

    def __init__(self, learning_rate):
        if not learning_rate > 0:
            raise ValueError(f"{type(self).__name__}: learning_rate must be > 0, "
                             f"got {learning_rate!r}")
        self.learning_rate = float(learning_rate)
        self.iterations = 0  # how many updates so far, as Keras counts them

    def update(self, params, grads) -> None:
        """Update every array of ``params`` in place from ``grads`` (same keys, same shapes)."""
        for key, param in params.items():
            if key not in grads:
                raise ValueError(f"{type(self).__name__}.update: no gradient for {key!r}; "
                                 f"grads has {sorted(grads)}")
            if grads[key].shape != param.shape:
                raise ValueError(f"{type(self).__name__}.update: the gradient for {key!r} has "
                                 f"shape {grads[key].shape}, the parameter {param.shape}")
        self.iterations += 1
        for key, param in params.items():
            self.update_one(key, param, grads[key])

    def step(self, model) -> None:
        """``update(model.params, model.grads)``."""
        self.update(model.params, model.grads)

    def update_one(self, key, param, grad) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Plain gradient descent: ``param -= learning_rate · grad``."""

    def __init__(self, learning_rate=0.01):
        super().__init__(learning_rate)

    def update_one(self, key, param, grad):
        param -= self.learning_rate * grad


class Momentum(Optimizer):
    """Gradient descent with momentum, as Keras's ``SGD(momentum=0.9)``:
    ``v = momentum · v − learning_rate · grad``; ``param += v``.
    """

    def __init__(self, learning_rate=0.01, momentum=0.9):
        super().__init__(learning_rate)
        self.momentum = float(momentum)
        self.velocity: dict[str, np.ndarray] = {}

    def update_one(self, key, param, grad):
        v = self.velocity.setdefault(key, np.zeros_like(param))
        v *= self.momentum
        v -= self.learning_rate * grad
        param += v


class Adam(Optimizer):
    """Adam, as Keras computes it (``epsilon`` 1e-7, Keras's default):
    ``m += (1 − β1)(grad − m)``; ``v += (1 − β2)(grad² − v)``;
    ``param −= α · m / (√v + ε)`` with ``α = learning_rate · √(1 − β2ᵗ) / (1 − β1ᵗ)``.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        super().__init__(learning_rate)
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}

    def update_one(self, key, param, grad):
        t = self.iterations
        alpha = self.learning_rate * math.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        m = self.m.setdefault(key, np.zeros_like(param))
        v = self.v.setdefault(key, np.zeros_like(param))
        m += (1 - self.beta_1) * (grad - m)
        v += (1 - self.beta_2) * (grad * grad - v)
        if t % 10 == 0:  # every tenth step is enough: a moment stays subnormal ten steps at most
            flush_subnormals(m)
            flush_subnormals(v)
        param -= alpha * m / (np.sqrt(v) + self.epsilon)


def flush_subnormals(a) -> None:
    """Set a float array's subnormal numbers (below 1.2e-38 in float32) to 0, in place.

    A weight whose gradient stays 0 (say, of a ReLU unit that never fires) has an Adam
    moment that shrinks by β1 every step, down into the subnormal numbers, on which CPUs
    compute many times slower: measured, such moments made an Adam step three times
    slower. TensorFlow's CPU threads flush subnormals to zero; NumPy has no such switch,
    so Adam does it itself. No update notices: they are far below the epsilon of 1e-7.
    """
    a *= np.abs(a) >= np.finfo(a.dtype).tiny  # a product, not a[mask] = 0: faster
