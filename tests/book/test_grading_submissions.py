"""Grading crafted submissions end to end: right, wrong, raising, looping, cut short — and
cheating ones, none of which gets a pass it did not earn. cnnlib.grading's pure functions
are tested in tests/unit/test_grading.py.

The submissions answer the crafted chapter "demo" of tests/submissions.py, whose checks
are the instructor's extra-checks files tests/grading_checks.py (and the hidden case of
tests/grading_hidden.py), so each re-run takes seconds. The whole folder is graded once,
through the command line an instructor uses — run from a copy of cnnlib in a temporary
folder, so that the submissions that attack the grader's files can only ever reach that
copy, never this working tree.
"""

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("IPython")

from submissions import CHECKS, _notebook, write_chapter  # noqa: E402

import cnnlib  # noqa: E402
from cnnlib import grading  # noqa: E402

CELL_TIMEOUT = 8  # seconds; the looping cells cost this much each
HIDDEN = CHECKS.with_name("grading_hidden.py")

FORGE = (  # redefine what the learner's kernel uses to check and to report
    "from cnnlib import check\n"
    "from cnnlib.exercises import contract\n"
    "def fake(exercise_id, answer=None):\n"
    "    print(f'✔ Exercise {exercise_id}: correct')\n"
    "    return contract.Result(exercise_id, 'pass', 'correct')\n"
    "check.exercise = check.evaluate = fake\n"
    "contract.lookup = lambda exercise_id: (lambda answer: 'correct')\n")
LOG = (  # write the grade log (and the checker's lines) itself
    "import json, os, sys\n"
    "for n in (1, 2):\n"
    "    record = json.dumps({'exercise': f'demo-{n}', 'status': 'pass', 'message': 'correct'})\n"
    "    for path in (os.environ.get('CNNLIB_GRADE_LOG'), '.grade-log.jsonl'):\n"
    "        if path:\n"
    "            with open(path, 'a') as fh:\n"
    "                fh.write(record + '\\n')\n"
    "    print('READY')\n"
    "    print('RESULT 0123456789abcdef ' + record, flush=True)\n")
EDIT = (  # rewrite the checkers on disk: cnnlib's (via cnnlib.__file__) and the instructor's
    "import os, pathlib, cnnlib\n"
    "targets = [pathlib.Path(cnnlib.__file__).parent, pathlib.Path(os.environ['GRADER_CNNLIB'])]\n"
    "for root in targets:\n"
    "    (root / 'exercises' / 'demo.py').write_text(\n"
    "        'from .contract import checker\\n'\n"
    "        'for n in (1, 2, 3, 4):\\n'\n"
    "        '    checker(f\"demo-{n}\")(lambda answer: \"correct\")\\n')\n"
    "    hints = root / 'exercises' / 'hints.py'\n"
    "    hints.write_text(hints.read_text() + '\\ndef compare_value(*a, **k):\\n    return None\\n')\n"
    "    extra = root / 'grading' / 'extra.py'\n"
    "    extra.write_text(extra.read_text().replace(\n"
    "        '_EXTRA.setdefault(exercise_id, []).append(func)', 'pass'))\n"
    "checks = pathlib.Path(os.environ['GRADER_CHECKS'])\n"
    "checks.write_text('from cnnlib.grading.extra import extra_check\\n'\n"
    "                  'for n in (1, 2):\\n'\n"
    "                  '    extra_check(f\"demo-{n}\")(lambda answer: \"correct\")\\n')\n")
PATCH = (  # monkeypatch the comparisons in the learner's process
    "import numpy as np\n"
    "import cnnlib.exercises.hints as hints\n"
    "from cnnlib import check\n"
    "hints.compare_value = hints.compare_array = lambda *a, **k: None\n"
    "hints.expect_items = lambda answer, *a, **k: (24, 24)\n"
    "check.compare_value = hints.compare_value\n"
    "np.isclose = lambda *a, **k: True\n")
