"""The README's results table, read from the chapters' stored (glued) outputs.

    python scripts/results_table.py            # print the table
    python scripts/results_table.py --write    # put it into README.md (and the spreads over
                                               # seeds, results_seeds.json, into results.md)

Every number comes from a value a chapter glued in its full-profile run
(`make outputs`), so the table and the book cannot disagree;
tests/book/test_results.py fails when README.md is out of date.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- results:start -->", "<!-- results:end -->"
SEEDS_START, SEEDS_END = "<!-- seeds:start -->", "<!-- seeds:end -->"

# model, chapter, data, and the glue names of epochs, training seconds and test accuracy.
# An epochs entry "a/b" means glued seconds a divided by glued seconds-per-epoch b.
ROWS = [
    ("SimpleConvNet in NumPy (cnnlib)", "scratch_cnn", "MNIST, {scratch_train_images:,} train",
     "scratch_epochs", "scratch_train_seconds", "scratch_test_accuracy"),
    ("Keras: small convnet (DLwP style)", "mnist_keras", "MNIST, {n_tr:,} train",
     "small_epochs", "small_time", "small_acc"),
    ("Keras: small convnet, shifted and rotated images", "mnist_keras", "MNIST, {n_tr:,} train",
     "aug_epochs", "aug_time", "aug_acc"),
    ("Keras: dropout convnet", "mnist_keras", "MNIST, {n_tr:,} train",
     "drop_epochs", "drop_time", "drop_acc"),
    ("Keras: small convnet without pooling", "mnist_keras", "MNIST, {n_tr:,} train",
     "nopool_epochs", "nopool_time", "nopool_acc"),
    ("Keras: dense baseline", "mnist_keras", "MNIST, {n_tr:,} train",
     "dense_epochs", "dense_time", "dense_acc"),
    ("Keras: the notes' Fashion-MNIST CNN", "fashion_mnist", "Fashion-MNIST, {fashion_n_train:,} train",
     "fashion_epochs", "fashion_train_seconds", "fashion_test_accuracy"),
    ("Keras: improved Fashion-MNIST CNN", "fashion_mnist", "Fashion-MNIST, {fashion_n_train:,} train",
     "fashion_best_epochs", "fashion_best_train_seconds", "fashion_best_test_accuracy"),
    ("Keras: LeNet-5", "designing_cnns", "Fashion-MNIST, {design_n_train:,} train",
     "design_lenet5_epochs", "design_lenet5_train_seconds", "design_lenet5_test_accuracy"),
    ("Keras: VGG-style net", "designing_cnns", "Fashion-MNIST, {design_n_train:,} train",
     "design_vgg_style_epochs", "design_vgg_style_train_seconds", "design_vgg_style_test_accuracy"),
    ("Keras: small ResNet", "designing_cnns", "Fashion-MNIST, {design_n_train:,} train",
     "design_small_resnet_epochs", "design_small_resnet_train_seconds",
     "design_small_resnet_test_accuracy"),
]


def glued(chapter: str) -> dict:
    """name -> value of everything a chapter glued (from its stored outputs)."""
    nb = json.loads((ROOT / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    return glued_cells(nb["cells"])


def glued_cells(cells) -> dict:
    """name -> value of everything glued in the outputs of ``cells`` (a notebook's cells)."""
    values = {}
    for cell in cells:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook")
            if not meta:
                continue
            text = "".join(next(v for k, v in out["data"].items() if k.endswith("text/plain")))
            try:
                values[meta["name"]] = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                values[meta["name"]] = text
    return values


def _get(values: dict, expr: str, chapter: str):
    if "/" in expr:
        a, b = expr.split("/")
        return round(_get(values, a, chapter) / _get(values, b, chapter))
    if expr not in values:
        raise KeyError(f"chapters/{chapter}.ipynb glues no value named {expr!r}; run make outputs")
    return values[expr]


SEEDS = ROOT / "results_seeds.json"


def seed_spread(model: str) -> str:
    """"0.9690–0.9750 (3 seeds)" from results_seeds.json (scripts/reproduce.py), or "not yet run"."""
    record = json.loads(SEEDS.read_text(encoding="utf-8")).get("models", {}) if SEEDS.exists() else {}
    entry = record.get(model)
    if entry is None:
        return "not yet run"
    return f"{entry['min']:.4f}–{entry['max']:.4f} ({entry['n']} seeds)"


def table() -> str:
    lines = [
        "| model | chapter | data | epochs | training time | test accuracy | over seeds |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    cache: dict = {}
    for model, chapter, data, epochs, seconds, accuracy in ROWS:
        values = cache.setdefault(chapter, glued(chapter))
        lines.append(
            f"| {model} | `{chapter}` | {data.format(**values)} "
            f"| {_get(values, epochs, chapter)} | {_get(values, seconds, chapter) / 60:.1f} min "
            f"| {_get(values, accuracy, chapter):.4f} | {seed_spread(model)} |"
        )
    return "\n".join(lines)


def seeds_table() -> str:
    """The results page's table of spreads over seeds (Markdown, no glue: read from the file)."""
    lines = ["| model | chapter | seeds | test accuracy: min – max | mean |", "|---|---|---:|---:|---:|"]
    record = json.loads(SEEDS.read_text(encoding="utf-8")).get("models", {}) if SEEDS.exists() else {}
    for model, chapter, *_ in ROWS:
        entry = record.get(model)
        if entry is None:
            lines.append(f"| {model} | `{chapter}` | — | not yet run | — |")
        else:
            seeds = ", ".join(str(k) for k in entry["seeds"])
            lines.append(f"| {model} | `{chapter}` | {seeds} | {entry['min']:.4f} – {entry['max']:.4f} "
                         f"| {entry['mean']:.4f} |")
    return "\n".join(lines)


def _write_block(path: Path, start: str, end: str, text: str) -> bool:
    body = path.read_text(encoding="utf-8")
    if start not in body or end not in body:
        print(f"{path.name} has no {start} … {end} block", file=sys.stderr)
        return False
    head, rest = body.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{start}\n{text}\n{end}{tail}", encoding="utf-8")
    return True


def main(argv: list[str]) -> int:
    text = table()
    if "--write" not in argv:
        print(text)
        return 0
    if not (_write_block(ROOT / "README.md", START, END, text)
            and _write_block(ROOT / "results.md", SEEDS_START, SEEDS_END, seeds_table())):
        return 1
    print("README.md results table and results.md seeds table updated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
