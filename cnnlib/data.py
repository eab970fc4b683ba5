"""MNIST and Fashion-MNIST, checksummed and offline first.

:func:`load_mnist` and :func:`load_fashion_mnist` return what
``keras.datasets.<name>.load_data()`` returns, ``((x_train, y_train), (x_test, y_test))``:

* ``x_*``: ``(N, 28, 28)`` uint8 pixels 0..255 (0 is the background);
* ``y_*``: ``(N,)`` uint8 class indices 0..9.

The pair is a :class:`Dataset`, a tuple that also says where the data came from
(``.source``), and each load prints one short line such as
``Loaded MNIST from the offline sample bundled with cnnlib: 5,000 train / 10,000 test``.

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
data. For an IDX ``.gz`` that is the sha256 of the decompressed bytes (Debian recompressed
its copies), or of the gzip file itself for MNIST's canonical files. An ``.npz`` is either
keras's ``mnist.npz`` (sha256 of the whole file) or one whose four arrays, written as IDX
bytes, have the sha256 of a known file — so an npz re-saved from the real arrays is
accepted and any other npz is not. A missing, truncated or altered file raises
:class:`DataError` naming the file; it is never skipped for a source further down the list.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import io
import logging
import os
import shutil
import struct
import tempfile
import urllib.error
import urllib.request
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

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

log = logging.getLogger("cnnlib.data")

MNIST_CLASSES = tuple(str(d) for d in range(10))
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
FASHION_CLASSES_KO = ("티셔츠", "바지", "스웨터", "드레스", "코트",
                      "샌달", "셔츠", "스니커즈", "가방", "앵클 부츠")

# Where to look. Module-level so that tests (and unusual set-ups) can redirect them.
PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent                    # the checkout that holds cnnlib/
BUNDLED_DIR = PACKAGE_DIR / "datasets"           # the offline MNIST sample
DEBIAN_FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
DEFAULT_TIMEOUT = 30.0                           # seconds; env CNNLIB_DOWNLOAD_TIMEOUT

NAMES = ("mnist", "fashion_mnist")
_TITLES = {"mnist": "MNIST", "fashion_mnist": "Fashion-MNIST"}
_CLASSES = {"mnist": MNIST_CLASSES, "fashion_mnist": FASHION_CLASSES}
_NPZ_NAMES = {"mnist": ("mnist.npz",), "fashion_mnist": ("fashion-mnist.npz", "fashion_mnist.npz")}
_STANDARD = {
    "x_train": "train-images-idx3-ubyte.gz",
    "y_train": "train-labels-idx1-ubyte.gz",
    "x_test": "t10k-images-idx3-ubyte.gz",
    "y_test": "t10k-labels-idx1-ubyte.gz",
}
_SAMPLE = {**_STANDARD, "x_train": "train-5k-images-idx3-ubyte.gz",
           "y_train": "train-5k-labels-idx1-ubyte.gz"}
_KERAS_MNIST_NPZ_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
_MAX_IDX_BYTES = 60_000 * 28 * 28 + 16           # the largest file we accept, decompressed


@dataclass(frozen=True)
class _Known:
    """One official file: which array it is, its size, and its sha256 sums."""

    dataset: str
    key: str            # 'x_train', 'y_train', 'x_test' or 'y_test'
    count: int
    raw_sha256: str     # of the decompressed IDX bytes
    gz_sha256: str = ""  # of the canonical .gz file, where there is one
    sample: bool = False


_KNOWN = (
    _Known("mnist", "x_train", 60_000,
           "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
           "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
    _Known("mnist", "y_train", 60_000,
           "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
           "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
    _Known("mnist", "x_test", 10_000,
           "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
           "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
    _Known("mnist", "y_test", 10_000,
           "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
           "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
    _Known("mnist", "x_train", 5_000,
           "1d63efb4ac5ab122c73fed605a3f2897fe3ede87e9b4e9fe369abbdd36dad1e7",
           "7dd1fc8d250ceb79c460321c7dcfd5cdf4de81552d7a17a36ca3810a00865082", sample=True),
    _Known("mnist", "y_train", 5_000,
           "d212e5beab3667d7fe028273e33cf4cd1e584108be3fdcc5dde1f59e74a2a558",
           "070bee7a874a690e0d87d865f2d1988c9478633a6a0a0351a0f2e701eadf444e", sample=True),
    _Known("fashion_mnist", "x_train", 60_000,
           "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
    _Known("fashion_mnist", "y_train", 60_000,
           "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
    _Known("fashion_mnist", "x_test", 10_000,
           "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
    _Known("fashion_mnist", "y_test", 10_000,
           "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
)

_download_failed: dict[str, str] = {}  # name -> why; a failed download is not retried


class DataError(ValueError):
    """A data file is missing, truncated or not the official data; the message says which."""


class _WrongDataset(DataError):
    """The file is genuine, but of the other data set (MNIST's files where Fashion's belong)."""


class _Unavailable(Exception):
    """A download that could not be made; the loader goes on to the next source."""


class Dataset(tuple):
    """``((x_train, y_train), (x_test, y_test))`` — unpacks exactly like keras's tuple.

    Attributes: ``name`` ('mnist' or 'fashion_mnist'), ``source`` (where the arrays came
    from, in words) and ``classes`` (the class names, index i names label i).
    """

    def __new__(cls, train, test, name: str = "", source: str = ""):
        self = super().__new__(cls, (tuple(train), tuple(test)))
        self.name = name
        self.source = source
        self.classes = _CLASSES.get(name, ())
        return self

    def __reduce__(self):
        return (Dataset, (self[0], self[1], self.name, self.source))

    def __repr__(self) -> str:
        (x_train, _), (x_test, _) = self
        return (f"Dataset({self.name!r}, train={x_train.shape}, test={x_test.shape}, "
                f"source={self.source!r})")


# --- public API ----------------------------------------------------------------------------


def load_mnist(data_dir=None) -> Dataset:
    """MNIST digits: ``((x_train, y_train), (x_test, y_test))``, as keras loads them.

    x: (N, 28, 28) uint8, y: (N,) uint8 in 0..9; N is 60,000/10,000, or 5,000/10,000 from
    the bundled offline sample (``.source`` says which). data_dir: a folder holding the data.
    """
    return _load("mnist", data_dir)


def load_fashion_mnist(data_dir=None) -> Dataset:
    """Fashion-MNIST: ``((x_train, y_train), (x_test, y_test))``, 60,000/10,000 images.

    x: (N, 28, 28) uint8, y: (N,) uint8 in 0..9 (names in :data:`FASHION_CLASSES`).
    Offline it needs Debian's ``dataset-fashion-mnist`` (``make setup`` fetches it).
    """
    return _load("fashion_mnist", data_dir)


def describe_source(name: str, data_dir=None) -> str:
    """Which source loading ``name`` would use, in words — without reading the files.

    Makes no network access. name: 'mnist' or 'fashion_mnist'.
    """
    _check_name(name, "describe_source")
    try:
        folder = _data_dir(data_dir, "describe_source")
    except DataError as err:
        return f"unavailable: {err}"
    cands = _candidates(name, folder, only_folder=data_dir is not None)
    for i, cand in enumerate(cands):
        if cand.kind == "download":
            if _offline():
                continue
            rest = [c.source for c in cands[i + 1:] if c.present()]
            then = f"; if that fails: {rest[0]}" if rest else ""
            return f"download from keras's origin (online) into {_show(cand.path)}{then}"
        if cand.present():
            return cand.source
    if data_dir is not None:
        return f"unavailable: data_dir {folder[0]} holds no {_TITLES[name]}"
    return f"unavailable: {_how_to_get(name)}"


def prepare(x) -> np.ndarray:
    """Pixels as a network wants them: (N, 28, 28) uint8 -> (N, 28, 28, 1) float32 in [0, 1].

    x: uint8 images (N, H, W) or (N, H, W, 1), as loaded.
    """
    x = np.asarray(x)
    if x.dtype != np.uint8:
        raise ValueError(
            f"prepare: x must be uint8 pixels 0..255 as loaded, got dtype {x.dtype}"
            " (already scaled? dividing by 255 twice leaves values near 0)"
        )
    if x.ndim == 3:
        x = x[..., np.newaxis]
    elif not (x.ndim == 4 and x.shape[-1] == 1):
        raise ValueError(f"prepare: x must have shape (N, H, W) or (N, H, W, 1), got {x.shape}")
    return x.astype(np.float32) / np.float32(255)


def keras_cache_dir() -> Path:
    """Where keras keeps downloaded data sets: ``$KERAS_HOME/datasets`` or ``~/.keras/datasets``."""
    return Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras").expanduser() / "datasets"


# --- sources -------------------------------------------------------------------------------


@dataclass
class _Candidate:
    kind: str            # 'folder' (IDX .gz files), 'npz' or 'download'
    path: Path
    where: str           # short, for the printed line
    source: str          # long, for Dataset.source
    layouts: tuple = ()  # for 'folder': file-name layouts (key -> file name), preferred first

    def present(self) -> bool:
        if self.kind == "npz":
            return self.path.is_file()
        if self.kind == "folder":
            return any((self.path / f).exists() for lay in self.layouts for f in lay.values())
        return True

    def files(self) -> dict:
        """key -> path, in the first layout whose training images are there."""
        layout = next((lay for lay in self.layouts if (self.path / lay["x_train"]).exists()),
                      self.layouts[0])
        return {key: self.path / fname for key, fname in layout.items()}


def _candidates(name: str, folder, only_folder: bool = False) -> list[_Candidate]:
    """The sources for ``name``, in the order they are tried (see the module doc)."""
    title = _TITLES[name]
    layouts = (_STANDARD, _SAMPLE) if name == "mnist" else (_STANDARD,)
    cands = []
    if folder is not None:
        path, label = folder
        subdirs = [path / "fashion-mnist", path] if name == "fashion_mnist" else [path]
        for sub in subdirs:
            cands.append(_Candidate("folder", sub, _show(sub), f"{label} {_show(sub)}", layouts))
        for npz in _NPZ_NAMES[name]:
            cands.append(_Candidate("npz", path / npz, _show(path / npz),
                                    f"{label} {_show(path / npz)}"))
        if only_folder:
            return cands
    if name == "fashion_mnist":
        deb = "Debian package dataset-fashion-mnist"
        cands.append(_Candidate("folder", DEBIAN_FASHION_DIR, "Debian's dataset-fashion-mnist",
                                f"{deb} at {DEBIAN_FASHION_DIR}", layouts))
        for root in _local_fashion_roots():
            for sub in (root / "usr/share/datasets/fashion-mnist", root):
                cands.append(_Candidate("folder", sub, "Debian's dataset-fashion-mnist",
                                        f"{deb}, unpacked by get_fashion_mnist.sh at {_show(sub)}",
                                        layouts))
    cache = keras_cache_dir()
    target = cache / "mnist.npz" if name == "mnist" else cache / "fashion-mnist"
    if name == "mnist":
        cands.append(_Candidate("npz", target, "the keras cache",
                                f"keras cache {_show(target)}"))
    else:
        cands.append(_Candidate("folder", target, "the keras cache",
                                f"keras cache {_show(target)}", layouts))
    cands.append(_Candidate("download", target, "keras's origin",
                            f"{title} from keras's origin {ORIGIN}, cached in {_show(target)}"))
    if name == "mnist":
        cands.append(_Candidate("folder", BUNDLED_DIR, "the offline sample bundled with cnnlib",
                                "offline MNIST sample bundled with cnnlib "
                                "(5,000 training / 10,000 test images)", (_SAMPLE,)))
    return cands


def _local_fashion_roots() -> list[Path]:
    """Folders scripts/get_fashion_mnist.sh may have unpacked Debian's package into."""
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return [REPO_DIR / ".data" / "fashion-mnist", cache_home / "cnnlib" / "fashion-mnist"]


