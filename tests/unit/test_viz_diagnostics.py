"""cnnlib.viz.diagnostics: probabilities, confusion matrices, confused examples and the
activation, saliency and occlusion overlays draw what they are given and check shapes."""

import numpy as np
import pytest

from cnnlib import explain, metrics, viz


def test_plot_probabilities_names_the_prediction_and_checks_lengths():
    fig = viz.plot_probabilities(np.full(3, 1 / 3), ["x", "y", "z"], true_label=1)
    assert "x" in fig.axes[0].get_title()
    with pytest.raises(ValueError, match="2 class names for 3 probabilities"):
        viz.plot_probabilities(np.full(3, 1 / 3), ["x", "y"])
    with pytest.raises(ValueError, match=r"plot_probabilities: true_label holds 3, outside 0..2"):
        viz.plot_probabilities(np.full(3, 1 / 3), ["x", "y", "z"], true_label=3)
    fig = viz.plot_probabilities([0.1, 0.9], ["cat", "dog"], true_label=0, image=np.zeros((4, 4)))
    assert fig.axes[0].get_title() == "true: cat"


def test_confusion_figures():
    cm = np.array([[5, 1], [2, 2]])
    fig = viz.plot_confusion_matrix(cm, ["cat", "dog"])
    assert fig.axes[0].get_xlabel() == "predicted class"
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["0: cat", "1: dog"]
    with pytest.raises(ValueError, match="3 class names for a 2×2 cm"):
        viz.plot_confusion_matrix(cm, ["a", "b", "c"])
    images = np.random.default_rng(0).random((6, 8, 8, 1))
    y_true, y_pred = np.array([0, 0, 1, 1, 0, 1]), np.array([1, 0, 0, 1, 1, 1])
    fig = viz.show_confused_examples(images, y_true, y_pred,
                                     metrics.most_confused(metrics.confusion_matrix(
                                         y_true, y_pred, 2)), ["cat", "dog"], per_pair=3)
    assert "true cat → predicted dog (2 such)" in fig.axes[0].get_title(loc="left")
    with pytest.raises(ValueError, match="6 images, 5 labels"):
        viz.show_confused_examples(images, y_true[:5], y_pred[:5], [(0, 1)], ["cat", "dog"])
    with pytest.raises(ValueError, match="show_confused_examples: pairs is empty"):
        viz.show_confused_examples(images, y_true, y_pred, [], ["cat", "dog"])


def test_explain_figures_draw_and_check_shapes(tiny_cnn):
    image = np.random.default_rng(4).uniform(size=(6, 6, 2)).astype(np.float32)
    fig = viz.show_activations(explain.activations(tiny_cnn, image), max_channels=2,
                               title="acts")
    assert len(fig.axes) == 2  # one row (the conv layer), two channels; flat layers skipped
    heat = np.random.default_rng(5).uniform(size=(6, 6))
    assert viz.show_saliency(image[..., 0], heat, label=3).axes
    fig = viz.show_occlusion(image[..., 0], heat - 0.5, target=3)
    assert fig.axes[-1].get_ylabel() == "drop in p(class 3)"
    with pytest.raises(ValueError,
                       match=r"show_saliency: saliency_map must have the image's shape \(6, 6\)"):
        viz.show_saliency(image[..., 0], np.zeros((5, 5)))
    with pytest.raises(ValueError, match="no \\(H, W, C\\) activations"):
        viz.show_activations({"dense": np.zeros(4)})
    with pytest.raises(ValueError, match="show_activations: max_channels must be at least 1"):
        viz.show_activations({"conv": np.zeros((2, 2, 3))}, max_channels=0)
