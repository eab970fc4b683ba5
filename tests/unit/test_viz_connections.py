"""cnnlib.viz.connections: each drawing has the panels, cells and links it promises, and
refuses bad input with a ValueError that names the function and the argument."""

import numpy as np
import pytest
from matplotlib.patches import Rectangle

from cnnlib import viz


def _rects(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_dense_vs_conv_links_every_pixel_or_one_window():
    fig = viz.dense_vs_conv(size=6, kernel=3, position=(1, 2))
    dense, conv = fig.axes
    assert len(fig.axes) == 2
    assert len(dense.lines) == 36 and len(conv.lines) == 9
    assert "36 weights" in dense.get_title() and "9 weights" in conv.get_title()


def test_weight_sharing_paints_the_same_weights_at_each_position():
    fig = viz.weight_sharing(size=6, kernel=3, positions=[(0, 0), (2, 3)])
    kernel_ax, input_ax, output_ax = fig.axes
    assert len(_rects(kernel_ax)) == 9
    assert len(_rects(input_ax)) == 36 + 2  # the cells and two window outlines
    assert len(_rects(output_ax)) == 16
    labels = [t.get_text() for t in input_ax.texts]
    assert labels.count("w1") == 2 and labels.count("w9") == 2


def test_shuffle_grid_moves_the_window_pixels_where_the_permutation_says():
    perm = np.arange(16)[::-1]
    fig = viz.shuffle_grid(size=4, permutation=perm, window=(0, 0), kernel=2)
    before, after = fig.axes
    assert [t.get_text() for t in after.texts] == [str(i) for i in perm]
    assert [t.get_text() for t in before.texts] == [str(i) for i in range(16)]


@pytest.mark.parametrize("call, match", [
    (lambda: viz.dense_vs_conv(size=3, kernel=5), "dense_vs_conv: kernel 5 is larger"),
    (lambda: viz.dense_vs_conv(position=(5, 5)), "runs off the grid"),
    (lambda: viz.dense_vs_conv(size=2.5), "dense_vs_conv: size must be a whole number"),
    (lambda: viz.weight_sharing(positions=[]), "at least one"),
    (lambda: viz.weight_sharing(positions=[(0,)]), r"positions\[0\] must be a \(row, col\) pair"),
    (lambda: viz.shuffle_grid(size=3, permutation=[0, 1, 2]), "permutation of 0..8"),
    (lambda: viz.shuffle_grid(size=3, permutation=[0] * 9), "permutation of 0..8"),
])
def test_bad_input_raises_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
