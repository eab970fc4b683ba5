"""designing_cnns' sentences about its results, asserted on the values its stored run glued."""

import math

import pytest
from glued import glued

g = glued("designing_cnns")


def test_the_cnn_has_far_fewer_parameters_but_more_multiply_adds():
    # "The CNN has {param_ratio} times fewer parameters than the dense net ..., but
    # {macs_ratio} times {macs_word} multiply-adds ..., and {act_ratio} times as many activations"
    assert g["design_cnn_params"] * 5 < g["design_dense_params"]
    assert math.isclose(g["design_param_ratio"], g["design_dense_params"] / g["design_cnn_params"])
    assert g["design_macs_word"] == "more" and g["design_cnn_macs"] > g["design_dense_macs"]
    assert math.isclose(g["design_macs_ratio"], g["design_cnn_macs"] / g["design_dense_macs"])
    assert g["design_act_ratio"] > 1


def test_against_a_dense_layer_with_the_same_outputs_the_convolution_wins_by_orders():
    # "The dense layer needs {params} times the parameters and {macs} times the
    # multiply-adds: about {p_orders} and {m_orders} orders of magnitude."
    assert g["design_same_out_params_orders"] == round(math.log10(g["design_same_out_params"]))
    assert g["design_same_out_macs_orders"] == round(math.log10(g["design_same_out_macs"]))
    assert g["design_same_out_params_orders"] >= 2 and g["design_same_out_macs_orders"] >= 2


def test_the_famous_totals_are_keras_counts():
    # "The totals are Keras's own count_params()."
    assert g["design_vgg16_params"] == 138_357_544
    assert g["design_resnet50_params"] == 25_636_712
    assert g["design_mobilenetv2_params"] == 3_538_984


def test_vgg_parameters_sit_in_dense_layers_and_its_arithmetic_in_convolutions():
    # "VGG16 has {ratio} times the parameters of ResNet50, and {share} of them sit in its
    # three dense layers — which do only {mac_share} of its multiply-adds"
    assert g["design_vgg_over_resnet_params"] > 1
    assert g["design_vgg_dense_param_share"] > 0.5
    assert g["design_vgg_dense_mac_share"] < 0.05


def test_mobilenet_needs_fewer_macs_and_activations_outweigh_weights():
    # "MobileNetV2 needs {ratio} times fewer MACs than ResNet50"
    assert g["design_resnet_over_mobilenet_macs"] > 1
    assert math.isclose(g["design_resnet_over_mobilenet_macs"],
                        g["design_resnet50_gmacs"] / g["design_mobilenetv2_gmacs"])
    # "Activations are the third bill: ... a batch of 32 images keeps {a} GiB ..., against {w}
    # GiB for its weights."
    assert g["design_vgg_batch32_gib"] > g["design_vgg_weights_gib"]


def test_where_the_parameters_and_macs_go():
    # grouping by map side covers every layer
    assert g["design_sides_cover_all"] is True
    # "the large early maps cost MACs, the deep small maps (and dense layers) cost parameters"
    for name, (param_side, mac_side) in g["design_top_sides"].items():
        assert param_side < mac_side, name
    # "In VGG16 the most parameters sit at the map side 1 (1 means the dense layers)"
    assert g["design_vgg_top_param_side"] == 1
    # "its MACs stay within one order of magnitude from the 224² maps down to the 14² ones,
    # while its parameters grow stage by stage"
    macs, par = g["design_vgg_macs_by_side"], g["design_vgg_params_by_side"]
    assert max(macs) / min(macs) < 10
    assert all(b > a for a, b in zip(par, par[1:]))


def test_three_3x3_see_as_far_as_one_7x7_for_fewer_weights():
    assert g["design_stack_field"] == g["design_big_field"] == 7
    assert math.isclose(g["design_stack_ratio"], 49 / 27)
    assert math.isclose(g["design_stack_macs_ratio"], 49 / 27)


def test_the_strided_convolution_gives_the_same_output_for_a_quarter_of_the_macs():
    assert g["design_strided_same"] is True
    assert g["design_strided_macs_ratio"] == pytest.approx(4, rel=0.02)


