"""The Colab copies (colab/ with solutions, student/ without) read like the book.

* no MyST survives in a copy's Markdown: no role, no directive fence, no ``(label)=``
  target, no link to a bare label (the before-stop hook's pattern, and more);
* every glued value the chapter pastes is in the copy, formatted as on the site;
* admonitions are quoted blocks with a bold title, exercises are numbered headings,
  colab/ folds each solution into ``<details>``, student/ links to it in the book;
* links into the book point at the published site (_config.yml's ``html: baseurl``)
  and name a page that the book has;
* the first cell keeps the badge (opening the copy itself) and the chapter's link; the
  install cell stays the first code cell; no copy is stale (`make student`).
"""

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("make_student", ROOT / "scripts" / "make_student.py")
make_student = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_student)

CHAPTERS = make_student.chapters()
KINDS = make_student.KINDS
CASES = [(kind, ch) for kind in KINDS for ch in CHAPTERS]
IDS = [f"{kind}-{ch.stem}" for kind, ch in CASES]
BASE = make_student.site_url()

# Anything a Colab reader would see as raw MyST.
HOOK = make_student.MYST_LEFT
ANY_ROLE = re.compile(r"\{[\w:+-]+\}`")
TARGET = re.compile(r"^\([\w:-]+\)=\s*$", re.M)
FENCE = re.compile(r"^\s*(`{3,}|:{3,}|~{3,})\{", re.M)


def _markdown(nb):
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def _without_code(text):
    """Markdown with fenced code blocks and inline code taken out (they may show MyST)."""
    text = re.sub(r"^(`{3,}|~{3,})(?!\{).*?^\1\s*$", "", text, flags=re.M | re.S)
    return re.sub(r"``.*?``|`[^`\n]*`", "", text)


def test_every_chapter_of_the_toc_has_both_copies_and_nothing_else():
    for kind in KINDS:
        assert sorted(p.name for p in (ROOT / kind).glob("*.ipynb")) == [p.name for p in CHAPTERS], (
            f"{kind}/ does not match the chapters of _toc.yml: run `make student`")


def test_no_copy_is_stale():
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_student.py"), "--check"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("kind,chapter", CASES, ids=IDS)
def test_no_myst_survives_in_a_copy(kind, chapter):
    nb = nbformat.read(ROOT / kind / chapter.name, as_version=4)
    for text in _markdown(nb):
        found = HOOK.findall(text)
        assert not found, f"{kind}/{chapter.name}: MyST left for Colab: {found}\n{text[:400]}"
        prose = _without_code(text)
        for pattern in (ANY_ROLE, TARGET, FENCE):
            m = pattern.search(prose)
            assert not m, f"{kind}/{chapter.name}: MyST left: {m.group(0)!r}\n{text[:400]}"
        for target in re.findall(r"\]\(([^)\s]+)\)", prose):
            assert re.match(r"^(https?://|mailto:)", target), (
                f"{kind}/{chapter.name}: a link Colab cannot follow: {target}")


@pytest.mark.parametrize("kind,chapter", CASES, ids=IDS)
def test_glued_values_appear_as_the_site_formats_them(kind, chapter):
    book = make_student._read(chapter)
    glued = make_student.glued_values(book)
    copy = "\n".join(_markdown(nbformat.read(ROOT / kind / chapter.name, as_version=4)))
    source = "\n".join(_markdown(book))
    if kind == "student":  # what a gated solution pastes is not in the student copy
        source = re.sub(r"\{solution-start\}.*?\{solution-end\}", "", source, flags=re.S)
    for key, spec in re.findall(r"\{glue:text\}`([^`:]+):?([^`]*)`", source):
        text = "".join(glued[key]["text/plain"])
        shown = make_student.format_glued(text, spec)
        assert shown in copy, f"{kind}/{chapter.name}: {key}:{spec} should read {shown!r}"


def test_glue_formatting_is_myst_nbs():
    assert make_student.format_glued("36928", ",") == "36,928"
    assert make_student.format_glued("0.98478", ".4f") == "0.9848"
    assert make_student.format_glued("0.25", ".0%") == "25%"
    assert make_student.format_glued("'a text'", "") == "a text"


def test_converter_on_every_construct():
    chapter = next(ch for ch in CHAPTERS if ch.stem == "convolution")
    conv = make_student.MystToMarkdown(chapter, make_student._read(chapter),
                                       make_student.repository())
    conv.glued = {"n": {"text/plain": "1234.5678"}}
    text = conv.convert(
        "(x-label)=\n# Title\n\n:::{admonition} Mind this\n:class: warning\nIt has "
        "{glue:text}`n:,.1f` and {glue}`n`.\n:::\n\n```{note}\nA note.\n```\n\n"
        "See {ref}`chapter-pooling`, {ref}`this one <chapter-convolution>`, "
        "{doc}`../glossary` and the [kernel](glossary-kernel).\n\n"
        "```{exercise} Count\n:label: convolution-ex9\nDo it.\n```\n\n"
        "```python\n{glue:text}`kept` in code\n```\n$$a^2$$")
    assert "(x-label)=" not in text and "# Title" in text
    assert "> **Mind this**\n>\n> It has 1,234.6 and 1234.5678." in text
    assert "> **Note**\n>\n> A note." in text
    assert f"[Pooling]({BASE}chapters/pooling.html)" in text
    assert f"[this one]({BASE}chapters/convolution.html)" in text
    assert f"({BASE}glossary.html)" in text
    assert f"[kernel]({BASE}glossary.html#glossary-kernel)" in text
    number = make_student.chapter_numbers()["convolution"]
    assert f"### Exercise {number}.1: Count\n\nDo it." in text
    assert "{glue:text}`kept` in code" in text and "$$a^2$$" in text
    with pytest.raises(ValueError, match="does not glue|not glue"):
        conv.convert("{glue:text}`no_such_name`")
    with pytest.raises(ValueError, match="no page of the book defines"):
        conv.convert("{ref}`no-such-label`")


