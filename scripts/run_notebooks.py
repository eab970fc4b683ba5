"""Execute chapters in place, top to bottom, and say how long each took.

    CNNLIB_PROFILE=full python scripts/run_notebooks.py chapters/*.ipynb

    CNNLIB_PROFILE=quick python scripts/run_notebooks.py --no-write chapters/*.ipynb

This is how the outputs stored in the book are made (`make outputs`): one
clean kernel per notebook, every cell in order, outputs written back. With
``--no-write`` the notebooks are executed and timed but left as they are (how
the quick profile's times are measured).

Each run's wall time is recorded in ``chapter_times.json`` at the repository's
top (``full_seconds`` or ``quick_seconds`` per chapter, with the date and the
machine's core count); each chapter's opening box reads its minutes from there
(``cnnlib.book.glue_chapter_times``), so no time in the book is typed by hand.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def run(path: Path, write: bool = True) -> float:
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
    if write:
        nbformat.write(nb, path)
    return seconds


ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "chapter_times.json"


def machine() -> str:
    """A short description of this machine, as the chapters show it."""
    gpu = "no GPU"
    try:
        import subprocess

        found = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True, timeout=10)
        if found.returncode == 0 and found.stdout.strip():
            gpu = found.stdout.strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError):
        pass
    return f"{os.cpu_count()}-core CPU, {gpu}"


def record(times: dict[str, float], profile: str) -> None:
    """Write each chapter's seconds for ``profile`` into chapter_times.json."""
    times = {p: s for p, s in times.items() if Path(p).resolve().parent == ROOT / "chapters"}
    if not times:
        return  # copies elsewhere (a test run in /tmp) are not the book's chapters
    data = json.loads(RECORD.read_text()) if RECORD.exists() else {}
    data["machine"] = machine()
    chapters = data.setdefault("chapters", {})
    for path, seconds in times.items():
        if Path(path).resolve().parent != ROOT / "chapters":
            continue  # a copy elsewhere (a helper's test run) is not the book's chapter
        entry = chapters.setdefault(Path(path).stem, {})
        entry[f"{profile}_seconds"] = round(seconds, 1)
        entry[f"{profile}_measured"] = time.strftime("%Y-%m-%d")
    data["chapters"] = dict(sorted(chapters.items()))
    RECORD.write_text(json.dumps(data, indent=2) + "\n")


def main(argv: list[str]) -> int:
    write = "--no-write" not in argv
    paths = [a for a in argv if a != "--no-write"]
    if not paths:
        print(__doc__)
        return 2
    profile = os.environ.get("CNNLIB_PROFILE", "full")
    times = {}
    for p in map(Path, paths):
        print(f"running {p} (profile {profile}) ...", flush=True)
        seconds = run(p, write)
        times[str(p)] = round(seconds, 1)
        print(f"  {p}: {seconds / 60:.1f} min", flush=True)
    out = Path("_build") / "run_times.json"
    out.parent.mkdir(exist_ok=True)
    previous = json.loads(out.read_text()) if out.exists() else {}
    previous.update(times)
    out.write_text(json.dumps(previous, indent=2) + "\n")
    record(times, profile)
    print(f"total: {sum(times.values()) / 60:.1f} min (times kept in {out} and {RECORD.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
