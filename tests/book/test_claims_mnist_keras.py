"""mnist_keras's sentences about its results, asserted on the values its stored run glued."""

from glued import glued

g = glued("mnist_keras")
CONVNETS = ("small", "aug", "drop", "nopool")
MODELS = CONVNETS + ("dense",)


def _falls(values):
    return all(b < a for a, b in zip(values, values[1:]))


def test_every_reader_does_the_same_work():
    # "Either way the chapter trains on the first {n_use}, as many as the sample holds"
    assert g["n_use"] == 5_000
    assert g["n_tr"] + g["n_val"] == g["n_use"]
    # "online, each epoch then reads {all_data_factor} times as many images, about
    # {all_data_minutes} minutes of training ... (instead of {train_minutes})"
    assert g["all_data_factor"] == 60_000 / g["n_use"]
    assert abs(g["all_data_minutes"] - g["all_data_factor"] * g["train_minutes"]) < 1e-6
    assert abs(g["train_minutes"] * 60 - sum(g[f"{m}_time"] for m in MODELS)) < 1e-6


def test_the_best_keras_model_beats_the_numpy_net():
    # "the **{chosen_model}** is kept; its test accuracy is {mnist_test_accuracy}, above what the
    # NumPy network of {ref}`chapter-scratch-cnn` reached on the same {n_tr} training images"
    scratch = glued("scratch_cnn")
    assert g["best_keras_acc"] == g["mnist_test_accuracy"]
    assert g["best_keras_acc"] >= 0.98 and g["best_keras_acc"] > scratch["scratch_test_accuracy"]
    assert g["n_tr"] == scratch["scratch_train_images"]
    # "the same layers on turned and shifted images: {aug_acc}, the best of the five"
    assert g["chosen_model"] == "augmented convnet"
    assert g["aug_acc"] == max(g[f"{m}_acc"] for m in MODELS)


def test_less_data_fewer_digits_right():
    # "The note reports 99.3% for the same model trained on all 60,000 images; with far fewer
    # training images, fewer digits come out right."
    assert g["small_acc"] < 0.993


def test_small_convnet_early_stopping_fired():
    # "The validation loss fell until epoch {small_best_epoch} ... and then rose, to
    # {small_last_val_loss} after {patience} more epochs, while the training loss kept
    # falling overall, from {small_best_loss} to {small_last_loss} ... Early stopping ended the run after {small_epochs} of the {max_epochs}
    # epochs allowed, and the model kept is the one of epoch {small_best_epoch}."
    h, best = g["small_history"], g["small_best_epoch"]
    assert g["small_epochs"] < g["max_epochs"]
    assert g["small_epochs"] == best + g["patience"] == len(h["val_loss"])
    assert all(v > g["small_best_val_loss"] for v in h["val_loss"][best:])
    assert g["small_last_val_loss"] > g["small_best_val_loss"]
    assert all(v < g["small_best_loss"] for v in h["loss"][best:])  # below the best epoch's, each one
    assert g["small_last_loss"] < g["small_best_loss"]


def test_dropout_convnet_early_stopping_fired():
    # "The dropout convnet's validation loss was lowest at epoch {drop_best_epoch}; after
    # {patience} epochs without a new low ... early stopping ended the run after {drop_epochs}
    # of the {max_epochs} epochs allowed ... and put epoch {drop_best_epoch}'s weights back."
    h, best = g["drop_history"], g["drop_best_epoch"]
    assert g["drop_epochs"] < g["max_epochs"]
    assert g["drop_epochs"] == best + g["patience"] == len(h["val_loss"])
    assert all(v > g["drop_best_val_loss"] for v in h["val_loss"][best:])
    # "once the validation loss stops falling while the training loss goes on"
    assert g["drop_last_loss"] < g["drop_best_loss"]
    # "loading the checkpoint gives the same predictions"
    assert g["drop_checkpoint_same"] is True


def test_validation_loss_below_training_loss_at_first():
    # "In the first epochs the validation loss sits *below* the training loss
    # ({drop_first_val_loss} against {drop_first_loss} after epoch 1)"
    assert g["drop_first_val_loss"] < g["drop_first_loss"]
    assert abs(g["drop_first_val_loss"] - g["drop_history"]["val_loss"][0]) < 1e-4


def test_augmented_curves_run_the_other_way_round():
    # "the training loss stays above the validation loss in every epoch, and the training
    # accuracy below the validation accuracy ... the network has nothing to learn by heart"
    h = g["aug_history"]
    assert all(t > v for t, v in zip(h["loss"], h["val_loss"]))
    assert all(t < v for t, v in zip(h["accuracy"], h["val_accuracy"]))
    # "a fixed {aug_epochs} epochs ... so that the last epoch is the one to keep"
    assert g["aug_epochs"] == len(h["loss"])
    assert g["aug_last_val_loss"] <= 1.2 * min(h["val_loss"])
    assert g["aug_last_val_accuracy"] >= max(h["val_accuracy"]) - 0.01