def test_global_average_pooling_is_smaller_and_steadier_under_shifts():
    # "{ratio} times fewer parameters"
    assert g["design_gap_ratio"] > 1
    assert g["design_flat_head_params"] == 7 * 7 * 128 * 10 + 10
    # "flattened features change by {flat}..., the averaged ones by {gap}. ... the average
    # over positions barely notices where the pattern was."
    assert g["design_gap_steadier"] is True
    assert g["design_shift2_gap"] < 0.1 < g["design_shift2_flat"]


def test_the_bottleneck_counts_are_resnet50s_own():
    # "fewer weights and multiply-adds, and the counts are those of ResNet50's own block
    # (which adds a bias per filter)"
    assert g["design_bneck_ratio"] > 1 and g["design_bneck_macs_ratio"] > 1
    biases = [64, 64, 256]
    assert [a + b for a, b in zip(g["design_bneck_rows"], biases)] == g["design_resnet_block_rows"]


def test_lenet_count_against_the_paper():
    assert g["design_lenet_paper_params"] == 60_000
    assert g["design_lenet_params"] == 61_706 == g["design_lenet5_params"]


def test_the_best_model_and_the_target_words():
    # "Chosen on the validation set, the best of the three is {best_name}, with {acc} on the
    # test set: {target_words} the 0.935 this chapter aimed at."
    names = {"lenet5": "LeNet-5", "vgg_style": "the VGG-style net", "small_resnet": "the small ResNet"}
    best = max(names, key=lambda k: g[f"design_{k}_val_accuracy"])
    assert g["design_best_name"] == names[best]
    assert g["design_best_test_accuracy"] == g[f"design_{best}_test_accuracy"]
    gap = 100 * (g["design_best_test_accuracy"] - 0.935)
    words = f"{gap:.2f} points above" if gap >= 0 else f"{-gap:.2f} points short of"
    assert g["design_target_words"] == words
    # "({epochs} epochs, {budget_words} the 15 minutes set for it)"
    within = g["design_small_resnet_train_seconds"] <= 15 * 60
    assert g["design_budget_words"] == ("within" if within else "over")
    for key in names:
        assert g[f"design_{key}_epochs"] <= g["design_max_epochs"][key]


def test_skips_keep_the_gradients_even():
    # "Without skips, the gradient norms {direction} steadily on the way down to the input: the
    # layer nearest the input gets {first_over_last} times the gradient of the last, and the
    # norms span a factor of {plain}. With skips the span is {skip}"
    plain, skip = g["design_grad_plain"], g["design_grad_skip"]
    assert len(plain) == len(skip) == 33
    assert math.isclose(g["design_spread_plain"], max(plain) / min(plain))
    assert math.isclose(g["design_spread_skip"], max(skip) / min(skip))
    grow = g["design_plain_first_over_last"] > 1
    assert g["design_plain_direction"] == ("grow" if grow else "shrink")
    steps = [(b < a) if grow else (b > a) for a, b in zip(plain, plain[1:])]
    assert sum(steps) >= 0.75 * len(steps)                       # "steadily"
    # "every layer learns at a similar pace ...; the skips keep the gradients even"
    assert g["design_spread_plain"] > 3 * g["design_spread_skip"]
    assert g["design_spread_skip"] < 10


def test_the_stored_runs_lie_in_their_seed_ranges():
    # "make reproduce re-ran this chapter with {n} seeds, and over them LeNet-5 lands between
    # {min} and {max}, the VGG-style net between ..., the small ResNet between ..."
    for net in ("lenet5", "vgg_style", "small_resnet"):
        name = f"design_{net}_test_accuracy"
        assert g[f"{name}_seeds"] >= 3
        assert g[f"{name}_seed_min"] - 5e-5 <= g[name] <= g[f"{name}_seed_max"] + 5e-5


def test_the_ranking_holds_over_the_seeds():
    # "The three ranges do not overlap: in every one of these runs the small ResNet beats the
    # VGG-style net, which beats LeNet-5."
    lo = {n: g[f"design_{n}_test_accuracy_seed_min"] for n in ("lenet5", "vgg_style", "small_resnet")}
    hi = {n: g[f"design_{n}_test_accuracy_seed_max"] for n in ("lenet5", "vgg_style", "small_resnet")}
    assert hi["lenet5"] < lo["vgg_style"] and hi["vgg_style"] < lo["small_resnet"]
