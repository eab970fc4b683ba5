"""MNIST and Fashion-MNIST, checksummed and offline first.

:func:`load_mnist` and :func:`load_fashion_mnist` return what
``keras.datasets.<name>.load_data()`` returns, ``((x_train, y_train), (x_test, y_test))``:

* ``x_*``: ``(N, 28, 28)`` uint8 pixels 0..255 (0 is the background);
* ``y_*``: ``(N,)`` uint8 class indices 0..9.

The pair is a :class:`Dataset`, a tuple that also says where the data came from
(``.source``), and each load prints one short line such as
``Loaded MNIST from the offline sample bundled with cnnlib: 5,000 train / 10,000 test``.
:func:`describe_source` says which source a load would use, from the same search.

Where the data comes from — the first source present wins:

1. ``data_dir=`` (else env ``CNNLIB_DATA_DIR``): a folder with the four IDX ``.gz``
   files under their standard names (``train-images-idx3-ubyte.gz``, …; for
   Fashion-MNIST also in a subfolder ``fashion-mnist/``), or a keras-style ``.npz``
   (``mnist.npz``; ``fashion-mnist.npz``). A ``data_dir`` argument that holds neither
   is an error.
2. Fashion-MNIST only: Debian's ``/usr/share/datasets/fashion-mnist`` (package
   ``dataset-fashion-mnist``), then the copy ``scripts/get_fashion_mnist.sh`` unpacks
   into ``<repo>/.data/fashion-mnist`` or ``~/.cache/cnnlib/fashion-mnist``.
3. The keras cache (``$KERAS_HOME`` or ``~/.keras``) ``/datasets/``: ``mnist.npz``,
   ``fashion-mnist/*.gz`` — where ``keras.datasets`` keeps its downloads.
4. A download from keras's origin into that cache (not when ``CNNLIB_OFFLINE=1``;
   timeout ``CNNLIB_DOWNLOAD_TIMEOUT`` seconds, default 30).
5. MNIST only: the real offline sample bundled in ``cnnlib/datasets/`` — 5,000 of
   the 60,000 training images (500 per digit, shuffled) and all 10,000 test images.

Every file is checked before use: its IDX header, and its sha256 against the official
data. A missing, truncated or altered file raises :class:`DataError` naming the file; it is
never skipped for a source further down the list.

The package, one part per module:

* :mod:`~cnnlib.data.catalogue` — one entry per data set: files, sha256, sizes, class names;
* :mod:`~cnnlib.data.sources`   — the sources above, one interface, and the search over them;
* :mod:`~cnnlib.data.formats`   — reading and checking IDX ``.gz`` files and ``.npz``;
* :mod:`~cnnlib.data.download`  — the download: verified, then cached;
* :mod:`~cnnlib.data.loader`    — ``load``, ``describe_source``, :class:`Dataset`, ``prepare``;
* :mod:`~cnnlib.data.errors`    — :class:`DataError` and the loader's internal signals.

Everything specific to a data set is in its catalogue entry: a new data set is a new entry.
"""

from __future__ import annotations

from .catalogue import FASHION_CLASSES, FASHION_CLASSES_KO, MNIST_CLASSES
from .errors import DataError
from .loader import Dataset, describe_source, load_fashion_mnist, load_mnist, prepare
from .sources import keras_cache_dir

__all__ = [
    "FASHION_CLASSES",
    "FASHION_CLASSES_KO",
    "MNIST_CLASSES",
    "DataError",
    "Dataset",
    "describe_source",
    "keras_cache_dir",
    "load_fashion_mnist",
    "load_mnist",
    "prepare",
]
