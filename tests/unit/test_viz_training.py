"""cnnlib.viz.training: learning curves, comparisons and bar charts draw what they are
given, write the values on, and reject input that does not line up."""

import pytest

from cnnlib import params, viz


def _summary(make_layers, input_shape):
    """A params.Summary of a Keras model (built from ``keras.layers``), its input shape kept."""
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input(input_shape), *make_layers(keras.layers)])
    return params.Summary(params.summary(model).rows, tuple(input_shape))


def test_plot_history_one_panel_per_metric_found():
    fig = viz.plot_history({"loss": [1, 0.5], "val_loss": [1.1, 0.7]})
    assert [ax.get_title() for ax in fig.axes] == ["loss"]
    assert len(fig.axes[0].lines) == 2
    with pytest.raises(ValueError, match="plot_history: none of the metrics found"):
        viz.plot_history({"mae": [1]})
    with pytest.raises(ValueError, match="expected a Keras History or a dict of lists, got list"):
        viz.plot_history([1, 2])


def test_compare_bars_one_bar_per_model_and_group():
    fig = viz.compare_bars(["original", "shuffled"],
                           {"dense": [0.93, 0.92], "CNN": [0.95, 0.88]})
    (ax,) = fig.axes
    assert len(ax.patches) == 4
    assert {t.get_text() for t in ax.texts} == {"0.930", "0.920", "0.950", "0.880"}


def test_compare_bars_on_a_log_scale_without_values():
    fig = viz.compare_bars(["224²", "vector"], {"A": [1e9, 0], "B": [1e6, 4e3]},
                           ylabel="multiply-adds", log=True, fmt=None, xlabel="map side")
    (ax,) = fig.axes
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "map side"
    assert len(ax.patches) == 4 and not ax.texts


def test_plot_ablation_draws_each_variant_against_the_baseline_in_points():
    scores = {"full": 0.91, "without A": 0.895, "without B": 0.915}
    fig = viz.plot_ablation(scores, "full", noise=0.3)
    (ax,) = fig.axes
    bars = [p for p in ax.patches if p.get_height() < 1]        # the two bars, not the band
    assert sorted(round(b.get_width(), 6) for b in bars) == [-1.5, 0.5]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["without A", "without B"]
    assert {t.get_text().strip() for t in ax.texts} == {"-1.50", "+0.50"}
    assert "0.9100" in ax.get_xlabel() and "points" in ax.get_xlabel()
    assert ax.get_legend() is not None                           # the noise band is explained
    assert viz.plot_ablation(scores, "full").axes[0].get_legend() is None


@pytest.mark.parametrize("call, match", [
    (lambda: viz.plot_ablation([0.9], "full"), "scores should be a dict"),
    (lambda: viz.plot_ablation({"a": 0.9}, "full"), "baseline 'full' is not one of .*'a'"),
    (lambda: viz.plot_ablation({"full": 0.9}, "full"), "only the baseline"),
    (lambda: viz.plot_ablation({"full": 0.9, "b": 0.8}, "full", noise=-1), "noise should be"),
])
def test_plot_ablation_rejects_what_does_not_fit(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_compare_lines_one_line_per_model():
    fig = viz.compare_lines([0, 1, 2], {"a": [1, 0.9, 0.8], "b": [1, 1, 0.9]}, "shift")
    (ax,) = fig.axes
    assert len(ax.lines) == 2 and ax.get_xlabel() == "shift"


@pytest.mark.parametrize("call, match", [
    (lambda: viz.compare_bars(["a"], {}), "non-empty dict"),
    (lambda: viz.compare_bars(["a"], {"x": [1], "y": [1, 2]}), "same number"),
    (lambda: viz.compare_bars(["a", "b"], {"x": [1]}), "compare_bars: 2 groups for 1"),
    (lambda: viz.compare_lines([0, 1], {"x": [1]}, "s"), "compare_lines: 2 x values for 1"),
])
def test_comparisons_reject_series_that_do_not_line_up(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_plot_bars_writes_each_value_and_checks_lengths():
    fig = viz.plot_bars([1, 2_038_272], ["a", "b"], fmt="{:,.0f}")
    assert [t.get_text() for t in fig.axes[0].texts] == ["1", "2,038,272"]
    fig = viz.plot_bars([0, 10, 1000], ["a", "b", "c"], log=True, horizontal=True)
    assert fig.axes[0].get_xscale() == "log"
    with pytest.raises(ValueError, match="2 labels for 3 values"):
        viz.plot_bars([1, 2, 3], ["a", "b"])


def test_plot_params_labels_every_layer_with_its_count():
    s = _summary(lambda L: [L.Conv2D(32, 3, padding="same"), L.MaxPooling2D(2),
                            L.Conv2D(64, 3, padding="same"), L.MaxPooling2D(2), L.Flatten(),
                            L.Dense(100), L.Dropout(0.4), L.Dense(10)], (28, 28, 1))
    fig = viz.plot_params(s)
    texts = [t.get_text().strip() for t in fig.axes[0].texts]
    assert texts[5] == "313,700  (94%)" and texts[1] == "0" and texts[0] == "320  (<1%)"
    assert "333,526" in fig.axes[0].get_title()
    with pytest.raises(ValueError, match="Summary"):
        viz.plot_params([1, 2])
