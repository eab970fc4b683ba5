"""Checkers of the exercises in "A CNN from scratch".

1. ``col2im`` — the way back from rows to pixels must *add* overlapping windows;
2. ``conv_dw`` — the convolution's kernel gradient, the input correlated with ``dout``;
3. ``maxpool_backward`` — each output's gradient to its window's winner;
4. an experiment: between which learning rates learning the Sobel kernel stops converging;
5. ``relative_error`` — CS231n's measure for gradient checks.

The references here are plain float64 loops written from the definitions, sharing no
code with :mod:`cnnlib.ops` or :mod:`cnnlib.layers`.

Long because each of the five checkers carries its own reference and, beside it, each
classic bug it names written out as a variant of that reference (col2im that overwrites,
dW flipped, max-pool backward that spreads, ...), so that a wrong answer is recognised by
what it computes.
"""

from __future__ import annotations

import contextlib
import io

import numpy as np

from .contract import checker
from .hints import compare_array, expect_own_function

# ---------------------------------------------------------------------------
# Shared: windows of a valid convolution or pooling, as (row, column) starts


def _out_hw(shape_hw, kernel, strides):
    return tuple((s - k) // st + 1 for s, k, st in zip(shape_hw, kernel, strides))


def _starts(shape_hw, kernel, strides):
    ho, wo = _out_hw(shape_hw, kernel, strides)
    return [(i, j, i * strides[0], j * strides[1]) for i in range(ho) for j in range(wo)]


def _close(got, want, atol=1e-6):
    got = np.asarray(got, dtype=np.float64)
    return got.shape == np.shape(want) and bool(np.allclose(got, want, atol=atol, rtol=1e-6))


def _as_array(got, what):
    try:
        return np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        raise AssertionError(f"{what} should return an array of numbers, "
                             f"got {type(got).__name__}") from None


# ---------------------------------------------------------------------------
# 1. col2im


def _col2im_ref(cols, x_shape, kernel, strides, mode="add", order="hwc"):
    """Rows of ``cols`` back into an (N, H, W, C) array. mode: "add" (right), "write"
    (the classic bug: the last window wins), "mean" (overlaps averaged); order: the
    columns' order, "hwc" (im2col's, right) or "chw" (channels first)."""
    n, h, w, c = x_shape
    fh, fw = kernel
    ho, wo = _out_hw((h, w), kernel, strides)
    if order == "hwc":
        rows = cols.reshape(n, ho, wo, fh, fw, c)
    else:
        rows = cols.reshape(n, ho, wo, c, fh, fw).transpose(0, 1, 2, 4, 5, 3)
    out = np.zeros(x_shape)
    count = np.zeros(x_shape)
    for i, j, r, s in _starts((h, w), kernel, strides):
        window = out[:, r:r + fh, s:s + fw, :]
        if mode == "write":
            window[...] = rows[:, i, j]
        else:
            window += rows[:, i, j]
        count[:, r:r + fh, s:s + fw, :] += 1
    if mode == "mean":
        out = out / np.maximum(count, 1)
    return out


_COL2IM_CASES = [((1, 4, 4, 1), (3, 3), (1, 1)),
                 ((2, 5, 7, 3), (3, 2), (2, 1)),
                 ((1, 6, 5, 2), (2, 2), (2, 2)),
                 ((3, 7, 6, 2), (3, 3), (2, 2))]


@checker("scratch_cnn-1", hints=(
    "Make an array of zeros of x_shape; loop over the windows (their top-left corners are "
    "i·stride, j·stride) and over nothing else: one window's row of cols, reshaped to "
    "(FH, FW, C), goes back into that window.",
    "Windows overlap when the stride is smaller than the kernel: a pixel in two windows "
    "influenced the loss through both, so += each window's share; = keeps only the last.",
))
def col2im(func):
    expect_own_function(func, "col2im")
    rng = np.random.default_rng(1)
    for x_shape, kernel, strides in _COL2IM_CASES:
        ho, wo = _out_hw(x_shape[1:3], kernel, strides)
        cols = rng.normal(size=(x_shape[0] * ho * wo, kernel[0] * kernel[1] * x_shape[3]))
        where = f"col2im for x_shape {x_shape}, kernel {kernel}, strides {strides}"
        got = _as_array(func(cols.copy(), x_shape, kernel, strides), where)
        want = _col2im_ref(cols, x_shape, kernel, strides)
        if _close(got, want):
            continue
        if _close(got, _col2im_ref(cols, x_shape, kernel, strides, mode="write")):
            raise AssertionError(f"{where}: where windows overlap you keep only the last "
                                 "window's value — col2im overwrites instead of adding. A pixel "
                                 "in several windows gets the sum of what each sends back")
        if _close(got, _col2im_ref(cols, x_shape, kernel, strides, mode="mean")):
            raise AssertionError(f"{where}: you average the overlapping windows; the chain "
                                 "rule adds them (a pixel in k windows gets k contributions)")
        if x_shape[3] > 1 and _close(got, _col2im_ref(cols, x_shape, kernel, strides,
                                                      order="chw")):
            raise AssertionError(f"{where}: the channels are in the wrong place. im2col's "
                                 "columns run (FH, FW, C), channel last, as in "
                                 "w.reshape(-1, C_out)")
        compare_array(got, want, where)
    return ("correct: every window's row goes back where it came from, and a pixel shared by "
            "windows collects all of their shares — including the channels, odd sizes and "
            "strides that leave pixels in no window at all")


# ---------------------------------------------------------------------------
# 2. The convolution's kernel gradient


def _dw_ref(x, dout, kernel, strides):
    fh, fw = kernel
    dw = np.zeros((fh, fw, x.shape[3], dout.shape[3]))
    for i, j, r, s in _starts(x.shape[1:3], kernel, strides):
        window = x[:, r:r + fh, s:s + fw, :]                    # (N, FH, FW, C_in)
        dw += np.einsum("nabc,nf->abcf", window, dout[:, i, j, :])
    return dw


_DW_CASES = [((2, 5, 5, 2), (3, 3), (1, 1), 3),
             ((3, 7, 6, 3), (3, 2), (2, 1), 2),
             ((2, 6, 6, 1), (2, 2), (2, 2), 4),
             ((1, 5, 4, 2), (2, 3), (1, 1), 1)]


@checker("scratch_cnn-2", hints=(
    "dW[a, b, c, f] is the sum, over every image n and every output position (i, j), of "
    "x[n, i·SH + a, j·SW + b, c] · dout[n, i, j, f]: each weight met every window.",
    "With im2col: X_cols has one row per (image, position); the forward was "
    "Y = X_cols · K, so dK = X_colsᵀ · dout (dout reshaped to one row per position), "
    "reshaped to (FH, FW, C_in, C_out).",
))
def conv_dw(func):
    expect_own_function(func, "conv_dw")
    rng = np.random.default_rng(2)
    for x_shape, kernel, strides, c_out in _DW_CASES:
        ho, wo = _out_hw(x_shape[1:3], kernel, strides)
        x = rng.normal(size=x_shape)
        dout = rng.normal(size=(x_shape[0], ho, wo, c_out))
        where = f"conv_dw for x {x_shape}, dout {dout.shape}, kernel {kernel}, strides {strides}"
        got = _as_array(func(x.copy(), dout.copy(), kernel, strides), where)
        want = _dw_ref(x, dout, kernel, strides)
        if _close(got, want):
            continue
        if want.shape[2] != want.shape[3] and got.shape == (*kernel, c_out, x_shape[3]):
            raise AssertionError(f"{where}: shape {got.shape} has the in and out channels "
                                 "swapped; Keras's kernel layout is (FH, FW, C_in, C_out)")
        if _close(got, want[::-1, ::-1]):
            raise AssertionError(f"{where}: your dW is the kernel gradient rotated by 180° — "
                                 "the flipped kernel belongs to dx, not to dW, which is the "
                                 "input correlated with dout, unflipped")
        if x_shape[0] > 1 and _close(got, want / x_shape[0]):
            raise AssertionError(f"{where}: you divide by the batch size. dW adds up over the "
                                 "batch; the loss's mean over the batch is already in dout")
        if x_shape[0] > 1 and _close(got, _dw_ref(x[:1], dout[:1], kernel, strides)):
            raise AssertionError(f"{where}: only the first image counts; sum over the batch")
        if _close(got, want / (ho * wo)):
            raise AssertionError(f"{where}: you average over the output positions; every "
                                 "window adds its share to the shared weights")
        compare_array(got, want, where)
    return ("correct: each weight is shared by every window of every image, so its gradient "
            "sums the input under it times dout over all of them — no flip, no averaging")


# ---------------------------------------------------------------------------
# 3. Max-pool backward


def _maxpool_backward_ref(x, dout, pool, strides, mode="winner"):
    """mode: "winner" (right: the first maximum in scan order gets dout, overlaps add),
    "write" (overlaps overwrite), "spread" (every cell of the window gets dout),
    "mean" (every cell gets dout / window size)."""
    ph, pw = pool
    dx = np.zeros_like(x, dtype=np.float64)
    n, c = x.shape[0], x.shape[3]
    for i, j, r, s in _starts(x.shape[1:3], pool, strides):
        window = x[:, r:r + ph, s:s + pw, :].reshape(n, ph * pw, c)
        g = dout[:, i, j, :]
        if mode in ("spread", "mean"):
            share = g / (ph * pw) if mode == "mean" else g
            dx[:, r:r + ph, s:s + pw, :] += share[:, None, None, :]
            continue
        best = window.argmax(axis=1)                                   # (N, C)
        for b in range(n):
            for ch in range(c):
                a, bb = divmod(int(best[b, ch]), pw)
                if mode == "write":
                    dx[b, r + a, s + bb, ch] = g[b, ch]
                else:
                    dx[b, r + a, s + bb, ch] += g[b, ch]
    return dx


_POOL_CASES = [((1, 4, 4, 1), (2, 2), (2, 2)),
               ((2, 5, 7, 3), (2, 2), (2, 2)),
               ((1, 5, 5, 2), (3, 3), (1, 1)),
               ((2, 7, 6, 2), (3, 3), (2, 2))]


@checker("scratch_cnn-3", hints=(
    "Only the largest cell of a window reached the output, so only it influenced the loss: "
    "find, for each window and channel, where the maximum is (np.argmax of the flattened "
    "window) and send that window's dout there; every other cell gets 0.",
    "When the stride is smaller than the window, windows overlap and one cell can win "
    "several of them: it then collects every one of their gradients (+=, not =).",
))
def maxpool_backward(func):
    expect_own_function(func, "maxpool_backward")
    rng = np.random.default_rng(3)
    for x_shape, pool, strides in _POOL_CASES:
        ho, wo = _out_hw(x_shape[1:3], pool, strides)
        x = rng.normal(size=x_shape)                        # continuous: no ties
        dout = rng.uniform(1, 2, size=(x_shape[0], ho, wo, x_shape[3]))
        where = f"maxpool_backward for x {x_shape}, pool_size {pool}, strides {strides}"
        got = _as_array(func(x.copy(), dout.copy(), pool, strides), where)
        want = _maxpool_backward_ref(x, dout, pool, strides)
        if _close(got, want):
            continue
        if _close(got, _maxpool_backward_ref(x, dout, pool, strides, "mean")):
            raise AssertionError(f"{where}: you share dout out evenly over the window — that is "
                                 "average pooling's backward. Max pooling passed on one cell only")
        if _close(got, _maxpool_backward_ref(x, dout, pool, strides, "spread")):
            raise AssertionError(f"{where}: every cell of the window gets the gradient, but only "
                                 "the largest one reached the output")
        if _close(got, _maxpool_backward_ref(x, dout, pool, strides, "write")):
            raise AssertionError(f"{where}: where windows overlap, a cell that wins two of them "
                                 "keeps only the last gradient — add them instead of overwriting")
        compare_array(got, want, where)
    return ("correct: each gradient goes to its window's winner, a cell that wins several "
            "overlapping windows adds them up, and rows or columns no window covers get 0")


# ---------------------------------------------------------------------------
# 4. Experiment: how large may the learning rate be?

#: The learning rates the exercise asks the learner to try.
LEARNING_RATES = (0.3, 0.6, 0.9, 1.5, 2.4)
KERNEL_STEPS = 60
KERNEL_IMAGES = 64
_SOBEL = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=np.float32)
_measured: dict = {}


