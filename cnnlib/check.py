"""Checks for the book's exercises: tell a learner what is right, never the answer.

Every exercise has an id such as ``"convolution-1"``. Its checker, a function in
``cnnlib/exercises/<chapter>.py``, compares the learner's answer with a reference
that cnnlib computes, and reports *what* was expected (a type, a shape, the first
mismatching element) without printing the expected values themselves.
A chapter's check cell is one line::

    check.exercise("convolution-1", my_conv2d)

Stuck? ``check.hint("convolution-1")`` prints hint 1, the next call hint 2, and so on,
then points to the solution below the exercise.

An unsolved exercise (the answer is ``...``, ``None``, or a function that
raises ``NotImplementedError``) reports "not solved yet" and the notebook runs
on. When the environment variable ``CNNLIB_GRADE_LOG`` names a file, each
result is also appended there as one JSON line (a learner's own record). The
grader never reads it: :mod:`cnnlib.grading` re-checks every answer itself, in a
process the learner's code cannot reach.

The ids, the result record and the registry of checkers are the exercise contract,
:mod:`cnnlib.exercises.contract`; the comparators the checkers use are in
:mod:`cnnlib.exercises.hints`. This module re-exports what a chapter or a checker calls.
"""

from __future__ import annotations

import os

from .exercises.contract import (
    FAIL,
    GRADE_LOG_ENV,
    PASS,
    UNSOLVED,
    NotSolved,
    Result,
    chapter_of,
    checker,
    hints_of,
    log_result,
    lookup,
    registered,
)
from .exercises.hints import compare_array, compare_value, expect_function, expect_own_function
from .validate import ArgumentError, named

__all__ = [
    "Result",
    "checker",
    "exercise",
    "evaluate",
    "hint",
    "registered",
    "compare_value",
    "compare_array",
    "expect_function",
    "expect_own_function",
    "NotSolved",
]

_UNSOLVED_MESSAGE = "not solved yet — replace the stub and run again"


NO_MORE_HINTS = "no more hints — the solution is in the book below the exercise"

_hints_shown: dict[str, int] = {}  # exercise id → hints printed so far (this kernel)


@named
def hint(exercise_id: str) -> None:
    """Print the next hint of ``exercise_id``: hint 1, then hint 2, ..., then where the
    solution is. An unknown id raises an error listing the chapter's ids."""
    try:
        hints = hints_of(exercise_id)
    except ArgumentError:
        try:
            chapter = chapter_of(exercise_id)
        except ArgumentError:
            raise ArgumentError(f"an exercise id is '<chapter>-<n>', e.g. 'convolution-3', "
                                f"got {exercise_id!r}") from None
        known = ", ".join(registered(chapter)) or f"none (no chapter {chapter!r})"
        raise ArgumentError(f"unknown exercise id {exercise_id!r}; the ids of {chapter}: "
                            f"{known}") from None
    shown = _hints_shown.get(exercise_id, 0)
    if shown >= len(hints):
        print(f"Exercise {exercise_id}: {NO_MORE_HINTS}")
        return
    _hints_shown[exercise_id] = shown + 1
    print(f"Hint {shown + 1} of {len(hints)} for exercise {exercise_id}: {hints[shown]}")


def _is_stub(answer) -> bool:
    return answer is None or answer is Ellipsis


@named
def exercise(exercise_id: str, answer) -> None:
    """Check ``answer`` for exercise ``exercise_id``: print the verdict (and log it)."""
    result = _evaluate(exercise_id, answer)
    print(result)
    path = os.environ.get(GRADE_LOG_ENV)
    if path:
        log_result(result, path)


@named
def evaluate(exercise_id: str, answer) -> Result:
    """The :class:`Result` of checking ``answer``, without printing or logging it."""
    return _evaluate(exercise_id, answer)


def _evaluate(exercise_id: str, answer) -> Result:
    check_answer = lookup(exercise_id)  # an unknown id is the book's mistake: it raises
    try:
        if _is_stub(answer):
            raise NotSolved
        message = check_answer(answer)
        return Result(exercise_id, PASS, message or "correct")
    except (NotSolved, NotImplementedError):  # the stub, at any depth of the learner's code
        return Result(exercise_id, UNSOLVED, _UNSOLVED_MESSAGE)
    except AssertionError as err:
        return Result(exercise_id, FAIL, f"not yet right: {err}")
    except Exception as err:  # the learner's code raised: say so, keep the notebook going
        return Result(exercise_id, FAIL, f"your code raised {type(err).__name__}: {err}")
