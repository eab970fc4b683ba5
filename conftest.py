"""pytest settings shared by the unit tests and nbval's run of the chapters.

Under nbval, each chapter's wall time is recorded in ``_build/nbval_times.json`` and
printed at the end of the run: CI's measurement of the quick profile.
"""

import json
import os
import time
from pathlib import Path

try:
    from nbval.kernel import RunningKernel
except ImportError:  # nbval not installed: only the unit tests run
    RunningKernel = None


def pytest_collectstart(collector):
    # nbval compares every stored output, but not stderr: TensorFlow's log
    # lines differ between machines and say nothing about the chapter.
    if hasattr(collector, "skip_compare"):
        collector.skip_compare = (*collector.skip_compare, "stderr")


if RunningKernel is not None:

    def _execute_as_jupyter_does(self, cell_input, allow_stdin=None):
        # nbval runs cells with store_history=False, and IPython then ignores a
        # trailing ';' (it reads the semicolon from the history), so a figure
        # line ending in ';' would show its figure twice. Run cells the way
        # Jupyter and nbclient do.
        return self.kc.execute(
            cell_input, store_history=True, allow_stdin=allow_stdin, stop_on_error=False
        )

    RunningKernel.execute_cell_input = _execute_as_jupyter_does


_NOTEBOOK_SECONDS: dict[str, float] = {}


def pytest_runtest_logreport(report):
    # nbval's items are cells named "<notebook>::Cell <n>"; sum their durations per chapter.
    if report.when == "call" and ".ipynb::" in report.nodeid:
        notebook = Path(report.nodeid.split("::", 1)[0]).stem
        _NOTEBOOK_SECONDS[notebook] = _NOTEBOOK_SECONDS.get(notebook, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    if not _NOTEBOOK_SECONDS:
        return
    profile = os.environ.get("CNNLIB_PROFILE", "full")
    out = Path(__file__).parent / "_build" / "nbval_times.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"profile": profile, "measured": time.strftime("%Y-%m-%d %H:%M"),
                               "seconds": {k: round(v, 1) for k, v in sorted(_NOTEBOOK_SECONDS.items())}},
                              indent=2) + "\n")
    terminalreporter.write_line(f"chapter times under nbval (profile {profile}), kept in {out}:")
    for name, seconds in sorted(_NOTEBOOK_SECONDS.items()):
        terminalreporter.write_line(f"  {name:<20} {seconds / 60:5.1f} min")
