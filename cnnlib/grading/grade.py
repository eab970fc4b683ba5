"""Grade submitted notebooks: one :class:`Row` per student, notebook and exercise.

Each exercise of a submission is re-checked on its own (:func:`~cnnlib.grading.rerun.run_exercise`):
the instructor's chapter runs with the submission's answer cells in, and cnnlib's checker,
loaded by the grader before any learner code, judges the answer.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from ..exercises.contract import (
    ERROR,
    GRADE_LOG_ENV,
    MISSING,
    PASS,
    STATUSES,
    TIMEOUT,
    chapter_of,
    registered,
    sort_key,
)
from ..validate import ArgumentError
from .plan import check_cells, plan
from .rerun import Snapshot, run_exercise, undumpable

__all__ = ["Row", "FIELDS", "expected_exercises", "read_extra_checks", "find_submissions", "default_chapters",
           "grade_notebook", "grade_folder"]

FIELDS = ("student", "notebook", "exercise", "passed", "status", "detail")


@dataclass(frozen=True)
class Row:
    """One line of the grades CSV."""

    student: str
    notebook: str
    exercise: str
    status: str  # one of contract.STATUSES
    detail: str = ""

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ArgumentError(f"Row: status must be one of {list(STATUSES)}, "
                                f"got {self.status!r}")

    @property
    def passed(self) -> bool:
        return self.status == PASS

    def as_dict(self) -> dict:
        return {"student": self.student, "notebook": self.notebook, "exercise": self.exercise,
                "passed": int(self.passed), "status": self.status, "detail": self.detail}


def _nbformat():
    try:
        import nbformat
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise SystemExit(f"cnnlib.grading needs nbformat and IPython ({err}); "
                         'install them with: pip install "cnnlib[grading]"') from None
    return nbformat


def _chapter(exercise_id: str) -> str | None:
    try:
        return chapter_of(exercise_id)
    except ValueError:
        return None


def expected_exercises(nb, notebook_name: str = "") -> list[str]:
    """Every exercise a submission should answer, in notebook order: the ids its check
    cells name, then the registered exercises of the same chapter(s) that no check cell
    names (a learner may have deleted one). The chapter is the ids' prefix or, for a
    notebook whose check cells are all gone, its file name."""
    seen = [i for ids in check_cells(nb).values() for i in ids]
    chapters = {_chapter(i) for i in seen} | {Path(notebook_name).stem}
    known = [i for chapter in sorted(chapters - {None}) for i in registered(chapter)]
    extra = [i for i in known if i not in seen]
    return list(dict.fromkeys(seen + sorted(extra, key=sort_key)))


def default_chapters() -> Path:
    """The instructor's chapters: ``chapters/`` beside the cnnlib the grader runs."""
    return Path(__file__).resolve().parents[2] / "chapters"


def _detail(record: dict, run_plan, cell_timeout: float) -> tuple[str, str]:
    status, message = record.get("status", ERROR), str(record.get("message", ""))
    if status not in STATUSES:
        return ERROR, f"the grader got an unknown status {status!r}"
    if status == TIMEOUT and message == "check":
        return status, f"the check ran over {cell_timeout:g} s"
    if status == TIMEOUT:
        cell = run_plan.submission_cells.get(record.get("cell"), record.get("cell"))
        return status, f"a cell before the check (cell {cell}) ran over {cell_timeout:g} s"
    return status, message


def read_extra_checks(files) -> list[tuple[str, str]]:
    """``(name, text)`` of each extra-checks file, read now (before any submission runs)."""
    out = []
    for item in files or ():
        if isinstance(item, (tuple, list)):
            out.append((str(item[0]), str(item[1])))
        else:
            out.append((str(Path(item).resolve()), Path(item).read_text(encoding="utf-8")))
    return out


