"""The grader's command line and what it writes: the CSVs and a feedback file per student."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from ..exercises.contract import MISSING, PASS
from .grade import FIELDS, Row, grade_folder

__all__ = ["write_csv", "write_wide_csv", "write_feedback", "main"]

_MARKS = {PASS: "✔", "fail": "✘", "not solved": "…"}


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


def write_feedback(rows: list[Row], folder) -> list[Path]:
    """``folder/<student>.md``: each exercise's status and the message of its check."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for student in dict.fromkeys(r.student for r in rows):
        mine = [r for r in rows if r.student == student]
        lines = [f"# Feedback for {student}", "",
                 f"{sum(r.passed for r in mine)} of {len(mine)} exercises passed.", ""]
        for notebook in dict.fromkeys(r.notebook for r in mine):
            lines += [f"## {notebook}", ""]
            for r in (r for r in mine if r.notebook == notebook):
                mark = _MARKS.get(r.status, "!")
                lines.append(f"- {mark} **{r.exercise or notebook}** ({r.status}): {r.detail}")
            lines.append("")
        path = folder / f"{student}.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cnnlib.grading",
        description="Re-check every exercise of the notebooks under FOLDER and write "
                    "pass/fail per exercise per student to a CSV, and a feedback file each.")
    parser.add_argument("folder", help="submissions: FOLDER/<student>/*.ipynb or FOLDER/<student>.ipynb")
    parser.add_argument("-o", "--output", default="grades.csv",
                        help="the CSV, one row per student and exercise (default grades.csv)")
    parser.add_argument("--wide", metavar="CSV",
                        help="also write one row per student, one column per exercise")
    parser.add_argument("--feedback", metavar="DIR",
                        help="folder of the feedback files, <student>.md "
                             "(default: feedback/ beside the CSV)")
    parser.add_argument("--extra-checks", metavar="PY", action="append", default=[],
                        help="a file of hidden checks (@extra_check), run after the normal ones")
    parser.add_argument("--chapters", metavar="DIR",
                        help="the instructor's chapters (default: chapters/ beside cnnlib)")
    parser.add_argument("--cell-timeout", type=float, default=120,
                        help="seconds one of the learner's cells, or a check, may run (default 120)")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds one exercise's re-run may take in all (default 900)")
    parser.add_argument("--profile", default="quick", choices=("quick", "full"),
                        help="CNNLIB_PROFILE for the re-runs (default quick)")
    parser.add_argument("--keep-executed", metavar="DIR",
                        help="save each re-run's output in DIR, to read the students' errors")
    args = parser.parse_args(argv)
    try:
        rows = grade_folder(args.folder, cell_timeout=args.cell_timeout, timeout=args.timeout,
                            profile=args.profile, executed_dir=args.keep_executed,
                            chapters=args.chapters, extra_checks=args.extra_checks)
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    write_csv(rows, args.output)
    if args.wide:
        write_wide_csv(rows, args.wide)
    feedback = Path(args.feedback or Path(args.output).resolve().parent / "feedback")
    write_feedback(rows, feedback)
    students = len({r.student for r in rows})
    print(f"{sum(r.passed for r in rows)}/{len(rows)} exercise checks passed, "
          f"{students} students: {args.output}" + (f", {args.wide}" if args.wide else "")
          + f", feedback in {feedback}")
    return 0
