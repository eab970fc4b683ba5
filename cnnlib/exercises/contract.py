"""The exercise contract: ids, the result record, and the registry of checkers.

What a chapter, :mod:`cnnlib.check` (which checks an answer in the learner's kernel)
and :mod:`cnnlib.grading` (which runs submitted notebooks) agree on, in one place.

**Ids.** An exercise id is ``"<chapter>-<n>"``: the chapter's file name without
``.ipynb`` (lower case, digits, ``_``) and the exercise's number from 1, e.g.
``"convolution-3"``. :func:`parse_id` splits one into an :class:`ExerciseId`,
:func:`format_id` writes one, :func:`sort_key` orders them naturally
(``pooling-2`` before ``pooling-10``).

**The record.** A check produces a :class:`Result` — ``exercise``, ``status``,
``message`` — and, when the environment variable :data:`GRADE_LOG_ENV`
(``CNNLIB_GRADE_LOG``) names a file, appends it there as one JSON line
(:func:`log_result`); :func:`read_log` reads it back. The grader does not trust it:
it re-checks every answer in its own processes (:mod:`cnnlib.grading`). A check
has one of the :data:`CHECK_STATUSES`; the grader adds the ones only it can see.
:data:`STATUSES` maps every status to its meaning.

**The registry.** The checker of ``"<chapter>-<n>"`` is a function
``checker(answer) -> str`` in the module ``cnnlib.exercises.<chapter>``
(:func:`module_of`), registered with the :func:`checker` decorator. It returns a
short success message, raises ``AssertionError`` with a hint that does not give the
answer away, or :class:`NotSolved`; a ``NotImplementedError`` from the learner's stub
needs no handling (it means "not solved" too). :func:`lookup` imports only the
chapter module it needs; :func:`registered` imports them all (or one chapter's).

A checker also registers its exercise's **hints** (1–3 strings, shown one per call by
``check.hint``; :func:`hints_of`) and, for an answer that is a number, a shape or a short
string, its **expected** value or a zero-argument callable returning it
(:func:`expected_of`) — used only by the book's leak test and the grader, never printed.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from importlib import import_module
from pathlib import Path
from pkgutil import iter_modules
from typing import Callable, NamedTuple

from ..validate import ArgumentError, named, whole

__all__ = [
    "ExerciseId", "parse_id", "format_id", "chapter_of", "sort_key",
    "PASS", "FAIL", "UNSOLVED", "ERROR", "TIMEOUT", "NOT_REACHED", "MISSING",
    "STATUSES", "CHECK_STATUSES", "Result", "GRADE_LOG_ENV", "log_result", "read_log",
    "NotSolved", "checker", "lookup", "module_of", "registered", "HELPER_MODULES",
    "hints_of", "expected_of", "NO_EXPECTED",
]

# ---------------------------------------------------------------------------
# Ids

_CHAPTER = r"[a-z][a-z0-9_]*"
_ID = re.compile(rf"(?P<chapter>{_CHAPTER})-(?P<number>[1-9][0-9]*)")


class ExerciseId(NamedTuple):
    """An id split in two: ``ExerciseId("convolution", 3)`` is ``"convolution-3"``."""

    chapter: str
    number: int

    def __str__(self) -> str:
        return f"{self.chapter}-{self.number}"


@named
def parse_id(exercise_id: str) -> ExerciseId:
    """``"convolution-3"`` → ``ExerciseId("convolution", 3)``; an :class:`ArgumentError`
    (a ``ValueError``) for anything else."""
    match = _ID.fullmatch(exercise_id) if isinstance(exercise_id, str) else None
    if match is None:
        raise ArgumentError(f"an exercise id is '<chapter>-<n>', e.g. 'convolution-3', "
                            f"got {exercise_id!r}")
    return ExerciseId(match["chapter"], int(match["number"]))


@named
def format_id(chapter: str, number: int) -> str:
    """``("convolution", 3)`` → ``"convolution-3"`` (checked by :func:`parse_id`)."""
    return str(parse_id(f"{chapter}-{whole(number, 'number')}"))


def chapter_of(exercise_id: str) -> str:
    """The chapter part of an id: ``"convolution-3"`` → ``"convolution"``."""
    return parse_id(exercise_id).chapter


def sort_key(exercise_id: str):
    """Natural order: by chapter, then by number (ids that do not parse go last, by text)."""
    match = _ID.fullmatch(exercise_id) if isinstance(exercise_id, str) else None
    if match is None:
        return (1, str(exercise_id), 0)
    return (0, match["chapter"], int(match["number"]))


# ---------------------------------------------------------------------------
# Statuses and the result record

PASS, FAIL, UNSOLVED = "pass", "fail", "not solved"
ERROR, TIMEOUT, NOT_REACHED, MISSING = "error", "timeout", "not reached", "missing"

#: Every status of a graded exercise, with its meaning. Only ``pass`` counts as passed.
STATUSES: dict[str, str] = {
    PASS: "the answer is right",
    FAIL: "a wrong answer, or the learner's code raised inside the check",
    UNSOLVED: "the answer is still the stub (..., None, or raise NotImplementedError)",
    TIMEOUT: "the check cell, or a cell before it, ran over its time limit",
    ERROR: "the check cell itself raised (e.g. a NameError), or reported nothing",
    NOT_REACHED: "the run stopped before the check cell (time limit, dead kernel)",
    MISSING: "the notebook has no check cell for this exercise",
}
#: The statuses a check itself reports (and writes to the log); the others are the grader's.
CHECK_STATUSES = frozenset({PASS, FAIL, UNSOLVED})

_MARKS = {PASS: "✔", FAIL: "✘", UNSOLVED: "…"}


@dataclass(frozen=True)
class Result:
    """The outcome of one exercise check: what the learner sees, and the log's record."""

    exercise: str
    status: str  # one of CHECK_STATUSES
    message: str

    def __post_init__(self):
        if self.status not in CHECK_STATUSES:
            raise ArgumentError(f"Result: status must be one of {sorted(CHECK_STATUSES)}, "
                                f"got {self.status!r}")

    @property
    def passed(self) -> bool:
        return self.status == PASS

    def __str__(self) -> str:
        return f"{_MARKS[self.status]} Exercise {self.exercise}: {self.message}"

    def to_json(self) -> str:
        """The record as one line of JSON: ``{"exercise": ..., "status": ..., "message": ...}``."""
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> Result:
        """The record of one log line; a ``ValueError`` when the line is not one."""
        try:
            entry = json.loads(line)
            return cls(str(entry["exercise"]), str(entry["status"]), str(entry["message"]))
        except (KeyError, TypeError) as err:
            raise ValueError(f"not a result record: {line[:80]!r}") from err


