"""cnnlib.viz.style: class names in two languages, the one place Hangul is handled (with the
font cnnlib ships, on an empty font cache), and the figures' defaults."""

import warnings

import matplotlib.pyplot as plt
import pytest

from cnnlib import viz
from cnnlib.viz import style


def test_class_labels_join_names_in_index_order():
    from cnnlib.data import FASHION_CLASSES, FASHION_CLASSES_KO

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        labels = viz.class_labels(FASHION_CLASSES, FASHION_CLASSES_KO)
    assert not caught  # cnnlib ships a Hangul font: there is always one
    assert labels[8] == "Bag 가방"
    assert viz.hangul_font() in plt.rcParams["font.family"]
    assert viz.class_labels(["a", "b"], ["x", "y"], sep=" / ") == ["a / x", "b / y"]
    with pytest.raises(ValueError, match="class_labels: the name lists have different lengths"):
        viz.class_labels(["a", "b"], ["x"])


def test_needs_cjk_tells_hangul_from_latin():
    assert style.needs_cjk("가방") and style.needs_cjk("Bag 가방")
    assert not style.needs_cjk("Ankle boot") and not style.needs_cjk("T-shirt/top")


def test_the_font_is_handled_in_one_place_only():
    from pathlib import Path

    import cnnlib

    root = Path(cnnlib.__file__).parent
    users = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                   if "font_manager" in p.read_text(encoding="utf-8")
                   or "font.family" in p.read_text(encoding="utf-8"))
    assert users == ["viz/style.py"]


def test_cnnlib_ships_its_hangul_font_with_its_licence():
    font = style.BUNDLED_FONT
    assert font.is_file() and font.stat().st_size < 1_500_000
    licence = (font.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in licence and "Version 1.1" in licence


_RENDER_KOREAN = r"""
import warnings, json, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import font_manager
# No Hangul font known to matplotlib yet: a fresh cache, system fonts ignored.
font_manager.fontManager.ttflist = [f for f in font_manager.fontManager.ttflist
                                    if "DejaVu" in f.name]
font_manager.findSystemFonts = lambda *a, **k: []
from cnnlib import viz
from cnnlib.data import FASHION_CLASSES, FASHION_CLASSES_KO
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    labels = viz.class_labels(FASHION_CLASSES, FASHION_CLASSES_KO)
    fig, ax = plt.subplots()
    ax.set_title(labels[8]); ax.set_xlabel(labels[0])
    fig.canvas.draw()
print(json.dumps({"labels": labels, "font": viz.hangul_font(),
                  "warnings": [str(w.message) for w in caught]}))
"""


def test_korean_renders_with_an_empty_font_cache_and_no_system_font(tmp_path):
    # A fresh Colab: no matplotlib cache, no Hangul font installed; no restart either.
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path), "MPLBACKEND": "Agg"}
    out = subprocess.run([sys.executable, "-c", _RENDER_KOREAN], env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["labels"][8] == "Bag 가방"
    assert result["font"] == "NanumSquare"
    missing = [w for w in result["warnings"] if "missing from" in w or "Glyph" in w]
    assert not missing, missing
    assert not [w for w in result["warnings"] if "no font with Hangul" in w]
    assert list(tmp_path.iterdir()), "matplotlib did not use the empty MPLCONFIGDIR"


def test_book_style_sharp_white_narrow_and_readable():
    set_ = style.book_style(retina=False)
    assert plt.rcParams["savefig.dpi"] >= 2 * plt.rcParams["figure.dpi"] or (
        plt.rcParams["figure.dpi"] * 2 <= set_["savefig.dpi"])
    assert plt.rcParams["figure.facecolor"] == "white"
    assert plt.rcParams["figure.figsize"][0] <= style.MAX_WIDTH
    for key in ("xtick.labelsize", "ytick.labelsize", "legend.fontsize", "font.size"):
        assert float(plt.rcParams[key]) >= style.MIN_FONT_SIZE, key


def test_axes_grid_never_wider_than_the_text_column():
    fig, _ = style.axes_grid(16, 16, size=1.4)
    assert fig.get_size_inches()[0] <= style.MAX_WIDTH + 1e-9
    fig, _ = style.axes_grid(2, 2, size=1.4)
    assert fig.get_size_inches()[0] == pytest.approx(2.8)
    plt.close("all")


def test_fit_width_scales_a_wide_figure_to_the_text_column():
    from cnnlib.viz import style

    assert style.fit_width((6.0, 3.0)) == (6.0, 3.0)
    width, height = style.fit_width((10.0, 4.0))
    assert width == style.MAX_WIDTH and abs(height - 4.0 * style.MAX_WIDTH / 10.0) < 1e-12


def test_every_cnnlib_figure_fits_the_text_column():
    import matplotlib.pyplot as plt
    import numpy as np

    from cnnlib import viz

    fig = viz.plot_history({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7],
                            "accuracy": [0.5, 0.8], "val_accuracy": [0.4, 0.7]})
    fig = fig if hasattr(fig, "get_size_inches") else plt.gcf()
    assert fig.get_size_inches()[0] <= viz.style.MAX_WIDTH + 1e-9
    x = np.arange(25, dtype=np.float32).reshape(5, 5)
    k = np.ones((3, 3), np.float32)
    viz.show_sliding_window(x, k, np.zeros((3, 3), np.float32), [(0, 0), (1, 1)])
    assert plt.gcf().get_size_inches()[0] <= viz.style.MAX_WIDTH + 1e-9
