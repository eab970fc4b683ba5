"""How a trained classifier does, in numbers: the confusion matrix and what it tells.

* :func:`confusion_matrix` counts, for every true class, which classes were predicted;
* :func:`accuracy` and :func:`per_class_accuracy` read accuracy off that matrix;
* :func:`most_confused` lists the largest off-diagonal cells: the mistakes the model
  makes most often;
* :func:`class_indices` and :func:`counts_matrix` check the arguments (labels, a matrix)
  and are shared with the figures of :mod:`cnnlib.viz.diagnostics`.

Nothing here draws. Labels are class indices ``0..K-1`` (index 0 is the first class —
never "class 1"). The matrix follows ``tf.math.confusion_matrix``: ``cm[i, j]`` counts
the examples whose true class is ``i`` and whose predicted class is ``j``; rows are true
classes.
"""

from __future__ import annotations

import numpy as np

from .validate import ArgumentError, named, whole

__all__ = [
    "confusion_matrix",
    "accuracy",
    "per_class_accuracy",
    "most_confused",
    "class_indices",
    "counts_matrix",
]


def _num_classes(classes) -> int:
    if isinstance(classes, (list, tuple, np.ndarray)):
        if len(classes) == 0:
            raise ArgumentError("classes must name at least one class, got an empty list")
        return len(classes)
    if isinstance(classes, (int, np.integer)) and not isinstance(classes, bool):
        return whole(classes, "classes")
    raise ArgumentError(
        f"classes must be the number of classes or a list of class names, "
        f"got {type(classes).__name__}")


def class_indices(values, name: str, k: int) -> np.ndarray:
    """``values`` as an int64 (N,) array of class indices in ``0..k-1``.

    An :class:`~cnnlib.validate.ArgumentError` names ``name`` when they are rows of
    probabilities, not whole, or outside the range (with a hint when counted from 1).
    """
    arr = np.asarray(values)
    if arr.ndim == 2 and arr.shape[1] == k and k > 1:
        raise ArgumentError(
            f"{name} has shape {arr.shape}: probabilities or one-hot rows? "
            f"pass class indices, e.g. {name}.argmax(axis=1)")
    if arr.ndim != 1:
        raise ArgumentError(f"{name} must be a 1-D array of class indices, got shape {arr.shape}")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        if not np.issubdtype(arr.dtype, np.floating) or not np.all(arr == np.round(arr)):
            raise ArgumentError(f"{name} must hold whole class indices, got dtype {arr.dtype}")
    arr = arr.astype(np.int64)
    if arr.size and (arr.min() < 0 or arr.max() >= k):
        bad = int(arr[(arr < 0) | (arr >= k)][0])
        hint = " (labels counted from 1? subtract 1)" if bad == k and arr.min() >= 1 else ""
        raise ArgumentError(f"{name} holds {bad}, outside 0..{k - 1}{hint}")
    return arr


def counts_matrix(cm, name: str = "cm") -> np.ndarray:
    """``cm`` as an array, when it is a square (K, K) matrix of counts ≥ 0."""
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ArgumentError(f"{name} must be a square (K, K) matrix, got shape {cm.shape}")
    if (cm < 0).any():
        raise ArgumentError(f"{name} holds negative counts")
    return cm


@named
def confusion_matrix(y_true, y_pred, classes) -> np.ndarray:
    """Count (true class, predicted class) pairs.

    y_true, y_pred: (N,) class indices in ``0..K-1``; classes: K, or the K class names.
    Returns (K, K) int64, ``cm[i, j]`` = how many examples of class i were predicted
    as j. The diagonal holds the correct predictions; ``cm.sum() == N``.
    """
    k = _num_classes(classes)
    t = class_indices(y_true, "y_true", k)
    p = class_indices(y_pred, "y_pred", k)
    if len(t) != len(p):
        raise ArgumentError(
            f"y_true has {len(t)} labels but y_pred has {len(p)}; "
            "predict on exactly the examples you take the labels of")
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (t, p), 1)
    return cm


@named
def accuracy(cm) -> float:
    """Fraction of correct predictions: the diagonal's sum over the total. cm: (K, K)."""
    cm = counts_matrix(cm)
    total = cm.sum()
    if total == 0:
        raise ArgumentError("cm is all zeros; there is nothing to score")
    return float(np.trace(cm) / total)


@named
def per_class_accuracy(cm) -> np.ndarray:
    """(K,) for each true class, the fraction predicted right (its recall); NaN if unseen."""
    cm = counts_matrix(cm)
    rows = cm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(rows > 0, np.diag(cm) / np.maximum(rows, 1), np.nan)


@named
def most_confused(cm, k: int = 5) -> list[tuple[int, int, int]]:
    """The ``k`` most frequent mistakes as ``(true, predicted, count)``, largest first.

    cm: (K, K) from :func:`confusion_matrix`. Only off-diagonal cells with a count
    above zero are listed; ties keep row-major order.
    """
    cm = counts_matrix(cm)
    k = whole(k, "k")
    off = cm.copy()
    np.fill_diagonal(off, 0)
    order = np.argsort(-off, axis=None, kind="stable")[:k]
    pairs = [tuple(int(v) for v in np.unravel_index(i, off.shape)) for i in order]
    return [(t, p, int(off[t, p])) for t, p in pairs if off[t, p] > 0]
