"""cnnlib.threads: NumPy's BLAS on one thread while cnnlib's models compute, and only then."""

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from cnnlib import layers as L
from cnnlib import threads
from cnnlib.models import Sequential


def blas_counts():
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


@pytest.fixture(autouse=True)
def two_threads():
    """Every test starts from 2 BLAS threads, as NumPy picks on this 2-core machine, whatever
    OPENBLAS_NUM_THREADS the test run was started with."""
    with threadpool_limits(limits=2, user_api="blas"):
        if set(blas_counts()) != {2}:
            pytest.skip(f"this NumPy's BLAS cannot be set to 2 threads: {blas_counts()}")
        yield


class Spy(L.Layer):
    """A layer that records the BLAS threads it computes with."""

    seen = []

    def forward(self, x, training=False):
        Spy.seen.append(blas_counts())
        return x.reshape(len(x), -1)

    def backward(self, dout):
        Spy.seen.append(blas_counts())
        return dout


def test_limit_holds_inside_and_is_undone_after():
    before = blas_counts()
    with threads.blas_threads(1):
        assert blas_counts() == [1] * len(before)
        with threads.blas_threads(1):  # nested: still one
            assert blas_counts() == [1] * len(before)
        assert blas_counts() == [1] * len(before)
    assert blas_counts() == before


def test_models_compute_on_one_thread_without_any_variable(monkeypatch):
    monkeypatch.delenv("CNNLIB_BLAS_THREADS", raising=False)
    before = blas_counts()
    Spy.seen = []
    model = Sequential([Spy(), L.Dense(3, seed=0)], input_shape=(2, 2, 1))
    x, y = np.ones((4, 2, 2, 1), np.float32), np.array([0, 1, 2, 0])
    model.backprop(x, y)
    model.predict(x)
    assert Spy.seen and all(seen == [1] * len(before) for seen in Spy.seen)
    assert blas_counts() == before  # the reader's own NumPy keeps its threads


def test_zero_means_numpy_own_choice(monkeypatch):
    monkeypatch.setenv("CNNLIB_BLAS_THREADS", "0")
    before = blas_counts()
    with threads.blas_threads():
        assert blas_counts() == before


@pytest.mark.parametrize("value", ["two", "-1", "1.5"])
def test_bad_setting_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("CNNLIB_BLAS_THREADS", value)
    with pytest.raises(ValueError, match="CNNLIB_BLAS_THREADS must be a whole number"):
        threads.default_threads()


def test_bad_argument_names_it():
    with pytest.raises(ValueError, match=r"blas_threads: n must be .* got -2"):
        with threads.blas_threads(-2):
            pass


# ---------------------------------------------------------------- which kernels BLAS runs

ZEN5_FLAGS = ("fpu sse sse2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl "
              "avx512_bf16")


def cpuinfo(tmp_path, flags):
    path = tmp_path / "cpuinfo"
    path.write_text(f"processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: {flags}\n\n"
                    f"processor\t: 1\nflags\t\t: {flags}\n")
    return path


@pytest.mark.parametrize("flags, width", [
    (ZEN5_FLAGS, "AVX-512"),
    ("sse sse2 avx avx2 fma avx512f", "AVX2"),  # AVX-512F alone is not what the kernels use
    ("sse sse2 avx avx2 fma", "AVX2"),
    ("sse sse2 avx", "AVX"),
    ("sse sse2", "SSE"),
])
def test_the_cpu_vector_width_comes_from_its_flags(tmp_path, flags, width):
    assert threads.cpu_vector_width(cpuinfo(tmp_path, flags)) == width


def test_no_cpuinfo_means_unknown(tmp_path):
    assert threads.cpu_vector_width(tmp_path / "missing") is None


@pytest.mark.parametrize("kernels, width, narrower", [
    ("Haswell", "AVX2", True), ("SkylakeX", "AVX-512", False), ("Cooperlake", "AVX-512", False),
    ("Zen", "AVX2", True), ("Armv8", None, False)])
def test_blas_kernels_says_when_they_are_narrower_than_the_cpu(tmp_path, monkeypatch, kernels,
                                                              width, narrower):
    info = [{"user_api": "blas", "internal_api": "openblas", "version": "0.3.31",
             "architecture": kernels, "num_threads": 2}]
    monkeypatch.setattr(threads._get_controller(), "info", lambda: info)
    found = threads.blas_kernels(cpuinfo(tmp_path, ZEN5_FLAGS))
    assert (found["kernels"], found["kernel_width"], found["cpu_width"]) == (
        kernels, width, "AVX-512")
    assert found["narrower"] is narrower
    assert found["text"].startswith(f"OpenBLAS 0.3.31, {kernels} kernels")
    assert found["text"].endswith("on a CPU with AVX-512")


def test_blas_kernels_of_this_numpy():
    found = threads.blas_kernels()
    assert found["library"] is not None and found["text"]
