"""before_you_start's sentences about its small experiments, asserted on its glued values."""

from glued import glued

g = glued("before_you_start")


def test_three_learning_rates_three_behaviours():
    # "the weight creeps towards 3 (still at {gd_slow})", "with 0.4 it arrives",
    # "with 1.05 every step overshoots ... {gd_diverged} away"
    assert 2 < g["gd_slow"] < 2.9
    assert abs(g["gd_good"] - 3) < 1e-3
    assert g["gd_diverged"] > 3


def test_chain_rule_agrees_with_the_numeric_derivative():
    # "They agree to {chain_rule_error}"
    assert g["chain_rule_error"] < 1e-6


def test_adam_ends_lower_than_gradient_descent():
    # "it creeps along x (loss {sgd}); Adam moves both coordinates at a similar pace (loss {adam})"
    assert g["adam_final_loss"] < g["sgd_final_loss"] / 10
