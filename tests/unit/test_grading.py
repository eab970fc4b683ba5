"""cnnlib.grading's parts that need no process: which exercises a notebook should have, what
a re-run executes, the wire between the learner's and the checker's process, the extra
checks, the feedback text. Grading whole submissions (processes, cheating ones included) is
a book test (tests/book/test_grading_submissions.py); both build their crafted notebooks with
tests/submissions.py.
"""

import pickle

import numpy as np
import pytest

nbformat = pytest.importorskip("nbformat")

from submissions import RIGHT, _notebook, chapter  # noqa: E402

from cnnlib import grading  # noqa: E402
from cnnlib.grading import extra, wire  # noqa: E402
from cnnlib.grading.rerun import Snapshot  # noqa: E402


def test_expected_exercises_come_from_the_checks_and_the_chapter():
    nb = _notebook({}, drop_checks=(2, 3))
    assert grading.expected_exercises(nb, "anything.ipynb") == ["demo-1", "demo-4"]
    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    assert grading.expected_exercises(empty, "convolution.ipynb")[:2] == [
        "convolution-1", "convolution-2"]  # the chapter's registered ids
    assert grading.expected_exercises(empty, "notes.ipynb") == []


def test_students_are_folders_or_files(tmp_path):
    (tmp_path / "ana").mkdir()
    for p in [tmp_path / "ana" / "demo.ipynb", tmp_path / "ben.ipynb"]:
        nbformat.write(_notebook({}), p)
    (tmp_path / "ana" / ".ipynb_checkpoints").mkdir()
    nbformat.write(_notebook({}), tmp_path / "ana" / ".ipynb_checkpoints" / "demo.ipynb")
    assert [(s, p.name) for s, p in grading.find_submissions(tmp_path)] == [
        ("ana", "demo.ipynb"), ("ben", "ben.ipynb")]


def test_an_unreadable_notebook_is_one_error_row(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{not json")
    [row] = grading.grade_notebook(path, "gus")
    assert row.status == "error" and "cannot read" in row.detail


def test_rows_have_the_contracts_statuses():
    from cnnlib.exercises import contract

    for status in contract.STATUSES:
        assert grading.Row("ana", "demo.ipynb", "demo-1", status).passed == (status == "pass")
    with pytest.raises(ValueError, match="status must be one of"):
        grading.Row("ana", "demo.ipynb", "demo-1", "passed")
    assert grading.FIELDS == ("student", "notebook", "exercise", "passed", "status", "detail")


# ---------------------------------------------------------------------------
# What a re-run executes


def test_the_rerun_is_the_chapter_with_only_this_exercises_answer_substituted():
    mine = _notebook({2: "answer_2 = 7  # mine", 3: "def conv_layer(x, w):\n    return 0"})
    plan = grading.plan(chapter(), mine, "demo-2")
    assert plan.expression == "answer_2"
    assert plan.cells[0].startswith("import numpy as np")  # the chapter's own cell
    assert plan.cells[1] == RIGHT[1]  # exercise 1: the instructor's solution
    assert [plan.cells[i] for i in plan.answer] == ["answer_2 = 7  # mine"]
    assert len(plan.cells) == 3  # nothing after the check; no check cell at all
    assert not any("check.exercise" in c for c in plan.cells)
    assert plan.submission_cells == {2: 5}  # the answer is cell 5 of the submission


def test_an_untagged_submission_falls_back_to_the_cells_after_the_exercise_text():
    mine = _notebook({1: "answer_1 = (1, 1)"}, tag=None)
    mine.cells.insert(3, nbformat.v4.new_code_cell("helper = 1"))  # after the answer
    plan = grading.plan(chapter(), mine, "demo-1")
    assert [plan.cells[i] for i in plan.answer] == ["answer_1 = (1, 1)", "helper = 1"]


def test_a_missing_check_cell_and_an_exercise_the_chapter_lacks():
    plan = grading.plan(chapter(), _notebook({}, drop_checks=(4,)), "demo-4")
    assert plan.submission_check is None
    plan = grading.plan(chapter(), _notebook({}), "demo-9")
    assert plan.expression is None and plan.cells == []


def test_solution_blocks_count_as_answer_cells_without_tags():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("```{exercise} E\n:label: demo-ex1\n```\n"
                                      "```{solution-start} demo-ex1\n```"),
        nbformat.v4.new_code_cell("answer_1 = 2"),
        nbformat.v4.new_markdown_cell("```{solution-end}\n```"),
        nbformat.v4.new_code_cell("check.exercise('demo-1', answer_1)")])
    assert grading.answer_cells(nb, 4) == [2]
    assert grading.plan.__module__ == "cnnlib.grading.plan"