#: The environment variable naming the file a check appends its :class:`Result` to.
GRADE_LOG_ENV = "CNNLIB_GRADE_LOG"


def log_result(result: Result, path) -> None:
    """Append ``result`` to the log file ``path`` as one JSON line."""
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(result.to_json() + "\n")


def read_log(path) -> dict[str, Result]:
    """The last :class:`Result` per exercise in a log file (none when it does not exist).

    Lines that are not records (a learner printed into the file) are skipped.
    """
    results = {}
    path = Path(path)
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                result = Result.from_json(line)
            except ValueError:
                continue
            results[result.exercise] = result
    return results


# ---------------------------------------------------------------------------
# The registry


class NotSolved(Exception):
    """Raised inside a checker when the learner's answer is still a stub."""


#: Modules of :mod:`cnnlib.exercises` that are not a chapter's checkers.
HELPER_MODULES = frozenset({"contract", "hints"})

_CHECKERS: dict[str, Callable] = {}
_HINTS: dict[str, tuple[str, ...]] = {}
_EXPECTED: dict[str, object] = {}

#: What :func:`expected_of` returns for an exercise registered without ``expected``.
NO_EXPECTED = None

MAX_HINTS = 3


def module_of(exercise_id: str) -> str:
    """The module whose checker answers ``exercise_id``: ``cnnlib.exercises.<chapter>``."""
    return f"{__package__}.{chapter_of(exercise_id)}"


