"""The checkers of the book's exercises, one module per chapter, and their contract.

* :mod:`cnnlib.exercises.contract` — the ids (``<chapter>-<n>``), the result record a
  check writes and the grader reads, its statuses, and the registry of checkers;
* :mod:`cnnlib.exercises.hints` — comparisons that say what is wrong, not the answer;
* ``cnnlib/exercises/<chapter>.py`` — the checkers of one chapter, each registered
  with ``@checker("<chapter>-<n>")``.

Importing this package imports no chapter: :func:`~cnnlib.exercises.contract.lookup`
imports the one an id names, :func:`~cnnlib.exercises.contract.registered` all of them.
"""
