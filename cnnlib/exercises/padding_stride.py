"""Checkers of the exercises in "Padding and stride"."""

from ..params import conv2d_params
from ..sizes import conv_output_size, same_padding
from .contract import checker
from .hints import bias_missing, compare_value, expect_function, expect_items


@checker("padding_stride-1")
def alexnet_first_layer(answer):
    h, w = expect_items(answer, "answer_1", ("height", "width"))
    expected = conv_output_size(227, 11, 4, 0)
    if h == 227 - 11 + 1:
        raise AssertionError("that is the stride-1 size: divide by the stride before adding 1")
    compare_value(h, expected, "the height")
    compare_value(w, expected, "the width")
    return "correct: the division is exact, so every row of the image reaches a window"


_CASES = [  # (size, kernel, stride, padding): exact fits, floors, and kernels too large
    (5, 3, 1, 1), (28, 3, 1, 0), (28, 5, 1, 2), (227, 11, 4, 0), (7, 3, 2, 0),
    (28, 3, 2, 1), (6, 3, 2, 0), (32, 4, 2, 1), (224, 7, 2, 3), (56, 3, 2, 1),
    (10, 1, 3, 0), (3, 5, 1, 0), (3, 5, 1, 1),
]


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
    if h + p - f >= 0 and got == (h + p - f) // s + 1 and p:
        return "padding on one side only: P rows are added on both sides, 2P in all"
    if got == span / s + 1:
        return "a size is a whole number: count whole steps (floor the division)"
    return None


@checker("padding_stride-2")
def output_size(func):
    expect_function(func, "output_size")
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


@checker("padding_stride-3")
def keras_same_stride_2(answer):
    out, top, bottom = expect_items(answer, "answer_3", 3)
    expected_top, expected_bottom = same_padding(28, 3, 2)
    compare_value(out, conv_output_size(28, 3, 2, "same"), "the output size")
    if (top, bottom) == (expected_bottom, expected_top):
        raise AssertionError("right amounts, wrong sides: TensorFlow puts the extra row "
                             "at the bottom")
    compare_value(top + bottom, expected_top + expected_bottom, "the total padding")
    compare_value(top, expected_top, "the top padding")
    compare_value(bottom, expected_bottom, "the bottom padding")
    return "correct: ceil(28/2) rows out, and the odd padding row goes to the bottom"


@checker("padding_stride-4")
def one_by_one_params(answer):
    expected = conv2d_params(1, 256, 64)
    bias_missing(answer, expected, 64, per="kernel")
    if answer == conv2d_params(3, 256, 64):
        raise AssertionError("that is a 3×3 kernel; a 1×1 kernel has one weight per channel")
    compare_value(answer, expected, "answer_4")
    return "correct: one weight per input channel per kernel, plus a bias each"
