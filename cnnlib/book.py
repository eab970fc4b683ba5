"""Numbers for the page's prose: ``glue`` a value in a cell, cite it in text.

This is MyST-NB's ``glue`` (the book's pages write ``{glue:text}`name:.4f```),
written so that it also runs where MyST-NB is not installed, as in Colab: the
value is stored in the cell's outputs in the same form MyST-NB reads.

:func:`chapter_times` reads how long a chapter took when it was last run — the book's
record ``chapter_times.json``, which ``scripts/run_notebooks.py`` writes — and
:func:`glue_chapter_times`, called in a chapter's last cell, glues the minutes of both
profiles for the chapter's opening box: the active profile's from this very run (the
time since ``cnnlib`` was imported, in the chapter's first cell), the other one's from
the record.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

_IMPORTED = time.perf_counter()  # cnnlib is imported by a chapter's first cell

__all__ = ["glue", "chapter_times", "glue_chapter_times", "seed_ranges", "glue_records", "TIMES_FILE",
           "SEEDS_FILE"]

TIMES_FILE = "chapter_times.json"
SEEDS_FILE = "results_seeds.json"

_PREFIX = "application/papermill.record/"
_GLUED: dict = {}  # name -> value of everything glued in this kernel (glue_records reads it)


def glue(name: str, value, display: bool = False) -> None:
    """Store ``value`` under ``name`` for the book's prose.

    display: also show the value in the cell's output.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"glue: name must be a Python-style identifier, got {name!r}")
    try:
        from IPython import get_ipython
        from IPython.core.formatters import format_display_data
        from IPython.display import display as ipy_display
    except ImportError:  # plain Python: nothing to store into
        return
    if get_ipython() is None:
        return
    _GLUED[name] = value
    bundle, metadata = format_display_data(value)
    prefix = "" if display else _PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    ipy_display({prefix + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)


def _times_file(start: Path, name: str = TIMES_FILE) -> Path | None:
    for folder in (start, *start.parents[:3]):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def chapter_times(chapter: str, folder=None) -> dict | None:
    """The recorded run times of ``chapter`` (a file name without ``.ipynb``).

    Returns ``{"full_minutes": ..., "quick_minutes": ..., "machine": ...}`` (a minutes
    value is ``None`` when that profile was never recorded), or ``None`` when there is
    no record: ``chapter_times.json`` is looked for in ``folder`` (default: the
    current directory) and up to three folders above it, so it is found from
    ``chapters/`` in a clone of the book and simply absent in Colab.
    """
    if not isinstance(chapter, str) or not chapter.isidentifier():
        raise ValueError(f"chapter_times: chapter must be a chapter's file name without "
                         f".ipynb, e.g. 'convolution', got {chapter!r}")
    path = _times_file(Path(folder or ".").resolve())
    if path is None:
        return None
    record = json.loads(path.read_text(encoding="utf-8"))
    entry = record.get("chapters", {}).get(chapter)
    if entry is None:
        return None

    def minutes(key):
        return None if entry.get(key) is None else round(entry[key] / 60, 1)

    return {"full_minutes": minutes("full_seconds"), "quick_minutes": minutes("quick_seconds"),
            "machine": record.get("machine", "")}


def glue_chapter_times(chapter: str) -> dict:
    """Glue ``chapter_minutes_full`` and ``chapter_minutes_quick`` and print them.

    Call it in the chapter's last cell. The active profile's minutes are this run's
    (since ``cnnlib`` was imported); the other profile's come from :func:`chapter_times`
    (``nan`` when never recorded). Returns ``{"full": ..., "quick": ...}`` in minutes.
    """
    from .runtime import profile

    elapsed = round((time.perf_counter() - _IMPORTED) / 60, 1)
    recorded = chapter_times(chapter) or {}
    minutes = {}
    for name in ("full", "quick"):
        value = elapsed if profile() == name else recorded.get(f"{name}_minutes")
        minutes[name] = math.nan if value is None else max(float(value), 0.1)
        glue(f"chapter_minutes_{name}", minutes[name])
    where = recorded.get("machine") or "this machine"
    print(f"{chapter}: {minutes['full']:.1f} min in the full profile, {minutes['quick']:.1f} min "
          f"in the quick profile ({profile()} measured in this run, the other from {TIMES_FILE}; "
          f"{where})")
    return minutes


def seed_ranges(chapter: str, folder=None, this_run: dict | None = None) -> dict:
    """The chapter's headline results over seeds, from the book's ``results_seeds.json``.

    ``{accuracy glue name: {"n": ..., "min": ..., "max": ..., "mean": ...}}`` for each
    model of ``chapter`` that ``scripts/reproduce.py`` recorded; empty without a record.

    Seed 0 is the page's own run. ``this_run`` (``{glue name: value}``) replaces the
    record's seed-0 value by the value of the run in progress: a full re-run of a chapter
    does not always repeat its numbers exactly (mnist_keras's small convnet once went from
    0.9747 to 0.9702 with the same seed), so a re-run is a new draw of seed 0, and the
    range the page states must hold the value the page shows.
    """
    chapter_times(chapter, folder)  # the same argument check
    path = _times_file(Path(folder or ".").resolve(), SEEDS_FILE)
    if path is None:
        return {}
    models = json.loads(path.read_text(encoding="utf-8")).get("models", {})
    out = {}
    for entry in models.values():
        if entry.get("chapter") != chapter or "glue" not in entry:
            continue
        name = entry["glue"]
        values = list(entry["test_accuracy"])
        if this_run and name in this_run and 0 in entry["seeds"]:
            values[entry["seeds"].index(0)] = round(float(this_run[name]), 4)
        out[name] = {"n": len(values), "min": min(values), "max": max(values),
                     "mean": round(sum(values) / len(values), 4)}
    return out


def glue_records(chapter: str) -> None:
    """A chapter's last cell: :func:`glue_chapter_times`, and for each headline result
    ``<name>_seeds``, ``<name>_seed_min`` and ``<name>_seed_max`` from :func:`seed_ranges`
    — with this run's own value as seed 0 when it is the page's run (the full profile,
    no ``CNNLIB_SEED`` offset); ``scripts/reproduce.py --page`` then records it."""
    from .runtime import profile, run_seed

    glue_chapter_times(chapter)
    page_run = profile() == "full" and run_seed(0) == 0
    for name, spread in seed_ranges(chapter, this_run=_GLUED if page_run else None).items():
        glue(f"{name}_seeds", spread["n"])
        glue(f"{name}_seed_min", spread["min"])
        glue(f"{name}_seed_max", spread["max"])
        print(f"{name}: over {spread['n']} seeds a run lands in [{spread['min']:.4f}, {spread['max']:.4f}]")
