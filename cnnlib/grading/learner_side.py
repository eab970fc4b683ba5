"""The learner's process of a re-check: run the cells, then answer the checker's questions.

Started by :mod:`cnnlib.grading.rerun` as ``python -I -m cnnlib.grading.learner_side``
in an empty temporary folder, with a job on stdin (JSON: ``cells`` — sources, in order,
``answer`` — the set of indices that are the learner's, ``expression`` — what the check
cell passes to the checker, ``cell_timeout``, ``fds`` — the pipes to the checker). The cells
run in an IPython shell (magics work); each of the learner's cells may take
``cell_timeout`` seconds. It then sends the checker the value of ``expression`` and serves
its requests — call, attribute, item, length — until the checker says ``done``.

Everything this process says is treated as the learner's: it can change only what the
answer *is*, never the verdict, which the checker's process computes and reports.
"""

from __future__ import annotations

import json
import signal
import sys
import time
import traceback

__all__ = ["main"]


class CellTimeout(Exception):
    """Raised in a learner's cell that ran over its time limit."""


def _on_alarm(signum, frame):
    raise CellTimeout


def _raised(err: BaseException) -> dict:
    return {"raised": type(err).__name__, "message": str(err)[:2000],
            "not_implemented": isinstance(err, NotImplementedError)}


def _serve(channel, refs, answer):
    from .wire import decode, encode

    channel.send({"answer": encode(answer, refs)})
    while True:
        request = channel.receive()
        op = request.get("op")
        if op == "done":
            return
        try:
            target = refs[int(request["ref"])]
            if op == "call":
                args = decode(request["args"], refs.get, allow_pickle=True)
                kwargs = decode(request["kwargs"], refs.get, allow_pickle=True)
                value = target(*args, **kwargs)
            elif op == "getattr":
                value = getattr(target, str(request["name"]))
            elif op == "getitem":
                value = target[decode(request["key"], refs.get, allow_pickle=True)]
            elif op == "len":
                value = len(target)
            elif op == "list":
                value = list(target)
            else:
                raise ValueError(f"unknown request {op!r}")
            reply = {"ok": encode(value, refs)}
        except BaseException as err:  # noqa: BLE001 - the learner's code: report whatever it raised
            if isinstance(err, (KeyboardInterrupt, SystemExit)):
                raise
            reply = _raised(err)
        channel.send(reply)


def main() -> None:
    from IPython.core.interactiveshell import InteractiveShell  # while the checker starts

    from .wire import Channel

    job = json.loads(sys.stdin.readline())  # sent once the checker is bound

    channel = Channel(*job["fds"])
    shell = InteractiveShell.instance()
    signal.signal(signal.SIGALRM, _on_alarm)
    channel.send({"event": "running"})
    mine = set(job["answer"])
    answer_error = ""
    for index, source in enumerate(job["cells"]):
        limit = job["cell_timeout"] if index in mine else 0
        start = time.monotonic()
        if limit:
            signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            result = shell.run_cell(source, store_history=False)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        err = result.error_in_exec or result.error_before_exec
        if isinstance(err, CellTimeout) or (limit and time.monotonic() - start > limit):
            channel.send({"event": "timeout", "cell": index})
            return
        if err is not None and index in mine and not answer_error:
            answer_error = f"{type(err).__name__}: {err}"
        elif err is not None and index not in mine:
            channel.send({"event": "chapter-error", "cell": index,
                          "message": f"{type(err).__name__}: {err}"[:2000]})
    try:
        answer = eval(job["expression"], shell.user_ns)  # noqa: S307 - the chapter's check cell
    except BaseException as err:  # noqa: BLE001
        channel.send({"event": "no-answer", "message": f"{type(err).__name__}: {err}",
                      "answer_error": answer_error})
        return
    refs: dict[int, object] = {}
    try:
        _serve(channel, refs, answer)
    except Exception:  # the checker went away: nothing left to do
        traceback.print_exc()


if __name__ == "__main__":
    main()
