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

:func:`blas_kernels` says which of OpenBLAS's kernels NumPy's matrix products run and what
the CPU could run: OpenBLAS picks its kernels by recognising the CPU, and a CPU it does not
know gets older ones (on the project's AMD EPYC, AVX2 kernels on a CPU with AVX-512; the
environment variable ``OPENBLAS_CORETYPE``, read when NumPy loads, overrides the choice).
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from contextlib import contextmanager

__all__ = ["blas_threads", "limited", "default_threads", "already_limited", "blas_kernels",
           "cpu_vector_width"]

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


# the vector instructions of OpenBLAS's x86-64 kernel sets (its ``architecture`` names)
_KERNEL_WIDTH = {"haswell": "AVX2", "zen": "AVX2", "skylakex": "AVX-512",
                 "cooperlake": "AVX-512", "sapphirerapids": "AVX-512",
                 "sandybridge": "AVX", "nehalem": "SSE4", "prescott": "SSE3"}


def cpu_vector_width(cpuinfo="/proc/cpuinfo"):
    """The widest vector instructions this CPU has, from the flags Linux reports:
    ``'AVX-512'`` (F, VL, BW and DQ, what OpenBLAS's AVX-512 kernels use), ``'AVX2'``,
    ``'AVX'``, ``'SSE'``, or None where the file does not exist (not Linux)."""
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as f:
            flags = next((line.split(":", 1)[1].split() for line in f
                          if line.startswith("flags")), [])
    except OSError:
        return None
    flags = set(flags)
    if {"avx512f", "avx512vl", "avx512bw", "avx512dq"} <= flags:
        return "AVX-512"
    for flag, name in (("avx2", "AVX2"), ("avx", "AVX")):
        if flag in flags:
            return name
    return "SSE"


def blas_kernels(cpuinfo="/proc/cpuinfo"):
    """Which kernels NumPy's BLAS runs, and whether the CPU could run wider ones.

    Returns a dict: ``library`` (``'openblas'``, ``'mkl'``, … or None), ``version``,
    ``kernels`` (OpenBLAS's name for its kernel set, e.g. ``'Haswell'``), ``kernel_width``
    (``'AVX2'``, ``'AVX-512'`` or None if unknown), ``cpu_width`` (:func:`cpu_vector_width`)
    ``narrower`` (True when the CPU has wider vector instructions than the kernels use)
    and ``text``, one line for a report. NumPy must be imported; nothing is changed.
    """
    if "numpy" not in sys.modules:
        raise RuntimeError("blas_kernels: import numpy first (its BLAS loads with it)")
    blas = [lib for lib in _get_controller().info() if lib["user_api"] == "blas"]
    lib = blas[0] if blas else {}
    kernels = lib.get("architecture")
    kernel_width = _KERNEL_WIDTH.get(str(kernels).lower())
    cpu_width = cpu_vector_width(cpuinfo)
    name = {"openblas": "OpenBLAS", "mkl": "MKL", "blis": "BLIS"}.get(
        lib.get("internal_api"), lib.get("internal_api") or "an unknown BLAS")
    text = f"{name} {lib.get('version') or ''}".strip()
    if kernels:
        text += f", {kernels} kernels" + (f" ({kernel_width})" if kernel_width else "")
    if cpu_width:
        text += f" on a CPU with {cpu_width}"
    narrower = (kernel_width is not None and cpu_width is not None
                and _ORDER.index(kernel_width) < _ORDER.index(cpu_width))
    return {"library": lib.get("internal_api"), "version": lib.get("version"),
            "kernels": kernels, "kernel_width": kernel_width, "cpu_width": cpu_width,
            "narrower": narrower, "text": text}


_ORDER = ["SSE", "SSE3", "SSE4", "AVX", "AVX2", "AVX-512"]
