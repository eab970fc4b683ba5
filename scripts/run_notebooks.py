"""Execute chapters in place, top to bottom, and say how long each took.

    CNNLIB_PROFILE=full python scripts/run_notebooks.py chapters/*.ipynb

This is how the outputs stored in the book are made (`make outputs`): one
clean kernel per notebook, every cell in order, outputs written back.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def run(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=None,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    nbformat.write(nb, path)
    return seconds


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__)
        return 2
    profile = os.environ.get("CNNLIB_PROFILE", "full")
    times = {}
    for p in map(Path, paths):
        print(f"running {p} (profile {profile}) ...", flush=True)
        seconds = run(p)
        times[str(p)] = round(seconds, 1)
        print(f"  {p}: {seconds / 60:.1f} min", flush=True)
    out = Path("_build") / "run_times.json"
    out.parent.mkdir(exist_ok=True)
    previous = json.loads(out.read_text()) if out.exists() else {}
    previous.update(times)
    out.write_text(json.dumps(previous, indent=2) + "\n")
    print(f"total: {sum(times.values()) / 60:.1f} min (times kept in {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