def _data_dir(data_dir, func: str) -> tuple[Path, str] | None:
    """(folder, label) from the argument or CNNLIB_DATA_DIR; None when neither is set."""
    if data_dir is not None:
        path, label = Path(data_dir).expanduser(), "data_dir"
    elif os.environ.get("CNNLIB_DATA_DIR"):
        path, label = Path(os.environ["CNNLIB_DATA_DIR"]).expanduser(), "CNNLIB_DATA_DIR"
    else:
        return None
    if not path.is_dir():
        raise DataError(f"{func}: {label} {path} is not a folder; give a folder that holds "
                        "the four IDX .gz files or a keras .npz")
    return path, label


def _load(name: str, data_dir) -> Dataset:
    func = f"load_{name}"
    folder = _data_dir(data_dir, func)
    absent, tried = [], []
    for cand in _candidates(name, folder, only_folder=data_dir is not None):
        try:
            if cand.kind == "download":
                arrays, sample = _download(name, cand.path)
            elif cand.present():
                arrays, sample = _read(cand, name)
            else:
                absent.append(_show(cand.path))
                continue
        except (_Unavailable, _WrongDataset) as why:
            tried.append(str(why))
            continue
        return _finish(name, arrays, sample, cand)
    if data_dir is not None:
        looked = ", ".join(sorted({*_STANDARD.values(), *_NPZ_NAMES[name]}))
        notes = "".join(f"; {t}" for t in tried)
        raise DataError(f"{func}: data_dir {folder[0]} holds no {_TITLES[name]}{notes}; "
                        f"looked for {looked}" + (" (also in fashion-mnist/)"
                                                  if name == "fashion_mnist" else ""))
    raise DataError(f"{func}: no {_TITLES[name]} found; nothing in {', '.join(absent)}; "
                    + "; ".join(tried) + f". {_how_to_get(name)}")