def test_augmentation_beats_the_plain_and_the_bigger_model():
    # "{aug_gain_points} points above the same layers trained on the images as they are"
    assert abs(g["aug_gain_points"] - 100 * (g["aug_acc"] - g["small_acc"])) < 1e-9
    assert g["aug_gain_points"] > 0
    # "with {drop_to_aug_params} times fewer parameters than the dropout convnet — more varied
    # images did more than more parameters"
    assert g["drop_to_aug_params"] > 10
    assert g["aug_acc"] > g["drop_acc"]


def test_pooling_changes_no_convolution_count():
    # "The three convolutions have {nopool_conv_params} parameters — as many as in the small
    # convnet ({small_conv_params}): pooling has none"
    assert g["nopool_conv_params"] == g["small_conv_params"]
    # the notes' comparison: "none of that difference is pooling's doing"
    assert g["notes_nopool_conv_params"] > g["nopool_conv_params"]


def test_without_pooling_each_epoch_costs_far_more():
    # "Every convolution also runs on full-size maps, so each epoch costs far more."
    # "One epoch without pooling took {nopool_epoch_ratio} times as long as one of the small
    # convnet's, and the whole run ... {nopool_vs_small_words} the small convnet's"
    ratio = g["nopool_epoch_time"] / g["small_epoch_time"]
    assert abs(g["nopool_epoch_ratio"] - ratio) < 1e-6
    assert ratio >= 2
    time_ratio = g["nopool_time"] / g["small_time"]
    assert abs(g["nopool_time_ratio"] - time_ratio) < 1e-6
    expected = (f"{time_ratio:.1f} times as long as" if time_ratio >= 1.2
                else "about as long as" if time_ratio > 0.8 else "less time than")
    assert g["nopool_vs_small_words"] == expected
    # Summary: "without it the parameter count and the time per epoch explode"
    assert g["nopool_ratio"] > 10


def test_without_pooling_the_dense_layer_learns_the_training_images():
    # "The huge dense layer also learns the training images fast: the validation loss was
    # lowest after epoch {nopool_best_epoch} (the small convnet's: epoch {small_best_epoch}),
    # and by the last epoch the model fitted {train} of its training images but {val} of the
    # validation images, a gap of {nopool_last_gap} (the small convnet's: {small_last_gap})"
    assert g["nopool_best_epoch"] < g["small_best_epoch"]
    assert g["nopool_last_accuracy"] > g["nopool_last_val_accuracy"]
    assert g["nopool_last_gap"] > g["small_last_gap"]
    # "Kept at its best epoch it classifies {nopool_acc} ..., against {small_acc} for the same
    # layers with pooling"; side by side: "slower and less accurate than the small convnet"
    assert g["nopool_acc"] < g["small_acc"]
    assert g["nopool_epoch_time"] > g["small_epoch_time"]


def test_the_dense_network_is_cheapest_and_last():
    # "the dense network: {dense_acc} — the cheapest per epoch, but below every convnet"
    assert all(g["dense_acc"] < g[f"{m}_acc"] for m in CONVNETS)
    assert all(g["dense_epoch_time"] < g[f"{m}_epoch_time"] for m in CONVNETS)


def test_one_validation_image():
    # "One validation image is {val_step} of the validation set"
    assert abs(g["val_step"] - 1 / g["n_val"]) < 1e-12


def test_results_table_glue_is_consistent():
    # scripts/results_table.py reads {m}_epochs, {m}_time, {m}_acc for the README's table
    for m in MODELS:
        assert abs(g[f"{m}_epoch_time"] * g[f"{m}_epochs"] - g[f"{m}_time"]) < 1e-6


def test_the_seed_ranges_support_the_rankings_the_text_draws():
    # "another seed moves a model's test accuracy by a few tenths of a percent ... The ranges
    # of the small and the dropout convnet overlap ... The augmented model's lowest run is
    # above every other model's highest, and the dense network's highest below every
    # convnet's lowest"
    names = ("small", "aug", "drop", "nopool", "dense")
    lo = {n: g[f"{n}_acc_seed_min"] for n in names}
    hi = {n: g[f"{n}_acc_seed_max"] for n in names}
    assert all(g[f"{n}_acc_seeds"] == g["small_acc_seeds"] >= 3 for n in names)
    assert all(0 < hi[n] - lo[n] < 0.0125 for n in names)
    assert max(hi[n] - lo[n] for n in names) > 0.007
    assert lo["small"] <= hi["drop"] and lo["drop"] <= hi["small"]
    assert all(lo["aug"] > hi[n] for n in names if n != "aug")
    assert all(hi["dense"] < lo[n] for n in names if n != "dense")
