"""Argument checks for the whole package, with messages that say what would fit.

One helper per kind of argument, as Keras keeps one ``standardize_tuple``:

* :func:`whole` — a whole number ≥ ``minimum`` (``filters``, ``units``, ``size``, …);
* :func:`pair` — a whole number or an ``(h, w)`` pair of them (``kernel_size``,
  ``strides``, ``pool_size``);
* :func:`padding` — ``'valid'``, ``'same'``, a whole number ≥ 0 or a per-axis pair;
* :func:`images` — a 4-D array ``(N, H, W, C)``.

Each raises :class:`ArgumentError` (a ``ValueError``) naming the argument and the value.
A public function puts its own name in front by wearing :func:`named`, so no ``func``
argument is threaded through the signatures::

    @named
    def conv_output_size(size, kernel_size, strides=1, padding=0):
        size = whole(size, "size")  # "conv_output_size: size must be a whole number >= 1, got 0"

When a public function calls another, the innermost name stays (it says where the bad
value was finally used).
"""

from __future__ import annotations

import functools
import numbers
from contextlib import contextmanager

import numpy as np

__all__ = ["ArgumentError", "named", "called", "whole", "pair", "padding", "images"]


class ArgumentError(ValueError):
    """A bad argument. ``where`` is the public function that was called (set by :func:`named`)."""

    where: str | None = None


@contextmanager
def called(label: str):
    """Within the block, an :class:`ArgumentError` not yet named starts with ``"label: "``
    (for a layer's methods, whose name is the instance's: ``conv2d_1``)."""
    try:
        yield
    except ArgumentError as err:
        if err.where is None:
            err.where = label
            err.args = (f"{label}: {err.args[0]}", *err.args[1:])
        raise


def named(fn=None, *, where: str | None = None):
    """Decorator: an :class:`ArgumentError` leaving ``fn`` starts with ``"<fn name>: "``.

    ``where`` overrides the name; for ``__init__`` it is the class's name (``Conv2D``).
    """
    if fn is None:
        return functools.partial(named, where=where)
    label = where or fn.__qualname__.removesuffix(".__init__")

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with called(label):
            return fn(*args, **kwargs)

    return wrapper


def _is_whole(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def whole(value, name: str, minimum: int = 1) -> int:
    """``value`` as an int; an :class:`ArgumentError` unless it is a whole number ≥ ``minimum``."""
    if not _is_whole(value):
        raise ArgumentError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    if value < minimum:
        what = "must not be negative" if minimum == 0 else f"must be at least {minimum}"
        raise ArgumentError(f"{name} {what}, got {value!r}")
    return int(value)


def pair(value, name: str, minimum: int = 1) -> tuple[int, int]:
    """``3 -> (3, 3)``, ``(3, 2) -> (3, 2)``; each a whole number ≥ ``minimum``."""
    items = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(items) != 2 or not all(_is_whole(v) and v >= minimum for v in items):
        raise ArgumentError(
            f"{name} must be a whole number >= {minimum} or an (h, w) pair of them, "
            f"got {value!r}")
    return int(items[0]), int(items[1])


def padding(value, name: str = "padding"):
    """``'valid'`` or ``'same'`` (any case, returned lower-case), a whole number ≥ 0, or an
    ``(ph, pw)`` pair of them (returned as a tuple; an int stays an int)."""
    if isinstance(value, str):
        mode = value.lower()
        if mode in ("valid", "same"):
            return mode
    elif _is_whole(value):
        if value < 0:
            raise ArgumentError(f"{name} must not be negative, got {value!r}")
        return int(value)
    elif isinstance(value, (tuple, list)):
        return pair(value, name, minimum=0)
    raise ArgumentError(
        f"{name} must be 'valid', 'same', a whole number >= 0 or a (ph, pw) pair of them, "
        f"got {value!r}")


def images(x, name: str = "x") -> np.ndarray:
    """``x`` as an ndarray of shape (N, H, W, C)."""
    x = np.asarray(x)
    if x.ndim != 4:
        hint = "; add a channel axis, e.g. x[..., None]" if x.ndim == 3 else ""
        raise ArgumentError(f"{name} must be 4-D (N, H, W, C), got shape {x.shape}{hint}")
    return x