def grade_notebook(path, student: str = "", *, cell_timeout: float = 120,
                   timeout: float = 900, profile: str = "quick", env: dict | None = None,
                   executed_dir=None, chapters=None, extra_checks=(),
                   snapshot: Snapshot | None = None, exercises=None) -> list[Row]:
    """Re-check every exercise of one submitted notebook; one :class:`Row` each.

    cell_timeout: seconds one of the learner's cells, or the check, may run;
    timeout: seconds one exercise's re-run (the chapter up to its check) may take.
    profile: ``CNNLIB_PROFILE`` for the re-runs. env: extra environment variables.
    executed_dir: if given, each re-run's output is saved there for review.
    chapters: the instructor's chapters (default :func:`default_chapters`).
    extra_checks: files of hidden checks (:mod:`cnnlib.grading.extra`), or their
      ``(name, text)`` as :func:`read_extra_checks` gives them.
    exercises: grade only these ids (default: all the notebook should answer).
    snapshot: the grader's copy of cnnlib (taken now when not given).
    """
    nbformat = _nbformat()
    path = Path(path)
    student = student or path.stem
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:
        return [Row(student, path.name, "", ERROR, f"cannot read the notebook: {err}")]
    expected = expected_exercises(nb, path.name)
    if not expected:
        return [Row(student, path.name, "", ERROR, "no exercise checks in this notebook")]
    snapshot = snapshot or Snapshot(Path(__file__).resolve().parents[1])
    extra_checks = read_extra_checks(extra_checks)
    undumpable()
    run_env = {k: v for k, v in {**os.environ, **(env or {})}.items() if k != GRADE_LOG_ENV}
    run_env.update(CNNLIB_PROFILE=profile, MPLBACKEND="Agg")
    chapters = Path(chapters or default_chapters())
    loaded = {}
    for name in dict.fromkeys(_chapter(i) for i in expected):
        source = chapters / f"{name}.ipynb"
        loaded[name] = nbformat.read(source, as_version=4) if name and source.exists() else None
    for chapter in loaded.values():  # the instructor's check cells name what is expected too
        if chapter is not None:
            ids = [i for ids in check_cells(chapter).values() for i in ids]
            expected += [i for i in ids if i not in expected]
    if exercises is not None:
        expected = [i for i in expected if i in set(exercises)]
    rows = []
    for exercise in expected:
        name = _chapter(exercise)
        chapter = loaded.get(name)
        if chapter is None:
            rows.append(Row(student, path.name, exercise, ERROR,
                            f"no instructor chapter {name}.ipynb in {chapters} to re-check it"))
            continue
        run_plan = plan(chapter, nb, exercise)
        if run_plan.submission_check is None:
            rows.append(Row(student, path.name, exercise, MISSING,
                            "no check cell for this exercise"))
            continue
        if run_plan.expression is None:
            rows.append(Row(student, path.name, exercise, ERROR,
                            f"the instructor's {name}.ipynb has no check cell for it"))
            continue
        log = None
        if executed_dir is not None:
            Path(executed_dir).mkdir(parents=True, exist_ok=True)
            log = Path(executed_dir) / f"{student}__{path.stem}__{exercise}.log"
        record = run_exercise(run_plan, snapshot, cell_timeout=cell_timeout, timeout=timeout,
                              env=run_env, extra_checks=extra_checks, log_path=log)
        status, detail = _detail(record, run_plan, cell_timeout)
        rows.append(Row(student, path.name, exercise, status, detail))
    return rows


def find_submissions(folder) -> list[tuple[str, Path]]:
    """``(student, notebook path)`` for every notebook under ``folder``:
    ``folder/<student>/*.ipynb`` (any depth) or ``folder/<student>.ipynb``."""
    folder = Path(folder)
    found = []
    for path in sorted(folder.rglob("*.ipynb")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue  # .ipynb_checkpoints and other hidden copies
        student = rel.parts[0] if len(rel.parts) > 1 else path.stem
        found.append((student, path))
    return found


def grade_folder(folder, *, progress=print, **kwargs) -> list[Row]:
    """Grade every submission in ``folder`` (see :func:`find_submissions`)."""
    submissions = find_submissions(folder)
    if not submissions:
        raise ValueError(f"grade_folder: no .ipynb files under {folder}")
    kwargs.setdefault("snapshot", Snapshot(Path(__file__).resolve().parents[1]))
    kwargs["extra_checks"] = read_extra_checks(kwargs.get("extra_checks"))
    rows = []
    snapshot = kwargs["snapshot"]
    for n, (student, path) in enumerate(submissions, 1):
        start = time.monotonic()
        got = grade_notebook(path, student, **kwargs)
        rows += got
        if progress:
            passed = sum(r.passed for r in got)
            progress(f"[{n}/{len(submissions)}] {student} / {path.name}: "
                     f"{passed}/{len(got)} passed ({time.monotonic() - start:.0f} s)")
    changed = snapshot.changed()
    if changed and progress:
        progress(f"warning: a submission changed the installed cnnlib ({', '.join(changed[:5])}); "
                 f"this run's grades used the grader's own copy, reinstall before the next")
    return rows

