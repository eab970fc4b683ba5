"""Grading crafted submissions end to end (Jupyter kernels): right, wrong, raising, looping,
cut short. The pure functions of cnnlib.grading are tested in tests/unit/test_grading.py.

The submissions are small notebooks built by tests/submissions.py (the exercises of "The convolution
operation", without the chapter around them), so each runs in seconds. The whole
folder is graded once, through the command line an instructor uses.
"""

import csv
import subprocess
import sys

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from submissions import _notebook  # noqa: E402

from cnnlib import grading  # noqa: E402

CELL_TIMEOUT = 8  # seconds; the looping cells cost this much each

SUBMISSIONS = {
    "ana": _notebook({}),
    "ben": _notebook({1: "answer_1 = (26, 26)",
                      3: "def conv_layer(x, w):\n    raise NotImplementedError  # your code here",
                      4: "edge_kernel = np.ones((3, 3))"}),
    "cleo": _notebook({1: "answer_1 = 1 / 0",
                       3: "def conv_layer(x, w):\n    return x[100]"}),
    "dan": _notebook({2: "answer_2 = 0\nwhile True:\n    answer_2 += 1",
                      3: "def conv_layer(x, w):\n    while True:\n        pass"}),
    "eve": _notebook({}, drop_checks=(4,)),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("submissions")
    folder = root / "submissions"
    for student, nb in SUBMISSIONS.items():
        (folder / student).mkdir(parents=True)
        nbformat.write(nb, folder / student / "convolution.ipynb")
    (folder / "eve" / ".ipynb_checkpoints").mkdir()
    nbformat.write(_notebook({}), folder / "eve" / ".ipynb_checkpoints" / "old.ipynb")
    out, wide = root / "grades.csv", root / "wide.csv"
    run = subprocess.run(
        [sys.executable, "-m", "cnnlib.grading", str(folder), "-o", str(out), "--wide", str(wide),
         "--cell-timeout", str(CELL_TIMEOUT), "--timeout", "120"],
        capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with open(wide, newline="", encoding="utf-8") as fh:
        wide_rows = list(csv.DictReader(fh))
    return {(r["student"], r["exercise"]): r for r in rows}, wide_rows, run.stdout


def _status(graded, student):
    rows, _, _ = graded
    return [rows[(student, f"convolution-{n}")]["status"] for n in range(1, 5)]


def test_one_row_per_student_and_exercise(graded):
    rows, _, stdout = graded
    assert len(rows) == 5 * 4
    assert {s for s, _ in rows} == set(SUBMISSIONS)  # the checkpoint copy is not graded
    assert "exercise checks passed" in stdout
    assert list(next(iter(rows.values()))) == list(grading.FIELDS)


def test_all_correct(graded):
    rows, _, _ = graded
    assert _status(graded, "ana") == ["pass"] * 4
    assert all(rows[("ana", f"convolution-{n}")]["passed"] == "1" for n in range(1, 5))


def test_wrong_and_unsolved_answers_fail_with_a_hint(graded):
    rows, _, _ = graded
    assert _status(graded, "ben") == ["fail", "pass", "not solved", "fail"]
    assert "too large" in rows[("ben", "convolution-1")]["detail"]
    assert rows[("ben", "convolution-1")]["passed"] == "0"


def test_code_that_raises_does_not_stop_the_later_exercises(graded):
    rows, _, _ = graded
    assert _status(graded, "cleo") == ["error", "pass", "fail", "pass"]
    assert "NameError" in rows[("cleo", "convolution-1")]["detail"]
    assert "IndexError" in rows[("cleo", "convolution-3")]["detail"]


def test_infinite_loops_time_out_and_grading_goes_on(graded):
    rows, _, _ = graded
    assert _status(graded, "dan") == ["pass", "timeout", "timeout", "pass"]
    assert "before the check" in rows[("dan", "convolution-2")]["detail"]
    assert "the check ran over" in rows[("dan", "convolution-3")]["detail"]


def test_a_deleted_check_cell_is_graded_missing(graded):
    assert _status(graded, "eve") == ["pass", "pass", "pass", "missing"]


def test_wide_table_has_one_row_per_student(graded):
    _, wide, _ = graded
    by_student = {r["student"]: r for r in wide}
    assert set(by_student) == set(SUBMISSIONS)
    assert by_student["ana"]["passed"] == "4" and by_student["ana"]["of"] == "4"
    assert by_student["dan"]["convolution-3"] == "timeout"


def test_exercises_after_the_notebook_time_limit_are_not_reached(tmp_path):
    nb = _notebook({1: "import time\ntime.sleep(3)\nanswer_1 = (24, 24)"})
    path = tmp_path / "convolution.ipynb"
    nbformat.write(nb, path)
    rows = grading.grade_notebook(path, "fay", cell_timeout=30, timeout=2)
    status = {r.exercise: r.status for r in rows}
    assert status["convolution-1"] == "not reached"
    assert all(s == "not reached" for s in status.values())
    assert "limit" in rows[-1].detail