def _hint_tuple(exercise_id: str, hints) -> tuple[str, ...]:
    if isinstance(hints, str) or not isinstance(hints, (tuple, list)):
        raise ArgumentError(f"hints of {exercise_id!r} must be a tuple of 1–{MAX_HINTS} "
                            f"strings (hint 1, hint 2, ...), got {hints!r}")
    if len(hints) > MAX_HINTS:
        raise ArgumentError(f"hints of {exercise_id!r}: at most {MAX_HINTS}, got {len(hints)}")
    for i, text in enumerate(hints, 1):
        if not isinstance(text, str) or not text.strip():
            raise ArgumentError(f"hint {i} of {exercise_id!r} must be a non-empty string, "
                                f"got {text!r}")
    return tuple(hints)


@named
def checker(exercise_id: str, *, hints=(), expected=NO_EXPECTED):
    """Register ``func(answer) -> str`` as the checker of ``exercise_id``.

    hints: a tuple of 1–3 strings, hint 1 first (``check.hint`` shows the next each call).
    expected: the right answer when it is a number, a tuple/shape or a short string, or a
      zero-argument callable returning it; read only by the leak test and the grader.

    A checker in :mod:`cnnlib.exercises` must live in the module its id names
    (:func:`module_of`); one id has one checker.
    """
    home = module_of(exercise_id)
    hints = _hint_tuple(exercise_id, hints)

    @named(where="checker")
    def register(func):
        module = getattr(func, "__module__", "") or ""
        if module.startswith(f"{__package__}.") and module != home:
            raise ArgumentError(f"the checker of {exercise_id!r} belongs in {home}, "
                                f"not in {module}")
        if _CHECKERS.get(exercise_id, func) is not func:
            raise ArgumentError(f"exercise id {exercise_id!r} is registered twice")
        _CHECKERS[exercise_id] = func
        _HINTS[exercise_id] = hints
        if expected is not NO_EXPECTED:
            _EXPECTED[exercise_id] = expected
        return func

    return register


def hints_of(exercise_id: str) -> tuple[str, ...]:
    """The hints registered for ``exercise_id`` (hint 1 first); an unknown id raises."""
    lookup(exercise_id)
    return _HINTS.get(exercise_id, ())


def expected_of(exercise_id: str):
    """The expected answer of ``exercise_id`` (a registered callable is called), or
    :data:`NO_EXPECTED` when none was registered; an unknown id raises."""
    lookup(exercise_id)
    value = _EXPECTED.get(exercise_id, NO_EXPECTED)
    return value() if callable(value) else value


def _import_chapter(name: str) -> None:
    """Import ``cnnlib.exercises.<name>`` if there is such a chapter module."""
    if not re.fullmatch(_CHAPTER, name) or name in HELPER_MODULES:
        return
    module = f"{__package__}.{name}"
    try:
        import_module(module)
    except ModuleNotFoundError as err:
        if err.name != module:
            raise  # the chapter module exists but needs something missing: say so


def registered(chapter: str | None = None) -> list[str]:
    """Ids of every exercise cnnlib can check, in natural order (imports every chapter's
    module); with ``chapter``, only that chapter's (imports only its module; none when
    there is no such chapter)."""
    if chapter is None:
        for info in iter_modules(import_module(__package__).__path__):
            _import_chapter(info.name)
        return sorted(_CHECKERS, key=sort_key)
    _import_chapter(chapter)
    return sorted((i for i in _CHECKERS if sort_key(i)[:2] == (0, chapter)), key=sort_key)


def lookup(exercise_id: str) -> Callable:
    """The checker function of ``exercise_id`` (importing its chapter's module).

    An unknown id raises an :class:`ArgumentError` that lists the known ones; the public
    caller (``check.exercise``) puts its name in front.
    """
    if exercise_id not in _CHECKERS and sort_key(exercise_id)[0] == 0:
        _import_chapter(chapter_of(exercise_id))
    if exercise_id not in _CHECKERS:
        known = ", ".join(registered()) or "none"
        raise ArgumentError(f"unknown exercise id {exercise_id!r}; known ids: {known}")
    return _CHECKERS[exercise_id]
