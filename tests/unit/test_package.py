"""The shape of the cnnlib package, read from its source (nothing is imported but cnnlib).

* **No import cycles.** Every module's imports of cnnlib — absolute (``import cnnlib.x``,
  ``from cnnlib.x import y``) and relative (``from .x import y``, ``from .. import x``) —
  are read with :mod:`ast`, at module level only: statements inside functions (the
  lazy imports that break a cycle on purpose) and ``if TYPE_CHECKING:`` blocks do not
  count, ``try``/``if``/``with``/class bodies do. ``from p import name`` points at the
  submodule ``p.name`` when there is one, else at ``p``. Importing ``a.b.c`` also runs
  the packages ``a.b`` and ``a`` (their ``__init__``), so those count too, except the
  packages the importing module itself lives in (they are the ones already being
  imported). The graph of modules and these edges must be acyclic; a failure prints
  every cycle, ``cnnlib.a → cnnlib.b → cnnlib.a``.
* **Modules stay short.** A module (a ``.py`` file under ``cnnlib/``) has at most
  400 lines, unless its module docstring says why it needs more in a line that starts
  with ``Long because`` (e.g. ``Long because the six figures share one layout helper
  and read best side by side.``). Split a long module into a package, or give the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import cnnlib

MAX_LINES = 400
LONG_BECAUSE = "Long because"
PACKAGE = Path(cnnlib.__file__).resolve().parent


def _modules(root: Path) -> dict[str, Path]:
    """``{dotted name: file}`` for every ``.py`` file of the package at ``root``."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).with_suffix("")
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        found[".".join(parts)] = path
    return found


def _is_type_checking(test) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _module_level_imports(tree: ast.Module):
    """The Import and ImportFrom nodes that run when the module is imported."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
        else:
            stack.extend(child for child in ast.iter_child_nodes(node)
                         if isinstance(child, ast.stmt) or hasattr(child, "body"))


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _nearest(name: str, modules) -> str | None:
    """``name`` if it is a module, else its nearest enclosing module."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(root: Path) -> dict[str, set[str]]:
    """``{module: modules of the same package it imports at module level}`` (see above)."""
    modules = _modules(root)
    top = root.name
    graph = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        here = name if is_package else name.rpartition(".")[0]
        targets = set()
        for node in _module_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {_nearest(alias.name, modules) for alias in node.names}
                continue
            base = node.module or ""
            if node.level:
                parts = here.split(".")
                package = ".".join(parts[:len(parts) - node.level + 1])
                base = f"{package}.{base}" if base else package
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.add(sub if sub in modules else _nearest(base, modules))
        targets = {t for t in targets if t and (t == top or t.startswith(f"{top}."))}
        for target in list(targets):  # importing a.b.c runs a.b's __init__ too
            targets |= {a for a in _ancestors(target) if a in modules}
        mine = set(_ancestors(name)) | {name}
        graph[name] = {t for t in targets if t not in mine}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected part of ``graph`` that has one."""
    index, low, on_stack, stack, parts = {}, {}, set(), [], []

    def visit(v):  # Tarjan's algorithm; the graph is a few dozen modules
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1 or v in graph.get(v, ()):
                parts.append(set(part))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_cycle_in(part, graph) for part in parts]


def _cycle_in(part: set[str], graph) -> list[str]:
    """A path start → … → start inside one strongly connected part (breadth first)."""
    start = min(part)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & part):
            if w == start:
                return paths[v] + [start]
            if w not in paths:
                paths[w] = paths[v] + [w]
                queue.append(w)
    raise AssertionError(f"no cycle in {part}")  # pragma: no cover


def test_cnnlib_has_no_import_cycles():
    graph = import_graph(PACKAGE)
    assert "cnnlib.check" in graph and "cnnlib.exercises.contract" in graph["cnnlib.check"]
    found = cycles(graph)
    assert not found, "import cycles in cnnlib (module-level imports):\n" + "\n".join(
        "  " + " → ".join(cycle) for cycle in found)


def test_the_graph_and_the_cycle_finder_on_a_planted_package(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "from .a import f\n",
        "a.py": "import os\nfrom . import b\n\ndef f():\n    from .c import late  # lazy\n",
        "b.py": "from .sub.d import g\n",
        "c.py": "from pkg import a\n",  # a → (lazy) c: no cycle
        "sub/__init__.py": "from .d import g\n",
        "sub/d.py": "try:\n    from ..a import f\nexcept ImportError:\n    pass\n",
        "e.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .e2 import x\n",
        "e2.py": "from . import e\n",
    }
    for name, text in files.items():
        (pkg / name).write_text(text)
    graph = import_graph(pkg)
    assert graph["pkg"] == {"pkg.a"}
    assert graph["pkg.a"] == {"pkg.b"}
    assert graph["pkg.b"] == {"pkg.sub.d", "pkg.sub"}
    assert graph["pkg.sub.d"] == {"pkg.a"}
    assert graph["pkg.e"] == set() and graph["pkg.e2"] == {"pkg.e"}
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.sub.d", "pkg.a"]]  # a shortest one


def _long_modules(root: Path) -> dict[str, int]:
    """Modules over MAX_LINES lines whose docstring gives no reason."""
    too_long = {}
    for name, path in _modules(root).items():
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines <= MAX_LINES:
            continue
        doc = ast.get_docstring(ast.parse(text)) or ""
        if not any(line.strip().startswith(LONG_BECAUSE) for line in doc.splitlines()):
            too_long[name] = lines
    return too_long


def test_no_module_is_over_400_lines_without_a_reason():
    too_long = _long_modules(PACKAGE)
    assert not too_long, (
        f"modules over {MAX_LINES} lines without a '{LONG_BECAUSE} …' line in their "
        "docstring: " + ", ".join(f"{name} ({n} lines)" for name, n in sorted(too_long.items())))


def test_a_reason_in_the_docstring_lets_a_module_be_long(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    body = "x = 1\n" * MAX_LINES
    (pkg / "__init__.py").write_text("")
    (pkg / "short.py").write_text(body[: -len("x = 1\n")])
    (pkg / "long.py").write_text('"""Tables.\n\nLong because: one table per layer."""\n' + body)
    (pkg / "bare.py").write_text('"""Tables, long because of the layers."""\n' + body)
    assert _long_modules(pkg) == {"pkg.bare": MAX_LINES + 1}
