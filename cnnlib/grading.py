"""Grade a folder of submitted student notebooks: one CSV, pass/fail per exercise.

    python -m cnnlib.grading submissions/ -o grades.csv

``submissions/`` holds one folder per student (``submissions/ana/convolution.ipynb``)
or one notebook per student (``submissions/ana.ipynb``). Each notebook is run top to
bottom in a fresh kernel, in its own temporary folder, with ``CNNLIB_GRADE_LOG``
naming a temporary file: every ``check.exercise(...)`` cell appends its verdict
there (see :mod:`cnnlib.check`). A cell that raises does not stop the run, so later
exercises are still graded; a cell that runs longer than ``--cell-timeout`` seconds
is interrupted, and a notebook that runs longer than ``--timeout`` seconds in all is
stopped. Every exercise the notebook should check — the ids in its check cells, and
every registered exercise of the same chapter, so a deleted check cell counts too —
gets one row::

    student,notebook,exercise,passed,status,detail
    ana,convolution.ipynb,convolution-1,1,pass,correct: each side loses ...
    ana,convolution.ipynb,convolution-3,0,timeout,a cell before the check ran over 60 s

``status`` is one of ``pass``, ``fail`` (a wrong answer, or the learner's code
raised inside the check), ``not solved`` (still the stub), ``timeout``, ``error``
(the check cell itself raised, e.g. a ``NameError``), ``not reached`` (the run
stopped before the check cell: the notebook's time limit, or a dead kernel) and
``missing`` (no check cell for it). Only ``pass`` counts as passed. The ids, the
log's records and these statuses are the exercise contract,
:mod:`cnnlib.exercises.contract` (``STATUSES`` gives each status's meaning).

The notebooks run with your user's rights: they are code from students. Grade in a
container or a throwaway machine. Needs ``nbclient``, ``nbformat`` and ``ipykernel``
(``pip install "cnnlib[grading]"``).
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .exercises.contract import (
    ERROR,
    GRADE_LOG_ENV,
    MISSING,
    NOT_REACHED,
    PASS,
    STATUSES,
    TIMEOUT,
    chapter_of,
    read_log,
    registered,
    sort_key,
)
from .validate import ArgumentError

__all__ = ["Row", "FIELDS", "check_cells", "expected_exercises", "find_submissions",
           "grade_notebook", "grade_folder", "write_csv", "main"]

FIELDS = ("student", "notebook", "exercise", "passed", "status", "detail")
_CHECK_CALL = re.compile(r"""\bexercise\(\s*(?P<q>["'])(?P<id>[^"']+)(?P=q)""")
_TIMEOUT_NAME = "CellTimeoutError"


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
        from nbclient import NotebookClient
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise SystemExit(
            f"cnnlib.grading needs nbclient, nbformat and ipykernel ({err}); "
            'install them with: pip install "cnnlib[grading]"'
        ) from None
    return nbformat, NotebookClient


def check_cells(nb) -> dict[int, list[str]]:
    """``{cell index: [exercise ids]}`` of the code cells that call ``check.exercise``."""
    found = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            ids = [m.group("id") for m in _CHECK_CALL.finditer(cell.source)]
            if ids:
                found[index] = ids
    return found


def _chapter(exercise_id: str) -> str | None:
    """The chapter of an id, or None for a check cell whose id is not ``<chapter>-<n>``."""
    try:
        return chapter_of(exercise_id)
    except ValueError:
        return None


def expected_exercises(nb, notebook_name: str = "") -> list[str]:
    """Every exercise a submission should answer, in notebook order.

    The ids its check cells name, then the registered exercises of the same
    chapter(s) that no check cell names (a learner may have deleted one). The
    chapter is the ids' prefix (``convolution-3`` → ``convolution``) or, for a
    notebook whose check cells are all gone, its file name. Only those chapters'
    checkers are imported.
    """
    seen = [i for ids in check_cells(nb).values() for i in ids]
    chapters = {_chapter(i) for i in seen} | {Path(notebook_name).stem}
    known = [i for chapter in sorted(chapters - {None}) for i in registered(chapter)]
    extra = [i for i in known if i not in seen]
    return list(dict.fromkeys(seen + sorted(extra, key=sort_key)))


def _error_text(cell) -> str:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".strip()
    return ""


def grade_notebook(path, student: str = "", *, cell_timeout: float = 120,
                   timeout: float = 900, profile: str = "quick",
                   kernel_name: str = "python3", env: dict | None = None,
                   executed_dir=None) -> list[Row]:
    """Run one submitted notebook and return one :class:`Row` per expected exercise.

    cell_timeout: seconds one cell may run before the kernel is interrupted;
    timeout: seconds the whole notebook may run; later cells are not run.
    profile: ``CNNLIB_PROFILE`` for the run. env: extra environment variables.
    executed_dir: if given, the executed notebook is saved there for review.
    """
    nbformat, NotebookClient = _nbformat()
    path = Path(path)
    student = student or path.stem
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:
        return [Row(student, path.name, "", ERROR, f"cannot read the notebook: {err}")]
    expected = expected_exercises(nb, path.name)
    checks = check_cells(nb)
    if not expected:
        return [Row(student, path.name, "", ERROR, "no exercise checks in this notebook")]

    work = Path(tempfile.mkdtemp(prefix="cnnlib-grade-"))
    log = work / ".grade-log.jsonl"
    kernel_env = {**os.environ, **(env or {}), GRADE_LOG_ENV: str(log),
                  "CNNLIB_PROFILE": profile, "MPLBACKEND": "Agg"}
    deadline = float("inf")  # set once the kernel is up: its start-up is not counted
    timed_out: set[int] = set()
    errors: dict[int, str] = {}
    ran: set[int] = set()
    stopped = ""

    def on_error(cell, cell_index, execute_reply):
        content = execute_reply.get("content", {}) if execute_reply else {}
        if content.get("ename") == _TIMEOUT_NAME:
            timed_out.add(cell_index)
        else:
            errors[cell_index] = f"{content.get('ename', 'Error')}: {content.get('evalue', '')}"

    def per_cell(cell):
        return max(1, int(min(cell_timeout, deadline - time.monotonic()) + 0.999))

    client = NotebookClient(
        nb, kernel_name=kernel_name, allow_errors=True, timeout_func=per_cell,
        interrupt_on_timeout=True, iopub_timeout=10,
        error_on_timeout={"ename": _TIMEOUT_NAME, "evalue": "cell ran over its time limit",
                          "traceback": []},
        on_cell_error=on_error, resources={"metadata": {"path": str(work)}},
    )
    try:
        with client.setup_kernel(env=kernel_env, cwd=str(work)):
            deadline = time.monotonic() + timeout
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                if time.monotonic() >= deadline:
                    stopped = f"the notebook ran over its {timeout:g} s limit before this check"
                    break
                client.execute_cell(cell, index)
                ran.add(index)
    except Exception as err:  # a dead kernel, a kernel that never started, ...
        stopped = f"the run stopped before this check ({type(err).__name__}: {err})"
    finally:
        results = read_log(log)
        if executed_dir is not None:
            Path(executed_dir).mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, Path(executed_dir) / f"{student}__{path.name}")
        shutil.rmtree(work, ignore_errors=True)

    rows = []
    for exercise in expected:
        cells = [i for i, ids in checks.items() if exercise in ids]
        if exercise in results:
            status, detail = results[exercise].status, results[exercise].message
            slow = _slow_cell(cells[0], checks, timed_out) if cells else None
            if status != PASS and slow is not None:
                status, detail = TIMEOUT, _timeout_detail(slow, cells[0], cell_timeout)
        elif not cells:
            status, detail = MISSING, "no check cell for this exercise"
        else:
            status, detail = _why_no_verdict(cells[0], checks, ran, timed_out, errors, stopped,
                                             cell_timeout, nb)
        rows.append(Row(student, path.name, exercise, status, detail))
    return rows


def _why_no_verdict(cell, checks, ran, timed_out, errors, stopped, cell_timeout, nb):
    """Status and detail of an exercise whose check cell logged nothing."""
    if cell not in ran:
        return NOT_REACHED, stopped or "the run stopped before this check"
    slow = _slow_cell(cell, checks, timed_out)
    if slow is not None:
        return TIMEOUT, _timeout_detail(slow, cell, cell_timeout)
    message = errors.get(cell) or _error_text(nb.cells[cell])
    if message:
        return ERROR, f"the check cell raised {message}"
    return ERROR, "the check cell ran but reported nothing"


def _slow_cell(cell, checks, timed_out):
    """The first cell that timed out between the previous check cell and this one (inclusive)."""
    previous = max((i for i in checks if i < cell), default=-1)
    slow = sorted(i for i in timed_out if previous < i <= cell)
    return slow[0] if slow else None


def _timeout_detail(slow, cell, cell_timeout):
    if slow == cell:
        return f"the check ran over {cell_timeout:g} s"
    return f"a cell before the check (cell {slow}) ran over {cell_timeout:g} s"


def find_submissions(folder) -> list[tuple[str, Path]]:
    """``(student, notebook path)`` for every notebook under ``folder``.

    ``folder/<student>/*.ipynb`` (any depth) or ``folder/<student>.ipynb``.
    """
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
    rows = []
    submissions = find_submissions(folder)
    if not submissions:
        raise ValueError(f"grade_folder: no .ipynb files under {folder}")
    for n, (student, path) in enumerate(submissions, 1):
        start = time.monotonic()
        got = grade_notebook(path, student, **kwargs)
        rows += got
        if progress:
            passed = sum(r.passed for r in got)
            progress(f"[{n}/{len(submissions)}] {student} / {path.name}: "
                     f"{passed}/{len(got)} passed ({time.monotonic() - start:.0f} s)")
    return rows


def write_csv(rows: list[Row], out) -> None:
    """The long table: one row per student, notebook and exercise."""
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row.as_dict())


def write_wide_csv(rows: list[Row], out) -> None:
    """The wide table: one row per student, one column per exercise, and a total."""
    exercises = list(dict.fromkeys(r.exercise for r in rows if r.exercise))
    students = list(dict.fromkeys(r.student for r in rows))
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student", *exercises, "passed", "of"])
        for student in students:
            mine = {r.exercise: r for r in rows if r.student == student}
            cells = [mine[e].status if e in mine else MISSING for e in exercises]
            writer.writerow([student, *cells, sum(c == PASS for c in cells), len(exercises)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cnnlib.grading",
        description="Run every submitted notebook under FOLDER and write pass/fail per "
                    "exercise per student to a CSV.")
    parser.add_argument("folder", help="submissions: FOLDER/<student>/*.ipynb or FOLDER/<student>.ipynb")
    parser.add_argument("-o", "--output", default="grades.csv",
                        help="the CSV, one row per student and exercise (default grades.csv)")
    parser.add_argument("--wide", metavar="CSV",
                        help="also write one row per student, one column per exercise")
    parser.add_argument("--cell-timeout", type=float, default=120,
                        help="seconds one cell may run (default 120)")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds one notebook may run in all (default 900)")
    parser.add_argument("--profile", default="quick", choices=("quick", "full"),
                        help="CNNLIB_PROFILE for the runs (default quick)")
    parser.add_argument("--kernel", default="python3", help="Jupyter kernel name (default python3)")
    parser.add_argument("--keep-executed", metavar="DIR",
                        help="save each executed notebook in DIR, to read the students' errors")
    args = parser.parse_args(argv)
    try:
        rows = grade_folder(args.folder, cell_timeout=args.cell_timeout, timeout=args.timeout,
                            profile=args.profile, kernel_name=args.kernel,
                            executed_dir=args.keep_executed)
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    write_csv(rows, args.output)
    if args.wide:
        write_wide_csv(rows, args.wide)
    students = len({r.student for r in rows})
    print(f"{sum(r.passed for r in rows)}/{len(rows)} exercise checks passed, "
          f"{students} students: {args.output}" + (f", {args.wide}" if args.wide else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
