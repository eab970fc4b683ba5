"""What the tests of cnnlib.data share (no tests here): isolation, sample files, a tiny origin.

Every ``test_data*.py`` module takes the fixtures as ``name = common.name``. Nothing reads
the real ~/.keras or reaches the internet: HOME, KERAS_HOME and the Debian/project folders
point into tmp_path, downloads are off (CNNLIB_OFFLINE=1) except against a closed port or a
small HTTP server on 127.0.0.1.
"""

import functools
import gzip
import hashlib
import http.server
import os
import shutil
import socket
import struct
import threading

import numpy as np
import pytest

from cnnlib import data
from cnnlib.data import catalogue, download, sources

REAL_DEBIAN_DIR = sources.DEBIAN_DIR / "fashion-mnist"
REAL_REPO_DIR = sources.REPO_DIR
IDX_NAMES = tuple(catalogue.STANDARD.values())
SAMPLE_NAMES = tuple(catalogue.SAMPLE.values())
FASHION_ABSENT = ("Fashion-MNIST files absent (run `make setup` or scripts/get_fashion_mnist.sh;"
                  " set CNNLIB_REQUIRE_FASHION=1 to make this a failure)")


def real_fashion_dir():
    """Where the real Fashion-MNIST files are on this machine, or None."""
    for folder in (REAL_DEBIAN_DIR,
                   REAL_REPO_DIR / ".data/fashion-mnist/usr/share/datasets/fashion-mnist"):
        if all((folder / name).is_file() for name in IDX_NAMES):
            return folder
    return None


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No real home, keras cache, Debian folder or project copy; downloads off."""
    for var, sub in (("HOME", "home"), ("KERAS_HOME", "keras"), ("XDG_CACHE_HOME", "xdg")):
        (tmp_path / sub).mkdir()
        monkeypatch.setenv(var, str(tmp_path / sub))
    monkeypatch.delenv("CNNLIB_DATA_DIR", raising=False)
    monkeypatch.delenv("CNNLIB_DOWNLOAD_TIMEOUT", raising=False)
    monkeypatch.setenv("CNNLIB_OFFLINE", "1")
    monkeypatch.setattr(sources, "DEBIAN_DIR", tmp_path / "no-debian")
    monkeypatch.setattr(sources, "REPO_DIR", tmp_path / "no-repo")
    monkeypatch.setattr(download, "_failed", {})


@pytest.fixture(scope="module")
def sample_arrays():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CNNLIB_OFFLINE", "1")
        mp.delenv("CNNLIB_DATA_DIR", raising=False)
        return tuple(data.load_mnist())


def keras_cache_files(tmp_path):
    return sorted(p.name for p in (tmp_path / "keras").rglob("*") if p.is_file())


def copy_sample(dest, names=IDX_NAMES):
    """The bundled sample's four files in dest under `names`."""
    dest.mkdir(parents=True, exist_ok=True)
    for src, name in zip(SAMPLE_NAMES, names):
        shutil.copy(sources.BUNDLED_DIR / src, dest / name)
    return dest


def rewrite(path, change):
    """Decompress path, apply change(bytearray), gzip it again in place."""
    raw = bytearray(gzip.decompress(path.read_bytes()))
    change(raw)
    path.write_bytes(gzip.compress(bytes(raw), compresslevel=1))


def save_npz(path, ds):
    (x_train, y_train), (x_test, y_test) = ds
    np.savez(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)


def idx_bytes(arr):
    """An array as the bytes of an IDX file (uint8 images: magic 2051, labels: 2049)."""
    header = struct.pack(">I", 2051 if arr.ndim == 3 else 2049)
    return header + struct.pack(f">{arr.ndim}I", *arr.shape) + arr.tobytes()


def tiny_dataset(folder=None, name="tiny"):
    """A made-up data set — 8x8 images of 3 classes — as a catalogue entry, and its arrays.

    With folder, also writes its four IDX .gz files there under the standard names.
    """
    rng = np.random.default_rng(1)
    arrays = {"x_train": rng.integers(0, 256, (30, 8, 8), dtype=np.uint8),
              "y_train": rng.integers(0, 3, 30, dtype=np.uint8),
              "x_test": rng.integers(0, 256, (12, 8, 8), dtype=np.uint8),
              "y_test": rng.integers(0, 3, 12, dtype=np.uint8)}
    known = tuple(catalogue.KnownFile(key, len(arr), hashlib.sha256(idx_bytes(arr)).hexdigest())
                  for key, arr in arrays.items())
    entry = catalogue.Entry(
        name=name, title="Tiny", classes=("dot", "line", "ring"), known=known,
        how_to_get="To get Tiny: draw it", image_shape=(8, 8), npz_names=("tiny.npz",),
        keras="tiny.npz", debian=catalogue.Debian("dataset-tiny", "tiny"))
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        for key, arr in arrays.items():
            (folder / catalogue.STANDARD[key]).write_bytes(gzip.compress(idx_bytes(arr)))
    return entry, arrays


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    monkeypatch.setattr(download, "ORIGIN", f"http://127.0.0.1:{server.server_port}/")
    monkeypatch.delenv("CNNLIB_OFFLINE")
    yield root
    server.shutdown()
    server.server_close()
    thread.join(5)


def require_fashion():
    """Skip (or fail, with CNNLIB_REQUIRE_FASHION=1) when the real Fashion-MNIST is absent."""
    folder = real_fashion_dir()
    if folder is None:
        if os.environ.get("CNNLIB_REQUIRE_FASHION") == "1":
            pytest.fail("CNNLIB_REQUIRE_FASHION=1 but Fashion-MNIST is neither in "
                        f"{REAL_DEBIAN_DIR} nor in .data/fashion-mnist: run `make setup`")
        pytest.skip(FASHION_ABSENT)
    return folder
