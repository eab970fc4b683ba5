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
