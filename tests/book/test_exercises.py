"""The exercises across the book (issue 14): leak-free, hinted, numbered one way.

* **No answer given away.** For every registered exercise whose ``expected`` answer is
  distinctive — a number with 3 or more significant digits or not whole, a tuple of 2 or
  more entries, a string of 4 or more characters — none of its usual renderings
  (``530660``, ``530,660``, ``530 660``, ``(55, 55)``, ``55×55``, ``55 × 55``, ...) occurs in
  the chapter's Markdown outside the exercise's own solution block, nor in any stored
  output of the chapter but the exercise's own solution cells; and the check's success
  message does not restate it.
* **Hints and size.** Every registered exercise has at least 2 hints; every chapter with
  exercises has 4–6.
* **One numbering.** Exercise *n* of a chapter has the label ``<chapter>-ex<n>``, its
  check cell calls ``"<chapter>-<n>"`` (in order, one per exercise, the chapter's
  registered ids exactly), passes ``answer_<n>`` or a function, and the exercise's answer
  cells bind that name; the student copy has a stub that binds it before its check cell.
  The site calls it "Exercise c.n", c from scripts/booknumbers.py (checked against
  _toc.yml here, and against the built site when there is one).
* **Collapsed verdicts.** Each check cell carries the tag ``hide-output``.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from cnnlib.check import evaluate
from cnnlib.exercises.contract import expected_of, hints_of, registered

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("booknumbers", ROOT / "scripts" / "booknumbers.py")
booknumbers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(booknumbers)

_CHECK = re.compile(r"""\bcheck\.exercise\(\s*["'](?P<id>[^"']+)["']\s*,\s*(?P<expr>[^)]*)\)""")
_LABEL = re.compile(r"```\{exercise\}[^\n]*\n(?::[a-z]+:[^\n]*\n)*?:label:\s*(?P<label>\S+)")
_START = re.compile(r"```\{solution-start\}\s*(?P<label>\S+)")


def _toc_chapters() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])
             if "file" in c]
    return [Path(f).stem for f in files if f.startswith("chapters/")]


def _src(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@lru_cache(maxsize=None)
def _notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _exercise_chapters() -> list[str]:
    found = []
    for name in _toc_chapters():
        path = ROOT / "chapters" / f"{name}.ipynb"
        if path.exists() and (registered(name) or _checks(_notebook(path))):
            found.append(name)
    return found


def _checks(nb) -> list[tuple[int, str, str]]:
    """(cell index, id, expression) of each check call, in notebook order."""
    return [(i, m["id"], m["expr"].strip()) for i, c in enumerate(nb["cells"])
            if c["cell_type"] == "code" for m in _CHECK.finditer(_src(c))]


def _blocks(nb) -> dict[str, tuple[int, int]]:
    """label → (first, last) cell index of its solution block (start marker to end)."""
    blocks, open_label, first = {}, None, 0
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        text = _src(cell)
        start = _START.search(text)
        if start:
            open_label, first = start["label"], i
        if open_label and "{solution-end}" in text[start.end() if start else 0:]:
            blocks[open_label] = (first, i)
            open_label = None
    return blocks


def _answer_cells(nb, label: str, check_index: int) -> list[int]:
    first, last = _blocks(nb).get(label, (check_index, check_index))
    inside = [i for i in range(first, last + 1) if nb["cells"][i]["cell_type"] == "code"]
    tagged = [i for i in range(check_index) if "solution" in
              nb["cells"][i].get("metadata", {}).get("tags", []) and i > first - 1]
    return sorted(set(inside) | {i for i in tagged if i <= last})


def _bound_names(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


CHAPTERS = _exercise_chapters()


def _ids():
    return [i for chapter in CHAPTERS for i in registered(chapter)]


# ---------------------------------------------------------------------------
# Renderings of an answer


def _significant(value: float) -> int:
    digits = f"{abs(value):.12g}".replace(".", "").replace("-", "").lstrip("0")
    digits = digits.split("e")[0].rstrip("0") if "." in f"{abs(value):.12g}" else digits.rstrip("0")
    return len(digits)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) or (
        hasattr(value, "dtype") and getattr(value, "shape", None) == ())


def distinctive(value) -> bool:
    """Whether an answer is specific enough that seeing it on the page gives it away."""
    if _is_number(value):
        value = value.item() if hasattr(value, "item") else value
        return float(value) != int(value) or _significant(value) >= 3
    if isinstance(value, (tuple, list)):
        return len(value) >= 2
    if isinstance(value, str):
        return len(value.strip()) >= 4
    return False


def _number_texts(value) -> set[str]:
    value = value.item() if hasattr(value, "item") else value
    if float(value) == int(value) and isinstance(value, int) or float(value).is_integer():
        v = int(value)
        grouped = f"{v:,}"
        return {str(v), grouped, grouped.replace(",", " "), grouped.replace(",", "\u2009"),
                grouped.replace(",", "\u202f"), grouped.replace(",", "{,}"),
                grouped.replace(",", "\\,")}
    v = float(value)
    return {repr(v), f"{v:g}", f"{v:.4g}", f"{v:.3g}"}


def renderings(value) -> list[re.Pattern]:
    """Regular expressions matching the usual ways of writing ``value``."""
    if _is_number(value):
        texts = _number_texts(value)
    elif isinstance(value, (tuple, list)):
        items = [sorted(_number_texts(v), key=len)[0] if _is_number(v) else str(v) for v in value]
        texts = {"(" + ", ".join(items) + ")", "(" + ",".join(items) + ")",
                 "[" + ", ".join(items) + "]", "×".join(items), " × ".join(items),
                 " \\times ".join(items), "x".join(items), " x ".join(items)}
    else:
        return [re.compile(rf"(?<!\w){re.escape(value.strip())}(?!\w)", re.IGNORECASE)]
    return [re.compile(rf"(?<![\w.,]){re.escape(t)}(?![\w]|[.,]\d)") for t in sorted(texts)]


def _outputs_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append("".join(out["text"]) if isinstance(out["text"], list) else out["text"])
        for mime, data in (out.get("data") or {}).items():
            if mime.startswith("text/") or mime == "application/json":
                parts.append("".join(data) if isinstance(data, list) else str(data))
    return "\n".join(parts)


def _leaks(exercise_id: str) -> list[str]:
    chapter, n = exercise_id.rsplit("-", 1)
    nb = _notebook(ROOT / "chapters" / f"{chapter}.ipynb")
    expected = expected_of(exercise_id)
    patterns = renderings(expected)
    label = f"{chapter}-ex{n}"
    first, last = _blocks(nb).get(label, (-1, -1))
    checks = [i for i, ex, _ in _checks(nb) if ex == exercise_id]
    own = set(_answer_cells(nb, label, checks[0])) if checks else set()
    found = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            text = _src(cell)
            if first <= i <= last:
                start = _START.search(text)
                text = text[:start.start()] if (i == first and start) else ""
            where, text_to_search = "Markdown", text
        elif i in own:
            continue
        else:
            where, text_to_search = "stored output", _outputs_text(cell)
        for pattern in patterns:
            match = pattern.search(text_to_search)
            if match:
                found.append(f"cell {i} ({where}): {match.group(0)!r}")
    result = evaluate(exercise_id, expected)
    if result.passed:
        for pattern in patterns:
            if pattern.search(result.message):
                found.append(f"the success message: {result.message!r}")
    return found


# ---------------------------------------------------------------------------
# The tests


@pytest.mark.parametrize("exercise_id", _ids())
def test_no_answer_is_given_away(exercise_id):
    expected = expected_of(exercise_id)
    if expected is None or not distinctive(expected):
        return  # a function, an array, a short or one-digit answer: nothing to look for
    leaks = _leaks(exercise_id)
    assert not leaks, f"{exercise_id}'s answer {expected!r} is on the page: " + "; ".join(leaks)


@pytest.mark.parametrize("exercise_id", _ids())
def test_every_exercise_has_two_hints_or_more(exercise_id):
    hints = hints_of(exercise_id)
    assert len(hints) >= 2, f"{exercise_id} has {len(hints)} hints; check.hint needs 2 or 3"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_chapter_has_four_to_six_exercises(chapter):
    assert 4 <= len(registered(chapter)) <= 6, registered(chapter)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_ids_labels_answers_and_order_agree(chapter):
    nb = _notebook(ROOT / "chapters" / f"{chapter}.ipynb")
    checks = _checks(nb)
    assert [ex for _, ex, _ in checks] == [f"{chapter}-{n}" for n in range(1, len(checks) + 1)]
    assert sorted(ex for _, ex, _ in checks) == sorted(registered(chapter))
    labels = [m["label"] for c in nb["cells"] if c["cell_type"] == "markdown"
              for m in _LABEL.finditer(_src(c))]
    assert labels == [f"{chapter}-ex{n}" for n in range(1, len(checks) + 1)]
    for n, (index, exercise_id, expr) in enumerate(checks, 1):
        match = re.fullmatch(r"answer_(\d+)", expr)
        assert match is None or int(match[1]) == n, f"{exercise_id} checks {expr}, not answer_{n}"
        assert match or re.fullmatch(r"[A-Za-z_]\w*", expr), f"{exercise_id} checks {expr!r}"
        bound = set().union(*(_bound_names(_src(nb["cells"][i]))
                              for i in _answer_cells(nb, f"{chapter}-ex{n}", index)))
        assert expr in bound, f"{exercise_id}: no answer cell of exercise {n} binds {expr}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_student_copy_has_a_stub_for_every_exercise(chapter):
    path = ROOT / "student" / f"{chapter}.ipynb"
    assert path.exists(), f"no student copy {path.name}"
    copy = _notebook(path)
    for _, exercise_id, expr in _checks(_notebook(ROOT / "chapters" / f"{chapter}.ipynb")):
        mine = [i for i, ex, _ in _checks(copy) if ex == exercise_id]
        assert mine, f"the student copy has no check cell for {exercise_id}"
        previous = max([i for i, _, _ in _checks(copy) if i < mine[0]], default=-1)
        stubs = [i for i in range(previous + 1, mine[0]) if copy["cells"][i]["cell_type"] == "code"
                 and expr in _bound_names(_src(copy["cells"][i]))]
        assert stubs, f"the student copy has no stub binding {expr} before {exercise_id}'s check"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_check_cells_are_collapsed_on_the_site(chapter):
    nb = _notebook(ROOT / "chapters" / f"{chapter}.ipynb")
    for index, exercise_id, _ in _checks(nb):
        tags = nb["cells"][index].get("metadata", {}).get("tags", [])
        assert "hide-output" in tags, f"{exercise_id}'s check cell (cell {index}) lacks hide-output"


def test_every_chapter_with_exercises_is_numbered():
    numbers = booknumbers.chapter_numbers()
    missing = [c for c in CHAPTERS if c not in numbers]
    assert not missing, f"chapters with exercises in no numbered part of _toc.yml: {missing}"


def test_chapter_numbers_follow_the_toc():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    numbered = [Path(c["file"]).stem for part in toc["parts"] if part.get("numbered")
                for c in part["chapters"] if "file" in c]
    assert booknumbers.chapter_numbers() == {name: n for n, name in enumerate(numbered, 1)}
    planted = {"parts": [{"caption": "a", "chapters": [{"file": "intro"}]},
                         {"caption": "b", "numbered": True,
                          "chapters": [{"file": "chapters/x"}, {"file": "chapters/y"}]},
                         {"caption": "c", "numbered": True, "chapters": [{"file": "chapters/z"}]}]}
    assert booknumbers.chapter_numbers(planted) == {"x": 1, "y": 2, "z": 3}
    assert booknumbers.exercise_title("y", 4, {"y": 2}) == "Exercise 2.4"


def test_the_built_site_numbers_exercises_by_chapter():
    html = ROOT / "_build" / "html" / "chapters"
    if not html.exists():
        pytest.skip("no built site in _build/html (run `make book`)")
    numbers = booknumbers.chapter_numbers()
    for chapter in CHAPTERS:
        page = html / f"{chapter}.html"
        if not page.exists():
            continue
        text = page.read_text(encoding="utf-8")
        for n in range(1, len(_checks(_notebook(ROOT / "chapters" / f"{chapter}.ipynb"))) + 1):
            assert f"Exercise {numbers[chapter]}.{n}" in text, f"{chapter}: no 'Exercise " \
                f"{numbers[chapter]}.{n}' on the built page"


# ---------------------------------------------------------------------------
# The leak test's own rules, on planted text


def test_what_counts_as_a_distinctive_answer():
    for value in (530660, 433890, 0.25, 128, (55, 55), (1, 2, 3), "shirt", 1e-3):
        assert distinctive(value), value
    for value in (7, 10, 20, 100, (3,), "cat", None, 2.0):
        assert not distinctive(value), value


def test_the_usual_renderings_of_an_answer_are_found_and_only_they():
    def found(value, text):
        return any(p.search(text) for p in renderings(value))

    for text in ("has 530660 weights", "530,660 parameters", "530 660", "530\u202f660",
                 "$530{,}660$"):
        assert found(530660, text), text
    for text in ("1530660", "530,6601", "530660.5", "5306600"):
        assert not found(530660, text), text
    for text in ("(55, 55)", "a 55×55 map", "55 × 55", "[55, 55]", "(55,55)"):
        assert found((55, 55), text), text
    assert not found((55, 55), "155×55") and not found((55, 55), "(55, 555)")
    assert found(0.25, "rate 0.25") and not found(0.25, "0.255") and not found(0.25, "10.25")
    assert found("Shirt", "the shirt class") and not found("Shirt", "shirts")
