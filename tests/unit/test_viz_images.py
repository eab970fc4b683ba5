"""cnnlib.viz.images: images, feature maps and kernels draw, are labelled, reject bad input."""

import numpy as np
import pytest

from cnnlib import viz


def _titles(fig):
    return [ax.get_title() for ax in fig.axes]


def test_show_images_labels_by_class_name_and_marks_wrong_predictions():
    fig = viz.show_images(np.zeros((3, 8, 8)), labels=[0, 1, 2], predictions=[0, 2, 2],
                          class_names=["a", "b", "c"], ncols=3)
    assert _titles(fig) == ["a → a", "b → c", "c → c"]
    assert fig.axes[1].title.get_color() == "tab:red"
    with pytest.raises(ValueError, match="show_images: 2 labels for 3 images"):
        viz.show_images(np.zeros((3, 8, 8)), labels=[0, 1])
    with pytest.raises(ValueError, match=r"show_images: images must be \(N, H, W\)"):
        viz.show_images(np.zeros((2, 3, 4, 5, 6)))


def test_one_image_with_a_channel_axis_is_one_image():
    fig = viz.show_images(np.zeros((28, 28, 1)), labels=[3])
    assert len([ax for ax in fig.axes if ax.images]) == 1
    fig = viz.show_images(np.zeros((5, 28, 28)))
    assert len([ax for ax in fig.axes if ax.images]) == 5


def test_show_feature_maps_one_panel_per_channel():
    fig = viz.show_feature_maps(np.zeros((1, 6, 6, 5)), ncols=5)
    assert _titles(fig) == [f"map {k}" for k in range(5)]
    with pytest.raises(ValueError, match=r"\(H, W, C\)"):
        viz.show_feature_maps(np.zeros((6, 6)))
    with pytest.raises(ValueError, match="show_feature_maps: 2 names for 5 channels"):
        viz.show_feature_maps(np.zeros((6, 6, 5)), names=["a", "b"])


def test_show_kernels_checks_layout_and_channel():
    assert len(viz.show_kernels(np.ones((3, 3, 2, 4)), channel=1).axes) == 4
    with pytest.raises(ValueError, match="channel must be in 0..1"):
        viz.show_kernels(np.ones((3, 3, 2, 4)), channel=2)
    with pytest.raises(ValueError, match=r"show_kernels: kernel must be \(FH, FW, C_in, C_out\)"):
        viz.show_kernels(np.ones((3, 3, 2)))


def test_shuffled_images_has_two_rows():
    images = np.random.default_rng(0).random((3, 5, 5, 1))
    perm = np.random.default_rng(1).permutation(25)
    fig = viz.shuffled_images(images, perm, labels=[1, 2, 3])
    assert len(fig.axes) == 6
    shown = fig.axes[1].images[0].get_array()  # axes are row-major: [0][1] is image 1
    np.testing.assert_array_equal(np.asarray(shown), images[1, ..., 0])
    bottom = np.asarray(fig.axes[3].images[0].get_array())
    np.testing.assert_array_equal(bottom.ravel(), images[0, ..., 0].ravel()[perm])


@pytest.mark.parametrize("call, match", [
    (lambda: viz.shuffled_images(np.zeros((2, 4, 4)), np.arange(15)), "0..15"),
    (lambda: viz.shuffled_images(np.zeros((4, 4)), np.arange(16)), "images must be"),
    (lambda: viz.shuffled_images(np.zeros((2, 4, 4)), np.arange(16), labels=[1]),
     "1 labels for 2 images"),
])
def test_shuffled_images_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
