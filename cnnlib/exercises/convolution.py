"""Checkers of the exercises in "The convolution operation"."""

import numpy as np

from .contract import checker
from .hints import compare_array, expect_items, expect_own_function


def _reference_conv(x, w):
    fh, fw = w.shape[:2]
    windows = np.lib.stride_tricks.sliding_window_view(x, (fh, fw), axis=(0, 1))
    # windows: (OH, OW, C_in, FH, FW)
    return np.einsum("ijcab,abco->ijo", windows, w)


# ---------------------------------------------------------------------------
# 1. A full convolution layer


_LAYER_CASES = [((5, 5, 1), (3, 3, 1, 1)), ((7, 6, 3), (3, 2, 3, 4)),
                ((9, 9, 2), (1, 1, 2, 5)), ((8, 11, 4), (4, 3, 4, 2))]


@checker("convolution-1", hints=(
    "Two loops over the output positions (i, j); at each, the window x[i:i+FH, j:j+FW] "
    "has shape (FH, FW, C_in), the same as one kernel w[:, :, :, o].",
    "Multiply the window with each kernel and sum over all three axes, the channels "
    "included: np.tensordot(window, w, axes=3) does every kernel at once.",
))
def conv_layer(func):
    expect_own_function(func, "conv_layer")
    rng = np.random.default_rng(3)
    for shape, kernel in _LAYER_CASES:
        x = rng.normal(size=shape).astype(np.float32)
        w = rng.normal(size=kernel).astype(np.float32)
        got = func(x.copy(), w.copy())
        want = _reference_conv(x, w)
        where = f"conv_layer on x {shape}, w {kernel}"
        oh, ow, c_out = want.shape
        if np.shape(got) != want.shape and np.shape(got) in [(oh, ow, shape[2], c_out),
                                                              (oh, ow, shape[2] * c_out)]:
            raise AssertionError(f"{where}: one map per input channel and kernel; a kernel "
                                 "sums over all input channels into one map")
        if np.shape(got) == (c_out, oh, ow) != want.shape:
            raise AssertionError(f"{where}: channels go last, (OH, OW, C_out)")
        if np.shape(got) == (shape[0], shape[1], c_out) and kernel[0] > 1:
            raise AssertionError(f"{where}: no padding here, so the output is smaller than "
                                 "the input")
        if np.shape(got) == want.shape:
            got64 = np.asarray(got, dtype=np.float64)
            if kernel[0] * kernel[1] > 1 and np.allclose(
                    got64, _reference_conv(x, w[::-1, ::-1]), atol=1e-4):
                raise AssertionError(f"{where}: the kernel is flipped, as mathematics' "
                                     "convolution does; a convolutional layer computes the "
                                     "cross-correlation")
            if shape[2] > 1 and np.allclose(
                    got64, _reference_conv(x[:, :, :1], w[:, :, :1]), atol=1e-4):
                raise AssertionError(f"{where}: only the first input channel is used; the "
                                     "kernel spans all of them")
        compare_array(got, want, where, atol=1e-4)
    return ("correct on one and several channels, square and odd shapes, 1×1 and "
            "non-square kernels: every kernel sums its window over all input channels")


# ---------------------------------------------------------------------------
# 2. Which kernels does the flip leave alone?


#: The candidate kernels of exercise 2, as the chapter shows them.
FLIP_CANDIDATES = {
    "blur": np.full((3, 3), 1 / 9),
    "vertical edge": np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]], float),
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], float),
    "diagonal mirror": np.array([[1, 2, 3], [2, 4, 5], [3, 5, 6]], float),
    "left-right mirror": np.array([[1, 2, 1], [0, 0, 0], [3, 4, 3]], float),
    "half turn": np.array([[1, 0, 2], [3, 4, 3], [2, 0, 1]], float),
}

_WRONGLY_IN = {
    "vertical edge": "the vertical edge kernel flipped is its negative: the two maps differ in "
                     "sign everywhere",
    "diagonal mirror": "a kernel equal to its transpose is not unchanged by the flip: the flip "
                       "reverses the rows and the columns, a half turn, not a mirror about "
                       "the diagonal",
    "left-right mirror": "a left-right mirror is not enough: the flip also reverses the order "
                         "of the rows",
}
_WRONGLY_OUT = "one of the kernels you left out equals itself turned by 180°: try each one"


def _same_under_flip():
    return {name for name, k in FLIP_CANDIDATES.items() if np.array_equal(k[::-1, ::-1], k)}


@checker("convolution-2", hints=(
    "Convolution equals cross-correlation with the kernel k[::-1, ::-1]. So the question is: "
    "which kernels equal their own flip?",
    "Test it rather than guess: np.array_equal(k[::-1, ::-1], k), or compare corr2d and "
    "conv2d_math on x for each kernel.",
))
def flip_invariant(answer):
    if isinstance(answer, str) or not isinstance(answer, (set, frozenset, list, tuple)):
        raise AssertionError(f"answer_2 should be a set of kernel names, got "
                             f"{type(answer).__name__}")
    names = set(answer)
    unknown = names - set(FLIP_CANDIDATES)
    if unknown:
        raise AssertionError(f"not among the candidates: {sorted(unknown)}; the names are "
                             f"{sorted(FLIP_CANDIDATES)}")
    right = _same_under_flip()
    for name in sorted(names - right):
        raise AssertionError(_WRONGLY_IN.get(name, f"{name!r} changes under the flip"))
    if right - names:
        raise AssertionError(_WRONGLY_OUT)
    return ("correct: these equal themselves turned by 180°, so for them convolution and "
            "cross-correlation give the same map")


