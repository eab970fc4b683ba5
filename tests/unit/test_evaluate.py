"""cnnlib.evaluate against hand counts and tf.math.confusion_matrix."""

import warnings

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnnlib import evaluate  # noqa: E402


def test_confusion_matrix_by_hand():
    y_true = [0, 0, 1, 2, 2, 2]
    y_pred = [0, 1, 1, 2, 0, 2]
    cm = evaluate.confusion_matrix(y_true, y_pred, 3)
    assert cm.dtype == np.int64
    assert cm.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert cm.sum() == 6
    assert evaluate.accuracy(cm) == pytest.approx(4 / 6)
    assert evaluate.per_class_accuracy(cm) == pytest.approx([0.5, 1.0, 2 / 3])


def test_classes_may_be_names_and_unseen_classes_are_zero_rows():
    cm = evaluate.confusion_matrix(np.array([0, 0]), np.array([0, 1]), ("a", "b", "c"))
    assert cm.shape == (3, 3)
    assert cm[2].sum() == 0
    assert np.isnan(evaluate.per_class_accuracy(cm)[2])


def test_confusion_matrix_agrees_with_tensorflow():
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 10, 500)
    y_pred = np.where(rng.random(500) < 0.7, y_true, rng.integers(0, 10, 500))
    expected = tf.math.confusion_matrix(y_true, y_pred, num_classes=10).numpy()
    np.testing.assert_array_equal(evaluate.confusion_matrix(y_true, y_pred, 10), expected)


def test_most_confused_lists_off_diagonal_cells_largest_first():
    cm = np.array([[50, 3, 0], [7, 40, 3], [0, 1, 60]])
    assert evaluate.most_confused(cm, 3) == [(1, 0, 7), (0, 1, 3), (1, 2, 3)]
    assert evaluate.most_confused(np.diag([5, 5]), 3) == []  # no mistakes, nothing listed
    assert len(evaluate.most_confused(cm, 100)) == 4


@pytest.mark.parametrize(
    "args, match",
    [
        (([0, 1], [0], 2), "y_true has 2 labels but y_pred has 1"),
        (([1, 3], [0, 1], 3), r"y_true holds 3, outside 0..2 \(labels counted from 1\?"),
        (([0, -1], [0, 1], 3), "y_true holds -1, outside 0..2"),
        (([0, 1], np.eye(2), 2), r"probabilities or one-hot rows\? pass class indices"),
        (([0.5, 1], [0, 1], 2), "whole class indices"),
        (([0, 1], [0, 1], 0), "at least one class"),
        (([0, 1], [0, 1], "ten"), "classes must be the number of classes or a list"),
    ],
)
def test_bad_input_to_confusion_matrix(args, match):
    with pytest.raises(ValueError, match=match):
        evaluate.confusion_matrix(*args)


def test_bad_matrices():
    with pytest.raises(ValueError, match=r"square \(K, K\) matrix"):
        evaluate.accuracy(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="all zeros"):
        evaluate.accuracy(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="negative counts"):
        evaluate.most_confused(np.array([[1, -1], [0, 1]]))
    with pytest.raises(ValueError, match="k must be a whole number >= 1"):
        evaluate.most_confused(np.eye(2), 0)


def test_figures():
    cm = np.array([[5, 1], [2, 2]])
    fig = evaluate.plot_confusion_matrix(cm, ["cat", "dog"])
    assert fig.axes[0].get_xlabel() == "predicted class"
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["0: cat", "1: dog"]
    with pytest.raises(ValueError, match="3 class names for a 2×2 cm"):
        evaluate.plot_confusion_matrix(cm, ["a", "b", "c"])
    images = np.random.default_rng(0).random((6, 8, 8, 1))
    y_true, y_pred = np.array([0, 0, 1, 1, 0, 1]), np.array([1, 0, 0, 1, 1, 1])
    fig = evaluate.show_confused_examples(images, y_true, y_pred,
                                          evaluate.most_confused(evaluate.confusion_matrix(
                                              y_true, y_pred, 2)), ["cat", "dog"], per_pair=3)
    assert "true cat → predicted dog (2 such)" in fig.axes[0].get_title(loc="left")
    with pytest.raises(ValueError, match="6 images, 5 labels"):
        evaluate.show_confused_examples(images, y_true[:5], y_pred[:5], [(0, 1)], ["cat", "dog"])
    plt.close("all")


def test_class_labels_join_names_in_index_order():
    from cnnlib.data import FASHION_CLASSES, FASHION_CLASSES_KO

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        labels = evaluate.class_labels(FASHION_CLASSES, FASHION_CLASSES_KO)
    if caught:  # no Hangul font on this machine: the English names alone
        assert "no font with Hangul" in str(caught[0].message)
        assert labels[8] == "Bag"
    else:
        assert labels[8] == "Bag 가방"
        assert evaluate.hangul_font() in plt.rcParams["font.family"]
    assert evaluate.class_labels(["a", "b"], ["x", "y"], sep=" / ") == ["a / x", "b / y"]
    with pytest.raises(ValueError, match="different lengths"):
        evaluate.class_labels(["a", "b"], ["x"])
