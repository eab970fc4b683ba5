"""Every name a chapter takes from cnnlib exists: a static check, no notebook is run.

Each chapter's code cells are parsed in order. ``import cnnlib``, ``from cnnlib import
viz`` and ``from cnnlib.params import Row`` bind names; every ``viz.show_images`` (or
``cnnlib.viz.show_images``) after them is looked up in the package, through modules down
to the first thing that is not a module. So renaming or moving a function in cnnlib
fails here, naming the chapter and the cell, instead of in a full run of the book.
"""

import ast
import importlib
import inspect
import json
import re
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def _cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            # IPython magics and shell lines are not Python: keep the line numbers, drop them
            yield i, re.sub(r"(?m)^(\s*)[%!].*$", r"\1pass", source)


def _chain(node):
    """``a.b.c`` -> ["a", "b", "c"]; None when the chain does not start at a name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(parts)]


def _resolve(obj, path, attrs):
    """Follow ``attrs`` from ``obj`` while it is a module; the first missing name, or None."""
    for attr in attrs:
        if not isinstance(obj, types.ModuleType):
            return None
        if not hasattr(obj, attr):
            try:  # a submodule not imported by its package yet (cnnlib.viz.style)
                obj = importlib.import_module(f"{obj.__name__}.{attr}")
                continue
            except ImportError:
                return f"{path}.{attr}"
        obj = getattr(obj, attr)
        path = f"{path}.{attr}"
    return None


def calls_only_names(call):
    """True for ``f(*args)`` and ``f(**kwargs)``: their arguments cannot be checked here."""
    return any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords)


def _expected_to_fail(tree):
    """ids of the calls inside ``try:`` blocks that catch TypeError: a chapter that shows
    the error on purpose (``try: f(bad=1) except TypeError as err: print(err)``)."""
    def catches_type_error(handler):
        names = ({n.id for n in ast.walk(handler.type) if isinstance(n, ast.Name)}
                 if handler.type else {"Exception"})
        return bool(names & {"TypeError", "Exception", "BaseException"})

    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(catches_type_error(h) for h in node.handlers):
            ids |= {id(sub) for stmt in node.body for sub in ast.walk(stmt)}
    return ids


def uses(path, calls=None):
    """``(cell index, dotted name, missing part or None)`` for every cnnlib name used;
    ``calls`` (a list) collects ``(cell, ast.Call, object, attributes, dotted name)``."""
    bound = {}  # local name -> (object, dotted path)
    found = []
    calls = [] if calls is None else calls
    for i, source in _cells(path):
        tree = ast.parse(source)
        inner, on_purpose = set(), _expected_to_fail(tree)
        nodes = sorted((n for n in ast.walk(tree) if hasattr(n, "lineno")),
                       key=lambda n: (n.lineno, n.col_offset))
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    top = alias.name.split(".")[0]
                    if top == "cnnlib":
                        module = importlib.import_module(alias.name)
                        if alias.asname:
                            bound[alias.asname] = (module, alias.name)
                        else:
                            bound["cnnlib"] = (importlib.import_module("cnnlib"), "cnnlib")
                    else:
                        bound.pop(alias.asname or top, None)
            elif isinstance(node, ast.ImportFrom):
                cnnlib_module = node.level == 0 and (node.module or "").split(".")[0] == "cnnlib"
                for alias in node.names:
                    local = alias.asname or alias.name
                    if not cnnlib_module:
                        bound.pop(local, None)
                        continue
                    module = importlib.import_module(node.module)
                    missing = _resolve(module, node.module, [alias.name])
                    found.append((i, f"{node.module}.{alias.name}", missing))
                    if missing is None:
                        bound[local] = (getattr(module, alias.name, None)
                                        or importlib.import_module(f"{node.module}.{alias.name}"),
                                        f"{node.module}.{alias.name}")
            elif (isinstance(node, ast.Call) and not calls_only_names(node)
                  and id(node) not in on_purpose):
                chain = _chain(node.func)
                if chain and chain[0] in bound:
                    obj, dotted = bound[chain[0]]
                    calls.append((i, node, obj, chain[1:], ".".join([dotted, *chain[1:]])))
            elif isinstance(node, ast.Attribute) and id(node) not in inner:
                chain = _chain(node)
                if chain and chain[0] in bound:
                    inner.update(id(sub) for sub in ast.walk(node))  # a.b.c, not a.b as well
                    obj, dotted = bound[chain[0]]
                    found.append((i, ".".join([dotted, *chain[1:]]),
                                  _resolve(obj, dotted, chain[1:])))
    return list(dict.fromkeys(found))  # each use once per cell


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_cnnlib_name_a_chapter_uses_exists(chapter):
    found = uses(chapter)
    assert found, f"{chapter.name} uses nothing from cnnlib?"
    missing = [f"cell {i}: {name} (no {gone})" for i, name, gone in found if gone]
    assert not missing, f"{chapter.name} uses names cnnlib does not have:\n" + "\n".join(missing)


def _target(obj, attrs):
    for attr in attrs:
        obj = getattr(obj, attr, None)
        if obj is None:
            return None
    return obj


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_call_to_a_cnnlib_function_fits_its_signature(chapter):
    calls = []
    uses(chapter, calls)
    wrong = []
    for i, call, obj, attrs, name in calls:
        fn = _target(obj, attrs)
        if not (inspect.isfunction(fn) or inspect.isclass(fn)):
            continue
        try:
            inspect.signature(fn).bind(*call.args, **{k.arg: k.value for k in call.keywords})
        except TypeError as err:
            wrong.append(f"cell {i}: {name}(...): {err}")
    assert not wrong, f"{chapter.name} calls cnnlib with arguments it does not take:\n" + (
        "\n".join(wrong))


def test_the_check_catches_a_missing_name(tmp_path):
    nb = {"cells": [{"cell_type": "code", "source": [
        "from cnnlib import viz\n", "%matplotlib inline\n",
        "viz.show_images(x); viz.no_such_figure(x)\n", "import cnnlib\n",
        "cnnlib.viz.style.hangul_font()\n", "from keras import layers\n", "layers.Dense(3)\n",
    ]}]}
    path = tmp_path / "chapter.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    found = {name: gone for _, name, gone in uses(path)}
    assert found == {"cnnlib.viz": None, "cnnlib.viz.show_images": None,
                     "cnnlib.viz.no_such_figure": "cnnlib.viz.no_such_figure",
                     "cnnlib.viz.style.hangul_font": None}


def test_the_check_catches_a_wrong_argument(tmp_path):
    nb = {"cells": [{"cell_type": "code", "source": [
        "from cnnlib import viz\n", "viz.show_images(x, colour='red')\n",
        "try:\n", "    viz.show_images(x, on_purpose=1)\n", "except TypeError as err:\n",
        "    print(err)\n",
    ]}]}
    path = tmp_path / "chapter.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    calls = []
    uses(path, calls)
    (_, call, obj, attrs, name), = calls
    with pytest.raises(TypeError, match="colour"):
        inspect.signature(_target(obj, attrs)).bind(
            *call.args, **{k.arg: k.value for k in call.keywords})
