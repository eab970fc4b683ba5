"""Where a data set may be: the sources, in the order they are tried, and the search over them.

A *source* is a kind of place (a data folder, Debian's package, the keras cache, keras's
origin, the copy bundled with cnnlib). Every source has one method, ``places(data)``: the
:class:`Place` objects where it would hold the catalogue entry ``data`` (none when the entry
says the source does not have it). Every place has ``present()`` (no reading, no network) and
``read()`` (every file checked, :mod:`cnnlib.data.formats`). Nothing here depends on a data
set's name: the entry says which file names, folders and packages to look for.

:func:`search` walks the sources and yields the places that are present, in order. Loading
(:func:`cnnlib.data.loader.load`) reads the first that gives the data set;
:func:`cnnlib.data.describe_source` reports the first, with the same walk.

1. ``data_dir=`` (else env ``CNNLIB_DATA_DIR``): :class:`DataDir`; an explicit ``data_dir``
   is the only source;
2. :class:`DebianPackage` — ``/usr/share/datasets/<folder>``, or the copy a script unpacked
   into ``<repo>/.data/<folder>`` or ``~/.cache/cnnlib/<folder>``;
3. :class:`KerasCache` — ``$KERAS_HOME/datasets`` (default ``~/.keras/datasets``);
4. :class:`KerasOrigin` — a download into that cache (:mod:`cnnlib.data.download`);
5. :class:`Bundled` — the copy in ``cnnlib/datasets/``.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import download, formats
from .catalogue import Entry, entry
from .errors import DataError, NotFound

__all__ = ["Bundled", "DataDir", "DebianPackage", "KerasCache", "KerasOrigin", "Place",
           "Search", "keras_cache_dir", "search", "show"]

# Where to look. Module-level so that tests (and unusual set-ups) can redirect them.
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # cnnlib/
REPO_DIR = PACKAGE_DIR.parent                          # the checkout that holds cnnlib/
BUNDLED_DIR = PACKAGE_DIR / "datasets"                 # the offline MNIST sample
DEBIAN_DIR = Path("/usr/share/datasets")               # Debian's dataset-* packages
INSIDE_DEB = Path("usr/share/datasets")                # the same folder inside an unpacked .deb


def keras_cache_dir() -> Path:
    """Where keras keeps downloaded data sets: ``$KERAS_HOME/datasets`` or ``~/.keras/datasets``."""
    return Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras").expanduser() / "datasets"


def show(path: Path) -> str:
    """A path as people read it: relative to the checkout, or with ~ for the home folder."""
    path = Path(path)
    if path.is_relative_to(REPO_DIR / ".data"):
        return str(path.relative_to(REPO_DIR))
    if path.is_relative_to(PACKAGE_DIR):
        return str(path.relative_to(PACKAGE_DIR.parent))
    if path.is_relative_to(Path.home()):
        return "~/" + str(path.relative_to(Path.home()))
    return str(path)


# --- places ---------------------------------------------------------------------------------


class Place:
    """One place a data set may be. ``where``: short, for the printed line; ``source``: long,
    for ``Dataset.source``; ``intent``: what describe_source says before anything is read."""

    remote = False       # may fail without an error (a download): the next place is then tried
    sample_home = False  # a sample here is the whole point (no "(training set: …)" note)

    def __init__(self, path: Path, where: str, source: str):
        self.path, self.where, self.source = Path(path), where, source

    @property
    def intent(self) -> str:
        return self.source

    @property
    def missing(self) -> str:
        """How a "not found" message lists this place when it is absent."""
        return show(self.path)

    def present(self) -> bool:  # pragma: no cover - every place defines it
        raise NotImplementedError

    def read(self, data: Entry) -> tuple[dict, bool]:  # pragma: no cover
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.source!r})"


class IdxFolder(Place):
    """A folder of four IDX ``.gz`` files, named as in one of ``layouts`` (preferred first)."""

    def __init__(self, path, where, source, layouts: tuple):
        super().__init__(path, where, source)
        self.layouts = layouts

    def present(self) -> bool:
        return any((self.path / f).exists() for lay in self.layouts for f in lay.values())

    def files(self) -> dict:
        """key -> path, in the first layout whose training images are there."""
        layout = next((lay for lay in self.layouts if (self.path / lay["x_train"]).exists()),
                      self.layouts[0])
        return {key: self.path / name for key, name in layout.items()}

    def targets(self) -> dict:
        """key -> path a download writes: the preferred layout."""
        return {key: self.path / name for key, name in self.layouts[0].items()}

    def read(self, data: Entry) -> tuple[dict, bool]:
        files = self.files()
        missing = [p.name for p in files.values() if not p.is_file()]
        if missing:
            present = [(k, p) for k, p in files.items() if p.is_file()]
            if present:  # another data set's files? then say so
                key, path = min(present, key=lambda kp: kp[1].stat().st_size)
                formats.read_idx_gz(path, key, data, str(path))
            raise DataError(f"{self.path}: missing {', '.join(missing)} (the folder holds only "
                            f"part of {data.title}). {data.how_to_get}")
        return formats.read(files, data)


class NpzFile(Place):
    """A keras-style ``.npz`` holding x_train, y_train, x_test and y_test."""

    def present(self) -> bool:
        return self.path.is_file()

    def targets(self) -> dict:
        return {"npz": self.path}

    def read(self, data: Entry) -> tuple[dict, bool]:
        return formats.read(self.targets(), data)


class Download(Place):
    """A download from keras's origin into ``cache`` (an :class:`IdxFolder` or :class:`NpzFile`)."""

    remote = True

    def __init__(self, cache: Place, title: str):
        super().__init__(cache.path, "keras's origin",
                         f"{title} from keras's origin {download.ORIGIN}, cached in "
                         f"{show(cache.path)}")
        self.cache = cache

    @property
    def intent(self) -> str:
        return f"download from keras's origin (online) into {show(self.path)}"

    @property
    def missing(self) -> str:
        return "download: disabled by CNNLIB_OFFLINE=1"

    def present(self) -> bool:
        return not download.offline()

    def read(self, data: Entry) -> tuple[dict, bool]:
        return download.fetch(data, self.cache.targets(), show(self.path.parent))


