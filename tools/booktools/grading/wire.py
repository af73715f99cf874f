"""Plain data across the sandbox wall: encode Python/NumPy values as JSON, decode without running code.

Student answers leave the sandbox, and the grader's inputs for a student's function enter it, only
in this form: ``None``, bools, ints, floats (NaN and infinities included), strings, lists, tuples,
dicts with string keys, NumPy scalars and arrays of a numeric or boolean dtype. Anything else is
sent as an opaque marker (:class:`Unsupported`) that compares equal to nothing. Decoding builds
only those types: no pickle, no ``eval``, no import named by the data, and it enforces limits on
nesting and size, so a crafted answer cannot run code in the process that checks it.

This module is imported both by the grader and, inside the sandbox, by the harness: it uses only
the standard library and NumPy.
"""

from __future__ import annotations

import json
import math

import numpy as np

MAX_DEPTH = 32
MAX_ITEMS = 5_000_000  # array elements plus container items in one message
KINDS = "biuf"  # bool, signed and unsigned int, float: the only array dtypes allowed


class WireError(ValueError):
    """A message that is not plain data within the limits."""


class Unsupported:
    """An answer of a type that cannot cross the sandbox wall (a model object, a generator...)."""

    def __init__(self, type_name: str):
        self.type_name = str(type_name)[:200]

    def __repr__(self) -> str:
        return f"<unsupported answer of type {self.type_name}>"

    def __eq__(self, other):  # never equal: a test comparing it fails
        return False

    __hash__ = None


def _float(x: float):
    if math.isfinite(x):
        return x
    return {"$t": "float", "v": "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")}


def encode(value, _depth: int = 0):
    """``value`` as a JSON-compatible structure of plain data."""
    if _depth > MAX_DEPTH:
        raise WireError("nesting too deep")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int) and type(value) is int:
        return value
    if type(value) is float:
        return _float(value)
    if isinstance(value, np.generic):
        if value.dtype.kind not in KINDS:
            return {"$t": "unsupported", "type": f"numpy.{type(value).__name__}"}
        item = value.item()
        return {"$t": "npscalar", "dtype": value.dtype.str, "v": _float(item) if isinstance(item, float) else item}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in KINDS or value.dtype.hasobject:
            return {"$t": "unsupported", "type": f"numpy.ndarray[{value.dtype}]"}
        flat = [_float(v) if isinstance(v, float) else v for v in value.ravel().tolist()]
        return {"$t": "ndarray", "dtype": value.dtype.str, "shape": list(value.shape), "v": flat}
    if type(value) in (list, tuple):
        return {"$t": type(value).__name__, "v": [encode(v, _depth + 1) for v in value]}
    if type(value) is dict and all(type(k) is str for k in value):
        return {"$t": "dict", "v": {k: encode(v, _depth + 1) for k, v in value.items()}}
    if callable(value):
        return {"$t": "function"}
    return {"$t": "unsupported", "type": type(value).__name__}


def dumps(value) -> str:
    """Encode ``value`` as one line of JSON."""
    return json.dumps(encode(value), separators=(",", ":"), allow_nan=False)


class _Budget:
    def __init__(self):
        self.left = MAX_ITEMS

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise WireError("message too large")


def _scalar(x):
    if isinstance(x, dict) and x.get("$t") == "float":
        v = x.get("v")
        if v not in ("nan", "inf", "-inf"):
            raise WireError("bad float")
        return float(v)
    if x is None or type(x) in (bool, int, float):
        return x
    raise WireError(f"not a scalar: {type(x).__name__}")


def _dtype(text) -> np.dtype:
    if not isinstance(text, str) or len(text) > 8:
        raise WireError("bad dtype")
    try:
        dtype = np.dtype(text)
    except TypeError as exc:
        raise WireError(f"bad dtype {text!r}") from exc
    if dtype.kind not in KINDS or dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None:
        raise WireError(f"dtype {text!r} not allowed")
    return dtype


def decode(node, _depth: int = 0, _budget: _Budget | None = None):
    """The value that :func:`encode` encoded; raises :class:`WireError` on anything else."""
    budget = _budget or _Budget()
    budget.take(1)
    if _depth > MAX_DEPTH:
        raise WireError("nesting too deep")
    if node is None or type(node) in (bool, int, float, str):
        return node
    if type(node) is not dict:
        raise WireError(f"unexpected {type(node).__name__}")
    tag = node.get("$t")
    if tag == "float":
        return _scalar(node)
    if tag in ("list", "tuple"):
        items = node.get("v")
        if type(items) is not list:
            raise WireError("bad sequence")
        seq = [decode(v, _depth + 1, budget) for v in items]
        return seq if tag == "list" else tuple(seq)
    if tag == "dict":
        items = node.get("v")
        if type(items) is not dict:
            raise WireError("bad dict")
        return {str(k): decode(v, _depth + 1, budget) for k, v in items.items()}
    if tag == "npscalar":
        return _dtype(node.get("dtype")).type(_scalar(node.get("v")))
    if tag == "ndarray":
        dtype, shape, flat = _dtype(node.get("dtype")), node.get("shape"), node.get("v")
        if type(shape) is not list or len(shape) > 32 or not all(type(s) is int and s >= 0 for s in shape):
            raise WireError("bad shape")
        if type(flat) is not list or len(flat) != math.prod(shape):
            raise WireError("array data does not match its shape")
        budget.take(len(flat))
        return np.array([_scalar(v) for v in flat], dtype=dtype).reshape(shape)
    if tag == "unsupported":
        return Unsupported(node.get("type", "?"))
    if tag == "function":
        raise WireError("a function is not a value")
    raise WireError(f"unknown tag {tag!r}")


def loads(text: str):
    """Decode one JSON message made by :func:`dumps`."""
    return decode(json.loads(text))
