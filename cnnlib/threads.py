"""NumPy's BLAS on one thread inside cnnlib's training and inference, with no variables to set.

OpenBLAS starts a thread per core and its idle threads busy-wait. The NumPy CNN's matrix
products are small (a batch of 100 MNIST images gives a 57,600 × 25 by 25 × 30 product),
so on a 2-core machine that also runs TensorFlow's thread pool, those threads fight each
other and a training step took anywhere from 24 ms to over a second (benchmarks/README.md).
One thread is never slower for these sizes.

So :class:`cnnlib.models.Sequential` runs its ``forward`` and ``backprop`` inside
:func:`blas_threads`, through ``threadpoolctl`` (the library scikit-learn uses for this):
the limit holds only while cnnlib computes and the reader's own NumPy code keeps NumPy's
choice. Setting a limit costs about 20 µs. ``CNNLIB_BLAS_THREADS`` changes the number
(``0`` leaves NumPy's own choice).
"""

from __future__ import annotations

import functools
import os
import threading
from contextlib import contextmanager

__all__ = ["blas_threads", "limited", "default_threads", "already_limited"]

_state = threading.local()
_controller = None


def default_threads() -> int:
    """The number of BLAS threads cnnlib computes with: ``CNNLIB_BLAS_THREADS`` or 1
    (0 means NumPy's own choice, no limit)."""
    value = os.environ.get("CNNLIB_BLAS_THREADS", "1").strip() or "1"
    if not value.isdigit():
        raise ValueError(f"CNNLIB_BLAS_THREADS must be a whole number >= 0, got {value!r}")
    return int(value)


def _get_controller():
    global _controller
    if _controller is None:
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
    return _controller


@contextmanager
def blas_threads(n: int | None = None):
    """Within the block, NumPy's BLAS uses ``n`` threads (default :func:`default_threads`).

    Nested blocks keep the outer limit; ``n = 0`` sets no limit.
    """
    n = default_threads() if n is None else n
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"blas_threads: n must be a whole number >= 0, got {n!r}")
    if n == 0 or getattr(_state, "active", False):
        yield
        return
    _state.active = True
    try:
        with _get_controller().limit(limits=n, user_api="blas"):
            yield
    finally:
        _state.active = False


@contextmanager
def already_limited():
    """Within the block, :func:`blas_threads` in this thread sets nothing: for worker threads
    of a caller that has set the limit for all of them (:mod:`cnnlib.parallel`). A thread
    of its own restoring the limit on exit could race with the others."""
    before = getattr(_state, "active", False)
    _state.active = True
    try:
        yield
    finally:
        _state.active = before


def limited(method):
    """Decorator: run ``method`` inside :func:`blas_threads`."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with blas_threads():
            return method(*args, **kwargs)

    return wrapper
