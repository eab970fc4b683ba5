"""cnnlib.viz.style: class names in two languages, and the one place Hangul is handled."""

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
    if caught:  # no Hangul font on this machine: the English names alone
        assert "no font with Hangul" in str(caught[0].message)
        assert caught[0].filename == __file__  # the warning points at the caller
        assert labels[8] == "Bag"
    else:
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
