"""Output sizes of convolution and pooling layers, as the field computes them.

The rule, for one spatial dimension (call it twice for a rectangle)::

    H_out = ⌊(H + 2P − F) / S⌋ + 1

with input size ``H``, kernel (or pool) size ``F``, stride ``S`` and padding ``P``
rows on each side. This is what PyTorch computes with an int padding, what Dive into
Deep Learning teaches, and what Keras's ``'valid'`` is (``P = 0``). When the division
is not exact, the window never reaches the last ``(H + 2P − F) mod S`` rows of the
padded input: they are never read. That is legitimate — ResNet's stem (224, 7×7,
stride 2, padding 3 → 112) and every 3×3 stride-2 convolution on an even map (56,
padding 1 → 28) leave a row unread — but an exact fit, the notes' guideline, loses no
edge: ``exact=True`` raises a ``ValueError`` that shows the formula, the rows left
unread and a setting that fits.

Padding is an int ``P`` (that many zeros on each side), ``'valid'`` (the same as 0) or
``'same'`` (Keras/TensorFlow: ``⌈H / S⌉``, padded as evenly as possible, the extra row
or column at the bottom/right). Argument names are Keras's: ``kernel_size``,
``pool_size``, ``strides``, ``padding``.
"""

from __future__ import annotations

from .validate import ArgumentError, named, whole
from .validate import padding as check_padding

__all__ = [
    "conv_output_size",
    "pool_output_size",
    "output_size_formula",
    "unread_rows",
    "same_padding",
    "receptive_field",
    "coverage",
]


def output_size_formula(size: int, kernel_size: int, strides: int = 1, padding: int = 0) -> str:
    """The rule written out, e.g. ``'⌊(28 + 2·0 − 5)/2⌋ + 1 = ⌊11.5⌋ + 1 = 12'``.

    An exact division is shown without the floor: ``'(28 + 2·0 − 5)/1 + 1 = 24'``.
    """
    top = size + 2 * padding - kernel_size
    if top % strides == 0:
        return f"({size} + 2·{padding} − {kernel_size})/{strides} + 1 = {top // strides + 1}"
    return (f"⌊({size} + 2·{padding} − {kernel_size})/{strides}⌋ + 1 = ⌊{top / strides:g}⌋ + 1"
            f" = {top // strides + 1}")


def unread_rows(size: int, kernel_size: int, strides: int = 1, padding: int = 0) -> int:
    """How many of the last rows of the padded input no window reads:
    ``(H + 2P − F) mod S``."""
    return (size + 2 * padding - kernel_size) % strides


def _fitting_alternatives(size: int, kernel: int, strides: int, padding: int) -> list[str]:
    """Nearby settings that divide exactly (padding first: it keeps the stride's downsampling)."""
    hints = []
    for p in range(padding + 1, padding + strides + 1):
        if (size + 2 * p - kernel) % strides == 0:
            hints.append(f"padding {p}")
            break
    for k in (kernel + 1, kernel - 1):
        if 1 <= k <= size + 2 * padding and (size + 2 * padding - k) % strides == 0:
            hints.append(f"kernel_size {k}")
            break
    for s in range(strides - 1, 0, -1):
        if (size + 2 * padding - kernel) % s == 0:
            hints.append(f"strides {s}")
            break
    return hints