# ---------------------------------------------------------------------------
# The wire


def test_data_crosses_the_wire_unchanged():
    value = {"a": (1, 2.5, None, ...), "b": [np.arange(6).reshape(2, 3), np.float32(1.5)],
             "c": "text", 3: True, "big": 2**70, "nan": float("inf"), "s": {"blur", "edge"},
             "f": frozenset({1})}
    back = wire.decode(wire.encode(value, {}))
    assert back["a"] == (1, 2.5, None, ...) and back["c"] == "text" and back[3] is True
    assert back["big"] == 2**70 and back["nan"] == float("inf")
    assert back["s"] == {"blur", "edge"} and back["f"] == frozenset({1})
    np.testing.assert_array_equal(back["b"][0], np.arange(6).reshape(2, 3))
    assert isinstance(back["b"][1], np.float32) and back["b"][1] == 1.5


def test_the_learners_objects_stay_behind_as_references():
    refs = {}

    def conv_layer(x, w):
        return x

    data = wire.encode([conv_layer, object()], refs)
    assert [d["callable"] for d in data] == [True, False] and len(refs) == 2
    assert data[0]["qualname"].endswith("conv_layer") and data[0]["module"] == __name__
    assert wire.encode(np.convolve, {})["module"] == "numpy"  # for expect_own_function
    with pytest.raises(wire.WireError, match="not a value"):
        wire.decode(data[0])  # without a proxy maker: no way to use it


def test_the_checker_never_unpickles_what_the_learner_sends():
    evil = {"__pickle__": __import__("base64").b64encode(pickle.dumps(print)).decode()}
    with pytest.raises(wire.WireError, match="not a value"):
        wire.decode(evil)
    assert wire.decode(evil, allow_pickle=True) is print  # the learner's side may
    bad_array = {"__nd__": __import__("base64").b64encode(_pickled_array()).decode()}
    with pytest.raises(ValueError, match="allow_pickle"):
        wire.decode(bad_array)


def _pickled_array() -> bytes:
    import io

    buf = io.BytesIO()
    np.save(buf, np.array([object()], dtype=object), allow_pickle=True)
    return buf.getvalue()


def test_a_channel_carries_one_message_per_line_and_times_out():
    import os

    r, w = os.pipe()
    channel = wire.Channel(r, w)
    channel.send({"answer": wire.encode((24, 24), {})})
    assert wire.decode(channel.receive(1)["answer"]) == (24, 24)
    with pytest.raises(TimeoutError):
        channel.receive(0.05)
    os.write(w, b"not json\n")
    with pytest.raises(wire.WireError, match="not a message"):
        channel.receive(1)
    os.close(w)
    with pytest.raises(wire.WireError, match="closed"):
        channel.receive(1)
    os.close(r)


# ---------------------------------------------------------------------------
# Extra checks, the snapshot, the feedback


