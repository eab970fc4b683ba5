"""The values a chapter glued in its stored full-profile run, for the book's claims tests.

    from glued import glued
    g = glued("scratch_cnn")
    assert g["scratch_speed_ratio"] < 1   # the sentence that says "faster"

One reader for the tests and the README's results table (scripts/results_table.py).
"""

import importlib.util
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("results_table", ROOT / "scripts" / "results_table.py")
_results_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_results_table)


@lru_cache(maxsize=None)
def _glued(chapter: str) -> tuple:
    return tuple(_results_table.glued(chapter).items())


def glued(chapter: str) -> dict:
    """name -> value of everything ``chapters/<chapter>.ipynb`` glued in its stored outputs."""
    return dict(_glued(chapter))
