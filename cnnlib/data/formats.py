"""File formats: IDX ``.gz`` files and keras-style ``.npz``, each read and checked.

Every reader returns the arrays and checks them against the data set's catalogue entry
(:mod:`cnnlib.data.catalogue`) before returning anything:

* an IDX ``.gz`` file: a whole gzip stream, an IDX header that fits the array (magic number
  2051 for images, 2049 for labels; the entry's image size; as many bytes as it promises), and
  the sha256 of the decompressed bytes, or of the gzip file itself, of a known file;
* an ``.npz``: either the entry's keras ``.npz`` (sha256 of the whole file) or one whose four
  arrays, written as IDX bytes, have the sha256 of a known file — so an npz re-saved from the
  real arrays is accepted and any other npz is not.

A truncated, corrupted or unknown file raises :class:`~cnnlib.data.errors.DataError` naming it.
:func:`read` takes a table ``key -> path`` (``{"npz": path}`` for an npz) and returns
``(arrays, sample)``: the four arrays and whether the training set is a catalogued sample.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

from .catalogue import KEYS, Entry, KnownFile, identify
from .errors import DataError, WrongDataset

__all__ = ["read", "read_idx_gz", "read_idx_files", "read_npz", "sha256_file"]

IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049


def read(files: dict, data: Entry, labels: dict | None = None) -> tuple[dict, bool]:
    """The four arrays in ``files`` (``key -> path``, or ``{"npz": path}``), every one checked.

    labels: how messages name each file (``key -> text``); the paths otherwise.
    """
    labels = labels or {}
    if "npz" in files:
        return read_npz(Path(files["npz"]), data, labels.get("npz"))
    return read_idx_files(files, data, labels)


def read_idx_files(paths: dict, data: Entry, labels: dict | None = None) -> tuple[dict, bool]:
    """Four IDX ``.gz`` files (``key -> path``), each checked, and images and labels paired."""
    arrays, known = {}, {}
    for key, path in paths.items():
        label = (labels or {}).get(key, str(path))
        arrays[key], known[key] = read_idx_gz(path, key, data, label)
    return arrays, check_pairs(arrays, known, data)


def read_idx_gz(path: Path, key: str, data: Entry, label: str) -> tuple[np.ndarray, KnownFile]:
    """One IDX .gz file, checked: gzip stream, IDX header and sha256 against the known files."""
    try:
        blob = Path(path).read_bytes()
    except FileNotFoundError:
        raise DataError(f"{label}: file not found. {data.how_to_get}") from None
    limit = data.max_idx_bytes
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(blob)) as stream:
            raw = stream.read(limit + 1)
    except EOFError:
        raise DataError(f"{label}: truncated (the gzip stream ends early, {len(blob):,} bytes); "
                        f"delete it and get a good copy. {data.how_to_get}") from None
    except (gzip.BadGzipFile, zlib.error, OSError) as err:
        raise DataError(f"{label}: corrupted, not a readable gzip file ({err}); delete it and "
                        f"get a good copy. {data.how_to_get}") from None
    if len(raw) > limit:
        raise DataError(f"{label}: decompresses to more than {limit:,} bytes, too large "
                        "for an MNIST-style IDX file")
    dims, offset = parse_idx_header(raw, key, label, data)
    known = identify(data, key, hashlib.sha256(raw).hexdigest(), hashlib.sha256(blob).hexdigest(),
                     label, "decompressed bytes")
    if dims[0] != known.count:  # pragma: no cover - the sha256 already pins the count
        raise DataError(f"{label}: header says {dims[0]:,} items, expected {known.count:,}")
    return np.frombuffer(raw, np.uint8, offset=offset).reshape(dims).copy(), known


def parse_idx_header(raw: bytes, key: str, label: str, data: Entry) -> tuple[tuple, int]:
    """``(dims, offset)`` of IDX bytes holding array ``key``; a DataError when they do not fit."""
    images = key.startswith("x")
    magic_wanted, ndim = (IMAGES_MAGIC, 3) if images else (LABELS_MAGIC, 1)
    what = "images (N, {}, {})".format(*data.image_shape) if images else "labels (N,)"
    if len(raw) < 4 + 4 * ndim:
        raise DataError(f"{label}: truncated, {len(raw)} bytes is shorter than an IDX header. "
                        f"{data.how_to_get}")
    magic = int.from_bytes(raw[:4], "big")
    if magic != magic_wanted:
        raise DataError(f"{label}: wrong IDX header, magic number {magic} where {key} needs "
                        f"{magic_wanted} (uint8 {what}); is it the right file?")
    dims = struct.unpack(f">{ndim}I", raw[4:4 + 4 * ndim])
    if images and dims[1:] != data.image_shape:
        raise DataError(f"{label}: wrong IDX header, images of {dims[1]}x{dims[2]} pixels; "
                        "expected {}x{}".format(*data.image_shape))
    offset = 4 + 4 * ndim
    wanted = offset + int(np.prod(dims))
    if len(raw) != wanted:
        state = "truncated" if len(raw) < wanted else "longer than its header says"
        raise DataError(f"{label}: {state}: {len(raw) - offset:,} bytes of data where the header "
                        f"promises {wanted - offset:,} ({dims}). {data.how_to_get}")
    return dims, offset


def check_pairs(arrays: dict, known: dict, data: Entry) -> bool:
    """Images and labels of each split agree; returns whether the training set is the sample."""
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if len(x) != len(y):
            raise DataError(f"{data.title}: {len(x):,} {split} images but {len(y):,} labels; "
                            "the files come from different sets")
        if y.size and y.max() >= len(data.classes):  # pragma: no cover - the sha256 pins them
            raise DataError(f"{data.title}: {split} label {y.max()} outside "
                            f"0..{len(data.classes) - 1}")
    if known["x_train"].sample != known["y_train"].sample:
        sample = data.files_for("x_train", sample=True)
        size = f"{sample[0].count:,}-image " if sample else ""
        raise DataError(f"{data.title}: training images and labels come from different sets "
                        f"(one is the {size}sample)")
    return known["x_train"].sample


def read_npz(path: Path, data: Entry, label: str | None = None) -> tuple[dict, bool]:
    """A keras-style .npz (x_train, y_train, x_test, y_test), checked as the module doc says."""
    label = label or str(path)
    whole = sha256_file(path)
    try:
        with np.load(path, allow_pickle=False) as f:
            names = list(f.files)
            arrays = {k: f[k] for k in KEYS if k in names}
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as err:
        raise DataError(f"{label}: truncated or corrupted, not a readable .npz ({err}); delete "
                        f"it and get a good copy. {data.how_to_get}") from None
    missing = [k for k in KEYS if k not in arrays]
    if missing:
        raise DataError(f"{label}: not a keras data set npz, no array {', '.join(missing)} "
                        f"(it holds {', '.join(names) or 'nothing'})")
    known = {}
    for key, arr in arrays.items():
        images = key.startswith("x")
        shape_ok = (arr.ndim == 3 and arr.shape[1:] == data.image_shape) if images \
            else arr.ndim == 1
        if arr.dtype != np.uint8 or not shape_ok:
            want = "(N, {}, {})".format(*data.image_shape) if images else "(N,)"
            raise DataError(f"{label}: {key} is {arr.dtype} {arr.shape}, expected uint8 {want}")
        if data.npz_sha256 and whole == data.npz_sha256:
            known[key] = data.files_for(key, sample=False)[0]
            continue
        header = struct.pack(">I", IMAGES_MAGIC if images else LABELS_MAGIC)
        header += struct.pack(f">{arr.ndim}I", *arr.shape)
        raw_sha = hashlib.sha256(header + np.ascontiguousarray(arr).tobytes()).hexdigest()
        try:
            known[key] = identify(data, key, raw_sha, "", f"{label} [{key}]",
                                  "array written as IDX bytes")
        except WrongDataset:
            raise
        except DataError as err:  # say what an accepted npz is
            theirs = (f"keras's {data.npz_names[0]} (sha256 {data.npz_sha256[:12]}…) or "
                      if data.npz_sha256 else "")
            raise DataError(f"{err}. An npz is accepted when it is {theirs}its arrays equal the "
                            "official data; this one is unknown") from None
    for key, file in known.items():
        if file.count != len(arrays[key]):
            raise DataError(f"{label}: {key} has the wrong length")
    return arrays, check_pairs(arrays, known, data)


def sha256_file(path: Path) -> str:
    """The sha256 of a file, read in blocks of 1 MiB."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
