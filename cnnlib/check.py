"""Checks for the book's exercises: tell a learner what is right, never the answer.

Every exercise has an id such as ``"convolution-1"``. Its checker, registered
with :func:`checker`, compares the learner's answer with a reference that
cnnlib computes, and reports *what* was expected (a type, a shape, the first
mismatching element) without printing the expected values themselves.
A chapter's check cell is one line::

    check.exercise("convolution-1", my_conv2d)

An unsolved exercise (the answer is ``...``, ``None``, or a function that
raises ``NotImplementedError``) reports "not solved yet" and the notebook runs
on. When the environment variable ``CNNLIB_GRADE_LOG`` names a file, each
result is also appended there as one JSON line, which is how the grading tool
collects a submission's results.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

import numpy as np

__all__ = [
    "Result",
    "checker",
    "exercise",
    "evaluate",
    "registered",
    "compare_value",
    "compare_array",
    "expect_function",
    "NotSolved",
]

PASS, FAIL, UNSOLVED = "pass", "fail", "not solved"


class NotSolved(Exception):
    """Raised inside a checker when the learner's answer is still a stub."""


@dataclass(frozen=True)
class Result:
    """The outcome of one exercise check."""

    exercise: str
    status: str  # "pass", "fail" or "not solved"
    message: str

    @property
    def passed(self) -> bool:
        return self.status == PASS

    def __str__(self) -> str:
        mark = {PASS: "✔", FAIL: "✘", UNSOLVED: "…"}[self.status]
        return f"{mark} Exercise {self.exercise}: {self.message}"


_CHECKERS: dict = {}


def checker(exercise_id: str):
    """Register ``func(answer) -> str`` as the checker of ``exercise_id``.

    The checker returns a short success message, raises ``AssertionError`` with
    a hint when the answer is wrong, or :class:`NotSolved`.
    """

    def register(func):
        if exercise_id in _CHECKERS and _CHECKERS[exercise_id] is not func:
            raise ValueError(f"checker: exercise id {exercise_id!r} is registered twice")
        _CHECKERS[exercise_id] = func
        return func

    return register


def registered() -> list[str]:
    """Ids of every exercise cnnlib can check."""
    _load_all()
    return sorted(_CHECKERS)


def _load_all():
    from . import exercises  # noqa: F401  (registers the checkers)


def _is_stub(answer) -> bool:
    return answer is None or answer is Ellipsis


def exercise(exercise_id: str, answer) -> None:
    """Check ``answer`` for exercise ``exercise_id``: print the verdict (and log it)."""
    result = evaluate(exercise_id, answer)
    print(result)
    _log(result)


def evaluate(exercise_id: str, answer) -> Result:
    """The :class:`Result` of checking ``answer``, without printing or logging it."""
    _load_all()
    if exercise_id not in _CHECKERS:
        known = ", ".join(sorted(_CHECKERS)) or "none"
        raise ValueError(f"exercise: unknown exercise id {exercise_id!r}; known ids: {known}")
    try:
        if _is_stub(answer):
            raise NotSolved
        message = _CHECKERS[exercise_id](answer)
        result = Result(exercise_id, PASS, message or "correct")
    except (NotSolved, NotImplementedError):
        result = Result(exercise_id, UNSOLVED, "not solved yet — replace the stub and run again")
    except AssertionError as err:
        result = Result(exercise_id, FAIL, f"not yet right: {err}")
    except Exception as err:  # the learner's code raised: say so, keep the notebook going
        result = Result(exercise_id, FAIL, f"your code raised {type(err).__name__}: {err}")
    return result


def _log(result: Result) -> None:
    path = os.environ.get("CNNLIB_GRADE_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(asdict(result), ensure_ascii=False) + "\n")


# ----------------------------------------------------------------------------
# Comparators used by the checkers. They raise AssertionError with a hint that
# describes the expected answer without revealing it.


def expect_function(answer, name: str) -> None:
    """The answer should be a function the learner wrote, named ``name`` in the hint."""
    if not callable(answer):
        raise AssertionError(f"{name} should be a function, got {type(answer).__name__}")


def compare_value(answer, expected, what: str = "the answer", rel_tol: float = 1e-9) -> None:
    """A number (or any ``==``-comparable value) equal to ``expected``."""
    if isinstance(expected, (int, float, np.number)) and not isinstance(expected, bool):
        if isinstance(answer, bool) or not isinstance(answer, (int, float, np.number)):
            raise AssertionError(f"{what} should be a number, got {type(answer).__name__}")
        if isinstance(expected, (int, np.integer)) and float(answer) != int(answer):
            raise AssertionError(f"{what} should be a whole number, got {answer!r}")
        if abs(float(answer) - float(expected)) > rel_tol * max(1.0, abs(float(expected))):
            direction = "too large" if answer > expected else "too small"
            raise AssertionError(f"{what} = {answer!r} is {direction}")
        return
    if isinstance(expected, (tuple, list)):
        if not isinstance(answer, (tuple, list, np.ndarray)):
            raise AssertionError(
                f"{what} should be a {type(expected).__name__} of {len(expected)} items, "
                f"got {type(answer).__name__}")
        if len(answer) != len(expected):
            raise AssertionError(
                f"{what} should have {len(expected)} items, got {len(answer)}")
        for i, (got, want) in enumerate(zip(answer, expected)):
            compare_value(got, want, f"{what}[{i}]", rel_tol)
        return
    if answer != expected:
        raise AssertionError(f"{what} = {answer!r} is not right")


def compare_array(answer, expected, what: str = "the array", atol: float = 1e-5) -> None:
    """An array of ``expected``'s shape whose values agree within ``atol``."""
    expected = np.asarray(expected)
    try:
        got = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        raise AssertionError(
            f"{what} should be an array of numbers, got {type(answer).__name__}"
        ) from None
    if got.shape != expected.shape:
        raise AssertionError(f"{what} should have shape {expected.shape}, got {got.shape}")
    bad = ~np.isclose(got, expected, atol=atol, rtol=1e-5)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise AssertionError(
            f"{what} has the right shape {got.shape}, but {int(bad.sum())} of {got.size} values "
            f"differ; the first is at index {first} (you have {got[first]:.4g})"
        )
