"""Write the solution-free student copy of every chapter to student/.

    python scripts/make_student.py            # (re)write student/<chapter>.ipynb
    python scripts/make_student.py --check    # exit 1 if a copy is missing or stale
    python scripts/make_student.py --site DIR # the book's source without solutions

A student copy is its chapter with the answers taken out:

* every code cell tagged ``solution`` (and any code cell between
  ``{solution-start}`` and ``{solution-end}``) becomes a stub derived from the
  cell's syntax tree: ``answer_1 = ...  # your code here`` for a name it
  assigns, the signature with ``raise NotImplementedError  # your code here``
  for a function it defines; the check cell after it stays, and reports
  "not solved yet" until the learner fills the stub in;
* the Markdown of a gated solution (from ``{solution-start}`` to
  ``{solution-end}``) is replaced by a note that the solution is in the book,
  and ``{exercise}`` directives become plain Markdown that Colab can show;
* all outputs and execution counts are cleared;
* the first Markdown cell opens with an "Open in Colab" badge for the copy
  itself and a link to the chapter in the book.

The copies are committed (Colab opens notebooks from the repository), so they
must be regenerated whenever a chapter changes; ``tests/book/test_student.py``
fails when one is stale. The output is a pure function of the chapter and
_config.yml, so ``--check`` compares bytes.
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
STUDENT = ROOT / "student"

STUB = "# your code here"
SOLUTION_TAG = "solution"
STUB_TAG = "student-stub"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"

# A MyST directive fence: ``` or ::: (three or more), then {name}.
_FENCE_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}(?P<arg>.*)$")
_TARGET = re.compile(r"^\(\S+\)=\s*$")  # a MyST label such as (chapter-convolution)=


# ---------------------------------------------------------------------------
# Configuration: where the copies live on GitHub, and where the book is served.


def repository(config_text: str | None = None) -> dict:
    """``url``, ``branch`` and ``path_to_book`` from _config.yml's ``repository:`` block."""
    text = config_text if config_text is not None else (ROOT / "_config.yml").read_text()
    block = re.search(r"^repository:\s*\n((?:[ \t]+.*\n?)+)", text, re.M)
    values = {"url": "", "branch": "main", "path_to_book": ""}
    if block:
        for key in values:
            m = re.search(rf"^\s+{key}:\s*(.*?)\s*$", block.group(1), re.M)
            if m:
                values[key] = m.group(1).strip().strip("\"'")
    values["url"] = values["url"].rstrip("/")
    values["path_to_book"] = values["path_to_book"].strip("/")
    return values


def colab_url(repo_path: str, repo: dict | None = None) -> str:
    """The Colab URL that opens ``repo_path`` (relative to the repository root)."""
    repo = repo or repository()
    gh = re.sub(r"^https?://github\.com/", "", repo["url"])
    return f"https://colab.research.google.com/github/{gh}/blob/{repo['branch']}/{repo_path}"


def pages_url(repo: dict | None = None) -> str:
    """Where GitHub Pages serves the book: https://<owner>.github.io/<name>/."""
    repo = repo or repository()
    owner, name = re.sub(r"^https?://github\.com/", "", repo["url"]).split("/")[:2]
    return f"https://{owner.lower()}.github.io/{name}/"


def _in_repo(*parts: str, repo: dict) -> str:
    return "/".join(p for p in (repo["path_to_book"], *parts) if p)


# ---------------------------------------------------------------------------
# Code: a stub from a solution cell's syntax tree.


def _python_source(source: str) -> str:
    """The cell's source as plain Python (IPython magics turned into calls)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython is always there with Jupyter
        return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                         for line in source.splitlines())
    return TransformerManager().transform_cell(source)


def _bound_names(target) -> list[str]:
    """The plain names an assignment target binds (``a``, ``a, (b, c)``, ``*rest``)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for elt in target.elts for n in _bound_names(elt)]
    return []  # x[0] = ..., obj.attr = ...: binds no new name


def _stub_function(node, indent: str = "") -> list[str]:
    """The header of a def (decorators, signature, docstring), body ``raise NotImplementedError``."""
    body = []
    doc = ast.get_docstring(node, clean=False)
    if doc is not None:
        body.append(node.body[0])
    body.append(ast.Raise(exc=ast.Name("NotImplementedError", ast.Load()), cause=None))
    stub = copy.copy(node)
    stub.body = body
    lines = ast.unparse(ast.fix_missing_locations(stub)).splitlines()
    lines[-1] += f"  {STUB}"
    return [indent + line for line in lines]


