"""The student copies (student/, written by `make student`) and the book's Colab links.

* every chapter has a student copy, byte for byte what scripts/make_student.py
  writes from it now (else: stale — run `make student`);
* no copy holds a solution: no `solution` cell, no gated solution text, no line
  of a solution cell, no outputs;
* each copy runs top to bottom, every check reporting "not solved yet";
* every Colab link — the book's launch buttons (from _toc.yml and _config.yml,
  and in the built site when there is one) and the copies' badges — opens a
  notebook that exists in the repository.
"""

import ast
import importlib.util
import json
import os
import re
import tempfile
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("make_student", ROOT / "scripts" / "make_student.py")
make_student = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_student)

CHAPTERS = make_student.chapters()
STUDENT = ROOT / "student"
COLAB = re.compile(r"https://colab\.research\.google\.com/github/([^/\s\"')]+)/([^/\s\"')]+)"
                   r"/blob/([^/\s\"')]+)/([^\s\"')#?]+)")
ids = [p.stem for p in CHAPTERS]


def _read(path):
    return nbformat.read(path, as_version=4)


def _solution_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and "solution" in c.metadata.get("tags", [])]


def _gated_markdown(nb):
    """Lines of Markdown between {solution-start} and {solution-end} in a chapter."""
    lines, inside = [], False
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if "{solution-start}" in line:
                inside = True
            elif "{solution-end}" in line:
                inside = False
            elif inside:
                lines.append(line)
    return lines


# ---------------------------------------------------------------------------
# Stubs from a solution cell's syntax tree.


def test_stub_keeps_the_names_a_check_needs():
    src = "answer_1 = (28 - 5 + 1, 28 - 5 + 1)\nanswer_1"
    assert make_student.stub_source(src) == "answer_1 = ...  # your code here"
    src = "a, (b, *c) = 1, (2, 3, 4)\nd: int = 5\ne += 1\nx[0] = 1\nobj.attr = 2"
    assert make_student.stub_source(src).splitlines() == [
        f"{n} = ...  # your code here" for n in "abcde"]


def test_stub_of_a_function_keeps_signature_decorators_and_docstring():
    src = ('import numpy as np\n\n@staticmethod\ndef f(x, w=3, *args, k: int = 1, **kw) -> float:\n'
           '    """What f does."""\n    return np.sum(x * w)\n\nresult = f(1)\n')
    stub = make_student.stub_source(src)
    assert "import numpy as np" in stub
    assert "@staticmethod\ndef f(x, w=3, *args, k: int=1, **kw) -> float:" in stub
    assert '"""What f does."""' in stub
    assert "raise NotImplementedError  # your code here" in stub
    assert "np.sum" not in stub and "result = ...  # your code here" in stub
    ast.parse(stub)


def test_stub_of_a_class_stubs_every_method():
    src = ("class Layer(Base):\n    scale = 2\n    def __init__(self, n):\n        self.n = n\n"
           "    def forward(self, x):\n        return x * self.scale\n")
    stub = make_student.stub_source(src)
    ast.parse(stub)
    assert stub.startswith("class Layer(Base):")
    assert stub.count("raise NotImplementedError  # your code here") == 2
    assert "scale = 2" not in stub and "self.n = n" not in stub


def test_stub_handles_magics_loops_and_empty_cells():
    src = "%time total = sum(range(10))\nfor i, v in enumerate([1]):\n    pass\nprint(1)"
    stub = make_student.stub_source(src)
    assert "i = ..." in stub and "v = ..." in stub and "sum(range" not in stub
    assert make_student.stub_source("print('only output')") == "...  # your code here"


def test_gated_markdown_goes_and_a_link_to_the_book_takes_its_place():
    gate = make_student._Gate("NOTE {label}")
    first = gate.markdown(
        "(chapter-x)=\nIntro.\n\n```{exercise} Title\n:label: x-ex1\nDo this.\n```\n\n"
        "```{solution-start} x-ex1\n:class: dropdown\n```\nSECRET reasoning.")
    assert "SECRET" not in first and "NOTE x-ex1" in first and "Do this." in first
    assert gate.open
    assert gate.markdown("MORE SECRET") == ""
    assert gate.markdown("```{solution-end}\n```\nAfter.") == "After."
    assert not gate.open
    assert gate.markdown(":::{solution} x-ex2\nHIDDEN\n:::\nKept.") == "NOTE x-ex2\n\nKept."


