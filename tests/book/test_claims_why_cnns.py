"""why_cnns's sentences about its results, asserted on the values its stored run glued."""

from glued import glued

g = glued("why_cnns")
pooling = glued("pooling")


def _count(text):
    return int(str(text).replace(",", ""))


def test_the_cnn_has_about_eight_times_fewer_parameters():
    # "The dense network has {dense_params} parameters, the CNN {cnn_params} — about
    # {param_ratio:.0f} times fewer."
    assert g["param_ratio"] == _count(g["dense_params"]) / _count(g["cnn_params"])
    assert 7.5 < g["param_ratio"] < 8.5
    # "The first convolution has only {conv1_params} parameters"
    assert g["conv1_params"] == 3 * 3 * 1 * 16 + 16


def test_fewer_parameters_but_more_multiply_adds():
    # "The dense net needs {macs_dense} multiply-adds per image, the CNN {macs_cnn}:
    # {macs_ratio} times {macs_word}, with {param_ratio} times fewer parameters ...
    # Arithmetic it does not save, not against this dense net." (and the summary's
    # "{param_ratio} times fewer parameters ... but {macs_ratio} times {macs_word}")
    assert g["macs_cnn"] > g["macs_dense"]
    assert g["macs_word"] == "more"
    assert g["macs_ratio"] == g["macs_cnn"] / g["macs_dense"] > 1


def test_against_a_dense_layer_with_the_same_outputs_the_convolution_wins_by_orders():
    # "the convolution wins on both counts by orders of magnitude: the dense layer needs
    # {conv_vs_dense_params} times the first convolution's parameters and
    # {conv_vs_dense_macs} times its multiply-adds"
    assert g["conv_vs_dense_params"] > 1_000
    assert g["conv_vs_dense_macs"] > 10


def test_pooling_sentence_matches_the_pooling_chapters_measurement():
    # "It makes the features change *less* under a small shift of the input, but not
    # little: measured in {ref}`chapter-pooling`, a one-pixel shift still changes 2×2
    # max-pooled features by more than half as much as it changes unpooled ones."
    assert pooling["shift1_max2"] < pooling["shift1_none"]
    assert pooling["shift1_max2"] > 0.5 * pooling["shift1_none"]


def test_the_dense_net_overfits_more():
    # "a gap of {gap_dense}, the mark of a model that memorises part of its training set.
    # The CNN's gap is {gap_cnn}, {gap_word}."
    assert g["gap_dense"] > 0.02
    assert g["gap_cnn"] < g["gap_dense"]
    assert g["gap_word"] == "smaller"
    # "only {n_train} training images"
    assert _count(g["n_train"]) == 5_000


def test_shuffling_leaves_the_dense_net_and_sinks_the_cnn():
    # "its accuracy on shuffled pixels differs from its accuracy on real ones by
    # {dense_shuf_diff}, the noise of training."
    assert g["dense_shuf_diff"] == abs(g["acc_dense_shuf"] - g["acc_dense"])
    assert g["dense_shuf_diff"] < 0.01
    # "The CNN, {cnn_real_word} the dense net on real images ..., {cnn_shuf_word} on
    # shuffled ones" — and the summary's "removes the CNN's advantage"
    assert g["acc_cnn"] > g["acc_dense"]
    assert g["cnn_real_word"] == "better than"
    assert g["acc_cnn_shuf"] < g["acc_dense_shuf"]
    assert g["cnn_shuf_word"] == "falls behind it"


def test_the_cnn_degrades_more_gracefully_but_degrades():
    # "Shifted by two pixels, the dense net keeps {shift2_dense} accuracy and the CNN
    # {shift2_cnn}. The CNN degrades {shift_grace_word} — but it degrades too: at four
    # pixels it is down to {shift4_cnn}."
    assert g["shift2_cnn"] > g["shift2_dense"]
    assert g["shift_grace_word"] == "more gracefully"
    assert g["shift4_cnn"] < g["shift2_cnn"] < g["acc_cnn"]
    assert g["acc_cnn"] - g["shift4_cnn"] > 0.2


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


def test_a_shuffle_per_image_falls_far_below_the_fixed_shuffle():
    # why_cnns-ex1: "The accuracy falls far below that of the fixed shuffle"
    import re
    text = _solution_output("why_cnns", "def shuffle_each")
    each = float(re.search(r"a new shuffle per image: test accuracy ([0-9.]+)", text)[1])
    assert each < g["acc_dense_shuf"] - 0.3


def test_global_average_pooling_keeps_more_of_its_accuracy_under_a_shift():
    # why_cnns-ex4: "In this run the GAP model keeps the larger share"
    import re
    text = _solution_output("why_cnns", "def make_gap_cnn")
    gap_line = text.split("GAP CNN")[1].splitlines()[0]
    accs = [float(acc) for _, acc in re.findall(r"(\d)px: ([0-9.]+)", gap_line)]
    assert len(accs) == 5
    assert accs[4] / accs[0] > g["shift4_cnn"] / g["acc_cnn"]
