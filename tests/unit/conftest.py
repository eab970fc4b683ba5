"""Fixtures shared by several of cnnlib's unit tests."""

import importlib.util

import pytest


@pytest.fixture(scope="module")
def tiny_cnn():
    """A small trained-looking Keras CNN on 6×6×2 inputs (explain and its drawings)."""
    keras = pytest.importorskip("keras")
    keras.utils.set_random_seed(1)
    return keras.Sequential([
        keras.Input((6, 6, 2)),
        keras.layers.Conv2D(3, 3, activation="tanh"),
        keras.layers.Flatten(),
        keras.layers.Dense(4, activation="softmax"),
    ])


_OPTIONAL = ("keras", "tensorflow")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # The install matrix runs these tests where cnnlib is installed alone, without
    # TensorFlow: a test that needs Keras is skipped there, never failed.
    outcome = yield
    report = outcome.get_result()
    excinfo = call.excinfo
    if not (report.failed and excinfo is not None):
        return
    missing = [m for m in _OPTIONAL if f"No module named '{m}" in str(excinfo.value)
               and importlib.util.find_spec(m) is None]
    if missing:  # raised directly, or reported by a checker that caught it ("your code raised ...")
        report.outcome = "skipped"
        report.longrepr = (str(item.path), item.location[1] or 0,
                           f"Skipped: needs {missing[0]}, which is not installed")
