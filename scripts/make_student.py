"""Write the two Colab copies of every chapter: colab/ (with solutions) and student/ (without).

    python scripts/make_student.py            # (re)write colab/ and student/ (`make student`)
    python scripts/make_student.py --check    # exit 1 if a copy is missing or stale
    python scripts/make_student.py --site DIR # the book's source without solutions

Both copies read like the book's page, in Markdown that Colab and Jupyter render
(:class:`MystToMarkdown`): admonitions become quoted blocks with a bold title;
``{glue:text}`` and ``{glue}`` the value the chapter's stored outputs glued, formatted
as on the site (``:.4f``, ``:,``); ``{ref}``, ``{doc}``, ``{numref}``, ``{term}`` and
links to labels (``[kernel](glossary-kernel)``) links into the published book
(_config.yml's ``html: baseurl``); ``(label)=`` targets go; ``{exercise}`` becomes the
heading "Exercise <chapter>.<n>: title"; ``$``/``$$`` math stays. Outputs and execution
counts are cleared. The first Markdown cell opens with an "Open in Colab" badge for the
copy itself and a link to the chapter in the book.

* ``colab/`` — what the site's launch buttons and badges open: the chapter with its
  solutions, the Markdown of each in a ``<details><summary>Solution</summary>`` block
  and its code in a cell Colab shows folded.
* ``student/`` — the answers taken out: every code cell tagged ``solution`` (and any
  code cell between ``{solution-start}`` and ``{solution-end}``) becomes a stub derived
  from the cell's syntax tree (``answer_1 = ...  # your code here`` for a name it
  assigns, the signature with ``raise NotImplementedError  # your code here`` for a
  function it defines); the check cell after it stays, and reports "not solved yet"
  until the learner fills the stub in; a gated solution's Markdown is replaced by a
  link to it in the book.

The copies are committed (Colab opens notebooks from the repository), so they
must be regenerated whenever a chapter changes; tests/book/test_copies.py and
test_student.py fail when one is stale. The output is a pure function of the book's
sources and _config.yml, so ``--check`` compares bytes.
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import json
import os
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
    """Walks a chapter's Markdown cells in order; remembers whether a gated solution is open.

    ``mode`` says what becomes of a gated solution's Markdown: ``"site"`` drops it and
    keeps every other line as MyST; ``"student"`` puts ``note`` in its place (``{label}``
    in the note is the exercise's label); ``"colab"`` keeps it inside a
    ``<details><summary>Solution</summary>`` block, one per cell.
    """

    def __init__(self, note: str = "", plain: bool = True, mode: str | None = None):
        self.open = False
        self.mode = mode or ("student" if plain else "site")
        self.note = note
        self.label = ""

    def _note(self) -> list[str]:
        return [self.note.replace("{label}", self.label), ""] if self.note else []

    def markdown(self, text: str) -> str:
        lines = text.split("\n")
        out: list[str] = []
        hidden: list[str] = []  # this cell's lines of an open solution (kept for Colab)

        def close():
            if self.mode == "colab" and any(line.strip() for line in hidden):
                out.extend([DETAILS_OPEN, "", *hidden, "", DETAILS_CLOSE, ""])
            hidden.clear()

        i = 0
        while i < len(lines):
            m = _FENCE_OPEN.match(lines[i])
            name = m.group("name") if m else None
            if self.open:
                if name == "solution-end":
                    self.open = False
                    _, _, _, _, i = _split_directive(lines, i)
                    close()
                else:
                    hidden.append(lines[i])
                i += 1
                continue
            if name in ("solution-start", "solution"):
                _, self.label, _, body, i = _split_directive(lines, i)
                if self.mode != "colab":
                    out += self._note()
                if name == "solution-start":
                    self.open = True
                else:  # an ungated {solution} directive: its body is the solution
                    hidden.extend(body)
                    close()
            else:
                out.append(lines[i])
            i += 1
        close()
        return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")


# ---------------------------------------------------------------------------
# MyST to the Markdown Colab and Jupyter render.

DETAILS_OPEN = "<details><summary>Solution</summary>"
DETAILS_CLOSE = "</details>"
ADMONITIONS = ("admonition", "note", "warning", "tip", "important", "caution", "attention",
               "danger", "error", "hint", "seealso")
# What a reviewer looks for in a copy (the before-stop hook's pattern, and any other role).
MYST_LEFT = re.compile(r"\{(glue:text|glue|ref|doc|numref|term)\}`|^:::\{|^```\{", re.M)
_ROLE = re.compile(r"\{(?P<name>[\w:+-]+)\}`(?P<body>[^`]*)`")
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)")
_PLAIN_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?!\{)")


def config_value(section: str, key: str, config_text: str | None = None) -> str:
    """``section: key:`` from _config.yml (a flat two-level read: no YAML library needed)."""
    text = config_text if config_text is not None else (ROOT / "_config.yml").read_text()
    block = re.search(rf"^{section}:\s*\n((?:[ \t]+.*\n?|\s*\n)+)", text, re.M)
    if block:
        m = re.search(rf"^\s+{key}:\s*(.*?)\s*(?:#.*)?$", block.group(1), re.M)
        if m:
            return m.group(1).strip().strip("\"'")
    return ""


def site_url(repo: dict | None = None) -> str:
    """The published book's address: _config.yml's ``html: baseurl:``, else GitHub Pages'."""
    base = config_value("html", "baseurl") or pages_url(repo)
    return base.rstrip("/") + "/"


def toc_files() -> list[str]:
    """The book's pages in _toc.yml's order, without suffix (``chapters/convolution``)."""
    return re.findall(r"^\s*-?\s*(?:file|root):\s*(\S+)", (ROOT / "_toc.yml").read_text(), re.M)


def chapter_numbers() -> dict[str, int]:
    """stem -> the chapter's number as the site shows it ("Exercise 2.1" in chapter 2).

    Jupyter Book numbers the pages of the parts marked ``numbered: true`` in _toc.yml,
    one count across those parts, in order; pages that do not exist are skipped, as
    Sphinx skips them. A chapter outside a numbered part has no number."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8")) or {}
    numbers, n = {}, 0
    for part in toc.get("parts", [{"chapters": toc.get("chapters", []),
                                   "numbered": toc.get("numbered", False)}]):
        for entry in part.get("chapters", []):
            page = entry.get("file", "")
            if not part.get("numbered") or not any(
                    (ROOT / f"{page}{ext}").is_file() for ext in (".md", ".ipynb")):
                continue
            n += 1
            if page.startswith("chapters/"):
                numbers[page.split("/", 1)[1]] = n
    return numbers


def _page_source(page: str) -> tuple[str, list[str]]:
    """The page's Markdown as one text, and its Markdown cells' texts (one for a .md)."""
    md, nb = ROOT / f"{page}.md", ROOT / f"{page}.ipynb"
    if nb.is_file():
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        texts = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    elif md.is_file():
        texts = [md.read_text(encoding="utf-8")]
    else:
        texts = []
    return "\n\n".join(texts), texts


def labels() -> dict[str, tuple[str, str]]:
    """label -> (page, title) for every ``(label)=`` target and exercise ``:label:`` of the book.

    The title is the heading after the target (what ``{ref}`label``` shows on the site)."""
    found: dict[str, tuple[str, str]] = {}
    for page in toc_files():
        text, _ = _page_source(page)
        lines = text.split("\n")
        for i, line in enumerate(lines):
            m = re.match(r"^\((\S+)\)=\s*$", line)
            if m:
                nxt = next((x for x in lines[i + 1:] if x.strip()), "")
                title = re.sub(r"^#+\s*", "", nxt).strip() if nxt.startswith("#") else ""
                title = title or re.split(r"\s+[—–-]\s+", nxt.strip())[0]
                found[m.group(1)] = (page, title)
            m = re.match(r"^:label:\s*(\S+)", line)
            if m:
                found[m.group(1)] = (page, "this exercise")
    return found


def page_titles() -> dict[str, str]:
    """page -> its first heading (what ``{doc}`page``` shows)."""
    titles = {}
    for page in toc_files():
        text, _ = _page_source(page)
        m = re.search(r"^#\s+(.+?)\s*$", text, re.M)
        titles[page] = m.group(1) if m else page
    return titles


def glued_values(nb) -> dict[str, dict]:
    """name -> the MIME bundle a notebook glued (``myst_nb.glue``'s stored outputs)."""
    values = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook")
            if not meta:
                continue
            prefix = meta.get("mime_prefix", "application/papermill.record/")
            values[meta["name"]] = {k[len(prefix):] if k.startswith(prefix) else k: v
                                    for k, v in out.get("data", {}).items()}
    return values


def format_glued(text: str, fmt_spec: str) -> str:
    """``{glue:text}`key:fmt``` as the site shows it (MyST-NB's own formatter)."""
    try:
        from myst_nb.core.variables import format_plain_text
    except ImportError:  # pragma: no cover - myst-nb is in requirements.txt
        format_plain_text = None
    if format_plain_text is not None:
        return format_plain_text(text, fmt_spec)
    try:  # pragma: no cover - the same rules, for a venv without myst-nb
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if not fmt_spec:
        return str(value)
    kind = fmt_spec[-1]
    value = (str(value) if kind == "s" else int(value) if kind in "bcdoxX"
             else float(value) if kind in "eEfFgGn%" else value)
    return format(value, fmt_spec)


class MystToMarkdown:
    """One chapter's MyST Markdown as plain Markdown: what Colab and Jupyter render.

    Admonitions become quoted blocks with a bold title; glued values the stored value
    formatted as on the site; ``{ref}``, ``{doc}``, ``{numref}``, ``{term}`` and links to
    labels (``[kernel](glossary-kernel)``) links into the published book; ``(label)=``
    targets disappear; ``{exercise}`` becomes "Exercise <chapter>.<n>: title"; math stays.
    """

    def __init__(self, chapter: Path, nb, repo: dict):
        self.chapter = chapter
        self.page = f"chapters/{chapter.stem}"
        self.glued = glued_values(nb)
        self.base = site_url(repo)
        self.repo = repo
        self.labels = labels()
        self.titles = page_titles()
        self.number = chapter_numbers().get(chapter.stem)
        self.exercises = 0

    # -- links --------------------------------------------------------------------------

    def page_url(self, page: str, anchor: str = "") -> str:
        return f"{self.base}{page}.html" + (f"#{anchor}" if anchor else "")

    def label_url(self, label: str) -> str:
        if label not in self.labels:
            raise ValueError(f"{self.chapter.name}: no page of the book defines the label "
                             f"{label!r}; known labels start with "
                             f"{sorted({k.split('-')[0] for k in self.labels})}")
        page, _ = self.labels[label]
        first = re.search(r"^\((\S+)\)=", _page_source(page)[0])
        return self.page_url(page, "" if first and first.group(1) == label else label)

    def _doc(self, target: str) -> str:
        target = target.removesuffix(".md").removesuffix(".ipynb")
        if target.startswith("/"):
            return target.lstrip("/")
        here = Path(self.page).parent
        near = os.path.normpath((here / target).as_posix())
        return near if (ROOT / f"{near}.md").exists() or (ROOT / f"{near}.ipynb").exists() \
            else target

    def role(self, m: re.Match) -> str:
        name, body = m.group("name"), m.group("body")
        text, target = body, body
        explicit = re.match(r"^(.*?)\s*<([^>]+)>$", body, re.S)
        if explicit:
            text, target = explicit.groups()
        if name in ("glue:text", "glue", "glue:any", "glue:"):
            key, _, fmt = body.rpartition(":") if name == "glue:text" and ":" in body else (
                body, "", "")
            if key not in self.glued:
                raise ValueError(f"{self.chapter.name}: {{{name}}}`{body}` pastes {key!r}, "
                                 "which the chapter's stored outputs do not glue; run the "
                                 "chapter (make outputs) or fix the name")
            data = self.glued[key]
            if "text/plain" not in data and name == "glue:text":
                raise ValueError(f"{self.chapter.name}: {key!r} has no text/plain output")
            if name != "glue:text" and "text/markdown" in data:
                return "".join(data["text/markdown"]).strip()
            return format_glued("".join(data.get("text/plain", "")), fmt)
        if name == "ref":
            page, title = self.labels.get(target, (None, target))
            if target not in self.labels:
                self.label_url(target)  # raises with the list of known labels
            return f"[{text if explicit else title}]({self.label_url(target)})"
        if name == "numref":
            return f"[{text}]({self.label_url(target)})"
        if name == "doc":
            page = self._doc(target)
            return f"[{text if explicit else self.titles.get(page, page)}]({self.page_url(page)})"
        if name == "term":
            anchor = "glossary-" + re.sub(r"[^a-z0-9]+", "-", target.lower()).strip("-")
            return f"[{text}]({self.page_url('glossary', anchor if anchor in self.labels else '')})"
        if name == "math":
            return f"${body}$"
        if name in ("sub", "sup", "kbd"):
            return f"<{name}>{body}</{name}>"
        return f"`{body}`" if name in ("code", "file", "command", "samp") else text

    def link(self, m: re.Match) -> str:
        text, target = m.group("text"), m.group("target")
        if re.match(r"^[a-z]+:", target):  # http:, https:, mailto:
            return m.group(0)
        if target in self.labels:
            return f"[{text}]({self.label_url(target)})"
        path, _, anchor = target.partition("#")
        if path.endswith((".md", ".ipynb")):
            return f"[{text}]({self.page_url(self._doc(path), anchor)})"
        if not path and anchor:
            return f"[{text}]({self.page_url(self.page, anchor)})"
        return m.group(0)

    def inline(self, text: str) -> str:
        return _LINK.sub(self.link, _ROLE.sub(self.role, text))

    # -- blocks -------------------------------------------------------------------------

    def directive(self, name: str, arg: str, options: dict, body: list[str]) -> list[str]:
        inner = self.convert("\n".join(body)).split("\n")
        if name in ADMONITIONS:
            title = arg or name.capitalize()
            if name == "seealso" and not arg:
                title = "See also"
            quoted = [f"> {line}" if line else ">" for line in inner]
            return [f"> **{self.inline(title)}**", ">", *quoted]
        if name == "exercise":
            self.exercises += 1
            number = f"{self.number}.{self.exercises}" if self.number else str(self.exercises)
            heading = f"### Exercise {number}" + (f": {self.inline(arg)}" if arg else "")
            return [heading, "", *inner]
        if name in ("figure", "image"):
            url = arg if re.match(r"^[a-z]+:", arg) else (
                f"https://raw.githubusercontent.com/"
                f"{re.sub(r'^https?://github.com/', '', self.repo['url'])}/{self.repo['branch']}/"
                f"{_in_repo((Path(self.page).parent / arg).as_posix(), repo=self.repo)}")
            alt = options.get("alt", " ".join(inner).strip() or Path(arg).stem)
            return [f"![{alt}]({url})", "", *([f"*{' '.join(inner).strip()}*"] if inner
                                             and name == "figure" else [])]
        if name in ("math",):
            return ["$$", *body, "$$"]
        if name in ("code-block", "code", "sourcecode"):
            return [f"```{arg}", *body, "```"]
        if name in ("margin", "sidebar", "epigraph", "topic", "card", "dropdown"):
            quoted = [f"> {line}" if line else ">" for line in inner]
            return ([f"> **{self.inline(arg)}**", ">"] if arg else []) + quoted
        if name in ("glue", "glue:any", "glue:figure", "glue:math"):
            return [self.role(re.match(_ROLE, f"{{glue}}`{arg}`"))]
        # Anything else keeps its content, without the fence.
        return inner

    def convert(self, text: str) -> str:
        lines = text.split("\n")
        out: list[str] = []
        plain: list[str] = []

        def flush():
            if plain:
                out.extend(self.inline("\n".join(plain)).split("\n"))
                plain.clear()

        i = 0
        while i < len(lines):
            line = lines[i]
            fence = _PLAIN_FENCE.match(line)
            if _FENCE_OPEN.match(line):
                flush()
                name, arg, options, body, i = _split_directive(lines, i)
                out += self.directive(name, arg, options, body)
            elif fence:  # a code block: copied as it is
                flush()
                mark = fence.group("fence")
                out.append(line)
                i += 1
                while i < len(lines) and not re.match(
                        rf"^ {{0,3}}{re.escape(mark[0])}{{{len(mark)},}}\s*$", lines[i]):
                    out.append(lines[i])
                    i += 1
                if i < len(lines):
                    out.append(lines[i])
            elif _TARGET.match(line):
                pass  # a MyST label: meaningless outside the book
            else:
                plain.append(line)
            i += 1
        flush()
        return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")


# ---------------------------------------------------------------------------
# Notebooks.


def _header(chapter: Path, title: str, repo: dict, kind: str = "student") -> str:
    path = _in_repo(kind, chapter.name, repo=repo)
    book_page = f"{site_url(repo)}chapters/{chapter.stem}.html"
    source = _in_repo("chapters", chapter.name, repo=repo)
    badge = f"[![Open In Colab]({COLAB_BADGE})]({colab_url(path, repo)})\n\n"
    if kind == "colab":
        return badge + (
            f"*The Colab copy of [{title}]({book_page}), the chapter as the book shows it, "
            "solutions included (under each exercise, folded). Run the cells from the top. "
            f"Generated by `make student` from `{source}`; do not edit.*")
    return badge + (
        f"*Student copy of [{title}]({book_page}): the solutions are taken out. "
        f"Write your answer where a cell says `{STUB}`, then run the check cell "
        "after it: it says whether the answer is right and, if not, what is off. "
        f"Generated by `make student` from `{source}`; do not edit.*")


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


KINDS = ("student", "colab")


def copy_notebook(chapter: Path, repo: dict | None = None, kind: str = "student"):
    """The ``kind`` copy of ``chapter`` (``"student"`` or ``"colab"``) as a notebook node.

    Both are plain Markdown (no MyST), without outputs; the student copy has stubs for
    the solutions and a link to the book instead of their text, the Colab copy has them.
    """
    if kind not in KINDS:
        raise ValueError(f"copy_notebook: kind={kind!r}; use one of {KINDS}")
    repo = repo or repository()
    nb = _read(chapter)
    title = _title(nb)
    myst = MystToMarkdown(chapter, nb, repo)
    book_page = f"{site_url(repo)}chapters/{chapter.stem}.html"
    gate = _Gate(f"*The solution is in [the book]({book_page}#{{label}}), under this exercise.*",
                 mode=kind)
    cells = []
    for cell in nb.cells:
        cell = copy.deepcopy(cell)
        tags = list(cell.metadata.get("tags", []))
        if cell.cell_type == "code":
            solution = SOLUTION_TAG in tags or gate.open
            if solution and kind == "student":
                cell.source = stub_source(cell.source)
                tags = [t for t in tags if t not in (SOLUTION_TAG, "remove-input", "hide-input",
                                                     "remove-cell")]
                tags.append(STUB_TAG)
            elif solution:  # Colab folds a cell with a form title: the solution, one click away
                cell.source = f"# @title Solution (double-click to see the code)\n{cell.source}"
                cell.metadata["cellView"] = "form"
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            cell.source = myst.convert(gate.markdown(cell.source))
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
    header = _header(chapter, title, repo, kind)
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


def student_notebook(chapter: Path, repo: dict | None = None):
    """The student copy of ``chapter`` as a notebook node (nothing is written)."""
    return copy_notebook(chapter, repo, "student")


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


def render(chapter: Path, repo: dict | None = None, kind: str = "student") -> str:
    """The exact text of ``<kind>/<chapter>.ipynb`` (``student/`` or ``colab/``)."""
    return nbformat.writes(copy_notebook(chapter, repo, kind)) + "\n"


def chapters() -> list[Path]:
    """Every chapter of _toc.yml that is a notebook in chapters/, in file-name order."""
    listed = {f.split("/", 1)[1] for f in toc_files() if f.startswith("chapters/")}
    return sorted(p for p in CHAPTERS.glob("*.ipynb") if p.stem in listed)


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
    wanted, failed = {}, []
    for ch in chapters():
        for kind in KINDS:
            try:
                wanted[ROOT / kind / ch.name] = render(ch, repo, kind)
            except ValueError as exc:  # e.g. a new chapter whose outputs are not stored yet
                failed.append(f"{kind}/{ch.name}: {exc}")
    kept = {ROOT / kind / ch.name for kind in KINDS for ch in chapters()}
    orphans = sorted({p for kind in KINDS for p in (ROOT / kind).glob("*.ipynb")} - kept)
    for line in failed:
        print(f"cannot write {line}", file=sys.stderr)
    if args.check:
        stale = [p for p, text in wanted.items()
                 if not p.exists() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            print(f"stale or missing: {p.relative_to(ROOT)}")
        for p in orphans:
            print(f"no chapter for: {p.relative_to(ROOT)}")
        if stale or orphans or failed:
            print("run `make student` and commit student/ and colab/")
            return 1
        print(f"student/, colab/: {len(wanted)} copies up to date")
        return 0
    for kind in KINDS:
        (ROOT / kind).mkdir(exist_ok=True)
    for path, text in wanted.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    for p in orphans:
        p.unlink()
        print(f"removed {p.relative_to(ROOT)} (its chapter is gone)")
    print(f"student/, colab/: {len(wanted)} copies")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
