"""Re-train the book's headline models with other seeds and record how far results spread.

    python scripts/reproduce.py                       # seeds 1 and 2 of every headline chapter
    python scripts/reproduce.py --seeds 1 2 3 4       # more seeds
    python scripts/reproduce.py scratch_cnn mnist_keras   # some chapters only
    make reproduce                                     # the same as the first line
    python scripts/reproduce.py --page fashion_mnist   # after a re-run of the page: its seed 0

Not part of CI: a full-profile run of every headline chapter per seed (about 30 minutes
per seed on a 2-core CPU). Each chapter is executed top to bottom, exactly as on the page,
in a fresh kernel with ``CNNLIB_PROFILE=full`` and ``CNNLIB_SEED=<k>`` (every
``cnnlib.seed_everything``/``cnnlib.run_seed`` call in the chapter is shifted by k), and
the notebook file is left untouched. Seed 0 is the page's own run: its values are read
from the chapter's stored outputs. The headline models and the glue names of their test
accuracy and training time are those of the results table (``scripts/results_table.py``).

A full-profile re-run of a chapter (``make outputs``) does not always repeat its numbers
exactly (mnist_keras's small convnet once went from 0.9747 to 0.9702 with the same seed;
a small Keras model trained twice, in one process or in two, does repeat bit for bit), so
it is a new draw of seed 0: the chapter's last cell states the
range with its own value in place of the recorded seed 0 (``cnnlib.book.glue_records``),
and ``--page`` then copies the re-run's stored values into the record, training nothing.

The results go to ``results_seeds.json`` at the repository's top: per model, the seeds,
each run's test accuracy and training seconds, and their mean, min and max. The results
page, the README's table and the chapters show "over n seeds, a run lands in [min, max]"
from it (``cnnlib.book.glue_seed_range``), and ``tests/book/test_results.py`` fails when a
stored headline value lies outside its recorded range.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
import results_table  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "results_seeds.json"


def glued_of(nb) -> dict:
    """name -> value of everything an executed notebook (in memory) glued."""
    return results_table.glued_cells(nb["cells"])


def run_with_seed(chapter: str, seed: int) -> tuple[dict, float]:
    """Execute chapters/<chapter>.ipynb with CNNLIB_SEED=seed (file untouched)."""
    path = ROOT / "chapters" / f"{chapter}.ipynb"
    nb = nbformat.read(path, as_version=4)
    os.environ.update(CNNLIB_PROFILE="full", CNNLIB_SEED=str(seed))
    client = NotebookClient(nb, timeout=None, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return glued_of(nb), time.perf_counter() - start


def headline(chapters: list[str] | None) -> dict[str, list[tuple]]:
    """chapter -> [(model, accuracy glue name, seconds glue name)] from the results table."""
    out: dict[str, list[tuple]] = {}
    for model, chapter, _data, _epochs, seconds, accuracy in results_table.ROWS:
        if chapters and chapter not in chapters:
            continue
        out.setdefault(chapter, []).append((model, accuracy, seconds))
    return out


def summarise(entry: dict) -> dict:
    values = entry["test_accuracy"]
    entry.update(n=len(values), mean=round(statistics.fmean(values), 4),
                 min=round(min(values), 4), max=round(max(values), 4))
    return entry


def record_page(record: dict, plan: dict) -> int:
    """Seed 0 of each planned model from its chapter's stored outputs; the other seeds kept."""
    models = record.get("models", {})
    for chapter, rows in plan.items():
        stored = results_table.glued(chapter)
        for model, accuracy, seconds in rows:
            entry = models.get(model)
            if entry is None or 0 not in entry["seeds"]:
                print(f"{model}: no seeds recorded yet; run scripts/reproduce.py {chapter}")
                continue
            k = entry["seeds"].index(0)
            entry["test_accuracy"][k] = round(float(stored[accuracy]), 4)
            entry["training_seconds"][k] = round(float(results_table._get(stored, seconds, chapter)))
            summarise(entry)
            print(f"{model}: seed 0 = {entry['test_accuracy'][k]:.4f}; "
                  f"over {entry['n']} seeds [{entry['min']:.4f}, {entry['max']:.4f}]")
    RECORD.write_text(json.dumps(record, indent=2) + "\n")
    print(f"written {RECORD.relative_to(ROOT)}")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", help="headline chapters (default: all)")
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2],
                        help="seed offsets to run besides the page's seed 0 (default: 1 2)")
    parser.add_argument("--page", action="store_true",
                        help="only record seed 0 anew from the chapters' stored outputs "
                             "(after a re-run of the page); trains nothing")
    args = parser.parse_args(argv)
    plan = headline(args.chapters)
    unknown = set(args.chapters) - set(plan)
    if unknown:
        names = sorted({row[1] for row in results_table.ROWS})
        parser.error(f"no headline model in {sorted(unknown)}; chapters with one: {names}")
    record = json.loads(RECORD.read_text()) if RECORD.exists() else {}
    models = record.setdefault("models", {})
    if args.page:
        return record_page(record, plan)
    for chapter, rows in plan.items():
        stored = results_table.glued(chapter)
        for model, accuracy, seconds in rows:
            models[model] = {"chapter": chapter, "glue": accuracy, "seeds": [0],
                             "test_accuracy": [round(float(stored[accuracy]), 4)],
                             "training_seconds": [round(float(results_table._get(stored, seconds, chapter)))]}
        for seed in args.seeds:
            print(f"{chapter}: seed {seed} ...", flush=True)
            values, wall = run_with_seed(chapter, seed)
            load = os.getloadavg()[0]
            for model, accuracy, seconds in rows:
                entry = models[model]
                entry["seeds"].append(seed)
                entry["test_accuracy"].append(round(float(values[accuracy]), 4))
                entry["training_seconds"].append(round(float(results_table._get(values, seconds, chapter))))
                print(f"  {model}: {values[accuracy]:.4f}", flush=True)
            print(f"  chapter ran {wall / 60:.1f} min (load average {load:.1f})", flush=True)
        for model, _a, _s in rows:
            summarise(models[model])
        record["machine"] = f"{os.cpu_count()}-core CPU"
        record["measured"] = time.strftime("%Y-%m-%d")
        record["models"] = models
        RECORD.write_text(json.dumps(record, indent=2) + "\n")  # after each chapter: a crash keeps the rest
    print(f"written {RECORD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
