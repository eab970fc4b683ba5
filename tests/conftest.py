"""Set-up shared by every test: cnnlib's unit tests (tests/unit/) and the book's (tests/book/).

* TensorFlow's environment, fixed here before anything imports TensorFlow:
  ``TF_ENABLE_ONEDNN_OPTS=0`` turns oneDNN's custom ops off, because TensorFlow 2.21's
  oneDNN ``conv2d`` returns garbage on some tiny shapes and TensorFlow is one of the
  references the tests trust (``tests/references.py``); quiet logs.
* Matplotlib draws off-screen (Agg) and every test's figures are closed after it.
* Hypothesis: ``CI`` set selects the ``ci`` profile (derandomized, no example database,
  so CI's verdict is the same on every run and nothing is written into the clone);
  otherwise the ``dev`` profile explores new examples on every run. Both print the
  falsifying example as a call, ready to paste into a regression test.
"""

import os
import sys
from pathlib import Path

os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/references.py

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import pytest  # noqa: E402

try:
    from hypothesis import HealthCheck, Verbosity, settings
except ImportError:  # the book tests run without hypothesis too
    settings = None

if settings is not None:
    settings.register_profile(
        "ci", derandomize=True, database=None, print_blob=True, deadline=None,
        suppress_health_check=[HealthCheck.too_slow], verbosity=Verbosity.normal,
    )
    settings.register_profile("dev", print_blob=True, deadline=None)
    settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
