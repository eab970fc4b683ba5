"""cnnlib.grading's pure functions: which exercises a notebook should have, who the students
are, the feedback text. Grading whole submissions in Jupyter kernels is a book test
(tests/book/test_grading_submissions.py); both build their crafted notebooks with
tests/submissions.py.
"""

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from submissions import _notebook  # noqa: E402

from cnnlib import grading  # noqa: E402


def test_expected_exercises_come_from_the_checks_and_the_chapter():
    nb = _notebook({}, drop_checks=(2, 3))
    assert grading.expected_exercises(nb, "anything.ipynb") == [
        "convolution-1", "convolution-4", "convolution-2", "convolution-3"]
    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    assert grading.expected_exercises(empty, "convolution.ipynb")[:2] == [
        "convolution-1", "convolution-2"]
    assert grading.expected_exercises(empty, "notes.ipynb") == []


def test_students_are_folders_or_files(tmp_path):
    (tmp_path / "ana").mkdir()
    for p in [tmp_path / "ana" / "convolution.ipynb", tmp_path / "ben.ipynb"]:
        nbformat.write(_notebook({}), p)
    assert [(s, p.name) for s, p in grading.find_submissions(tmp_path)] == [
        ("ana", "convolution.ipynb"), ("ben", "ben.ipynb")]


def test_an_unreadable_notebook_is_one_error_row(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{not json")
    [row] = grading.grade_notebook(path, "gus")
    assert row.status == "error" and "cannot read" in row.detail


def test_feedback_on_a_sequence_names_its_length_or_first_wrong_item():
    from cnnlib import check

    with pytest.raises(AssertionError, match=r"should have 2 items, got 1"):
        check.compare_value((24,), (24, 24), "answer_1")
    with pytest.raises(AssertionError, match=r"answer_1\[1\] = 25 is too large"):
        check.compare_value([24, 25], (24, 24), "answer_1")
    with pytest.raises(AssertionError, match=r"should be a tuple of 2 items, got str"):
        check.compare_value("24, 24", (24, 24), "answer_1")
    check.compare_value([24, 24], (24, 24), "answer_1")


def test_a_check_cell_with_an_id_outside_the_scheme_is_still_graded():
    nb = _notebook({})
    nb.cells.append(nbformat.v4.new_code_cell('check.exercise("my extra", answer_1)'))
    assert grading.expected_exercises(nb, "anything.ipynb") == [
        "convolution-1", "convolution-2", "convolution-3", "convolution-4", "my extra"]


def test_rows_have_the_contracts_statuses():
    from cnnlib.exercises import contract

    for status in contract.STATUSES:
        assert grading.Row("ana", "convolution.ipynb", "convolution-1", status).passed == (
            status == "pass")
    with pytest.raises(ValueError, match="status must be one of"):
        grading.Row("ana", "convolution.ipynb", "convolution-1", "passed")


def test_the_grader_reads_the_records_a_check_writes(tmp_path, monkeypatch):
    from cnnlib import check
    from cnnlib.exercises import contract

    log = tmp_path / "log.jsonl"
    monkeypatch.setenv(contract.GRADE_LOG_ENV, str(log))
    check.exercise("convolution-1", (26, 26))
    check.exercise("convolution-2", None)
    check.exercise("convolution-1", (24, 24))  # the learner fixed it: the last verdict counts
    results = grading.read_log(log)
    assert {k: v.status for k, v in results.items()} == {
        "convolution-1": "pass", "convolution-2": "not solved"}
    assert results["convolution-1"].message.startswith("correct")