def test_colab_gate_folds_each_cells_solution_text_into_details():
    gate = make_student._Gate(mode="colab")
    first = gate.markdown("Ask.\n```{solution-start} x-ex1\n:class: dropdown\n```\nBecause.")
    assert first == f"Ask.\n{make_student.DETAILS_OPEN}\n\nBecause.\n\n{make_student.DETAILS_CLOSE}"
    assert gate.open
    # the cell that only closes the gate adds no empty block
    assert gate.markdown("```{solution-end}\n```\nAfter.") == "After."


# ---------------------------------------------------------------------------
# The committed copies.


def test_every_chapter_has_a_student_copy_and_nothing_else():
    assert sorted(p.name for p in STUDENT.glob("*.ipynb")) == [p.name for p in CHAPTERS], (
        "student/ does not match chapters/: run `make student` and commit student/")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=ids)
def test_student_copy_is_up_to_date(chapter):
    copy = STUDENT / chapter.name
    assert copy.exists(), f"{copy} is missing: run `make student` and commit student/"
    assert copy.read_text(encoding="utf-8") == make_student.render(chapter), (
        f"{copy.relative_to(ROOT)} is stale against {chapter.relative_to(ROOT)}: "
        "run `make student` and commit student/")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=ids)
def test_student_copy_holds_no_solution(chapter):
    book, student = _read(chapter), _read(STUDENT / chapter.name)
    text = STUDENT.joinpath(chapter.name).read_text(encoding="utf-8")
    for marker in ("{solution-start}", "{solution-end}", "{solution}"):
        assert marker not in text
    for cell in student.cells:
        assert "solution" not in cell.metadata.get("tags", [])
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    code = "\n".join(c.source for c in student.cells if c.cell_type == "code")
    markdown = "\n".join(c.source for c in student.cells if c.cell_type == "markdown")
    shown = "\n".join(c.source for c in book.cells
                      if c.cell_type == "code" and c not in _solution_cells(book))
    for cell in _solution_cells(book):
        stub = make_student.stub_source(cell.source)
        for line in cell.source.splitlines():
            line = line.strip()
            if len(line) > 12 and line not in stub and line not in shown:
                assert line not in code, f"{chapter.name}: solution line in the copy: {line}"
    for line in _gated_markdown(book):
        if len(line.strip()) > 12:
            assert line.strip() not in markdown, f"{chapter.name}: solution text: {line}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=ids)
def test_every_check_follows_its_stub(chapter):
    book, student = _read(chapter), _read(STUDENT / chapter.name)
    checks = [c.source for c in book.cells if c.cell_type == "code" and "check.exercise(" in c.source]
    kept = [c.source for c in student.cells if c.cell_type == "code" and "check.exercise(" in c.source]
    assert kept == checks
    stubs = [i for i, c in enumerate(student.cells) if make_student.STUB_TAG in c.metadata.get("tags", [])]
    assert len(stubs) == len(_solution_cells(book))
    for i in stubs:
        later = [c for c in student.cells[i + 1:] if c.cell_type == "code"]
        assert later and "check.exercise(" in later[0].source, (
            f"{chapter.name}: the code cell after a solution should be its check")


def _names(source, ctx):
    try:
        tree = ast.parse(make_student._python_source(source))
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ctx)}


