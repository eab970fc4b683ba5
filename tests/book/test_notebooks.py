"""The committed chapters: outputs from one full-profile, top-to-bottom run.

nbval (in `make test`) re-runs every chapter in the quick profile and compares
outputs; these tests check what nbval cannot: that the *stored* outputs come
from the full profile, in one clean run, and that each chapter installs cnnlib
from the repository named in _config.yml.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
TOC = (ROOT / "_toc.yml").read_text()
REPO_URL = re.search(r"^\s+url:\s*(\S+)", (ROOT / "_config.yml").read_text(), re.M).group(1)


def _code_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def _text(cell):
    out = []
    for o in cell.get("outputs", []):
        if o["output_type"] == "stream":
            out.append("".join(o["text"]))
        elif "data" in o and "text/plain" in o["data"]:
            out.append("".join(o["data"]["text/plain"]))
    return "".join(out)


def test_there_are_chapters():
    assert CHAPTERS, "no notebooks in chapters/"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_is_in_the_toc(path):
    assert f"chapters/{path.stem}" in TOC


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_first_cell_installs_cnnlib_and_reports_a_full_run(path):
    first = _code_cells(path)[0]
    source = "".join(first["source"])
    assert f'%pip install -q "cnnlib @ git+{REPO_URL}"' in source
    assert "cnnlib.about(" in source
    assert "nbval-ignore-output" in first["metadata"].get("tags", [])
    assert _text(first).startswith("profile: full"), (
        f"{path.name}: stored outputs are not from the full profile; run `make outputs`")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_outputs_come_from_one_top_to_bottom_run(path):
    counts = [c["execution_count"] for c in _code_cells(path)]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts} are not 1..n; re-run it with `make outputs`")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_stored_errors(path):
    for cell in _code_cells(path):
        if "raises-exception" in cell["metadata"].get("tags", []):
            continue
        assert all(o["output_type"] != "error" for o in cell.get("outputs", [])), (
            f"{path.name}: a cell stores an error:\n{''.join(cell['source'])[:200]}")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_exercise_check_passes_in_the_stored_run(path):
    checks = [c for c in _code_cells(path) if "check.exercise(" in "".join(c["source"])]
    for cell in checks:
        # A checker that re-measures may first print where it loaded its data from;
        # the verdict is the last line.
        lines = _text(cell).strip().splitlines() or [""]
        assert lines[-1].startswith("✔"), f"{path.name}: {_text(cell)[:300]}"
        assert all(not line.startswith(("✘", "…")) for line in lines), f"{path.name}: {_text(cell)[:300]}"


def _unsafe_compiles(source):
    """Line numbers of the ``<model>.compile(...)`` calls in a cell's source that do not pass
    ``jit_compile=False`` (IPython magics blanked)."""
    import ast

    code = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln
                     for ln in source.splitlines())
    lines = []
    for node in ast.walk(ast.parse(code)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "compile"):
            jit = {k.arg: k.value for k in node.keywords}.get("jit_compile")
            if not (isinstance(jit, ast.Constant) and jit.value is False):
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_keras_compile_is_safe_on_a_gpu(path):
    # seed_everything turns on op determinism; on a GPU Keras's jit_compile="auto" means
    # XLA, which has no deterministic max-pool gradient, so the first fit would fail.
    for cell in _code_cells(path):
        source = "".join(cell["source"])
        assert not _unsafe_compiles(source), (
            f"{path.name}: compile without jit_compile=False (lines "
            f"{_unsafe_compiles(source)}):\n{source[:300]}")


def test_the_compile_check_finds_unsafe_calls():
    source = ('%pip install x\nm.compile("adam", "mse")\n'
              'm.compile("adam", jit_compile=False)\nm.compile("adam", jit_compile="auto")')
    assert _unsafe_compiles(source) == [2, 4]
