"""cnnlib.diagrams: every drawing builds, has the panels and cells it promises, and
refuses bad input with a ValueError that names the argument."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Rectangle

from cnnlib import diagrams


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _rects(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_receptive_fields_links_every_pixel_or_one_window():
    fig = diagrams.receptive_fields(size=6, kernel=3, position=(1, 2))
    dense, conv = fig.axes
    assert len(fig.axes) == 2
    assert len(dense.lines) == 36 and len(conv.lines) == 9
    assert "36 weights" in dense.get_title() and "9 weights" in conv.get_title()


def test_weight_sharing_paints_the_same_weights_at_each_position():
    fig = diagrams.weight_sharing(size=6, kernel=3, positions=[(0, 0), (2, 3)])
    kernel_ax, input_ax, output_ax = fig.axes
    assert len(_rects(kernel_ax)) == 9
    assert len(_rects(input_ax)) == 36 + 2  # the cells and two window outlines
    assert len(_rects(output_ax)) == 16
    labels = [t.get_text() for t in input_ax.texts]
    assert labels.count("w1") == 2 and labels.count("w9") == 2


def test_shuffle_grid_moves_the_window_pixels_where_the_permutation_says():
    perm = np.arange(16)[::-1]
    fig = diagrams.shuffle_grid(size=4, permutation=perm, window=(0, 0), kernel=2)
    before, after = fig.axes
    assert [t.get_text() for t in after.texts] == [str(i) for i in perm]
    assert [t.get_text() for t in before.texts] == [str(i) for i in range(16)]


def test_shuffled_images_has_two_rows():
    images = np.random.default_rng(0).random((3, 5, 5, 1))
    perm = np.random.default_rng(1).permutation(25)
    fig = diagrams.shuffled_images(images, perm, labels=[1, 2, 3])
    assert len(fig.axes) == 6
    shown = fig.axes[1].images[0].get_array()  # axes are row-major: [0][1] is image 1
    np.testing.assert_array_equal(np.asarray(shown), images[1, ..., 0])
    bottom = np.asarray(fig.axes[3].images[0].get_array())
    np.testing.assert_array_equal(bottom.ravel(), images[0, ..., 0].ravel()[perm])


def test_pipeline_draws_one_box_per_stage():
    fig = diagrams.pipeline([("conv", "(26, 26, 8)", "finds edges"),
                             ("pool", "(13, 13, 8)", "shrinks"), ("dense", "(10,)", "votes")])
    (ax,) = fig.axes
    texts = [t.get_text() for t in ax.texts]
    assert len(ax.patches) == 3 + 2  # boxes and arrows
    assert "conv" in texts and "(13, 13, 8)" in texts


def test_pipeline_wraps_into_rows_with_continuation_arrows():
    stages = [(f"s{i}", "()", "role") for i in range(7)]
    (ax,) = diagrams.pipeline(stages, ncols=4).axes
    boxes = [p for p in ax.patches if type(p).__name__ == "FancyBboxPatch"]
    arrows = [p for p in ax.patches if type(p).__name__ == "FancyArrowPatch"]
    assert len(boxes) == 7
    assert len(arrows) == 6 + 1  # one per link, and the row break gets two
    assert len({round(b.get_y(), 3) for b in boxes}) == 2


def test_padding_modes_shows_zero_and_edge_values():
    x = np.arange(1, 10).reshape(3, 3)
    fig = diagrams.padding_modes(x, pad=1)
    original, zero, edge = fig.axes
    assert len(_rects(original)) == 9 + 1
    assert len(_rects(zero)) == 25 + 1
    assert [t.get_text() for t in zero.texts][:5] == ["0"] * 5
    assert [t.get_text() for t in edge.texts][:5] == ["1", "1", "2", "3", "3"]


@pytest.mark.parametrize("stride, padding, out", [(1, "valid", 3), (1, 1, 5), (2, 1, 3),
                                                  (2, "same", 3), (2, 0, 2)])
def test_window_positions_output_grid_matches_the_formula(stride, padding, out):
    fig = diagrams.window_positions(5, 3, [(stride, padding)])
    top, bottom = fig.axes
    assert len(_rects(bottom)) == out * out
    assert len(top.lines) == out * out  # one dot per window position
    assert f"output {out}×{out}" == bottom.get_title()


def test_window_positions_hatches_what_valid_drops_and_pads_same_unevenly():
    fig = diagrams.window_positions(6, 3, [(2, "valid"), (2, "same")])
    valid_top, same_top = fig.axes[0], fig.axes[1]
    hatched = [p for p in _rects(valid_top) if p.get_hatch()]
    assert len(hatched) == 36 - 25  # the last row and column are never reached
    assert "0 top/left, 1 bottom/right" in same_top.get_title()
    assert len(fig.axes) == 4


def test_compare_bars_one_bar_per_model_and_group():
    fig = diagrams.compare_bars(["original", "shuffled"],
                                {"dense": [0.93, 0.92], "CNN": [0.95, 0.88]})
    (ax,) = fig.axes
    assert len(ax.patches) == 4
    assert {t.get_text() for t in ax.texts} == {"0.930", "0.920", "0.950", "0.880"}


def test_compare_lines_one_line_per_model():
    fig = diagrams.compare_lines([0, 1, 2], {"a": [1, 0.9, 0.8], "b": [1, 1, 0.9]}, "shift")
    (ax,) = fig.axes
    assert len(ax.lines) == 2 and ax.get_xlabel() == "shift"


@pytest.mark.parametrize("call, match", [
    (lambda: diagrams.compare_bars(["a"], {}), "non-empty dict"),
    (lambda: diagrams.compare_bars(["a"], {"x": [1], "y": [1, 2]}), "same number"),
    (lambda: diagrams.compare_bars(["a", "b"], {"x": [1]}), "2 groups for 1"),
    (lambda: diagrams.compare_lines([0, 1], {"x": [1]}, "s"), "2 x values for 1"),
    (lambda: diagrams.receptive_fields(size=3, kernel=5), "kernel 5 is larger"),
    (lambda: diagrams.receptive_fields(position=(5, 5)), "runs off the grid"),
    (lambda: diagrams.receptive_fields(size=2.5), "size must be a whole number"),
    (lambda: diagrams.weight_sharing(positions=[]), "at least one"),
    (lambda: diagrams.weight_sharing(positions=[(0,)]), r"\(row, col\) pair"),
    (lambda: diagrams.shuffle_grid(size=3, permutation=[0, 1, 2]), "permutation of 0..8"),
    (lambda: diagrams.shuffle_grid(size=3, permutation=[0] * 9), "permutation of 0..8"),
    (lambda: diagrams.shuffled_images(np.zeros((2, 4, 4)), np.arange(15)), "0..15"),
    (lambda: diagrams.shuffled_images(np.zeros((4, 4)), np.arange(16)), "images must be"),
    (lambda: diagrams.shuffled_images(np.zeros((2, 4, 4)), np.arange(16), labels=[1]),
     "1 labels for 2 images"),
    (lambda: diagrams.pipeline([]), "at least one"),
    (lambda: diagrams.pipeline([("conv", "(1,)")]), r"stages\[0\]"),
    (lambda: diagrams.pipeline([("a", "b", "c")], ncols=0), "ncols must be at least 1"),
    (lambda: diagrams.padding_modes(np.zeros(3)), "x must be a non-empty 2-D grid"),
    (lambda: diagrams.padding_modes(np.zeros((2, 2)), pad=-1), "pad must be at least 0"),
    (lambda: diagrams.padding_modes(np.zeros((2, 2)), modes=("reflect",)), "'reflect' unknown"),
    (lambda: diagrams.window_positions(5, 3, []), "at least one"),
    (lambda: diagrams.window_positions(5, 3, [(0, 1)]), r"settings\[0\] stride"),
    (lambda: diagrams.window_positions(5, 3, [(1, "full")]), "'valid', 'same'"),
    (lambda: diagrams.window_positions(3, 5, [(1, 0)]), "kernel 5 is larger"),
    (lambda: diagrams.window_positions(5, 3, [(1, 0)], titles=["a", "b"]), "2 titles"),
    (lambda: diagrams.window_positions(5, 3, [1]), r"settings\[0\] must be"),
])
def test_bad_input_raises_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
