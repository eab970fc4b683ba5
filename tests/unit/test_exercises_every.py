"""What every exercise's checker does, whatever the chapter.

* **Stubs.** The answer ``...`` or ``None`` is "not solved"; where the chapter's answer is a
  function, so is a function that raises ``NotImplementedError``.
* **Hints.** Every exercise has 2 or 3 hints: the book asks for 2 or more, the contract allows
  at most 3 (``contract.MAX_HINTS``); today every checker has exactly 2.
* **Ids.** A chapter's registered ids are ``<chapter>-1`` … ``<chapter>-n``, no gaps, n ≥ 4,
  and its notebook has a check cell for each.

Whether an answer is a function is read from the chapter itself, never executed: the check
cell ``check.exercise("<id>", <name>)`` of chapters/<chapter>.ipynb, and a ``def <name>(`` in
one of the notebook's code cells. A check that needs Keras or TensorFlow to reach the stub
(it builds a model first) is skipped where that is not installed, and only when its verdict
says that was the reason.
"""

import importlib.util
import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
from exercise_common import verdict

from cnnlib import check
from cnnlib.exercises import contract

CHAPTERS_DIR = Path(__file__).resolve().parents[2] / "chapters"
_CHECK = re.compile(
    r"""\bcheck\.exercise\(\s*["'](?P<id>[^"']+)["']\s*,\s*(?P<name>[A-Za-z_]\w*)\s*\)""")
_OPTIONAL = ("keras", "tensorflow")

IDS = check.registered()
CHAPTERS = sorted({contract.chapter_of(i) for i in IDS})


@lru_cache(maxsize=None)
def _code_cells(chapter):
    nb = json.loads((CHAPTERS_DIR / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    return tuple("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                 for c in nb["cells"] if c["cell_type"] == "code")


@lru_cache(maxsize=None)
def _checked_names(chapter):
    """exercise id → the name its check cell passes, for every check cell of the chapter."""
    return {m["id"]: m["name"] for src in _code_cells(chapter) for m in _CHECK.finditer(src)}


def _takes_function(exercise_id):
    """True when the chapter defines the name its check cell passes with ``def``."""
    chapter = contract.chapter_of(exercise_id)
    name = _checked_names(chapter).get(exercise_id)
    return name is not None and any(re.search(rf"^def {re.escape(name)}\(", src, re.M)
                                    for src in _code_cells(chapter))


FUNCTION_IDS = [i for i in IDS if _takes_function(i)]


def _stub(*args, **kwargs):
    raise NotImplementedError


def _skip_if_the_check_lacked(result):
    """Skip when the check failed only because Keras or TensorFlow is not installed."""
    for module in _OPTIONAL:
        missing = importlib.util.find_spec(module) is None
        if missing and f"No module named '{module}" in result.message:
            pytest.skip(f"the check of {result.exercise} needs {module}, which is not installed")


@pytest.mark.parametrize("answer", [..., None], ids=["ellipsis", "None"])
@pytest.mark.parametrize("exercise_id", IDS)
def test_the_stub_is_not_solved(exercise_id, answer):
    result = verdict(exercise_id, answer)
    assert result.status == "not solved", result


@pytest.mark.parametrize("exercise_id", FUNCTION_IDS)
def test_a_stub_function_is_not_solved(exercise_id):
    result = verdict(exercise_id, _stub)
    _skip_if_the_check_lacked(result)
    assert result.status == "not solved", result


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_exercise_has_two_or_three_hints(exercise_id):
    hints = contract.hints_of(exercise_id)
    assert 2 <= len(hints) <= 3, hints


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_chapter_numbers_its_exercises_from_1_without_gaps(chapter):
    ids = check.registered(chapter)
    assert len(ids) >= 4, ids
    assert ids == [f"{chapter}-{n}" for n in range(1, len(ids) + 1)]
    assert sorted(_checked_names(chapter)) == sorted(ids), "the notebook's check cells differ"

