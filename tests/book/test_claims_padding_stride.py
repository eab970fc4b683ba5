"""padding_stride's sentences about its results, asserted on the values its stored run glued."""

from glued import glued

g = glued("padding_stride")


def test_every_row_agrees_with_keras():
    # "Every row agrees."
    assert g["cases_agree"] is True


def test_resnet_layers_as_the_text_says():
    # "to {stem_out}×{stem_out}" ... "to {down_out}×{down_out}; each leaves one padded row unread"
    assert (g["stem_out"], g["down_out"]) == (112, 28)


def test_same_and_pytorch_padding_differ():
    # "The outputs differ:"
    assert g["same_windows"] is False


def test_same_pads_at_the_bottom():
    # "{same_before} on top, {same_after} at the bottom" and "the extra ... bottom and right"
    assert g["same_before"] < g["same_after"]


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


def test_more_than_one_split_matches_same_and_the_least_is_one_on_top():
    # padding_stride-ex4: "A split with one more row at the bottom matches too ... The least
    # padding that matches is what TensorFlow adds"
    import ast
    text = _solution_output("padding_stride", "def valid_after")
    splits = ast.literal_eval(text.split("matching (top, bottom):")[1].strip())
    assert len(splits) >= 2 and min(splits, key=sum) == (1, 2)
    assert all(top == 1 for top, _ in splits)
