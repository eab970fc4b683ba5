"""cnnlib.sizes against the floor formula, PyTorch's int padding and Keras's own shapes."""

import pytest

from cnnlib.sizes import (
    conv_output_size,
    output_size_formula,
    pool_output_size,
    receptive_field,
    same_padding,
    unread_rows,
)


@pytest.mark.parametrize(
    "size, k, s, p, expected",
    [
        (28, 3, 1, 0, 26),
        (5, 3, 1, 1, 5),
        (7, 3, 1, 0, 5),
        (28, 5, 1, 0, 24),
        (39, 4, 1, 0, 36),
        (31, 4, 1, 0, 28),
        (7, 3, 2, 0, 3),
        (28, 4, 2, 1, 14),
    ],
)
def test_textbook_formula(size, k, s, p, expected):
    assert conv_output_size(size, k, s, p) == expected
    assert conv_output_size(size, k, s, p, exact=True) == expected
    assert (size + 2 * p - k) / s + 1 == expected


@pytest.mark.parametrize("size, k, s, p, expected, unread", [
    (224, 7, 2, 3, 112, 1),  # ResNet's stem
    (56, 3, 2, 1, 28, 1),  # a 3×3 stride-2 downsampling convolution on an even map
    (28, 5, 2, 0, 12, 1),
    (8, 3, 3, 0, 2, 2),
    (112, 3, 2, 1, 56, 1),  # ResNet's max pool after the stem
])
def test_the_rule_floors_as_pytorch_does(size, k, s, p, expected, unread):
    # PyTorch: torch.nn.Conv2d(1, 1, k, stride=s, padding=p)(torch.zeros(1, 1, size, size))
    # has size ⌊(size + 2p − k)/s⌋ + 1: the same division, floored
    assert conv_output_size(size, k, s, p) == expected == (size + 2 * p - k) // s + 1
    assert unread_rows(size, k, s, p) == unread


def test_exact_explains_the_rows_left_unread_and_a_fit():
    with pytest.raises(ValueError) as err:
        conv_output_size(28, 5, strides=2, padding=0, exact=True)
    msg = str(err.value)
    assert msg.startswith("conv_output_size: ⌊(28 + 2·0 − 5)/2⌋ + 1 = ⌊11.5⌋ + 1 = 12")
    assert "the last row of the padded input (size 28) is never read" in msg
    # 28 + 2P − 5 is odd for every P: no padding fits, a kernel or a stride does
    assert "padding" not in msg.split("try")[1]
    assert "kernel_size 6" in msg and "strides 1" in msg
    assert conv_output_size(28, 5, strides=1, padding=0, exact=True) == 24


def test_exact_names_several_unread_rows():
    with pytest.raises(ValueError, match="the last 2 rows") as err:
        conv_output_size(8, 3, strides=3, padding=0, exact=True)
    assert "padding 2" in str(err.value)
    assert conv_output_size(8, 3, strides=3, padding=2, exact=True) == 4


def test_exact_for_a_resnet_stem_has_no_padding_fix_but_a_kernel_one():
    # H even, F odd, S = 2: (224 + 2P − 7) is odd for every P, no padding divides exactly
    with pytest.raises(ValueError) as err:
        conv_output_size(224, 7, 2, 3, exact=True)
    assert "padding" not in str(err.value).split("try")[1]
    assert "kernel_size 8" in str(err.value)


def test_int_padding_zero_and_valid_agree():
    for size, k, s in [(7, 2, 2), (28, 5, 2), (10, 3, 3)]:
        assert conv_output_size(size, k, s, 0) == conv_output_size(size, k, s, "valid")
        assert pool_output_size(size, k, s, 0) == pool_output_size(size, k, s, "valid")


