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