def _finish(name: str, arrays: dict, sample: bool, cand: _Candidate) -> Dataset:
    source = cand.source
    if sample and cand.path != BUNDLED_DIR:
        source += " (training set: the 5,000-image MNIST sample)"
    data = Dataset((arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"]),
                   name=name, source=source)
    n_train, n_test = len(arrays["y_train"]), len(arrays["y_test"])
    log.info("loaded %s from %s: %d train / %d test", name, source, n_train, n_test)
    print(f"Loaded {_TITLES[name]} from {cand.where}: {n_train:,} train / {n_test:,} test")
    return data


def _how_to_get(name: str) -> str:
    if name == "fashion_mnist":
        return ("To get Fashion-MNIST: run `make setup` (or scripts/get_fashion_mnist.sh), "
                "or `apt-get install dataset-fashion-mnist`, or go online and unset "
                "CNNLIB_OFFLINE so cnnlib downloads it from keras's origin")
    return ("To get MNIST: go online and unset CNNLIB_OFFLINE so cnnlib downloads it from "
            "keras's origin, or reinstall cnnlib (it bundles an offline sample)")


def _check_name(name, func: str) -> None:
    if name not in NAMES:
        raise ValueError(f"{func}: unknown data set {name!r}; valid names are "
                         + ", ".join(repr(n) for n in NAMES))


def _offline() -> bool:
    return os.environ.get("CNNLIB_OFFLINE", "").strip().lower() not in ("", "0", "false", "no")


def _show(path: Path) -> str:
    """A path as people read it: relative to the checkout, or with ~ for the home folder."""
    path = Path(path)
    if path.is_relative_to(REPO_DIR / ".data") or path.is_relative_to(PACKAGE_DIR):
        return str(path.relative_to(REPO_DIR))
    if path.is_relative_to(Path.home()):
        return "~/" + str(path.relative_to(Path.home()))
    return str(path)


# --- reading and checking ------------------------------------------------------------------


def _read(cand: _Candidate, name: str) -> tuple[dict, bool]:
    """The four arrays of a present candidate, every one checked; and whether it is the sample."""
    if cand.kind == "npz":
        return _read_npz(cand.path, name)
    files = cand.files()
    missing = [p.name for p in files.values() if not p.is_file()]
    if missing:
        present = [(k, p) for k, p in files.items() if p.is_file()]
        key, path = min(present, key=lambda kp: kp[1].stat().st_size)
        _read_idx_gz(path, key, name, str(path))  # the other data set's files? then say so
        raise DataError(f"{cand.path}: missing {', '.join(missing)} (the folder holds only part "
                        f"of {_TITLES[name]}). {_how_to_get(name)}")
    return _read_idx_files(files, name)


def _read_idx_files(paths: dict, name: str, shown: dict | None = None) -> tuple[dict, bool]:
    arrays, entries = {}, {}
    for key, path in paths.items():
        label = (shown or {}).get(key, str(path))
        arrays[key], entries[key] = _read_idx_gz(path, key, name, label)
    return arrays, _check_pairs(arrays, entries, name)


def _read_idx_gz(path: Path, key: str, name: str, label: str) -> tuple[np.ndarray, _Known]:
    """One IDX .gz file, checked: gzip stream, IDX header and sha256 against the known files."""
    try:
        blob = Path(path).read_bytes()
    except FileNotFoundError:
        raise DataError(f"{label}: file not found. {_how_to_get(name)}") from None
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(blob)) as stream:
            raw = stream.read(_MAX_IDX_BYTES + 1)
    except EOFError:
        raise DataError(f"{label}: truncated (the gzip stream ends early, {len(blob):,} bytes); "
                        f"delete it and get a good copy. {_how_to_get(name)}") from None
    except (gzip.BadGzipFile, zlib.error, OSError) as err:
        raise DataError(f"{label}: corrupted, not a readable gzip file ({err}); delete it and "
                        f"get a good copy. {_how_to_get(name)}") from None
    if len(raw) > _MAX_IDX_BYTES:
        raise DataError(f"{label}: decompresses to more than {_MAX_IDX_BYTES:,} bytes, too large "
                        "for an MNIST-style IDX file")
    dims, offset = _parse_idx_header(raw, key, label, name)
    entry = _identify(hashlib.sha256(raw).hexdigest(), hashlib.sha256(blob).hexdigest(),
                      key, name, label, "decompressed bytes")
    if dims[0] != entry.count:  # pragma: no cover - the sha256 already pins the count
        raise DataError(f"{label}: header says {dims[0]:,} items, expected {entry.count:,}")
    return np.frombuffer(raw, np.uint8, offset=offset).reshape(dims).copy(), entry


