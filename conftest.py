"""pytest settings shared by the unit tests and nbval's run of the chapters."""

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
