"""The checkers of "A CNN from scratch": the right answer passes, each classic wrong answer
is named, the library's own function is rejected.

Stubs, hints and ids, the same for every chapter: test_exercises_every.py."""

import numpy as np
import pytest
from exercise_common import assert_fails, verdict

from cnnlib import gradcheck, ops
from cnnlib.exercises import contract, scratch_cnn


def _out(h, w, kernel, strides):
    return (h - kernel[0]) // strides[0] + 1, (w - kernel[1]) // strides[1] + 1


# ---------------------------------------------------------------- 1. col2im


def make_col2im(mode="add", order="hwc"):
    def col2im(cols, x_shape, kernel, strides):
        n, h, w, c = x_shape
        (fh, fw), (sh, sw) = kernel, strides
        ho, wo = _out(h, w, kernel, strides)
        if order == "hwc":
            rows = cols.reshape(n, ho, wo, fh, fw, c)
        else:
            rows = cols.reshape(n, ho, wo, c, fh, fw).transpose(0, 1, 2, 4, 5, 3)
        x = np.zeros(x_shape)
        for i in range(ho):
            for j in range(wo):
                win = x[:, i * sh:i * sh + fh, j * sw:j * sw + fw, :]
                if mode == "write":
                    win[...] = rows[:, i, j]
                else:
                    win += rows[:, i, j]
        return x
    return col2im


def test_col2im_right_answer_passes_and_equals_cnnlibs():
    assert verdict("scratch_cnn-1", make_col2im()).passed
    mine = make_col2im()
    cols = np.random.default_rng(0).normal(size=(2 * 2 * 6, 3 * 2 * 3))
    assert np.allclose(mine(cols, (2, 5, 7, 3), (3, 2), (2, 1)),
                       ops.col2im(cols, (2, 5, 7, 3), (3, 2), (2, 1), (2, 6)))


def test_col2im_overwriting_is_named():
    assert_fails("scratch_cnn-1", make_col2im(mode="write"), "overwrites instead of adding")


def test_col2im_channels_first_is_named():
    assert_fails("scratch_cnn-1", make_col2im(order="chw"), "channel last")


def test_col2im_averaging_is_named():
    def averaged(cols, x_shape, kernel, strides):
        total = make_col2im()(cols, x_shape, kernel, strides)
        count = make_col2im()(np.ones_like(cols), x_shape, kernel, strides)
        return total / np.maximum(count, 1)
    assert_fails("scratch_cnn-1", averaged, "average")


def test_col2im_rejects_cnnlibs_own():
    assert_fails("scratch_cnn-1", ops.col2im, "write it yourself")


# ---------------------------------------------------------------- 2. dW


def right_dw(x, dout, kernel, strides):
    cols = ops.im2col(x, kernel, strides, dout.shape[1:3])
    return (cols.T @ dout.reshape(-1, dout.shape[3])).reshape(*kernel, x.shape[3], dout.shape[3])


@pytest.mark.parametrize("wrong, words", [
    (lambda x, d, k, s: right_dw(x, d, k, s)[::-1, ::-1], ("rotated by 180°", "dx")),
    (lambda x, d, k, s: right_dw(x, d, k, s) / len(x), ("batch size",)),
    (lambda x, d, k, s: right_dw(x[:1], d[:1], k, s), ("first image",)),
    (lambda x, d, k, s: right_dw(x, d, k, s) / (d.shape[1] * d.shape[2]), ("output positions",)),
    (lambda x, d, k, s: right_dw(x, d, k, s).transpose(0, 1, 3, 2), ("swapped",)),
])
def test_dw_wrong_answers_are_named(wrong, words):
    assert_fails("scratch_cnn-2", wrong, *words)


def test_dw_right_answer_passes():
    assert verdict("scratch_cnn-2", right_dw).passed


def test_dw_rejects_a_library_function():
    assert_fails("scratch_cnn-2", np.einsum, "write it yourself")


# ---------------------------------------------------------------- 3. max-pool backward


