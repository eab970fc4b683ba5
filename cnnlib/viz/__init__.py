"""Figures for the book, one module per kind of picture; call them as ``viz.<function>``.

* :mod:`cnnlib.viz.images`      — images, feature maps, kernels, shuffled images;
* :mod:`cnnlib.viz.schematics`  — sliding windows, padding, strides, pooling, receptive
  fields, a network's pipeline and shapes;
* :mod:`cnnlib.viz.connections` — what one unit is wired to: dense vs conv, weight
  sharing, a pixel shuffle;
* :mod:`cnnlib.viz.volumes`     — how a convolution computes: im2col as one matrix
  product, a multi-channel convolution in depth, the 1×1 convolution, a batch's shapes;
* :mod:`cnnlib.viz.training`    — learning curves, comparisons of models, bar charts of
  results and of parameter counts;
* :mod:`cnnlib.viz.diagnostics` — probabilities, confusion matrices, confused examples,
  activations, saliency and occlusion overlays;
* :mod:`cnnlib.viz.style`       — colours and layout every figure shares, and the Hangul
  font (:func:`class_labels`, :func:`hangul_font`).

Every function draws one figure and returns it; in a notebook end the line with ``;``
so that the figure is shown once. The numbers drawn by ``diagnostics`` are computed in
:mod:`cnnlib.metrics` and :mod:`cnnlib.explain`, which import no matplotlib.
"""

from .connections import dense_vs_conv, shuffle_grid, weight_sharing
from .diagnostics import (
    plot_confusion_matrix,
    plot_probabilities,
    show_activations,
    show_confused_examples,
    show_occlusion,
    show_saliency,
)
from .images import show_feature_maps, show_images, show_kernels, shuffled_images
from .schematics import (
    padding_modes,
    pipeline,
    show_grid,
    show_pooling,
    show_receptive_fields,
    show_shapes,
    show_sliding_window,
    window_positions,
)
from .style import class_labels, hangul_font
from .training import (
    compare_bars,
    compare_lines,
    plot_ablation,
    plot_bars,
    plot_history,
    plot_params,
)
from .volumes import show_batched_conv, show_conv_volume, show_im2col, show_pointwise_conv

__all__ = [
    # images
    "show_images", "show_feature_maps", "show_kernels", "shuffled_images",
    # schematics
    "show_grid", "show_sliding_window", "padding_modes", "window_positions", "show_pooling",
    "show_receptive_fields", "pipeline", "show_shapes",
    # connections
    "dense_vs_conv", "weight_sharing", "shuffle_grid",
    # volumes
    "show_im2col", "show_conv_volume", "show_pointwise_conv", "show_batched_conv",
    # training
    "plot_history", "compare_bars", "compare_lines", "plot_bars", "plot_params", "plot_ablation",
    # diagnostics
    "plot_probabilities", "plot_confusion_matrix", "show_confused_examples",
    "show_activations", "show_saliency", "show_occlusion",
    # style
    "class_labels", "hangul_font",
]
