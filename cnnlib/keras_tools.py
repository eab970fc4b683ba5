"""Keras conveniences that need something outside Python: the model diagram.

``keras.utils.plot_model`` needs the Python package ``pydot`` *and* Graphviz's ``dot``
program. :func:`plot_model` draws the diagram when both are there, and otherwise
prints one line naming what is missing and how to get it, so a chapter runs on.
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from pathlib import Path

from .validate import ArgumentError, named

__all__ = ["missing_for_plot_model", "plot_model"]


def missing_for_plot_model() -> list[str]:
    """What ``keras.utils.plot_model`` lacks here, in words; empty when it can draw."""
    missing = []
    if importlib.util.find_spec("pydot") is None:
        missing.append("the Python package pydot (pip install pydot)")
    if shutil.which("dot") is None:
        missing.append("Graphviz's `dot` program (apt-get install graphviz, brew install graphviz, "
                       "or `make setup`)")
    return missing


@named
def plot_model(model, show_shapes: bool = True, dpi: int = 72, **kwargs):
    """The model's diagram as an image (``IPython.display.Image``), or ``None``.

    model: a built Keras model; other arguments go to ``keras.utils.plot_model``.
    When pydot or Graphviz is missing, prints what to install and returns ``None``.
    """
    if not (hasattr(model, "layers") and hasattr(model, "count_params")):
        raise ArgumentError(f"expected a Keras model, got {type(model).__name__}")
    missing = missing_for_plot_model()
    if missing:
        print("No model diagram: missing " + " and ".join(missing) + ".")
        return None
    import keras
    from IPython.display import Image

    path = Path(tempfile.mkdtemp(prefix="cnnlib-plot-model-")) / "model.png"
    keras.utils.plot_model(model, to_file=str(path), show_shapes=show_shapes, dpi=dpi, **kwargs)
    return Image(filename=str(path))
