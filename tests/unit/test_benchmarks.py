"""The benchmark scripts run and print their tables (one repeat: no timing is asserted here —
speed targets live in benchmarks/, never in tests)."""

import importlib.util
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load(name):
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_step_benchmark_prints_every_row_and_returns_the_ratio(capsys):
    pytest.importorskip("tensorflow")
    ratio = load("bench_simpleconvnet").main(["--repeats", "1", "--warmup", "1",
                                              "--naive-repeats", "1", "--batch", "20"])
    out = capsys.readouterr().out
    assert ratio > 0
    for row in ("NumPy's matrix products: ", "one thread", "`DataParallel` over", "`models.fuse`), one thread",
                "`fuse` and `DataParallel`", "`tf.function`", "ratio fastest cnnlib"):
        assert row in out, row


def test_the_kernel_choice_cannot_come_after_numpy_has_loaded(capsys):
    # once NumPy, and with it OpenBLAS, is loaded it is too late to choose
    import numpy  # noqa: F401

    with pytest.raises(SystemExit):
        load("bench_simpleconvnet").main(["--openblas-coretype", "SkylakeX"])
    assert "NumPy is already imported" in capsys.readouterr().err


@pytest.mark.parametrize("fused", [False, True])
def test_the_profile_names_every_layer(capsys, fused):
    load("profile_simpleconvnet").main(["--repeats", "1"] + (["--fused"] if fused else []))
    out = capsys.readouterr().out
    layers = ["conv2d forward", "dense forward", "conv2d backward", "SGD step", "**total**"]
    layers += [] if fused else ["max_pooling2d forward", "re_lu backward"]
    for row in layers:
        assert row in out, row
    assert ("max_pooling2d" in out) is not fused
