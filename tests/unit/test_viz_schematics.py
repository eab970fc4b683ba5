"""cnnlib.viz.schematics: windows, padding, pooling, receptive fields, pipelines and shapes
draw the panels and cells they promise, and refuse bad input with a ValueError that names
the argument."""

import numpy as np
import pytest
from matplotlib.patches import Rectangle

from cnnlib import ops, params, sizes, viz


def _rects(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def _summary(make_layers, input_shape):
    """A params.Summary of a Keras model (built from ``keras.layers``), its input shape kept."""
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input(input_shape), *make_layers(keras.layers)])
    return params.Summary(params.summary(model).rows, tuple(input_shape))


# --- sliding windows, padding, strides -----------------------------------------------------


def test_show_sliding_window_writes_the_sum_of_products():
    x = np.arange(16).reshape(4, 4)
    k = np.array([[1, 0], [0, -1]])
    out = ops.conv2d(x[None, :, :, None].astype(float), k[:, :, None, None].astype(float))[0, :, :, 0]
    fig = viz.show_sliding_window(x, k, out, positions=[(0, 0), (1, 2)])
    assert len(fig.axes) == 6
    assert fig.axes[1].get_xlabel() == f"sum of 4 products\n= {out[0, 0]:g}"
    assert fig.axes[5].get_title() == "output[1, 2]"
    with pytest.raises(ValueError, match=r"show_sliding_window: kernel must be 2-D"):
        viz.show_sliding_window(x, k[None], out, positions=[(0, 0)])


def test_show_sliding_window_takes_keras_strides():
    x = np.arange(25).reshape(5, 5)
    k = np.array([[1, 0], [0, -1]])
    out = ops.conv2d(x[None, :, :, None].astype(float), k[:, :, None, None].astype(float),
                     strides=2)[0, :, :, 0]
    fig = viz.show_sliding_window(x, k, out, positions=[(1, 1)], strides=2)
    assert fig.axes[1].get_xlabel() == f"sum of 4 products\n= {out[1, 1]:g}"
    with pytest.raises(ValueError, match="show_sliding_window: strides must be"):
        viz.show_sliding_window(x, k, out, positions=[(0, 0)], strides=0)


def test_padding_modes_shows_zero_and_edge_values():
    x = np.arange(1, 10).reshape(3, 3)
    fig = viz.padding_modes(x, pad=1)
    original, zero, edge = fig.axes
    assert len(_rects(original)) == 9 + 1
    assert len(_rects(zero)) == 25 + 1
    assert [t.get_text() for t in zero.texts][:5] == ["0"] * 5
    assert [t.get_text() for t in edge.texts][:5] == ["1", "1", "2", "3", "3"]


@pytest.mark.parametrize("strides, padding, out", [(1, "valid", 3), (1, 1, 5), (2, 1, 3),
                                                  (2, "same", 3), (2, 0, 2)])
def test_window_positions_output_grid_matches_the_formula(strides, padding, out):
    fig = viz.window_positions(5, 3, [(strides, padding)])
    top, bottom = fig.axes
    assert len(_rects(bottom)) == out * out
    assert len(top.lines) == out * out  # one dot per window position
    assert f"output {out}×{out}" == bottom.get_title()


def test_window_positions_hatches_what_valid_drops_and_pads_same_unevenly():
    fig = viz.window_positions(6, 3, [(2, "valid"), (2, "same")])
    valid_top, same_top = fig.axes[0], fig.axes[1]
    hatched = [p for p in _rects(valid_top) if p.get_hatch()]
    assert len(hatched) == 36 - 25  # the last row and column are never reached
    assert "0 top/left, 1 bottom/right" in same_top.get_title()
    assert len(fig.axes) == 4


# --- pooling -------------------------------------------------------------------------------


def test_show_pooling_draws_input_and_each_output():
    x = np.arange(16, dtype=np.float32).reshape(4, 4)
    pooled = {"max": ops.max_pool2d(x[None, :, :, None])[0, :, :, 0],
              "average": ops.avg_pool2d(x[None, :, :, None])[0, :, :, 0]}
    fig = viz.show_pooling(x, pooled)
    assert len(fig.axes) == 3
    assert fig.axes[1].get_title() == "max\n2×2"
    # the input's four windows are outlined (two patches each) on top of show_grid's own
    assert len(fig.axes[0].patches) == 8
    overlapping = viz.show_pooling(x, {"max": ops.max_pool2d(x[None, :, :, None], 2, strides=1)
                                       [0, :, :, 0]}, pool_size=2, strides=1)
    assert overlapping.axes[1].get_title() == "max\n3×3" and len(overlapping.axes[0].patches) == 18


