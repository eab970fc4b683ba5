"""cnnlib.check: verdicts that say what is wrong without giving the answer away; and the
exercise contract it shares with cnnlib.grading (cnnlib.exercises.contract: ids, the
result record, the registry) and the checkers' hints (cnnlib.exercises.hints)."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cnnlib import check
from cnnlib.exercises import contract, hints


def test_every_registered_exercise_has_a_chapter_id():
    ids = check.registered()
    assert "convolution-1" in ids
    assert all("-" in i for i in ids)


@pytest.fixture
def scratch_registry(monkeypatch):
    """The registry, with the checkers registered in a test forgotten afterwards; and a
    checker ``testonly-1`` (an answer of 24) with two hints and its expected value."""
    for name in ("_CHECKERS", "_HINTS", "_EXPECTED"):
        monkeypatch.setattr(contract, name, dict(getattr(contract, name)))
    monkeypatch.setattr(check, "_hints_shown", {})

    @check.checker("testonly-1", hints=("count the rows", "then the columns"),
                   expected=lambda: 24)
    def twenty_four(answer):
        check.compare_value(answer, 24, "answer_1")
        return "correct: rows times columns"


def test_right_answer_passes_and_prints(scratch_registry, capsys):
    check.exercise("testonly-1", 24)
    assert capsys.readouterr().out.startswith("✔ Exercise testonly-1: correct")


@pytest.mark.parametrize("stub", [None, ...])
def test_stub_is_not_solved_and_does_not_raise(scratch_registry, stub, capsys):
    check.exercise("testonly-1", stub)
    assert "not solved yet" in capsys.readouterr().out


def test_wrong_answer_names_the_problem_not_the_value(scratch_registry):
    r = check.evaluate("testonly-1", 26)
    assert r.status == "fail" and "too large" in r.message and "24" not in r.message


def test_results_are_logged_for_grading(scratch_registry, tmp_path, monkeypatch):
    log = tmp_path / "grades.jsonl"
    monkeypatch.setenv("CNNLIB_GRADE_LOG", str(log))
    check.exercise("testonly-1", 24)
    check.exercise("testonly-1", None)
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(r["exercise"], r["status"]) for r in rows] == [
        ("testonly-1", "pass"), ("testonly-1", "not solved")]


# ---------------------------------------------------------------------------
# Hints, one per call, and the expected answer


def test_hint_gives_hint_1_then_hint_2_then_points_to_the_solution(scratch_registry, capsys):
    for _ in range(4):
        check.hint("testonly-1")
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "Hint 1 of 2 for exercise testonly-1: count the rows",
        "Hint 2 of 2 for exercise testonly-1: then the columns",
        "Exercise testonly-1: no more hints — the solution is in the book below the exercise",
        "Exercise testonly-1: no more hints — the solution is in the book below the exercise"]


def test_hint_for_an_unknown_id_lists_the_chapters_ids(scratch_registry):
    with pytest.raises(ValueError, match=r"hint: unknown exercise id 'testonly-7'; "
                                         r"the ids of testonly: testonly-1"):
        check.hint("testonly-7")
    with pytest.raises(ValueError, match=r"unknown exercise id 'nochapter-1'; the ids of "
                                         r"nochapter: none"):
        check.hint("nochapter-1")
    with pytest.raises(ValueError, match=r"'<chapter>-<n>'"):
        check.hint("convolution three")


def test_hints_and_expected_are_registered_with_the_checker(scratch_registry):
    assert contract.hints_of("testonly-1") == ("count the rows", "then the columns")
    assert contract.expected_of("testonly-1") == 24  # the callable, called

    @check.checker("testonly-2")
    def bare(answer):
        return "correct"

    assert contract.hints_of("testonly-2") == () and contract.expected_of("testonly-2") is None
    for bad, words in [("one hint", "tuple of 1–3 strings"), (("a", "b", "c", "d"), "at most 3"),
                       (("a", ""), "hint 2 of 'testonly-3' must be a non-empty string")]:
        with pytest.raises(ValueError, match=words):
            check.checker("testonly-3", hints=bad)


def test_every_hint_of_the_book_is_a_short_sentence():
    for exercise_id in check.registered():
        for text in contract.hints_of(exercise_id):
            assert 10 <= len(text) <= 400, (exercise_id, text)


# ---------------------------------------------------------------------------
# "Write it yourself": a library's own function is not an answer


def _mine(x):
    return x


class _MyLayer:
    def __call__(self, x):
        return x


@pytest.mark.parametrize("answer", [_mine, lambda x: x, _MyLayer(), _MyLayer])
def test_the_learners_own_function_is_accepted(answer):
    check.expect_own_function(answer, "output_size")


def test_library_functions_are_rejected_with_their_name():
    import functools

    from cnnlib import sizes

    cases = {
        sizes.conv_output_size: "cnnlib.sizes.conv_output_size from cnnlib",
        functools.partial(sizes.conv_output_size, 28): "cnnlib.sizes.conv_output_size from cnnlib",
        np.convolve: "numpy.convolve from numpy",
        np.add: "from numpy",  # a ufunc: a callable instance
        np.ones(3).sum: "from numpy",  # a builtin method of a NumPy array
        max: "the builtin max",
        int: "the builtin int",
    }
    for answer, words in cases.items():
        with pytest.raises(AssertionError, match=rf"write it yourself: output_size is .*{words}"):
            check.expect_own_function(answer, "output_size")


def test_a_wrapper_of_a_library_function_is_rejected_too():
    import functools

    from cnnlib import sizes

    @functools.wraps(sizes.conv_output_size)
    def wrapper(*args):
        return sizes.conv_output_size(*args)

    with pytest.raises(AssertionError, match="cnnlib.sizes.conv_output_size from cnnlib"):
        check.expect_own_function(wrapper, "output_size")


def test_keras_and_tensorflow_functions_and_layers_are_rejected():
    keras = pytest.importorskip("keras")
    tf = pytest.importorskip("tensorflow")
    for answer, words in [(keras.utils.to_categorical, "from keras"),
                          (keras.layers.MaxPooling2D(2), "a keras.*MaxPooling2D from keras"),
                          (keras.layers.Conv2D, "Conv2D from keras"),
                          (tf.nn.conv2d, "from tensorflow")]:
        with pytest.raises(AssertionError, match=rf"write it yourself: f is .*{words}"):
            check.expect_own_function(answer, "f")


def test_expect_own_function_still_asks_for_a_function():
    with pytest.raises(AssertionError, match="conv_layer should be a function, got int"):
        check.expect_own_function(3, "conv_layer")


def test_function_raising_not_implemented_is_not_solved(scratch_registry):
    @check.checker("testonly-2")
    def calls(func):
        return f"got {func(1)}"

    def conv_layer(x):
        raise NotImplementedError

    assert check.evaluate("testonly-2", conv_layer).status == "not solved"


def test_not_implemented_anywhere_in_the_learners_code_is_not_solved(scratch_registry):
    # The one place that turns a stub's NotImplementedError into "not solved": checkers
    # call the learner's function and let it through.
    @check.checker("testonly-5")
    def calls_it(func):
        return f"got {func(2)}"

    def stub(x):
        raise NotImplementedError  # your code here

    def calls_a_stub(x):
        return stub(x) + 1

    def raises(x):
        raise RuntimeError("boom")  # NotImplementedError's base class: still a failure

    for answer in (stub, calls_a_stub):
        assert check.evaluate("testonly-5", answer) == contract.Result(
            "testonly-5", "not solved", "not solved yet — replace the stub and run again")
    assert check.evaluate("testonly-5", lambda x: 2 * x) == contract.Result(
        "testonly-5", "pass", "got 4")
    r = check.evaluate("testonly-5", raises)
    assert r.status == "fail" and "RuntimeError: boom" in r.message


def test_no_checker_catches_not_implemented_itself():
    folder = Path(contract.__file__).parent
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                names = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
                assert "NotImplementedError" not in names, (
                    f"{path.name}:{node.lineno}: check.evaluate already reports a "
                    "NotImplementedError from the learner's code as 'not solved'")


def test_array_mismatch_reports_shape_then_first_bad_element():
    with pytest.raises(AssertionError, match=r"should have shape \(2, 2\), got \(3,\)"):
        check.compare_array(np.zeros(3), np.zeros((2, 2)))
    with pytest.raises(AssertionError, match=r"1 of 4 values differ; the first is at index \(1, 0\)"):
        check.compare_array([[0, 0], [5, 0]], np.zeros((2, 2)))


def test_unknown_id_lists_known_ids():
    with pytest.raises(ValueError, match="unknown exercise id 'nope'; known ids: .*convolution-1"):
        check.exercise("nope", 1)


# ---------------------------------------------------------------------------
# The contract: ids, the record, the registry.


def test_ids_parse_format_and_sort_naturally():
    assert contract.parse_id("convolution-3") == ("convolution", 3)
    assert str(contract.parse_id("fashion_mnist-12")) == "fashion_mnist-12"
    assert contract.format_id("pooling", 2) == "pooling-2"
    assert contract.chapter_of("inside_cnn-4") == "inside_cnn"
    assert sorted(["pooling-10", "nope", "pooling-2", "convolution-1"], key=contract.sort_key) == [
        "convolution-1", "pooling-2", "pooling-10", "nope"]
    for bad in ["convolution", "convolution-0", "Convolution-1", "convolution-1a", "-1", 3, None]:
        with pytest.raises(ValueError, match=r"'<chapter>-<n>', e\.g\. 'convolution-3', got"):
            contract.parse_id(bad)
    with pytest.raises(ValueError, match="number must be a whole number >= 1, got 1.5"):
        contract.format_id("pooling", 1.5)


def test_the_statuses_of_a_check_are_part_of_the_graders():
    assert set(contract.STATUSES) == {"pass", "fail", "not solved", "timeout", "error",
                                      "not reached", "missing"}
    assert contract.CHECK_STATUSES == {"pass", "fail", "not solved"}
    with pytest.raises(ValueError, match="status must be one of"):
        contract.Result("convolution-1", "timeout", "only the grader knows about time")


def test_the_record_round_trips_through_the_log(tmp_path):
    log = tmp_path / "grades.jsonl"
    first = contract.Result("convolution-1", "fail", "not yet right: ‘too large’")
    last = contract.Result("convolution-1", "pass", "correct")
    contract.log_result(first, log)
    with open(log, "a", encoding="utf-8") as fh:  # a learner printed into the log
        fh.write('hello\n[1, 2]\n{"exercise": "convolution-2"}\n'
                 '{"exercise": "convolution-2", "status": "great", "message": ""}\n')
    contract.log_result(last, log)
    assert json.loads(log.read_text(encoding="utf-8").splitlines()[0]) == {
        "exercise": "convolution-1", "status": "fail", "message": "not yet right: ‘too large’"}
    assert contract.read_log(log) == {"convolution-1": last}
    assert contract.read_log(tmp_path / "never-written.jsonl") == {}


def test_every_registered_checker_lives_in_the_module_its_id_names():
    ids = check.registered()
    assert ids == sorted(ids, key=contract.sort_key)
    for exercise_id in ids:
        assert contract.lookup(exercise_id).__module__ == contract.module_of(exercise_id)
        assert contract.module_of(exercise_id) == f"cnnlib.exercises.{exercise_id.rsplit('-')[0]}"


def test_the_registry_refuses_a_misplaced_or_second_checker(scratch_registry):
    def stray(answer):
        return "correct"

    stray.__module__ = "cnnlib.exercises.pooling"
    with pytest.raises(ValueError, match="belongs in cnnlib.exercises.convolution, not in "
                                         "cnnlib.exercises.pooling"):
        check.checker("convolution-9")(stray)
    with pytest.raises(ValueError, match="'convolution-1' is registered twice"):
        check.checker("convolution-1")(lambda answer: "correct")
    with pytest.raises(ValueError, match="'<chapter>-<n>'"):
        check.checker("convolution one")
    with pytest.raises(ValueError, match="unknown exercise id 'contract-1'"):
        check.evaluate("contract-1", 1)  # a helper module is not a chapter


def test_a_check_imports_only_its_own_chapters_checkers():
    code = ("import sys\nfrom cnnlib import check\ncheck.evaluate('convolution-1', None)\n"
            "pooling = check.registered('pooling')\n"
            "print(bool(pooling) and all(i.startswith('pooling-') for i in pooling),"
            " check.registered('notes'))\n"
            "print(sorted(m for m in sys.modules if m.startswith('cnnlib.exercises')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120).stdout.splitlines()
    assert out == ["True []", str([
        "cnnlib.exercises", "cnnlib.exercises.contract", "cnnlib.exercises.convolution",
        "cnnlib.exercises.hints", "cnnlib.exercises.pooling"])]


# ---------------------------------------------------------------------------
# Hints shared by the checkers.


@pytest.mark.parametrize("exercise, answer", [
    ("parameters-1", 5 * 5 * 16 * 64),
    ("parameters-2", (5 * 5 * 64, 5 * 5 * 64 * 10)),
])
def test_a_count_without_its_biases_gets_the_bias_hint(exercise, answer):
    r = check.evaluate(exercise, answer)
    assert r.status == "fail" and "close: the biases are missing, one per" in r.message


def test_the_bias_hint_leaves_other_answers_to_the_next_check():
    with pytest.raises(AssertionError, match="close: the biases are missing, one per unit"):
        hints.bias_missing(np.int64(640), 650, 10, per="unit")
    for answer in (650, 639, np.array([640, 640]), "640", None, (640,)):
        hints.bias_missing(answer, 650, 10)


def test_expect_items_names_what_a_tuple_holds():
    assert hints.expect_items([1, 2], "answer_1", ("height", "width")) == [1, 2]
    with pytest.raises(AssertionError, match=r"answer_1 should be a \(height, width, channels\) "
                                             r"triple, got 24"):
        hints.expect_items(24, "answer_1", ("height", "width", "channels"))
    with pytest.raises(AssertionError, match=r"answer_3 should be a tuple of 3 numbers, got \(1, 2\)"):
        hints.expect_items((1, 2), "answer_3", 3)


def test_check_reexports_the_hints_learners_and_checkers_call():
    assert check.compare_value is hints.compare_value
    assert check.compare_array is hints.compare_array
    assert check.expect_function is hints.expect_function
    assert check.expect_own_function is hints.expect_own_function
    assert check.Result is contract.Result and check.NotSolved is contract.NotSolved
    assert check.checker is contract.checker and check.registered is contract.registered


def _output_size(rule):
    def output_size(h, f, s, p):
        if h + 2 * p - f < 0:
            raise ValueError("kernel larger than the padded input")
        return rule(h, f, s, p)
    return output_size


@pytest.mark.parametrize("rule, words", [
    (lambda h, f, s, p: -(-(h + 2 * p - f) // s) + 1, "rounded up"),
    (lambda h, f, s, p: h + 2 * p - f + 1, "stride-1 size"),
    (lambda h, f, s, p: (h + p - f) // s + 1, "one side only"),
    (lambda h, f, s, p: (h + 2 * p - f) / s + 1, "whole number"),
])
def test_output_size_checker_names_each_classic_mistake(rule, words):
    r = check.evaluate("padding_stride-2", _output_size(rule))
    assert r.status == "fail" and words in r.message


def test_output_size_checker_accepts_the_floor_rule_and_resnet_stem():
    assert check.evaluate("padding_stride-2",
                          _output_size(lambda h, f, s, p: (h + 2 * p - f) // s + 1)).status == "pass"

    def exact_only(h, f, s, p):  # the old, too strict rule
        span = h + 2 * p - f
        if span < 0 or span % s:
            raise ValueError("does not fit")
        return span // s + 1

    r = check.evaluate("padding_stride-2", exact_only)
    assert r.status == "fail" and "ResNet" in r.message

    r = check.evaluate("padding_stride-2", lambda h, f, s, p: (h + 2 * p - f) // s + 1)
    assert r.status == "fail" and "should raise" in r.message