def kernel_learning_losses(lr: float, xs=None, steps: int = KERNEL_STEPS) -> list[float]:
    """The chapter's kernel-learning loop (a 3×3 kernel from zeros towards the Sobel
    kernel, mean squared error, plain gradient descent) at learning rate ``lr``; the
    loss before every step. ``xs``: the images (the first 64 MNIST training digits)."""
    from .. import layers, ops

    if xs is None:
        xs = _first_digits()
    targets = ops.conv2d(xs, _SOBEL[:, :, None, None])
    learner = layers.Conv2D(1, 3, use_bias=False, input_shape=xs.shape[1:], seed=0)
    learner.params["kernel"][...] = 0
    losses = []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            diff = learner.forward(xs) - targets
            losses.append(float(np.mean(diff.astype(np.float64) ** 2)))
            learner.backward(2 * diff / diff.size, input_grad=False)
            learner.params["kernel"] -= np.float32(lr) * learner.grads["kernel"]
    return losses


def _first_digits():
    from .. import data

    with contextlib.redirect_stdout(io.StringIO()):   # the loader says where it found MNIST
        (x_train, _), _ = data.load_mnist()
    return data.prepare(x_train[:KERNEL_IMAGES])


def _converges(losses) -> bool:
    """Converged: the run ends at its lowest loss, and it is finite."""
    return bool(np.isfinite(losses[-1]) and losses[-1] <= min(losses))


