"""The wire between a learner process and a checker process: messages, values, proxies.

A re-check runs the learner's code and the checker in two processes (see
:mod:`cnnlib.grading.rerun`). They talk over two pipes, one JSON message per line.
What crosses from the learner to the checker is **data only** — ``None``, ``...``,
booleans, numbers, strings, tuples, lists, sets, dicts, NumPy arrays and scalars (read with
``allow_pickle=False``) — or a *reference* to an object that stays in the learner's
process: a function, a class, a model. The checker gets a proxy for a reference
(:func:`decode`); calling it, reading an attribute or an item asks the learner's
process to do it and send the result back, so no learner code ever runs in the
checker's process. What the checker sends to the learner (the arguments of a call) is
data or, for anything else (a Keras model, a cnnlib layer), a pickle: the learner's
process trusts the checker, never the other way round.
"""

from __future__ import annotations

import base64
import io
import json
import os
import pickle
import select
import time

import numpy as np

__all__ = ["Channel", "WireError", "encode", "decode", "RemoteCallError", "proxy_class"]

_MAX_DEPTH = 50


class WireError(Exception):
    """The other side sent something that is not a message, or went away."""


class RemoteCallError(Exception):
    """The learner's code raised; the class is renamed after the learner's exception."""


def _array(value) -> dict:
    buf = io.BytesIO()
    np.save(buf, np.asarray(value), allow_pickle=False)
    return {"__nd__": base64.b64encode(buf.getvalue()).decode("ascii")}


def encode(value, refs=None, *, allow_pickle=False, depth=0):
    """``value`` as JSON-able data. ``refs`` (a dict id → object, on the learner's side)
    receives what is not data and is sent as a reference; ``allow_pickle`` (the checker's
    side) pickles it instead."""
    if depth > _MAX_DEPTH:
        raise WireError("the value is nested too deeply to send")
    if value is None or isinstance(value, (bool, str)):
        return value
    if value is Ellipsis:
        return {"__ellipsis__": True}
    if isinstance(value, int):
        return value if abs(value) < 2**53 else {"__int__": str(value)}
    if isinstance(value, float):
        return {"__float__": repr(value)}
    if isinstance(value, (np.ndarray, np.generic)) and np.asarray(value).dtype.kind in "biufcUS":
        out = _array(value)
        if isinstance(value, np.generic):
            out["scalar"] = True
        return out
    if isinstance(value, (tuple, list)) and type(value) in (tuple, list):
        items = [encode(v, refs, allow_pickle=allow_pickle, depth=depth + 1) for v in value]
        return {"__tuple__": items} if isinstance(value, tuple) else items
    if type(value) in (set, frozenset):
        items = [encode(v, refs, allow_pickle=allow_pickle, depth=depth + 1) for v in value]
        return {"__set__": items, "frozen": type(value) is frozenset}
    if type(value) is dict and all(isinstance(k, (str, int, float, bool, tuple)) or k is None
                                   for k in value):
        return {"__dict__": [[encode(k, refs, depth=depth + 1),
                              encode(v, refs, allow_pickle=allow_pickle, depth=depth + 1)]
                             for k, v in value.items()]}
    if isinstance(value, _Proxy):
        return {"__ref__": object.__getattribute__(value, "_ref")}
    if refs is None and callable(value) and getattr(value, "_cnnlib_ref", None) is not None:
        return {"__ref__": value._cnnlib_ref}
    if refs is None and allow_pickle:
        return {"__pickle__": base64.b64encode(pickle.dumps(value)).decode("ascii")}
    if refs is None:
        raise WireError(f"cannot send a {type(value).__name__}")
    if not callable(value) and hasattr(value, "numpy") and hasattr(value, "shape"):
        return encode(np.asarray(value.numpy()), refs, depth=depth)  # a tf.Tensor
    ref = len(refs) + 1
    refs[ref] = value
    return {"__ref__": ref, **describe(value)}


def describe(value) -> dict:
    """What the checker may know of an object it gets a reference to: whether it can be
    called, and where it comes from (its own, or a library's function it wraps)."""
    import functools
    import types

    from ..exercises import hints  # the same rule as expect_own_function

    plain = isinstance(value, (types.FunctionType, types.MethodType, types.BuiltinFunctionType,
                               functools.partial, type)) or not hasattr(value, "__dict__")
    info = {"callable": callable(value), "function": callable(value) and plain,
            "type": type(value).__qualname__, "type_name": type(value).__name__,
            "type_module": str(type(value).__module__),
            "name": str(getattr(value, "__name__", type(value).__name__))}
    module = getattr(value, "__module__", None)
    qualname = getattr(value, "__qualname__", None)
    if not isinstance(qualname, str):
        module, qualname = type(value).__module__, type(value).__qualname__
    for origin in hints._origins(value):
        if hints._library_of(origin) or isinstance(origin, hints._BUILTIN_TYPES):
            module = getattr(origin, "__module__", None) or "builtins"
            qualname = getattr(origin, "__qualname__", None) or type(origin).__qualname__
            break
    info["module"], info["qualname"] = str(module or "__main__"), str(qualname)
    return info


