"""scratch_cnn's sentences about its results, asserted on the values its stored run glued."""

from glued import glued

g = glued("scratch_cnn")


def test_the_speed_sentence_says_what_was_measured():
    # "the NumPy step took {ratio} times as long as Keras's: {less|more} time than Keras"
    assert g["scratch_speed_word"] == ("less" if g["scratch_speed_ratio"] < 1 else "more")


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
