"""Parameter counts and multiply-adds, and a model summary that shows each row's formula.

The rules the book teaches:

* a convolution has ``FH·FW·C_in·C_out`` weights plus ``C_out`` biases (one per
  kernel); the input's height and width never enter the count — but they do enter its
  cost: ``OH·OW·FH·FW·C_in·C_out`` multiply-adds (MACs) per image;
* a dense layer has ``inputs·units`` weights plus ``units`` biases, and as many MACs as
  weights;
* pooling, flatten and dropout layers have no parameters (and no multiply-adds);
* every layer's output is ``activations`` values per example (the product of its output
  shape): the memory a forward pass keeps for the backward pass is their sum times the
  batch size times 4 bytes in float32 (:meth:`Summary.activation_memory`).

:func:`summary` applies them to a Keras model or to a list of :mod:`cnnlib.layers`
(which describe themselves: ``compute_output_shape``, ``count_params``,
``params_formula``, ``macs``), gives the same table for both, and agrees with Keras's
``model.count_params()``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .validate import ArgumentError, named, pair, whole

__all__ = [
    "conv2d_params",
    "dense_params",
    "conv2d_formula",
    "dense_formula",
    "batch_norm_params",
    "batch_norm_formula",
    "keras_names",
    "Row",
    "Summary",
    "summary",
    "against_keras",
    "unique_names",
]


@named
def conv2d_params(kernel_size, in_channels: int, filters: int, use_bias: bool = True) -> int:
    """Trainable parameters of a 2-D convolution.

    kernel_size: an int or an (h, w) pair; in_channels: depth of the input;
    filters: number of kernels (= output channels).

    >>> conv2d_params(3, 1, 32)
    320
    >>> conv2d_params((3, 3), 32, 64)
    18496
    """
    fh, fw = pair(kernel_size, "kernel_size")
    c_in = whole(in_channels, "in_channels")
    c_out = whole(filters, "filters")
    return fh * fw * c_in * c_out + (c_out if use_bias else 0)


@named
def dense_params(in_features: int, units: int, use_bias: bool = True) -> int:
    """Trainable parameters of a dense (fully connected) layer.

    >>> dense_params(9216, 128)
    1179776
    """
    n_in = whole(in_features, "in_features")
    n_out = whole(units, "units")
    return n_in * n_out + (n_out if use_bias else 0)


def _fmt(n: int) -> str:
    return f"{n:,}"


def conv2d_formula(kernel_size, in_channels: int, filters: int, use_bias: bool = True) -> str:
    """``'3·3·32·64 + 64 = 18,496'``: the count of :func:`conv2d_params`, written out."""
    fh, fw = pair(kernel_size, "kernel_size")
    total = conv2d_params((fh, fw), in_channels, filters, use_bias)
    bias = f" + {_fmt(filters)}" if use_bias else ""
    return f"{fh}·{fw}·{_fmt(in_channels)}·{_fmt(filters)}{bias} = {_fmt(total)}"


def dense_formula(in_features: int, units: int, use_bias: bool = True) -> str:
    """``'160·100 + 100 = 16,100'``: the count of :func:`dense_params`, written out."""
    total = dense_params(in_features, units, use_bias)
    bias = f" + {_fmt(units)}" if use_bias else ""
    return f"{_fmt(in_features)}·{_fmt(units)}{bias} = {_fmt(total)}"


@named
def batch_norm_params(channels: int, center: bool = True, scale: bool = True) -> int:
    """Weights of a batch normalization, as Keras counts them: per channel a moving mean
    and variance (not trained), plus γ (``scale``) and β (``center``), which are.

    >>> batch_norm_params(64)
    256
    """
    return (2 + bool(center) + bool(scale)) * whole(channels, "channels")


def batch_norm_formula(channels: int, center: bool = True, scale: bool = True) -> str:
    """``'4·64 = 256 (γ, β trainable; mean, variance not)'``."""
    k, total = 2 + bool(center) + bool(scale), batch_norm_params(channels, center, scale)
    trained = [g for g, on in (("γ", scale), ("β", center)) if on]
    why = (f"{', '.join(trained)} trainable; mean, variance not" if trained
           else "mean, variance, not trainable")
    return f"{k}·{_fmt(channels)} = {_fmt(total)} ({why})"


@dataclass(frozen=True)
class Row:
    """One row of a :class:`Summary`: ``name`` is ``'conv2d (Conv2D)'``; ``activations``
    is the number of values the layer outputs for one example (the product of
    ``output_shape``)."""

    name: str
    output_shape: tuple
    params: int
    formula: str
    macs: int = 0
    activations: int = 0


class Summary:
    """A table of layers: name, output shape, parameters, the formula behind them, MACs
    and activations.

    Displays as a table in a notebook; ``str()`` gives the plain-text version.
    ``total`` equals Keras's ``model.count_params()``; ``total_macs`` is the multiply-adds
    of one image's forward pass; ``total_activations`` the values all layers output for
    one image. Two summaries are equal when their rows are.
    """

    def __init__(self, rows: list[Row], input_shape: tuple | None = None):
        self.rows = list(rows)
        self.input_shape = input_shape

    @property
    def total(self) -> int:
        return sum(r.params for r in self.rows)

    @property
    def total_macs(self) -> int:
        return sum(r.macs for r in self.rows)

    @property
    def total_activations(self) -> int:
        return sum(r.activations for r in self.rows)

    @named
    def activation_memory(self, batch_size: int = 1, bytes_per_value: int = 4) -> int:
        """Bytes that every layer's output takes for a batch: ``total_activations ·
        batch_size · bytes_per_value`` (4 for float32, 2 for float16). Training keeps them
        all for the backward pass; inference needs only two layers' worth at a time.

        >>> from cnnlib.layers import Conv2D
        >>> summary([Conv2D(32, 3)], (28, 28, 1)).activation_memory(batch_size=100)
        8652800
        """
        return (self.total_activations * whole(batch_size, "batch_size")
                * whole(bytes_per_value, "bytes_per_value"))

    def __eq__(self, other):
        return isinstance(other, Summary) and self.rows == other.rows

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]

    def __str__(self) -> str:
        header = ("layer", "output shape", "params", "formula", "MACs", "activations")
        body = [(r.name, str(r.output_shape), _fmt(r.params), r.formula, _fmt(r.macs),
                 _fmt(r.activations)) for r in self.rows]
        body.append(("total", "", _fmt(self.total), "", _fmt(self.total_macs),
                     _fmt(self.total_activations)))
        widths = [max(len(row[i]) for row in [header, *body]) for i in range(6)]
        lines = []
        for j, row in enumerate([header, *body]):
            cells = [
                row[0].ljust(widths[0]),
                row[1].ljust(widths[1]),
                row[2].rjust(widths[2]),
                row[3].ljust(widths[3]),
                row[4].rjust(widths[4]),
                row[5].rjust(widths[5]),
            ]
            lines.append("  ".join(cells).rstrip())
            if j == 0 or j == len(body) - 1:
                lines.append("-" * len(lines[0]))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        import html

        cells = "".join(
            f"<tr><td>{html.escape(r.name)}</td><td>{html.escape(str(r.output_shape))}</td>"
            f"<td style='text-align:right'>{_fmt(r.params)}</td>"
            f"<td><code>{html.escape(r.formula)}</code></td>"
            f"<td style='text-align:right'>{_fmt(r.macs)}</td>"
            f"<td style='text-align:right'>{_fmt(r.activations)}</td></tr>"
            for r in self.rows
        )
        right = "<th style='text-align:right'>"
        return (
            "<table><thead><tr><th>layer</th><th>output shape</th><th>params</th>"
            f"<th>formula</th><th>MACs</th><th>activations</th></tr></thead><tbody>{cells}"
            f"<tr><th>total</th><td></td>{right}{_fmt(self.total)}</th>"
            f"<td></td>{right}{_fmt(self.total_macs)}</th>"
            f"{right}{_fmt(self.total_activations)}</th></tr>"
            "</tbody></table>"
        )


@named
def summary(model_or_layers, input_shape=None) -> Summary:
    """Summarise a Keras model, or a list of cnnlib layers on ``input_shape`` (H, W, C).

    >>> from cnnlib.layers import Conv2D, Dense, Flatten, MaxPooling2D
    >>> s = summary([Conv2D(32, 3), Conv2D(64, 3), MaxPooling2D(2), Flatten(), Dense(128)],
    ...             (28, 28, 1))
    >>> s.total
    1198592
    """
    if isinstance(model_or_layers, (list, tuple)):
        if input_shape is None:
            raise ArgumentError("input_shape (H, W, C) is needed with a list of cnnlib layers")
        return _summary_of_layers(model_or_layers, input_shape)
    if hasattr(model_or_layers, "layers") and hasattr(model_or_layers, "count_params"):
        return _summary_of_keras(model_or_layers)
    raise ArgumentError(
        "expected a Keras model or a list of cnnlib layers (cnnlib.layers.Conv2D, "
        f"MaxPooling2D, Flatten, Dense, ...), got {type(model_or_layers).__name__}")


def unique_names(layers) -> list[str]:
    """The layers' names made unique as Keras does: conv2d, conv2d_1, conv2d_2."""
    seen, names = {}, []
    for layer in layers:
        count = seen.get(layer.name, 0)
        seen[layer.name] = count + 1
        names.append(f"{layer.name}_{count}" if count else layer.name)
    return names


