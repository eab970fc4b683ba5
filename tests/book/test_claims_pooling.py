"""pooling's sentences about its results, asserted on the values its stored run glued."""

from glued import glued

g = glued("pooling")


def test_strided_conv_counts_weights_and_biases_apart():
    # "`Conv2D(3, 2, strides=2)` ... has {conv_weights} weights and {conv_biases} biases to
    # learn, {conv_instead} parameters in all."
    assert (g["conv_weights"], g["conv_biases"]) == (2 * 2 * 3 * 3, 3)
    assert g["conv_instead"] == g["conv_weights"] + g["conv_biases"]


def test_shift_measurement_is_on_the_full_sample():
    # "Shift each of {n_shift} test digits one pixel to the right"
    assert g["n_shift"] == 2000


def test_pooling_helps_less_than_the_slogan_suggests():
    # "The honest result: pooling helps, less than the slogan suggests. A one-pixel shift
    # changes the unpooled features by {shift1_none}, the 2×2 max-pooled ones by
    # {shift1_max2} and the average-pooled ones by {shift1_avg2}: 2×2 max pooling still
    # leaves {shift1_max2_kept} of the change."
    assert g["shift1_max2"] < g["shift1_none"]
    assert g["shift1_avg2"] < g["shift1_none"]
    assert g["shift1_max2_kept"] == g["shift1_max2"] / g["shift1_none"]
    assert g["shift1_max2_kept"] > 0.5        # "less than the slogan suggests"
    # why_cnns says "still changes 2×2 max-pooled features by more than half as much"
    # (tests/book/test_claims_why_cnns.py asserts the same on these values)


def test_larger_windows_absorb_more_and_global_pooling_almost_nothing_moves():
    # "Larger windows absorb more (4×4 max: {shift1_max4}), and global average pooling ...
    # is almost unmoved ({shift1_gap})."
    assert g["shift1_max4"] < g["shift1_max2"]
    assert g["shift1_gap"] < 0.01


def test_three_pixel_shift_word():
    # "By a three-pixel shift even the 2×2 max-pooled features change by {shift3_max2},
    # {shift3_word} than the unpooled ones change under a one-pixel shift."
    word = "more" if g["shift3_max2"] > g["shift1_none"] else "less"
    assert g["shift3_word"] == word
    assert g["shift3_max2"] > g["shift1_max2"]


def test_receptive_fields():
    # "Without pooling, the third layer's values see {rf_plain}×{rf_plain} pixels: a piece
    # of a stroke ... With two poolings in between, the same three convolutions see
    # {rf_pooled}×{rf_pooled}, most of the digit." (and the summary's
    # "{rf_plain}×{rf_plain} ... without it, {rf_pooled}×{rf_pooled} with two poolings")
    assert g["rf_plain"] == 7
    assert g["rf_pooled"] == 18
    assert g["rf_pooled"] > 28 / 2


def test_pooling_changes_no_convolutions_count():
    # "Pooled or not, the three convolutions have the same {np_convs} parameters, and the
    # pooling layers have {pool_params}: pooling changes no layer's weights."
    assert g["np_convs"] == g["wp_convs"] == 55_744
    assert g["pool_params"] == 0


def test_pooling_shrinks_the_map_and_the_dense_layer_after_it():
    # "Without pooling the last map holds {np_flat} values, and a dense layer on it needs
    # {np_dense} parameters, {np_dense_share} of the whole network ... With pooling the
    # last map is {wp_flat} values and the same dense layer has {wp_dense},
    # {dense_ratio} times fewer." — and the box "pooling reduces the parameters"
    assert (g["np_flat"], g["wp_flat"]) == (22 * 22 * 64, 3 * 3 * 64)
    assert g["np_dense"] == g["np_flat"] * 64 + 64
    assert g["wp_dense"] == g["wp_flat"] * 64 + 64
    assert g["dense_ratio"] == g["np_dense"] / g["wp_dense"] > 10
    assert g["np_dense_share"] > 0.9       # "a huge layer"


def test_the_notes_comparison_mixes_two_changes():
    # "the note's pooled convolutions have {notes_convs} parameters against {np_convs}, and
    # all of that gap comes from the second convolution's 32 filters instead of 64"
    assert g["notes_convs"] == 320 + 9_248 + 18_496
    assert g["notes_convs"] < g["np_convs"]
    assert g["np_convs"] == g["wp_convs"]    # pooling's own share of the gap is zero


# ---------------------------------------------------------------------------
# The exercises' solutions: what their explanations say about the stored run.


def _solution_output(chapter, needle):
    """The stored text output of the solution cell of ``chapter`` whose source has ``needle``."""
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "chapters" / f"{chapter}.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    (cell,) = [c for c in cells if c["cell_type"] == "code" and needle in "".join(c["source"])
               and "solution" in c.get("metadata", {}).get("tags", [])]
    return "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))


def test_without_pooling_the_model_trains_slower():
    # pooling-ex5: "in this run it is the slower one, as the printout below shows"
    import re
    text = _solution_output("pooling", "def as_keras")
    seconds = dict(re.findall(r"^(pooled|unpooled)\s+([0-9.]+) s to train", text, re.M))
    assert float(seconds["unpooled"]) > float(seconds["pooled"])