def _output_size(what, size, kernel_size, strides, padding, exact):
    size = whole(size, "size")
    kernel_size = whole(kernel_size, what)
    strides = whole(strides, "strides")
    padding = check_padding(padding)
    if isinstance(padding, tuple):
        raise ArgumentError(f"padding is for one dimension here: give an int, got {padding!r}")
    if padding == "same":
        return -(-size // strides)  # ⌈size / strides⌉, as Keras does
    pad = 0 if padding == "valid" else padding
    padded = size + 2 * pad
    if kernel_size > padded:
        where = "input" if pad == 0 else f"padded input ({size} + 2·{pad} = {padded})"
        raise ArgumentError(
            f"{what} {kernel_size} is larger than the {where} of size {padded}; "
            f"the window cannot slide. Use {what} <= {padded}, more padding, or padding='same'")
    unread = unread_rows(size, kernel_size, strides, pad)
    if exact and unread:
        hints = _fitting_alternatives(size, kernel_size, strides, pad)
        hint = f"; for an exact fit try {' or '.join(hints)}" if hints else ""
        rows = "row" if unread == 1 else f"{unread} rows"
        verb = "is" if unread == 1 else "are"
        raise ArgumentError(
            f"{output_size_formula(size, kernel_size, strides, pad)}: "
            f"({size} + 2·{pad} − {kernel_size})/{strides} is not whole, so the last {rows} of "
            f"the padded input (size {padded}) {verb} never read{hint}")
    return (padded - kernel_size) // strides + 1


@named
def conv_output_size(size: int, kernel_size: int, strides: int = 1, padding=0,
                     exact: bool = False) -> int:
    """Height (or width) of a convolution's output: ``⌊(H + 2P − F)/S⌋ + 1``.

    size, kernel_size, strides: whole numbers >= 1. padding: an int P >= 0, 'valid'
    (= 0) or 'same' (⌈size / strides⌉). exact: raise a ValueError, with the rows left
    unread and a setting that fits, when the division is not exact.

    >>> conv_output_size(28, 3)
    26
    >>> conv_output_size(224, 7, strides=2, padding=3)  # ResNet's stem
    112
    >>> conv_output_size(28, 3, strides=2, padding='same')
    14
    """
    return _output_size("kernel_size", size, kernel_size, strides, padding, exact)


@named
def pool_output_size(size: int, pool_size: int, strides: int | None = None, padding="valid",
                     exact: bool = False) -> int:
    """Height (or width) of a pooling layer's output; strides None means pool_size.

    >>> pool_output_size(24, 2)
    12
    >>> pool_output_size(7, 2)  # the last row is never read
    3
    """
    if strides is None:
        strides = pool_size
    return _output_size("pool_size", size, pool_size, strides, padding, exact)


@named
def same_padding(size: int, kernel_size: int, strides: int = 1) -> tuple[int, int]:
    """(before, after) zero padding TensorFlow adds for padding='same'.

    The total is ``max((out − 1)·S + F − H, 0)``; when it is odd the extra row goes
    *after* (bottom/right).
    """
    out = conv_output_size(size, kernel_size, strides, "same")
    total = max((out - 1) * strides + kernel_size - size, 0)
    return total // 2, total - total // 2


@named
def receptive_field(layers) -> int:
    """Receptive field (in input pixels, one dimension) of a stack of layers.

    layers: a sequence of ``(kernel_size, strides)`` pairs, first layer first.

    >>> receptive_field([(3, 1), (3, 1), (3, 1)])
    7
    >>> receptive_field([(3, 1), (2, 2), (3, 1)])
    8
    """
    field, jump = 1, 1
    for i, layer in enumerate(layers):
        try:
            kernel, strides = layer
        except (TypeError, ValueError):
            raise ArgumentError(
                f"layers[{i}] must be a (kernel_size, strides) pair, got {layer!r}") from None
        kernel = whole(kernel, f"layers[{i}] kernel_size")
        strides = whole(strides, f"layers[{i}] strides")
        field += (kernel - 1) * jump
        jump *= strides
    return field


@named
def coverage(size, kernel_size, strides=1, padding=0):
    """How many windows read each pixel of a ``size`` (int or (H, W)) input: an (H, W) array.

    A pixel's count is (windows covering its row) × (windows covering its column); with
    no padding the corner of a 5×5 input under a 3×3 kernel is read once, the centre nine
    times.
    """
    import numpy as np

    from .validate import pair

    shape, kernel, step = pair(size, "size"), pair(kernel_size, "kernel_size"), \
        pair(strides, "strides")
    pads = pair(padding, "padding", minimum=0)
    counts = []
    for n, k, s, p in zip(shape, kernel, step, pads):
        out = _output_size("kernel_size", n, k, s, p, exact=False)
        line = np.zeros(n + 2 * p, dtype=int)
        for start in range(0, out * s, s):
            line[start:start + k] += 1
        counts.append(line[p:p + n])
    return np.outer(*counts)
