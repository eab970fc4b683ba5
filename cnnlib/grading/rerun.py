"""One exercise re-checked in two fresh processes the submission cannot reach into.

1. The grader keeps, in its own memory, a copy of every file of the cnnlib it was
   started from (:class:`Snapshot`, taken before any submission runs).
2. For each exercise it writes that copy to a fresh private folder and starts the
   **checker's process** (``python -I -B``, undumpable: :mod:`cnnlib.grading.checker_side`)
   from it, with a random nonce on stdin. That process imports all of cnnlib and the
   instructor's extra checks, binds the exercise's checker, deletes the copy and says
   ``READY`` — before any learner code exists anywhere.
3. Then the **learner's process** (``python -I``, :mod:`cnnlib.grading.learner_side`)
   runs the re-run's cells (:mod:`cnnlib.grading.plan`) in an empty folder, with cnnlib
   imported from another fresh copy of the snapshot (what it changes on disk is thrown
   away), and answers the checker's calls over a pipe that carries data, never code
   (:mod:`cnnlib.grading.wire`).
4. The verdict is the checker's line ``RESULT <nonce> ...`` on its own stdout. Nothing
   the learner's process prints, logs or writes counts. The installed cnnlib is never
   written; :meth:`Snapshot.changed` tells the grader whether a submission changed it
   (it cannot change this session's grades, but would the next one's).

What this does not stop: code with the rights of your user can still change other
installed packages (NumPy, TensorFlow) on disk, or your other files; and root may read
any process's memory, undumpable or not. Grade as an unprivileged user, in a container
whose installation is read-only.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .checker_side import BOOT

#: The ``-c`` program of the learner's process: cnnlib from its private copy.
LEARNER_BOOT = (
    "import sys\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "from cnnlib.grading.learner_side import main\n"
    "main()\n"
)

__all__ = ["Snapshot", "run_exercise", "undumpable"]


def undumpable() -> None:
    """Make this process unreadable by the user's other processes (Linux; else nothing)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


class Snapshot:
    """Every file of a package folder, read once: to copy it and to restore it."""

    def __init__(self, folder):
        self.folder = Path(folder).resolve()
        self.files = {p.relative_to(self.folder): p.read_bytes() for p in self._walk()}

    def _walk(self):
        return [p for p in sorted(self.folder.rglob("*"))
                if p.is_file() and "__pycache__" not in p.parts]

    def write(self, root) -> None:
        """The copy, as ``root/<package>/...`` (no bytecode)."""
        for rel, data in self.files.items():
            path = Path(root) / self.folder.name / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    def changed(self, folder=None, *, code: bool = True) -> list[str]:
        """The files under ``folder`` (default: the package's own) that differ from the
        snapshot, added ones too; with ``code=False`` only the data files (not ``.py``)."""
        folder = Path(folder or self.folder)
        changed = []
        for rel, data in self.files.items():
            if not code and rel.suffix == ".py":
                continue
            try:
                same = (folder / rel).read_bytes() == data
            except OSError:
                same = False
            if not same:
                changed.append(str(rel))
        present = [p.relative_to(folder) for p in sorted(folder.rglob("*"))
                   if p.is_file() and "__pycache__" not in p.parts]
        changed += [str(rel) for rel in present if rel not in self.files
                    and (code or rel.suffix not in (".py", ".pyc"))]
        return changed


def _kill(proc) -> None:
    if proc is not None and proc.poll() is None:
        proc.kill()
    if proc is not None:
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            pass


class _Lines:
    """The stdout lines of a process, read as they come."""

    def __init__(self, proc):
        self.fd, self.buffer, self.lines = proc.stdout.fileno(), b"", []

    def find(self, prefix: str, deadline: float) -> str | None:
        """The next line that starts with ``prefix``, waiting until ``deadline``."""
        import select

        while True:
            while self.lines:
                text = self.lines.pop(0).decode("utf-8", "replace")
                if text.startswith(prefix):
                    return text
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([self.fd], [], [], wait)[0]:
                return None
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                return None
            *lines, self.buffer = (self.buffer + chunk).split(b"\n")
            self.lines += lines


def run_exercise(plan, snapshot: Snapshot, *, cell_timeout: float, timeout: float,
                 env: dict, extra_checks=(), log_path=None) -> dict:
    """Re-check one exercise (:class:`~cnnlib.grading.plan.Plan`): the checker's record
    ``{"status", "message", ...}``, or the grader's own when the checker gave none.

    extra_checks: ``(file name, text)`` of the instructor's extra-checks files.
    """
    nonce = secrets.token_hex(16)
    private = Path(tempfile.mkdtemp(prefix="cnnlib-checker-"))
    theirs = Path(tempfile.mkdtemp(prefix="cnnlib-learner-"))
    work = Path(tempfile.mkdtemp(prefix="cnnlib-grade-"))
    snapshot.write(private)
    snapshot.write(theirs)
    to_learner, to_checker = os.pipe(), os.pipe()  # (read, write) each
    checker = learner = None
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL
    try:
        checker = subprocess.Popen(
            [sys.executable, "-I", "-B", "-c", BOOT], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=log, cwd="/", env=env,
            pass_fds=(to_checker[0], to_learner[1]))
        job = {"path": str(private), "nonce": nonce, "exercise": plan.exercise,
               "extra_checks": [list(pair) for pair in extra_checks],
               "fds": [to_checker[0], to_learner[1]], "timeout": timeout,
               "cell_timeout": cell_timeout}
        checker.stdin.write((json.dumps(job) + "\n").encode())
        checker.stdin.close()
        learner_fds = [to_learner[0], to_checker[1]]
        learner = subprocess.Popen(  # imports IPython, then waits for its job: no learner code yet
            [sys.executable, "-I", "-c", LEARNER_BOOT, str(theirs)], stdin=subprocess.PIPE,
            stdout=log, stderr=subprocess.STDOUT, cwd=str(work), env=env,
            pass_fds=(to_learner[0], to_checker[1]), start_new_session=True)
        for fd in (to_checker[0], to_learner[1], to_learner[0], to_checker[1]):
            os.close(fd)
        to_learner = to_checker = None
        lines = _Lines(checker)
        if lines.find("READY", time.monotonic() + 120) is None:
            return {"status": "error", "message": "the grader's checker did not start "
                    f"(exit code {checker.poll()})"}
        learner.stdin.write((json.dumps({
            "cells": plan.cells, "answer": plan.answer, "expression": plan.expression,
            "cell_timeout": cell_timeout, "fds": learner_fds}) + "\n").encode())
        learner.stdin.close()
        line = lines.find(f"RESULT {nonce} ", time.monotonic() + timeout + cell_timeout + 60)
        if line is None:
            return {"status": "error", "message": "the grader's checker reported nothing"}
        record = json.loads(line.split(" ", 2)[2])
        changed = snapshot.changed(private / snapshot.folder.name, code=False)
        if changed:
            return {"status": "error", "message": "the submission changed the grader's copy of "
                    f"cnnlib's data ({', '.join(changed[:3])}): not graded"}
        return record
    finally:
        if learner is not None and learner.poll() is None:
            try:
                os.killpg(learner.pid, 9)
            except OSError:
                pass
        _kill(learner)
        _kill(checker)
        for pair in (to_learner, to_checker):
            for fd in pair or ():
                os.close(fd)
        if log_path:
            log.close()
        import shutil

        for folder in (private, theirs, work):
            shutil.rmtree(folder, ignore_errors=True)
