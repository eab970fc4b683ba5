"""cnnlib.metrics against hand counts and tf.math.confusion_matrix; it draws nothing."""

import subprocess
import sys

import numpy as np
import pytest

from cnnlib import metrics


def test_confusion_matrix_by_hand():
    y_true = [0, 0, 1, 2, 2, 2]
    y_pred = [0, 1, 1, 2, 0, 2]
    cm = metrics.confusion_matrix(y_true, y_pred, 3)
    assert cm.dtype == np.int64
    assert cm.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert cm.sum() == 6
    assert metrics.accuracy(cm) == pytest.approx(4 / 6)
    assert metrics.per_class_accuracy(cm) == pytest.approx([0.5, 1.0, 2 / 3])


def test_classes_may_be_names_and_unseen_classes_are_zero_rows():
    cm = metrics.confusion_matrix(np.array([0, 0]), np.array([0, 1]), ("a", "b", "c"))
    assert cm.shape == (3, 3)
    assert cm[2].sum() == 0
    assert np.isnan(metrics.per_class_accuracy(cm)[2])


def test_confusion_matrix_agrees_with_tensorflow():
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 10, 500)
    y_pred = np.where(rng.random(500) < 0.7, y_true, rng.integers(0, 10, 500))
    expected = tf.math.confusion_matrix(y_true, y_pred, num_classes=10).numpy()
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, y_pred, 10), expected)


def test_most_confused_lists_off_diagonal_cells_largest_first():
    cm = np.array([[50, 3, 0], [7, 40, 3], [0, 1, 60]])
    assert metrics.most_confused(cm, 3) == [(1, 0, 7), (0, 1, 3), (1, 2, 3)]
    assert metrics.most_confused(np.diag([5, 5]), 3) == []  # no mistakes, nothing listed
    assert len(metrics.most_confused(cm, 100)) == 4


@pytest.mark.parametrize(
    "args, match",
    [
        (([0, 1], [0], 2), "y_true has 2 labels but y_pred has 1"),
        (([1, 3], [0, 1], 3), r"y_true holds 3, outside 0..2 \(labels counted from 1\?"),
        (([0, -1], [0, 1], 3), "y_true holds -1, outside 0..2"),
        (([0, 1], np.eye(2), 2), r"probabilities or one-hot rows\? pass class indices"),
        (([0.5, 1], [0, 1], 2), "whole class indices"),
        (([0, 1], [0, 1], 0), "classes must be at least 1, got 0"),
        (([0, 1], [0, 1], []), "classes must name at least one class"),
        (([0, 1], [0, 1], "ten"), "classes must be the number of classes or a list"),
    ],
)
def test_bad_input_to_confusion_matrix(args, match):
    with pytest.raises(ValueError, match="^confusion_matrix: .*" + match):
        metrics.confusion_matrix(*args)


def test_bad_matrices():
    with pytest.raises(ValueError, match=r"square \(K, K\) matrix"):
        metrics.accuracy(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="all zeros"):
        metrics.accuracy(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="negative counts"):
        metrics.most_confused(np.array([[1, -1], [0, 1]]))
    with pytest.raises(ValueError, match="most_confused: k must be at least 1, got 0"):
        metrics.most_confused(np.eye(2), 0)
    with pytest.raises(ValueError, match="most_confused: k must be a whole number >= 1, got 2.5"):
        metrics.most_confused(np.eye(2), 2.5)


def test_metrics_and_explain_import_no_matplotlib():
    code = ("import sys, cnnlib.metrics, cnnlib.explain; "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