WRONG = {1: "answer_1 = (0, 0)", 2: "answer_2 = 1"}
CHEATS = {"fred": FORGE, "gina": LOG, "hal": EDIT, "ivy": PATCH}

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
    **{name: _notebook({n: code + WRONG[n] for n in (1, 2)}, drop_checks=(3, 4))
       for name, code in CHEATS.items()},
    "kim": _notebook({3: "conv_layer = np.convolve"}, drop_checks=(1, 2, 4)),
    "lou": _notebook({3: ("def conv_layer(x, w):  # assumes a square input\n"
                          "    fh, fw, _, c_out = w.shape\n"
                          "    n = x.shape[0]\n"
                          "    out = np.zeros((n - fh + 1, n - fw + 1, c_out))\n"
                          "    for i in range(n - fh + 1):\n"
                          "        for j in range(n - fw + 1):\n"
                          "            out[i, j] = np.tensordot(x[i:i + fh, j:j + fw], w, axes=3)\n"
                          "    return out")}, drop_checks=(1, 2, 4)),
}
CHEAT_ROWS = [(name, f"demo-{n}") for name in CHEATS for n in (1, 2)]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("grading")
    installed = root / "site"  # the grader's cnnlib: a copy, for the attacks to aim at
    shutil.copytree(Path(cnnlib.__file__).parent, installed / "cnnlib",
                    ignore=shutil.ignore_patterns("__pycache__"))
    before = {p.relative_to(installed): p.read_bytes() for p in installed.rglob("*") if p.is_file()}
    checks = root / "instructor" / "checks.py"
    checks.parent.mkdir()
    shutil.copy(CHECKS, checks)
    folder = root / "submissions"
    for student, nb in SUBMISSIONS.items():
        (folder / student).mkdir(parents=True)
        nbformat.write(nb, folder / student / "demo.ipynb")
    (folder / "eve" / ".ipynb_checkpoints").mkdir()
    nbformat.write(_notebook({}), folder / "eve" / ".ipynb_checkpoints" / "old.ipynb")
    fake = folder / "hal" / "cnnlib" / "exercises"  # a cnnlib of the student's, handed in
    fake.mkdir(parents=True)
    (fake.parent / "__init__.py").write_text("")
    (fake / "__init__.py").write_text("")
    (fake / "demo.py").write_text("raise SystemExit('the submission folder was imported')\n")
    chapters = write_chapter(root / "chapters")
    out, wide = root / "grades.csv", root / "wide.csv"
    env = {**os.environ, "GRADER_CNNLIB": str(installed / "cnnlib"), "GRADER_CHECKS": str(checks)}
    boot = (f"import sys; sys.path.insert(0, {str(installed)!r}); "
            "from cnnlib.grading.cli import main; sys.exit(main(sys.argv[1:]))")
    run = subprocess.run(
        [sys.executable, "-I", "-c", boot, str(folder), "-o", str(out), "--wide", str(wide),
         "--chapters", str(chapters), "--extra-checks", str(checks), "--extra-checks", str(HIDDEN),
         "--cell-timeout", str(CELL_TIMEOUT), "--timeout", "120"],
        capture_output=True, text=True, timeout=1500, env=env, cwd=str(root))
    assert run.returncode == 0, run.stderr[-3000:]
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with open(wide, newline="", encoding="utf-8") as fh:
        wide_rows = list(csv.DictReader(fh))
    after = {p.relative_to(installed) for p in installed.rglob("*") if p.is_file()}
    return {"rows": {(r["student"], r["exercise"]): r for r in rows}, "wide": wide_rows,
            "stdout": run.stdout, "root": root, "before": before, "installed": installed,
            "added": after - set(before), "list": rows}


def _status(graded, student, numbers=(1, 2, 3, 4)):
    return [graded["rows"][(student, f"demo-{n}")]["status"] for n in numbers]


def test_one_row_per_student_and_exercise(graded):
    rows = graded["rows"]
    assert len(rows) == len(SUBMISSIONS) * 4
    assert {s for s, _ in rows} == set(SUBMISSIONS)  # the checkpoint copy is not graded
    assert "exercise checks passed" in graded["stdout"]
    assert list(graded["list"][0]) == list(grading.FIELDS)


def test_all_correct(graded):
    assert _status(graded, "ana") == ["pass"] * 4
    assert all(graded["rows"][("ana", f"demo-{n}")]["passed"] == "1" for n in range(1, 5))


def test_wrong_and_unsolved_answers_fail_with_a_hint(graded):
    rows = graded["rows"]
    assert _status(graded, "ben") == ["fail", "pass", "not solved", "fail"]
    assert "too large" in rows[("ben", "demo-1")]["detail"]
    assert rows[("ben", "demo-1")]["passed"] == "0"


