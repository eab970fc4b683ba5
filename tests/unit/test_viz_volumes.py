"""cnnlib.viz.volumes: the im2col, volume, 1×1 and batched-shape figures draw what cnnlib
computes (the matrices of ops.im2col, the values of ops.conv2d), fit the text column with
readable labels, and refuse bad shapes with a ValueError that names the argument."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnnlib import ops, sizes, viz


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _texts(fig, gid):
    return [t.get_text() for ax in fig.axes for t in ax.texts if t.get_gid() == gid]


def _numbers(fig, gid):
    return np.array([float(t) for t in _texts(fig, gid)])


def _patches(fig, gid):
    return [p for ax in fig.axes for p in ax.patches if p.get_gid() == gid]


def _bank(shape, seed=0):
    return np.random.default_rng(seed).integers(-1, 2, size=shape)


FIGURES = {
    "im2col": lambda: viz.show_im2col(np.arange(16).reshape(4, 4), _bank((3, 3, 1, 2))),
    "volume": lambda: viz.show_conv_volume((7, 7, 3), kernel_size=3, filters=2),
    "pointwise": lambda: viz.show_pointwise_conv(
        np.random.default_rng(1).normal(size=(26, 26, 8)),
        np.random.default_rng(2).normal(size=(1, 1, 8, 2)), pixel=(13, 13)),
    "batched": lambda: viz.show_batched_conv((100, 28, 28, 1), (5, 5, 1, 30)),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_figure_follows_the_style_guide(name):
    fig = FIGURES[name]()
    assert len(fig.axes) == 1
    width, _ = fig.get_size_inches()
    assert width <= 7.5
    assert fig._suptitle is not None and fig._suptitle.get_text()
    sizes_pt = [t.get_fontsize() for ax in fig.axes for t in ax.texts]
    assert sizes_pt and min(sizes_pt) >= 9
    assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    fig.canvas.draw()  # every label inside the figure
    box = fig.bbox
    for t in fig.axes[0].texts:
        extent = t.get_window_extent()
        assert extent.x0 >= box.x0 - 1 and extent.x1 <= box.x1 + 1, t.get_text()
        assert extent.y0 >= box.y0 - 1 and extent.y1 <= box.y1 + 1, t.get_text()


# --- im2col --------------------------------------------------------------------------------


def test_show_im2col_draws_ops_im2col_and_the_convolution():
    x, bank = np.arange(16).reshape(4, 4), _bank((3, 3, 1, 2))
    fig = viz.show_im2col(x, bank)
    xb = x[None, :, :, None].astype(float)
    cols = ops.im2col(xb, (3, 3), (1, 1), (2, 2))
    assert len(_patches(fig, "cols")) == cols.size == 4 * 9
    np.testing.assert_array_equal(_numbers(fig, "cols"), cols.ravel())
    np.testing.assert_array_equal(_numbers(fig, "kernels"), bank.reshape(9, 2).ravel())
    conv = ops.conv2d(xb, bank.astype(float))[0]                       # (2, 2, 2)
    np.testing.assert_allclose(_numbers(fig, "product"), conv.reshape(4, 2).ravel())
    np.testing.assert_allclose(_numbers(fig, "maps"), conv.transpose(2, 0, 1).ravel())
    assert _texts(fig, "cols-label") == ["cols 4×9\none row per window"]


def test_show_im2col_with_channels_and_strides_keeps_im2col_s_column_order():
    x = np.arange(4 * 4 * 2).reshape(4, 4, 2)
    bank = _bank((2, 2, 2, 1), seed=3)
    fig = viz.show_im2col(x, bank, strides=2)
    cols = ops.im2col(x[None].astype(float), (2, 2), (2, 2), (2, 2))
    assert cols.shape == (4, 8)
    np.testing.assert_array_equal(_numbers(fig, "cols"), cols.ravel())
    np.testing.assert_allclose(_numbers(fig, "maps"),
                               ops.conv2d(x[None].astype(float), bank.astype(float),
                                          strides=2)[0, :, :, 0].ravel())


@pytest.mark.parametrize("x, bank, match", [
    (np.zeros((1, 4, 4, 1)), np.zeros((3, 3, 1, 1)), r"show_im2col: x must be \(H, W\)"),
    (np.zeros((4, 4)), np.zeros((3, 3)), r"kernels must be 4-D .*reshape\(3, 3, 1, 1\)"),
    (np.zeros((4, 4, 2)), np.zeros((3, 3, 1, 1)), r"x has 2 channels .* C = 1"),
    (np.zeros((4, 4)), np.zeros((5, 5, 1, 1)), r"5×5 do not fit in x of 4×4"),
    (np.zeros((28, 28)), np.zeros((5, 5, 1, 2)), r"576 windows .* draw a small case"),
])
def test_show_im2col_refuses_bad_shapes(x, bank, match):
    with pytest.raises(ValueError, match=match):
        viz.show_im2col(x, bank)


# --- a multi-channel convolution ------------------------------------------------------------


def test_show_conv_volume_draws_full_depth_kernels_and_one_map_each():
    fig = viz.show_conv_volume((7, 7, 3), kernel_size=3, filters=2, position=(1, 2))
    out = ops.conv2d(np.zeros((1, 7, 7, 3)), np.zeros((3, 3, 3, 2)))
    oh, ow = out.shape[1:3]
    for f in range(2):
        assert len(_patches(fig, f"kernel{f}")) == 3 * 3 * 3
        maps = _patches(fig, f"map{f}")
        assert len(maps) == oh * ow
        lit = [i for i, p in enumerate(maps) if max(p.get_facecolor()[:3]) < 0.9]
        assert lit == [1 * ow + 2]  # the window's value lands at (1, 2) of every map
    assert _texts(fig, "channel") == ["B", "G", "R"]  # drawn back to front
    assert _texts(fig, "map-label") == [f"map 1: {oh}×{ow}", f"map 2: {oh}×{ow}"]
    assert _texts(fig, "kernel-label") == ["kernel 1: 3×3×3", "kernel 2: 3×3×3"]


@pytest.mark.parametrize("kwargs, match", [
    (dict(input_shape=(7, 7)), r"show_conv_volume: input_shape must be \(H, W, C\)"),
    (dict(input_shape=(4, 4, 3), kernel_size=5), r"kernel_size 5×5 is larger than .* 4×4"),
    (dict(position=(5, 0)), r"position \(5, 0\) is outside the 5×5 map"),
    (dict(filters=5), r"too big to draw .* 3 kernels"),
    (dict(filters=0), r"filters must be at least 1"),
])
def test_show_conv_volume_refuses_bad_shapes(kwargs, match):
    with pytest.raises(ValueError, match=match):
        viz.show_conv_volume(**kwargs)


# --- the 1×1 convolution --------------------------------------------------------------------


def test_show_pointwise_conv_writes_the_pixel_s_new_channels():
    rng = np.random.default_rng(4)
    x, w = rng.normal(size=(6, 5, 4)), rng.normal(size=(1, 1, 4, 3))
    fig = viz.show_pointwise_conv(x, w, pixel=(2, 3), fmt="{:.4f}")
    np.testing.assert_allclose(_numbers(fig, "vector"), x[2, 3], atol=1e-4)
    np.testing.assert_allclose(_numbers(fig, "kernel"), w[0, 0].T.ravel(), atol=1e-4)  # by column
    by_conv = ops.conv2d(x[None], w)[0, 2, 3]
    np.testing.assert_allclose(_numbers(fig, "output"), by_conv, atol=1e-4)
    assert len(_patches(fig, "input")) == 4 and len(_patches(fig, "output-stack")) == 3
    assert len(_patches(fig, "pixel")) == 4 + 3  # the pixel on every channel, in and out
    assert _texts(fig, "output-stack-label") == ["output 6×5×3"]


@pytest.mark.parametrize("x, w, match", [
    (np.zeros((6, 6)), np.zeros((1, 1, 6, 2)), r"show_pointwise_conv: x must be \(H, W, C_in\)"),
    (np.zeros((6, 6, 8)), np.zeros((3, 3, 8, 2)), r"w must be \(1, 1, C_in, C_out\)"),
    (np.zeros((6, 6, 8)), np.zeros((1, 1, 3, 2)), r"x has 8 channels .* C_in = 3"),
    (np.zeros((6, 6, 64)), np.zeros((64, 16)), r"too many to write out"),
])
def test_show_pointwise_conv_refuses_bad_shapes(x, w, match):
    with pytest.raises(ValueError, match=match):
        viz.show_pointwise_conv(x, w)


def test_show_pointwise_conv_refuses_a_pixel_outside():
    with pytest.raises(ValueError, match=r"pixel \(6, 0\) is outside the 6×6 input"):
        viz.show_pointwise_conv(np.zeros((6, 6, 2)), np.zeros((2, 2)), pixel=(6, 0))


# --- the batched shapes ---------------------------------------------------------------------


@pytest.mark.parametrize("input_shape, kernel_shape, strides, padding", [
    ((100, 28, 28, 1), (5, 5, 1, 30), 1, "valid"),
    ((2, 7, 7, 3), (3, 3, 3, 4), 2, "same"),
])
def test_show_batched_conv_labels_the_shapes_im2col_and_conv2d_make(input_shape, kernel_shape,
                                                                     strides, padding):
    fig = viz.show_batched_conv(input_shape, kernel_shape, strides=strides, padding=padding)
    n, h, w, c = input_shape
    fh, fw, _, fn = kernel_shape
    out = ops.conv2d(np.zeros(input_shape, np.float32), np.zeros(kernel_shape, np.float32),
                     strides=strides, padding=padding)
    oh = sizes.conv_output_size(h, fh, strides, padding)
    ow = sizes.conv_output_size(w, fw, strides, padding)
    assert out.shape == (n, oh, ow, fn)
    labels = _texts(fig, "tensor-label")
    assert labels[2] == f"output (N, OH, OW, FN)\n= {out.shape}"
    x = np.zeros(input_shape, np.float32)
    pads, out_hw = ops.plan(input_shape, (fh, fw), (strides, strides), padding)
    assert out_hw == (oh, ow)
    rows, k = ops.im2col(ops.pad2d(x, pads), (fh, fw), (strides, strides), out_hw).shape
    matrices = _texts(fig, "matrix-label")
    assert matrices[0].endswith(f"= ({rows:,}, {k})")
    assert matrices[1].endswith(f"= ({k}, {fn})")
    assert matrices[2].endswith(f"= ({rows:,}, {fn})")
    assert len(_patches(fig, "input")) == 3 * min(n, 3)  # three faces per box


@pytest.mark.parametrize("args, match", [
    (((100, 28, 28), (5, 5, 1, 30)), r"show_batched_conv: input_shape must be 4 sizes"),
    (((100, 28, 28, 3), (5, 5, 1, 30)), r"C = 3 channels but kernel_shape expects 1; "
                                        r"kernels of shape \(5, 5, 3, 30\) fit"),
    (((1, 4, 4, 1), (5, 5, 1, 2)), r"kernel_size 5 is larger than the input of size 4"),
])
def test_show_batched_conv_refuses_bad_shapes(args, match):
    with pytest.raises(ValueError, match=match):
        viz.show_batched_conv(*args)