def make_pool_backward(mode="winner"):
    def maxpool_backward(x, dout, pool_size, strides):
        (ph, pw), (sh, sw) = pool_size, strides
        dx = np.zeros_like(x)
        ho, wo = dout.shape[1:3]
        for n in range(x.shape[0]):
            for c in range(x.shape[3]):
                for i in range(ho):
                    for j in range(wo):
                        win = x[n, i * sh:i * sh + ph, j * sw:j * sw + pw, c]
                        g = dout[n, i, j, c]
                        if mode == "mean":
                            dx[n, i * sh:i * sh + ph, j * sw:j * sw + pw, c] += g / (ph * pw)
                            continue
                        if mode == "spread":
                            dx[n, i * sh:i * sh + ph, j * sw:j * sw + pw, c] += g
                            continue
                        a, b = np.unravel_index(np.argmax(win), win.shape)
                        if mode == "write":
                            dx[n, i * sh + a, j * sw + b, c] = g
                        else:
                            dx[n, i * sh + a, j * sw + b, c] += g
        return dx
    return maxpool_backward


def test_pool_backward_right_answer_passes():
    assert verdict("scratch_cnn-3", make_pool_backward()).passed


@pytest.mark.parametrize("mode, words", [("mean", "average pooling"),
                                         ("spread", "only the largest"),
                                         ("write", "instead of overwriting")])
def test_pool_backward_wrong_answers_are_named(mode, words):
    assert_fails("scratch_cnn-3", make_pool_backward(mode), words)


def test_pool_backward_rejects_cnnlibs_layer():
    from cnnlib import layers
    assert_fails("scratch_cnn-3", layers.MaxPooling2D(2).backward, "write it yourself")


# ---------------------------------------------------------------- 4. the learning rate


def test_learning_rate_right_answer_passes_and_is_measured():
    best, first_bad = scratch_cnn.stability_boundary()
    assert best in scratch_cnn.LEARNING_RATES and first_bad > best
    assert contract.expected_of("scratch_cnn-4") == (best, first_bad)
    assert verdict("scratch_cnn-4", (best, first_bad)).passed
    runs = scratch_cnn._runs()
    assert scratch_cnn._converges(runs[best]) and not scratch_cnn._converges(runs[first_bad])


def test_learning_rate_wrong_answers_are_named():
    best, first_bad = scratch_cnn.stability_boundary()
    rates = scratch_cnn.LEARNING_RATES
    smaller = max(lr for lr in rates if lr < best)
    larger_bad = min(lr for lr in rates if lr > first_bad)
    assert_fails("scratch_cnn-4", (smaller, first_bad), "so does a larger one")
    assert_fails("scratch_cnn-4", (first_bad, larger_bad), "by its end, not by its start")
    assert_fails("scratch_cnn-4", (best, smaller), "that rate converges")
    assert_fails("scratch_cnn-4", (best, larger_bad), "so does a smaller one")
    assert_fails("scratch_cnn-4", (1.0, first_bad), "not one of the learning rates")
    assert_fails("scratch_cnn-4", ("0.9", first_bad), "should be a number")
    assert_fails("scratch_cnn-4", best, "should be a pair")


# ---------------------------------------------------------------- 5. relative error


def right_rel(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)))


@pytest.mark.parametrize("wrong, words", [
    (lambda a, b: float(np.mean(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8))),
     ("mean",)),
    (lambda a, b: float(np.max(np.abs(a - b) / np.maximum(np.abs(a), 1e-8))), ("one of the two",)),
    (lambda a, b: float(np.max(np.abs(a - b))), ("absolute difference",)),
    (lambda a, b: float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b)))), ("1e-8",)),
])
def test_relative_error_wrong_answers_are_named(wrong, words):
    with np.errstate(divide="ignore", invalid="ignore"):
        assert_fails("scratch_cnn-5", wrong, *words)


def test_relative_error_right_passes_and_library_rejected():
    assert verdict("scratch_cnn-5", right_rel).passed
    assert_fails("scratch_cnn-5", gradcheck.rel_error, "write it yourself")


# ---------------------------------------------------------------- more cases


def test_learning_rate_a_run_that_fails_without_a_fast_start(monkeypatch):
    good = [1.0 / (k + 1) for k in range(60)]
    slow_bad = [1.0 + k for k in range(60)]
    fake = {0.3: good, 0.6: good, 0.9: good, 1.5: slow_bad, 2.4: slow_bad}
    monkeypatch.setattr(scratch_cnn, "_measured", fake)
    assert verdict("scratch_cnn-4", (0.9, 1.5)).passed
    assert_fails("scratch_cnn-4", (1.5, 2.4), "does not settle")
