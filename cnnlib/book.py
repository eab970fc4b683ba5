"""Numbers for the page's prose: ``glue`` a value in a cell, cite it in text.

This is MyST-NB's ``glue`` (the book's pages write ``{glue:text}`name:.4f```),
written so that it also runs where MyST-NB is not installed, as in Colab: the
value is stored in the cell's outputs in the same form MyST-NB reads.
"""

from __future__ import annotations

__all__ = ["glue"]

_PREFIX = "application/papermill.record/"


def glue(name: str, value, display: bool = False) -> None:
    """Store ``value`` under ``name`` for the book's prose.

    display: also show the value in the cell's output.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"glue: name must be a Python-style identifier, got {name!r}")
    try:
        from IPython import get_ipython
        from IPython.core.formatters import format_display_data
        from IPython.display import display as ipy_display
    except ImportError:  # plain Python: nothing to store into
        return
    if get_ipython() is None:
        return
    bundle, metadata = format_display_data(value)
    prefix = "" if display else _PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    ipy_display({prefix + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)