def _parse_idx_header(raw: bytes, key: str, label: str, name: str) -> tuple[tuple, int]:
    images = key.startswith("x")
    magic_wanted, ndim = (2051, 3) if images else (2049, 1)
    what = "images (N, 28, 28)" if images else "labels (N,)"
    if len(raw) < 4 + 4 * ndim:
        raise DataError(f"{label}: truncated, {len(raw)} bytes is shorter than an IDX header. "
                        f"{_how_to_get(name)}")
    magic = int.from_bytes(raw[:4], "big")
    if magic != magic_wanted:
        raise DataError(f"{label}: wrong IDX header, magic number {magic} where {key} needs "
                        f"{magic_wanted} (uint8 {what}); is it the right file?")
    dims = struct.unpack(f">{ndim}I", raw[4:4 + 4 * ndim])
    if images and dims[1:] != (28, 28):
        raise DataError(f"{label}: wrong IDX header, images of {dims[1]}x{dims[2]} pixels; "
                        "expected 28x28")
    offset = 4 + 4 * ndim
    wanted = offset + int(np.prod(dims))
    if len(raw) != wanted:
        state = "truncated" if len(raw) < wanted else "longer than its header says"
        raise DataError(f"{label}: {state}: {len(raw) - offset:,} bytes of data where the header "
                        f"promises {wanted - offset:,} ({dims}). {_how_to_get(name)}")
    return dims, offset


