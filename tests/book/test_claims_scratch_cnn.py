"""scratch_cnn's sentences about its results, asserted on the values its stored run glued."""

import math

from glued import glued

g = glued("scratch_cnn")


def test_the_speed_sentence_says_what_was_measured():
    # "the NumPy step on one core took {ratio} times as long as Keras's: {less|more} time than Keras"
    assert g["scratch_speed_word"] == ("less" if g["scratch_speed_ratio"] < 1 else "more")
    # "That a plain NumPy network comes within a small factor of Keras at all"
    assert g["scratch_speed_ratio"] < 4


def test_more_epochs_would_not_help():
    # "over the last five epochs the validation accuracy moved within {spread}"
    # (said to show that it "has levelled off")
    assert g["scratch_val_spread_last5"] <= 0.01


def test_the_network_learned_its_few_examples_by_heart():
    # "the training accuracy reaches {train} while the validation accuracy stays at {val}"
    assert g["scratch_final_train_accuracy"] - g["scratch_final_val_accuracy"] >= 0.02


def test_gradients_agree_to_float64_precision():
    # "agree with the numeric gradients to about as many digits as float64 ... allow"
    assert g["scratch_worst_rel_error"] < 1e-6


def test_same_weights_same_predictions():
    # "float32 rounding: the two compute the same function"
    assert g["scratch_keras_max_diff"] < 1e-5


def test_the_book_figure_is_above_this_run():
    # "DLfS reports ... 98.96% on the test set ... The run above is smaller in two ways"
    assert g["scratch_test_accuracy"] < 0.9896


def test_conv_backward_agrees_with_gradient_tape():
    # "All three agree with TensorFlow to {conv_tape_worst}"
    assert g["conv_tape_worst"] < 1e-10


def test_max_pool_routing_equals_tensorflow_tie_included():
    # "cnnlib's routing equals TensorFlow's, the tie included"
    assert g["pool_tie_same_as_tf"] is True


def test_the_learned_kernel_is_the_sobel_kernel():
    # "The loss falls by a factor of {drop} and the learned kernel is the Sobel kernel to
    # within {err} in every weight"
    assert g["kernel_loss_drop"] > 1000 and g["kernel_max_error"] < 0.05


def test_he_initialisation_is_better_measured():
    # "After one epoch the He-initialised network is at {he} and the 0.01·randn one at
    # {small}" — the text explains why He starts faster, so it must
    assert g["init_he_first"] - g["init_small_first"] > 0.05
    assert g["init_he_last"] > g["init_small_last"]


def test_the_page_run_is_one_of_the_recorded_seeds():
    # "That is one run of {n} that make reproduce made ...: over those seeds the test
    # accuracy lands between {min} and {max}."
    assert g["scratch_test_accuracy_seeds"] >= 3
    assert g["scratch_test_accuracy_seed_min"] <= g["scratch_test_accuracy"] + 5e-5
    assert g["scratch_test_accuracy"] <= g["scratch_test_accuracy_seed_max"] + 5e-5


def test_the_parallel_sentence_says_what_was_measured():
    # "Split over {cores} cores the step took {parallel_ratio} times as long as Keras's, and
    # was {speedup} times as fast as on one core. Not twice"
    assert g["scratch_cores"] >= 2
    assert 1 < g["scratch_parallel_speedup"] < 2
    assert math.isclose(g["scratch_parallel_ratio"] * g["scratch_parallel_speedup"],
                        g["scratch_speed_ratio"], rel_tol=1e-6)


def test_the_fused_sentences_say_what_was_measured():
    # "The gradients agree to {fused_diff} of their size, float32 rounding"
    assert g["scratch_fused_diff"] < 1e-4
    # "Fused, the step took {fused_ratio} times as long as Keras's on one core
    # ({fusion_speedup} times as fast as the three layers)" — the speed-up of the same run
    assert g["scratch_fusion_speedup"] > 1
    assert math.isclose(g["scratch_fused_ratio"] * g["scratch_fusion_speedup"],
                        g["scratch_speed_ratio"], rel_tol=1e-6)
    # "... times as long on {cores} cores: {less|more} time than Keras"
    assert g["scratch_fused_parallel_word"] == (
        "less" if g["scratch_fused_parallel_ratio"] < 1 else "more")


def test_relu_and_pooling_take_a_third_of_the_step_in_the_recorded_profile():
    # "`benchmarks/README.md` keeps its table): ReLU and max pooling, forward and backward,
    # take about a third of the step"
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "benchmarks" / "README.md").read_text()
    rows = dict(re.findall(r"^\| ([^|]+?) \| \**([\d.]+)\** \| [^|]+ \|$", readme, re.M))
    relu_pool = sum(float(rows[k]) for k in ("ReLU forward", "max-pool forward",
                                             "max-pool backward", "ReLU backward"))
    assert 0.25 < relu_pool / float(rows["**step** (all parts)"]) < 0.4


def test_the_blas_sentence_says_which_kernels_ran():
    # "Here NumPy's matrix products ran on {blas}{note}": the note says "narrower vectors than
    # the CPU has" exactly when the kernels the run reported were narrower than its CPU's
    assert "kernels" in g["scratch_blas"]
    assert g["scratch_blas_note"].startswith(": narrower vectors") == g["scratch_blas_narrower"]
    if g["scratch_blas_narrower"]:
        assert "on a CPU with" in g["scratch_blas"]
