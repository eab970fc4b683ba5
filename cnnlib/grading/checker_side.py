"""The checker's process of a re-check: cnnlib's checker, bound before any learner code runs.

Started by :mod:`cnnlib.grading.rerun` as ``python -I -B -c BOOT`` where ``BOOT`` makes
the process undumpable (no other process of the user can read its memory or open its
pipes), reads the job from stdin, puts the grader's private copy of cnnlib first on
``sys.path`` and calls :func:`main`. :func:`main` imports every module of that copy, the
instructor's extra checks, looks up and binds the exercise's checker, deletes the copy,
and only then prints ``READY`` — after which the grader starts the learner's process.
It reads the learner's answer from the pipe (data, or proxies that call into the
learner's process: :mod:`cnnlib.grading.wire`), checks it, and prints one line
``RESULT <nonce> <json>`` — the nonce came on stdin, before any learner code ran.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import shutil
import time
from pathlib import Path

__all__ = ["BOOT", "main"]

#: The ``-c`` program of the checker's process.
BOOT = (
    "import ctypes, json, sys\n"
    "try:\n"
    "    ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0\n"
    "except Exception:\n"
    "    pass\n"
    "job = json.loads(sys.stdin.readline())\n"
    "sys.path.insert(0, job['path'])\n"
    "from cnnlib.grading.checker_side import main\n"
    "main(job)\n"
)


class _Client:
    """The checker's side of the wire: requests to the learner's process, with a deadline."""

    def __init__(self, channel, deadline):
        self.channel, self.deadline = channel, deadline

    def proxy(self, ref, info):
        from .wire import proxy_class

        if not info.get("function", info.get("callable")):
            return proxy_class(info)(ref, self, info)
        client = self

        def remote(*args, **kwargs):
            return client.request("call", ref, args=args, kwargs=kwargs)

        remote.__module__ = str(info.get("module", "__main__"))
        remote.__qualname__ = remote.__name__ = str(info.get("qualname", "answer"))
        remote._cnnlib_ref = ref
        return remote

    def request(self, op, ref, **fields):
        from .wire import RemoteCallError, decode, encode

        message = {"op": op, "ref": ref}
        for key, value in fields.items():
            message[key] = encode(value, allow_pickle=True) if key != "name" else value
        self.channel.send(message)
        reply = self.channel.receive(max(0.0, self.deadline - time.monotonic()))
        if "ok" in reply:
            return decode(reply["ok"], self.proxy)
        text = str(reply.get("message", ""))
        if reply.get("not_implemented"):
            raise NotImplementedError(text)
        raise type(str(reply.get("raised", "Exception")), (RemoteCallError,), {})(text)


def _import_everything(root: Path) -> None:
    import cnnlib

    if Path(cnnlib.__file__).resolve().parent != (root / "cnnlib").resolve():
        raise RuntimeError(f"cnnlib came from {cnnlib.__file__}, not the grader's copy")
    for info in pkgutil.walk_packages(cnnlib.__path__, "cnnlib."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)


def _drop_code(root: Path) -> None:
    """Delete the copy's code (all of it is imported by now, so nothing can be slipped in
    for a later import); keep its data files (the bundled MNIST sample), which the grader
    compares with its snapshot after the check."""
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_dir() and path.name == "__pycache__":
            shutil.rmtree(path, ignore_errors=True)
        elif path.is_file() and path.suffix in (".py", ".pyc"):
            path.unlink()


def _no_checker(answer):
    return ""


def _verdict(check, extras, answer, exercise):
    """(status, message) of ``answer``, as ``check.evaluate`` reports it, then the extras."""
    from ..exercises.contract import FAIL, PASS, UNSOLVED, NotSolved
    from .wire import RemoteCallError, WireError

    try:
        if answer is None or answer is Ellipsis:
            raise NotSolved
        messages = [check(answer)]
        for extra in extras:
            messages.append(extra(answer))
        return PASS, "; ".join(m for m in messages if m) or "correct"
    except (NotSolved, NotImplementedError):
        return UNSOLVED, "not solved yet — replace the stub and run again"
    except AssertionError as err:
        return FAIL, f"not yet right: {err}"
    except TimeoutError:
        raise
    except WireError as err:
        return FAIL, f"your answer could not be checked: {err}"
    except RemoteCallError as err:
        return FAIL, f"your code raised {type(err).__name__}: {err}"
    except Exception as err:  # the checker, on what the answer is
        return FAIL, f"checking your answer raised {type(err).__name__}: {err}"


def main(job: dict) -> None:
    from .wire import Channel, WireError, decode

    root = Path(job["path"])
    exercise, nonce = job["exercise"], job["nonce"]

    def report(status, message, **more):
        print(f"RESULT {nonce} " + json.dumps({"exercise": exercise, "status": status,
                                               "message": message, **more}), flush=True)

    _import_everything(root)
    from ..exercises.contract import ERROR, NOT_REACHED, TIMEOUT, lookup
    from . import extra

    for name, source in job.get("extra_checks") or []:
        extra.load(source, name)
    extras = extra.checks_for(exercise)
    try:
        check = lookup(exercise)
    except ValueError:  # an instructor's own exercise: its extra checks are its checker
        if not extras:
            raise
        check = _no_checker
    _drop_code(root)
    print("READY", flush=True)

    channel = Channel(*job["fds"])
    budget, cell_timeout = float(job["timeout"]), float(job["cell_timeout"])
    deadline = time.monotonic() + budget
    chapter_errors = []
    try:
        first = channel.receive(budget)  # "running": the learner's imports are done
        if first.get("event") == "running":
            deadline = time.monotonic() + budget
        while True:
            message = channel.receive(max(0.0, deadline - time.monotonic()))
            event = message.get("event")
            if event == "chapter-error":
                chapter_errors.append(f"cell {message.get('cell')}: {message.get('message')}")
            elif event == "timeout":
                return report(TIMEOUT, f"cell {message.get('cell')}", cell=message.get("cell"))
            elif event == "no-answer":
                note = message.get("answer_error")
                text = f"the check cell raised {message.get('message')}"
                return report(ERROR, text + (f" (your answer cell raised {note})" if note else ""))
            elif "answer" in message:
                break
    except TimeoutError:
        return report(NOT_REACHED, f"the exercise's re-run ran over its {budget:g} s limit")
    except WireError as err:
        return report(ERROR, f"the re-run of your notebook stopped ({err})")
    client = _Client(channel, time.monotonic() + cell_timeout)
    try:
        answer = decode(message["answer"], client.proxy)
        status, text = _verdict(check, extras, answer, exercise)
    except TimeoutError:
        return report(TIMEOUT, "check")
    except WireError as err:
        status, text = ERROR, f"the re-run of your notebook stopped during the check ({err})"
    try:
        channel.send({"op": "done"})
    except OSError:
        pass
    report(status, text, chapter_errors=chapter_errors)
