"""The catalogue: one table per data set — its files, their sha256 and sizes, its class names.

Everything the loader knows about a data set comes from its :class:`Entry` in
:data:`CATALOGUE`; the sources, formats and download hold no data set's name. Adding a data
set is adding an entry (``CATALOGUE["name"] = Entry(...)``): ``load("name")`` and
``describe_source("name")`` then work for it.

Each :class:`KnownFile` is one official file: the array it holds (``x_train``, ``y_train``,
``x_test``, ``y_test``), how many items, and its sha256 — of the decompressed IDX bytes (Debian
recompressed its copies), and of the canonical ``.gz`` file where there is one.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..validate import ArgumentError
from .errors import DataError, WrongDataset

__all__ = ["CATALOGUE", "FASHION_CLASSES", "FASHION_CLASSES_KO", "MNIST_CLASSES", "Debian",
           "Entry", "KnownFile", "STANDARD", "SAMPLE", "entry", "identify"]

KEYS = ("x_train", "y_train", "x_test", "y_test")

MNIST_CLASSES = tuple(str(d) for d in range(10))
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
FASHION_CLASSES_KO = ("티셔츠", "바지", "스웨터", "드레스", "코트",
                      "샌달", "셔츠", "스니커즈", "가방", "앵클 부츠")

# File names (array key -> file name): the official distribution's, and the bundled sample's.
STANDARD = {
    "x_train": "train-images-idx3-ubyte.gz",
    "y_train": "train-labels-idx1-ubyte.gz",
    "x_test": "t10k-images-idx3-ubyte.gz",
    "y_test": "t10k-labels-idx1-ubyte.gz",
}
SAMPLE = {**STANDARD, "x_train": "train-5k-images-idx3-ubyte.gz",
          "y_train": "train-5k-labels-idx1-ubyte.gz"}


@dataclass(frozen=True)
class KnownFile:
    """One official file: which array it is, its size, and its sha256 sums."""

    key: str             # 'x_train', 'y_train', 'x_test' or 'y_test'
    count: int           # images or labels in it
    raw_sha256: str      # of the decompressed IDX bytes
    gz_sha256: str = ""  # of the canonical .gz file, where there is one
    sample: bool = False  # part of a smaller training set (the bundled sample)


@dataclass(frozen=True)
class Debian:
    """A Debian package that installs the data set under ``/usr/share/datasets/<folder>``."""

    package: str         # 'dataset-fashion-mnist'
    folder: str          # 'fashion-mnist'
    script: str = ""     # the repository's script that unpacks it without root


@dataclass(frozen=True, eq=False)
class Entry:
    """A data set: what it is called, its files, and where each source finds it.

    ``layouts`` are the file-name tables a folder may use, preferred first; ``npz_names`` the
    keras-style ``.npz`` names accepted in a data folder; ``subfolders`` the folders below a
    data folder that may hold it (``""`` is the folder itself); ``keras`` its path in the keras
    cache — an ``.npz`` file, or a folder of IDX files named as in ``layouts[0]`` — and at
    keras's origin; ``bundled`` the layout of a copy bundled in ``cnnlib/datasets/``.
    """

    name: str                        # 'mnist', as load(name) and describe_source(name) take it
    title: str                       # 'MNIST', as people write it
    classes: tuple[str, ...]         # index i names label i
    known: tuple[KnownFile, ...]
    how_to_get: str                  # the end of every "not found" message
    classes_ko: tuple[str, ...] = ()
    image_shape: tuple[int, int] = (28, 28)
    layouts: tuple[dict, ...] = (STANDARD,)
    npz_names: tuple[str, ...] = ()
    npz_sha256: str = ""             # keras's own .npz of it, sha256 of the whole file
    subfolders: tuple[str, ...] = ("",)
    keras: str = ""
    debian: Debian | None = None
    bundled: dict | None = None

    def files_for(self, key: str, sample: bool | None = None) -> list[KnownFile]:
        """The known files of array ``key`` (only the sample's, or only full ones, if asked)."""
        return [f for f in self.known if f.key == key and sample in (None, f.sample)]

    @property
    def max_idx_bytes(self) -> int:
        """The largest IDX file accepted, decompressed: the most images, plus the header."""
        height, width = self.image_shape
        return max(f.count for f in self.known) * height * width + 16


MNIST = Entry(
    name="mnist", title="MNIST", classes=MNIST_CLASSES,
    known=(
        KnownFile("x_train", 60_000,
                  "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                  "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
        KnownFile("y_train", 60_000,
                  "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                  "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
        KnownFile("x_test", 10_000,
                  "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                  "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
        KnownFile("y_test", 10_000,
                  "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
                  "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
        KnownFile("x_train", 5_000,
                  "1d63efb4ac5ab122c73fed605a3f2897fe3ede87e9b4e9fe369abbdd36dad1e7",
                  "7dd1fc8d250ceb79c460321c7dcfd5cdf4de81552d7a17a36ca3810a00865082", sample=True),
        KnownFile("y_train", 5_000,
                  "d212e5beab3667d7fe028273e33cf4cd1e584108be3fdcc5dde1f59e74a2a558",
                  "070bee7a874a690e0d87d865f2d1988c9478633a6a0a0351a0f2e701eadf444e", sample=True),
    ),
    how_to_get=("To get MNIST: go online and unset CNNLIB_OFFLINE so cnnlib downloads it from "
                "keras's origin, or reinstall cnnlib (it bundles an offline sample)"),
    layouts=(STANDARD, SAMPLE),
    npz_names=("mnist.npz",),
    npz_sha256="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    keras="mnist.npz",
    bundled=SAMPLE,
)

FASHION_MNIST = Entry(
    name="fashion_mnist", title="Fashion-MNIST", classes=FASHION_CLASSES,
    classes_ko=FASHION_CLASSES_KO,
    known=(
        KnownFile("x_train", 60_000,
                  "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
        KnownFile("y_train", 60_000,
                  "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
        KnownFile("x_test", 10_000,
                  "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
        KnownFile("y_test", 10_000,
                  "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
    ),
    how_to_get=("To get Fashion-MNIST: run `make setup` (or scripts/get_fashion_mnist.sh), "
                "or `apt-get install dataset-fashion-mnist`, or go online and unset "
                "CNNLIB_OFFLINE so cnnlib downloads it from keras's origin"),
    npz_names=("fashion-mnist.npz", "fashion_mnist.npz"),
    subfolders=("fashion-mnist", ""),
    keras="fashion-mnist",
    debian=Debian("dataset-fashion-mnist", "fashion-mnist", "get_fashion_mnist.sh"),
)

CATALOGUE: dict[str, Entry] = {e.name: e for e in (MNIST, FASHION_MNIST)}


def entry(name) -> Entry:
    """The catalogue's entry for ``name``; an ArgumentError listing the valid names otherwise."""
    if isinstance(name, Entry):
        return name
    if not isinstance(name, str) or name not in CATALOGUE:
        raise ArgumentError(f"unknown data set name {name!r}; valid names are "
                            + ", ".join(repr(n) for n in CATALOGUE))
    return CATALOGUE[name]


def identify(data: Entry, key: str, raw_sha: str, file_sha: str, label: str,
             hashed: str) -> KnownFile:
    """The known file of ``data`` with this sha256, or an error that says what was expected.

    raw_sha: sha256 of the decompressed IDX bytes; file_sha: of the file as stored ("" if
    none); label: the file, as the message names it; hashed: what raw_sha is the sum of.
    A file of another catalogued data set raises :class:`WrongDataset`.
    """
    def matches(f: KnownFile) -> bool:
        return f.key == key and (raw_sha == f.raw_sha256
                                 or bool(f.gz_sha256) and file_sha == f.gz_sha256)

    for known in data.files_for(key):
        if matches(known):
            return known
    for other in CATALOGUE.values():
        if other.name != data.name and any(matches(f) for f in other.known):
            raise WrongDataset(f"{label} is {other.title}'s {key}, not {data.title}'s")
    sums = " or ".join(f"{f.raw_sha256[:12]}…" for f in data.files_for(key))
    raise DataError(f"{label}: corrupted or not the official {data.title} {key}: sha256 of its "
                    f"{hashed} is {raw_sha[:12]}…, expected {sums}. Delete it and get a good "
                    f"copy. {data.how_to_get}")
