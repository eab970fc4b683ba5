"""cnnlib.train.fit: a Keras-shaped history, compact progress, reproducible shuffling."""

import numpy as np
import pytest

from cnnlib.models import SimpleConvNet
from cnnlib.optim import SGD, Adam
from cnnlib.train import fit


@pytest.fixture(scope="module")
def small():
    """Two easy classes of 8×8 images: a bright top half or a bright bottom half."""
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 60)
    x = rng.random((60, 8, 8, 1), dtype=np.float32) * 0.3
    x[y == 0, :4] += 0.7
    x[y == 1, 4:] += 0.7
    return x, y


def net():
    return SimpleConvNet(input_shape=(8, 8, 1), filters=3, kernel_size=3, hidden=8, classes=2,
                         seed=0)


def test_history_like_keras(small):
    x, y = small
    history = fit(net(), x[:40], y[:40], epochs=3, batch_size=16, optimizer=Adam(0.01),
                  validation_data=(x[40:], y[40:]), seed=0, verbose=0)
    assert list(history) == ["loss", "accuracy", "val_loss", "val_accuracy"]
    assert all(len(v) == 3 and all(isinstance(e, float) for e in v) for v in history.values())
    assert history["loss"][-1] < history["loss"][0]
    assert history["val_accuracy"][-1] >= 0.9
    assert list(fit(net(), x, y, epochs=1, verbose=0)) == ["loss", "accuracy"]


def test_seed_makes_runs_repeat(small):
    x, y = small
    runs = [fit(net(), x, y, epochs=2, batch_size=8, optimizer=SGD(0.05), seed=3, verbose=0)
            for _ in range(2)]
    assert runs[0] == runs[1]


def test_verbose_2_prints_one_line_per_epoch(small, capsys):
    x, y = small
    fit(net(), x, y, epochs=3, batch_size=16, validation_data=(x, y), verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("Epoch 1/3 - ") and "val_accuracy: " in lines[0]
    assert "\r" not in "".join(lines)


def test_verbose_1_redraws_in_place_and_verbose_0_is_silent(small, capsys):
    x, y = small
    fit(net(), x, y, epochs=2, batch_size=16, verbose=1)
    out = capsys.readouterr().out
    assert out.count("\n") == 2 and "\r" in out and "[" in out
    fit(net(), x, y, epochs=2, verbose=0)
    assert capsys.readouterr().out == ""
    fit(net(), x, y, epochs=1)  # 'auto': captured output is not a terminal -> one line
    assert capsys.readouterr().out.count("\n") == 1


def test_labels_that_do_not_match(small):
    x, y = small
    with pytest.raises(ValueError, match=r"y must have shape \(60,\).*\(60, 8, 8, 1\).*\(59,\)"):
        fit(net(), x, y[:59], verbose=0)
