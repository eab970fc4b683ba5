"""How a trained classifier does, and where it goes wrong.

* :func:`confusion_matrix` counts, for every true class, which classes were predicted;
* :func:`accuracy` and :func:`per_class_accuracy` read accuracy off that matrix;
* :func:`most_confused` lists the largest off-diagonal cells: the mistakes the model
  makes most often;
* :func:`plot_confusion_matrix` and :func:`show_confused_examples` draw them;
* :func:`class_labels` joins class names in two languages (English and Korean, say)
  for the figures, and makes sure matplotlib has a font for both.

Labels are class indices ``0..K-1`` (index 0 is the first class — never "class 1").
The matrix follows ``tf.math.confusion_matrix``: ``cm[i, j]`` counts the examples whose
true class is ``i`` and whose predicted class is ``j``; rows are true classes.
"""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np

__all__ = [
    "confusion_matrix",
    "accuracy",
    "per_class_accuracy",
    "most_confused",
    "plot_confusion_matrix",
    "show_confused_examples",
    "class_labels",
    "hangul_font",
]


def _num_classes(classes, func: str) -> int:
    if isinstance(classes, (int, np.integer)) and not isinstance(classes, bool):
        k = int(classes)
    elif isinstance(classes, (list, tuple, np.ndarray)):
        k = len(classes)
    else:
        raise ValueError(
            f"{func}: classes must be the number of classes or a list of class names, "
            f"got {type(classes).__name__}"
        )
    if k < 1:
        raise ValueError(f"{func}: there must be at least one class, got {k}")
    return k


def _labels(values, name: str, k: int, func: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim == 2 and arr.shape[1] == k and k > 1:
        raise ValueError(
            f"{func}: {name} has shape {arr.shape}: probabilities or one-hot rows? "
            f"pass class indices, e.g. {name}.argmax(axis=1)"
        )
    if arr.ndim != 1:
        raise ValueError(f"{func}: {name} must be a 1-D array of class indices, got shape {arr.shape}")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        if not np.issubdtype(arr.dtype, np.floating) or not np.all(arr == np.round(arr)):
            raise ValueError(f"{func}: {name} must hold whole class indices, got dtype {arr.dtype}")
    arr = arr.astype(np.int64)
    if arr.size and (arr.min() < 0 or arr.max() >= k):
        bad = int(arr[(arr < 0) | (arr >= k)][0])
        hint = " (labels counted from 1? subtract 1)" if bad == k and arr.min() >= 1 else ""
        raise ValueError(f"{func}: {name} holds {bad}, outside 0..{k - 1}{hint}")
    return arr


def confusion_matrix(y_true, y_pred, classes) -> np.ndarray:
    """Count (true class, predicted class) pairs.

    y_true, y_pred: (N,) class indices in ``0..K-1``; classes: K, or the K class names.
    Returns (K, K) int64, ``cm[i, j]`` = how many examples of class i were predicted
    as j. The diagonal holds the correct predictions; ``cm.sum() == N``.
    """
    k = _num_classes(classes, "confusion_matrix")
    t = _labels(y_true, "y_true", k, "confusion_matrix")
    p = _labels(y_pred, "y_pred", k, "confusion_matrix")
    if len(t) != len(p):
        raise ValueError(
            f"confusion_matrix: y_true has {len(t)} labels but y_pred has {len(p)}; "
            "predict on exactly the examples you take the labels of"
        )
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (t, p), 1)
    return cm


def _check_cm(cm, func: str) -> np.ndarray:
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"{func}: cm must be a square (K, K) matrix, got shape {cm.shape}")
    if (cm < 0).any():
        raise ValueError(f"{func}: cm holds negative counts")
    return cm


def accuracy(cm) -> float:
    """Fraction of correct predictions: the diagonal's sum over the total. cm: (K, K)."""
    cm = _check_cm(cm, "accuracy")
    total = cm.sum()
    if total == 0:
        raise ValueError("accuracy: cm is all zeros; there is nothing to score")
    return float(np.trace(cm) / total)


def per_class_accuracy(cm) -> np.ndarray:
    """(K,) for each true class, the fraction predicted right (its recall); NaN if unseen."""
    cm = _check_cm(cm, "per_class_accuracy")
    rows = cm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(rows > 0, np.diag(cm) / np.maximum(rows, 1), np.nan)


def most_confused(cm, k: int = 5) -> list[tuple[int, int, int]]:
    """The ``k`` most frequent mistakes as ``(true, predicted, count)``, largest first.

    cm: (K, K) from :func:`confusion_matrix`. Only off-diagonal cells with a count
    above zero are listed; ties keep row-major order.
    """
    cm = _check_cm(cm, "most_confused")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"most_confused: k must be a whole number >= 1, got {k!r}")
    off = cm.copy()
    np.fill_diagonal(off, 0)
    order = np.argsort(-off, axis=None, kind="stable")[: int(k)]
    pairs = [tuple(int(v) for v in np.unravel_index(i, off.shape)) for i in order]
    return [(t, p, int(off[t, p])) for t, p in pairs if off[t, p] > 0]


