"""Checkers of the exercises in "Padding and stride"."""

import numpy as np

from ..sizes import same_padding
from .contract import checker
from .hints import compare_array, compare_value, expect_items, expect_own_function


def _size(h, f, s, p):
    """``⌊(H + 2P − F)/S⌋ + 1`` (the chapter's rule), or None when no window fits."""
    span = h + 2 * p - f
    return span // s + 1 if span >= 0 else None


def _misconception(got, h, f, s, p):
    """The classic wrong size ``got`` names, or None."""
    span = h + 2 * p - f
    if got == -(-span // s) + 1 and span % s:
        return "rounded up: a window that does not fit is not counted, so the rule floors"
    if got == span + 1 and s > 1:
        return "that is the stride-1 size: divide by the stride before adding 1"
    if p and h + p - f >= 0 and got == (h + p - f) // s + 1:
        return "padding on one side only: P rows are added on both sides, 2P in all"
    if p and got == (h - f) // s + 1:
        return "the padding is missing: the kernel slides over the padded input, H + 2P rows"
    if got == span / s + 1:
        return "a size is a whole number: count whole steps (floor the division)"
    return None


# ---------------------------------------------------------------------------
# 1. A layer on a non-square image

_LAYER = dict(h=224, w=192, f=7, s=2, p=2)


def _layer_size():
    c = _LAYER
    return (_size(c["h"], c["f"], c["s"], c["p"]), _size(c["w"], c["f"], c["s"], c["p"]))


@checker("padding_stride-1", hints=(
    "One dimension at a time: O = ⌊(H + 2P − F)/S⌋ + 1, with P added on both sides.",
    "The division is not exact for either side: count only the windows that fit.",
), expected=_layer_size)
def strided_layer(answer):
    h, w = expect_items(answer, "answer_1", ("height", "width"))
    c = _LAYER
    for got, side, name in [(h, c["h"], "height"), (w, c["w"], "width")]:
        expected = _size(side, c["f"], c["s"], c["p"])
        if got != expected:
            why = _misconception(got, side, c["f"], c["s"], c["p"])
            if why:
                raise AssertionError(f"the {name}: {why}")
        compare_value(got, expected, f"the {name}")
    return ("correct: both divisions leave a remainder, the floor drops the windows that would "
            "stick out, and height and width follow the rule separately")


# ---------------------------------------------------------------------------
# 2. The formula as a function

_CASES = [  # (size, kernel, stride, padding): exact fits, floors, and kernels too large
    (5, 3, 1, 1), (28, 3, 1, 0), (28, 5, 1, 2), (227, 11, 4, 0), (7, 3, 2, 0),
    (28, 3, 2, 1), (6, 3, 2, 0), (32, 4, 2, 1), (224, 7, 2, 3), (56, 3, 2, 1),
    (10, 1, 3, 0), (3, 5, 1, 0), (3, 5, 1, 1),
]


@checker("padding_stride-2", hints=(
    "Compute the numerator H + 2P − F first; when it is negative no window fits: raise "
    "ValueError.",
    "Then count whole steps: integer division by the stride, plus one for the window at 0.",
))
def output_size(func):
    expect_own_function(func, "output_size")
    for h, f, s, p in _CASES:
        expected = _size(h, f, s, p)
        try:
            got = func(h, f, s, p)
        except ValueError:
            if expected is not None:
                hint = (" (ResNet's layers are like this: the division is not exact, the rule "
                        "floors)" if (h + 2 * p - f) % s else "")
                raise AssertionError(f"output_size({h}, {f}, {s}, {p}) raised ValueError, "
                                     f"but a window fits there{hint}") from None
            continue
        if expected is None:
            raise AssertionError(f"output_size({h}, {f}, {s}, {p}) returned {got!r}; the "
                                 "kernel is larger than the padded input, so it should raise "
                                 "ValueError")
        if got != expected:
            why = _misconception(got, h, f, s, p)
            if why:
                raise AssertionError(f"output_size({h}, {f}, {s}, {p}) returned {got!r}: {why}")
        compare_value(got, expected, f"output_size({h}, {f}, {s}, {p})")
    return (f"correct on {len(_CASES)} configurations: exact fits, floored ones such as "
            "ResNet's stem, and kernels too large for their input")


# ---------------------------------------------------------------------------
# 3. A convolution with stride and padding


def _reference(x, w, stride, padding, pad=None):
    pad = pad or ((padding, padding), (padding, padding))
    xp = np.pad(x.astype(np.float64), (pad[0], pad[1], (0, 0)))
    fh, fw = w.shape[:2]
    windows = np.lib.stride_tricks.sliding_window_view(xp, (fh, fw), axis=(0, 1))
    return np.einsum("ijcab,abco->ijo", windows[::stride, ::stride], w.astype(np.float64))


_CONV_CASES = [((7, 7, 1), (3, 3, 1, 1), 1, 0), ((9, 8, 3), (3, 3, 3, 2), 2, 1),
               ((10, 7, 2), (4, 2, 2, 3), 3, 2), ((6, 6, 2), (5, 5, 2, 1), 2, 2),
               ((5, 5, 4), (1, 1, 4, 3), 2, 0), ((8, 8, 1), (3, 3, 1, 2), 2, 1)]


@checker("padding_stride-3", hints=(
    "First np.pad the height and width by `padding` on both sides (not the channels), then "
    "slide as in conv_layer, starting windows at rows 0, S, 2S, ...",
    "The output has ⌊(H + 2P − FH)/S⌋ + 1 rows: allocate it with the floor rule, and read the "
    "window at output (i, j) from row i·S, column j·S of the padded input.",
))
def conv2d(func):
    expect_own_function(func, "conv2d")
    rng = np.random.default_rng(4)
    for shape, kernel, s, p in _CONV_CASES:
        x = rng.normal(size=shape).astype(np.float32)
        w = rng.normal(size=kernel).astype(np.float32)
        want = _reference(x, w, s, p)
        where = f"conv2d on x {shape}, w {kernel}, stride {s}, padding {p}"
        got = func(x.copy(), w.copy(), s, p)
        gshape = np.shape(got)
        if gshape != want.shape:
            why = None
            for d in (0, 1) if len(gshape) == 3 else ():
                if gshape[d] != want.shape[d]:
                    why = why or _misconception(gshape[d], shape[d], kernel[d], s, p)
            raise AssertionError(f"{where}: the output should have shape {want.shape}, got "
                                 f"{gshape}" + (f" — {why}" if why else ""))
        got64 = np.asarray(got, dtype=np.float64)
        for pad in [((p, 0), (p, 0)), ((0, p), (0, p))] if p else []:
            one_side = _reference(x, w, s, p, pad)
            if (one_side.shape == want.shape and not np.allclose(one_side, want, atol=1e-4)
                    and np.allclose(got64, one_side, atol=1e-4)):
                raise AssertionError(f"{where}: padding on one side only; np.pad with "
                                     "(P, P) puts P rows above and P below")
        if kernel[0] > 1 and np.allclose(got64, _reference(x, w[::-1, ::-1], s, p), atol=1e-4):
            raise AssertionError(f"{where}: the kernel is flipped; a layer computes the "
                                 "cross-correlation")
        if s > 1:
            dense = _reference(x, w, 1, p)
            if np.allclose(got64, dense[:want.shape[0], :want.shape[1]], atol=1e-4):
                raise AssertionError(f"{where}: the windows move by 1; with stride S the "
                                     "window of output (i, j) starts at (i·S, j·S)")
        compare_array(got, want, where, atol=1e-4)
    return ("correct with strides 1 to 3, padding 0 to 2, odd and non-square shapes and "
            "several channels: pad both sides, step by the stride, floor the count")


# ---------------------------------------------------------------------------
# 4. An experiment: where does 'same' pad?

_SAME = dict(h=30, f=5, s=2)


def _same_answer():
    c = _SAME
    top, bottom = same_padding(c["h"], c["f"], c["s"])
    return (-(-c["h"] // c["s"]), top, bottom)


@checker("padding_stride-4", hints=(
    "Compare Keras's output with tf.nn.conv2d(..., padding='VALID') on the image padded by "
    "np.pad with ((top, bottom), (top, bottom)) for each split; only one matches.",
    "The total padding is what it takes for the last window to fit: (O − 1)·S + F − H, with "
    "O the number of rows of Keras's output.",
), expected=_same_answer)
def same_stride_2(answer):
    out, top, bottom = expect_items(answer, "answer_4", ("rows", "top", "bottom"))
    c = _SAME
    rows, want_top, want_bottom = _same_answer()
    if out == c["h"]:
        raise AssertionError("'same' keeps the size only at stride 1; measure the output's "
                             "rows")
    if out == _size(c["h"], c["f"], c["s"], 0):
        raise AssertionError("that is the size without padding ('valid')")
    compare_value(out, rows, "the number of rows")
    if (top, bottom) == (want_bottom, want_top):
        raise AssertionError("right amounts, wrong sides: which split made the outputs equal?")
    if top == want_top and bottom > want_bottom:
        raise AssertionError("that split matches too, but its last row lies past the last "
                             "window and is never read: take the least padding that matches")
    if top == bottom:
        raise AssertionError("an even split would need an even total; here the total is odd")
    compare_value(top + bottom, want_top + want_bottom, "the total padding")
    compare_value(top, want_top, "the top padding")
    compare_value(bottom, want_bottom, "the bottom padding")
    return ("correct: TensorFlow pads as evenly as it can and puts the odd row at the bottom, "
            "so its windows are not PyTorch's for the same sizes")


# ---------------------------------------------------------------------------
# 5. Two stacked convolutions are one


def _corr2d(x, k):
    windows = np.lib.stride_tricks.sliding_window_view(x, k.shape)
    return np.einsum("ijab,ab->ij", windows, k)


@checker("padding_stride-5", hints=(
    "Follow one output value back: it reads an F2×F2 window of the first map, and each of "
    "those values an F1×F1 window of the input. How wide is that together?",
    "Value (m, n) of the combined kernel collects k1[a, b]·k2[c, d] for every a + c = m, "
    "b + d = n: add the F2·F2 shifted copies k2[c, d]·k1 into a zero kernel.",
))
def stacked(answer):
    func, side = expect_items(answer, "answer_5", ("combine", "size"))
    expect_own_function(func, "combine")
    rng = np.random.default_rng(5)
    for f1, f2 in [(3, 3), (3, 2), (5, 3), (1, 4)]:
        k1, k2 = rng.normal(size=(f1, f1)), rng.normal(size=(f2, f2))
        x = rng.normal(size=(12, 12))
        got = func(k1.copy(), k2.copy())
        want_side = f1 + f2 - 1
        where = f"combine of a {f1}×{f1} and a {f2}×{f2} kernel"
        if np.shape(got) == (max(f1, f2), max(f1, f2)) and f1 > 1 and f2 > 1:
            raise AssertionError(f"{where}: the combined kernel must be wider than either; an "
                                 "output of the second layer depends on more input pixels")
        if np.shape(got) == (f1 * f2, f1 * f2) and f1 * f2 != want_side:
            raise AssertionError(f"{where}: the sides do not multiply; the second kernel adds "
                                 "F2 − 1 pixels to the first one's F1")
        if np.shape(got) != (want_side, want_side):
            raise AssertionError(f"{where}: got shape {np.shape(got)}; follow one output back "
                                 "to the input to find the side")
        got = np.asarray(got, dtype=np.float64)
        twice = _corr2d(_corr2d(x, k1), k2)
        if np.allclose(_corr2d(x, got[::-1, ::-1]), twice):
            raise AssertionError(f"{where}: the kernel is flipped: the layers cross-correlate, "
                                 "so k1[a, b]·k2[c, d] goes to position (a + c, b + d)")
        compare_array(_corr2d(x, got), twice, f"{where}, applied to an image", atol=1e-6)
    if side == 9:
        raise AssertionError("the size is a side, not an area: the kernel is side × side")
    if side == 6:
        raise AssertionError("each 3×3 layer adds 2 pixels, not 3: the windows overlap")
    compare_value(side, 5, "the side of one kernel equal to two stacked 3×3 ones")
    return ("correct: the second layer's window reaches F2 − 1 pixels past the first's, so "
            "without an activation between them two layers are one larger convolution — with "
            "fewer weights, which is why networks stack small kernels")