def _runs() -> dict:
    if not _measured:
        xs = _first_digits()
        for lr in LEARNING_RATES:
            _measured[lr] = kernel_learning_losses(lr, xs)
    return _measured


def largest_stable_rate() -> float:
    """The largest of :data:`LEARNING_RATES` at which the loop converges (re-measured)."""
    runs = _runs()
    return max(lr for lr in LEARNING_RATES if _converges(runs[lr]))


def stability_boundary() -> tuple[float, float]:
    """(the largest rate of :data:`LEARNING_RATES` that converges, the smallest that does
    not), re-measured: the exercise's answer."""
    runs = _runs()
    return largest_stable_rate(), min(lr for lr in LEARNING_RATES if not _converges(runs[lr]))


def _listed(value, what):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        raise AssertionError(f"{what} should be a number, one of the learning rates "
                             f"{LEARNING_RATES}, got {value!r}")
    picked = [lr for lr in LEARNING_RATES if np.isclose(float(value), lr)]
    if not picked:
        raise AssertionError(f"{what} = {value!r} is not one of the learning rates the "
                             f"exercise lists, {LEARNING_RATES}")
    return picked[0]


@checker("scratch_cnn-4", hints=(
    "Run the loop once per learning rate, from a kernel of zeros each time, and keep the "
    "list of losses; a run converges when its loss keeps falling to the last step.",
    "Look at the end of each run, not only at its beginning: a too-large rate can make "
    "the first steps look fast before the loss turns and grows without bound.",
), expected=stability_boundary)
def stability(answer):
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise AssertionError("answer_4 should be a pair (the largest rate that converges, the "
                             f"smallest that does not), got {answer!r}")
    good, bad = _listed(answer[0], "answer_4[0]"), _listed(answer[1], "answer_4[1]")
    runs = _runs()
    best, first_bad = stability_boundary()
    if not _converges(runs[good]):
        if min(runs[good][:10]) < min(runs[best][:10]):
            raise AssertionError("answer_4[0]: at that rate the loss falls faster than at any "
                                 "safe rate in the first steps, then turns and grows — judge a "
                                 "run by its end, not by its start")
        raise AssertionError("answer_4[0]: at that rate the loss does not settle: the steps "
                             "overshoot")
    if good < best:
        raise AssertionError("answer_4[0]: that rate converges, but so does a larger one of "
                             "the list")
    if _converges(runs[bad]):
        raise AssertionError("answer_4[1]: that rate converges; the second number is the "
                             "smallest rate at which the run fails")
    if bad > first_bad:
        raise AssertionError("answer_4[1]: that rate fails, but so does a smaller one of the list")
    return ("correct: below a limit set by the loss's steepest curvature each step shrinks the "
            "error, and a larger rate gets there in fewer steps; beyond the limit each step "
            "overshoots further than the last, and the loss grows without bound — the limit "
            "lies between your two rates")