@pytest.mark.parametrize("chapter", CHAPTERS, ids=ids)
def test_no_later_cell_depends_on_a_solution(chapter):
    # The quick, static half of "the student copy runs top to bottom": a stubbed
    # name used after its check (other than by a check) would break the copy.
    pending = set()
    for cell in _read(chapter).cells:
        if cell.cell_type != "code":
            continue
        if "solution" in cell.metadata.get("tags", []):
            pending |= _names(make_student.stub_source(cell.source), ast.Store) | {
                n.name for n in ast.parse(make_student.stub_source(cell.source)).body
                if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        elif "check.exercise(" not in cell.source:
            used = _names(cell.source, ast.Load) & pending
            assert not used, (f"{chapter.name}: a cell uses {sorted(used)} from a solution, "
                              f"which the student copy leaves as a stub:\n{cell.source[:300]}")
            pending -= _names(cell.source, ast.Store)


@pytest.mark.skipif(os.environ.get("CNNLIB_STUDENT_RUN") == "0",
                    reason="CNNLIB_STUDENT_RUN=0: the copies are not executed")
@pytest.mark.parametrize("chapter", CHAPTERS, ids=ids)
def test_student_copy_runs_top_to_bottom_and_reports_not_solved(chapter):
    nbclient = pytest.importorskip("nbclient")
    nb = _read(STUDENT / chapter.name)
    env = {"CNNLIB_PROFILE": "quick", "CNNLIB_OFFLINE": os.environ.get("CNNLIB_OFFLINE", "1"),
           "MPLBACKEND": "Agg"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        with tempfile.TemporaryDirectory() as work:
            nbclient.NotebookClient(nb, timeout=1200, kernel_name="python3",
                                    resources={"metadata": {"path": work}}).execute()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    for cell in nb.cells:
        if cell.cell_type == "code" and "check.exercise(" in cell.source:
            out = "".join(o.get("text", "") for o in cell.outputs)
            assert "not solved yet" in out, f"{chapter.name}: {cell.source!r} printed {out!r}"


# ---------------------------------------------------------------------------
# Colab links resolve to notebooks in the repository.


def _check_colab_link(url):
    m = COLAB.match(url)
    assert m, f"not a Colab GitHub link: {url}"
    owner, name, branch, path = m.groups()
    repo = make_student.repository()
    assert f"https://github.com/{owner}/{name}" == repo["url"], url
    assert branch == repo["branch"], url
    assert (ROOT / path).is_file(), f"{url} opens {path}, which is not in the repository"
    return path


def _toc_files():
    return re.findall(r"^\s*-?\s*(?:file|root):\s*(\S+)", (ROOT / "_toc.yml").read_text(), re.M)


def test_launch_buttons_of_the_toc_open_existing_notebooks():
    # _ext/cnnbook.py points each chapter's Colab button at its colab/ copy.
    repo = make_student.repository()
    notebooks = [f for f in _toc_files() if (ROOT / repo["path_to_book"] / f"{f}.ipynb").is_file()]
    assert notebooks, "no notebook in _toc.yml"
    for f in notebooks:
        stem = f.rsplit("/", 1)[-1]
        url = make_student.colab_url(make_student._in_repo("colab", f"{stem}.ipynb", repo=repo), repo)
        assert _check_colab_link(url).endswith(f"colab/{stem}.ipynb")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=ids)
def test_student_badge_opens_the_student_copy(chapter):
    first = next(c for c in _read(STUDENT / chapter.name).cells if c.cell_type == "markdown")
    urls = COLAB.findall(first.source)
    assert len(urls) == 1
    path = _check_colab_link(COLAB.search(first.source).group(0))
    assert path.endswith(f"student/{chapter.name}")


def test_every_colab_link_in_the_built_site_opens_an_existing_notebook():
    # Run right after a build (`make site-links`, the Pages workflow): a site left over
    # from an older build may name chapters that have moved since.
    if not os.environ.get("CNNLIB_REQUIRE_SITE"):
        pytest.skip("set CNNLIB_REQUIRE_SITE=1 after `make book` (make site-links); "
                    "the toc test covers the links meanwhile")
    html = ROOT / "_build" / "html"
    pages = sorted(html.rglob("*.html")) if html.is_dir() else []
    assert pages, "no built site in _build/html: run `make book` first"
    # A URL with a placeholder (`student/<chapter>.ipynb` in a code block) is a pattern
    # shown to the reader, not a link.
    links = {u for page in pages for u in COLAB.finditer(page.read_text(encoding="utf-8"))
             if "&lt;" not in u.group(0)}
    urls = {m.group(0) for m in links}
    assert urls, "the built site has no Colab links: are launch_buttons.colab_url set?"
    for url in sorted(urls):
        _check_colab_link(url)
    built = {m.group(4) for m in links}
    for chapter in CHAPTERS:
        if f"chapters/{chapter.stem}" in (ROOT / "_toc.yml").read_text():
            assert make_student._in_repo("colab", chapter.name,
                                         repo=make_student.repository()) in built, (
                f"{chapter.name} has no Colab button in the built site: rebuild with `make book`")


def test_the_grading_log_and_student_copy_agree_on_the_check_call():
    # cnnlib.grading finds exercise ids with this pattern; the copies must match it.
    grading = pytest.importorskip("cnnlib.grading")
    for chapter in CHAPTERS:
        nb = _read(STUDENT / chapter.name)
        found = [i for ids_ in grading.check_cells(nb).values() for i in ids_]
        calls = re.findall(r'check\.exercise\("([^"]+)"', "\n".join(c.source for c in nb.cells))
        assert found == calls


# ---------------------------------------------------------------------------
# A solution-free site, and the workflow that publishes the book.


@pytest.mark.parametrize("chapter", CHAPTERS, ids=ids)
def test_site_copy_drops_solutions_and_verdicts_but_keeps_the_rest(chapter):
    book, site = _read(chapter), make_student.site_notebook(chapter)
    text = nbformat.writes(site)
    assert "{solution-start}" not in text and "{solution-end}" not in text
    assert not _solution_cells(site)
    for line in _gated_markdown(book):
        if len(line.strip()) > 12:
            assert line.strip() not in text
    kept = [c for c in book.cells if c.cell_type == "code" and c not in _solution_cells(book)]
    assert [c.source for c in site.cells if c.cell_type == "code"] == [c.source for c in kept]
    for cell in site.cells:
        if cell.cell_type == "code" and "check.exercise(" in cell.source:
            assert cell.outputs == []
    assert text.count("{exercise}") == nbformat.writes(book).count("{exercise}")


def test_site_source_sets_hide_solutions(tmp_path):
    dest = make_student.write_site(tmp_path / "site")
    assert "hide_solutions: true" in (dest / "_config.yml").read_text()
    assert not (dest / "student").exists() and (dest / "_toc.yml").exists()
    with pytest.raises(ValueError, match="inside the repository"):
        make_student.write_site(ROOT / "somewhere")


def test_pages_workflow_builds_with_make_book_and_publishes_the_html():
    flow = (ROOT / ".github" / "workflows" / "pages.yml").read_text()
    assert "run: make book" in flow
    assert re.search(r"upload-pages-artifact@v\d+\s+with:\s+path: _build/html", flow)
    assert "deploy-pages@" in flow and "pages: write" in flow and "id-token: write" in flow


@pytest.mark.parametrize("minor", [4, 5])
def test_render_is_deterministic_even_without_cell_ids(tmp_path, minor):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# A chapter\n\n```{exercise} E\n:label: a-ex1\nDo.\n```\n"
                                      "```{solution-start} a-ex1\n:class: dropdown\n```\nBecause."),
        nbformat.v4.new_code_cell("answer_1 = 42", metadata={"tags": ["solution"]}),
        nbformat.v4.new_markdown_cell("```{solution-end}\n```"),
        nbformat.v4.new_code_cell('check.exercise("a-1", answer_1)'),
    ])
    nb.nbformat_minor = minor
    for cell in nb.cells:
        cell.pop("id", None)
    path = tmp_path / "a.ipynb"
    path.write_text(json.dumps(nb))
    first = make_student.render(path)
    assert first == make_student.render(path)
    assert "Because" not in first and "= 42" not in first and "answer_1 = ..." in first
    assert ('"id"' in first) == (minor == 5)
