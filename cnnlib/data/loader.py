"""Loading: the search over the sources, the :class:`Dataset` it returns, and ``prepare``.

:func:`load` and :func:`describe_source` both walk :func:`cnnlib.data.sources.search`: the
first place present is what ``describe_source`` reports and what ``load`` reads first. A place
whose files are another data set's, or a download that cannot be made, is noted and the next
place is tried; any other bad file raises :class:`~cnnlib.data.errors.DataError` — it is never
skipped for a source further down the list.
"""

from __future__ import annotations

import logging

import numpy as np

from ..validate import ArgumentError, named
from .catalogue import CATALOGUE, Entry, entry
from .errors import NotFound, Unavailable, WrongDataset
from .sources import Place, search

__all__ = ["Dataset", "describe_source", "load", "load_fashion_mnist", "load_mnist", "prepare"]

log = logging.getLogger("cnnlib.data")


class Dataset(tuple):
    """``((x_train, y_train), (x_test, y_test))`` — unpacks exactly like keras's tuple.

    Attributes: ``name`` ('mnist' or 'fashion_mnist'), ``source`` (where the arrays came
    from, in words) and ``classes`` (the class names, index i names label i).
    """

    def __new__(cls, train, test, name: str = "", source: str = ""):
        self = super().__new__(cls, (tuple(train), tuple(test)))
        self.name = name
        self.source = source
        self.classes = CATALOGUE[name].classes if name in CATALOGUE else ()
        return self

    def __reduce__(self):
        return (Dataset, (self[0], self[1], self.name, self.source))

    def __repr__(self) -> str:
        (x_train, _), (x_test, _) = self
        return (f"Dataset({self.name!r}, train={x_train.shape}, test={x_test.shape}, "
                f"source={self.source!r})")


@named
def load_mnist(data_dir=None) -> Dataset:
    """MNIST digits: ``((x_train, y_train), (x_test, y_test))``, as keras loads them.

    x: (N, 28, 28) uint8, y: (N,) uint8 in 0..9; N is 60,000/10,000, or 5,000/10,000 from
    the bundled offline sample (``.source`` says which). data_dir: a folder holding the data.
    """
    return load("mnist", data_dir)


@named
def load_fashion_mnist(data_dir=None) -> Dataset:
    """Fashion-MNIST: ``((x_train, y_train), (x_test, y_test))``, 60,000/10,000 images.

    x: (N, 28, 28) uint8, y: (N,) uint8 in 0..9 (names in :data:`FASHION_CLASSES`).
    Offline it needs Debian's ``dataset-fashion-mnist`` (``make setup`` fetches it).
    """
    return load("fashion_mnist", data_dir)


def load(name, data_dir=None) -> Dataset:
    """Any catalogued data set by name (:data:`cnnlib.data.catalogue.CATALOGUE`).

    data_dir: a folder holding the data; then it is the only source.
    """
    found = search(name, data_dir)
    data, tried = found.data, []
    for place in found:
        try:
            arrays, sample = place.read(data)
        except (Unavailable, WrongDataset) as why:
            tried.append(str(why))
            continue
        return _finish(data, arrays, sample, place)
    if found.explicit:
        looked = ", ".join(sorted({*data.layouts[0].values(), *data.npz_names}))
        notes = "".join(f"; {t}" for t in tried)
        subs = ", ".join(f"{s}/" for s in data.subfolders if s)
        raise NotFound(f"data_dir {found.folder[0]} holds no {data.title}{notes}; "
                       f"looked for {looked}" + (f" (also in {subs})" if subs else ""))
    local = [p.missing for p in found.absent if not p.remote]
    remote = [p.missing for p in found.absent if p.remote]
    raise NotFound(f"no {data.title} found; nothing in {', '.join(local)}; "
                   + "; ".join(tried + remote) + f". {data.how_to_get}")


@named
def describe_source(name: str, data_dir=None) -> str:
    """Which source loading ``name`` would use, in words — without reading the files.

    Makes no network access. name: 'mnist' or 'fashion_mnist' (any catalogued name).
    """
    data = entry(name)
    try:
        found = search(data, data_dir)
    except NotFound as err:
        return f"unavailable: {err}"
    places = iter(found)
    first = next(places, None)
    if first is None:
        if found.explicit:
            return f"unavailable: data_dir {found.folder[0]} holds no {data.title}"
        return f"unavailable: {data.how_to_get}"
    if first.remote:  # a download may fail: say what comes next
        then = next(places, None)
        return first.intent + (f"; if that fails: {then.intent}" if then else "")
    return first.intent


def _finish(data: Entry, arrays: dict, sample: bool, place: Place) -> Dataset:
    source = place.source
    if sample and not place.sample_home:
        count = len(arrays["x_train"])
        source += f" (training set: the {count:,}-image {data.title} sample)"
    ds = Dataset((arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"]),
                 name=data.name, source=source)
    n_train, n_test = len(arrays["y_train"]), len(arrays["y_test"])
    log.info("loaded %s from %s: %d train / %d test", data.name, source, n_train, n_test)
    print(f"Loaded {data.title} from {place.where}: {n_train:,} train / {n_test:,} test")
    return ds


@named
def prepare(x) -> np.ndarray:
    """Pixels as a network wants them: (N, 28, 28) uint8 -> (N, 28, 28, 1) float32 in [0, 1].

    x: uint8 images (N, H, W) or (N, H, W, 1), as loaded.
    """
    x = np.asarray(x)
    if x.dtype != np.uint8:
        raise ArgumentError(
            f"x must be uint8 pixels 0..255 as loaded, got dtype {x.dtype}"
            " (already scaled? dividing by 255 twice leaves values near 0)"
        )
    if x.ndim == 3:
        x = x[..., np.newaxis]
    elif not (x.ndim == 4 and x.shape[-1] == 1):
        raise ArgumentError(f"x must have shape (N, H, W) or (N, H, W, 1), got {x.shape}")
    return x.astype(np.float32) / np.float32(255)
