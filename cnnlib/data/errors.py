"""The errors of :mod:`cnnlib.data`: what the loader raises, and what it catches.

* :class:`DataError` — a data file is missing, truncated or not the official data (public);
* :class:`NotFound` — no source holds the data set, or ``data_dir`` is no folder; also an
  :class:`~cnnlib.validate.ArgumentError`, so the public function that was called puts its
  name in front (:func:`cnnlib.validate.named`);
* :class:`WrongDataset` — a genuine file of another catalogued data set (MNIST's files where
  Fashion-MNIST's belong): the loader notes it and goes on to the next source;
* :class:`Unavailable` — a download that could not be made (offline, unreachable, failed its
  check): the loader goes on to the next source.
"""

from __future__ import annotations

from ..validate import ArgumentError

__all__ = ["DataError", "NotFound", "Unavailable", "WrongDataset"]


class DataError(ValueError):
    """A data file is missing, truncated or not the official data; the message says which."""


class NotFound(DataError, ArgumentError):
    """No source holds the data set, or ``data_dir``/``CNNLIB_DATA_DIR`` is not a folder."""


class WrongDataset(DataError):
    """The file is genuine, but of another data set (MNIST's files where Fashion's belong)."""


class Unavailable(Exception):
    """A download that could not be made; the loader goes on to the next source."""
