"""What to re-run for each exercise: the instructor's chapter, with the learner's answer in.

For exercise ``<chapter>-<n>`` the re-run executes the code cells of the instructor's
chapter (``chapters/<chapter>.ipynb``) up to that exercise's check cell, without any check
cell, where the chapter's answer cells of that exercise — the cells tagged ``solution``
or ``student-stub``, or between ``{solution-start}`` and ``{solution-end}`` — are replaced by
the submission's answer cells of the same exercise. The submission's answer cells are
found the same way, by tag, next to its check cell; a notebook whose tags were lost
falls back to the code cells between the exercise's Markdown and its check cell. The
other exercises keep the instructor's solution, so one wrong answer does not fail the
next, and only what the learner wrote as the answer is graded (a helper it needs must
be in the answer cell). The checker then gets what the chapter's check cell passes.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

__all__ = ["ANSWER_TAGS", "check_cells", "check_calls", "answer_cells", "Plan", "plan"]

ANSWER_TAGS = frozenset({"solution", "student-stub"})
_CHECK_CALL = re.compile(r"""\bexercise\(\s*(?P<q>["'])(?P<id>[^"']+)(?P=q)""")


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _tags(cell) -> set:
    return set((cell.get("metadata") or {}).get("tags", []) or [])


def check_cells(nb) -> dict[int, list[str]]:
    """``{cell index: [exercise ids]}`` of the code cells that call ``check.exercise``."""
    found = {}
    for index, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") == "code":
            ids = [m.group("id") for m in _CHECK_CALL.finditer(_source(cell))]
            if ids:
                found[index] = ids
    return found


def check_calls(source: str) -> dict[str, str]:
    """``{exercise id: the expression passed}`` of the ``check.exercise(id, expr)`` calls."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    calls = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and len(node.args) >= 2
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                and getattr(node.func, "attr", getattr(node.func, "id", "")) == "exercise"):
            calls[node.args[0].value] = ast.get_source_segment(source, node.args[1])
    return calls


def answer_cells(nb, check_index: int) -> list[int]:
    """The code cells that answer the exercise checked by cell ``check_index``."""
    cells = nb["cells"]
    checks = check_cells(nb)
    start = max((i for i in checks if i < check_index), default=-1)
    tagged, inside = [], False
    for index in range(start + 1, check_index):
        cell = cells[index]
        text = _source(cell)
        if cell.get("cell_type") == "markdown":
            inside = ("{solution-start}" in text or inside) and "{solution-end}" not in text
            continue
        if cell.get("cell_type") == "code" and (inside or _tags(cell) & ANSWER_TAGS):
            tagged.append(index)
    if tagged:
        return tagged
    markdown = [i for i in range(start + 1, check_index)
                if cells[i].get("cell_type") == "markdown" and "exercise" in _source(cells[i]).lower()]
    first = markdown[-1] if markdown else start
    return [i for i in range(first + 1, check_index) if cells[i].get("cell_type") == "code"]


@dataclass
class Plan:
    """The re-run of one exercise: ``cells`` to execute, which of them are the learner's
    (``answer``), the ``expression`` the checker gets, and the submission's check cell."""

    exercise: str
    cells: list[str] = field(default_factory=list)
    answer: list[int] = field(default_factory=list)
    expression: str | None = None
    submission_check: int | None = None
    submission_cells: dict[int, int] = field(default_factory=dict)  # re-run index → submission's


def plan(chapter, submission, exercise: str) -> Plan:
    """The re-run of ``exercise`` for ``submission`` against the instructor's ``chapter``."""
    result = Plan(exercise)
    chapter_checks = check_cells(chapter)
    own = [i for i, ids in chapter_checks.items() if exercise in ids]
    mine = [i for i, ids in check_cells(submission).items() if exercise in ids]
    result.submission_check = mine[0] if mine else None
    if not own:
        return result
    result.expression = check_calls(_source(chapter["cells"][own[0]])).get(exercise)
    theirs = answer_cells(chapter, own[0])
    learner = answer_cells(submission, mine[0]) if mine else []
    for index, cell in enumerate(chapter["cells"][:own[0]]):
        if cell.get("cell_type") != "code" or index in chapter_checks:
            continue
        if index in theirs:
            if index == theirs[0]:
                for sub in learner:
                    result.submission_cells[len(result.cells)] = sub
                    result.answer.append(len(result.cells))
                    result.cells.append(_source(submission["cells"][sub]))
            continue
        result.cells.append(_source(cell))
    if not theirs:
        for sub in learner:
            result.submission_cells[len(result.cells)] = sub
            result.answer.append(len(result.cells))
            result.cells.append(_source(submission["cells"][sub]))
    return result