def test_extra_checks_register_per_id_from_the_files_text(monkeypatch):
    monkeypatch.setattr(extra, "_EXTRA", {})
    extra.load("from cnnlib.grading.extra import extra_check\n"
               "@extra_check('demo-3')\ndef wide(f):\n    return 'wide ok'\n"
               "@extra_check('demo-3')\ndef tall(f):\n    assert False, 'tall'\n", "extra.py")
    assert [f.__name__ for f in extra.checks_for("demo-3")] == ["wide", "tall"]
    assert extra.checks_for("demo-1") == []
    with pytest.raises(ValueError, match="'<chapter>-<n>'"):
        extra.extra_check("demo three")


def test_extra_checks_files_are_read_once(tmp_path):
    path = tmp_path / "extra.py"
    path.write_text("x = 1\n")
    [(name, text)] = grading.grade.read_extra_checks([path])
    path.write_text("x = 2\n")
    assert text == "x = 1\n" and name == str(path.resolve())


def test_the_snapshot_copies_and_notices_changes_but_never_writes_back(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "a.py").write_text("A = 1\n")
    (pkg / "sub" / "b.py").write_text("B = 1\n")
    snap = Snapshot(pkg)
    snap.write(tmp_path / "copy")
    assert (tmp_path / "copy" / "pkg" / "sub" / "b.py").read_text() == "B = 1\n"
    assert snap.changed() == []
    (pkg / "a.py").write_text("A = 2\n")
    (pkg / "sub" / "evil.py").write_text("")
    assert snap.changed() == ["a.py", "sub/evil.py"]
    assert (pkg / "a.py").read_text() == "A = 2\n"  # reported, not reverted
    (pkg / "data.bin").write_bytes(b"mnist")
    snap = Snapshot(pkg)
    copy = tmp_path / "copy2"
    snap.write(copy)
    (copy / "pkg" / "a.py").unlink()  # the checker drops the code of its copy ...
    assert snap.changed(copy / "pkg", code=False) == []
    (copy / "pkg" / "data.bin").write_bytes(b"fake")  # ... and keeps the data, watched
    assert snap.changed(copy / "pkg", code=False) == ["data.bin"]


def test_feedback_has_one_file_per_student_with_the_rows_messages(tmp_path):
    rows = [grading.Row("ana", "demo.ipynb", "demo-1", "pass", "correct: each side"),
            grading.Row("ana", "demo.ipynb", "demo-2", "fail", "not yet right: too small"),
            grading.Row("ben", "demo.ipynb", "demo-1", "missing", "no check cell")]
    written = grading.write_feedback(rows, tmp_path / "feedback")
    assert sorted(p.name for p in written) == ["ana.md", "ben.md"]
    text = (tmp_path / "feedback" / "ana.md").read_text(encoding="utf-8")
    assert "1 of 2 exercises passed" in text
    assert "- ✔ **demo-1** (pass): correct: each side" in text
    assert "- ✘ **demo-2** (fail): not yet right: too small" in text


def test_a_library_object_is_proxied_as_its_class_for_isinstance():
    keras = pytest.importorskip("keras")
    calls = []

    class Client:
        def request(self, op, ref, **fields):
            calls.append((op, fields.get("name")))
            return [keras.layers.MaxPooling2D(2)] if fields.get("name") == "layers" else 3

    refs = {}
    history = keras.callbacks.History()
    info = wire.encode(history, refs)
    assert info["function"] is False and info["type_module"].startswith("keras")
    proxy = wire.proxy_class(info)(info["__ref__"], Client(), info)
    assert isinstance(proxy, keras.callbacks.History) and type(proxy).__name__ == "History"
    assert proxy.epoch == 3 and calls == [("getattr", "epoch")]
    mine = wire.encode(type("MyHistory", (), {})(), refs)
    assert not isinstance(wire.proxy_class(mine)(mine["__ref__"], Client(), mine),
                          keras.callbacks.History)
    model = wire.encode(keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)]), refs)
    assert model["callable"] and not model["function"]
    remote = wire.proxy_class(model)(model["__ref__"], Client(), model)
    assert remote(np.ones((1, 4))) == 3 and calls[-1] == ("call", None)
    assert type(remote.layers[0]).__name__ == "MaxPooling2D"