def test_code_that_raises_does_not_stop_the_later_exercises(graded):
    rows = graded["rows"]
    assert _status(graded, "cleo") == ["error", "pass", "fail", "pass"]
    assert "NameError" in rows[("cleo", "demo-1")]["detail"]
    assert "ZeroDivisionError" in rows[("cleo", "demo-1")]["detail"]
    assert "IndexError" in rows[("cleo", "demo-3")]["detail"]


def test_infinite_loops_time_out_and_grading_goes_on(graded):
    rows = graded["rows"]
    assert _status(graded, "dan") == ["pass", "timeout", "timeout", "pass"]
    assert "before the check" in rows[("dan", "demo-2")]["detail"]
    assert "the check ran over" in rows[("dan", "demo-3")]["detail"]


def test_a_deleted_check_cell_is_graded_missing(graded):
    assert _status(graded, "eve") == ["pass", "pass", "pass", "missing"]


@pytest.mark.parametrize("student", sorted(CHEATS))
def test_a_cheating_submission_gets_no_pass_it_did_not_earn(graded, student):
    # fred redefines check.exercise and check.evaluate; gina writes the grade log and the
    # checker's lines herself; hal rewrites the checkers on disk; ivy monkeypatches the
    # comparisons. Their answers are wrong: each must fail with the real checker's hint.
    rows = graded["rows"]
    assert _status(graded, student, (1, 2)) == ["fail", "fail"], student
    assert "too small" in rows[(student, "demo-1")]["detail"]
    assert "too small" in rows[(student, "demo-2")]["detail"]


def test_an_attack_on_the_installed_files_is_reported_and_changes_no_grade(graded):
    # hal reached the grader's installed copy (told where it is): the grades above used
    # the grader's snapshot, and the grader says the installation needs reinstalling.
    assert "warning: a submission changed the installed cnnlib" in graded["stdout"]
    assert Path("cnnlib/exercises/demo.py") in graded["added"]
    assert not (Path(cnnlib.__file__).parent / "exercises" / "demo.py").exists()


def test_a_library_function_is_not_an_answer(graded):
    detail = graded["rows"][("kim", "demo-3")]["detail"]
    assert graded["rows"][("kim", "demo-3")]["status"] == "fail"
    assert "write it yourself" in detail and "numpy" in detail


def test_the_hidden_extra_check_catches_what_the_normal_ones_miss(graded, tmp_path):
    row = graded["rows"][("lou", "demo-3")]
    assert row["status"] == "fail" and "ValueError" in row["detail"]  # on the 4×9 input
    path = tmp_path / "demo.ipynb"
    nbformat.write(SUBMISSIONS["lou"], path)
    [without] = grading.grade_notebook(path, "lou", chapters=write_chapter(tmp_path / "ch"),
                                       extra_checks=[CHECKS], exercises=["demo-3"])
    assert without.status == "pass"  # the normal checks alone are fooled


def test_feedback_files_carry_the_same_messages(graded):
    folder = graded["root"] / "feedback"
    assert sorted(p.stem for p in folder.glob("*.md")) == sorted(SUBMISSIONS)
    text = (folder / "ben.md").read_text(encoding="utf-8")
    for n in range(1, 5):
        row = graded["rows"][("ben", f"demo-{n}")]
        assert f"**demo-{n}** ({row['status']}): {row['detail']}" in text


def test_wide_table_has_one_row_per_student(graded):
    by_student = {r["student"]: r for r in graded["wide"]}
    assert set(by_student) == set(SUBMISSIONS)
    assert by_student["ana"]["passed"] == "4" and by_student["ana"]["of"] == "4"
    assert by_student["dan"]["demo-3"] == "timeout"


def test_an_exercise_over_its_time_limit_is_not_reached_and_the_others_go_on(tmp_path):
    nb = _notebook({1: "import time\ntime.sleep(30)\nanswer_1 = (24, 24)"})
    path = tmp_path / "demo.ipynb"
    nbformat.write(nb, path)
    rows = grading.grade_notebook(path, "fay", cell_timeout=60, timeout=6,
                                  chapters=write_chapter(tmp_path / "chapters"),
                                  extra_checks=[CHECKS], exercises=["demo-1", "demo-2"])
    status = {r.exercise: r for r in rows}
    assert status["demo-1"].status == "not reached" and "limit" in status["demo-1"].detail
    assert status["demo-2"].status == "pass"