def decode(data, proxy_for=None, *, allow_pickle=False):
    """The value ``data`` stands for. ``proxy_for(ref, info)`` makes the proxy of a
    reference (the checker's side); ``allow_pickle`` is for the learner's side only."""
    if isinstance(data, list):
        return [decode(v, proxy_for, allow_pickle=allow_pickle) for v in data]
    if not isinstance(data, dict):
        return data
    if "__nd__" in data:
        arr = np.load(io.BytesIO(base64.b64decode(data["__nd__"])), allow_pickle=False)
        return arr[()] if data.get("scalar") else arr
    if "__tuple__" in data:
        return tuple(decode(v, proxy_for, allow_pickle=allow_pickle) for v in data["__tuple__"])
    if "__set__" in data:
        items = [decode(v, proxy_for, allow_pickle=allow_pickle) for v in data["__set__"]]
        return frozenset(items) if data.get("frozen") else set(items)
    if "__dict__" in data:
        return {decode(k): decode(v, proxy_for, allow_pickle=allow_pickle)
                for k, v in data["__dict__"]}
    if "__float__" in data:
        return float(data["__float__"])
    if "__int__" in data:
        return int(data["__int__"])
    if "__ellipsis__" in data:
        return Ellipsis
    if "__pickle__" in data and allow_pickle:
        return pickle.loads(base64.b64decode(data["__pickle__"]))
    if "__ref__" in data and proxy_for is not None:
        return proxy_for(int(data["__ref__"]), data)
    raise WireError(f"not a value: {str(data)[:80]}")


class Channel:
    """One message per line of JSON, read from ``fd_in``, written to ``fd_out``."""

    def __init__(self, fd_in: int, fd_out: int):
        self.fd_in, self.fd_out = fd_in, fd_out
        self._buffer = b""

    def send(self, message: dict) -> None:
        data = (json.dumps(message) + "\n").encode("utf-8")
        while data:
            data = data[os.write(self.fd_out, data):]

    def receive(self, timeout: float | None = None) -> dict:
        """The next message; ``TimeoutError`` after ``timeout`` s, ``WireError`` at the end."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buffer:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self.fd_in], [], [], wait)
            if not ready:
                raise TimeoutError
            chunk = os.read(self.fd_in, 1 << 20)
            if not chunk:
                raise WireError("the other process closed the pipe")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            message = json.loads(line)
        except ValueError as err:
            raise WireError(f"not a message: {line[:80]!r}") from err
        if not isinstance(message, dict):
            raise WireError(f"not a message: {line[:80]!r}")
        return message


class _Proxy:
    """An object of the learner's process, seen from the checker's (not callable).

    :func:`proxy_class` makes a subclass per type, named as the learner's type is (so
    ``type(layer).__name__ == "MaxPooling2D"`` holds), and, for a type of a library the
    checker trusts (Keras, TensorFlow, NumPy, ...), passing ``isinstance`` for it.
    """

    __slots__ = ("_ref", "_client", "_info")

    def __init__(self, ref, client, info):
        object.__setattr__(self, "_ref", ref)
        object.__setattr__(self, "_client", client)
        object.__setattr__(self, "_info", info)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return object.__getattribute__(self, "_client").request(
            "getattr", object.__getattribute__(self, "_ref"), name=name)

    def __getitem__(self, key):
        return object.__getattribute__(self, "_client").request(
            "getitem", object.__getattribute__(self, "_ref"), key=key)

    def __len__(self):
        return object.__getattribute__(self, "_client").request(
            "len", object.__getattribute__(self, "_ref"))

    def __bool__(self):
        return True

    def __iter__(self):
        return iter(object.__getattribute__(self, "_client").request(
            "list", object.__getattribute__(self, "_ref")))

    def __repr__(self):
        info = object.__getattribute__(self, "_info")
        return f"<your {info.get('type', 'object')} {info.get('name', '')}>"


class _CallableProxy(_Proxy):
    """An object of the learner's process that can be called (a model, a layer)."""

    __slots__ = ()

    def __call__(self, *args, **kwargs):
        return object.__getattribute__(self, "_client").request(
            "call", object.__getattribute__(self, "_ref"), args=args, kwargs=kwargs)


_CLASSES: dict[tuple, type] = {}


def _trusted_class(module: str, qualname: str):
    """The class ``module.qualname`` when it belongs to a library the checker trusts."""
    from importlib import import_module

    from ..exercises.hints import LIBRARIES

    if module.split(".")[0] not in LIBRARIES or module.split(".")[0] == "cnnlib":
        return None
    try:
        obj = import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except Exception:  # noqa: BLE001 - not importable here: no isinstance
        return None
    return obj if isinstance(obj, type) else None


def proxy_class(info: dict) -> type:
    """The proxy class of a remote object described by ``info`` (see :func:`describe`)."""
    key = (info.get("type_module"), info.get("type"), bool(info.get("callable")))
    if key not in _CLASSES:
        base = _CallableProxy if info.get("callable") else _Proxy
        body = {"__slots__": (), "__module__": str(info.get("type_module") or "__main__"),
                "__qualname__": str(info.get("type") or "object")}
        trusted = _trusted_class(str(key[0]), str(key[1]))
        if trusted is not None:
            body["__class__"] = property(lambda self, cls=trusted: cls)
        _CLASSES[key] = type(str(info.get("type_name") or "object"), (base,), body)
    return _CLASSES[key]
