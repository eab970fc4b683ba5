"""Run profiles, reproducible seeds, and the environment line each chapter prints.

``CNNLIB_PROFILE`` picks how much work a chapter does:

* ``full`` (the default) — the sizes and epochs whose outputs the book shows;
* ``quick`` — small enough that the whole notebook suite runs in CI in minutes.

Chapters never test the profile themselves: they ask :func:`budget` for a
number, e.g. ``epochs = cnnlib.budget(full=20, quick=1)``.
"""

from __future__ import annotations

import os
import platform
import random
import time
from contextlib import contextmanager
from importlib import metadata

import numpy as np

__all__ = ["PROFILES", "profile", "budget", "SEED_ENV", "run_seed", "seed_everything", "environment", "about",
           "timer"]

PROFILES = ("full", "quick")


def profile() -> str:
    """The active profile: the value of ``CNNLIB_PROFILE`` (default ``'full'``)."""
    value = os.environ.get("CNNLIB_PROFILE", "full").strip().lower() or "full"
    if value not in PROFILES:
        raise ValueError(
            f"CNNLIB_PROFILE must be one of {', '.join(PROFILES)}, got {value!r}"
        )
    return value


def budget(full, quick):
    """Pick a size for the active profile: ``budget(full=20, quick=1)``."""
    return full if profile() == "full" else quick


SEED_ENV = "CNNLIB_SEED"


def run_seed(seed: int = 0) -> int:
    """``seed`` plus the run's offset, the whole number in ``CNNLIB_SEED`` (default 0).

    A chapter seeds with ``run_seed(0)`` (or :func:`seed_everything`, which uses it), so
    the page's run is seed 0 and ``scripts/reproduce.py`` re-runs the same chapter with
    ``CNNLIB_SEED=1, 2, ...`` to measure how far results spread over seeds.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"run_seed: seed must be a whole number >= 0, got {seed!r}")
    text = os.environ.get(SEED_ENV, "0").strip() or "0"
    if not text.isdigit():
        raise ValueError(f"{SEED_ENV} must be a whole number >= 0 (the seed offset), got {text!r}")
    return int(seed) + int(text)


def seed_everything(seed: int = 42) -> None:
    """Seed Python, NumPy and (when installed) TensorFlow/Keras with :func:`run_seed` of ``seed``.

    ``CNNLIB_SEED=k`` in the environment shifts every seed by ``k`` (see :func:`run_seed`).

    Also asks TensorFlow for deterministic ops, so that a Keras run repeats number
    for number (a small model trained twice does, bit for bit; a whole chapter re-run
    later has been seen to differ a little — ``scripts/reproduce.py`` records each run). On a GPU, Keras 3 compiles with XLA by default (``jit_compile="auto"``),
    and XLA has no deterministic kernel for max pooling's gradient: with determinism on,
    the first ``fit`` would fail. Every chapter therefore compiles with
    ``jit_compile=False`` (a test checks each ``compile`` call), which is also what
    ``"auto"`` chooses on a CPU, so CPU and GPU runs take the same path.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed_everything: seed must be a whole number >= 0, got {seed!r}")
    seed = run_seed(int(seed))
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)
    if _installed("tensorflow"):
        import keras
        import tensorflow as tf

        keras.utils.set_random_seed(seed)
        try:
            tf.config.experimental.enable_op_determinism()
        except Exception:  # pragma: no cover - older TF
            pass


def _installed(dist: str) -> bool:
    try:
        metadata.version(dist)
        return True
    except metadata.PackageNotFoundError:
        return False


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def environment(*datasets: str) -> str:
    """The run's environment as text: profile, versions, data sources.

    datasets: names understood by :func:`cnnlib.data.describe_source`
    (``'mnist'``, ``'fashion_mnist'``).
    """
    from . import __version__

    lines = [
        f"profile: {profile()}",
        f"cnnlib {__version__} | TensorFlow {_version('tensorflow')} | "
        f"NumPy {np.__version__} | Python {platform.python_version()}",
    ]
    if datasets:
        from .data import describe_source

        for name in datasets:
            lines.append(f"{name}: {describe_source(name)}")
    return "\n".join(lines)


def about(*datasets: str) -> None:
    """Print the run's environment: the first lines of every chapter's output."""
    print(environment(*datasets))


class _Elapsed:
    seconds: float = 0.0

    def __float__(self):
        return float(self.seconds)


@contextmanager
def timer():
    """Wall-clock seconds of a block: ``with timer() as t: model.fit(...)``, then ``t.seconds``."""
    elapsed, start = _Elapsed(), time.perf_counter()
    try:
        yield elapsed
    finally:
        elapsed.seconds = time.perf_counter() - start