# ---------------------------------------------------------------------------
# 5. The relative error


@checker("scratch_cnn-5", hints=(
    "Elementwise: |a − b| divided by max(|a| + |b|, 1e-8); then one number for the whole "
    "array.",
    "The one number is the largest ratio, not the mean: one wrong element is enough to "
    "make a gradient wrong. Return it as a Python float.",
))
def relative_error(func):
    expect_own_function(func, "relative_error")
    rng = np.random.default_rng(4)
    a = rng.normal(size=(3, 4))

    def ratio(x, y):
        return np.abs(x - y) / np.maximum(np.abs(x) + np.abs(y), 1e-8)

    cases = [(a, a, "equal arrays"),
             (a, a * (1 + 1e-6), "nearly equal arrays"),
             (np.zeros(3), np.zeros(3), "two zero arrays"),
             (np.array([1.0, 2.0]), np.array([3.0, 2.0]), "[1, 2] and [3, 2]"),
             (rng.normal(size=(2, 5)), rng.normal(size=(2, 5)), "random arrays")]
    for x, y, what in cases:
        expected = float(np.max(ratio(x, y)))
        got = func(x.copy(), y.copy())
        if got is None or np.size(got) != 1:
            raise AssertionError(f"relative_error of {what} should be one number, got {got!r}")
        got = float(np.asarray(got).reshape(()))
        if not np.isfinite(got):
            raise AssertionError(f"relative_error of {what} is {got}: keep the denominator "
                                 "away from zero with the 1e-8 floor")
        if np.isclose(got, expected, rtol=1e-6, atol=1e-15):
            continue
        diff = np.abs(x - y)
        if expected > 0 and np.isclose(got, float(np.mean(ratio(x, y))), rtol=1e-6):
            raise AssertionError(f"relative_error of {what}: that is the mean ratio; a gradient "
                                 "check needs the largest, since one wrong element is enough")
        with np.errstate(divide="ignore", invalid="ignore"):
            one_sided = [float(np.max(diff / np.abs(x))), float(np.max(diff / np.abs(y)))]
        if expected > 0 and any(np.isclose(got, v, rtol=1e-6) for v in one_sided):
            raise AssertionError(f"relative_error of {what}: you divide by one of the two "
                                 "arrays; the denominator is |a| + |b|, symmetric in a and b")
        if expected > 0 and np.isclose(got, float(np.max(diff)), rtol=1e-6):
            raise AssertionError(f"relative_error of {what}: that is the absolute difference; "
                                 "divide it by |a| + |b| so the scale of the gradient cancels")
        direction = "too large" if got > expected else "too small"
        raise AssertionError(f"relative_error of {what} = {got:.3g} is {direction}")
    return ("correct: symmetric in a and b, free of the gradients' scale, the worst element "
            "decides, and two zeros compare as equal")
