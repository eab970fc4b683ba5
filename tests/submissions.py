"""Crafted submissions for the grading tests: the exercises of "The convolution operation"
without the chapter around them, answered right unless an answer is given, so a notebook
runs in seconds. Used by tests/unit/test_grading.py and tests/book/test_grading_submissions.py.
"""

import nbformat

SETUP = "import numpy as np\nfrom cnnlib import check"
RIGHT = {
    1: "answer_1 = (24, 24)",
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


def _notebook(answers: dict, drop_checks=()):
    cells = [nbformat.v4.new_code_cell(SETUP)]
    for n in range(1, 5):
        cells.append(nbformat.v4.new_markdown_cell(f"Exercise {n}"))
        cells.append(nbformat.v4.new_code_cell(answers.get(n, RIGHT[n])))
        if n not in drop_checks:
            cells.append(nbformat.v4.new_code_cell(
                f'check.exercise("convolution-{n}", {NAMES[n]})'))
    return nbformat.v4.new_notebook(cells=cells)
