"""cnnlib.book: glue, and the chapters' recorded run times."""

import json
import math

import pytest

from cnnlib import book


def _record(tmp_path, chapters, machine="2-core CPU, no GPU"):
    (tmp_path / book.TIMES_FILE).write_text(json.dumps({"machine": machine, "chapters": chapters}))


def test_chapter_times_reads_minutes_from_the_record_found_above(tmp_path):
    _record(tmp_path, {"convolution": {"full_seconds": 90.0, "quick_seconds": 12.0}})
    below = tmp_path / "chapters"
    below.mkdir()
    times = book.chapter_times("convolution", folder=below)
    assert times == {"full_minutes": 1.5, "quick_minutes": 0.2, "machine": "2-core CPU, no GPU"}


def test_chapter_times_is_none_without_a_record_or_an_entry(tmp_path):
    assert book.chapter_times("convolution", folder=tmp_path) is None
    _record(tmp_path, {"pooling": {"full_seconds": 30.0}})
    assert book.chapter_times("convolution", folder=tmp_path) is None
    assert book.chapter_times("pooling", folder=tmp_path)["quick_minutes"] is None


@pytest.mark.parametrize("bad", ["convolution.ipynb", "", 3, "chapters/convolution"])
def test_chapter_times_names_the_argument(bad):
    with pytest.raises(ValueError, match="chapter must be a chapter's file name"):
        book.chapter_times(bad)


def test_glue_chapter_times_measures_the_active_profile(tmp_path, monkeypatch, capsys):
    _record(tmp_path, {"convolution": {"full_seconds": 600.0, "quick_seconds": 60.0}})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CNNLIB_PROFILE", "quick")
    monkeypatch.setattr(book, "_IMPORTED", book.time.perf_counter() - 180)  # started 3 min ago
    minutes = book.glue_chapter_times("convolution")
    assert minutes == {"full": 10.0, "quick": 3.0}
    assert "10.0 min in the full profile, 3.0 min in the quick profile" in capsys.readouterr().out


def test_glue_chapter_times_without_a_record_glues_nan(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CNNLIB_PROFILE", "full")
    minutes = book.glue_chapter_times("convolution")
    assert minutes["full"] >= 0.1 and math.isnan(minutes["quick"])


def _seed_record(tmp_path):
    (tmp_path / book.SEEDS_FILE).write_text(json.dumps({"models": {
        "A": {"chapter": "scratch_cnn", "glue": "scratch_test_accuracy", "seeds": [0, 1, 2],
              "test_accuracy": [0.965, 0.96, 0.97]},
        "B": {"chapter": "mnist_keras", "glue": "small_acc", "seeds": [0, 1, 2],
              "test_accuracy": [0.9, 0.95, 0.94]}}}))


def test_seed_ranges_reads_the_chapters_models(tmp_path):
    _seed_record(tmp_path)
    assert book.seed_ranges("scratch_cnn", folder=tmp_path) == {
        "scratch_test_accuracy": {"n": 3, "min": 0.96, "max": 0.97, "mean": 0.965}}
    assert book.seed_ranges("pooling", folder=tmp_path) == {}
    assert book.seed_ranges("pooling", folder=tmp_path / "x") == {}


def test_seed_ranges_take_this_run_as_seed_0(tmp_path):
    # a re-run of the page is a new draw of seed 0: the range must hold what the page shows
    _seed_record(tmp_path)
    spread = book.seed_ranges("scratch_cnn", folder=tmp_path,
                              this_run={"scratch_test_accuracy": 0.97504, "other": 1.0})
    assert spread == {"scratch_test_accuracy": {"n": 3, "min": 0.96, "max": 0.975,
                                                "mean": round((0.975 + 0.96 + 0.97) / 3, 4)}}
    assert book.seed_ranges("mnist_keras", folder=tmp_path, this_run={})["small_acc"]["min"] == 0.9
