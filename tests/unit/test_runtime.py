"""Profiles, budgets, seeds and the environment line."""

import numpy as np
import pytest

import cnnlib


def test_profile_defaults_to_full(monkeypatch):
    monkeypatch.delenv("CNNLIB_PROFILE", raising=False)
    assert cnnlib.profile() == "full"
    assert cnnlib.budget(full=20, quick=1) == 20


def test_quick_profile(monkeypatch):
    monkeypatch.setenv("CNNLIB_PROFILE", "quick")
    assert cnnlib.budget(full=20, quick=1) == 1


def test_unknown_profile_is_named(monkeypatch):
    monkeypatch.setenv("CNNLIB_PROFILE", "fast")
    with pytest.raises(ValueError, match="CNNLIB_PROFILE must be one of full, quick, got 'fast'"):
        cnnlib.profile()


def test_seed_repeats_numpy():
    cnnlib.seed_everything(7)
    a = np.random.rand(3)
    cnnlib.seed_everything(7)
    assert np.array_equal(a, np.random.rand(3))
    with pytest.raises(ValueError, match="seed must be a whole number"):
        cnnlib.seed_everything(-1)


def test_about_prints_profile_and_versions(monkeypatch, capsys):
    monkeypatch.setenv("CNNLIB_PROFILE", "quick")
    cnnlib.about()
    text = cnnlib.runtime.environment()
    assert text.splitlines()[0] == "profile: quick"
    assert f"cnnlib {cnnlib.__version__}" in text and "TensorFlow" in text
    assert capsys.readouterr().out.strip() == text


def test_timer_measures_the_block():
    import time

    from cnnlib.runtime import timer

    with timer() as t:
        time.sleep(0.05)
    assert 0.04 < t.seconds < 5 and float(t) == t.seconds


def test_run_seed_adds_the_environment_offset(monkeypatch):
    monkeypatch.delenv("CNNLIB_SEED", raising=False)
    assert cnnlib.run_seed(0) == 0 and cnnlib.run_seed(5) == 5
    monkeypatch.setenv("CNNLIB_SEED", "2")
    assert cnnlib.run_seed(0) == 2 and cnnlib.run_seed(5) == 7


def test_seed_everything_uses_the_offset(monkeypatch):
    import numpy as np

    monkeypatch.setenv("CNNLIB_SEED", "3")
    cnnlib.seed_everything(0)
    shifted = np.random.rand()
    monkeypatch.delenv("CNNLIB_SEED")
    cnnlib.seed_everything(3)
    assert np.random.rand() == shifted


@pytest.mark.parametrize("bad", ["-1", "one", "1.5"])
def test_run_seed_names_the_variable(monkeypatch, bad):
    monkeypatch.setenv("CNNLIB_SEED", bad)
    with pytest.raises(ValueError, match="CNNLIB_SEED must be a whole number"):
        cnnlib.run_seed(0)
