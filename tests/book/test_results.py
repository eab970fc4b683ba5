"""The README's results table is the one the stored chapters produce."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("results_table", ROOT / "scripts" / "results_table.py")
results_table = importlib.util.module_from_spec(spec)
spec.loader.exec_module(results_table)


def test_readme_table_matches_the_stored_outputs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split(results_table.START, 1)[1].split(results_table.END, 1)[0].strip()
    assert block == results_table.table(), (
        "README.md's results table is stale: run `python scripts/results_table.py --write`")


def test_results_page_seed_table_matches_the_record():
    page = (ROOT / "results.md").read_text(encoding="utf-8")
    block = page.split(results_table.SEEDS_START, 1)[1].split(results_table.SEEDS_END, 1)[0].strip()
    assert block == results_table.seeds_table(), (
        "results.md's table of spreads over seeds is stale: run `python scripts/results_table.py --write`")


def test_headline_results_are_glued_as_fractions():
    names = {
        "scratch_cnn": ["scratch_test_accuracy"],
        "mnist_keras": ["mnist_test_accuracy"],
        "fashion_mnist": ["fashion_test_accuracy", "fashion_best_test_accuracy"],
    }
    for chapter, keys in names.items():
        values = results_table.glued(chapter)
        for key in keys:
            assert isinstance(values[key], float) and 0 <= values[key] <= 1, (chapter, key)


SEEDS = ROOT / "results_seeds.json"


def _seed_record() -> dict:
    import json

    return json.loads(SEEDS.read_text(encoding="utf-8"))["models"] if SEEDS.exists() else {}


def test_every_seed_record_names_a_headline_model_with_three_seeds_or_more():
    headline = {row[0]: row for row in results_table.ROWS}
    for model, entry in _seed_record().items():
        assert model in headline, f"results_seeds.json names {model!r}, not a row of the results table"
        assert entry["chapter"] == headline[model][1]
        assert entry["n"] == len(entry["seeds"]) == len(set(entry["seeds"])) >= 3, model
        assert entry["min"] <= entry["mean"] <= entry["max"]


def test_stored_headline_values_lie_in_their_recorded_seed_range():
    # A re-run of a chapter that lands outside what other seeds gave is a change to explain.
    for model, entry in _seed_record().items():
        row = next(r for r in results_table.ROWS if r[0] == model)
        stored = results_table.glued(row[1])[row[5]]
        assert entry["min"] <= round(stored, 4) <= entry["max"], (
            f"{model}: the stored test accuracy {stored:.4f} is outside [{entry['min']}, {entry['max']}] "
            f"recorded over seeds {entry['seeds']} in results_seeds.json; re-run scripts/reproduce.py")


def test_each_chapter_states_the_recorded_seed_range():
    # The chapter's "over n seeds a run lands in [min, max]" is glued by its last cell, with
    # its own run as seed 0; `scripts/reproduce.py --page` records that run, so the two agree.
    for model, entry in _seed_record().items():
        values = results_table.glued(entry["chapter"])
        name = entry["glue"]
        stated = tuple(values.get(f"{name}_seed{k}") for k in ("s", "_min", "_max"))
        assert stated == (entry["n"], entry["min"], entry["max"]), (
            f"{model}: {entry['chapter']} states n, min, max = {stated}, results_seeds.json records "
            f"{(entry['n'], entry['min'], entry['max'])}; after re-running the chapter run "
            f"`python scripts/reproduce.py --page {entry['chapter']}`")