def plot_confusion_matrix(cm, class_names, title: str | None = None, normalize: bool = False):
    """The confusion matrix as a heat map, counts written in the cells.

    cm: (K, K); class_names: K names in index order. normalize: show each row as
    fractions of its true class instead of counts.
    """
    cm = _check_cm(cm, "plot_confusion_matrix")
    k = cm.shape[0]
    if len(class_names) != k:
        raise ValueError(f"plot_confusion_matrix: {len(class_names)} class names for a {k}×{k} cm")
    values = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1) if normalize else cm
    fig, ax = plt.subplots(figsize=(1.0 + 0.62 * k, 0.8 + 0.55 * k))
    # A log-like colour scale so that the mistakes show beside the large diagonal.
    shown = np.log1p(values * (100 if normalize else 1))
    ax.imshow(shown, cmap="Blues")
    high = shown.max() / 2 if shown.max() > 0 else 1
    for i in range(k):
        for j in range(k):
            text = f"{values[i, j]:.2f}" if normalize else f"{int(values[i, j])}"
            ax.text(j, i, text, ha="center", va="center", fontsize=7,
                    color="white" if shown[i, j] > high else "black")
    ticks = [f"{i}: {n}" for i, n in enumerate(class_names)]
    ax.set_xticks(range(k), ticks, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(k), ticks, fontsize=8)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title or ("confusion matrix (row fractions)" if normalize else "confusion matrix"))
    fig.tight_layout()
    return fig


def show_confused_examples(images, y_true, y_pred, pairs, class_names, per_pair: int = 6,
                           size: float = 1.3, cmap: str = "gray_r"):
    """For each ``(true, predicted)`` pair, a row of images the model got wrong that way.

    images: (N, H, W) or (N, H, W, 1); y_true, y_pred: (N,) class indices;
    pairs: ``[(true, predicted), ...]`` or :func:`most_confused`'s triples.
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 3:
        raise ValueError(
            f"show_confused_examples: images must be (N, H, W) or (N, H, W, 1), got {images.shape}"
        )
    k = len(class_names)
    t = _labels(y_true, "y_true", k, "show_confused_examples")
    p = _labels(y_pred, "y_pred", k, "show_confused_examples")
    if not len(images) == len(t) == len(p):
        raise ValueError(f"show_confused_examples: {len(images)} images, {len(t)} labels "
                         f"and {len(p)} predictions; they must match")
    pairs = [tuple(pair[:2]) for pair in pairs]
    if not pairs:
        raise ValueError("show_confused_examples: pairs is empty; nothing to show")
    fig, axes = plt.subplots(len(pairs), per_pair, figsize=(size * per_pair, size * len(pairs) + 0.3),
                             squeeze=False)
    for row, (a, b) in zip(axes, pairs):
        found = np.flatnonzero((t == a) & (p == b))[:per_pair]
        for ax in row:
            ax.axis("off")
        for ax, i in zip(row, found):
            ax.imshow(images[i], cmap=cmap)
        row[0].set_title(f"true {class_names[a]} → predicted {class_names[b]} "
                         f"({len(np.flatnonzero((t == a) & (p == b)))} such)",
                         fontsize=9, loc="left")
    fig.tight_layout()
    return fig


# --- class names in two languages ----------------------------------------------------------

_HANGUL_FONTS = ("NanumGothic", "NanumBarunGothic", "Noto Sans CJK KR", "Noto Sans KR",
                 "Noto Sans CJK JP", "UnDotum", "Baekmuk Gulim", "Malgun Gothic",
                 "AppleGothic", "Apple SD Gothic Neo")
_HANGUL_FILES = ("nanumgothic", "nanumbarungothic", "notosanscjk", "notosanskr", "undotum",
                 "gulim", "malgun", "applegothic", "applesdgothicneo")


def _needs_cjk(text: str) -> bool:
    """Hangul jamo and syllables, kana and CJK ideographs: what DejaVu Sans cannot draw."""
    return any(0x1100 <= ord(ch) <= 0x11FF or 0x3040 <= ord(ch) <= 0x9FFF
               or 0xAC00 <= ord(ch) <= 0xD7AF for ch in text)


def hangul_font() -> str | None:
    """The name of an installed font with Hangul, made known to matplotlib; None if none.

    Looks at matplotlib's font list, then at the system's font files (a font installed
    after matplotlib built its cache is found too).
    """
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    for name in _HANGUL_FONTS:
        if name in known:
            return name
    def stem(path):
        return path.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("-", "").replace("_", "").lower()

    paths = font_manager.findSystemFonts()
    for prefix in _HANGUL_FILES:
        found = sorted((p for p in paths if stem(p).startswith(prefix)), key=lambda p: len(stem(p)))
        for path in found:  # register the family's weights; name it by the plainest file
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # pragma: no cover - a broken file
                continue
        if found:
            return font_manager.FontProperties(fname=found[0]).get_name()
    return None


def class_labels(*name_lists, sep: str = " ") -> list[str]:
    """Join parallel lists of class names: ``class_labels(EN, KO)[8] == 'Bag 가방'``.

    When a list holds Hangul (or other CJK) text, a font that can draw it is added to
    matplotlib's fallback fonts. Without one (on a fresh Colab, say), a warning names
    what to install and the labels keep only the lists that can be drawn.
    """
    if not name_lists:
        raise ValueError("class_labels: give at least one list of class names")
    k = len(name_lists[0])
    if any(len(names) != k for names in name_lists):
        raise ValueError("class_labels: the name lists have different lengths "
                         f"{[len(n) for n in name_lists]}; give one name per class in each")
    keep = list(name_lists)
    if any(_needs_cjk(str(n)) for names in name_lists for n in names):
        font = hangul_font()
        if font is None:
            warnings.warn("class_labels: no font with Hangul is installed (e.g. apt-get install "
                          "fonts-nanum), so the figures show the names without Korean",
                          stacklevel=2)
            keep = [names for names in name_lists if not any(_needs_cjk(str(n)) for n in names)]
            keep = keep or [[str(i) for i in range(k)]]
        else:
            # matplotlib falls back, glyph by glyph, along the font.family list.
            if font not in plt.rcParams["font.family"]:
                plt.rcParams["font.family"] = [*plt.rcParams["font.family"], font]
    return [sep.join(str(names[i]) for names in keep) for i in range(k)]
