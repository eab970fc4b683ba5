"""fashion_mnist's sentences about its results, asserted on the values its stored run glued."""

import numpy as np
from glued import glued

g = glued("fashion_mnist")


def test_the_validation_classes_are_roughly_balanced():
    # "The classes come out roughly balanced: between {min} and {max} validation images each."
    assert g["fashion_val_class_max"] / g["fashion_val_class_min"] < 1.15


def test_early_stopping_fired_after_the_best_epoch():
    # "Training stopped after {epochs} epochs ... the validation loss was lowest at epoch
    # {best} ..., and the {patience} epochs after it did not beat it."
    assert g["fashion_epochs"] < g["fashion_max_epochs"]
    assert g["fashion_epochs"] == g["fashion_best_epoch"] + g["fashion_patience"]
    val = g["fashion_val_losses"]
    assert int(np.argmin(val)) + 1 == g["fashion_best_epoch"]


def test_training_loss_falls_while_validation_loss_turns_up():
    # "the training loss keeps falling, from {first} to {last}, while the validation loss
    # levels off and turns up again, to {last_val} in the last epoch against its best {best_val}"
    losses, val = g["fashion_losses"], g["fashion_val_losses"]
    assert all(b < a for a, b in zip(losses, losses[1:]))
    assert g["fashion_last_val_loss"] > g["fashion_best_val_loss"]
    assert val[-1] > min(val) and val[0] > min(val)


def test_upper_body_garments_make_most_errors_and_shirt_is_hardest():
    # "One upper-body garment taken for another ... makes up {share} of all the errors, and
    # *{hardest}* has the lowest accuracy of all classes" — and the summary's
    # "the upper-body garments, and *{hardest}* most of all"; the explanation is a shirt's
    assert g["fashion_upper_error_share"] > 0.5
    assert g["fashion_hardest_class"] == "Shirt"
    assert abs(g["fashion_hardest_accuracy"] - min(g["fashion_per_class_accuracy"])) < 1e-4


def test_the_run_is_close_to_the_notes():
    # "the notes report 0.9156 and 0.2423, {gap} points apart in accuracy. Runs differ a little"
    assert g["fashion_note_gap_points"] < 1.0
    assert abs(g["fashion_test_loss"] - 0.2423) < 0.05


def test_fewer_parameters():
    # "It has fewer parameters than the notes' model" (the epoch times that follow are
    # glued as measured, with no comparison drawn from them)
    assert g["fashion_best_params"] < g["note_params"]
    assert g["fashion_best_epoch_seconds"] > 0 and g["fashion_epoch_seconds"] > 0


def test_the_decaying_rate_makes_the_last_epoch_a_good_one():
    # "cosine decay ... so the last epoch is a good one to keep"
    val = g["fashion_best_val_losses"]
    assert val[-1] <= min(val) * 1.02


def test_the_gain_in_words_is_the_gain():
    # "buy {gain_words} of test accuracy" / "lift the test accuracy by {gain_words}";
    # "a gain of {gain_points} percentage points"
    gain = g["fashion_gain_points"]
    assert abs(gain - 100 * (g["fashion_best_test_accuracy"] - g["fashion_test_accuracy"])) < 1e-9
    assert gain > 0
    half = round(gain * 2) / 2
    words = g["fashion_gain_words"]
    assert words.startswith("about ") == (abs(gain - half) >= 0.05)
    number = {0.5: "half a point", 1: "one point", 1.5: "one and a half points",
              2: "two points", 2.5: "two and a half points", 3: "three points"}
    assert words.removeprefix("about ") == number[half]


def test_most_of_the_gain_is_in_the_upper_body_classes():
    # "Most of the gain is in three classes, {classes}: between them they hold {share} of the
    # extra validation images ... — upper-body garments, the classes the confusion matrix
    # pointed at."
    assert g["fashion_gain_top3_share"] > 0.5
    assert set(g["fashion_gain_top3"]) <= {"T-shirt/top", "Pullover", "Coat", "Shirt"}


def test_the_ablation_sentences_say_what_was_measured():
    # "Taking out *{largest}* costs the most, {points} points of validation accuracy. Two runs
    # of the full recipe that differ only in their seed land {noise} points apart ... and
    # {beyond} of the six changes move the accuracy by more than that"
    scores = g["fashion_ablation"]
    full = scores["full recipe"]
    cost = {name: 100 * (full - acc) for name, acc in scores.items() if name != "full recipe"}
    assert len(cost) == 6
    largest = max(cost, key=cost.get)
    assert g["fashion_ablation_largest"] == largest.removeprefix("without ")
    assert abs(g["fashion_ablation_largest_points"] - cost[largest]) < 0.02
    assert g["fashion_ablation_largest_points"] > 0               # "costs", not "gains"
    noise = g["fashion_ablation_noise_points"]
    assert abs(noise - 100 * abs(g["fashion_ablation_second_seed"] - full)) < 0.02
    beyond = g["fashion_ablation_beyond_noise"]       # the glued scores are rounded: allow it
    assert sum(abs(c) > noise + 0.01 for c in cost.values()) <= beyond
    assert beyond <= sum(abs(c) > noise - 0.01 for c in cost.values())


def test_the_ablation_is_cheaper_as_the_text_says():
    # "Seven more runs of twelve epochs on 48,000 images, at {minutes} minutes each, would take
    # longer than this whole chapter does ... the first {images} training images" and "Eight
    # epochs on a fifth of the data"
    assert g["fashion_best_epochs"] == 12 and g["fashion_n_train"] == 48_000
    assert 7 * g["fashion_best_train_minutes"] > g["chapter_minutes_full"]
    assert 0.15 <= g["fashion_ablation_images"] / g["fashion_n_train"] <= 0.25
    assert g["fashion_ablation_epochs"] < g["fashion_best_epochs"]


def test_the_stored_runs_lie_in_their_seed_ranges():
    # "re-run with {n} seeds, the notes' model lands between {min} and {max}, the improved
    # one between {min} and {max}"
    for name in ("fashion_test_accuracy", "fashion_best_test_accuracy"):
        assert g[f"{name}_seeds"] >= 3
        assert g[f"{name}_seed_min"] - 5e-5 <= g[name] <= g[f"{name}_seed_max"] + 5e-5


def test_the_short_run_rewards_fast_learning_as_the_text_says():
    # "batch normalization is the only ingredient whose loss costs accuracy beyond chance.
    # Taking out the flips, the dropout or the third block, or training in batches of 32,
    # gives a *higher* validation accuracy, and the constant learning rate lands inside the
    # band ... batches of 32 take four times as many steps per epoch ... Eight epochs on a
    # fifth of the data"
    scores, noise = g["fashion_ablation"], g["fashion_ablation_noise_points"]
    cost = {name: 100 * (scores["full recipe"] - acc) for name, acc in scores.items()}
    assert g["fashion_ablation_largest"] == "batch normalization"
    assert cost["without batch normalization"] > noise
    for name in ("without the flips", "without dropout", "without the third block", "batches of 32"):
        assert cost[name] < -noise, name
    assert abs(cost["constant learning rate 0.001"]) <= noise
    images = g["fashion_ablation_images"]
    assert round((-(-images // 32)) / (-(-images // 128))) == 4
    assert g["fashion_ablation_epochs"] == 8
