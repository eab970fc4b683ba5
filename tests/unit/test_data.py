"""Tests for cnnlib.data: the bundled MNIST sample, Fashion-MNIST, checks and fallbacks.

Nothing here reads the real ~/.keras or reaches the internet: HOME, KERAS_HOME and the
Debian/project folders point into tmp_path, downloads are off (CNNLIB_OFFLINE=1) except
against a closed port or a small HTTP server on 127.0.0.1.
"""

import functools
import gzip
import http.server
import os
import pickle
import shutil
import socket
import threading
import time

import numpy as np
import pytest

import cnnlib
from cnnlib import data

REAL_DEBIAN_DIR = data.DEBIAN_FASHION_DIR
REAL_REPO_DIR = data.REPO_DIR
IDX_NAMES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
             "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
SAMPLE_NAMES = ("train-5k-images-idx3-ubyte.gz", "train-5k-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


def real_fashion_dir():
    """Where the real Fashion-MNIST files are on this machine, or None."""
    for folder in (REAL_DEBIAN_DIR,
                   REAL_REPO_DIR / ".data/fashion-mnist/usr/share/datasets/fashion-mnist"):
        if all((folder / name).is_file() for name in IDX_NAMES):
            return folder
    return None


FASHION_ABSENT = ("Fashion-MNIST files absent (run `make setup` or scripts/get_fashion_mnist.sh;"
                  " set CNNLIB_REQUIRE_FASHION=1 to make this a failure)")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No real home, keras cache, Debian folder or project copy; downloads off."""
    for var, sub in (("HOME", "home"), ("KERAS_HOME", "keras"), ("XDG_CACHE_HOME", "xdg")):
        (tmp_path / sub).mkdir()
        monkeypatch.setenv(var, str(tmp_path / sub))
    monkeypatch.delenv("CNNLIB_DATA_DIR", raising=False)
    monkeypatch.delenv("CNNLIB_DOWNLOAD_TIMEOUT", raising=False)
    monkeypatch.setenv("CNNLIB_OFFLINE", "1")
    monkeypatch.setattr(data, "DEBIAN_FASHION_DIR", tmp_path / "no-debian")
    monkeypatch.setattr(data, "REPO_DIR", tmp_path / "no-repo")
    monkeypatch.setattr(data, "_download_failed", {})


def keras_cache_files(tmp_path):
    return sorted(p.name for p in (tmp_path / "keras").rglob("*") if p.is_file())


def copy_sample(dest, names=IDX_NAMES):
    """The bundled sample's four files in dest under `names`."""
    dest.mkdir(parents=True, exist_ok=True)
    for src, name in zip(SAMPLE_NAMES, names):
        shutil.copy(data.BUNDLED_DIR / src, dest / name)
    return dest


def rewrite(path, change):
    """Decompress path, apply change(bytearray), gzip it again in place."""
    raw = bytearray(gzip.decompress(path.read_bytes()))
    change(raw)
    path.write_bytes(gzip.compress(bytes(raw), compresslevel=1))


def save_npz(path, ds):
    (x_train, y_train), (x_test, y_test) = ds
    np.savez(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)


@pytest.fixture(scope="module")
def sample_arrays():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CNNLIB_OFFLINE", "1")
        mp.delenv("CNNLIB_DATA_DIR", raising=False)
        return tuple(data.load_mnist())


# --- the bundled MNIST sample --------------------------------------------------------------


def test_bundled_mnist_shapes_dtypes_and_balance(capsys):
    ds = data.load_mnist()
    (x_train, y_train), (x_test, y_test) = ds
    assert x_train.shape == (5000, 28, 28) and y_train.shape == (5000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    for arr in (x_train, y_train, x_test, y_test):
        assert arr.dtype == np.uint8
    assert x_train.max() == 255 and x_train.min() == 0
    assert set(np.unique(y_test)) == set(range(10))
    assert np.bincount(y_train, minlength=10).tolist() == [500] * 10
    assert not np.array_equal(y_train[:500], np.zeros(500))  # shuffled, not sorted by digit
    assert ds.name == "mnist" and ds.classes == data.MNIST_CLASSES
    assert "sample bundled with cnnlib" in ds.source and "5,000" in ds.source
    out = capsys.readouterr().out.strip()
    assert out == "Loaded MNIST from the offline sample bundled with cnnlib: 5,000 train / 10,000 test"


def test_dataset_unpacks_like_keras_and_pickles(sample_arrays):
    ds = data.Dataset(*sample_arrays, name="mnist", source="here")
    assert isinstance(ds, tuple) and len(ds) == 2 and len(ds[0]) == 2
    (x_train, _), (_, y_test) = ds
    assert x_train is sample_arrays[0][0] and y_test is sample_arrays[1][1]
    back = pickle.loads(pickle.dumps(ds))
    assert back.source == "here" and back.name == "mnist"
    assert np.array_equal(back[0][0], x_train)
    assert "(5000, 28, 28)" in repr(ds) and len(repr(ds)) < 300


def test_load_logs_one_line(caplog):
    with caplog.at_level("INFO", logger="cnnlib.data"):
        data.load_mnist()
    lines = [r.getMessage() for r in caplog.records if r.name == "cnnlib.data"]
    assert len(lines) == 1 and "5000 train / 10000 test" in lines[0]


def test_prepare_scales_and_adds_channel(sample_arrays):
    x = data.prepare(sample_arrays[0][0][:3])
    assert x.shape == (3, 28, 28, 1) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() == 1.0
    with pytest.raises(ValueError, match="uint8"):
        data.prepare(x)
    with pytest.raises(ValueError, match="shape"):
        data.prepare(np.zeros((28, 28), np.uint8))


def test_class_names():
    assert data.MNIST_CLASSES == tuple("0123456789")
    assert len(data.FASHION_CLASSES) == len(data.FASHION_CLASSES_KO) == 10
    assert data.FASHION_CLASSES[9] == "Ankle boot" and data.FASHION_CLASSES_KO[9] == "앵클 부츠"


# --- Fashion-MNIST from Debian or the project's copy ---------------------------------------


def test_fashion_files_present_when_required():
    if real_fashion_dir() is None:
        if os.environ.get("CNNLIB_REQUIRE_FASHION") == "1":
            pytest.fail("CNNLIB_REQUIRE_FASHION=1 but Fashion-MNIST is neither in "
                        f"{REAL_DEBIAN_DIR} nor in .data/fashion-mnist: run `make setup`")
        pytest.skip(FASHION_ABSENT)


def test_fashion_from_debian_or_project_copy(monkeypatch, capsys):
    if real_fashion_dir() is None:
        pytest.skip(FASHION_ABSENT)
    monkeypatch.setattr(data, "DEBIAN_FASHION_DIR", REAL_DEBIAN_DIR)
    monkeypatch.setattr(data, "REPO_DIR", REAL_REPO_DIR)
    assert "dataset-fashion-mnist" in data.describe_source("fashion_mnist")
    ds = data.load_fashion_mnist()
    (x_train, y_train), (x_test, y_test) = ds
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.dtype == y_test.dtype == x_train.dtype == np.uint8
    assert np.bincount(y_train).tolist() == [6000] * 10
    assert np.bincount(y_test).tolist() == [1000] * 10
    assert "dataset-fashion-mnist" in ds.source and ds.classes == data.FASHION_CLASSES
    assert capsys.readouterr().out == ("Loaded Fashion-MNIST from Debian's dataset-fashion-mnist:"
                                       " 60,000 train / 10,000 test\n")


def test_fashion_absent_offline_says_how_to_get_it():
    with pytest.raises(data.DataError) as err:
        data.load_fashion_mnist()
    msg = str(err.value)
    assert "no-debian" in msg and "CNNLIB_OFFLINE" in msg
    assert "make setup" in msg and "apt-get install dataset-fashion-mnist" in msg


# --- data_dir: IDX files and npz -----------------------------------------------------------


def test_data_dir_with_idx_files(tmp_path):
    folder = copy_sample(tmp_path / "mine")
    ds = data.load_mnist(data_dir=folder)
    assert ds[0][0].shape == (5000, 28, 28)
    assert "data_dir" in ds.source and "5,000-image" in ds.source


def test_env_data_dir_is_used_and_other_dataset_falls_through(tmp_path, monkeypatch):
    folder = copy_sample(tmp_path / "env", SAMPLE_NAMES)
    monkeypatch.setenv("CNNLIB_DATA_DIR", str(folder))
    assert data.load_mnist().source.startswith("CNNLIB_DATA_DIR")
    assert data.describe_source("mnist").startswith("CNNLIB_DATA_DIR")
    with pytest.raises(data.DataError, match="is MNIST's y_test, not Fashion-MNIST's"):
        data.load_fashion_mnist()  # the folder's files are MNIST's: on to the next sources


def test_explicit_data_dir_without_data_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(data.DataError, match="holds no MNIST"):
        data.load_mnist(data_dir=tmp_path / "empty")
    with pytest.raises(data.DataError, match="is not a folder"):
        data.load_mnist(data_dir=tmp_path / "nowhere")
    copy_sample(tmp_path / "digits")
    with pytest.raises(data.DataError, match="holds no Fashion-MNIST.*MNIST's x_train"):
        data.load_fashion_mnist(data_dir=tmp_path / "digits")


def test_npz_built_from_the_real_arrays_is_accepted(tmp_path, sample_arrays):
    save_npz(tmp_path / "mnist.npz", sample_arrays)
    ds = data.load_mnist(data_dir=tmp_path)
    assert ds.source.endswith("(training set: the 5,000-image MNIST sample)")
    assert np.array_equal(ds[1][0], sample_arrays[1][0])


def test_unknown_npz_is_rejected(tmp_path, sample_arrays):
    rng = np.random.default_rng(0)
    (x, y), test = sample_arrays
    save_npz(tmp_path / "mnist.npz", ((rng.permutation(x), y), test))
    with pytest.raises(data.DataError, match=r"mnist.npz \[x_train\].*this one is unknown"):
        data.load_mnist(data_dir=tmp_path)
    save_npz(tmp_path / "mnist.npz", ((x, y.astype(np.int64)), test))
    with pytest.raises(data.DataError, match="y_train is int64"):
        data.load_mnist(data_dir=tmp_path)
    np.savez(tmp_path / "mnist.npz", images=x)
    with pytest.raises(data.DataError, match="no array x_train"):
        data.load_mnist(data_dir=tmp_path)
    (tmp_path / "mnist.npz").write_bytes(b"not a zip")
    with pytest.raises(data.DataError, match="not a readable .npz"):
        data.load_mnist(data_dir=tmp_path)


# --- broken files: always an error that names the file -------------------------------------


def test_missing_file(tmp_path):
    folder = copy_sample(tmp_path / "d")
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(data.DataError, match="missing t10k-labels-idx1-ubyte.gz"):
        data.load_mnist(data_dir=folder)


@pytest.mark.parametrize("keep", [0.5, 0.999])
def test_truncated_gzip(tmp_path, keep):
    folder = copy_sample(tmp_path / "d")
    path = folder / "t10k-images-idx3-ubyte.gz"
    blob = path.read_bytes()
    path.write_bytes(blob[: int(len(blob) * keep)])
    with pytest.raises(data.DataError, match="truncated") as err:
        data.load_mnist(data_dir=folder)
    assert str(path) in str(err.value)


def test_flipped_pixel_fails_the_checksum(tmp_path):
    folder = copy_sample(tmp_path / "d")
    path = folder / "train-images-idx3-ubyte.gz"

    def flip(raw):
        raw[16 + 14 * 28 + 14] ^= 0xFF  # the centre pixel of the first image

    rewrite(path, flip)
    with pytest.raises(data.DataError) as err:
        data.load_mnist(data_dir=folder)
    msg = str(err.value)
    assert str(path) in msg and "sha256" in msg and "1d63efb4ac5a" in msg


def test_corrupted_file_in_a_higher_source_is_not_skipped(tmp_path, monkeypatch):
    folder = copy_sample(tmp_path / "env")
    rewrite(folder / "t10k-labels-idx1-ubyte.gz", lambda raw: raw.__setitem__(8, (raw[8] + 1) % 10))
    monkeypatch.setenv("CNNLIB_DATA_DIR", str(folder))
    with pytest.raises(data.DataError, match="t10k-labels-idx1-ubyte.gz: corrupted"):
        data.load_mnist()  # not the bundled sample in its place


def test_wrong_header(tmp_path):
    folder = copy_sample(tmp_path / "d")
    rewrite(folder / "t10k-images-idx3-ubyte.gz", lambda raw: raw.__setitem__(3, 1))
    with pytest.raises(data.DataError, match="magic number 2049 where x_test needs 2051"):
        data.load_mnist(data_dir=folder)
    rewrite(folder / "train-labels-idx1-ubyte.gz", lambda raw: raw.extend(b"\0"))
    with pytest.raises(data.DataError, match="longer than its header says"):
        data.load_mnist(data_dir=folder)


def test_not_gzip(tmp_path):
    folder = copy_sample(tmp_path / "d")
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(b"<html>captive portal</html>")
    with pytest.raises(data.DataError, match="not a readable gzip"):
        data.load_mnist(data_dir=folder)


# --- downloads -----------------------------------------------------------------------------


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_network_fails_fast_and_leaves_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CNNLIB_OFFLINE")
    monkeypatch.setattr(data, "ORIGIN", f"http://127.0.0.1:{closed_port()}/")
    start = time.monotonic()
    ds = data.load_mnist()
    assert "sample bundled" in ds.source
    with pytest.raises(data.DataError, match="download from http://127.0.0.1.*failed") as err:
        data.load_fashion_mnist()
    assert "make setup" in str(err.value)
    assert time.monotonic() - start < 10
    assert keras_cache_files(tmp_path) == []
    assert "Downloading" not in capsys.readouterr().out


def test_describe_source_needs_no_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("describe_source must not touch the network")

    monkeypatch.setattr(data.urllib.request, "urlopen", no_network)
    assert "bundled" in data.describe_source("mnist")
    assert data.describe_source("fashion_mnist").startswith("unavailable:")
    monkeypatch.delenv("CNNLIB_OFFLINE")
    text = data.describe_source("mnist")
    assert text.startswith("download from keras's origin (online)") and "bundled" in text


def test_bad_download_timeout(monkeypatch):
    monkeypatch.delenv("CNNLIB_OFFLINE")
    monkeypatch.setenv("CNNLIB_DOWNLOAD_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="CNNLIB_DOWNLOAD_TIMEOUT"):
        data.load_mnist()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def origin(tmp_path, monkeypatch):
    """A tiny keras origin on 127.0.0.1 serving the folder it returns."""
    root = tmp_path / "origin"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(data, "ORIGIN", f"http://127.0.0.1:{server.server_port}/")
    monkeypatch.delenv("CNNLIB_OFFLINE")
    yield root
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_download_is_verified_then_cached(origin, tmp_path, sample_arrays, capsys):
    save_npz(origin / "mnist.npz", sample_arrays)
    ds = data.load_mnist()
    assert "keras's origin" in ds.source
    assert keras_cache_files(tmp_path) == ["mnist.npz"]
    assert "Downloading MNIST" in capsys.readouterr().out
    assert data.load_mnist().source.startswith("keras cache")


def test_unverified_download_leaves_nothing(origin, tmp_path, sample_arrays, caplog):
    (x, y), test = sample_arrays
    save_npz(origin / "mnist.npz", ((x[::-1], y), test))
    ds = data.load_mnist()
    assert "sample bundled" in ds.source  # reported in the log, then the next source
    assert any("failed its check" in r.getMessage() for r in caplog.records)
    for name, src in zip(IDX_NAMES, SAMPLE_NAMES):  # MNIST's files where Fashion's belong
        shutil.copy(data.BUNDLED_DIR / src, origin / name)
    with pytest.raises(data.DataError, match="not Fashion-MNIST's"):
        data.load_fashion_mnist()
    assert keras_cache_files(tmp_path) == []


def test_fashion_download_all_four_files(origin, tmp_path):
    real = real_fashion_dir()
    if real is None:
        pytest.skip(FASHION_ABSENT)
    for name in IDX_NAMES:
        (origin / name).symlink_to(real / name)
    ds = data.load_fashion_mnist()
    assert ds[0][0].shape == (60000, 28, 28)
    assert keras_cache_files(tmp_path) == sorted(IDX_NAMES)
    assert data.describe_source("fashion_mnist").startswith("keras cache")


# --- names ---------------------------------------------------------------------------------


def test_unknown_dataset_name():
    with pytest.raises(ValueError, match="'mnist', 'fashion_mnist'"):
        data.describe_source("cifar10")
    with pytest.raises(ValueError, match="valid names"):
        cnnlib.about("fashion-mnist")


def test_about_reports_the_source(capsys):
    cnnlib.about("mnist")
    text = capsys.readouterr().out
    assert "mnist: offline MNIST sample bundled with cnnlib" in text
    assert isinstance(data.DataError("x"), ValueError)