# ---------------------------------------------------------------------------
# 3. An experiment: which digits are most vertical?


def _edge_ratios(responses=lambda a: np.maximum(a, 0), n=2000):
    from ..data import load_mnist
    _, (x, y) = load_mnist()
    x, y = x[:n].astype(np.float64) / 255, y[:n]
    k = FLIP_CANDIDATES["vertical edge"]
    windows = np.lib.stride_tricks.sliding_window_view(x, (3, 3), axis=(1, 2))
    vertical = responses(np.einsum("nijab,ab->nij", windows, k))
    horizontal = responses(np.einsum("nijab,ab->nij", windows, k.T))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.array([vertical[y == c].mean() / horizontal[y == c].mean() for c in range(10)])


def _most_least(ratios):
    ratios = np.nan_to_num(ratios, nan=0.0)
    return int(np.argmax(ratios)), int(np.argmin(ratios))


@checker("convolution-3", hints=(
    "For each class c, average the ReLU of the vertical-edge maps over the digits with "
    "y == c, and the same for the horizontal-edge maps; divide the two.",
    "np.maximum(maps, 0) is the ReLU. The largest ratio is the most vertical class, the "
    "smallest the most horizontal one.",
), expected=lambda: _most_least(_edge_ratios()))
def vertical_digits(answer):
    most, least = expect_items(answer, "answer_3", ("most vertical", "least vertical"))
    for value in (most, least):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value <= 9:
            raise AssertionError(f"a class is a digit 0–9, got {value!r}")
    right = _most_least(_edge_ratios())
    if (most, least) == right:
        return ("correct, re-measured on the same 2,000 digits: strokes that run up and down "
                "light up the vertical-edge kernel, bars that run across the horizontal one")
    if (least, most) == right:
        raise AssertionError("most and least are swapped")
    signed = _most_least(_edge_ratios(lambda a: a))
    if (most, least) == signed or least == signed[1] != right[1]:
        raise AssertionError("signed responses: the left and right edges of a stroke cancel "
                             "out in the mean; keep the positive part (ReLU) first")
    if most != right[0]:
        raise AssertionError("the most vertical class is not right; re-measured here on the "
                             "first 2,000 test digits")
    raise AssertionError("the least vertical class is not right; re-measured here on the first "
                         "2,000 test digits")


# ---------------------------------------------------------------------------
# 4. A 5×5 horizontal-edge detector


def _responses(kernel, image):
    return _reference_conv(image[:, :, None], kernel[:, :, None, None])[..., 0]


@checker("convolution-4", hints=(
    "Bright above and dark below: positive weights in the top rows, negative in the bottom "
    "rows. Flat regions must give 0, so the weights must sum to zero.",
    "Vertical edges must give 0 too: every column must add up to zero (equal weights "
    "within each row do it).",
))
def edge_kernel(kernel):
    try:
        k = np.asarray(kernel, dtype=np.float64)
    except (TypeError, ValueError):
        raise AssertionError(f"edge_kernel should be an array of numbers, got "
                             f"{type(kernel).__name__}") from None
    if k.shape == (3, 3):
        raise AssertionError("edge_kernel should be 5×5; a 3×3 one is in the chapter already")
    if k.shape != (5, 5):
        raise AssertionError(f"edge_kernel should have shape (5, 5), got {k.shape}")
    size = 11
    if not np.allclose(_responses(k, np.ones((size, size))), 0, atol=1e-9):
        raise AssertionError("a flat region gives a nonzero response: make the weights sum "
                             "to zero")
    for col in range(1, size):
        step = np.zeros((size, size))
        step[:, :col] = 1
        if not np.allclose(_responses(k, step), 0, atol=1e-9):
            raise AssertionError("a vertical edge gives a nonzero response: make every "
                                 "column add up to zero")
    strongest = 0.0
    for row in range(1, size):
        down = np.zeros((size, size))
        down[:row] = 1                                    # bright above, dark below
        response = _responses(k, down)
        if response.min() < -1e-9:
            raise AssertionError("bright above and dark below gives a negative response: "
                                 "your signs detect the opposite edge")
        strongest = max(strongest, response.max())
    if strongest <= 1e-9:
        raise AssertionError("bright above and dark below gives no response")
    if strongest < 1:
        raise AssertionError("it responds, but weakly: a step from 1 to 0 should give at least "
                             "1; scale the weights up")
    return ("correct: all weights cancel on flat areas, columns that add up to zero cancel "
            "vertical edges, and more weight on top than below makes bright-above edges "
            "positive")
