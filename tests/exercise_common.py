"""Helpers shared by the tests of the exercises' checkers (tests/unit/test_exercises_*.py).

``from exercise_common import assert_fails, verdict`` works because tests/conftest.py puts
tests/ on ``sys.path``, with pytest's default import mode and with ``--import-mode=importlib``.
"""

from cnnlib import check


def verdict(exercise_id, answer):
    """The :class:`~cnnlib.check.Result` of checking ``answer`` for ``exercise_id``."""
    return check.evaluate(exercise_id, answer)


def assert_fails(exercise_id, answer, *words):
    """Assert that ``answer`` fails ``exercise_id``'s check with a message that contains
    every one of ``words``; return the result."""
    result = verdict(exercise_id, answer)
    assert result.status == "fail", result
    for word in words:
        assert word in result.message, result.message
    return result