def _identify(raw_sha: str, file_sha: str, key: str, name: str, label: str, hashed: str) -> _Known:
    """The known file with this sha256, or a DataError that says what was expected."""
    for entry in _KNOWN:
        if entry.key == key and (raw_sha == entry.raw_sha256
                                 or (entry.gz_sha256 and file_sha == entry.gz_sha256)):
            if entry.dataset == name:
                return entry
            raise _WrongDataset(f"{label} is {_TITLES[entry.dataset]}'s {key}, "
                                f"not {_TITLES[name]}'s")
    expected = [e for e in _KNOWN if e.dataset == name and e.key == key]
    sums = " or ".join(f"{e.raw_sha256[:12]}…" for e in expected)
    raise DataError(f"{label}: corrupted or not the official {_TITLES[name]} {key}: sha256 of its "
                    f"{hashed} is {raw_sha[:12]}…, expected {sums}. Delete it and get a good "
                    f"copy. {_how_to_get(name)}")


def _check_pairs(arrays: dict, entries: dict, name: str) -> bool:
    """Images and labels of each split agree; returns whether the training set is the sample."""
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if len(x) != len(y):
            raise DataError(f"{_TITLES[name]}: {len(x):,} {split} images but {len(y):,} labels; "
                            "the files come from different sets")
        if y.size and y.max() > 9:  # pragma: no cover - the sha256 already pins the labels
            raise DataError(f"{_TITLES[name]}: {split} label {y.max()} outside 0..9")
    if entries["x_train"].sample != entries["y_train"].sample:
        raise DataError(f"{_TITLES[name]}: training images and labels come from different sets "
                        "(one is the 5,000-image sample)")
    return entries["x_train"].sample


