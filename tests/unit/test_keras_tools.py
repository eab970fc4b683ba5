"""cnnlib.keras_tools.plot_model: a diagram, or a clear message when a tool is missing."""


import pytest

from cnnlib import keras_tools


def _model():
    keras = pytest.importorskip("keras")
    return keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(),
                             keras.layers.Dense(2)])


def test_message_names_what_is_missing(monkeypatch, capsys):
    monkeypatch.setattr(keras_tools.shutil, "which", lambda name: None)
    assert keras_tools.plot_model(_model()) is None
    out = capsys.readouterr().out
    assert out.startswith("No model diagram: missing")
    assert "Graphviz's `dot` program" in out


def test_draws_when_pydot_and_graphviz_are_there():
    if keras_tools.missing_for_plot_model():
        pytest.skip("pydot or graphviz is not installed here")
    image = keras_tools.plot_model(_model())
    assert image.data[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_model():
    with pytest.raises(ValueError, match="expected a Keras model, got str"):
        keras_tools.plot_model("model")
