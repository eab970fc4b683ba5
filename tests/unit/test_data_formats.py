"""Tests for cnnlib.data.formats: IDX .gz files and npz, and every way a file can be broken —
always an error that names the file, never silent garbage."""

import data_common as common
import numpy as np
import pytest

from cnnlib import data
from cnnlib.data import formats

isolated = common.isolated
sample_arrays = common.sample_arrays


# --- npz -------------------------------------------------------------------------------------


def test_npz_built_from_the_real_arrays_is_accepted(tmp_path, sample_arrays):
    common.save_npz(tmp_path / "mnist.npz", sample_arrays)
    ds = data.load_mnist(data_dir=tmp_path)
    assert ds.source.endswith("(training set: the 5,000-image MNIST sample)")
    assert np.array_equal(ds[1][0], sample_arrays[1][0])


def test_unknown_npz_is_rejected(tmp_path, sample_arrays):
    rng = np.random.default_rng(0)
    (x, y), test = sample_arrays
    common.save_npz(tmp_path / "mnist.npz", ((rng.permutation(x), y), test))
    with pytest.raises(data.DataError, match=r"mnist.npz \[x_train\].*this one is unknown"):
        data.load_mnist(data_dir=tmp_path)
    common.save_npz(tmp_path / "mnist.npz", ((x, y.astype(np.int64)), test))
    with pytest.raises(data.DataError, match="y_train is int64"):
        data.load_mnist(data_dir=tmp_path)
    np.savez(tmp_path / "mnist.npz", images=x)
    with pytest.raises(data.DataError, match="no array x_train"):
        data.load_mnist(data_dir=tmp_path)
    (tmp_path / "mnist.npz").write_bytes(b"not a zip")
    with pytest.raises(data.DataError, match="not a readable .npz"):
        data.load_mnist(data_dir=tmp_path)


# --- IDX .gz: broken files ----------------------------------------------------------------


def test_missing_file(tmp_path):
    folder = common.copy_sample(tmp_path / "d")
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(data.DataError, match="missing t10k-labels-idx1-ubyte.gz"):
        data.load_mnist(data_dir=folder)
    for path in folder.iterdir():
        if path.name != "train-labels-idx1-ubyte.gz":
            path.unlink()
    (folder / "train-labels-idx1-ubyte.gz").rename(folder / "train-5k-labels-idx1-ubyte.gz")
    with pytest.raises(data.DataError, match="missing train-images-idx3-ubyte.gz, train-labels"):
        data.load_mnist(data_dir=folder)  # only a file of the second layout: still named


@pytest.mark.parametrize("keep", [0.5, 0.999])
def test_truncated_gzip(tmp_path, keep):
    folder = common.copy_sample(tmp_path / "d")
    path = folder / "t10k-images-idx3-ubyte.gz"
    blob = path.read_bytes()
    path.write_bytes(blob[: int(len(blob) * keep)])
    with pytest.raises(data.DataError, match="truncated") as err:
        data.load_mnist(data_dir=folder)
    assert str(path) in str(err.value)


def test_flipped_pixel_fails_the_checksum(tmp_path):
    folder = common.copy_sample(tmp_path / "d")
    path = folder / "train-images-idx3-ubyte.gz"

    def flip(raw):
        raw[16 + 14 * 28 + 14] ^= 0xFF  # the centre pixel of the first image

    common.rewrite(path, flip)
    with pytest.raises(data.DataError) as err:
        data.load_mnist(data_dir=folder)
    msg = str(err.value)
    assert str(path) in msg and "sha256" in msg and "1d63efb4ac5a" in msg


def test_corrupted_file_in_a_higher_source_is_not_skipped(tmp_path, monkeypatch):
    folder = common.copy_sample(tmp_path / "env")
    common.rewrite(folder / "t10k-labels-idx1-ubyte.gz",
                   lambda raw: raw.__setitem__(8, (raw[8] + 1) % 10))
    monkeypatch.setenv("CNNLIB_DATA_DIR", str(folder))
    with pytest.raises(data.DataError, match="t10k-labels-idx1-ubyte.gz: corrupted"):
        data.load_mnist()  # not the bundled sample in its place


def test_wrong_header(tmp_path):
    folder = common.copy_sample(tmp_path / "d")
    common.rewrite(folder / "t10k-images-idx3-ubyte.gz", lambda raw: raw.__setitem__(3, 1))
    with pytest.raises(data.DataError, match="magic number 2049 where x_test needs 2051"):
        data.load_mnist(data_dir=folder)
    common.rewrite(folder / "train-labels-idx1-ubyte.gz", lambda raw: raw.extend(b"\0"))
    with pytest.raises(data.DataError, match="longer than its header says"):
        data.load_mnist(data_dir=folder)


def test_not_gzip(tmp_path):
    folder = common.copy_sample(tmp_path / "d")
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(b"<html>captive portal</html>")
    with pytest.raises(data.DataError, match="not a readable gzip"):
        data.load_mnist(data_dir=folder)


def test_read_takes_a_table_of_files(tmp_path):
    mnist = data.catalogue.CATALOGUE["mnist"]
    folder = common.copy_sample(tmp_path / "d")
    files = {key: folder / name for key, name in data.catalogue.STANDARD.items()}
    arrays, sample = formats.read(files, mnist)
    assert sample and arrays["x_train"].shape == (5000, 28, 28)
    with pytest.raises(data.DataError, match="^shown: file not found"):
        formats.read({**files, "y_test": folder / "nothing.gz"}, mnist, {"y_test": "shown"})
