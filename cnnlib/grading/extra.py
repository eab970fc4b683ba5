"""An instructor's hidden test cases: extra checks, run by the grader after the normal one.

An extra-checks file is plain Python that the grader loads into its checker process
(``python -m cnnlib.grading submissions/ --extra-checks extra.py``); it is never part of
the book, of a student copy or of cnnlib::

    from cnnlib.grading.extra import extra_check

    @extra_check("convolution-3")
    def on_a_wide_kernel(conv_layer):
        import numpy as np
        x, w = np.ones((4, 9, 1)), np.ones((1, 7, 1, 1))
        assert conv_layer(x, w).shape == (4, 3, 1), "conv_layer on a 1×7 kernel: wrong shape"

An extra check gets the learner's answer after the normal checker passed it, raises
``AssertionError`` with a message for the learner, or returns an optional short message.
"""

from __future__ import annotations

from typing import Callable

from ..exercises.contract import parse_id
from ..validate import named

__all__ = ["extra_check", "checks_for", "load"]

_EXTRA: dict[str, list[Callable]] = {}


@named
def extra_check(exercise_id: str):
    """Register ``func(answer)`` as one more check of ``exercise_id`` (any number per id)."""
    exercise_id = str(parse_id(exercise_id))

    def register(func):
        _EXTRA.setdefault(exercise_id, []).append(func)
        return func

    return register


def checks_for(exercise_id: str) -> list[Callable]:
    """The extra checks registered for ``exercise_id``, in the order they were."""
    return list(_EXTRA.get(exercise_id, []))


def load(source: str, filename: str = "<extra checks>") -> None:
    """Run the text of an extra-checks file (its ``@extra_check`` functions register
    themselves). The grader reads the file once, before any submission runs, and hands
    its text to each checker process: a submission that edits the file changes nothing."""
    namespace = {"__name__": "cnnlib_extra_checks", "__file__": filename}
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - the instructor's file
