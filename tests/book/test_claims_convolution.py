"""convolution's sentences about its results, asserted on the values its stored run glued."""

from glued import glued

g = glued("convolution")


def test_corner_read_once_centre_nine_times():
    # "on a 6×6 input a corner pixel is read by {cover_corner} window, a central one by
    # {cover_centre}"
    assert g["cover_corner"] == 1
    assert g["cover_centre"] == 9


def test_tensorflow_differs_only_by_rounding():
    # "The largest difference on the random input is {conv_max_diff}: rounding error of
    # 32-bit floats, nothing more."
    assert 0 <= g["conv_max_diff"] < 1e-5


def test_flip_changes_the_map_and_tensorflow_correlates():
    # "The two maps differ in {flip_n_differ} of their {flip_n_values} values, and
    # TensorFlow's `conv2d` gives the cross-correlation, the one without the flip."
    assert 0 < g["flip_n_differ"] <= g["flip_n_values"]
    assert g["tf_is_correlation"] is True
    assert g["tf_is_convolution"] is False


def test_rgb_kernel_has_27_weights_and_a_bias():
    # "The layer has {rgb_conv_params} parameters: 3·3·3 = 27 weights and one bias."
    assert g["rgb_conv_params"] == 3 * 3 * 3 + 1


def test_bottleneck_counts():
    # "The single 3×3 layer has {direct_params} parameters; the bottleneck has
    # {bneck_1x1} + {bneck_3x3} = {bneck_params}"
    assert g["direct_params"] == 36_928
    assert (g["bneck_1x1"], g["bneck_3x3"]) == (1_040, 9_280)
    assert g["bneck_params"] == g["bneck_1x1"] + g["bneck_3x3"] == 10_320


def test_bottleneck_is_cheaper_in_parameters_and_multiply_adds():
    # "{bneck_ratio:.1f} times fewer, and {bneck_macs_ratio:.1f} times fewer multiply-adds"
    assert g["bneck_ratio"] == g["direct_params"] / g["bneck_params"]
    assert g["bneck_ratio"] > 1
    assert g["bneck_macs_ratio"] > 1


def test_pooling_keeps_the_next_layers_parameters_and_a_1x1_cuts_them():
    # "Pooling cuts the next layer's multiply-adds (fewer positions: {next_macs_pool}
    # instead of {next_macs_none}) but not one of its parameters ({next_params_pool} either
    # way); the 1×1 convolution cuts both ({next_params_onebyone} parameters)."
    assert g["next_macs_pool"] < g["next_macs_none"]
    assert g["next_params_pool"] == g["next_params_none"]
    assert g["next_params_onebyone"] < g["next_params_none"]
    assert g["next_macs_onebyone"] < g["next_macs_none"]
