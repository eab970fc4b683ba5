"""Tests for cnnlib.data's public API and its loader: the bundled MNIST sample, Dataset,
prepare, names, and what a load says when it finds nothing.

The checks of files are in test_data_formats.py, the sources and the search in
test_data_sources.py, downloads in test_data_download.py, the catalogue in
test_data_catalogue.py; tests/data_common.py holds what they share.
"""

import pickle

import data_common as common
import numpy as np
import pytest

import cnnlib
from cnnlib import data
from cnnlib.data import loader

isolated = common.isolated
sample_arrays = common.sample_arrays


def test_public_api_is_what_it_was():
    assert sorted(data.__all__) == sorted([
        "FASHION_CLASSES", "FASHION_CLASSES_KO", "MNIST_CLASSES", "DataError", "Dataset",
        "describe_source", "keras_cache_dir", "load_fashion_mnist", "load_mnist", "prepare"])
    assert all(hasattr(data, name) for name in data.__all__)


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
    with pytest.raises(ValueError, match="^prepare: x must be uint8"):
        data.prepare(x)
    with pytest.raises(ValueError, match=r"^prepare: x must have shape \(N, H, W\)"):
        data.prepare(np.zeros((28, 28), np.uint8))


# --- when nothing is found -----------------------------------------------------------------


def test_fashion_absent_offline_says_how_to_get_it():
    with pytest.raises(data.DataError) as err:
        data.load_fashion_mnist()
    msg = str(err.value)
    assert msg.startswith("load_fashion_mnist: no Fashion-MNIST found")
    assert "no-debian" in msg and "CNNLIB_OFFLINE" in msg
    assert "make setup" in msg and "apt-get install dataset-fashion-mnist" in msg


def test_explicit_data_dir_without_data_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(data.DataError, match="^load_mnist: data_dir .* holds no MNIST"):
        data.load_mnist(data_dir=tmp_path / "empty")
    with pytest.raises(data.DataError, match="^load_mnist: data_dir .* is not a folder"):
        data.load_mnist(data_dir=tmp_path / "nowhere")
    common.copy_sample(tmp_path / "digits")
    with pytest.raises(data.DataError, match="holds no Fashion-MNIST.*MNIST's x_train") as err:
        data.load_fashion_mnist(data_dir=tmp_path / "digits")
    assert "(also in fashion-mnist/)" in str(err.value)


# --- names ---------------------------------------------------------------------------------


def test_unknown_dataset_name():
    with pytest.raises(ValueError, match="'mnist', 'fashion_mnist'"):
        data.describe_source("cifar10")
    with pytest.raises(ValueError, match="^describe_source: unknown data set name 'cifar10'"):
        data.describe_source("cifar10")
    with pytest.raises(ValueError, match="valid names"):
        cnnlib.about("fashion-mnist")
    with pytest.raises(ValueError, match="valid names"):
        loader.load("fashion-mnist")


def test_about_reports_the_source(capsys):
    cnnlib.about("mnist")
    text = capsys.readouterr().out
    assert "mnist: offline MNIST sample bundled with cnnlib" in text
    assert isinstance(data.DataError("x"), ValueError)
