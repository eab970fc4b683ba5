"""Augmentation layers as the chapters use them: RandomFlip, RandomTranslation, RandomRotation.

They change the training images at random and are the identity at inference, with no
parameters — what the book's tables need (:func:`cnnlib.params.summary`) and what
``to_keras()`` hands to Keras, with Keras's arguments and defaults.

What cnnlib computes itself:

* at inference (``training=False``) every one is the identity, forward and backward;
* in training, :class:`RandomFlip` flips each image with probability ½ per axis of its
  ``mode`` (and its backward flips the gradient back);
* in training, :class:`RandomTranslation` and :class:`RandomRotation` only describe
  themselves: their forward raises ``NotImplementedError`` saying so. Moving pixels by a
  fraction needs interpolation and filling, which is Keras's job
  (``layer.to_keras()(x, training=True)``), not what the from-scratch chapter is about.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..validate import ArgumentError, named
from .base import Layer

__all__ = ["RandomFlip", "RandomTranslation", "RandomRotation"]

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


def _factor(value, name):
    """A fraction ``f`` (meaning ``[−f, f]``) or a ``(low, high)`` pair, each in [−1, 1]."""
    items = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if not 1 <= len(items) <= 2 or not all(
            isinstance(v, numbers.Real) and not isinstance(v, bool) and -1 <= v <= 1
            for v in items):
        raise ArgumentError(f"{name} must be a fraction in [-1, 1] or a (low, high) pair of "
                            f"them, got {value!r}")
    return float(items[0]) if len(items) == 1 else (float(items[0]), float(items[1]))


def _choice(value, name, options):
    if value not in options:
        raise ArgumentError(f"{name} must be one of {', '.join(map(repr, options))}, "
                            f"got {value!r}")
    return value


class _Augmentation(Layer):
    """Shared: 0 parameters, the input's shape, identity at inference."""

    def forward(self, x, training=False):
        if training:
            return self.augment(np.asarray(x))
        self.undo = None
        return x

    def backward(self, dout):
        return dout if self.undo is None else self.undo(dout)

    def augment(self, x):
        raise NotImplementedError(
            f"{type(self).__name__}: cnnlib only describes this layer (shapes, 0 parameters, "
            "to_keras()); in training mode use Keras's layer: layer.to_keras()(x, "
            "training=True)")

    def _fill(self, fill_mode, interpolation, seed, fill_value):
        self.fill_mode = _choice(fill_mode, "fill_mode", FILL_MODES)
        self.interpolation = _choice(interpolation, "interpolation", INTERPOLATIONS)
        self.seed, self.fill_value = seed, float(fill_value)

    def keras_config(self):
        return {k: getattr(self, k) for k in self.config_keys}


class RandomFlip(_Augmentation):
    """Flip images left–right (``'horizontal'``), up–down (``'vertical'``) or both,
    each with probability ½, independently per image. x: (N, H, W, C)."""

    keras_class = "RandomFlip"
    config_keys = ("mode", "seed")
    MODES = ("horizontal", "vertical", "horizontal_and_vertical")

    @named
    def __init__(self, mode="horizontal_and_vertical", seed=None, name=None):
        super().__init__(name)
        self.mode = _choice(mode, "mode", self.MODES)
        self.seed, self.rng = seed, np.random.default_rng(seed)

    def augment(self, x):
        axes = {"horizontal": (2,), "vertical": (1,), "horizontal_and_vertical": (1, 2)}
        flips = [(axis, self.rng.random(x.shape[0]) < 0.5) for axis in axes[self.mode]]

        def flip(a):
            a = a.copy()
            for axis, chosen in flips:
                a[chosen] = np.flip(a[chosen], axis=axis)
            return a

        self.undo = flip  # a flip is its own inverse: the gradient goes back flipped
        return flip(x)


class RandomTranslation(_Augmentation):
    """Shift images by up to ``height_factor``·H rows and ``width_factor``·W columns.
    Training-mode forward: Keras's (see the module's docstring)."""

    keras_class = "RandomTranslation"
    config_keys = ("height_factor", "width_factor", "fill_mode", "interpolation", "seed",
                   "fill_value")

    @named
    def __init__(self, height_factor, width_factor, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, name=None):
        super().__init__(name)
        self.height_factor = _factor(height_factor, "height_factor")
        self.width_factor = _factor(width_factor, "width_factor")
        self._fill(fill_mode, interpolation, seed, fill_value)


class RandomRotation(_Augmentation):
    """Turn images by up to ``factor``·360° either way (``10 / 360`` is ±10°).
    Training-mode forward: Keras's (see the module's docstring)."""

    keras_class = "RandomRotation"
    config_keys = ("factor", "fill_mode", "interpolation", "seed", "fill_value")

    @named
    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, name=None):
        super().__init__(name)
        self.factor = _factor(factor, "factor")
        self._fill(fill_mode, interpolation, seed, fill_value)