def _summary_of_layers(layers, input_shape) -> Summary:
    if len(input_shape) != 3:
        raise ArgumentError(f"input_shape must be (H, W, C), got {tuple(input_shape)!r}")
    shape = tuple(int(v) for v in input_shape)
    rows = []
    for i, layer in enumerate(layers):
        if not hasattr(layer, "describe"):
            raise ArgumentError(f"layer {i} is {layer!r}, not a cnnlib layer (cnnlib.layers)")
    for layer, name in zip(layers, unique_names(layers)):
        d = layer.describe(shape)
        rows.append(Row(f"{name} ({d['kind']})", d["output_shape"], d["params"],
                        d["formula"], d["macs"], _values(d["output_shape"])))
        shape = d["output_shape"]
    return Summary(rows, tuple(input_shape))


@named
def against_keras(layers, input_shape, name=None):
    """The summary of a list of cnnlib layers and the equal Keras model, built layer for
    layer (``to_keras``). Raises an ``AssertionError`` naming the first row where Keras's
    own shapes or counts differ from cnnlib's. Returns ``(summary, keras_model)``."""
    import keras

    ours = summary(layers, input_shape)
    built = [layer.to_keras(name=n) for layer, n in zip(layers, unique_names(layers))]
    model = keras.Sequential([keras.Input(tuple(input_shape)), *built], name=name)
    theirs = summary(model)
    for mine, keras_row in zip(ours, theirs):
        if mine != keras_row:
            raise AssertionError(f"against_keras: cnnlib's row {mine} differs from Keras's "
                                 f"{keras_row}")
    assert ours.total == model.count_params()
    return ours, model