def test_show_pooling_rejects_a_wrong_output_shape():
    x = np.zeros((5, 5))
    with pytest.raises(ValueError, match=r"should have shape \(2, 2\)"):
        viz.show_pooling(x, {"max": np.zeros((3, 3))})
    with pytest.raises(ValueError, match="one \\(H, W\\) array"):
        viz.show_pooling(np.zeros((1, 4, 4, 1)), {"max": np.zeros((2, 2))})


# --- receptive fields ----------------------------------------------------------------------


def test_show_receptive_fields_outlines_the_computed_field_after_each_layer():
    stacks = {"plain": [(3, 1)] * 3, "pooled": [(3, 1), (2, 2), (3, 1), (2, 2), (3, 1)]}
    fig = viz.show_receptive_fields(stacks, input_size=28)
    for ax, layers in zip(fig.axes, stacks.values()):
        widths = [p.get_width() for p in ax.patches]
        assert widths == [sizes.receptive_field(layers[:k]) for k in range(1, len(layers) + 1)]
    assert "7×7" in fig.axes[0].get_legend().get_texts()[-1].get_text()


def test_show_receptive_fields_clips_to_the_image_and_checks_input():
    fig = viz.show_receptive_fields({"deep": [(3, 1)] * 10}, image=np.zeros((9, 9)))
    assert max(p.get_width() for p in fig.axes[0].patches) == 9
    with pytest.raises(ValueError, match="non-empty dict"):
        viz.show_receptive_fields([(3, 1)])
    with pytest.raises(ValueError, match="kernel_size"):
        viz.show_receptive_fields({"bad": [(0, 1)]})


# --- pipelines and shapes ------------------------------------------------------------------


def test_pipeline_draws_one_box_per_stage():
    fig = viz.pipeline([("conv", "(26, 26, 8)", "finds edges"),
                        ("pool", "(13, 13, 8)", "shrinks"), ("dense", "(10,)", "votes")])
    (ax,) = fig.axes
    texts = [t.get_text() for t in ax.texts]
    assert len(ax.patches) == 3 + 2  # boxes and arrows
    assert "conv" in texts and "(13, 13, 8)" in texts


def test_pipeline_wraps_into_rows_with_continuation_arrows():
    stages = [(f"s{i}", "()", "role") for i in range(7)]
    (ax,) = viz.pipeline(stages, ncols=4).axes
    boxes = [p for p in ax.patches if type(p).__name__ == "FancyBboxPatch"]
    arrows = [p for p in ax.patches if type(p).__name__ == "FancyArrowPatch"]
    assert len(boxes) == 7
    assert len(arrows) == 6 + 1  # one per link, and the row break gets two
    assert len({round(b.get_y(), 3) for b in boxes}) == 2


def test_show_shapes_labels_input_and_each_output():
    s = _summary(lambda L: [L.Conv2D(30, 5), L.MaxPooling2D(2), L.Flatten(), L.Dense(100)],
                 (28, 28, 1))
    fig = viz.show_shapes(s)
    texts = [t.get_text() for t in fig.axes[0].texts]
    for label in ("28×28×1", "24×24×30\n780 params", "12×12×30\n0 params",
                  "4320\n0 params", "100\n432,100 params"):
        assert label in texts
    with pytest.raises(ValueError, match="at least one row"):
        viz.show_shapes([])


@pytest.mark.parametrize("call, match", [
    (lambda: viz.pipeline([]), "at least one"),
    (lambda: viz.pipeline([("conv", "(1,)")]), r"stages\[0\]"),
    (lambda: viz.pipeline([("a", "b", "c")], ncols=0), "ncols must be at least 1"),
    (lambda: viz.padding_modes(np.zeros(3)), "x must be a non-empty 2-D grid"),
    (lambda: viz.padding_modes(np.zeros((2, 2)), pad=-1), "padding_modes: pad must not be negative, got -1"),
    (lambda: viz.padding_modes(np.zeros((2, 2)), modes=("reflect",)), "'reflect' unknown"),
    (lambda: viz.window_positions(5, 3, []), "at least one"),
    (lambda: viz.window_positions(5, 3, [(0, 1)]), r"settings\[0\] strides"),
    (lambda: viz.window_positions(5, 3, [(1, "full")]), "'valid', 'same'"),
    (lambda: viz.window_positions(5, 3, [(1, (1, 2))]), r"settings\[0\] padding is one number"),
    (lambda: viz.window_positions(3, 5, [(1, 0)]), "kernel 5 is larger"),
    (lambda: viz.window_positions(5, 3, [(1, 0)], titles=["a", "b"]), "2 titles"),
    (lambda: viz.window_positions(5, 3, [1]), r"settings\[0\] must be"),
    (lambda: viz.show_grid(None, np.zeros(3)), "show_grid: values must be 2-D"),
])
def test_bad_input_raises_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
