"""The built site (_build/html): Colab links, offline formulas, figures, the stylesheet.

Run right after a build (`make site-links` sets CNNLIB_REQUIRE_SITE=1): without a built
site the tests skip, saying so; with CNNLIB_REQUIRE_SITE=1 a missing site fails.

* every colab.research.google.com link opens ``colab/<chapter>.ipynb``, a notebook that is
  in the repository, and every chapter page has one (the launch button and the badge);
* no page loads MathJax from a CDN: MathJax is served from the site's own _static/;
* every figure a cell drew has alt text;
* every page links the book's stylesheet, and the intro has the chapters' times.
"""

import importlib.util
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
_spec = importlib.util.spec_from_file_location("make_student", ROOT / "scripts" / "make_student.py")
make_student = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_student)

COLAB = re.compile(r"https://colab\.research\.google\.com/github/(?P<repo>[^/\s\"']+/[^/\s\"']+)"
                   r"/blob/(?P<branch>[^/\s\"']+)/(?P<path>[^\s\"'#?<]+)")


def _pages():
    if not HTML.is_dir() or not any(HTML.rglob("*.html")):
        if os.environ.get("CNNLIB_REQUIRE_SITE"):
            pytest.fail("no built site in _build/html: run `make book` first")
        pytest.skip("no built site in _build/html (run `make book`, or `make site-links`, "
                    "which builds it and sets CNNLIB_REQUIRE_SITE=1)")
    return sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(page):
    parser = _Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tags


def test_built_site_colab_links_open_colab_copies_that_exist():
    repo = make_student.repository()
    gh = re.sub(r"^https?://github\.com/", "", repo["url"])
    chapters = {p.stem for p in make_student.chapters()}
    seen = {}
    for page in _pages():
        for tag, attrs in _tags(page):
            href = attrs.get("href") or ""
            if "colab.research.google.com" not in href or tag != "a":
                continue
            m = COLAB.fullmatch(href)
            assert m, f"{page.relative_to(HTML)}: not a Colab link to the repository: {href}"
            assert m["repo"] == gh and m["branch"] == repo["branch"], href
            path = m["path"]
            # A copy Colab renders: colab/ (the buttons and badges) or student/ (a page
            # may offer the solution-free copy by name, as how_to_use does) — never a
            # chapter's MyST source.
            assert re.fullmatch(r"(?:.+/)?(colab|student)/[\w-]+\.ipynb", path), (
                f"{page.relative_to(HTML)}: Colab opens {path}, not a colab/ copy")
            assert (ROOT / path).is_file(), f"{href}: {path} is not in the repository"
            seen.setdefault(page.relative_to(HTML).as_posix(), []).append(path)
    for stem in chapters:
        links = seen.get(f"chapters/{stem}.html", [])
        assert links.count(f"colab/{stem}.ipynb") >= 2 and set(links) == {f"colab/{stem}.ipynb"}, (
            f"chapters/{stem}.html should have the launch button and the badge to "
            f"colab/{stem}.ipynb, and no other Colab link; has {links}")


def test_built_site_loads_mathjax_from_itself_not_a_cdn():
    pages = _pages()
    local = 0
    for page in pages:
        for tag, attrs in _tags(page):
            src = attrs.get("src") or ""
            if tag == "script" and "mathjax" in src.lower():
                assert not re.match(r"^(https?:)?//", src), (
                    f"{page.relative_to(HTML)} loads MathJax from the network: {src}")
                local += 1
                target = (page.parent / src.split("?")[0]).resolve()
                assert target.is_file(), f"{page.relative_to(HTML)}: {src} is not in the site"
        text = page.read_text(encoding="utf-8")
        assert "cdn.jsdelivr.net/npm/mathjax" not in text and "polyfill.io" not in text
    assert local, "no page loads MathJax at all: is mathjax_path set in _config.yml?"
    one = next(p for p in pages if p.name == "convolution.html")
    scripts = [a.get("src", "") for t, a in _tags(one) if t == "script" and "mathjax" in
               (a.get("src") or "")]
    assert len(scripts) == 1, f"MathJax should be one script, the page loads {scripts[:5]}..."


def test_built_site_figures_have_alt_text():
    for page in _pages():
        for tag, attrs in _tags(page):
            if tag == "img" and "jupyter_execute" not in (attrs.get("src") or "") and \
                    "_images/" not in (attrs.get("src") or ""):
                continue
            if tag == "img":
                assert (attrs.get("alt") or "").strip(), (
                    f"{page.relative_to(HTML)}: a figure without alt text: {attrs.get('src')}")