# --- sources --------------------------------------------------------------------------------


class DataDir:
    """A folder given as ``data_dir`` or ``CNNLIB_DATA_DIR``: IDX files (also in the entry's
    subfolders) or one of its ``.npz`` names."""

    def __init__(self, path: Path, label: str):
        self.path, self.label = Path(path), label

    def places(self, data: Entry) -> list[Place]:
        found: list[Place] = []
        for sub in data.subfolders:
            folder = self.path / sub
            found.append(IdxFolder(folder, show(folder), f"{self.label} {show(folder)}",
                                   data.layouts))
        for name in data.npz_names:
            npz = self.path / name
            found.append(NpzFile(npz, show(npz), f"{self.label} {show(npz)}"))
        return found


class DebianPackage:
    """Debian's package of the data set, installed or unpacked by the repository's script."""

    def places(self, data: Entry) -> list[Place]:
        deb = data.debian
        if deb is None:
            return []
        where, name = f"Debian's {deb.package}", f"Debian package {deb.package}"
        found: list[Place] = [IdxFolder(DEBIAN_DIR / deb.folder, where,
                                        f"{name} at {DEBIAN_DIR / deb.folder}", data.layouts)]
        cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        for root in (REPO_DIR / ".data" / deb.folder, cache_home / "cnnlib" / deb.folder):
            for sub in (root / INSIDE_DEB / deb.folder, root):
                found.append(IdxFolder(sub, where, f"{name}, unpacked by {deb.script} at "
                                                   f"{show(sub)}", data.layouts))
        return found


class KerasCache:
    """What ``keras.datasets`` downloaded before: the entry's ``keras`` path in its cache."""

    def places(self, data: Entry) -> list[Place]:
        if not data.keras:
            return []
        target = keras_cache_dir() / data.keras
        where, source = "the keras cache", f"keras cache {show(target)}"
        if target.suffix == ".npz":
            return [NpzFile(target, where, source)]
        return [IdxFolder(target, where, source, data.layouts[:1])]


class KerasOrigin:
    """A download of the entry's ``keras`` files from keras's origin into the keras cache."""

    def places(self, data: Entry) -> list[Place]:
        return [Download(cache, data.title) for cache in KerasCache().places(data)]


class Bundled:
    """The copy bundled in ``cnnlib/datasets/`` (for MNIST, the offline sample)."""

    def places(self, data: Entry) -> list[Place]:
        if not data.bundled:
            return []
        x = (data.files_for("x_train", sample=True) or data.files_for("x_train"))[0]
        y = data.files_for("x_test")[0]
        kind = "sample" if x.sample else "copy"
        place = IdxFolder(BUNDLED_DIR, f"the offline {kind} bundled with cnnlib",
                          f"offline {data.title} {kind} bundled with cnnlib "
                          f"({x.count:,} training / {y.count:,} test images)", (data.bundled,))
        place.sample_home = True
        return [place]


def default_sources() -> list:
    """The sources tried after ``CNNLIB_DATA_DIR``, in order."""
    return [DebianPackage(), KerasCache(), KerasOrigin(), Bundled()]


# --- the search ------------------------------------------------------------------------------


class Search:
    """The walk over the sources for one data set; iterate it for the places present, in order.

    ``folder``: the data folder, as ``(path, label)``, or None; ``explicit``: it is the
    ``data_dir`` argument (then the only source); ``absent``: the places passed over so far.
    """

    def __init__(self, data: Entry, data_dir=None):
        self.data = entry(data)
        self.explicit = data_dir is not None
        self.folder = _data_folder(data_dir)
        self.sources = [DataDir(*self.folder)] if self.folder else []
        if not self.explicit:
            self.sources += default_sources()
        self.absent: list[Place] = []

    def __iter__(self):
        for source in self.sources:
            for place in source.places(self.data):
                if place.present():
                    yield place
                else:
                    self.absent.append(place)


def search(data, data_dir=None) -> Search:
    """The search for ``data`` (a name or catalogue entry): loading and reporting both use it."""
    return Search(data, data_dir)


def _data_folder(data_dir) -> tuple[Path, str] | None:
    """(folder, label) from the argument or CNNLIB_DATA_DIR; None when neither is set."""
    if data_dir is not None:
        path, label = Path(data_dir).expanduser(), "data_dir"
    elif os.environ.get("CNNLIB_DATA_DIR"):
        path, label = Path(os.environ["CNNLIB_DATA_DIR"]).expanduser(), "CNNLIB_DATA_DIR"
    else:
        return None
    if not path.is_dir():
        raise NotFound(f"{label} {path} is not a folder; give a folder that holds "
                       "the four IDX .gz files or a keras .npz")
    return path, label
