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
    return "correct: (227 − 11)/4 + 1 is a whole number, so the layer fits"


_CASES = [  # (size, kernel, stride, padding) — some fit, some do not
    (5, 3, 1, 1), (28, 3, 1, 0), (28, 5, 1, 2), (227, 11, 4, 0), (7, 3, 2, 0),
    (28, 3, 2, 1), (6, 3, 2, 0), (32, 4, 2, 1), (224, 7, 2, 3), (10, 1, 3, 0), (3, 5, 1, 0),
]


def _fitting_size(h, f, s, p):
    """``(H + 2P − F)/S + 1`` when it is a whole number ≥ 1 (the chapter's rule), else None."""
    span = h + 2 * p - f
    return span // s + 1 if span >= 0 and span % s == 0 else None


@checker("padding_stride-2")
def output_size(func):
    expect_function(func, "output_size")
    for h, f, s, p in _CASES:
        expected = _fitting_size(h, f, s, p)
        try:
            got = func(h, f, s, p)
        except ValueError:
            if expected is not None:
                raise AssertionError(f"output_size({h}, {f}, {s}, {p}) raised ValueError, "
                                     "but that configuration fits") from None
            continue
        if expected is None:
            raise AssertionError(f"output_size({h}, {f}, {s}, {p}) returned {got!r}; this "
                                 "configuration does not fit and should raise ValueError")
        if isinstance(got, float) and not got.is_integer():
            raise AssertionError(f"output_size({h}, {f}, {s}, {p}) returned {got!r}: "
                                 "a size is a whole number")
        compare_value(got, expected, f"output_size({h}, {f}, {s}, {p})")
    return f"correct on {len(_CASES)} configurations, including ones that do not fit"


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