def test_built_site_pages_use_the_books_stylesheet_and_intro_has_times():
    pages = _pages()
    for page in pages:
        if page.name in ("search.html", "genindex.html") or \
                'http-equiv="Refresh"' in page.read_text(encoding="utf-8")[:200]:
            continue
        hrefs = [a.get("href", "") for t, a in _tags(page) if t == "link"]
        assert any("cnnbook.css" in h for h in hrefs), f"{page.relative_to(HTML)}: no cnnbook.css"
    assert (HTML / "_static" / "cnnbook.css").is_file()
    intro = (HTML / "intro.html").read_text(encoding="utf-8")
    assert "How long a chapter takes" in intro
    record = ROOT / "chapter_times.json"
    times = json.loads(record.read_text(encoding="utf-8")).get("chapters", {}) \
        if record.is_file() else {}
    listed = [p.stem for p in make_student.chapters() if p.stem in times]
    after = intro.split("How long a chapter takes", 1)[1]
    if listed:
        table = after[:after.index("</table>")]
        for stem in listed:
            assert f"chapters/{stem}.html" in table, f"the intro's times table has no {stem}"
    else:
        assert "chapter_times.json" in after[:3000]  # says where the times will come from


def test_built_site_figures_fit_the_text_column():
    # cnnlib's style draws at most 7.5 in at 100 dpi (retina PNGs carry their display
    # width); a wider figure is shrunk by the page, and its labels with it.
    from PIL import Image

    from cnnlib.viz.style import MAX_WIDTH

    column = MAX_WIDTH * 100 + 10  # px; bbox_inches="tight" may add a few
    wide = []
    for page in _pages():
        for tag, attrs in _tags(page):
            src = attrs.get("src") or ""
            if tag != "img" or "_images/" not in src or not src.endswith(".png"):
                continue
            width = attrs.get("width")
            styled = re.search(r"(?:^|;)\s*width:\s*([\d.]+)px", attrs.get("style") or "")
            if styled:  # MyST-NB writes a retina PNG's display size as style="width: ...px"
                width = styled.group(1)
            px = float(re.sub(r"px$", "", width)) if width and width[0].isdigit() else \
                Image.open(page.parent / src).size[0]
            if px > column:
                wide.append(f"{page.relative_to(HTML)}: {attrs.get('alt', src)[:50]} ({px:.0f} px)")
    assert not wide, (f"{len(wide)} figures wider than the text column ({column:.0f} px); "
                      "re-run the chapter with cnnlib's style, or draw it narrower:\n"
                      + "\n".join(wide))


def test_intro_times_table_reads_the_record(tmp_path):
    spec = importlib.util.spec_from_file_location("cnnbook", ROOT / "_ext" / "cnnbook.py")
    cnnbook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cnnbook)
    (tmp_path / "_toc.yml").write_text((ROOT / "_toc.yml").read_text())
    assert "chapter_times.json" in cnnbook.chapter_times_table(tmp_path)
    (tmp_path / "chapter_times.json").write_text(json.dumps({
        "machine": "2-core CPU, no GPU",
        "chapters": {"convolution": {"full_seconds": 95.0, "quick_seconds": 30.0},
                     "pooling": {"full_seconds": 61.0}}}))
    table = cnnbook.chapter_times_table(tmp_path)
    lines = table.splitlines()
    assert lines[2] == "| [](chapters/convolution) | 1.6 min | 0.5 min |"
    assert lines[3] == "| [](chapters/pooling) | 1.0 min | — |"
    assert table.endswith("Measured on 2-core CPU, no GPU.")


def test_figure_alt_text_comes_from_the_title_or_the_comment():
    spec = importlib.util.spec_from_file_location("cnnbook", ROOT / "_ext" / "cnnbook.py")
    cnnbook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cnnbook)
    assert cnnbook.figure_alt('viz.show_saliency(d, s, title=f"saliency for {k}")') == \
        "saliency for …"
    assert cnnbook.figure_alt('fig.suptitle("kernels after training")') == "kernels after training"
    assert cnnbook.figure_alt("# the input digit\nplt.imshow(x)") == "the input digit"
    assert cnnbook.figure_alt("viz.show_kernels(w)") == "Figure drawn by viz.show_kernels()"


def test_built_site_exercise_numbers_match_the_colab_copies():
    pages = _pages()
    for chapter in make_student.chapters():
        page = HTML / "chapters" / f"{chapter.stem}.html"
        if page not in pages or not (ROOT / "colab" / chapter.name).is_file():
            continue  # a missing copy fails test_copies.py
        site = sorted(set(re.findall(r"Exercise (\d+\.\d+)", page.read_text(encoding="utf-8"))))
        copy = (ROOT / "colab" / chapter.name).read_text(encoding="utf-8")
        ours = sorted(set(re.findall(r"### Exercise (\d+\.\d+)", copy)))
        assert site == ours, f"{chapter.stem}: the site numbers {site}, the Colab copy {ours}"
