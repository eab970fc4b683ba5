"""Tests for cnnlib.data.download: verified, then cached; an unverified or failed download
leaves nothing, and the loader goes on to the next source."""

import shutil
import time

import data_common as common
import pytest

from cnnlib import data
from cnnlib.data import download, sources

isolated = common.isolated
sample_arrays = common.sample_arrays
origin = common.origin


def test_no_network_fails_fast_and_leaves_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CNNLIB_OFFLINE")
    monkeypatch.setattr(download, "ORIGIN", f"http://127.0.0.1:{common.closed_port()}/")
    start = time.monotonic()
    ds = data.load_mnist()
    assert "sample bundled" in ds.source
    with pytest.raises(data.DataError, match="download from http://127.0.0.1.*failed") as err:
        data.load_fashion_mnist()
    assert "make setup" in str(err.value)
    assert time.monotonic() - start < 10
    assert common.keras_cache_files(tmp_path) == []
    assert "Downloading" not in capsys.readouterr().out


def test_bad_download_timeout(monkeypatch):
    monkeypatch.delenv("CNNLIB_OFFLINE")
    monkeypatch.setenv("CNNLIB_DOWNLOAD_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="CNNLIB_DOWNLOAD_TIMEOUT"):
        data.load_mnist()


@pytest.mark.parametrize("value, offline", [("1", True), ("yes", True), ("0", False),
                                            ("false", False), ("", False)])
def test_offline_switch(monkeypatch, value, offline):
    monkeypatch.setenv("CNNLIB_OFFLINE", value)
    assert download.offline() is offline


def test_download_is_verified_then_cached(origin, tmp_path, sample_arrays, capsys):
    common.save_npz(origin / "mnist.npz", sample_arrays)
    ds = data.load_mnist()
    assert "keras's origin" in ds.source
    assert common.keras_cache_files(tmp_path) == ["mnist.npz"]
    assert "Downloading MNIST" in capsys.readouterr().out
    assert data.load_mnist().source.startswith("keras cache")


def test_unverified_download_leaves_nothing(origin, tmp_path, sample_arrays, caplog):
    (x, y), test = sample_arrays
    common.save_npz(origin / "mnist.npz", ((x[::-1], y), test))
    ds = data.load_mnist()
    assert "sample bundled" in ds.source  # reported in the log, then the next source
    assert any("failed its check" in r.getMessage() for r in caplog.records)
    for name, src in zip(common.IDX_NAMES, common.SAMPLE_NAMES):  # MNIST's where Fashion's belong
        shutil.copy(sources.BUNDLED_DIR / src, origin / name)
    with pytest.raises(data.DataError, match="not Fashion-MNIST's"):
        data.load_fashion_mnist()
    assert common.keras_cache_files(tmp_path) == []


def test_a_failed_download_is_not_retried(origin, tmp_path, sample_arrays):
    data.load_mnist()  # nothing at the origin yet: falls back to the sample
    common.save_npz(origin / "mnist.npz", sample_arrays)
    assert "sample bundled" in data.load_mnist().source
    assert common.keras_cache_files(tmp_path) == []


def test_fashion_download_all_four_files(origin, tmp_path):
    real = common.real_fashion_dir()
    if real is None:
        pytest.skip(common.FASHION_ABSENT)
    for name in common.IDX_NAMES:
        (origin / name).symlink_to(real / name)
    ds = data.load_fashion_mnist()
    assert ds[0][0].shape == (60000, 28, 28)
    assert common.keras_cache_files(tmp_path) == sorted(common.IDX_NAMES)
    assert data.describe_source("fashion_mnist").startswith("keras cache")
