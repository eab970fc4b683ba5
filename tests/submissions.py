"""Crafted notebooks for the grading tests: a small chapter "demo" with four exercises
(the early ones of "The convolution operation"), so a re-run takes seconds and does not
change when the book's exercises do.

:func:`chapter` is the instructor's side (solutions tagged ``solution``, a chapter cell
before the exercises, check cells); :func:`_notebook` a student's submission (answer cells
tagged ``student-stub``, as in a student copy), answered right unless an answer is given.
cnnlib has no checkers for ``demo-<n>``: the instructor's extra-checks file
``tests/grading_checks.py`` (:data:`CHECKS`) is their checker. Used by
tests/unit/test_grading.py and tests/book/test_grading_submissions.py.
"""

from pathlib import Path

import nbformat

SETUP = "import numpy as np\nfrom cnnlib import check\nSIDE = 28"
RIGHT = {
    1: "answer_1 = (SIDE - 5 + 1, SIDE - 5 + 1)",
    2: "answer_2 = 3 * 3 * 3 * 16 + 16",
    3: ("def conv_layer(x, w):\n"
        "    fh, fw, _, c_out = w.shape\n"
        "    oh, ow = x.shape[0] - fh + 1, x.shape[1] - fw + 1\n"
        "    out = np.zeros((oh, ow, c_out))\n"
        "    for i in range(oh):\n"
        "        for j in range(ow):\n"
        "            out[i, j] = np.tensordot(x[i:i + fh, j:j + fw], w, axes=3)\n"
        "    return out"),
    4: "edge_kernel = np.array([[1, 1, 1], [0, 0, 0], [-1, -1, -1]])",
}
NAMES = {1: "answer_1", 2: "answer_2", 3: "conv_layer", 4: "edge_kernel"}


def _cells(answers: dict, tag: str | None, drop_checks=()):
    cells = [nbformat.v4.new_code_cell(SETUP)]
    for n in range(1, 5):
        cells.append(nbformat.v4.new_markdown_cell(f"Exercise {n}"))
        answer = nbformat.v4.new_code_cell(answers.get(n, RIGHT[n]))
        if tag:
            answer.metadata["tags"] = [tag]
        cells.append(answer)
        if n not in drop_checks:
            cells.append(nbformat.v4.new_code_cell(
                f'check.exercise("demo-{n}", {NAMES[n]})'))
    return cells


def chapter():
    """The instructor's crafted chapter: what the grader re-runs, with the solutions."""
    return nbformat.v4.new_notebook(cells=_cells({}, "solution"))


def _notebook(answers: dict, drop_checks=(), tag="student-stub"):
    """A submission: the right answers unless ``answers`` gives another source."""
    return nbformat.v4.new_notebook(cells=_cells(answers, tag, drop_checks))


CHAPTER = "demo"
CHECKS = Path(__file__).with_name("grading_checks.py")


def write_chapter(folder):
    """``folder/demo.ipynb``, the crafted chapter; returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(chapter(), folder / f"{CHAPTER}.ipynb")
    return folder
