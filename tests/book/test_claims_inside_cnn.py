"""inside_cnn's sentences about its results, asserted on the values its stored run glued."""

from glued import glued

g = glued("inside_cnn")


def test_good_enough_to_look_inside():
    # "the model classifies {inside_test_acc} of the test digits correctly: good enough that
    # what it learned is worth looking at"
    assert g["inside_test_acc"] > 0.9


def test_the_telling_digit_is_right_but_not_sure():
    # "a digit that the model classifies correctly but *without* full confidence"
    assert 0.5 < g["pick_p"] < 0.95


def test_hiding_parts_lowers_the_probability():
    # "hiding them lowers the probability of the true class, here by up to {occ_max_drop}"
    assert 0 < g["occ_max_drop"] <= g["pick_p"]


def test_training_makes_neighbouring_weights_similar():
    # "Before training the correlation is {corr_before}, close to 0 ...; after training it
    # is {corr_after}"
    assert abs(g["corr_before"]) < 0.15 and g["corr_after"] > g["corr_before"] + 0.2


def test_training_rewrote_the_kernels():
    # "The weights moved by {kernel_change} of their initial size: training rewrote the
    # kernels rather than nudging them"
    assert g["kernel_change"] > 0.5
