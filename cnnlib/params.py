"""Parameter counts, and a model summary that shows each row's formula.

The rules the book teaches:

* a convolution has ``FH·FW·C_in·C_out`` weights plus ``C_out`` biases (one per
  kernel); the input's height and width never enter the count;
* a dense layer has ``inputs·units`` weights plus ``units`` biases;
* pooling, flatten and dropout layers have no parameters.

:func:`summary` applies them to a Keras model or to a list of layer specs
(:class:`Conv`, :class:`Pool`, :class:`Flatten`, :class:`Dense`,
:class:`Dropout`) and agrees with Keras's ``model.count_params()``.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import sizes

__all__ = [
    "conv2d_params",
    "dense_params",
    "pool_params",
    "flatten_params",
    "Conv",
    "Pool",
    "Flatten",
    "Dense",
    "Dropout",
    "Row",
    "Summary",
    "summary",
]


def _pair(value, name: str, func: str) -> tuple[int, int]:
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{func}: {name} must be an int or an (h, w) pair, got {value!r}")
        pair = tuple(value)
    else:
        pair = (value, value)
    for v in pair:
        _positive(v, name, func)
    return int(pair[0]), int(pair[1])


def _positive(value, name: str, func: str) -> int:
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise ValueError(f"{func}: {name} must be a whole number, got {value!r}")
    if value < 1:
        raise ValueError(f"{func}: {name} must be at least 1, got {value}")
    return int(value)


def conv2d_params(kernel_size, in_channels: int, filters: int, use_bias: bool = True) -> int:
    """Trainable parameters of a 2-D convolution.

    kernel_size: an int or an (h, w) pair; in_channels: depth of the input;
    filters: number of kernels (= output channels).

    >>> conv2d_params(3, 1, 32)
    320
    >>> conv2d_params((3, 3), 32, 64)
    18496
    """
    fh, fw = _pair(kernel_size, "kernel_size", "conv2d_params")
    c_in = _positive(in_channels, "in_channels", "conv2d_params")
    c_out = _positive(filters, "filters", "conv2d_params")
    return fh * fw * c_in * c_out + (c_out if use_bias else 0)


def dense_params(in_features: int, units: int, use_bias: bool = True) -> int:
    """Trainable parameters of a dense (fully connected) layer.

    >>> dense_params(9216, 128)
    1179776
    """
    n_in = _positive(in_features, "in_features", "dense_params")
    n_out = _positive(units, "units", "dense_params")
    return n_in * n_out + (n_out if use_bias else 0)


def pool_params(*_args, **_kwargs) -> int:
    """Pooling layers learn nothing: always 0."""
    return 0


def flatten_params(*_args, **_kwargs) -> int:
    """Flatten only reshapes: always 0."""
    return 0


# ----------------------------------------------------------------------------
# Layer specs: enough to walk shapes and count parameters without Keras.


@dataclass(frozen=True)
class Conv:
    """A Conv2D spec: ``Conv(32, 3)`` or ``Conv(64, (3, 3), stride=1, padding='same')``."""

    filters: int
    kernel_size: int | tuple[int, int]
    stride: int | tuple[int, int] = 1
    padding: int | str = "valid"
    use_bias: bool = True


@dataclass(frozen=True)
class Pool:
    """A pooling spec (max or average: they count and shape alike)."""

    pool_size: int | tuple[int, int] = 2
    stride: int | tuple[int, int] | None = None
    padding: int | str = "valid"


@dataclass(frozen=True)
class Flatten:
    """Flatten (H, W, C) into H·W·C values."""


@dataclass(frozen=True)
class Dense:
    """A dense layer spec: ``Dense(128)``."""

    units: int
    use_bias: bool = True


@dataclass(frozen=True)
class Dropout:
    """Dropout: no parameters, shape unchanged."""

    rate: float = 0.5


@dataclass(frozen=True)
class Row:
    """One row of a :class:`Summary`."""

    name: str
    output_shape: tuple
    params: int
    formula: str


def _fmt(n: int) -> str:
    return f"{n:,}"


def _conv_formula(fh, fw, c_in, c_out, use_bias) -> str:
    total = fh * fw * c_in * c_out + (c_out if use_bias else 0)
    bias = f" + {_fmt(c_out)}" if use_bias else ""
    return f"{fh}·{fw}·{_fmt(c_in)}·{_fmt(c_out)}{bias} = {_fmt(total)}"


def _dense_formula(n_in, units, use_bias) -> str:
    total = n_in * units + (units if use_bias else 0)
    bias = f" + {_fmt(units)}" if use_bias else ""
    return f"{_fmt(n_in)}·{_fmt(units)}{bias} = {_fmt(total)}"


class Summary:
    """A table of layers: name, output shape, parameters and the formula behind them.

    Displays as a table in a notebook; ``str()`` gives the plain-text version.
    ``total`` equals Keras's ``model.count_params()``.
    """

    def __init__(self, rows: list[Row], input_shape: tuple | None = None):
        self.rows = list(rows)
        self.input_shape = input_shape

    @property
    def total(self) -> int:
        return sum(r.params for r in self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]

    def __str__(self) -> str:
        header = ("layer", "output shape", "params", "formula")
        body = [(r.name, str(r.output_shape), _fmt(r.params), r.formula) for r in self.rows]
        body.append(("total", "", _fmt(self.total), ""))
        widths = [max(len(row[i]) for row in [header, *body]) for i in range(4)]
        lines = []
        for j, row in enumerate([header, *body]):
            cells = [
                row[0].ljust(widths[0]),
                row[1].ljust(widths[1]),
                row[2].rjust(widths[2]),
                row[3].ljust(widths[3]),
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
            f"<td><code>{html.escape(r.formula)}</code></td></tr>"
            for r in self.rows
        )
        return (
            "<table><thead><tr><th>layer</th><th>output shape</th><th>params</th>"
            f"<th>formula</th></tr></thead><tbody>{cells}"
            f"<tr><th>total</th><td></td><th style='text-align:right'>{_fmt(self.total)}</th>"
            "<td></td></tr></tbody></table>"
        )


def summary(model_or_specs, input_shape=None) -> Summary:
    """Summarise a Keras model, or a list of layer specs on ``input_shape`` (H, W, C).

    >>> s = summary([Conv(32, 3), Conv(64, 3), Pool(2), Flatten(), Dense(128)], (28, 28, 1))
    >>> s.total
    1199648
    """
    if isinstance(model_or_specs, (list, tuple)):
        if input_shape is None:
            raise ValueError("summary: input_shape (H, W, C) is needed with a list of layer specs")
        return _summary_of_specs(model_or_specs, input_shape)
    if hasattr(model_or_specs, "layers") and hasattr(model_or_specs, "count_params"):
        return _summary_of_keras(model_or_specs)
    raise ValueError(
        "summary: expected a Keras model or a list of layer specs "
        f"(Conv, Pool, Flatten, Dense, Dropout), got {type(model_or_specs).__name__}"
    )


def _summary_of_specs(specs, input_shape) -> Summary:
    if len(input_shape) != 3:
        raise ValueError(f"summary: input_shape must be (H, W, C), got {tuple(input_shape)!r}")
    shape: tuple = tuple(int(v) for v in input_shape)
    rows = []
    for i, spec in enumerate(specs):
        name = f"{i}: {type(spec).__name__.lower()}"
        if isinstance(spec, Conv):
            if len(shape) != 3:
                raise ValueError(f"summary: layer {i} (Conv) needs an (H, W, C) input, got {shape}")
            h, w, c = shape
            fh, fw = _pair(spec.kernel_size, "kernel_size", "summary")
            sh, sw = _pair(spec.stride, "stride", "summary")
            shape = (
                sizes.conv_output_size(h, fh, sh, spec.padding),
                sizes.conv_output_size(w, fw, sw, spec.padding),
                spec.filters,
            )
            n = conv2d_params((fh, fw), c, spec.filters, spec.use_bias)
            formula = _conv_formula(fh, fw, c, spec.filters, spec.use_bias)
        elif isinstance(spec, Pool):
            if len(shape) != 3:
                raise ValueError(f"summary: layer {i} (Pool) needs an (H, W, C) input, got {shape}")
            h, w, c = shape
            ph, pw = _pair(spec.pool_size, "pool_size", "summary")
            stride = spec.pool_size if spec.stride is None else spec.stride
            sh, sw = _pair(stride, "stride", "summary")
            shape = (
                sizes.pool_output_size(h, ph, sh, spec.padding),
                sizes.pool_output_size(w, pw, sw, spec.padding),
                c,
            )
            n, formula = 0, "0 (nothing to learn)"
        elif isinstance(spec, Flatten):
            flat = 1
            for v in shape:
                flat *= v
            formula = f"{'·'.join(str(v) for v in shape)} = {_fmt(flat)} values, 0 params"
            shape, n = (flat,), 0
        elif isinstance(spec, Dense):
            if len(shape) != 1:
                raise ValueError(
                    f"summary: layer {i} (Dense) needs a flat input; add Flatten() before it "
                    f"(input shape is {shape})"
                )
            n = dense_params(shape[0], spec.units, spec.use_bias)
            formula = _dense_formula(shape[0], spec.units, spec.use_bias)
            shape = (spec.units,)
        elif isinstance(spec, Dropout):
            n, formula = 0, "0"
        else:
            raise ValueError(
                f"summary: layer {i} is {spec!r}; use Conv, Pool, Flatten, Dense or Dropout"
            )
        rows.append(Row(name, shape, n, formula))
    return Summary(rows, tuple(input_shape))


def _keras_output_shape(layer):
    try:
        shape = layer.output.shape
    except Exception:  # a layer never called symbolically
        return ()
    return tuple(None if d is None else int(d) for d in shape)[1:]


def _summary_of_keras(model) -> Summary:
    rows = []
    for layer in model.layers:
        kind = type(layer).__name__
        n = int(layer.count_params())
        shape = _keras_output_shape(layer)
        kernel = getattr(layer, "kernel", None)
        use_bias = getattr(layer, "use_bias", False) and getattr(layer, "bias", None) is not None
        if kind in ("Conv2D", "Conv1D", "Conv3D") and kernel is not None:
            *k, c_in, c_out = (int(d) for d in kernel.shape)
            bias = f" + {_fmt(c_out)}" if use_bias else ""
            formula = f"{'·'.join(str(v) for v in k)}·{_fmt(c_in)}·{_fmt(c_out)}{bias} = {_fmt(n)}"
        elif kind == "Dense" and kernel is not None:
            n_in, units = (int(d) for d in kernel.shape)
            formula = _dense_formula(n_in, units, use_bias)
        elif kind == "BatchNormalization":
            c = n // 4
            formula = f"4·{c} = {_fmt(n)} (γ, β trainable; mean, variance not)"
        elif n == 0:
            formula = "0"
        else:
            formula = f"{_fmt(n)}"
        rows.append(Row(f"{layer.name} ({kind})", shape, n, formula))
    return Summary(rows)