@pytest.mark.parametrize(
    "args, fragment",
    [
        ((5, 7), "kernel_size 7 is larger than the input of size 5"),
        ((5, 8, 1, 1), "padded input (5 + 2·1 = 7)"),
        ((0, 3), "size must be at least 1"),
        ((28, 0), "kernel_size must be at least 1"),
        ((28, 3, 0), "strides must be at least 1"),
        ((28, 3, -1), "strides must be at least 1"),
        ((28, 3, 1, -1), "padding must not be negative"),
        ((28, 3, 1, "full"), "padding must be 'valid', 'same'"),
        ((28, 3, 1, 1.5), "padding must be 'valid', 'same'"),
        ((28.0, 3), "size must be a whole number"),
        ((28, True), "kernel_size must be a whole number"),
    ],
)
def test_bad_arguments_are_named(args, fragment):
    with pytest.raises(ValueError) as err:
        conv_output_size(*args)
    assert fragment in str(err.value)
    assert str(err.value).startswith("conv_output_size:")


def test_pool_defaults_to_stride_equal_pool_size_and_names_pool_size():
    assert pool_output_size(24, 2) == 12
    assert pool_output_size(26, 2) == 13
    assert pool_output_size(7, 2) == 3  # floors, as Keras does
    assert pool_output_size(7, 2, padding="same") == 4
    assert pool_output_size(5, 3, strides=1) == 3
    with pytest.raises(ValueError, match="pool_output_size: .* never read"):
        pool_output_size(7, 2, exact=True)
    with pytest.raises(ValueError, match="pool_output_size: pool_size 4 is larger"):
        pool_output_size(3, 4)


def test_formula_text():
    assert output_size_formula(28, 5, 1, 0) == "(28 + 2·0 − 5)/1 + 1 = 24"
    assert output_size_formula(28, 5, 2, 0) == "⌊(28 + 2·0 − 5)/2⌋ + 1 = ⌊11.5⌋ + 1 = 12"


def test_same_padding_puts_the_extra_row_after():
    assert same_padding(5, 3, 1) == (1, 1)
    assert same_padding(28, 3, 2) == (0, 1)
    assert same_padding(7, 4, 1) == (1, 2)


def test_receptive_field_of_stacked_3x3():
    assert receptive_field([(3, 1)]) == 3
    assert receptive_field([(3, 1)] * 2) == 5
    assert receptive_field([(3, 1)] * 3) == 7
    with pytest.raises(ValueError, match=r"layers\[1\]"):
        receptive_field([(3, 1), 3])


keras = pytest.importorskip("keras")


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("size", [5, 7, 28, 31])
@pytest.mark.parametrize("k", [1, 2, 3, 5])
@pytest.mark.parametrize("s", [1, 2, 3])
def test_valid_and_same_match_keras(size, k, s, padding):
    if padding == "valid" and k > size:
        return
    conv = keras.layers.Conv2D(1, k, strides=s, padding=padding)
    pool = keras.layers.MaxPooling2D(k, strides=s, padding=padding)
    shape = (1, size, size + 1, 1)
    expected_conv = conv.compute_output_shape(shape)
    expected_pool = pool.compute_output_shape(shape)
    assert conv_output_size(size, k, s, padding) == expected_conv[1]
    assert conv_output_size(size + 1, k, s, padding) == expected_conv[2]
    assert pool_output_size(size, k, s, padding) == expected_pool[1]


def test_coverage_counts_the_windows_over_each_pixel():
    from cnnlib.sizes import coverage

    c = coverage(5, 3)
    assert c[0, 0] == 1 and c[2, 2] == 9 and c.sum() == 9 * 9  # 9 windows of 9 pixels
    assert coverage(5, 3, padding=1).min() == 4
    # stride 2, padding 1 on 6: windows start at padded rows 0, 2, 4; the last image row
    # is read once, and the bottom padding never
    assert list(coverage(6, 3, strides=2, padding=1)[:, 0]) == [1, 2, 1, 2, 1, 1]
    assert coverage((4, 6), (2, 3)).shape == (4, 6)
