"""The download from keras's origin: verified first, then cached; a failed one leaves nothing.

:func:`fetch` downloads a data set's files from :data:`ORIGIN` into temporary files next to
their place in the keras cache, checks them exactly as a local copy is checked
(:mod:`cnnlib.data.formats`), and only then renames them into place. A download that is
disabled (``CNNLIB_OFFLINE=1``), unreachable or fails its check raises
:class:`~cnnlib.data.errors.Unavailable` and leaves no file behind; it is not retried in the
same process. Timeout: ``CNNLIB_DOWNLOAD_TIMEOUT`` seconds, default 30.
"""

from __future__ import annotations

import http.client
import logging
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from . import formats
from .catalogue import Entry
from .errors import DataError, Unavailable

__all__ = ["ORIGIN", "fetch", "offline", "timeout"]

log = logging.getLogger("cnnlib.data")

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
DEFAULT_TIMEOUT = 30.0                           # seconds; env CNNLIB_DOWNLOAD_TIMEOUT

_failed: dict[str, str] = {}  # data set name -> why; a failed download is not retried


def offline() -> bool:
    """Whether downloads are off: ``CNNLIB_OFFLINE`` set to anything but '', 0, false, no."""
    return os.environ.get("CNNLIB_OFFLINE", "").strip().lower() not in ("", "0", "false", "no")


def timeout() -> float:
    """Seconds to wait for the origin: ``CNNLIB_DOWNLOAD_TIMEOUT``, default 30."""
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


def fetch(data: Entry, files: dict, shown: str) -> tuple[dict, bool]:
    """Download ``files`` (``key -> final path``; each named as at the origin), checked.

    Returns what :func:`cnnlib.data.formats.read` returns. shown: the cache folder, as
    messages name it. Raises Unavailable (nothing left behind) when offline, unreachable or
    not verified.
    """
    if offline():
        raise Unavailable("download: disabled by CNNLIB_OFFLINE=1")
    if data.name in _failed:
        raise Unavailable(_failed[data.name])
    seconds = timeout()
    temps: dict = {}
    url = ORIGIN
    try:
        for path in {Path(p).parent for p in files.values()}:
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise Unavailable(f"download: cannot write to {shown} ({err})") from None
        for i, (key, path) in enumerate(files.items()):
            path = Path(path)
            url = ORIGIN + path.name
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
            temps[key] = Path(tmp)
            with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=seconds) as r:
                if i == 0:  # only once the origin answers
                    print(f"Downloading {data.title} from {ORIGIN} …")
                shutil.copyfileobj(r, out, 1 << 20)
        urls = {key: ORIGIN + Path(path).name for key, path in files.items()}
        result = formats.read(temps, data, urls)
        for key, path in files.items():
            os.replace(temps.pop(key), path)
        return result
    except (urllib.error.URLError, http.client.HTTPException, OSError, DataError) as err:
        if isinstance(err, DataError):
            why = f"download failed its check: {err}"
            log.warning("%s", why)
        else:
            why = f"download from {url} failed ({getattr(err, 'reason', None) or err})"
            log.info("%s", why)
        _failed[data.name] = why
        raise Unavailable(why) from None
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
