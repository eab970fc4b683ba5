"""The chapter numbers the built book shows, read from ``_toc.yml`` (nothing is built).

    python scripts/booknumbers.py          # print "convolution 2" per numbered chapter

Jupyter Book 1 numbers the chapters of every part marked ``numbered: true`` (Sphinx's
``:numbered:`` toctree), one count across those parts (``sphinx-multitoc-numbering``,
on by default), and gives each exercise of chapter *c* the number *c.n*
(sphinx-exercise numbers them like figures; ``numfig_secnum_depth`` 1, Sphinx's
default, prefixes the chapter's number). So exercise *n* of ``chapters/convolution``
is "Exercise {chapter_numbers()['convolution']}.n", its answer ``answer_n`` and its
check ``"convolution-n"``. The student-copy generator titles exercises with the same
function; tests/book/test_exercises.py checks it against ``_toc.yml`` and the built
site's numbers.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

__all__ = ["chapter_numbers", "exercise_title"]


def _numbered(entry: dict, default: bool) -> bool:
    options = entry.get("options") or {}
    return bool(entry.get("numbered", options.get("numbered", default)))


def chapter_numbers(toc=None) -> dict[str, int]:
    """``{chapter file name without folder or suffix: its number}`` for every numbered
    chapter, in book order (``{"why_cnns": 1, "convolution": 2, ...}``).

    toc: the path of a ``_toc.yml`` (default: the book's; its pages that do not exist
      are skipped, as Sphinx skips them), or its parsed contents.
    """
    root = None
    if toc is None or isinstance(toc, (str, Path)):
        path = Path(toc or ROOT / "_toc.yml")
        root = path.parent
        toc = yaml.safe_load(path.read_text(encoding="utf-8"))
    default = _numbered(toc.get("defaults") or {}, False)
    parts = toc.get("parts") or [{"chapters": toc.get("chapters") or [], **toc}]
    numbers: dict[str, int] = {}
    count = 0
    for part in parts:
        if not _numbered(part, default):
            continue
        for chapter in part.get("chapters") or []:
            if "file" not in chapter:
                continue  # a URL or a glob: no chapter number of its own
            if root is not None and not any(
                    (root / f"{chapter['file']}{ext}").is_file() for ext in ("", ".md", ".ipynb")):
                continue  # a page that does not exist yet: Sphinx skips it
            count += 1
            numbers[Path(chapter["file"]).stem] = count
    return numbers


def exercise_title(chapter: str, n: int, numbers: dict[str, int] | None = None) -> str:
    """``"Exercise 2.3"`` for exercise 3 of chapter ``convolution`` (``"Exercise 3"`` when
    the chapter has no number)."""
    numbers = chapter_numbers() if numbers is None else numbers
    return f"Exercise {numbers[chapter]}.{n}" if chapter in numbers else f"Exercise {n}"


if __name__ == "__main__":
    for name, number in chapter_numbers(sys.argv[1] if len(sys.argv) > 1 else None).items():
        print(name, number)