def _read_npz(path: Path, name: str, label: str | None = None) -> tuple[dict, bool]:
    """A keras-style .npz (x_train, y_train, x_test, y_test), checked as the module doc says."""
    label = label or str(path)
    whole = _sha256_file(path)
    try:
        with np.load(path, allow_pickle=False) as f:
            keys = list(f.files)
            arrays = {k: f[k] for k in _STANDARD if k in keys}
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as err:
        raise DataError(f"{label}: truncated or corrupted, not a readable .npz ({err}); delete "
                        f"it and get a good copy. {_how_to_get(name)}") from None
    missing = [k for k in _STANDARD if k not in arrays]
    if missing:
        raise DataError(f"{label}: not a keras data set npz, no array {', '.join(missing)} "
                        f"(it holds {', '.join(keys) or 'nothing'})")
    entries = {}
    for key, arr in arrays.items():
        images = key.startswith("x")
        shape_ok = arr.ndim == 3 and arr.shape[1:] == (28, 28) if images else arr.ndim == 1
        if arr.dtype != np.uint8 or not shape_ok:
            want = "(N, 28, 28)" if images else "(N,)"
            raise DataError(f"{label}: {key} is {arr.dtype} {arr.shape}, expected uint8 {want}")
        if name == "mnist" and whole == _KERAS_MNIST_NPZ_SHA256:
            entries[key] = next(e for e in _KNOWN if e.dataset == "mnist" and e.key == key
                                and not e.sample)
            continue
        header = struct.pack(">I", 2051 if images else 2049)
        header += struct.pack(f">{arr.ndim}I", *arr.shape)
        raw_sha = hashlib.sha256(header + np.ascontiguousarray(arr).tobytes()).hexdigest()
        try:
            entries[key] = _identify(raw_sha, "", key, name, f"{label} [{key}]",
                                     "array written as IDX bytes")
        except _WrongDataset:
            raise
        except DataError as err:  # say what an accepted npz is
            raise DataError(f"{err}. An npz is accepted when it is keras's mnist.npz (sha256 "
                            f"{_KERAS_MNIST_NPZ_SHA256[:12]}…) or its arrays equal the official "
                            "data; this one is unknown") from None
    for entry in entries.values():
        if entry.count != len(arrays[entry.key]):
            raise DataError(f"{label}: {entry.key} has the wrong length")
    return arrays, _check_pairs(arrays, entries, name)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- downloading ---------------------------------------------------------------------------


def _timeout() -> float:
    text = os.environ.get("CNNLIB_DOWNLOAD_TIMEOUT", "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise ValueError(f"CNNLIB_DOWNLOAD_TIMEOUT must be a number of seconds > 0, got {text!r}")
    return value


def _download(name: str, target: Path) -> tuple[dict, bool]:
    """Download into the keras cache: temporary files, checked, then renamed into place.

    Raises _Unavailable (nothing left behind) when offline, unreachable or not verified.
    """
    if _offline():
        raise _Unavailable("download: disabled by CNNLIB_OFFLINE=1")
    if name in _download_failed:
        raise _Unavailable(_download_failed[name])
    if name == "mnist":
        folder, files = target.parent, {"npz": target.name}
    else:
        folder, files = target, dict(_STANDARD)
    timeout = _timeout()
    temps: dict = {}
    url = ORIGIN
    try:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise _Unavailable(f"download: cannot write to {_show(folder)} ({err})") from None
        for i, (key, fname) in enumerate(files.items()):
            url = ORIGIN + fname
            fd, tmp = tempfile.mkstemp(prefix=f".{fname}.", suffix=".part", dir=folder)
            temps[key] = Path(tmp)
            with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as r:
                if i == 0:  # only once the origin answers
                    print(f"Downloading {_TITLES[name]} from {ORIGIN} …")
                shutil.copyfileobj(r, out, 1 << 20)
        shown = {key: ORIGIN + fname for key, fname in files.items()}
        if name == "mnist":
            result = _read_npz(temps["npz"], name, label=shown["npz"])
        else:
            result = _read_idx_files(temps, name, shown)
        for key, fname in files.items():
            os.replace(temps.pop(key), folder / fname)
        return result
    except (urllib.error.URLError, http.client.HTTPException, OSError, DataError) as err:
        if isinstance(err, DataError):
            why = f"download failed its check: {err}"
            log.warning("%s", why)
        else:
            why = f"download from {url} failed ({getattr(err, 'reason', None) or err})"
            log.info("%s", why)
        _download_failed[name] = why
        raise _Unavailable(why) from None
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
