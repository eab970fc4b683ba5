"""Charts of numbers a chapter measured: learning curves, comparisons, labelled bars.

* :func:`plot_history`  — training and validation curves, one panel per metric;
* :func:`compare_bars`  — grouped bars, one per model and condition, values written on;
* :func:`compare_lines` — one line per model over the same x values;
* :func:`plot_bars`     — a labelled bar chart with each bar's value written on it;
* :func:`plot_params`   — a model's parameters per layer (log scale), from a ``params.Summary``;
* :func:`plot_ablation` — what taking out each ingredient of a recipe changed, in points.

Every function draws one figure and returns it (end the line with ``;`` in a notebook).
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import StrMethodFormatter

from ..validate import ArgumentError, named
from .style import finish, subplots

__all__ = ["plot_history", "compare_bars", "compare_lines", "plot_bars", "plot_params",
           "plot_ablation"]


@named
def plot_history(history, metrics=("loss", "accuracy"), title: str | None = None):
    """Learning curves: training and validation, one panel per metric.

    history: a Keras ``History`` or its ``.history`` dict (as cnnlib's training
    loop returns), with keys like ``loss`` and ``val_loss``.
    """
    hist = history.history if hasattr(history, "history") else history
    if not isinstance(hist, dict):
        raise ArgumentError(
            f"expected a Keras History or a dict of lists, got {type(history).__name__}")
    metrics = [m for m in metrics if m in hist]
    if not metrics:
        raise ArgumentError(f"none of the metrics found; keys are {sorted(hist)}")
    fig, axes = subplots(1, len(metrics), figsize=(4.8 * len(metrics), 3.4), squeeze=False)
    for ax, m in zip(axes[0], metrics):
        epochs = np.arange(1, len(hist[m]) + 1)
        ax.plot(epochs, hist[m], "o-", label="training")
        if f"val_{m}" in hist:
            ax.plot(epochs, hist[f"val_{m}"], "s--", label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(m)
        ax.set_title(m)
        if len(epochs) < 25:
            ax.set_xticks(epochs)
        ax.grid(alpha=0.3)
        ax.legend()
    return finish(fig, title)


def _series(series) -> int:
    if not isinstance(series, dict) or not series:
        raise ArgumentError(f"series must be a non-empty dict {{name: values}}, "
                            f"got {type(series).__name__}")
    lengths = {len(v) for v in series.values()}
    if len(lengths) != 1:
        raise ArgumentError("every series needs the same number of values, got "
                            + ", ".join(f"{k}: {len(v)}" for k, v in series.items()))
    return lengths.pop()


@named
def compare_bars(groups, series, ylabel: str = "test accuracy", title: str | None = None,
                 ylim=(0, 1), fmt: str | None = "{:.3f}", log: bool = False,
                 xlabel: str | None = None):
    """Grouped bars: one group per entry of ``groups``, one bar per series, values written on.

    series: ``{name: [value per group]}``, e.g.
    ``{"dense": [0.93, 0.92], "CNN": [0.95, 0.88]}`` with ``groups=["original", "shuffled"]``.
    fmt: how each value is written on its bar (``None``: not written); log: a log scale
    (``ylim`` is then ignored), for counts that differ by orders of magnitude. One axis.
    """
    n = _series(series)
    if len(groups) != n:
        raise ArgumentError(f"{len(groups)} groups for {n} values per series")
    # at most the text width, so that many groups make narrower bars, not a flatter figure
    fig, ax = subplots(figsize=(min(7.5, 1.6 + 0.75 * n * len(series)), 3.4))
    width = 0.8 / len(series)
    for k, (name, values) in enumerate(series.items()):
        xs = np.arange(n) + (k - (len(series) - 1) / 2) * width
        shown = [v if v > 0 else np.nan for v in values] if log else values
        bars = ax.bar(xs, shown, width * 0.95, label=name)
        for bar, v in zip(bars, values):
            if fmt is not None:
                ax.text(bar.get_x() + bar.get_width() / 2, v, fmt.format(v), ha="center",
                        va="bottom", fontsize=8)
    ax.set_xticks(np.arange(n), [str(g) for g in groups])
    ax.set_ylabel(ylabel)
    if xlabel:
        ax.set_xlabel(xlabel)
    if log:
        ax.set_yscale("log")
        bottom, top = ax.get_ylim()
        ax.set_ylim(bottom, top * (top / bottom) ** 0.3)  # headroom for the legend
        ax.legend(loc="upper center", ncols=len(series), fontsize=8)
    else:
        if ylim is not None:
            ax.set_ylim(*ylim)
        ax.legend(loc="lower left", fontsize=8)
    ax.set_title(title or ylabel, fontsize=10)
    return finish(fig)


@named
def compare_lines(x, series, xlabel: str, ylabel: str = "test accuracy",
                  title: str | None = None, ylim=(0, 1)):
    """One line per series over the same ``x`` values. series: ``{name: [value per x]}``."""
    n = _series(series)
    if len(x) != n:
        raise ArgumentError(f"{len(x)} x values for {n} values per series")
    fig, ax = subplots(figsize=(5, 3.4))
    for (name, values), marker in zip(series.items(), "osD^v<>"):
        ax.plot(x, values, marker=marker, label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_xticks(list(x))
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(title or ylabel, fontsize=10)
    return finish(fig)


@named
def plot_bars(values, labels, title: str | None = None, ylabel: str = "",
              fmt: str = "{:,.3g}", log: bool = False, horizontal: bool = False,
              colors=None):
    """A labelled bar chart with each bar's value written on it.

    values: numbers, one per bar; labels: one name per bar. log: a log scale
    (for counts that differ by orders of magnitude).
    """
    values = np.asarray(values, dtype=float).ravel()
    if len(labels) != len(values):
        raise ArgumentError(f"{len(labels)} labels for {len(values)} values")
    n = len(values)
    colors = colors or ["tab:blue"] * n
    shown = np.where(values > 0, values, np.nan) if log else values
    floor = 1.0 if log else 0.0  # where the label of an empty (zero) bar goes
    top = float(values.max()) if n and values.max() > floor else floor + 1.0
    if horizontal:
        fig, ax = subplots(figsize=(7.5, 0.45 * n + 1.2))
        ax.barh(np.arange(n), shown, color=colors)
        ax.set_yticks(np.arange(n), labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel(ylabel)
        if log:
            ax.set_xscale("log")
            ax.set_xlim(floor, top * 40)
        for i, v in enumerate(values):
            ax.text(v if v > 0 else floor, i, " " + fmt.format(v), va="center", fontsize=8)
        ax.margins(x=0.25)
    else:
        fig, ax = subplots(figsize=(max(4.0, 1.0 * n + 1.5), 3.6))
        ax.bar(np.arange(n), shown, color=colors)
        ax.set_xticks(np.arange(n), labels, fontsize=8)
        ax.set_ylabel(ylabel)
        if log:
            ax.set_yscale("log")
            ax.set_ylim(floor, top * 5)
        for i, v in enumerate(values):
            ax.text(i, v if v > 0 else floor, fmt.format(v), ha="center", va="bottom", fontsize=8)
        ax.margins(y=0.15)
    if not log and top >= 1000:  # 2,038,272 rather than an offset "1e6" over the axis
        axis = ax.xaxis if horizontal else ax.yaxis
        axis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.grid(alpha=0.3, axis="x" if horizontal else "y")
    if title:
        ax.set_title(title, fontsize=10)
    return finish(fig)


@named
def plot_params(summary, title: str | None = None):
    """Where a model's parameters are: one bar per layer (log scale), from a
    :class:`cnnlib.params.Summary`. Layers without parameters get no bar, just "0";
    a layer holding half the parameters or more is red.
    """
    rows = list(getattr(summary, "rows", summary))
    if not rows or not all(hasattr(r, "params") and hasattr(r, "name") for r in rows):
        raise ArgumentError("expected a cnnlib.params.Summary (or its rows)")
    counts = [r.params for r in rows]
    total = sum(counts)
    labels = [f"{r.name}  {r.output_shape}" for r in rows]
    colors = ["tab:red" if c >= 0.5 * total else "tab:blue" for c in counts]
    fig = plot_bars(counts, labels, horizontal=True, log=True,
                    colors=colors, ylabel="parameters (log scale)", fmt="{:,.0f}",
                    title=title or f"parameters per layer (total {total:,})")
    ax = fig.axes[0]
    for text, c in zip(ax.texts, counts):
        share = "" if not (total and c) else f"  ({c / total:.0%})" if c >= 0.01 * total else "  (<1%)"
        text.set_text(f" {c:,}{share}")
    return fig


@named
def plot_ablation(scores, baseline: str, noise: float | None = None,
                  ylabel: str = "validation accuracy", title: str | None = None):
    """An ablation: one horizontal bar per variant, its score minus the baseline's, in points.

    scores: ``{variant: score}`` (accuracies in [0, 1]) holding ``baseline``, the full
    recipe; every other entry is drawn as ``100 * (score - scores[baseline])``, red where
    taking the ingredient out cost accuracy, green where it helped. noise: the difference
    (in points) that chance alone makes, e.g. between two seeds of the full recipe, drawn
    as a grey band around zero. One axis.
    """
    if not isinstance(scores, dict):
        raise ArgumentError(f"scores should be a dict {{variant: score}}, got {type(scores).__name__}")
    if baseline not in scores:
        raise ArgumentError(f"baseline {baseline!r} is not one of the scores' variants: "
                            f"{', '.join(map(repr, scores))}")
    others = [name for name in scores if name != baseline]
    if not others:
        raise ArgumentError("scores holds only the baseline: add the variants to compare with it")
    if noise is not None and not (np.isfinite(noise) and noise >= 0):
        raise ArgumentError(f"noise should be a number of points >= 0, got {noise!r}")
    deltas = np.array([100 * (float(scores[name]) - float(scores[baseline])) for name in others])
    n = len(others)
    fig, ax = subplots(figsize=(7.0, 0.45 * n + 1.4))  # room for the labels left of the axis
    if noise:
        ax.axvspan(-noise, noise, color="0.85", zorder=0,
                   label=f"±{noise:.2f}: two seeds of the {baseline}")
    ax.barh(np.arange(n), deltas, color=["tab:red" if d < 0 else "tab:green" for d in deltas])
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(np.arange(n), others, fontsize=8)
    ax.invert_yaxis()
    for i, d in enumerate(deltas):
        ax.text(d, i, f" {d:+.2f} ", va="center", ha="left" if d >= 0 else "right", fontsize=8)
    reach = max(float(np.abs(deltas).max()), noise or 0.0, 0.1)
    ax.set_xlim(-1.35 * reach, 1.35 * reach)
    ax.set_xlabel(f"change in {ylabel}, points ({baseline}: {float(scores[baseline]):.4f})")
    ax.grid(alpha=0.3, axis="x")
    if noise:
        ax.legend(loc="lower right", fontsize=8)
    ax.set_title(title or f"taking one ingredient out of the {baseline}", fontsize=10)
    return finish(fig)
