"""The book's own Sphinx additions (registered in _config.yml under ``sphinx: local_extensions``).

* (Jupyter Book itself adds ``_static/cnnbook.css``, the book's stylesheet.)
* Colab opens the ``colab/`` copy: the theme builds its launch button from the page's
  path (``chapters/<x>.ipynb``, MyST that Colab shows as source); this points it at
  ``colab/<x>.ipynb`` (written by ``make student``), and drops a Colab button whose
  copy does not exist rather than open the raw chapter.
* An "Open in Colab" badge under each chapter's title, to the same copy.
* Alt text for the figures a cell draws: the title the code gives the figure
  (``suptitle``/``set_title``/``title=``), else the cell's first comment line.
* ``{{ chapter_times }}``, a MyST substitution for the intro: a table of each chapter's
  measured minutes in both profiles, read from the record ``chapter_times.json``
  (written by ``scripts/run_notebooks.py``) when the book is built.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes

_CHAPTER = re.compile(r"^(?P<head>https://colab\.research\.google\.com/github/[^/]+/[^/]+/blob/"
                      r"[^/]+/)(?P<book>(?:.+/)?)chapters/(?P<stem>[\w-]+)\.ipynb$")
_TITLE = re.compile(r"""\b(?:suptitle|set_title|title)\s*[(=]\s*f?(["'])(.{3,}?)\1""")
_CALL = re.compile(r"\b((?:viz|plt|ax|axes\[\d\]|fig)\.\w+)\(")
_COMMENT = re.compile(r"^\s*#\s*(?!@|!|%)(.{3,}?)\s*$", re.M)


def _repo(app) -> tuple[str, str, str]:
    opts = app.config.html_theme_options or {}
    url = opts.get("repository_url", "").rstrip("/")
    gh = re.sub(r"^https?://github\.com/", "", url)
    return gh, opts.get("repository_branch", "main") or "main", (opts.get("path_to_docs") or "").strip("/")


def colab_copy_url(app, stem: str) -> str | None:
    """The Colab URL of ``colab/<stem>.ipynb``, or None when that copy is not in the repository."""
    gh, branch, book = _repo(app)
    path = "/".join(p for p in (book, "colab", f"{stem}.ipynb") if p)
    if not gh or not (Path(app.srcdir) / "colab" / f"{stem}.ipynb").is_file():
        return None
    return f"https://colab.research.google.com/github/{gh}/blob/{branch}/{path}"


def _rewrite_launch_buttons(app, pagename, templatename, context, doctree):
    for group in context.get("header_buttons", []):
        buttons = group.get("buttons")
        if not buttons:
            continue
        kept = []
        for button in buttons:
            m = _CHAPTER.match(button.get("url") or "")
            if "colab.research.google.com" in (button.get("url") or ""):
                url = colab_copy_url(app, m.group("stem")) if m else None
                if url is None:
                    continue
                button["url"] = url
            kept.append(button)
        group["buttons"] = kept


def _badge(app, doctree):
    docname = app.env.docname
    if not docname.startswith("chapters/"):
        return
    url = colab_copy_url(app, docname.split("/", 1)[1])
    section = doctree.next_node(nodes.section)
    if url is None or section is None:
        return
    # The theme's own Colab logo, from the site itself: the badge shows offline too.
    logo = "../" * docname.count("/") + "_static/images/logo_colab.png"
    html = (f'<p class="cnnbook-colab"><a class="cnnbook-colab__badge" href="{url}">'
            f'<img src="{logo}" alt="" width="20" height="20">Open in Colab</a></p>')
    title = section.next_node(nodes.title)
    section.insert(section.index(title) + 1 if title is not None else 0,
                   nodes.raw("", html, format="html"))


def figure_alt(source: str) -> str:
    """What a cell's figure shows, from its code: the title it sets, else its first comment."""
    m = _TITLE.search(source)
    if m:
        return re.sub(r"\{[^{}]*\}", "…", m.group(2)).strip()
    m = _COMMENT.search(source)
    if m and not m.group(1).lower().startswith(("noqa", "type:", "pragma")):
        return m.group(1).strip()
    calls = [c for c in _CALL.findall(source) if c.startswith("viz.")] or _CALL.findall(source)
    return f"Figure drawn by {calls[0]}()" if calls else ""


def _alt_text(app, doctree, docname):
    for cell in doctree.findall(nodes.container):
        if "cell" not in cell.get("classes", []):
            continue
        code = next((n.astext() for n in cell.findall(nodes.literal_block)), "")
        alt = figure_alt(code) or "A figure drawn by the code cell above"
        for image in cell.findall(nodes.image):
            if not image.get("alt"):
                image["alt"] = alt


def chapter_times_table(srcdir) -> str:
    """The Markdown table of ``chapter_times.json``, chapters in _toc.yml's order."""
    srcdir = Path(srcdir)
    record = srcdir / "chapter_times.json"
    missing = ("*The chapters' measured times appear here once `chapter_times.json` is "
               "recorded (`make outputs`); each chapter's opening box gives its own.*")
    if not record.is_file():
        return missing
    data = json.loads(record.read_text(encoding="utf-8"))
    times = data.get("chapters", data)
    toc = re.findall(r"^\s*-?\s*file:\s*chapters/(\S+)", (srcdir / "_toc.yml").read_text(), re.M)
    rows = ["| chapter | full profile (the book's run) | quick profile |", "|---|---:|---:|"]

    def minutes(entry, key):
        value = entry.get(key)
        return "—" if value is None else f"{value / 60:.1f} min"

    for stem in toc:
        if stem in times:
            entry = times[stem]
            rows.append(f"| [](chapters/{stem}) | {minutes(entry, 'full_seconds')} "
                        f"| {minutes(entry, 'quick_seconds')} |")
    if len(rows) == 2:
        return missing
    machine = data.get("machine", "")
    note = f"\n\nMeasured on {machine}." if machine else ""
    return "\n".join(rows) + note


def _config(app, config):
    subs = dict(getattr(config, "myst_substitutions", None) or {})
    subs["chapter_times"] = chapter_times_table(app.srcdir)
    config.myst_substitutions = subs
    # MathJax (scripts/get_mathjax.sh) is served as _static/mathjax/: mathjax_path points there.
    vendor = Path(app.srcdir) / "_vendor"
    if (vendor / "mathjax").is_dir():
        config.html_static_path = [*config.html_static_path, str(vendor)]


def setup(app):
    app.connect("config-inited", _config)
    app.connect("html-page-context", _rewrite_launch_buttons, priority=900)
    app.connect("doctree-read", _badge)
    app.connect("doctree-resolved", _alt_text)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
