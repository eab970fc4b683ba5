"""cnnlib.viz: every figure function draws, labels what it should, and rejects bad input."""

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnnlib import ops, params, sizes, viz  # noqa: E402
from cnnlib.params import Conv, Dense, Dropout, Flatten, Pool  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _titles(fig):
    return [ax.get_title() for ax in fig.axes]


# ------------------------------------------------------------------ existing figures


def test_show_images_labels_by_class_name_and_marks_wrong_predictions():
    fig = viz.show_images(np.zeros((3, 8, 8)), labels=[0, 1, 2], predictions=[0, 2, 2],
                          class_names=["a", "b", "c"], ncols=3)
    assert _titles(fig) == ["a → a", "b → c", "c → c"]
    assert fig.axes[1].title.get_color() == "tab:red"
    with pytest.raises(ValueError, match="2 labels for 3 images"):
        viz.show_images(np.zeros((3, 8, 8)), labels=[0, 1])


def test_show_feature_maps_one_panel_per_channel():
    fig = viz.show_feature_maps(np.zeros((1, 6, 6, 5)), ncols=5)
    assert _titles(fig) == [f"map {k}" for k in range(5)]
    with pytest.raises(ValueError, match=r"\(H, W, C\)"):
        viz.show_feature_maps(np.zeros((6, 6)))


def test_show_kernels_checks_layout_and_channel():
    assert len(viz.show_kernels(np.ones((3, 3, 2, 4)), channel=1).axes) == 4
    with pytest.raises(ValueError, match="channel must be in 0..1"):
        viz.show_kernels(np.ones((3, 3, 2, 4)), channel=2)


def test_plot_history_and_probabilities():
    fig = viz.plot_history({"loss": [1, 0.5], "val_loss": [1.1, 0.7]})
    assert _titles(fig) == ["loss"]
    fig = viz.plot_probabilities(np.full(3, 1 / 3), ["x", "y", "z"], true_label=1)
    assert "x" in fig.axes[0].get_title()
    with pytest.raises(ValueError, match="2 class names for 3 probabilities"):
        viz.plot_probabilities(np.full(3, 1 / 3), ["x", "y"])


# ------------------------------------------------------------------ pooling


def test_show_pooling_draws_input_and_each_output():
    x = np.arange(16, dtype=np.float32).reshape(4, 4)
    pooled = {"max": ops.max_pool2d(x[None, :, :, None])[0, :, :, 0],
              "average": ops.avg_pool2d(x[None, :, :, None])[0, :, :, 0]}
    fig = viz.show_pooling(x, pooled)
    assert len(fig.axes) == 3
    assert fig.axes[1].get_title() == "max\n2×2"
    # the input's four windows are outlined (two patches each) on top of show_grid's own
    assert len(fig.axes[0].patches) == 8


def test_show_pooling_rejects_a_wrong_output_shape():
    x = np.zeros((5, 5))
    with pytest.raises(ValueError, match=r"should have shape \(2, 2\)"):
        viz.show_pooling(x, {"max": np.zeros((3, 3))})
    with pytest.raises(ValueError, match="one \\(H, W\\) array"):
        viz.show_pooling(np.zeros((1, 4, 4, 1)), {"max": np.zeros((2, 2))})


# ------------------------------------------------------------------ receptive fields


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


# ------------------------------------------------------------------ bars, params, shapes


def test_plot_bars_writes_each_value_and_checks_lengths():
    fig = viz.plot_bars([1, 2_038_272], ["a", "b"], fmt="{:,.0f}")
    assert [t.get_text() for t in fig.axes[0].texts] == ["1", "2,038,272"]
    fig = viz.plot_bars([0, 10, 1000], ["a", "b", "c"], log=True, horizontal=True)
    assert fig.axes[0].get_xscale() == "log"
    with pytest.raises(ValueError, match="2 labels for 3 values"):
        viz.plot_bars([1, 2, 3], ["a", "b"])


def test_plot_params_labels_every_layer_with_its_count():
    s = params.summary([Conv(32, 3, padding="same"), Pool(2), Conv(64, 3, padding="same"),
                        Pool(2), Flatten(), Dense(100), Dropout(0.4), Dense(10)], (28, 28, 1))
    fig = viz.plot_params(s)
    texts = [t.get_text().strip() for t in fig.axes[0].texts]
    assert texts[5] == "313,700  (94%)" and texts[1] == "0" and texts[0] == "320  (<1%)"
    assert "333,526" in fig.axes[0].get_title()
    with pytest.raises(ValueError, match="Summary"):
        viz.plot_params([1, 2])


def test_show_shapes_labels_input_and_each_output():
    s = params.summary([Conv(30, 5), Pool(2), Flatten(), Dense(100)], (28, 28, 1))
    fig = viz.show_shapes(s)
    texts = [t.get_text() for t in fig.axes[0].texts]
    for label in ("28×28×1", "24×24×30\n780 params", "12×12×30\n0 params",
                  "4320\n0 params", "100\n432,100 params"):
        assert label in texts
    with pytest.raises(ValueError, match="at least one row"):
        viz.show_shapes([])


def test_one_image_with_a_channel_axis_is_one_image():
    import matplotlib.pyplot as plt

    from cnnlib import viz

    fig = viz.show_images(np.zeros((28, 28, 1)), labels=[3])
    assert len([ax for ax in fig.axes if ax.images]) == 1
    plt.close(fig)
    fig = viz.show_images(np.zeros((5, 28, 28)))
    assert len([ax for ax in fig.axes if ax.images]) == 5
    plt.close(fig)
