"""cnnlib.check: verdicts that say what is wrong without giving the answer away."""

import json

import numpy as np
import pytest

from cnnlib import check


def test_every_registered_exercise_has_a_chapter_id():
    ids = check.registered()
    assert "convolution-1" in ids
    assert all("-" in i for i in ids)


def test_right_answer_passes_and_prints(capsys):
    check.exercise("convolution-1", (24, 24))
    assert capsys.readouterr().out.startswith("✔ Exercise convolution-1: correct")


@pytest.mark.parametrize("stub", [None, ...])
def test_stub_is_not_solved_and_does_not_raise(stub, capsys):
    check.exercise("convolution-1", stub)
    assert "not solved yet" in capsys.readouterr().out


def test_function_raising_not_implemented_is_not_solved():
    def conv_layer(x, w):
        raise NotImplementedError

    assert check.evaluate("convolution-3", conv_layer).status == "not solved"


def test_wrong_answer_names_the_problem_not_the_value():
    r = check.evaluate("convolution-1", (26, 26))
    assert r.status == "fail" and "too large" in r.message and "24" not in r.message
    r = check.evaluate("convolution-2", 160)
    assert "spans all 3 channels" in r.message
    r = check.evaluate("convolution-1", 24)
    assert "(height, width) pair" in r.message


def test_array_mismatch_reports_shape_then_first_bad_element():
    with pytest.raises(AssertionError, match=r"should have shape \(2, 2\), got \(3,\)"):
        check.compare_array(np.zeros(3), np.zeros((2, 2)))
    with pytest.raises(AssertionError, match=r"1 of 4 values differ; the first is at index \(1, 0\)"):
        check.compare_array([[0, 0], [5, 0]], np.zeros((2, 2)))


def test_learner_code_that_raises_is_reported():
    def conv_layer(x, w):
        return x[100]

    r = check.evaluate("convolution-3", conv_layer)
    assert r.status == "fail" and "IndexError" in r.message


def test_unknown_id_lists_known_ids():
    with pytest.raises(ValueError, match="unknown exercise id 'nope'; known ids: .*convolution-1"):
        check.exercise("nope", 1)


def test_results_are_logged_for_grading(tmp_path, monkeypatch):
    log = tmp_path / "grades.jsonl"
    monkeypatch.setenv("CNNLIB_GRADE_LOG", str(log))
    check.exercise("convolution-1", (24, 24))
    check.exercise("convolution-2", None)
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(r["exercise"], r["status"]) for r in rows] == [
        ("convolution-1", "pass"), ("convolution-2", "not solved")]