def _values(shape) -> int:
    """Values of one example's output: the product of its shape (0 when unknown)."""
    if not shape or any(d is None for d in shape):
        return 0
    return math.prod(int(d) for d in shape)


def _keras_output_shape(layer):
    try:
        shape = layer.output.shape
    except Exception:  # a layer never called symbolically
        return ()
    return tuple(None if d is None else int(d) for d in shape)[1:]


def _keras_input_shape(layer):
    try:
        shape = layer.input.shape
    except Exception:
        return ()
    return tuple(None if d is None else int(d) for d in shape)[1:]


def _snake(class_name: str) -> str:
    """Keras's automatic layer name for a class: Conv2D -> conv2d, MaxPooling2D -> max_pooling2d."""
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", class_name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def keras_names(model) -> list[str]:
    """The model's layer names, with Keras's automatic ones numbered within this model.

    Keras numbers automatic names across the whole session (the eighth Conv2D built is
    ``conv2d_7``, whichever model it is in), so a table would depend on what ran before.
    A name the model's author chose is kept; an automatic one (``<class>`` or
    ``<class>_<n>``) becomes ``conv2d``, ``conv2d_1``, ... counted in this model only, as
    :func:`unique_names` names an equal list of cnnlib layers.
    """
    seen, names = {}, []
    for layer in model.layers:
        base = _snake(type(layer).__name__)
        if re.fullmatch(rf"{re.escape(base)}(_\d+)?", layer.name):
            count = seen.get(base, 0)
            seen[base] = count + 1
            names.append(f"{base}_{count}" if count else base)
        else:
            names.append(layer.name)
    return names


def _summary_of_keras(model) -> Summary:
    rows = []
    for layer, name in zip(model.layers, keras_names(model)):
        kind = type(layer).__name__
        n = int(layer.count_params())
        shape = _keras_output_shape(layer)
        kernel = getattr(layer, "kernel", None)
        use_bias = getattr(layer, "use_bias", False) and getattr(layer, "bias", None) is not None
        macs = 0
        if kind == "Conv2D" and kernel is not None:
            fh, fw, c_in, c_out = (int(d) for d in kernel.shape)
            formula = conv2d_formula((fh, fw), c_in, c_out, use_bias)
            macs = math.prod(shape[:2]) * fh * fw * c_in * c_out
        elif kind == "DepthwiseConv2D" and kernel is not None:
            fh, fw, c_in, mult = (int(d) for d in kernel.shape)
            bias = f" + {_fmt(c_in * mult)}" if use_bias else ""
            formula = f"{fh}·{fw}·{_fmt(c_in)}·{mult}{bias} = {_fmt(n)} (one kernel per channel)"
            macs = math.prod(shape[:2]) * fh * fw * c_in * mult
        elif kind == "Dense" and kernel is not None:
            n_in, units = (int(d) for d in kernel.shape)
            formula = dense_formula(n_in, units, use_bias)
            macs = math.prod(shape[:-1] or (1,)) * n_in * units
        elif kind == "Flatten":
            inputs = _keras_input_shape(layer)
            formula = (f"{'·'.join(str(v) for v in inputs)} = {_fmt(math.prod(inputs))} "
                       "values, 0 params")
        elif kind in ("MaxPooling2D", "AveragePooling2D"):
            formula = "0 (nothing to learn)"
        elif kind == "BatchNormalization":
            center, scale = bool(layer.center), bool(layer.scale)
            formula = batch_norm_formula(n // (2 + center + scale), center, scale)
        elif n == 0:
            formula = "0"
        else:
            formula = f"{_fmt(n)}"
        rows.append(Row(f"{name} ({kind})", shape, n, formula, macs, _values(shape)))
    return Summary(rows)