@pytest.mark.parametrize("kind,chapter", CASES, ids=IDS)
def test_admonitions_exercises_and_solutions_become_markdown(kind, chapter):
    book = "\n".join(_markdown(make_student._read(chapter)))
    copy = "\n".join(_markdown(nbformat.read(ROOT / kind / chapter.name, as_version=4)))
    shown = book if kind == "colab" else re.sub(
        r"\{solution-start\}.*?\{solution-end\}", "", book, flags=re.S)
    for title in re.findall(r"^:::\{admonition\} (.+?)\s*$", shown, re.M):
        if "`" not in title:
            assert f"> **{title}**\n>" in copy, f"{kind}/{chapter.name}: admonition {title!r}"
    n = book.count("{exercise}")
    number = make_student.chapter_numbers().get(chapter.stem)
    for i in range(1, n + 1):
        label = f"{number}.{i}" if number else str(i)
        assert re.search(rf"^### Exercise {re.escape(label)}\b", copy, re.M), (kind, chapter.name, i)
    solutions = book.count("{solution-start}")
    if kind == "colab":
        assert copy.count(make_student.DETAILS_OPEN) == solutions
        assert copy.count(make_student.DETAILS_OPEN) == copy.count(make_student.DETAILS_CLOSE)
    else:
        assert make_student.DETAILS_OPEN not in copy
        assert copy.count("The solution is in [the book]") == solutions


@pytest.mark.parametrize("kind,chapter", CASES, ids=IDS)
def test_links_into_the_book_name_its_pages(kind, chapter):
    pages = set(make_student.toc_files())
    copy = "\n".join(_markdown(nbformat.read(ROOT / kind / chapter.name, as_version=4)))
    labels = make_student.labels()
    for url in re.findall(rf"\]\(({re.escape(BASE)}[^)\s]*)\)", copy):
        page, _, anchor = url[len(BASE):].partition("#")
        assert page.endswith(".html") and page[:-5] in pages, f"{kind}/{chapter.name}: {url}"
        assert not anchor or anchor in labels, f"{kind}/{chapter.name}: no label {anchor}"


@pytest.mark.parametrize("kind,chapter", CASES, ids=IDS)
def test_first_cell_has_badge_and_book_link_and_install_cell_comes_first(kind, chapter):
    copy = nbformat.read(ROOT / kind / chapter.name, as_version=4)
    first = copy.cells[0]
    assert first.cell_type == "markdown"
    assert make_student.COLAB_BADGE in first.source
    assert make_student.colab_url(f"{kind}/{chapter.name}") in first.source
    assert f"{BASE}chapters/{chapter.stem}.html" in first.source
    book_code = [c for c in make_student._read(chapter).cells if c.cell_type == "code"]
    copy_code = [c for c in copy.cells if c.cell_type == "code"]
    assert copy_code[0].source == book_code[0].source and "pip install" in copy_code[0].source
    assert all(c.outputs == [] and c.execution_count is None for c in copy_code)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_colab_copy_keeps_every_code_cell_and_folds_solutions(chapter):
    book = make_student._read(chapter)
    copy = nbformat.read(ROOT / "colab" / chapter.name, as_version=4)
    book_code = [c for c in book.cells if c.cell_type == "code"]
    copy_code = [c for c in copy.cells if c.cell_type == "code"]
    assert len(book_code) == len(copy_code)
    for b, c in zip(book_code, copy_code):
        if "solution" in b.metadata.get("tags", []):
            assert c.source.endswith(b.source) and c.metadata.get("cellView") == "form"
        else:
            assert c.source == b.source


def test_base_url_is_in_config_and_matches_the_repository():
    assert make_student.config_value("html", "baseurl") == BASE
    assert BASE == make_student.pages_url()
    raw = json.dumps([make_student.config_value("repository", "url")])
    assert "github.com" in raw


@pytest.mark.skipif(__import__("os").environ.get("CNNLIB_STUDENT_RUN") == "0",
                    reason="CNNLIB_STUDENT_RUN=0: the copies are not executed")
@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_colab_copy_runs_top_to_bottom_and_every_solution_passes_its_check(chapter, tmp_path,
                                                                           monkeypatch):
    nbclient = pytest.importorskip("nbclient")
    for key, value in {"CNNLIB_PROFILE": "quick", "MPLBACKEND": "Agg",
                       "CNNLIB_OFFLINE": __import__("os").environ.get("CNNLIB_OFFLINE", "1")}.items():
        monkeypatch.setenv(key, value)
    nb = nbformat.read(ROOT / "colab" / chapter.name, as_version=4)
    nbclient.NotebookClient(nb, timeout=1200, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    for cell in nb.cells:
        if cell.cell_type == "code" and "check.exercise(" in cell.source:
            out = "".join(o.get("text", "") for o in cell.outputs)
            assert "✔" in out and "✘" not in out, f"{chapter.name}: {cell.source!r} printed {out!r}"
