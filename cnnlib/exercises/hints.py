"""What the checkers use to compare an answer and say what is wrong without giving it away.

Each helper returns quietly when the answer fits and raises ``AssertionError`` with a
hint otherwise: what was expected (a type, a shape, a count of items, too large or too
small, the first mismatching element), never the expected value. :mod:`cnnlib.check`
re-exports :func:`expect_function`, :func:`expect_own_function`, :func:`compare_value`
and :func:`compare_array`.
"""

from __future__ import annotations

import builtins
import functools
import inspect
import numbers
import types

import numpy as np

__all__ = ["expect_function", "expect_own_function", "expect_items", "compare_value", "compare_array",
           "bias_missing"]

_KINDS = {2: "pair", 3: "triple"}


def expect_function(answer, name: str) -> None:
    """The answer should be a function the learner wrote, named ``name`` in the hint."""
    if not callable(answer):
        raise AssertionError(f"{name} should be a function, got {type(answer).__name__}")


#: Libraries whose own functions are not an answer to "write it yourself".
LIBRARIES = ("cnnlib", "keras", "tensorflow", "tf_keras", "numpy", "scipy", "torch", "sklearn")

_BUILTIN_TYPES = (types.BuiltinFunctionType, types.BuiltinMethodType, types.WrapperDescriptorType,
                  types.MethodWrapperType, types.MethodDescriptorType,
                  types.ClassMethodDescriptorType)


def _origins(answer):
    """The objects ``answer`` stands for: itself, what a partial or bound method holds,
    what a decorator wrapped (``__wrapped__``), and the class of a callable instance."""
    seen, todo = [], [answer]
    while todo and len(seen) < 20:
        obj = todo.pop()
        if any(obj is s for s in seen):
            continue
        seen.append(obj)
        if isinstance(obj, functools.partial):
            todo.append(obj.func)
        if isinstance(obj, types.MethodType):
            todo.append(obj.__func__)
        wrapped = inspect.getattr_static(obj, "__wrapped__", None)
        if wrapped is not None and not isinstance(wrapped, property):
            todo.append(getattr(obj, "__wrapped__", None))
        if not isinstance(obj, (type, types.FunctionType, types.MethodType, functools.partial,
                                *_BUILTIN_TYPES)):
            todo.append(type(obj))  # a callable instance: a Keras layer, a NumPy ufunc
        owner = getattr(obj, "__self__", None)
        if isinstance(obj, _BUILTIN_TYPES) and owner is not None and not isinstance(
                owner, types.ModuleType):
            todo.append(owner if isinstance(owner, type) else type(owner))  # np.ones(3).sum
    return [o for o in seen if o is not None]


def _library_of(obj) -> str | None:
    module = getattr(obj, "__module__", None)
    if not isinstance(module, str):
        return None
    top = module.split(".")[0]
    return top if top in LIBRARIES else None


def _label(obj) -> str:
    module = getattr(obj, "__module__", None) or "?"
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if not isinstance(name, str):  # an instance: name its class
        return f"a {type(obj).__module__}.{type(obj).__qualname__}"
    return f"{module}.{name}"


def expect_own_function(answer, name: str) -> None:
    """The answer should be a function the learner wrote, not a library's own.

    As :func:`expect_function`; and an ``AssertionError`` ("write it yourself: ...") when
    ``answer`` — or what a ``functools.partial``, a bound method or a decorator
    (``__wrapped__``) holds, or the class of a callable instance — comes from cnnlib,
    Keras, TensorFlow, NumPy, SciPy, PyTorch or scikit-learn (by ``__module__``), or is a
    builtin. A lambda that merely calls a library function passes here; the checker's
    behavioural tests are what judge it.
    """
    expect_function(answer, name)
    origins = _origins(answer)
    for obj in origins:
        library = _library_of(obj)
        if library is not None:
            raise AssertionError(
                f"write it yourself: {name} is {_label(obj)} from {library}; the exercise "
                f"asks for your own code")
    for obj in origins:
        if isinstance(obj, _BUILTIN_TYPES) or getattr(obj, "__module__", None) == builtins.__name__:
            raise AssertionError(
                f"write it yourself: {name} is the builtin {getattr(obj, '__name__', obj)!s}; "
                f"the exercise asks for a function you define with def")


def expect_items(answer, what: str, names: tuple[str, ...] | int):
    """A tuple or list of ``len(names)`` items (``names`` such as ``("height", "width")``
    are only used in the hint: "answer_1 should be a (height, width) pair"); an int
    ``names`` asks for that many numbers. Returns the answer."""
    n = names if isinstance(names, int) else len(names)
    if not isinstance(answer, (tuple, list)) or len(answer) != n:
        if isinstance(names, int):
            kind = f"a tuple of {n} numbers"
        else:
            kind = f"a ({', '.join(names)}) {_KINDS.get(n, f'tuple of {n}')}"
        raise AssertionError(f"{what} should be {kind}, got {answer!r}")
    return answer


def _is_number(value) -> bool:
    return isinstance(value, (numbers.Number, np.number)) and not isinstance(value, (bool, np.bool_))


def bias_missing(answer, expected, biases: int, per: str = "kernel") -> None:
    """The hint for a parameter count that forgot the biases: ``answer == expected − biases``.

    per: what has one bias each, for the hint ("kernel", "unit", "kernel and one per unit").
    Anything else (another number, a non-number) passes on to the next check.
    """
    if _is_number(answer) and answer == expected - biases:
        raise AssertionError(f"close: the biases are missing, one per {per}")


def compare_value(answer, expected, what: str = "the answer", rel_tol: float = 1e-9) -> None:
    """A number (or any ``==``-comparable value) equal to ``expected``."""
    if isinstance(expected, (int, float, np.number)) and not isinstance(expected, bool):
        if isinstance(answer, bool) or not isinstance(answer, (int, float, np.number)):
            raise AssertionError(f"{what} should be a number, got {type(answer).__name__}")
        if isinstance(expected, (int, np.integer)) and float(answer) != int(answer):
            raise AssertionError(f"{what} should be a whole number, got {answer!r}")
        if abs(float(answer) - float(expected)) > rel_tol * max(1.0, abs(float(expected))):
            direction = "too large" if answer > expected else "too small"
            raise AssertionError(f"{what} = {answer!r} is {direction}")
        return
    if isinstance(expected, (tuple, list)):
        if not isinstance(answer, (tuple, list, np.ndarray)):
            raise AssertionError(
                f"{what} should be a {type(expected).__name__} of {len(expected)} items, "
                f"got {type(answer).__name__}")
        if len(answer) != len(expected):
            raise AssertionError(
                f"{what} should have {len(expected)} items, got {len(answer)}")
        for i, (got, want) in enumerate(zip(answer, expected)):
            compare_value(got, want, f"{what}[{i}]", rel_tol)
        return
    if answer != expected:
        raise AssertionError(f"{what} = {answer!r} is not right")


def compare_array(answer, expected, what: str = "the array", atol: float = 1e-5) -> None:
    """An array of ``expected``'s shape whose values agree within ``atol``."""
    expected = np.asarray(expected)
    try:
        got = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        raise AssertionError(
            f"{what} should be an array of numbers, got {type(answer).__name__}"
        ) from None
    if got.shape != expected.shape:
        raise AssertionError(f"{what} should have shape {expected.shape}, got {got.shape}")
    bad = ~np.isclose(got, expected, atol=atol, rtol=1e-5)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise AssertionError(
            f"{what} has the right shape {got.shape}, but {int(bad.sum())} of {got.size} values "
            f"differ; the first is at index {first} (you have {got[first]:.4g})"
        )