def _stub_class(node, indent: str = "") -> list[str]:
    """A class with its header and every method stubbed; other class-level code dropped."""
    header = copy.copy(node)
    header.body = [ast.Pass()]
    lines = ast.unparse(header).splitlines()[:-1]  # drop the `pass`
    lines = [indent + line for line in lines]
    doc = ast.get_docstring(node, clean=False)
    inner = indent + "    "
    if doc is not None:
        lines += [inner + line for line in ast.unparse(node.body[0]).splitlines()]
    methods = [n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for i, method in enumerate(methods):
        if i or doc is not None:
            lines.append("")
        lines += _stub_function(method, inner)
    if not methods:
        lines.append(f"{inner}...  {STUB}")
    return lines


def stub_source(source: str) -> str:
    """The stub of a solution cell: the names and signatures it defines, no body.

    Imports stay (later cells may rely on them); every other statement goes.
    """
    tree = ast.parse(_python_source(source))
    out: list[str] = []
    stubbed: set[str] = set()

    def stub_names(names):
        for name in names:
            if name not in stubbed:
                stubbed.add(name)
                out.append(f"{name} = ...  {STUB}")

    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out.append(ast.unparse(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if out:
                out.append("")
            out += _stub_function(node)
            out.append("")
            stubbed.add(node.name)
        elif isinstance(node, ast.ClassDef):
            if out:
                out.append("")
            out += _stub_class(node)
            out.append("")
            stubbed.add(node.name)
        elif isinstance(node, ast.Assign):
            stub_names(n for t in node.targets for n in _bound_names(t))
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            stub_names(_bound_names(node.target))
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            stub_names(_bound_names(node.target))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            stub_names(n for item in node.items if item.optional_vars is not None
                       for n in _bound_names(item.optional_vars))
    text = "\n".join(out).strip("\n")
    return text or f"...  {STUB}"


# ---------------------------------------------------------------------------
# Markdown: gated solutions out, exercises as plain Markdown.


def _split_directive(lines: list[str], start: int):
    """(name, arg, options, body, end) of the directive opening at ``lines[start]``."""
    m = _FENCE_OPEN.match(lines[start])
    fence = m.group("fence")
    closing = re.compile(rf"^\s{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    end = start + 1
    while end < len(lines) and not closing.match(lines[end]):
        end += 1
    inner = lines[start + 1:end]
    options = {}
    while inner and re.match(r"^:[\w-]+:", inner[0]):
        key, _, value = inner.pop(0)[1:].partition(":")
        options[key] = value.strip()
    return m.group("name"), m.group("arg").strip(), options, inner, min(end, len(lines) - 1)


class _Gate:
    """Walks a chapter's Markdown cells in order; remembers whether a gated solution is open."""

    def __init__(self, note: str, plain: bool = True):
        self.open = False
        self.note = [note, ""] if note else []
        self.plain = plain  # exercises as plain Markdown, MyST labels dropped (for Colab)
        self.exercises = 0

    def markdown(self, text: str) -> str:
        lines = text.split("\n")
        out: list[str] = []
        i = 0
        while i < len(lines):
            m = _FENCE_OPEN.match(lines[i])
            name = m.group("name") if m else None
            if self.open:
                if name == "solution-end":
                    self.open = False
                    _, _, _, _, i = _split_directive(lines, i)
                i += 1
                continue
            if name == "solution-start":
                self.open = True
                _, _, _, _, i = _split_directive(lines, i)
                out += self.note
            elif name == "solution":  # an ungated {solution} directive: all of it goes
                _, _, _, _, i = _split_directive(lines, i)
                out += self.note
            elif not self.plain:
                out.append(lines[i])
            elif name == "exercise":
                _, title, _, body, i = _split_directive(lines, i)
                self.exercises += 1
                heading = f"**Exercise {self.exercises}" + (f": {title}**" if title else "**")
                out += [heading, "", *body]
            elif _TARGET.match(lines[i]):
                pass  # a MyST label: meaningless outside the book
            else:
                out.append(lines[i])
            i += 1
        return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")


# ---------------------------------------------------------------------------
# Notebooks.


def _header(chapter: Path, title: str, repo: dict) -> str:
    student_path = _in_repo("student", chapter.name, repo=repo)
    book_page = f"{pages_url(repo)}chapters/{chapter.stem}.html"
    return (
        f"[![Open In Colab]({COLAB_BADGE})]({colab_url(student_path, repo)})\n\n"
        f"*Student copy of [{title}]({book_page}): the solutions are taken out. "
        f"Write your answer where a cell says `{STUB}`, then run the check cell "
        "after it: it says whether the answer is right and, if not, what is off. "
        "Generated by `make student` from "
        f"`{_in_repo('chapters', chapter.name, repo=repo)}`; do not edit.*"
    )


def _title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+?)\s*$", cell.source, re.M)
            if m:
                return m.group(1)
    return "this chapter"


def _read(chapter: Path):
    """The chapter as a notebook node; a cell without an id gets a stable one."""
    raw = json.loads(chapter.read_text(encoding="utf-8"))
    if (raw.get("nbformat"), raw.get("nbformat_minor", 0)) >= (4, 5):
        for i, cell in enumerate(raw.get("cells", [])):
            if not cell.get("id"):
                cell["id"] = hashlib.sha1(f"{chapter.stem}:{i}".encode()).hexdigest()[:8]
    return nbformat.reads(json.dumps(raw), as_version=4)


def student_notebook(chapter: Path, repo: dict | None = None):
    """The student copy of ``chapter`` as a notebook node (nothing is written)."""
    repo = repo or repository()
    nb = _read(chapter)
    title = _title(nb)
    gate = _Gate("*The solution is in the book, under this exercise.*")
    cells = []
    for cell in nb.cells:
        cell = copy.deepcopy(cell)
        tags = list(cell.metadata.get("tags", []))
        if cell.cell_type == "code":
            if SOLUTION_TAG in tags or gate.open:
                cell.source = stub_source(cell.source)
                tags = [t for t in tags if t not in (SOLUTION_TAG, "remove-input", "hide-input",
                                                     "remove-cell")]
                tags.append(STUB_TAG)
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            cell.source = gate.markdown(cell.source)
            if not cell.source.strip():
                continue
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
        cell.metadata.pop("execution", None)
        cells.append(cell)
    if gate.open:
        raise ValueError(f"{chapter.name}: a {{solution-start}} has no {{solution-end}}")
    first_md = next((c for c in cells if c.cell_type == "markdown"), None)
    header = _header(chapter, title, repo)
    if first_md is None:
        cells.insert(0, nbformat.v4.new_markdown_cell(header))
        if (nb.nbformat, nb.nbformat_minor) >= (4, 5):
            cells[0]["id"] = hashlib.sha1(f"{chapter.stem}:header".encode()).hexdigest()[:8]
        else:
            cells[0].pop("id", None)
    else:
        first_md.source = header + "\n\n" + first_md.source
    nb.cells = cells
    return nb



def site_notebook(chapter: Path):
    """``chapter`` for a solution-free site: gated solutions (Markdown and code) and
    the stored verdicts of the checks removed, every other output kept."""
    nb = _read(chapter)
    gate = _Gate("", plain=False)
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            if SOLUTION_TAG in cell.metadata.get("tags", []) or gate.open:
                continue
            if "check.exercise(" in cell.source:
                cell.outputs, cell.execution_count = [], None
        elif cell.cell_type == "markdown":
            cell.source = gate.markdown(cell.source)
            if not cell.source.strip():
                continue
        cells.append(cell)
    nb.cells = cells
    return nb


def write_site(dest: Path) -> Path:
    """A copy of the book's source in ``dest`` without solutions, to build with
    ``jupyter-book build <dest>``; its _config.yml also sets ``hide_solutions``."""
    import shutil

    dest = Path(dest).resolve()
    if (dest == ROOT or ROOT in dest.parents) and ROOT / "_build" not in dest.parents:
        raise ValueError(f"write_site: {dest} is inside the repository; pick a folder "
                         "under _build/ or outside it")
    skip = {".git", ".venv", "_build", ".data", "student", ".pytest_cache", ".hypothesis",
            ".ruff_cache", "__pycache__", ".ipynb_checkpoints"}
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(ROOT, dest, ignore=lambda d, names: [n for n in names if n in skip])
    for chapter in chapters():
        nbformat.write(site_notebook(chapter), dest / "chapters" / chapter.name)
    config = dest / "_config.yml"
    text = config.read_text()
    if "hide_solutions" not in text:
        if re.search(r"^sphinx:\n(?:[ \t].*\n)*?  config:[ \t]*\n", text, re.M):
            text = re.sub(r"^(sphinx:\n(?:[ \t].*\n)*?  config:[ \t]*\n)",
                          r"\1    hide_solutions: true\n", text, count=1, flags=re.M)
        else:
            text += "\nsphinx:\n  config:\n    hide_solutions: true\n"
    config.write_text(text)
    return dest


def render(chapter: Path, repo: dict | None = None) -> str:
    """The exact text of ``student/<chapter>.ipynb``."""
    return nbformat.writes(student_notebook(chapter, repo)) + "\n"


def chapters() -> list[Path]:
    return sorted(CHAPTERS.glob("*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a student copy is missing, stale or orphaned")
    parser.add_argument("--site", metavar="DIR",
                        help="instead, write the book's source without solutions to DIR "
                             "(then: jupyter-book build DIR)")
    args = parser.parse_args(argv)
    if args.site:
        dest = write_site(Path(args.site))
        print(f"solution-free book source in {dest}; build it with: jupyter-book build {dest}")
        return 0
    repo = repository()
    wanted = {STUDENT / ch.name: render(ch, repo) for ch in chapters()}
    orphans = sorted(set(STUDENT.glob("*.ipynb")) - set(wanted))
    if args.check:
        stale = [p for p, text in wanted.items()
                 if not p.exists() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            print(f"stale or missing: {p.relative_to(ROOT)}")
        for p in orphans:
            print(f"no chapter for: {p.relative_to(ROOT)}")
        if stale or orphans:
            print("run `make student` and commit student/")
            return 1
        print(f"student/: {len(wanted)} copies up to date")
        return 0
    STUDENT.mkdir(exist_ok=True)
    for path, text in wanted.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    for p in orphans:
        p.unlink()
        print(f"removed {p.relative_to(ROOT)} (its chapter is gone)")
    print(f"student/: {len(wanted)} copies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
