"""Grade a folder of submitted student notebooks: one CSV, pass/fail per exercise.

    python -m cnnlib.grading submissions/ -o grades.csv [--extra-checks extra.py]

``submissions/`` holds one folder per student (``submissions/ana/convolution.ipynb``)
or one notebook per student (``submissions/ana.ipynb``). Nothing a submission's kernel
prints or logs is trusted: the grader **re-checks every answer itself**. For each
exercise it runs the instructor's chapter up to the exercise's check cell with only
the submission's answer cells substituted (:mod:`~cnnlib.grading.plan`), in a fresh
process, and judges the answer with cnnlib's checker in a second process that loaded
its checker from the grader's own copy of cnnlib before any learner code ran
(:mod:`~cnnlib.grading.rerun`). Every exercise the notebook should check gets one row::

    student,notebook,exercise,passed,status,detail
    ana,convolution.ipynb,convolution-1,1,pass,correct: each side loses ...
    ana,convolution.ipynb,convolution-3,0,timeout,a cell before the check (cell 7) ran over 60 s

``status`` is one of ``pass``, ``fail`` (a wrong answer, or the learner's code raised
inside the check), ``not solved`` (still the stub), ``timeout`` (one of the learner's
cells, or the check, ran over ``--cell-timeout``), ``error`` (the check cell could not
be evaluated, e.g. a ``NameError``; or the submission changed cnnlib's files), ``not
reached`` (the re-run ran over ``--timeout`` before the check) and ``missing`` (no check
cell for it). Only ``pass`` counts as passed (:data:`cnnlib.exercises.contract.STATUSES`).
The grader also writes ``feedback/<student>.md`` with the same messages
(:mod:`~cnnlib.grading.cli`), and runs an instructor's hidden checks
(:mod:`~cnnlib.grading.extra`) after the normal ones.

The submissions run with your user's rights: they are code from students. Grade in a
container or a throwaway machine. Needs ``nbformat`` and ``IPython``
(``pip install "cnnlib[grading]"``).
"""

from .cli import main, write_csv, write_feedback, write_wide_csv
from .grade import (
    FIELDS,
    Row,
    default_chapters,
    expected_exercises,
    find_submissions,
    grade_folder,
    grade_notebook,
)
from .plan import answer_cells, check_cells, plan

__all__ = ["Row", "FIELDS", "check_cells", "answer_cells", "plan", "expected_exercises",
           "find_submissions", "default_chapters", "grade_notebook", "grade_folder",
           "write_csv", "write_wide_csv", "write_feedback", "main"]
