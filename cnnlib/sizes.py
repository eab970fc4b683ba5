"""Output sizes of convolution and pooling layers.

Two semantics, both taught in the book:

* an **int** padding ``P`` is the textbook formula ``(H + 2P - F) / S + 1``.
  It must come out as a whole number; otherwise the configuration does not fit
  and a ``ValueError`` shows the formula and a setting that would fit.
* ``'valid'`` and ``'same'`` follow Keras/TensorFlow exactly: ``'valid'``
  floors, ``floor((H - F) / S) + 1``, silently dropping rows the kernel cannot
  reach; ``'same'`` gives ``ceil(H / S)`` and pads as evenly as it can (the
  extra row or column goes to the bottom/right).

Every function works on one spatial dimension (height *or* width); call it
twice for a rectangle.
"""

from __future__ import annotations

__all__ = [
    "conv_output_size",
    "pool_output_size",
    "output_size_formula",
    "same_padding",
    "receptive_field",
]


def _check_positive_int(name: str, value, func: str) -> int:
    if isinstance(value, bool) or not (isinstance(value, int) or _is_integral(value)):
        raise ValueError(f"{func}: {name} must be a whole number, got {value!r}")
    value = int(value)
    if value < 1:
        raise ValueError(f"{func}: {name} must be at least 1, got {value}")
    return value


def _is_integral(value) -> bool:
    try:
        import numpy as np

        return isinstance(value, np.integer)
    except ImportError:  # pragma: no cover - numpy is a dependency
        return False


def _check_padding(padding, func: str):
    if isinstance(padding, str):
        mode = padding.lower()
        if mode not in ("valid", "same"):
            raise ValueError(
                f"{func}: padding must be 'valid', 'same' or a whole number >= 0, got {padding!r}"
            )
        return mode
    if isinstance(padding, bool) or not (isinstance(padding, int) or _is_integral(padding)):
        raise ValueError(
            f"{func}: padding must be 'valid', 'same' or a whole number >= 0, got {padding!r}"
        )
    padding = int(padding)
    if padding < 0:
        raise ValueError(f"{func}: padding must not be negative, got {padding}")
    return padding


def output_size_formula(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> str:
    """The textbook formula written out, e.g. ``'(28 + 2·0 − 5)/1 + 1 = 24'``.

    The result is shown as a decimal when it is not whole (``12.5``).
    """
    value = (size + 2 * padding - kernel_size) / stride + 1
    shown = f"{value:g}" if value != int(value) else f"{int(value)}"
    return f"({size} + 2·{padding} − {kernel_size})/{stride} + 1 = {shown}"


def _fitting_alternatives(size: int, kernel: int, stride: int, padding: int) -> list[str]:
    """Nearby settings for which the textbook formula gives a whole number."""
    hints = []
    for s in range(stride - 1, 0, -1):
        if (size + 2 * padding - kernel) % s == 0:
            hints.append(f"stride {s}")
            break
    for p in range(padding + 1, padding + stride + 1):
        if (size + 2 * p - kernel) % stride == 0:
            hints.append(f"padding {p}")
            break
    return hints


def _output_size(func, what, size, kernel_size, stride, padding):
    size = _check_positive_int("size", size, func)
    kernel_size = _check_positive_int(what, kernel_size, func)
    stride = _check_positive_int("stride", stride, func)
    padding = _check_padding(padding, func)

    if padding == "same":
        return -(-size // stride)  # ceil(size / stride), as Keras does
    pad = 0 if padding == "valid" else padding
    padded = size + 2 * pad
    if kernel_size > padded:
        where = "input" if pad == 0 else f"padded input ({size} + 2·{pad} = {padded})"
        raise ValueError(
            f"{func}: {what} {kernel_size} is larger than the {where} of size {padded}; "
            f"the window cannot slide. Use {what} <= {padded}, more padding, or padding='same'"
        )
    if padding == "valid":
        return (size - kernel_size) // stride + 1  # Keras floors
    if (padded - kernel_size) % stride:
        hints = _fitting_alternatives(size, kernel_size, stride, pad)
        hint = f"; try {' or '.join(hints)}" if hints else ""
        raise ValueError(
            f"{func}: {output_size_formula(size, kernel_size, stride, pad)} is not a whole number"
            f"{hint} (Keras would instead floor with padding='valid' or use ceil(H/S) with 'same')"
        )
    return (padded - kernel_size) // stride + 1


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding=0) -> int:
    """Height (or width) of a convolution's output.

    size, kernel_size, stride: whole numbers >= 1.
    padding: an int P >= 0 (textbook formula, must be exact), or 'valid'/'same'
    (Keras: floor for 'valid', ceil(size / stride) for 'same').

    >>> conv_output_size(28, 3)
    26
    >>> conv_output_size(5, 3, padding=1)
    5
    >>> conv_output_size(28, 3, stride=2, padding='same')
    14
    """
    return _output_size("conv_output_size", "kernel_size", size, kernel_size, stride, padding)


def pool_output_size(size: int, pool_size: int, stride: int | None = None, padding="valid") -> int:
    """Height (or width) of a pooling layer's output; stride None means pool_size.

    >>> pool_output_size(24, 2)
    12
    >>> pool_output_size(7, 2)  # Keras floors: the last row is dropped
    3
    """
    if stride is None:
        stride = pool_size
    return _output_size("pool_output_size", "pool_size", size, pool_size, stride, padding)


def same_padding(size: int, kernel_size: int, stride: int = 1) -> tuple[int, int]:
    """(before, after) zero padding TensorFlow adds for padding='same'.

    The total is ``max((out - 1)·S + F - H, 0)``; when it is odd the extra
    row goes *after* (bottom/right).
    """
    out = conv_output_size(size, kernel_size, stride, "same")
    total = max((out - 1) * stride + kernel_size - size, 0)
    return total // 2, total - total // 2


def receptive_field(layers) -> int:
    """Receptive field (in input pixels, one dimension) of a stack of layers.

    layers: a sequence of ``(kernel_size, stride)`` pairs, first layer first.

    >>> receptive_field([(3, 1), (3, 1), (3, 1)])
    7
    >>> receptive_field([(3, 1), (2, 2), (3, 1)])
    8
    """
    field, jump = 1, 1
    for i, layer in enumerate(layers):
        try:
            kernel, stride = layer
        except (TypeError, ValueError):
            raise ValueError(
                f"receptive_field: layers[{i}] must be a (kernel_size, stride) pair, got {layer!r}"
            ) from None
        kernel = _check_positive_int(f"layers[{i}] kernel_size", kernel, "receptive_field")
        stride = _check_positive_int(f"layers[{i}] stride", stride, "receptive_field")
        field += (kernel - 1) * jump
        jump *= stride
    return field
