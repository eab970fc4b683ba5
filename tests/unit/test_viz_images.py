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


def _limits(fig):
    return [ax.images[0].get_clim() for ax in fig.axes if ax.images]


def test_diverging_feature_maps_share_a_symmetric_range():
    # An all-positive blur map next to an edge map: zero must be the middle colour in
    # both, and the same colour the same value, so "red positive, blue negative" is true.
    blur = np.full((6, 6), 0.5)
    edge = np.zeros((6, 6))
    edge[:, :3], edge[:, 3:] = -2.0, 1.0
    fig = viz.show_feature_maps(np.stack([blur, edge], -1), cmap="RdBu_r")
    assert _limits(fig) == [(-2.0, 2.0), (-2.0, 2.0)]
    fig = viz.show_feature_maps(np.stack([blur, edge], -1), cmap="coolwarm", shared=False)
    assert _limits(fig) == [(-0.5, 0.5), (-2.0, 2.0)]
    # a sequential map keeps each channel's own scale, unless asked to share
    fig = viz.show_feature_maps(np.stack([blur + 1, edge], -1), cmap="viridis")
    assert _limits(fig) == [(1.5, 1.5), (-2.0, 1.0)]
    fig = viz.show_feature_maps(np.stack([blur + 1, edge], -1), shared=True)
    assert _limits(fig) == [(-2.0, 1.5), (-2.0, 1.5)]


def test_kernels_share_one_symmetric_range():
    w = np.zeros((3, 3, 1, 2))
    w[..., 0, 0], w[..., 0, 1] = 0.25, -1.0
    assert _limits(viz.show_kernels(w)) == [(-1.0, 1.0), (-1.0, 1.0)]
    assert viz.images.symmetric_limits(np.zeros(3)) == (-1.0, 1.0)
    assert viz.images.is_diverging("RdBu_r") and not viz.images.is_diverging("gray_r")


def test_figures_fit_the_text_column_with_readable_titles():
    from cnnlib.viz import style

    fig = viz.show_images(np.zeros((16, 8, 8)), labels=list(range(16)), ncols=16)
    assert fig.get_size_inches()[0] <= style.MAX_WIDTH + 1e-9
    assert all(ax.title.get_fontsize() >= style.MIN_FONT_SIZE for ax in fig.axes if ax.get_title())
    perm = np.random.default_rng(1).permutation(25)
    fig = viz.shuffled_images(np.zeros((8, 5, 5)), perm)
    assert fig.get_size_inches()[0] <= style.MAX_WIDTH + 1e-9
