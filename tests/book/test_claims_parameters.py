"""parameters' sentences about its numbers, asserted on the values its stored run glued."""

from glued import glued

g = glued("parameters")


def test_pooling_changes_no_convolution_parameter():
    # "The convolutions' parameters do not change at all"
    assert g["p_conv_unpooled"] == g["p_conv_pooled"]


def test_every_extra_parameter_sits_in_the_first_dense_layer():
    # "Every extra parameter ... sits in the first dense layer, which now reads ... values"
    assert g["p_nopool_total"] > g["p_pool_total"]
    assert (g["p_nopool_total"] - g["p_pool_total"]
            == (g["flat_unpooled"] - g["flat_pooled"]) * 64)


def test_the_notes_comparison_roughly_doubles():
    # "The convolutions' count roughly doubles (below), and none of that is pooling's doing"
    assert 1.8 < g["notes_conv_ratio"] < 2.2


def test_almost_all_parameters_in_the_first_dense_layer():
    # "the parameters sit almost all in one place: the first dense layer holds {share}"
    assert g["fashion_dense_share"] > 0.9


def test_the_output_grows_a_hundredfold():
    # "The output has {output_growth} times as many values"
    assert g["output_growth"] > 100
