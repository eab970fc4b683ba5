"""Tests for cnnlib.data.sources: where the data comes from, and that loading and
describe_source walk the same search."""

import data_common as common
import numpy as np
import pytest

from cnnlib import data
from cnnlib.data import catalogue, download, loader, sources

isolated = common.isolated
sample_arrays = common.sample_arrays


# --- Fashion-MNIST from Debian or the project's copy ---------------------------------------


def test_fashion_files_present_when_required():
    common.require_fashion()


def test_fashion_from_debian_or_project_copy(monkeypatch, capsys):
    if common.real_fashion_dir() is None:
        pytest.skip(common.FASHION_ABSENT)
    monkeypatch.setattr(sources, "DEBIAN_DIR", common.REAL_DEBIAN_DIR.parent)
    monkeypatch.setattr(sources, "REPO_DIR", common.REAL_REPO_DIR)
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


# --- data_dir and CNNLIB_DATA_DIR ----------------------------------------------------------


def test_data_dir_with_idx_files(tmp_path):
    folder = common.copy_sample(tmp_path / "mine")
    ds = data.load_mnist(data_dir=folder)
    assert ds[0][0].shape == (5000, 28, 28)
    assert "data_dir" in ds.source and "5,000-image" in ds.source


def test_env_data_dir_is_used_and_other_dataset_falls_through(tmp_path, monkeypatch):
    folder = common.copy_sample(tmp_path / "env", common.SAMPLE_NAMES)
    monkeypatch.setenv("CNNLIB_DATA_DIR", str(folder))
    assert data.load_mnist().source.startswith("CNNLIB_DATA_DIR")
    assert data.describe_source("mnist").startswith("CNNLIB_DATA_DIR")
    with pytest.raises(data.DataError, match="is MNIST's y_test, not Fashion-MNIST's"):
        data.load_fashion_mnist()  # the folder's files are MNIST's: on to the next sources


def test_an_explicit_data_dir_is_the_only_source(tmp_path, monkeypatch):
    (tmp_path / "empty").mkdir()
    found = sources.search("mnist", tmp_path / "empty")
    assert [type(s) for s in found.sources] == [sources.DataDir]
    assert data.describe_source("mnist", tmp_path / "empty").startswith(
        f"unavailable: data_dir {tmp_path / 'empty'} holds no MNIST")
    assert data.describe_source("mnist", tmp_path / "nowhere").startswith(
        f"unavailable: data_dir {tmp_path / 'nowhere'} is not a folder")
    monkeypatch.setenv("CNNLIB_DATA_DIR", str(tmp_path / "empty"))
    found = sources.search("mnist")
    assert [type(s) for s in found.sources] == [sources.DataDir, *map(type,
                                                sources.default_sources())]


def test_every_source_has_the_same_interface(tmp_path):
    every = [sources.DataDir(tmp_path, "data_dir"), *sources.default_sources()]
    for name, entry in catalogue.CATALOGUE.items():
        for source in every:
            for place in source.places(entry):
                assert isinstance(place, sources.Place), (name, source)
                assert isinstance(place.present(), bool)
                assert place.where and place.source and place.intent and place.missing


# --- the search: loading and describe_source agree -----------------------------------------


def _setups():
    """name -> a function(tmp_path, monkeypatch) that puts MNIST/Fashion-MNIST somewhere."""

    def bundled(tmp_path, monkeypatch):
        return "mnist", None

    def env_dir(tmp_path, monkeypatch):
        monkeypatch.setenv("CNNLIB_DATA_DIR", str(common.copy_sample(tmp_path / "env")))
        return "mnist", None

    def keras_npz(tmp_path, monkeypatch):
        (tmp_path / "keras" / "datasets").mkdir()
        sample = tuple(data.load_mnist())
        common.save_npz(tmp_path / "keras" / "datasets" / "mnist.npz", sample)
        return "mnist", None

    def data_dir_npz(tmp_path, monkeypatch):
        common.save_npz(tmp_path / "mnist.npz", tuple(data.load_mnist()))
        return "mnist", tmp_path

    def download_fails(tmp_path, monkeypatch):
        monkeypatch.delenv("CNNLIB_OFFLINE")
        monkeypatch.setattr(download, "ORIGIN", f"http://127.0.0.1:{common.closed_port()}/")
        return "mnist", None

    def project_copy(tmp_path, monkeypatch):
        if common.real_fashion_dir() is None:
            pytest.skip(common.FASHION_ABSENT)
        monkeypatch.setattr(sources, "REPO_DIR", common.REAL_REPO_DIR)
        return "fashion_mnist", None

    return [bundled, env_dir, keras_npz, data_dir_npz, download_fails, project_copy]


@pytest.mark.parametrize("setup", _setups(), ids=lambda f: f.__name__)
def test_describe_source_is_what_loading_uses(setup, tmp_path, monkeypatch):
    name, data_dir = setup(tmp_path, monkeypatch)
    searches = []

    def spy(*args, **kwargs):
        searches.append(sources.search(*args, **kwargs))
        return searches[-1]

    monkeypatch.setattr(loader, "search", spy)
    said = data.describe_source(name, data_dir)
    ds = loader.load(name, data_dir)
    assert len(searches) == 2  # one search each, over the same sources
    assert [type(s) for s in searches[0].sources] == [type(s) for s in searches[1].sources]
    if said.startswith("download from keras's origin"):  # it failed: then the next one
        said = said.split("; if that fails: ")[1]
    assert ds.source.startswith(said)  # loading may add "(training set: the 5,000-image …)"


def test_describe_source_needs_no_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("describe_source must not touch the network")

    monkeypatch.setattr(download.urllib.request, "urlopen", no_network)
    assert "bundled" in data.describe_source("mnist")
    assert data.describe_source("fashion_mnist").startswith("unavailable:")
    monkeypatch.delenv("CNNLIB_OFFLINE")
    text = data.describe_source("mnist")
    assert text.startswith("download from keras's origin (online)") and "bundled" in text
