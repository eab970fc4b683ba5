"""Tests for cnnlib.data.catalogue: the tables agree with the files, and a new data set is
a catalogue entry only."""

import gzip
import hashlib

import data_common as common
import numpy as np
import pytest

import cnnlib
from cnnlib import data
from cnnlib.data import catalogue, errors, loader, sources

isolated = common.isolated


def test_class_names():
    assert data.MNIST_CLASSES == tuple("0123456789")
    assert len(data.FASHION_CLASSES) == len(data.FASHION_CLASSES_KO) == 10
    assert data.FASHION_CLASSES[9] == "Ankle boot" and data.FASHION_CLASSES_KO[9] == "앵클 부츠"
    assert catalogue.CATALOGUE["fashion_mnist"].classes_ko == data.FASHION_CLASSES_KO


@pytest.mark.parametrize("name", list(catalogue.CATALOGUE))
def test_every_entry_is_complete(name):
    entry = catalogue.CATALOGUE[name]
    assert entry.name == name and entry.title and entry.how_to_get
    for key in catalogue.KEYS:
        assert entry.files_for(key, sample=False), f"{name}: no full {key}"
    for known in entry.known:
        assert len(known.raw_sha256) == 64 and len(known.gz_sha256) in (0, 64)
    for layout in entry.layouts:
        assert sorted(layout) == sorted(catalogue.KEYS)
    assert not entry.classes_ko or len(entry.classes_ko) == len(entry.classes)


def test_bundled_files_are_the_catalogued_sample():
    readme = (sources.BUNDLED_DIR / "README.md").read_text()
    mnist = catalogue.CATALOGUE["mnist"]
    for key, fname in mnist.bundled.items():
        blob = (sources.BUNDLED_DIR / fname).read_bytes()
        raw, gz = hashlib.sha256(gzip.decompress(blob)).hexdigest(), hashlib.sha256(blob).hexdigest()
        known = catalogue.identify(mnist, key, raw, gz, fname, "decompressed bytes")
        assert (known.raw_sha256, known.gz_sha256) == (raw, gz)
        assert known.sample == key.endswith("train")
        assert raw in readme and gz in readme


def test_a_file_of_another_data_set_is_named_as_such():
    mnist, fashion = catalogue.CATALOGUE["mnist"], catalogue.CATALOGUE["fashion_mnist"]
    sha = mnist.files_for("y_test")[0].raw_sha256
    with pytest.raises(errors.WrongDataset, match="f is MNIST's y_test, not Fashion-MNIST's"):
        catalogue.identify(fashion, "y_test", sha, "", "f", "decompressed bytes")
    with pytest.raises(data.DataError, match="f: corrupted or not the official MNIST y_test"):
        catalogue.identify(mnist, "y_test", "0" * 64, "", "f", "decompressed bytes")


def test_a_new_data_set_is_a_catalogue_entry_only(tmp_path, monkeypatch, capsys):
    entry, arrays = common.tiny_dataset(tmp_path / "mine")
    monkeypatch.setitem(catalogue.CATALOGUE, "tiny", entry)

    # a data folder
    assert data.describe_source("tiny", data_dir=tmp_path / "mine") == \
        f"data_dir {tmp_path / 'mine'}"
    ds = loader.load("tiny", data_dir=tmp_path / "mine")
    assert ds.name == "tiny" and ds.classes == ("dot", "line", "ring")
    assert ds.source == f"data_dir {tmp_path / 'mine'}"
    for got, key in zip((*ds[0], *ds[1]), catalogue.KEYS):
        assert np.array_equal(got, arrays[key])
    assert capsys.readouterr().out == f"Loaded Tiny from {tmp_path / 'mine'}: 30 train / 12 test\n"

    # nowhere: the entry's own advice
    with pytest.raises(data.DataError, match="no Tiny found.*To get Tiny: draw it"):
        loader.load("tiny")
    assert data.describe_source("tiny") == "unavailable: To get Tiny: draw it"

    # its Debian package, then its keras cache npz: both named by the entry alone
    debian = tmp_path / "debian"
    monkeypatch.setattr(sources, "DEBIAN_DIR", debian)
    common.tiny_dataset(debian / "tiny")
    assert data.describe_source("tiny") == f"Debian package dataset-tiny at {debian / 'tiny'}"
    assert loader.load("tiny").source == data.describe_source("tiny")
    monkeypatch.setattr(sources, "DEBIAN_DIR", tmp_path / "no-debian")
    cache = tmp_path / "keras" / "datasets"
    cache.mkdir()
    np.savez(cache / "tiny.npz", **arrays)
    assert data.describe_source("tiny") == f"keras cache {cache / 'tiny.npz'}"
    assert loader.load("tiny").source == data.describe_source("tiny")
    capsys.readouterr()
    cnnlib.about("tiny")
    assert f"tiny: keras cache {cache / 'tiny.npz'}" in capsys.readouterr().out


def test_a_new_entry_checks_its_files_like_the_others(tmp_path, monkeypatch):
    entry, _ = common.tiny_dataset(tmp_path / "mine")
    monkeypatch.setitem(catalogue.CATALOGUE, "tiny", entry)
    common.rewrite(tmp_path / "mine" / "t10k-images-idx3-ubyte.gz",
                   lambda raw: raw.__setitem__(20, raw[20] ^ 0xFF))
    with pytest.raises(data.DataError, match="corrupted or not the official Tiny x_test"):
        loader.load("tiny", data_dir=tmp_path / "mine")
    with pytest.raises(data.DataError, match="decompresses to more than 1,936 bytes"):
        loader.load("tiny", data_dir=common.copy_sample(tmp_path / "digits"))
    (tmp_path / "mine" / "train-images-idx3-ubyte.gz").write_bytes(
        gzip.compress(common.idx_bytes(np.zeros((2, 28, 28), np.uint8))))
    with pytest.raises(data.DataError, match="images of 28x28 pixels; expected 8x8"):
        loader.load("tiny", data_dir=tmp_path / "mine")
