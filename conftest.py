"""pytest settings shared by the unit tests and nbval's run of the chapters."""


def pytest_collectstart(collector):
    # nbval compares every stored output, but not stderr: TensorFlow's log
    # lines differ between machines and say nothing about the chapter.
    if hasattr(collector, "skip_compare"):
        collector.skip_compare = (*collector.skip_compare, "stderr")
